/*
 * SPDX-License-Identifier: GPL-2.0-only
 */
#ifndef ASTROLABE_VALUE_H
#define ASTROLABE_VALUE_H

#include "astrolabe-name.h"

#include "ns3/ipv4-address.h"

#include <boost/container/flat_map.hpp>
#include <cstdint>
#include <limits>
#include <map>
#include <memory>
#include <string>
#include <string_view>
#include <variant>
#include <vector>

namespace ns3
{

/**
 * \ingroup gossip
 * \brief An ordered set of agent addresses (e.g. a zone's `contacts`): insertion order is kept
 * because FIRST(n, contacts) takes the first n, and duplicates are dropped.
 */
using AstrolabeAddressSet = std::vector<Ipv4Address>;

/**
 * \ingroup gossip
 * \brief A typed MIB attribute value: null, int, double, string, bool or a set of addresses.
 */
class AstrolabeValue
{
  public:
    /// The types, in wire order.
    enum Type : uint8_t
    {
        NIL = 0,
        INT = 1,
        DOUBLE = 2,
        STRING = 3,
        BOOL = 4,
        ADDRESSES = 5
    };

    AstrolabeValue() = default;
    AstrolabeValue(int64_t v);
    AstrolabeValue(int v);
    AstrolabeValue(uint32_t v);
    AstrolabeValue(double v);
    AstrolabeValue(bool v);
    AstrolabeValue(const std::string& v);
    AstrolabeValue(const char* v);
    AstrolabeValue(const AstrolabeAddressSet& v);

    Type GetType() const;
    bool IsNull() const;
    bool IsNumber() const; //!< INT or DOUBLE
    int64_t GetInt() const;
    double GetDouble() const; //!< INT converted to double
    bool GetBool() const;
    const std::string& GetString() const;
    const AstrolabeAddressSet& GetAddresses() const;

    /// Name of a type for error messages ("int", "double", ...).
    static std::string TypeName(Type t);
    /// Readable form: 3, 2.5, 'abc', true, {10.0.0.1,10.0.0.2}, null.
    std::string ToString() const;
    /// Bytes this value takes on the wire (type byte included).
    uint32_t GetSerializedSize() const;

    bool operator==(const AstrolabeValue& o) const;
    bool operator!=(const AstrolabeValue& o) const;

    /**
     * Total order used by MIN/MAX and ORDER BY: numbers by value (int and double compare
     * numerically), then by type for mixed types; null sorts last.
     * \return <0, 0, >0
     */
    static int Compare(const AstrolabeValue& a, const AstrolabeValue& b);

  private:
    std::variant<std::monostate, int64_t, double, std::string, bool, AstrolabeAddressSet> m_v;
};

/**
 * \ingroup gossip
 * \brief One MIB row: the attributes of one zone, as issued by one representative.
 *
 * Standard attributes (the paper's): `id` (zone path), `rep` (the agent that issued this copy),
 * `issued` (that agent's clock, microseconds), `contacts`, `servers`, `nmembers`, and `depth`
 * from the system AFC. Everything else is a user attribute.
 */
class AstrolabeRow
{
  public:
    AstrolabeRow() = default;
    AstrolabeRow(const AstrolabeName& id, const AstrolabeName& rep, int64_t issued);

    const std::string& GetId() const;
    const std::string& GetRep() const;
    /// The same as interned names (cheap to copy and compare).
    const AstrolabeName& GetIdName() const;
    const AstrolabeName& GetRepName() const;
    int64_t GetIssued() const;
    void SetId(const AstrolabeName& id);
    void SetRep(const AstrolabeName& rep);
    void SetIssued(int64_t issued);

    /// nmembers, or 1 if absent or not an int (a host row counts itself).
    int64_t GetNMembers() const;
    /// contacts, or an empty set.
    const AstrolabeAddressSet& GetContacts() const;

    void Set(const AstrolabeName& name, const AstrolabeValue& v);
    /// The value or null.
    AstrolabeValue Get(const AstrolabeName& name) const;
    /// The stored value of a user or system attribute (not id, rep, issued), or null if absent:
    /// no copy, for the evaluator's inner loops.
    const AstrolabeValue* Find(const AstrolabeName& name) const;
    bool Has(const AstrolabeName& name) const;
    void Erase(const AstrolabeName& name);
    /// User and system attributes other than id, rep and issued, sorted by name.
    using Attributes = boost::container::flat_map<AstrolabeName, AstrolabeValue>;
    const Attributes& GetAttributes() const;

    /// Same attributes apart from `issued` (used to tell a real change from a refresh).
    bool SameContent(const AstrolabeRow& o) const;
    /// Bytes on the wire.
    uint32_t GetSerializedSize() const;
    std::string ToString() const;

    /// True for the attribute names that the system maintains (id, rep, issued).
    static bool IsKeyAttribute(const std::string& name);
    /// True for attributes that only the system AFC may produce.
    static bool IsSystemAttribute(const std::string& name);

    /**
     * The paper's merge rule for two copies of the same (zone, rep): the larger `issued` wins.
     * Rows of different reps are never compared (clocks are not synchronised).
     * \return true if `incoming` should replace `current`.
     */
    static bool IsNewer(const AstrolabeRow& incoming, const AstrolabeRow& current);

    /**
     * Use `attrs` as this row's attributes. They are shared, and never changed in place: the
     * first Set() or Erase() copies them (copy on write).
     */
    void ShareAttributes(std::shared_ptr<Attributes> attrs);

  private:
    /// The attributes, unshared first if another row or the pool shares them (copy on write).
    Attributes& MutableAttributes();

    AstrolabeName m_id;
    AstrolabeName m_rep;
    int64_t m_issued{0};
    /// Shared between copies until one of them changes: rows are copied into views, digests,
    /// replies and AFC inputs many times per round at every agent, and rarely changed. A flat
    /// map: a row has a handful of attributes, and an agent holds hundreds of rows (a tree
    /// node per attribute took about half of an agent's memory).
    std::shared_ptr<Attributes> m_attrs;
};

/**
 * \ingroup gossip
 * \brief Rows decoded from the same attribute bytes share one attribute map (a flyweight).
 *
 * Every agent holds copies of the same rows, received in datagrams: a host row's attributes
 * stay the same for the whole run while its `issued` advances every round, and a zone row's
 * attributes are the same at every agent once the aggregates agree. Sharing one immutable map
 * per distinct wire encoding keeps an agent's tables at a few hundred bytes per row, and
 * decoding a known encoding skips the parse. Only the simulator's memory is shared: every
 * agent still gets each row through its own datagrams. A map leaves the pool when the last row
 * using it lets go. Single-threaded, like the ns-3 simulator.
 */
class AstrolabeAttributePool
{
  public:
    /// The map decoded earlier from exactly these attribute bytes, or null.
    static std::shared_ptr<AstrolabeRow::Attributes> Find(std::string_view wire);
    /// Pool `attrs`, decoded from `wire`. \return the pooled map.
    static std::shared_ptr<AstrolabeRow::Attributes> Insert(std::string_view wire,
                                                            AstrolabeRow::Attributes&& attrs);
    /// True if the map is pooled (and so must not be changed in place).
    static bool IsPooled(const std::shared_ptr<AstrolabeRow::Attributes>& attrs);
    /// Distinct maps in the pool.
    static size_t GetSize();
};

/**
 * \ingroup gossip
 * \brief The table of one zone's child zones, keyed by (child zone, rep), with the local time
 * at which each entry last advanced (for T_fail) and tombstones for removed entries.
 */
class AstrolabeTable
{
  public:
    using Key = std::pair<AstrolabeName, AstrolabeName>; //!< (zone id, rep)

    struct Entry
    {
        AstrolabeRow row;
        int64_t lastUpdate{0}; //!< local time (us) of the last advance of `issued`
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
     * \return true if the table changed.
     */
    bool Merge(const AstrolabeRow& row, int64_t now);
    /// Put a locally computed row (always replaces).
    void Put(const AstrolabeRow& row, int64_t now);
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
    std::vector<AstrolabeRow> GetView(int64_t now = 0,
                                      int64_t live = std::numeric_limits<int64_t>::max()) const;
    using Item = boost::container::flat_map<Key, Entry>::value_type;
    /// The copies GetView() picks, leaving out the copies issued by `skipRep`, in table order.
    std::vector<const Item*> GetViewItems(int64_t now,
                                          int64_t live,
                                          const AstrolabeName& skipRep) const;
    /// The keys of the copies GetView() picks, leaving out the copies issued by `skipRep`.
    std::vector<Key> GetViewKeys(int64_t now = 0,
                                 int64_t live = std::numeric_limits<int64_t>::max(),
                                 const AstrolabeName& skipRep = AstrolabeName()) const;
    /**
     * Remove, with a tombstone, every copy not updated here for `grace` while another copy of
     * the same zone was updated more recently: the rows of former representatives, and the
     * rows every agent publishes at start-up before it learns that it is not a representative.
     * \return the removed keys.
     */
    std::vector<Key> ExpireSuperseded(int64_t now, int64_t grace);
    uint32_t GetNZones() const;
    bool HasZone(const AstrolabeName& zone) const;
    uint32_t GetNEntries() const;
    /// Rows (reps) held for one child zone.
    uint32_t GetNReps(const AstrolabeName& zone) const;
    /**
     * Remove the row of `zone` updated least recently here (ties: the smallest rep), except
     * the rep `keep`; no tombstone (the row may come back).
     * \return false if there was nothing to remove
     */
    bool EvictStalest(const AstrolabeName& zone, const AstrolabeName& keep);

  private:
    void AddRef(const AstrolabeName& zone);
    void DropRef(const AstrolabeName& zone);

    Entries m_entries;
    boost::container::flat_map<AstrolabeName, uint32_t> m_zoneRefs; //!< zone -> entries (reps)
    /// key -> (issued, when removed)
    boost::container::flat_map<Key, std::pair<int64_t, int64_t>> m_tombstones;
};

/// Zone path helpers: "/dc0/rack07/host12".
namespace astrolabe
{
/// Split "/a/b/c" into {"a","b","c"}; "/" gives {}.
std::vector<std::string> SplitPath(const std::string& path);
/// SplitPath(path).size(), without allocating.
size_t PathDepth(const std::string& path);
/// PathPrefix(SplitPath(path), depth) == text, without allocating (path has >= depth parts).
bool PathPrefixIs(const std::string& path, size_t depth, const std::string& text);
/// The first `depth` components as a path ("/" for depth 0).
std::string PathPrefix(const std::vector<std::string>& parts, uint32_t depth);
/// Last component ("host12"), or "/" for the root.
std::string ShortName(const std::string& path);
/// \return empty if valid, else why: must start with '/', no empty component, [A-Za-z0-9_.-].
std::string ValidatePath(const std::string& path);
} // namespace astrolabe

} // namespace ns3

#endif /* ASTROLABE_VALUE_H */
