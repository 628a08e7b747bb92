/*
 * SPDX-License-Identifier: GPL-2.0-only
 */
#ifndef ASTROLABE_MIB_H
#define ASTROLABE_MIB_H

#include "astrolabe-header.h"
#include "astrolabe-table.h"
#include "astrolabe-value.h"

#include "ns3/ipv4-address.h"

#include <cstdint>
#include <functional>
#include <map>
#include <string>
#include <vector>

namespace ns3
{
namespace astrolabe
{

/**
 * \ingroup gossip
 * \brief The MIBs one agent keeps: its own row, and for every ancestor zone of its host the
 * table of that zone's child zones (level l: the children of the ancestor at depth l; the last
 * level holds the host rows of its rack mates), with its own computation of every ancestor's
 * row.
 *
 * The rules, without a simulator: which copy of a zone's row counts (the view), which rows may
 * be merged from a datagram, T_fail and superseded copies, the bottom-up recomputation of the
 * ancestor rows (aggregation itself is passed in: the AFCs), and the representative election it
 * implies (an agent is a contact of its zone while its address is in the zone's `contacts`).
 * Times are the agent's clock in microseconds; `live` is how long a copy counts as live after
 * it last advanced here (SupersededRounds intervals).
 */
class Mib
{
  public:
    using Key = Table::Key;
    /// (table zone, row): a row that changed or expired.
    using RowSink = std::function<void(const std::string&, const Row&)>;
    /// (zone, attribute, new value, null if gone) of a recomputed ancestor row.
    using ChangeSink = std::function<void(const std::string&, const std::string&, const Value&)>;
    /// The row of a zone computed from its child rows (the zone's view).
    using Aggregator = std::function<Row(const Name& zone, const std::vector<const Row*>& rows)>;

    /// Start over for the host at path (not validated here): its own row and empty tables.
    void SetPath(const std::string& path);
    /// The host's own address, which makes it a contact of the zones whose contacts list it.
    void SetAddress(Ipv4Address address);

    const Name& GetPath() const;
    /// Number of tables (the depth of the host's path).
    uint32_t GetNLevels() const;
    /// The ancestor at depth d (0: "/"; GetNLevels(): the host itself).
    const Name& GetZone(uint32_t depth) const;
    /// Ancestor zones, root first ("/", "/dc0", "/dc0/rack07").
    std::vector<std::string> GetAncestors() const;
    /// The level of the table of an ancestor zone, or -1.
    int LevelOfZone(const std::string& zone) const;
    const Table& GetTable(uint32_t level) const;
    Row& GetOwnRow();
    const Row& GetOwnRow() const;
    /// This agent's computation of an ancestor zone's row, or null.
    const Row* FindComputedRow(const std::string& zone) const;

    /// One row per child zone of table `level` (our own computation for our own zone), held in
    /// the table: valid until the table changes.
    std::vector<const Row*> ZoneView(uint32_t level, int64_t now, int64_t live) const;
    /// Copies of ZoneView() for an ancestor zone; empty if it is not one.
    std::vector<Row> GetZoneTable(const std::string& zone, int64_t now, int64_t live) const;
    /// The row of an ancestor zone as computed here, or of a sibling zone as replicated here.
    bool GetZoneRow(const std::string& zone, Row& row, int64_t now, int64_t live) const;
    /// True if this agent is a contact (representative) of its own zone at table level l.
    bool IsContact(uint32_t level) const;
    /// True if the copy `key` of table `level` may be sent: our copy of our own zone's row
    /// speaks for the zone only while we are its representative.
    bool Publishable(uint32_t level, const Key& key) const;
    /// Rows (one per rep) held for child zone `child` in the table of ancestor `zone`.
    uint32_t GetNReps(const std::string& zone, const std::string& child) const;

    /// Issue the own row at now (its `issued`) into the leaf table.
    void RefreshOwnRow(int64_t now);
    /**
     * Drop the rows that have not advanced for tfail (with tombstones; expired(zone, row) for
     * each), then the copies superseded for `live`, then tombstones older than 4 tfail.
     */
    void ExpireRows(int64_t now, int64_t tfail, int64_t live, const RowSink& expired);
    /**
     * Recompute every ancestor's row bottom-up from its zone view and put it into the table
     * above; refresh the contact flags; report each attribute that changed, per level after the
     * level is done.
     */
    void Recompute(int64_t now,
                   int64_t live,
                   const Aggregator& aggregate,
                   const ChangeSink& changed);
    /**
     * Merge the rows of a datagram. Refused: rows of tables we do not share, rows that are not
     * children of their table's zone, our own rows, a host row with rep != id, a zone row whose
     * rep is not a host inside the zone, a new child zone beyond maxChildren. A new rep of a
     * zone beyond maxReps evicts the stalest other copy. Also refused: a row issued after
     * latestIssued (no honest clock is that far ahead; such a row would outrank its rep's real
     * rows for good). changed(zone, row) for every row that changed the table. maxClockOffset
     * bounds how far agents' clocks differ (see Table::Merge).
     */
    void MergeRows(const std::vector<AstrolabeHeader::RowBlock>& blocks,
                   int64_t now,
                   uint32_t maxChildren,
                   uint32_t maxReps,
                   const RowSink& changed,
                   int64_t latestIssued = INT64_MAX,
                   int64_t maxClockOffset = Table::kNoClockBound);

  private:
    bool ComputeIsContact(uint32_t level) const;

    Name m_path; //!< interned: compared with every key in every exchange
    Ipv4Address m_address;
    std::vector<std::string> m_parts;
    std::vector<Name> m_prefix;            //!< m_prefix[d]: the ancestor at depth d (0 = "/")
    std::vector<bool> m_contactOf;         //!< IsContact(l), refreshed by Recompute()
    std::vector<Table> m_tables;           //!< m_tables[l]: children of ancestor l
    std::map<std::string, Row> m_zoneRows; //!< computed rows of ancestors
    Row m_own;
};

} // namespace astrolabe
} // namespace ns3

#endif /* ASTROLABE_MIB_H */
