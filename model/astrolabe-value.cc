/*
 * SPDX-License-Identifier: GPL-2.0-only
 */
#include "astrolabe-value.h"

#include <algorithm>
#include <cmath>
#include <limits>
#include <set>
#include <sstream>
#include <string_view>
#include <unordered_map>

namespace ns3
{

AstrolabeValue::AstrolabeValue(int64_t v)
    : m_v(v)
{
}

AstrolabeValue::AstrolabeValue(int v)
    : m_v(static_cast<int64_t>(v))
{
}

AstrolabeValue::AstrolabeValue(uint32_t v)
    : m_v(static_cast<int64_t>(v))
{
}

AstrolabeValue::AstrolabeValue(double v)
    : m_v(v)
{
}

AstrolabeValue::AstrolabeValue(bool v)
    : m_v(v)
{
}

AstrolabeValue::AstrolabeValue(const std::string& v)
    : m_v(v)
{
}

AstrolabeValue::AstrolabeValue(const char* v)
    : m_v(std::string(v))
{
}

AstrolabeValue::AstrolabeValue(const AstrolabeAddressSet& v)
{
    AstrolabeAddressSet dedup;
    for (const auto& a : v)
    {
        if (std::find(dedup.begin(), dedup.end(), a) == dedup.end())
        {
            dedup.push_back(a);
        }
    }
    m_v = dedup;
}

AstrolabeValue::Type
AstrolabeValue::GetType() const
{
    return static_cast<Type>(m_v.index());
}

bool
AstrolabeValue::IsNull() const
{
    return m_v.index() == NIL;
}

bool
AstrolabeValue::IsNumber() const
{
    return m_v.index() == INT || m_v.index() == DOUBLE;
}

int64_t
AstrolabeValue::GetInt() const
{
    if (m_v.index() == DOUBLE)
    {
        return static_cast<int64_t>(std::get<double>(m_v));
    }
    return m_v.index() == INT ? std::get<int64_t>(m_v) : 0;
}

double
AstrolabeValue::GetDouble() const
{
    if (m_v.index() == INT)
    {
        return static_cast<double>(std::get<int64_t>(m_v));
    }
    return m_v.index() == DOUBLE ? std::get<double>(m_v) : 0.0;
}

bool
AstrolabeValue::GetBool() const
{
    return m_v.index() == BOOL && std::get<bool>(m_v);
}

const std::string&
AstrolabeValue::GetString() const
{
    static const std::string empty;
    return m_v.index() == STRING ? std::get<std::string>(m_v) : empty;
}

const AstrolabeAddressSet&
AstrolabeValue::GetAddresses() const
{
    static const AstrolabeAddressSet empty;
    return m_v.index() == ADDRESSES ? std::get<AstrolabeAddressSet>(m_v) : empty;
}

std::string
AstrolabeValue::TypeName(Type t)
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
AstrolabeValue::ToString() const
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

uint32_t
AstrolabeValue::GetSerializedSize() const
{
    switch (GetType())
    {
    case NIL:
        return 1;
    case INT:
    case DOUBLE:
        return 9;
    case STRING:
        return 3 + GetString().size();
    case BOOL:
        return 2;
    case ADDRESSES:
        return 2 + 4 * GetAddresses().size();
    }
    return 1;
}

bool
AstrolabeValue::operator==(const AstrolabeValue& o) const
{
    return m_v == o.m_v;
}

bool
AstrolabeValue::operator!=(const AstrolabeValue& o) const
{
    return !(m_v == o.m_v);
}

int
AstrolabeValue::Compare(const AstrolabeValue& a, const AstrolabeValue& b)
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

AstrolabeRow::AstrolabeRow(const AstrolabeName& id, const AstrolabeName& rep, int64_t issued)
    : m_id(id),
      m_rep(rep),
      m_issued(issued)
{
}

const std::string&
AstrolabeRow::GetId() const
{
    return m_id.str();
}

const std::string&
AstrolabeRow::GetRep() const
{
    return m_rep.str();
}

const AstrolabeName&
AstrolabeRow::GetIdName() const
{
    return m_id;
}

const AstrolabeName&
AstrolabeRow::GetRepName() const
{
    return m_rep;
}

int64_t
AstrolabeRow::GetIssued() const
{
    return m_issued;
}

void
AstrolabeRow::SetId(const AstrolabeName& id)
{
    m_id = id;
}

void
AstrolabeRow::SetRep(const AstrolabeName& rep)
{
    m_rep = rep;
}

void
AstrolabeRow::SetIssued(int64_t issued)
{
    m_issued = issued;
}

namespace
{
/// The names the row itself looks at, interned once.
struct RowNames
{
    AstrolabeName id{"id"};
    AstrolabeName rep{"rep"};
    AstrolabeName issued{"issued"};
    AstrolabeName nmembers{"nmembers"};
    AstrolabeName contacts{"contacts"};
};

const RowNames&
Names()
{
    static const RowNames* names = new RowNames(); // never destroyed, like the name pool
    return *names;
}
} // namespace

int64_t
AstrolabeRow::GetNMembers() const
{
    const AstrolabeValue* v = Find(Names().nmembers);
    return v && v->IsNumber() ? v->GetInt() : 1;
}

const AstrolabeAddressSet&
AstrolabeRow::GetContacts() const
{
    static const AstrolabeAddressSet none;
    const AstrolabeValue* v = Find(Names().contacts);
    return v && v->GetType() == AstrolabeValue::ADDRESSES ? v->GetAddresses() : none;
}

const AstrolabeValue*
AstrolabeRow::Find(const AstrolabeName& name) const
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

AstrolabeRow::Attributes&
AstrolabeRow::MutableAttributes()
{
    if (!m_attrs)
    {
        m_attrs = std::make_shared<Attributes>();
    }
    else if (m_attrs.use_count() > 1 || AstrolabeAttributePool::IsPooled(m_attrs))
    {
        m_attrs = std::make_shared<Attributes>(*m_attrs);
    }
    return *m_attrs;
}

void
AstrolabeRow::ShareAttributes(std::shared_ptr<Attributes> attrs)
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
    std::weak_ptr<AstrolabeRow::Attributes> attrs;
};

/// wire bytes (viewed in the entry) -> entry
using PoolMap = std::unordered_map<std::string_view, PoolEntry*>;

PoolMap&
Pool()
{
    // never destroyed: rows may be released during static destruction
    static PoolMap* pool = new PoolMap();
    return *pool;
}

/// Deletes a pooled map when its last row lets go, and takes it out of the pool.
struct PoolDeleter
{
    PoolEntry* entry;

    void operator()(AstrolabeRow::Attributes* attrs) const
    {
        Pool().erase(std::string_view(entry->wire));
        delete entry;
        delete attrs;
    }
};
} // namespace

std::shared_ptr<AstrolabeRow::Attributes>
AstrolabeAttributePool::Find(std::string_view wire)
{
    auto it = Pool().find(wire);
    return it == Pool().end() ? nullptr : it->second->attrs.lock();
}

std::shared_ptr<AstrolabeRow::Attributes>
AstrolabeAttributePool::Insert(std::string_view wire, AstrolabeRow::Attributes&& attrs)
{
    auto it = Pool().find(wire);
    if (it != Pool().end())
    {
        if (auto shared = it->second->attrs.lock())
        {
            return shared; // already pooled
        }
    }
    auto* entry = new PoolEntry{std::string(wire), {}};
    std::shared_ptr<AstrolabeRow::Attributes> p(new AstrolabeRow::Attributes(std::move(attrs)),
                                                PoolDeleter{entry});
    entry->attrs = p;
    Pool()[std::string_view(entry->wire)] = entry;
    return p;
}

bool
AstrolabeAttributePool::IsPooled(const std::shared_ptr<AstrolabeRow::Attributes>& attrs)
{
    return std::get_deleter<PoolDeleter>(attrs) != nullptr;
}

size_t
AstrolabeAttributePool::GetSize()
{
    return Pool().size();
}

void
AstrolabeRow::Set(const AstrolabeName& name, const AstrolabeValue& v)
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

AstrolabeValue
AstrolabeRow::Get(const AstrolabeName& name) const
{
    if (name == Names().id)
    {
        return AstrolabeValue(m_id.str());
    }
    if (name == Names().rep)
    {
        return AstrolabeValue(m_rep.str());
    }
    if (name == Names().issued)
    {
        return AstrolabeValue(m_issued);
    }
    const AstrolabeValue* v = Find(name);
    return v ? *v : AstrolabeValue();
}

bool
AstrolabeRow::Has(const AstrolabeName& name) const
{
    return IsKeyAttribute(name) || Find(name) != nullptr;
}

void
AstrolabeRow::Erase(const AstrolabeName& name)
{
    if (Find(name))
    {
        MutableAttributes().erase(name);
    }
}

const AstrolabeRow::Attributes&
AstrolabeRow::GetAttributes() const
{
    static const Attributes none;
    return m_attrs ? *m_attrs : none;
}

bool
AstrolabeRow::SameContent(const AstrolabeRow& o) const
{
    return m_id == o.m_id && m_rep == o.m_rep &&
           (m_attrs == o.m_attrs || GetAttributes() == o.GetAttributes());
}

uint32_t
AstrolabeRow::GetSerializedSize() const
{
    uint32_t s = 2 + m_id.size() + 2 + m_rep.size() + 8 + 1;
    for (const auto& kv : GetAttributes())
    {
        s += 1 + kv.first.size() + kv.second.GetSerializedSize();
    }
    return s;
}

std::string
AstrolabeRow::ToString() const
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
AstrolabeRow::IsKeyAttribute(const std::string& name)
{
    return name == "id" || name == "rep" || name == "issued";
}

bool
AstrolabeRow::IsSystemAttribute(const std::string& name)
{
    return IsKeyAttribute(name) || name == "nmembers" || name == "contacts" || name == "servers" ||
           name == "depth";
}

bool
AstrolabeRow::IsNewer(const AstrolabeRow& incoming, const AstrolabeRow& current)
{
    return incoming.m_id == current.m_id && incoming.m_rep == current.m_rep &&
           incoming.m_issued > current.m_issued;
}

// ---------------------------------------------------------------- table

bool
AstrolabeTable::Merge(const AstrolabeRow& row, int64_t now)
{
    Key k{row.GetIdName(), row.GetRepName()};
    auto tomb = m_tombstones.find(k);
    if (tomb != m_tombstones.end())
    {
        if (row.GetIssued() <= tomb->second.first)
        {
            return false; // a stale copy of a row we declared failed
        }
        m_tombstones.erase(tomb);
    }
    auto it = m_entries.find(k);
    if (it == m_entries.end())
    {
        m_entries.emplace(k, Entry{row, now});
        AddRef(k.first);
        return true;
    }
    if (!AstrolabeRow::IsNewer(row, it->second.row))
    {
        return false;
    }
    it->second.row = row;
    it->second.lastUpdate = now;
    it->second.advanced = true;
    return true;
}

void
AstrolabeTable::Put(const AstrolabeRow& row, int64_t now)
{
    Key k{row.GetIdName(), row.GetRepName()};
    m_tombstones.erase(k);
    auto it = m_entries.find(k);
    if (it == m_entries.end())
    {
        m_entries.emplace(k, Entry{row, now, true});
        AddRef(k.first);
    }
    else
    {
        it->second = Entry{row, now, true};
    }
}

void
AstrolabeTable::AddRef(const AstrolabeName& zone)
{
    ++m_zoneRefs[zone];
}

void
AstrolabeTable::DropRef(const AstrolabeName& zone)
{
    auto it = m_zoneRefs.find(zone);
    if (it != m_zoneRefs.end() && --it->second == 0)
    {
        m_zoneRefs.erase(it);
    }
}

bool
AstrolabeTable::HasZone(const AstrolabeName& zone) const
{
    return m_zoneRefs.count(zone) > 0;
}

std::vector<AstrolabeTable::Key>
AstrolabeTable::Expire(int64_t now, int64_t timeout)
{
    std::vector<Key> removed;
    for (auto it = m_entries.begin(); it != m_entries.end();)
    {
        if (now - it->second.lastUpdate > timeout)
        {
            removed.push_back(it->first);
            m_tombstones[it->first] = {it->second.row.GetIssued(), now};
            DropRef(it->first.first);
            it = m_entries.erase(it);
        }
        else
        {
            ++it;
        }
    }
    return removed;
}

void
AstrolabeTable::PurgeTombstones(int64_t now, int64_t keep)
{
    for (auto it = m_tombstones.begin(); it != m_tombstones.end();)
    {
        it = (now - it->second.second > keep) ? m_tombstones.erase(it) : std::next(it);
    }
}

void
AstrolabeTable::Compact()
{
    auto compact = [](auto& c) {
        if (c.capacity() > 2 * c.size() + 8)
        {
            c.shrink_to_fit();
        }
    };
    compact(m_entries);
    compact(m_tombstones);
    compact(m_zoneRefs);
}

void
AstrolabeTable::Remove(const Key& k)
{
    if (m_entries.erase(k) > 0)
    {
        DropRef(k.first);
    }
}

bool
AstrolabeTable::IsDead(const Key& k, int64_t issued) const
{
    auto it = m_tombstones.find(k);
    return it != m_tombstones.end() && issued <= it->second.first;
}

const AstrolabeTable::Entry*
AstrolabeTable::Find(const Key& k) const
{
    auto it = m_entries.find(k);
    return it == m_entries.end() ? nullptr : &it->second;
}

const AstrolabeTable::Entries&
AstrolabeTable::GetEntries() const
{
    return m_entries;
}

std::vector<std::string>
AstrolabeTable::GetZones() const
{
    std::vector<std::string> zones;
    for (const auto& kv : m_zoneRefs)
    {
        zones.push_back(kv.first);
    }
    return zones;
}

std::vector<AstrolabeTable::Key>
AstrolabeTable::GetViewKeys(int64_t now, int64_t live, const AstrolabeName& skipRep) const
{
    std::vector<Key> keys;
    for (const Item* item : GetViewItems(now, live, skipRep))
    {
        keys.push_back(item->first);
    }
    return keys;
}

std::vector<const AstrolabeTable::Item*>
AstrolabeTable::GetViewItems(int64_t now, int64_t live, const AstrolabeName& skipRep) const
{
    std::vector<const Item*> keys;
    const Item* best = nullptr;
    for (const auto& kv : m_entries)
    {
        if (best && best->first.first != kv.first.first)
        {
            keys.push_back(best);
            best = nullptr;
        }
        if (kv.first.second == skipRep && !skipRep.empty())
        {
            continue;
        }
        const Entry& e = kv.second;
        bool eLive = e.IsLive(now, live);
        bool bestLive = best && best->second.IsLive(now, live);
        // Live copies first; among them (or, without a live copy, among all) the one updated
        // here most recently. Ties: rep name (map order).
        if (!best || (eLive && !bestLive) ||
            (eLive == bestLive && e.lastUpdate > best->second.lastUpdate))
        {
            best = &kv;
        }
    }
    if (best)
    {
        keys.push_back(best);
    }
    return keys;
}

std::vector<AstrolabeRow>
AstrolabeTable::GetView(int64_t now, int64_t live) const
{
    std::vector<AstrolabeRow> view;
    for (const auto& k : GetViewKeys(now, live))
    {
        view.push_back(m_entries.at(k).row);
    }
    return view;
}

std::vector<AstrolabeTable::Key>
AstrolabeTable::ExpireSuperseded(int64_t now, int64_t grace)
{
    std::vector<Key> removed;
    size_t i = 0;
    while (i < m_entries.size())
    {
        // the copies of one zone are adjacent: [i, end)
        const AstrolabeName zone = m_entries.nth(i)->first.first;
        size_t end = i;
        int64_t newest = std::numeric_limits<int64_t>::min();
        while (end < m_entries.size() && m_entries.nth(end)->first.first == zone)
        {
            newest = std::max(newest, m_entries.nth(end)->second.lastUpdate);
            ++end;
        }
        while (i < end)
        {
            auto it = m_entries.nth(i);
            if (now - it->second.lastUpdate > grace && it->second.lastUpdate < newest)
            {
                removed.push_back(it->first);
                m_tombstones[it->first] = {it->second.row.GetIssued(), now};
                DropRef(zone);
                m_entries.erase(it);
                --end;
            }
            else
            {
                ++i;
            }
        }
    }
    return removed;
}

uint32_t
AstrolabeTable::GetNZones() const
{
    return m_zoneRefs.size();
}

uint32_t
AstrolabeTable::GetNEntries() const
{
    return m_entries.size();
}

uint32_t
AstrolabeTable::GetNReps(const AstrolabeName& zone) const
{
    auto it = m_zoneRefs.find(zone);
    return it == m_zoneRefs.end() ? 0 : it->second;
}

bool
AstrolabeTable::EvictStalest(const AstrolabeName& zone, const AstrolabeName& keep)
{
    auto victim = m_entries.end();
    for (auto it = m_entries.lower_bound(Key{zone, AstrolabeName()});
         it != m_entries.end() && it->first.first == zone;
         ++it)
    {
        if (it->first.second != keep &&
            (victim == m_entries.end() || it->second.lastUpdate < victim->second.lastUpdate))
        {
            victim = it;
        }
    }
    if (victim == m_entries.end())
    {
        return false;
    }
    Key k = victim->first; // a copy: Remove erases the entry that holds the key
    Remove(k);
    return true;
}

namespace astrolabe
{
std::vector<std::string>
SplitPath(const std::string& path)
{
    std::vector<std::string> parts;
    std::string cur;
    for (char c : path)
    {
        if (c == '/')
        {
            if (!cur.empty())
            {
                parts.push_back(cur);
            }
            cur.clear();
        }
        else
        {
            cur += c;
        }
    }
    if (!cur.empty())
    {
        parts.push_back(cur);
    }
    return parts;
}

size_t
PathDepth(const std::string& path)
{
    size_t n = 0;
    for (size_t i = 0; i < path.size(); ++i)
    {
        n += path[i] != '/' && (i == 0 || path[i - 1] == '/');
    }
    return n;
}

bool
PathPrefixIs(const std::string& path, size_t depth, const std::string& text)
{
    if (depth == 0)
    {
        return text == "/";
    }
    // walk the first `depth` non-empty components, matching "/" + component against text
    size_t pos = 0;
    size_t i = 0;
    for (size_t part = 0; part < depth; ++part)
    {
        while (i < path.size() && path[i] == '/')
        {
            ++i;
        }
        if (i == path.size() || pos == text.size() || text[pos] != '/')
        {
            return false;
        }
        ++pos;
        while (i < path.size() && path[i] != '/')
        {
            if (pos == text.size() || text[pos] != path[i])
            {
                return false;
            }
            ++pos;
            ++i;
        }
    }
    return pos == text.size();
}

std::string
PathPrefix(const std::vector<std::string>& parts, uint32_t depth)
{
    if (depth == 0)
    {
        return "/";
    }
    std::string p;
    for (uint32_t i = 0; i < depth && i < parts.size(); ++i)
    {
        p += "/" + parts[i];
    }
    return p;
}

std::string
ShortName(const std::string& path)
{
    auto parts = SplitPath(path);
    return parts.empty() ? "/" : parts.back();
}

std::string
ValidatePath(const std::string& path)
{
    if (path.empty() || path[0] != '/')
    {
        return "zone path '" + path + "' must start with '/'";
    }
    if (path.size() > 1 && path.back() == '/')
    {
        return "zone path '" + path + "' must not end with '/'";
    }
    for (size_t i = 0; i < path.size(); ++i)
    {
        char c = path[i];
        if (c == '/' && i + 1 < path.size() && path[i + 1] == '/')
        {
            return "zone path '" + path + "' has an empty component";
        }
        if (!(std::isalnum(static_cast<unsigned char>(c)) || c == '/' || c == '_' || c == '-' ||
              c == '.'))
        {
            return "zone path '" + path + "' has character '" + std::string(1, c) +
                   "'; allowed: letters, digits, _ . -";
        }
    }
    if (SplitPath(path).empty())
    {
        return "zone path '" + path + "' names the root, not a host";
    }
    return "";
}
} // namespace astrolabe

} // namespace ns3
