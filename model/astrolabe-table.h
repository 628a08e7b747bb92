/*
 * SPDX-License-Identifier: GPL-2.0-only
 */
#ifndef ASTROLABE_TABLE_H
#define ASTROLABE_TABLE_H

#include "astrolabe-value.h"

#include <boost/container/flat_map.hpp>
#include <cstdint>
#include <limits>
#include <string>
#include <utility>
#include <vector>

namespace ns3
{
namespace astrolabe
{

/**
 * \ingroup gossip
 * \brief The table of one zone's child zones, keyed by (child zone, rep), with the local time
 * at which each entry last advanced (for T_fail) and tombstones for removed entries.
 */
class Table
{
  public:
    using Key = std::pair<Name, Name>; //!< (zone id, rep)

    struct Entry
    {
        Row row;
        /// local time (us) of the last advance of `issued`: when the version held can at the
        /// latest have been issued, or when it arrived (see Merge)
        int64_t lastUpdate{0};
        /// `issued` advanced here at least once (or computed here): the rep is alive now, not
        /// a stale copy from a former rep still passed around
        bool advanced{false};

        /// Seen advancing here within `window` before `now`: a representative still issuing.
        bool IsLive(int64_t now, int64_t window) const
        {
            return advanced && now - lastUpdate <= window;
        }
    };

    /**
     * Merge a received row: it is kept if its (zone, rep) is unknown or its `issued` is larger,
     * and not older than a tombstone.
     *
     * The entry counts as updated at the latest local time its rep can have issued this
     * version, `issued` + maxClockOffset (at most `now`), not at its arrival: a copy passed
     * around long after its rep stopped issuing (a row published at start-up by an agent that
     * then learned it is no representative), or one that took many hops to arrive, must not
     * look newer than a copy issued after it. With no bound on the clocks (the default) it
     * counts from its arrival.
     * \return true if the table changed.
     */
    bool Merge(const Row& row, int64_t now, int64_t maxClockOffset = kNoClockBound);

    /// No bound on the difference between agents' clocks: arrival time is all we know.
    static constexpr int64_t kNoClockBound = std::numeric_limits<int64_t>::max();
    /// Put a locally computed row (always replaces).
    void Put(const Row& row, int64_t now);
    /**
     * Remove entries whose lastUpdate is older than now - timeout; a tombstone keeps their
     * issued so that a stale copy gossiped back is not accepted again.
     * \return the removed keys.
     */
    std::vector<Key> Expire(int64_t now, int64_t timeout);
    /// Forget tombstones older than now - keep.
    void PurgeTombstones(int64_t now, int64_t keep);
    /// Give back the spare capacity of a table that shrank (e.g. after the start-up copies are
    /// dropped): the flat containers keep their largest size otherwise.
    void Compact();
    void Remove(const Key& k);
    /// True if k was removed as failed and `issued` is not newer than its last copy.
    bool IsDead(const Key& k, int64_t issued) const;

    const Entry* Find(const Key& k) const;
    /// Sorted by (zone, rep); a flat map: tables are walked several times a round and
    /// searched for every digest entry, and a few hundred entries fit in contiguous memory.
    /// Entry pointers and iterators are valid only until the table changes.
    using Entries = boost::container::flat_map<Key, Entry>;
    const Entries& GetEntries() const;
    /// Distinct child zone ids.
    std::vector<std::string> GetZones() const;
    /**
     * One row per child zone. Among the copies issued by different reps (whose clocks are never
     * compared) it picks the one updated here most recently among the live ones, seen advancing
     * here within `live` before `now`; without a live copy, among all. A copy only heard of may
     * be a former rep's stale row still passed around, and a copy that advanced long ago may be
     * a start-up row of a non-representative, so neither is live.
     */
    std::vector<Row> GetView(int64_t now = 0,
                             int64_t live = std::numeric_limits<int64_t>::max()) const;
    using Item = boost::container::flat_map<Key, Entry>::value_type;
    /// The copies GetView() picks, leaving out the copies issued by `skipRep`, in table order.
    std::vector<const Item*> GetViewItems(int64_t now, int64_t live, const Name& skipRep) const;
    /// The keys of the copies GetView() picks, leaving out the copies issued by `skipRep`.
    std::vector<Key> GetViewKeys(int64_t now = 0,
                                 int64_t live = std::numeric_limits<int64_t>::max(),
                                 const Name& skipRep = Name()) const;
    /**
     * Remove, with a tombstone, every copy not updated here for `grace` while another copy of
     * the same zone was updated more recently: the rows of former representatives, and the
     * rows every agent publishes at start-up before it learns that it is not a representative.
     * \return the removed keys.
     */
    std::vector<Key> ExpireSuperseded(int64_t now, int64_t grace);
    uint32_t GetNZones() const;
    bool HasZone(const Name& zone) const;
    uint32_t GetNEntries() const;
    /// Rows (reps) held for one child zone.
    uint32_t GetNReps(const Name& zone) const;
    /// The latest `issued` among the copies of `zone` (INT64_MIN: none).
    int64_t GetNewestIssued(const Name& zone) const;
    /**
     * Remove the row of `zone` updated least recently here (ties: the smallest rep), except
     * the rep `keep`; no tombstone (the row may come back).
     * \return false if there was nothing to remove
     */
    bool EvictStalest(const Name& zone, const Name& keep);

  private:
    void AddRef(const Name& zone);
    void DropRef(const Name& zone);

    Entries m_entries;
    boost::container::flat_map<Name, uint32_t> m_zoneRefs; //!< zone -> entries (reps)
    /// key -> (issued, when removed)
    boost::container::flat_map<Key, std::pair<int64_t, int64_t>> m_tombstones;
};

} // namespace astrolabe
} // namespace ns3

#endif /* ASTROLABE_TABLE_H */
