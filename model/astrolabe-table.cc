/*
 * SPDX-License-Identifier: GPL-2.0-only
 */
#include "astrolabe-table.h"

#include <algorithm>
#include <iterator>
#include <limits>

namespace ns3
{
namespace astrolabe
{

bool
Table::Merge(const Row& row, int64_t now, int64_t maxClockOffset)
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
    // the latest local time at which this version can have been issued
    const int64_t issuedBy =
        maxClockOffset != kNoClockBound && row.GetIssued() <= now - maxClockOffset
            ? row.GetIssued() + maxClockOffset
            : now;
    if (it == m_entries.end())
    {
        m_entries.emplace(k, Entry{row, issuedBy});
        AddRef(k.first);
        return true;
    }
    if (!Row::IsNewer(row, it->second.row))
    {
        return false;
    }
    it->second.row = row;
    it->second.lastUpdate = issuedBy;
    it->second.advanced = true;
    return true;
}

void
Table::Put(const Row& row, int64_t now)
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
Table::AddRef(const Name& zone)
{
    ++m_zoneRefs[zone];
}

void
Table::DropRef(const Name& zone)
{
    auto it = m_zoneRefs.find(zone);
    if (it != m_zoneRefs.end() && --it->second == 0)
    {
        m_zoneRefs.erase(it);
    }
}

bool
Table::HasZone(const Name& zone) const
{
    return m_zoneRefs.count(zone) > 0;
}

std::vector<Table::Key>
Table::Expire(int64_t now, int64_t timeout)
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
Table::PurgeTombstones(int64_t now, int64_t keep)
{
    for (auto it = m_tombstones.begin(); it != m_tombstones.end();)
    {
        it = (now - it->second.second > keep) ? m_tombstones.erase(it) : std::next(it);
    }
}

void
Table::Compact()
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
Table::Remove(const Key& k)
{
    if (m_entries.erase(k) > 0)
    {
        DropRef(k.first);
    }
}

bool
Table::IsDead(const Key& k, int64_t issued) const
{
    auto it = m_tombstones.find(k);
    return it != m_tombstones.end() && issued <= it->second.first;
}

const Table::Entry*
Table::Find(const Key& k) const
{
    auto it = m_entries.find(k);
    return it == m_entries.end() ? nullptr : &it->second;
}

const Table::Entries&
Table::GetEntries() const
{
    return m_entries;
}

std::vector<std::string>
Table::GetZones() const
{
    std::vector<std::string> zones;
    for (const auto& kv : m_zoneRefs)
    {
        zones.push_back(kv.first);
    }
    return zones;
}

std::vector<Table::Key>
Table::GetViewKeys(int64_t now, int64_t live, const Name& skipRep) const
{
    std::vector<Key> keys;
    for (const Item* item : GetViewItems(now, live, skipRep))
    {
        keys.push_back(item->first);
    }
    return keys;
}

std::vector<const Table::Item*>
Table::GetViewItems(int64_t now, int64_t live, const Name& skipRep) const
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

std::vector<Row>
Table::GetView(int64_t now, int64_t live) const
{
    std::vector<Row> view;
    for (const auto& k : GetViewKeys(now, live))
    {
        view.push_back(m_entries.at(k).row);
    }
    return view;
}

std::vector<Table::Key>
Table::ExpireSuperseded(int64_t now, int64_t grace)
{
    std::vector<Key> removed;
    size_t i = 0;
    while (i < m_entries.size())
    {
        // the copies of one zone are adjacent: [i, end)
        const Name zone = m_entries.nth(i)->first.first;
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
Table::GetNZones() const
{
    return m_zoneRefs.size();
}

uint32_t
Table::GetNEntries() const
{
    return m_entries.size();
}

uint32_t
Table::GetNReps(const Name& zone) const
{
    auto it = m_zoneRefs.find(zone);
    return it == m_zoneRefs.end() ? 0 : it->second;
}

int64_t
Table::GetNewestIssued(const Name& zone) const
{
    int64_t newest = std::numeric_limits<int64_t>::min();
    for (auto it = m_entries.lower_bound(Key{zone, Name()});
         it != m_entries.end() && it->first.first == zone;
         ++it)
    {
        newest = std::max(newest, it->second.row.GetIssued());
    }
    return newest;
}

bool
Table::EvictStalest(const Name& zone, const Name& keep)
{
    auto victim = m_entries.end();
    for (auto it = m_entries.lower_bound(Key{zone, Name()});
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

} // namespace astrolabe
} // namespace ns3
