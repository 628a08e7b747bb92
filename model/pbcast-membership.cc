/*
 * SPDX-License-Identifier: GPL-2.0-only
 */
#include "pbcast-membership.h"

#include <algorithm>

namespace ns3
{
namespace pbcast
{

void
Membership::Configure(GossipSenderId self,
                      uint32_t datacenter,
                      uint32_t partialView,
                      Time failTimeout,
                      Time removeTimeout)
{
    m_self = self;
    m_datacenter = datacenter;
    m_partialView = partialView;
    m_failTimeout = failTimeout;
    m_removeTimeout = removeTimeout;
}

void
Membership::AddSeed(GossipSenderId id, Ipv4Address address, uint32_t datacenter)
{
    m_seeds.push_back({id, address, datacenter});
}

void
Membership::Start(Time now)
{
    m_joined = true;
    for (const auto& s : m_seeds)
    {
        if (s.id != m_self)
        {
            HeardFrom(s.id, s.address, s.datacenter, 0, now);
            m_joined = false;
        }
    }
}

void
Membership::Reset()
{
    m_joined = false;
    m_members.clear();
    m_removed.clear();
    m_liveIds.clear();
    m_liveRemote = 0;
    m_view.clear();
    m_viewDirty = false;
}

bool
Membership::IsJoined() const
{
    return m_joined;
}

void
Membership::SetJoined()
{
    m_joined = true;
}

std::vector<Ipv4Address>
Membership::GetSeedAddresses() const
{
    std::vector<Ipv4Address> out;
    for (const auto& s : m_seeds)
    {
        if (s.id != m_self)
        {
            out.push_back(s.address);
        }
    }
    return out;
}

void
Membership::Merge(const std::vector<MemberEntry>& entries, Time now)
{
    for (const auto& e : entries)
    {
        if (e.id != m_self)
        {
            HeardFrom(e.id, e.address, e.datacenter, e.heartbeat, now);
        }
    }
}

void
Membership::HeardFrom(GossipSenderId id,
                      Ipv4Address address,
                      uint32_t datacenter,
                      uint64_t heartbeat,
                      Time now)
{
    auto it = m_members.find(id);
    if (it == m_members.end())
    {
        auto r = m_removed.find(id);
        if (r != m_removed.end())
        {
            if (heartbeat <= r->second.first)
            {
                return; // stale news of a removed member
            }
            m_removed.erase(r); // it came back
        }
        Member& m = m_members[id];
        m.address = address;
        m.datacenter = datacenter;
        m.heartbeat = heartbeat;
        m.updated = now;
        AddLive(id, m);
        return;
    }
    Member& m = it->second;
    if (heartbeat > m.heartbeat)
    {
        if (m.failed)
        {
            m.failed = false;
            m.datacenter = datacenter;
            AddLive(id, m);
        }
        else if (m.datacenter != datacenter)
        {
            RemoveLive(id, m);
            m.datacenter = datacenter;
            AddLive(id, m);
        }
        m.heartbeat = heartbeat;
        m.updated = now;
        m.address = address;
    }
}

void
Membership::AddLive(GossipSenderId id, const Member& m)
{
    m_liveIds.insert(std::lower_bound(m_liveIds.begin(), m_liveIds.end(), id), id);
    m_liveRemote += m.datacenter != m_datacenter;
}

void
Membership::RemoveLive(GossipSenderId id, const Member& m)
{
    auto it = std::lower_bound(m_liveIds.begin(), m_liveIds.end(), id);
    if (it != m_liveIds.end() && *it == id)
    {
        m_liveIds.erase(it);
        m_liveRemote -= m.datacenter != m_datacenter;
    }
}

std::vector<Membership::FailureEvent>
Membership::CheckFailures(Time now)
{
    std::vector<FailureEvent> events;
    for (auto it = m_members.begin(); it != m_members.end();)
    {
        Member& m = it->second;
        if (!m.failed && now - m.updated > m_failTimeout)
        {
            events.push_back({it->first, false});
            RemoveLive(it->first, m);
            m.failed = true;
            m_viewDirty = true;
        }
        if (m.failed && now - m.updated > m_removeTimeout)
        {
            // Keep membership bounded; a tombstone stops stale samples from reviving it.
            events.push_back({it->first, true});
            m_removed[it->first] = {m.heartbeat, now};
            it = m_members.erase(it);
            m_viewDirty = true;
            continue;
        }
        ++it;
    }
    // Tombstones outlive any stale sample still circulating (members stop gossiping a member
    // once they see it failed), then go too.
    for (auto it = m_removed.begin(); it != m_removed.end();)
    {
        it = (now - it->second.second > m_removeTimeout) ? m_removed.erase(it) : std::next(it);
    }
    return events;
}

const std::vector<GossipSenderId>&
Membership::LiveIds()
{
    // The live list is kept up to date as members come and go; only the partial view is pruned
    // here, lazily, so that a member failed and revived since the last call stays in it.
    if (m_viewDirty)
    {
        m_viewDirty = false;
        if (m_partialView > 0)
        {
            m_view.erase(std::remove_if(m_view.begin(),
                                        m_view.end(),
                                        [this](GossipSenderId v) {
                                            auto it = m_members.find(v);
                                            return it == m_members.end() || it->second.failed;
                                        }),
                         m_view.end());
        }
    }
    return m_liveIds;
}

uint32_t
Membership::GetLiveRemote() const
{
    return m_liveRemote;
}

std::vector<GossipSenderId>
Membership::PickTargets(uint32_t n, const Rng& rng)
{
    const std::vector<GossipSenderId>& live = LiveIds();
    const std::vector<GossipSenderId>* pool = &live;
    if (m_partialView > 0)
    {
        // Top the view up with random live members not in it yet.
        uint32_t want = std::min<uint32_t>(m_partialView, live.size());
        for (uint32_t tries = 0; m_view.size() < want && tries < 4 * want; ++tries)
        {
            GossipSenderId c = live[rng(live.size())];
            if (std::find(m_view.begin(), m_view.end(), c) == m_view.end())
            {
                m_view.push_back(c);
            }
        }
        pool = &m_view;
    }
    std::vector<GossipSenderId> out;
    if (pool->empty())
    {
        return out;
    }
    n = std::min<uint32_t>(n, pool->size());
    while (out.size() < n)
    {
        GossipSenderId c = (*pool)[rng(pool->size())];
        if (std::find(out.begin(), out.end(), c) == out.end())
        {
            out.push_back(c);
        }
    }
    return out;
}

std::vector<GossipSenderId>
Membership::PickEach(uint32_t n, const std::function<double()>& uniform)
{
    const std::vector<GossipSenderId>& live = LiveIds();
    const std::vector<GossipSenderId>& pool = m_partialView > 0 ? m_view : live;
    std::vector<GossipSenderId> out;
    if (pool.empty())
    {
        return out;
    }
    const double p = std::min(1.0, double(n) / pool.size());
    for (GossipSenderId c : pool)
    {
        if (uniform() < p)
        {
            out.push_back(c);
        }
    }
    return out;
}

std::vector<MemberEntry>
Membership::Sample(uint32_t n, const MemberEntry& self, const Rng& rng)
{
    std::vector<MemberEntry> out{self};
    const std::vector<GossipSenderId>& live = LiveIds();
    if (live.empty() || n <= 1)
    {
        return out;
    }
    // A small vector, not a set: the sample is a few entries, drawn every round.
    std::vector<GossipSenderId> chosen;
    uint32_t want = std::min<uint32_t>(n - 1, live.size());
    if (want == live.size())
    {
        chosen = live;
    }
    while (chosen.size() < want)
    {
        GossipSenderId c = live[rng(live.size())];
        if (std::find(chosen.begin(), chosen.end(), c) == chosen.end())
        {
            chosen.push_back(c);
        }
    }
    std::sort(chosen.begin(), chosen.end());
    out.reserve(1 + chosen.size());
    for (GossipSenderId id : chosen)
    {
        const Member& m = m_members.at(id);
        MemberEntry e;
        e.id = id;
        e.address = m.address;
        e.datacenter = m.datacenter;
        e.heartbeat = m.heartbeat;
        out.push_back(e);
    }
    return out;
}

const Membership::Member*
Membership::Find(GossipSenderId id) const
{
    auto it = m_members.find(id);
    return it == m_members.end() ? nullptr : &it->second;
}

bool
Membership::Contains(GossipSenderId id) const
{
    return m_members.count(id) > 0;
}

bool
Membership::IsLive(GossipSenderId id) const
{
    auto it = m_members.find(id);
    return it != m_members.end() && !it->second.failed;
}

bool
Membership::IsRemote(Ipv4Address address) const
{
    for (const auto& kv : m_members)
    {
        if (kv.second.address == address)
        {
            return kv.second.datacenter != m_datacenter;
        }
    }
    return false;
}

uint32_t
Membership::GetLiveCount() const
{
    return m_liveIds.size();
}

uint32_t
Membership::GetKnownCount() const
{
    return m_members.size();
}

} // namespace pbcast
} // namespace ns3
