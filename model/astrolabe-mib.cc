/*
 * SPDX-License-Identifier: GPL-2.0-only
 */
#include "astrolabe-mib.h"

#include "astrolabe-path.h"

#include "ns3/log.h"

#include <algorithm>
#include <utility>

namespace ns3
{

NS_LOG_COMPONENT_DEFINE("AstrolabeMib");

namespace astrolabe
{

void
Mib::SetPath(const std::string& path)
{
    m_path = path;
    m_parts = SplitPath(path);
    m_prefix.clear();
    for (uint32_t d = 0; d <= m_parts.size(); ++d)
    {
        m_prefix.push_back(PathPrefix(m_parts, d));
    }
    m_contactOf.assign(m_parts.size(), false);
    m_tables.assign(m_parts.size(), Table());
    m_own.SetId(path);
    m_own.SetRep(path);
}

void
Mib::SetAddress(Ipv4Address address)
{
    m_address = address;
}

const Name&
Mib::GetPath() const
{
    return m_path;
}

uint32_t
Mib::GetNLevels() const
{
    return m_parts.size();
}

const Name&
Mib::GetZone(uint32_t depth) const
{
    return m_prefix[depth];
}

std::vector<std::string>
Mib::GetAncestors() const
{
    std::vector<std::string> a;
    for (uint32_t l = 0; l < m_parts.size(); ++l)
    {
        a.push_back(m_prefix[l]);
    }
    return a;
}

int
Mib::LevelOfZone(const std::string& zone) const
{
    for (uint32_t l = 0; l < m_parts.size(); ++l)
    {
        if (m_prefix[l] == zone)
        {
            return static_cast<int>(l);
        }
    }
    return -1;
}

const Table&
Mib::GetTable(uint32_t level) const
{
    return m_tables[level];
}

Row&
Mib::GetOwnRow()
{
    return m_own;
}

const Row&
Mib::GetOwnRow() const
{
    return m_own;
}

const Row*
Mib::FindComputedRow(const std::string& zone) const
{
    auto it = m_zoneRows.find(zone);
    return it == m_zoneRows.end() ? nullptr : &it->second;
}

std::vector<const Row*>
Mib::ZoneView(uint32_t level, int64_t now, int64_t live) const
{
    const Table& table = m_tables[level];
    std::vector<const Row*> view;
    // our own child zone: always our own freshest computation
    const Name& own = m_prefix[level + 1];
    const Table::Entry* mine = table.Find({own, m_path});
    for (const Table::Item* item : table.GetViewItems(now, live, Name()))
    {
        view.push_back(item->first.first == own && mine ? &mine->row : &item->second.row);
    }
    return view;
}

std::vector<Row>
Mib::GetZoneTable(const std::string& zone, int64_t now, int64_t live) const
{
    int l = LevelOfZone(zone);
    if (l < 0)
    {
        return {};
    }
    std::vector<Row> view;
    for (const Row* r : ZoneView(l, now, live))
    {
        view.push_back(*r);
    }
    return view;
}

bool
Mib::GetZoneRow(const std::string& zone, Row& row, int64_t now, int64_t live) const
{
    auto it = m_zoneRows.find(zone);
    if (it != m_zoneRows.end())
    {
        row = it->second;
        return true;
    }
    if (zone == m_path)
    {
        row = m_own;
        return true;
    }
    auto parts = SplitPath(zone);
    if (parts.empty())
    {
        return false;
    }
    for (const auto& r : GetZoneTable(PathPrefix(parts, parts.size() - 1), now, live))
    {
        if (r.GetId() == zone)
        {
            row = r;
            return true;
        }
    }
    return false;
}

bool
Mib::IsContact(uint32_t level) const
{
    if (level + 1 >= m_parts.size())
    {
        return true; // everybody speaks for its own host zone
    }
    return m_contactOf[level];
}

bool
Mib::ComputeIsContact(uint32_t level) const
{
    auto it = m_zoneRows.find(m_prefix[level + 1]);
    if (it == m_zoneRows.end())
    {
        return false;
    }
    const auto& c = it->second.GetContacts();
    return std::find(c.begin(), c.end(), m_address) != c.end();
}

bool
Mib::Publishable(uint32_t level, const Key& key) const
{
    // our copy of our own zone's row speaks for the zone only if we are its representative
    if (key.second == m_path && key.first != m_path)
    {
        return IsContact(level);
    }
    return true;
}

uint32_t
Mib::GetNReps(const std::string& zone, const std::string& child) const
{
    int l = LevelOfZone(zone);
    return l < 0 || static_cast<size_t>(l) >= m_tables.size() ? 0 : m_tables[l].GetNReps(child);
}

void
Mib::RefreshOwnRow(int64_t now)
{
    m_own.SetIssued(now);
    m_tables.back().Put(m_own, now);
}

void
Mib::ExpireRows(int64_t now, int64_t tfail, int64_t live, const RowSink& expired)
{
    for (uint32_t l = 0; l < m_tables.size(); ++l)
    {
        const Name& zone = m_prefix[l];
        std::map<Key, Row> before;
        for (const auto& kv : m_tables[l].GetEntries())
        {
            if (now - kv.second.lastUpdate > tfail)
            {
                before[kv.first] = kv.second.row;
            }
        }
        for (const auto& k : m_tables[l].Expire(now, tfail))
        {
            NS_LOG_LOGIC(m_path << " expires " << k.first << " rep " << k.second);
            expired(zone, before[k]);
        }
        for (const auto& k : m_tables[l].ExpireSuperseded(now, live))
        {
            NS_LOG_LOGIC(m_path << " drops superseded " << k.first << " rep " << k.second);
        }
        m_tables[l].PurgeTombstones(now, 4 * tfail);
        m_tables[l].Compact();
    }
}

void
Mib::Recompute(int64_t now, int64_t live, const Aggregator& aggregate, const ChangeSink& changed)
{
    for (uint32_t l = m_parts.size(); l-- > 0;)
    {
        Row row = aggregate(m_prefix[l], ZoneView(l, now, live));
        const std::string& zone = row.GetId();
        auto prev = m_zoneRows.find(zone);
        std::vector<std::pair<std::string, Value>> diff;
        for (const auto& kv : row.GetAttributes())
        {
            if (prev == m_zoneRows.end() || prev->second.Get(kv.first) != kv.second)
            {
                diff.emplace_back(kv.first, kv.second);
            }
        }
        if (prev != m_zoneRows.end())
        {
            for (const auto& kv : prev->second.GetAttributes())
            {
                if (!row.Has(kv.first))
                {
                    diff.emplace_back(kv.first, Value());
                }
            }
        }
        m_zoneRows[zone] = row;
        if (l + 1 < m_parts.size())
        {
            m_contactOf[l] = ComputeIsContact(l);
        }
        if (l > 0)
        {
            m_tables[l - 1].Put(row, now);
        }
        for (const auto& [attr, value] : diff)
        {
            changed(zone, attr, value);
        }
    }
}

void
Mib::MergeRows(const std::vector<AstrolabeHeader::RowBlock>& blocks,
               int64_t now,
               uint32_t maxChildren,
               uint32_t maxReps,
               const RowSink& changed,
               int64_t latestIssued,
               int64_t maxClockOffset)
{
    for (const auto& block : blocks)
    {
        int l = LevelOfZone(block.zone);
        if (l < 0)
        {
            continue;
        }
        Table& table = m_tables[l];
        for (const auto& row : block.rows)
        {
            const size_t depth = PathDepth(row.GetId());
            if (depth != static_cast<size_t>(l) + 1 || !PathPrefixIs(row.GetId(), l, block.zone) ||
                row.GetRepName() == m_path || row.GetIssued() > latestIssued ||
                !row.HasProtocolTypes())
            {
                // not a child of this zone, our own row echoed back, from the future, or with
                // a protocol column of the wrong type (it would break the system AFC here)
                continue;
            }
            // Who may speak for a zone: a host only for itself, a zone only through one of its
            // own members. Otherwise anyone could plant rows under any (id, rep).
            if (static_cast<size_t>(l) + 1 == m_parts.size())
            {
                if (row.GetRep() != row.GetId())
                {
                    continue;
                }
            }
            else if (PathDepth(row.GetRep()) <= depth ||
                     !PathPrefixIs(row.GetRep(), depth, row.GetId()))
            {
                continue;
            }
            bool known = table.HasZone(row.GetIdName());
            if (!known && table.GetNZones() >= maxChildren)
            {
                continue; // zone full: the bound on children
            }
            Key key{row.GetIdName(), row.GetRepName()};
            if (known && !table.Find(key) && !table.IsDead(key, row.GetIssued()) &&
                table.GetNReps(row.GetIdName()) >= maxReps)
            {
                // bound the reps per zone: forget the stalest (never our own row)
                table.EvictStalest(row.GetIdName(), m_path);
            }
            if (table.Merge(row, now, maxClockOffset))
            {
                changed(block.zone, row);
            }
        }
    }
}

} // namespace astrolabe
} // namespace ns3
