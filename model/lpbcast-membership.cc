/*
 * SPDX-License-Identifier: GPL-2.0-only
 */
#include "lpbcast-membership.h"

#include <algorithm>
#include <iterator>

namespace ns3
{
namespace lpbcast
{

Membership::Membership()
    : Membership(0, Limits())
{
}

Membership::Membership(uint32_t self)
    : Membership(self, Limits())
{
}

Membership::Membership(uint32_t self, Limits limits)
    : m_self(self),
      m_limits(limits)
{
}

void
Membership::Configure(uint32_t self, Limits limits)
{
    m_self = self;
    m_limits = limits;
}

uint32_t
Membership::GetSelf() const
{
    return m_self;
}

bool
Membership::InView(uint32_t id) const
{
    return std::find(m_view.begin(), m_view.end(), id) != m_view.end();
}

uint32_t
Membership::GetFrequency(uint32_t id) const
{
    auto it = m_frequency.find(id);
    return it == m_frequency.end() ? 0 : it->second;
}

void
Membership::AddSub(uint32_t id)
{
    if (std::find(m_subs.begin(), m_subs.end(), id) == m_subs.end())
    {
        m_subs.push_back(id);
    }
}

uint32_t
Membership::EvictIndex(const std::vector<uint32_t>& from, const Rng& rng)
{
    if (m_limits.purging == RANDOM_MEMBERSHIP)
    {
        return rng(from.size());
    }
    // Frequency-based: evict a random entry heard of more than K times the average; each
    // random pick that is not evicted has its counter raised. With a large K that could take
    // about K times the counters' sum in picks (and inflate the counters for the next eviction
    // even more), so after |from| picks the most heard-of entry (first on ties) is evicted.
    double sum = 0;
    for (uint32_t id : from)
    {
        sum += GetFrequency(id);
    }
    const double threshold = m_limits.frequencyK * sum / from.size();
    for (uint32_t t = 0; t < from.size(); ++t)
    {
        uint32_t i = rng(from.size());
        if (GetFrequency(from[i]) > threshold)
        {
            return i;
        }
        ++m_frequency[from[i]];
    }
    uint32_t most = 0;
    for (uint32_t i = 1; i < from.size(); ++i)
    {
        if (GetFrequency(from[i]) > GetFrequency(from[most]))
        {
            most = i;
        }
    }
    return most;
}

void
Membership::TrimView(const Rng& rng)
{
    while (m_view.size() > m_limits.view)
    {
        uint32_t i = EvictIndex(m_view, rng);
        uint32_t id = m_view[i];
        m_view.erase(m_view.begin() + i);
        AddSub(id); // an evicted member is still a valid subscription to pass on
    }
}

void
Membership::TrimSubs(const Rng& rng)
{
    while (m_subs.size() > m_limits.subs)
    {
        uint32_t i = EvictIndex(m_subs, rng);
        uint32_t id = m_subs[i];
        m_subs.erase(m_subs.begin() + i);
        // The count belongs to the entry, as in the TOCS paper's view and subs elements: once
        // the process is in neither (subs holds no duplicates), it goes, so a process heard of
        // again starts afresh and the counts stay bounded by l + |subs|m.
        if (!InView(id))
        {
            m_frequency.erase(id);
        }
    }
}

void
Membership::AddToView(uint32_t id, const Rng& rng)
{
    if (id == m_self || InView(id) || m_unSubs.count(id))
    {
        return;
    }
    m_view.push_back(id);
    TrimView(rng);
    TrimSubs(rng);
}

bool
Membership::IsExpired(int64_t issuedNs, int64_t nowNs, int64_t timeoutNs)
{
    return issuedNs < nowNs - timeoutNs;
}

void
Membership::HandleGossip(const std::vector<uint32_t>& subs,
                         const std::vector<std::pair<uint32_t, int64_t>>& unSubs,
                         int64_t nowNs,
                         int64_t timeoutNs,
                         const Rng& rng)
{
    for (const auto& u : unSubs)
    {
        if (IsExpired(u.second, nowNs, timeoutNs) || u.first == m_self)
        {
            continue; // expired (or our own, already known)
        }
        Remove(u.first);
        auto it = m_unSubs.find(u.first);
        if (it == m_unSubs.end())
        {
            m_unSubs[u.first] = u.second;
        }
        else
        {
            it->second = std::max(it->second, u.second);
        }
    }
    while (m_unSubs.size() > m_limits.unSubs)
    {
        auto it = m_unSubs.begin();
        std::advance(it, rng(m_unSubs.size()));
        m_unSubs.erase(it);
    }
    for (uint32_t s : subs)
    {
        if (s == m_self || m_unSubs.count(s))
        {
            continue;
        }
        ++m_frequency[s];
        if (!InView(s))
        {
            m_view.push_back(s);
            AddSub(s);
        }
    }
    TrimView(rng);
    TrimSubs(rng);
}

uint32_t
Membership::ExpireUnSubs(int64_t nowNs, int64_t timeoutNs)
{
    uint32_t n = 0;
    for (auto it = m_unSubs.begin(); it != m_unSubs.end();)
    {
        if (IsExpired(it->second, nowNs, timeoutNs))
        {
            it = m_unSubs.erase(it);
            ++n;
        }
        else
        {
            ++it;
        }
    }
    return n;
}

void
Membership::AddUnSub(uint32_t id, int64_t timestampNs, const Rng& rng)
{
    m_unSubs[id] = timestampNs;
    while (m_unSubs.size() > m_limits.unSubs)
    {
        auto it = m_unSubs.begin();
        std::advance(it, rng(m_unSubs.size()));
        if (it->first == id)
        {
            continue; // keep the one just issued
        }
        m_unSubs.erase(it);
    }
}

bool
Membership::Remove(uint32_t id)
{
    auto s = std::find(m_subs.begin(), m_subs.end(), id);
    if (s != m_subs.end())
    {
        m_subs.erase(s);
    }
    auto v = std::find(m_view.begin(), m_view.end(), id);
    const bool inView = v != m_view.end();
    if (inView)
    {
        m_view.erase(v);
    }
    m_frequency.erase(id);
    return inView;
}

std::vector<uint32_t>
Membership::SelectTargets(uint32_t fanout, const Rng& rng) const
{
    std::vector<uint32_t> pool = m_view;
    std::vector<uint32_t> out;
    while (!pool.empty() && out.size() < fanout)
    {
        uint32_t i = rng(pool.size());
        out.push_back(pool[i]);
        pool.erase(pool.begin() + i);
    }
    return out;
}

uint32_t
Membership::RandomMember(const Rng& rng) const
{
    return m_view.empty() ? m_self : m_view[rng(m_view.size())];
}

const std::vector<uint32_t>&
Membership::GetView() const
{
    return m_view;
}

const std::vector<uint32_t>&
Membership::GetSubs() const
{
    return m_subs;
}

const std::map<uint32_t, int64_t>&
Membership::GetUnSubs() const
{
    return m_unSubs;
}

} // namespace lpbcast
} // namespace ns3
