/*
 * SPDX-License-Identifier: GPL-2.0-only
 */
#include "astrolabe-value.h"

#include "astrolabe-intern-index.h"

#include <algorithm>
#include <cmath>
#include <limits>
#include <set>
#include <sstream>
#include <string_view>

namespace ns3
{
namespace astrolabe
{

Value::Value(int64_t v)
    : m_v(v)
{
}

Value::Value(int v)
    : m_v(static_cast<int64_t>(v))
{
}

Value::Value(uint32_t v)
    : m_v(static_cast<int64_t>(v))
{
}

Value::Value(double v)
{
    // NaN (e.g. inf - inf in an AFC) is a missing value: the wire refuses NaN, and a row that
    // carried one would get its whole datagram dropped.
    if (!std::isnan(v))
    {
        m_v = v;
    }
}

Value::Value(bool v)
    : m_v(v)
{
}

Value::Value(const std::string& v)
    : m_v(v)
{
}

Value::Value(const char* v)
    : m_v(std::string(v))
{
}

Value::Value(const AddressSet& v)
{
    AddressSet dedup;
    for (const auto& a : v)
    {
        if (std::find(dedup.begin(), dedup.end(), a) == dedup.end())
        {
            dedup.push_back(a);
        }
    }
    m_v = dedup;
}

Value::Type
Value::GetType() const
{
    return static_cast<Type>(m_v.index());
}

bool
Value::IsNull() const
{
    return m_v.index() == NIL;
}

bool
Value::IsNumber() const
{
    return m_v.index() == INT || m_v.index() == DOUBLE;
}

int64_t
Value::GetInt() const
{
    if (m_v.index() == DOUBLE)
    {
        // Saturate: converting a double outside int64_t's range is undefined behaviour.
        const double d = std::get<double>(m_v);
        if (std::isnan(d))
        {
            return 0;
        }
        if (d >= 9223372036854775807.0)
        {
            return INT64_MAX;
        }
        if (d <= -9223372036854775808.0)
        {
            return INT64_MIN;
        }
        return static_cast<int64_t>(d);
    }
    return m_v.index() == INT ? std::get<int64_t>(m_v) : 0;
}

double
Value::GetDouble() const
{
    if (m_v.index() == INT)
    {
        return static_cast<double>(std::get<int64_t>(m_v));
    }
    return m_v.index() == DOUBLE ? std::get<double>(m_v) : 0.0;
}

bool
Value::GetBool() const
{
    return m_v.index() == BOOL && std::get<bool>(m_v);
}

const std::string&
Value::GetString() const
{
    static const std::string empty;
    return m_v.index() == STRING ? std::get<std::string>(m_v) : empty;
}

const AddressSet&
Value::GetAddresses() const
{
    static const AddressSet empty;
    return m_v.index() == ADDRESSES ? std::get<AddressSet>(m_v) : empty;
}

std::string
Value::TypeName(Type t)
{
    switch (t)
    {
    case NIL:
        return "null";
    case INT:
        return "int";
    case DOUBLE:
        return "double";
    case STRING:
        return "string";
    case BOOL:
        return "bool";
    case ADDRESSES:
        return "addresses";
    }
    return "?";
}

std::string
Value::ToString() const
{
    std::ostringstream os;
    switch (GetType())
    {
    case NIL:
        os << "null";
        break;
    case INT:
        os << GetInt();
        break;
    case DOUBLE:
        os << GetDouble();
        break;
    case STRING:
        os << "'" << GetString() << "'";
        break;
    case BOOL:
        os << (GetBool() ? "true" : "false");
        break;
    case ADDRESSES: {
        os << "{";
        bool first = true;
        for (const auto& a : GetAddresses())
        {
            os << (first ? "" : ",") << a;
            first = false;
        }
        os << "}";
        break;
    }
    }
    return os.str();
}

bool
Value::operator==(const Value& o) const
{
    return m_v == o.m_v;
}

bool
Value::operator!=(const Value& o) const
{
    return !(m_v == o.m_v);
}

int
Value::Compare(const Value& a, const Value& b)
{
    if (a.IsNull() || b.IsNull())
    {
        return (a.IsNull() ? 1 : 0) - (b.IsNull() ? 1 : 0);
    }
    if (a.IsNumber() && b.IsNumber())
    {
        if (a.GetType() == INT && b.GetType() == INT)
        {
            return a.GetInt() < b.GetInt() ? -1 : (a.GetInt() > b.GetInt() ? 1 : 0);
        }
        double x = a.GetDouble();
        double y = b.GetDouble();
        return x < y ? -1 : (x > y ? 1 : 0);
    }
    if (a.GetType() != b.GetType())
    {
        return a.GetType() < b.GetType() ? -1 : 1;
    }
    switch (a.GetType())
    {
    case STRING:
        return a.GetString().compare(b.GetString()) < 0 ? -1
                                                        : (a.GetString() == b.GetString() ? 0 : 1);
    case BOOL:
        return static_cast<int>(a.GetBool()) - static_cast<int>(b.GetBool());
    case ADDRESSES: {
        const auto& x = a.GetAddresses();
        const auto& y = b.GetAddresses();
        if (x.size() != y.size())
        {
            return x.size() < y.size() ? -1 : 1;
        }
        for (size_t i = 0; i < x.size(); ++i)
        {
            if (x[i] != y[i])
            {
                return x[i] < y[i] ? -1 : 1;
            }
        }
        return 0;
    }
    default:
        return 0;
    }
}

// ---------------------------------------------------------------- row

Row::Row(const Name& id, const Name& rep, int64_t issued)
    : m_id(id),
      m_rep(rep),
      m_issued(issued)
{
}

const std::string&
Row::GetId() const
{
    return m_id.str();
}

const std::string&
Row::GetRep() const
{
    return m_rep.str();
}

const Name&
Row::GetIdName() const
{
    return m_id;
}

const Name&
Row::GetRepName() const
{
    return m_rep;
}

int64_t
Row::GetIssued() const
{
    return m_issued;
}

void
Row::SetId(const Name& id)
{
    m_id = id;
}

void
Row::SetRep(const Name& rep)
{
    m_rep = rep;
}

void
Row::SetIssued(int64_t issued)
{
    m_issued = issued;
}

namespace
{
/// The names the row itself looks at, interned once.
struct RowNames
{
    Name id{"id"};
    Name rep{"rep"};
    Name issued{"issued"};
    Name nmembers{"nmembers"};
    Name contacts{"contacts"};
    Name servers{"servers"};
    Name depth{"depth"};
    Name load{"load"};
};

const RowNames&
Names()
{
    static const RowNames* names = new RowNames(); // never destroyed, like the name pool
    return *names;
}
} // namespace

int64_t
Row::GetNMembers() const
{
    const Value* v = Find(Names().nmembers);
    return v && v->IsNumber() ? v->GetInt() : 1;
}

const AddressSet&
Row::GetContacts() const
{
    static const AddressSet none;
    const Value* v = Find(Names().contacts);
    return v && v->GetType() == Value::ADDRESSES ? v->GetAddresses() : none;
}

bool
Row::HasProtocolType(const Name& name, const Value& v)
{
    if (v.IsNull())
    {
        return true;
    }
    const RowNames& n = Names();
    if (name == n.nmembers || name == n.depth)
    {
        return v.GetType() == Value::INT;
    }
    if (name == n.contacts || name == n.servers)
    {
        return v.GetType() == Value::ADDRESSES;
    }
    if (name == n.load)
    {
        return v.IsNumber();
    }
    return true;
}

bool
Row::HasProtocolTypes() const
{
    if (!m_attrs)
    {
        return true;
    }
    for (const auto& kv : *m_attrs)
    {
        if (!HasProtocolType(kv.first, kv.second))
        {
            return false;
        }
    }
    return true;
}

const Value*
Row::Find(const Name& name) const
{
    if (!m_attrs)
    {
        return nullptr;
    }
    // a handful of attributes: a scan comparing identities beats a search comparing text
    for (const auto& kv : *m_attrs)
    {
        if (kv.first == name)
        {
            return &kv.second;
        }
    }
    return nullptr;
}

Row::Attributes&
Row::MutableAttributes()
{
    if (!m_attrs)
    {
        m_attrs = std::make_shared<Attributes>();
    }
    else if (m_attrs.use_count() > 1 || AttributePool::IsPooled(m_attrs))
    {
        m_attrs = std::make_shared<Attributes>(*m_attrs);
    }
    return *m_attrs;
}

void
Row::ShareAttributes(std::shared_ptr<Attributes> attrs)
{
    m_attrs = std::move(attrs);
}

// ---------------------------------------------------------------- attribute pool

namespace
{
/// One pooled map: the rows that share it own it, the pool only watches.
struct PoolEntry
{
    std::string wire;
    std::weak_ptr<Row::Attributes> attrs;
};

struct WireOf
{
    std::string_view operator()(const PoolEntry& e) const
    {
        return e.wire;
    }
};

/// wire bytes -> entry
using PoolIndex = InternIndex<PoolEntry, WireOf>;

PoolIndex&
Pool()
{
    // never destroyed: rows may be released during static destruction
    static PoolIndex* pool = new PoolIndex();
    return *pool;
}

/// Deletes a pooled map when its last row lets go, and takes it out of the pool.
struct PoolDeleter
{
    PoolEntry* entry;

    void operator()(Row::Attributes* attrs) const
    {
        Pool().Erase(entry, PoolIndex::Hash(entry->wire));
        delete entry;
        delete attrs;
    }
};
} // namespace

std::shared_ptr<Row::Attributes>
AttributePool::Find(std::string_view wire)
{
    PoolEntry* e = Pool().Find(wire, PoolIndex::Hash(wire));
    return e == nullptr ? nullptr : e->attrs.lock();
}

std::shared_ptr<Row::Attributes>
AttributePool::Insert(std::string_view wire, Row::Attributes&& attrs)
{
    const size_t hash = PoolIndex::Hash(wire);
    // An entry's map is alive while it is indexed: its deleter takes it out first.
    if (PoolEntry* pooled = Pool().Find(wire, hash))
    {
        return pooled->attrs.lock(); // already pooled
    }
    auto* entry = new PoolEntry{std::string(wire), {}};
    std::shared_ptr<Row::Attributes> p(new Row::Attributes(std::move(attrs)), PoolDeleter{entry});
    entry->attrs = p;
    Pool().Insert(entry, hash);
    return p;
}

bool
AttributePool::IsPooled(const std::shared_ptr<Row::Attributes>& attrs)
{
    return std::get_deleter<PoolDeleter>(attrs) != nullptr;
}

size_t
AttributePool::GetSize()
{
    return Pool().size();
}

void
Row::Set(const Name& name, const Value& v)
{
    if (name == Names().id)
    {
        m_id = v.GetString();
    }
    else if (name == Names().rep)
    {
        m_rep = v.GetString();
    }
    else if (name == Names().issued)
    {
        m_issued = v.GetInt();
    }
    else
    {
        MutableAttributes()[name] = v;
    }
}

Value
Row::Get(const Name& name) const
{
    if (name == Names().id)
    {
        return Value(m_id.str());
    }
    if (name == Names().rep)
    {
        return Value(m_rep.str());
    }
    if (name == Names().issued)
    {
        return Value(m_issued);
    }
    const Value* v = Find(name);
    return v ? *v : Value();
}

bool
Row::Has(const Name& name) const
{
    return IsKeyAttribute(name) || Find(name) != nullptr;
}

void
Row::Erase(const Name& name)
{
    if (Find(name))
    {
        MutableAttributes().erase(name);
    }
}

const Row::Attributes&
Row::GetAttributes() const
{
    static const Attributes none;
    return m_attrs ? *m_attrs : none;
}

bool
Row::SameContent(const Row& o) const
{
    return m_id == o.m_id && m_rep == o.m_rep &&
           (m_attrs == o.m_attrs || GetAttributes() == o.GetAttributes());
}

bool
Row::operator==(const Row& o) const
{
    return m_issued == o.m_issued && SameContent(o);
}

bool
Row::operator!=(const Row& o) const
{
    return !(*this == o);
}

std::string
Row::ToString() const
{
    std::ostringstream os;
    os << "[" << m_id << " rep=" << m_rep << " issued=" << m_issued;
    for (const auto& kv : GetAttributes())
    {
        os << " " << kv.first << "=" << kv.second.ToString();
    }
    os << "]";
    return os.str();
}

bool
Row::IsKeyAttribute(const std::string& name)
{
    return name == "id" || name == "rep" || name == "issued";
}

bool
Row::IsSystemAttribute(const std::string& name)
{
    return IsKeyAttribute(name) || name == "nmembers" || name == "contacts" || name == "servers" ||
           name == "depth";
}

bool
Row::IsNewer(const Row& incoming, const Row& current)
{
    return incoming.m_id == current.m_id && incoming.m_rep == current.m_rep &&
           incoming.m_issued > current.m_issued;
}

} // namespace astrolabe
} // namespace ns3
