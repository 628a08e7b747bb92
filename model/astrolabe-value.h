/*
 * SPDX-License-Identifier: GPL-2.0-only
 */
#ifndef ASTROLABE_VALUE_H
#define ASTROLABE_VALUE_H

#include "astrolabe-name.h"

#include "ns3/ipv4-address.h"

#include <boost/container/flat_map.hpp>
#include <cstdint>
#include <map>
#include <memory>
#include <string>
#include <string_view>
#include <variant>
#include <vector>

namespace ns3
{
namespace astrolabe
{

/**
 * \ingroup gossip
 * \brief An ordered set of agent addresses (e.g. a zone's `contacts`): insertion order is kept
 * because FIRST(n, contacts) takes the first n, and duplicates are dropped.
 */
using AddressSet = std::vector<Ipv4Address>;

/**
 * \ingroup gossip
 * \brief A typed MIB attribute value: null, int, double, string, bool or a set of addresses.
 */
class Value
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

    Value() = default;
    Value(int64_t v);
    Value(int v);
    Value(uint32_t v);
    Value(double v); //!< NaN gives the missing value
    Value(bool v);
    Value(const std::string& v);
    Value(const char* v);
    Value(const AddressSet& v);

    Type GetType() const;
    bool IsNull() const;
    bool IsNumber() const; //!< INT or DOUBLE
    int64_t GetInt() const;
    double GetDouble() const; //!< INT converted to double
    bool GetBool() const;
    const std::string& GetString() const;
    const AddressSet& GetAddresses() const;

    /// Name of a type for error messages ("int", "double", ...).
    static std::string TypeName(Type t);
    /// Readable form: 3, 2.5, 'abc', true, {10.0.0.1,10.0.0.2}, null.
    std::string ToString() const;

    bool operator==(const Value& o) const;
    bool operator!=(const Value& o) const;

    /**
     * Total order used by MIN/MAX and ORDER BY: numbers by value (int and double compare
     * numerically), then by type for mixed types; null sorts last.
     * \return <0, 0, >0
     */
    static int Compare(const Value& a, const Value& b);

  private:
    std::variant<std::monostate, int64_t, double, std::string, bool, AddressSet> m_v;
};

/**
 * \ingroup gossip
 * \brief One MIB row: the attributes of one zone, as issued by one representative.
 *
 * Standard attributes (the paper's): `id` (zone path), `rep` (the agent that issued this copy),
 * `issued` (that agent's clock, microseconds), `contacts`, `servers`, `nmembers`, and `depth`
 * from the system AFC. Everything else is a user attribute.
 */
class Row
{
  public:
    Row() = default;
    Row(const Name& id, const Name& rep, int64_t issued);

    const std::string& GetId() const;
    const std::string& GetRep() const;
    /// The same as interned names (cheap to copy and compare).
    const Name& GetIdName() const;
    const Name& GetRepName() const;
    int64_t GetIssued() const;
    void SetId(const Name& id);
    void SetRep(const Name& rep);
    void SetIssued(int64_t issued);

    /// nmembers, or 1 if absent or not an int (a host row counts itself).
    int64_t GetNMembers() const;
    /// contacts, or an empty set.
    const AddressSet& GetContacts() const;

    void Set(const Name& name, const Value& v);
    /// The value or null.
    Value Get(const Name& name) const;
    /// The stored value of a user or system attribute (not id, rep, issued), or null if absent:
    /// no copy, for the evaluator's inner loops.
    const Value* Find(const Name& name) const;
    bool Has(const Name& name) const;
    void Erase(const Name& name);
    /// User and system attributes other than id, rep and issued, sorted by name.
    using Attributes = boost::container::flat_map<Name, Value>;
    const Attributes& GetAttributes() const;

    /// Same attributes apart from `issued` (used to tell a real change from a refresh).
    bool SameContent(const Row& o) const;
    /// Same key, `issued` and attributes.
    bool operator==(const Row& o) const;
    bool operator!=(const Row& o) const;
    std::string ToString() const;

    /// True for the attribute names that the system maintains (id, rep, issued).
    static bool IsKeyAttribute(const std::string& name);
    /// True for attributes that only the system AFC may produce.
    static bool IsSystemAttribute(const std::string& name);
    /**
     * False if `name` is a column the protocol itself reads and `v` has the wrong type for it:
     * nmembers and depth are ints, contacts and servers address sets, load a number (the
     * election sorts and takes the MIN of it, and one string among numbers would make the
     * system AFC fail at every agent that aggregates the row). Null is always allowed.
     */
    static bool HasProtocolType(const Name& name, const Value& v);
    /// HasProtocolType for every attribute of this row.
    bool HasProtocolTypes() const;

    /**
     * The paper's merge rule for two copies of the same (zone, rep): the larger `issued` wins.
     * Rows of different reps are never compared (clocks are not synchronised).
     * \return true if `incoming` should replace `current`.
     */
    static bool IsNewer(const Row& incoming, const Row& current);

    /**
     * Use `attrs` as this row's attributes. They are shared, and never changed in place: the
     * first Set() or Erase() copies them (copy on write).
     */
    void ShareAttributes(std::shared_ptr<Attributes> attrs);

  private:
    /// The attributes, unshared first if another row or the pool shares them (copy on write).
    Attributes& MutableAttributes();

    Name m_id;
    Name m_rep;
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
class AttributePool
{
  public:
    /// The map decoded earlier from exactly these attribute bytes, or null.
    static std::shared_ptr<Row::Attributes> Find(std::string_view wire);
    /// Pool `attrs`, decoded from `wire`. \return the pooled map.
    static std::shared_ptr<Row::Attributes> Insert(std::string_view wire, Row::Attributes&& attrs);
    /// True if the map is pooled (and so must not be changed in place).
    static bool IsPooled(const std::shared_ptr<Row::Attributes>& attrs);
    /// Distinct maps in the pool.
    static size_t GetSize();
};

} // namespace astrolabe
} // namespace ns3

#endif /* ASTROLABE_VALUE_H */
