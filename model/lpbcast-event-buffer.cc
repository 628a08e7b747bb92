/*
 * SPDX-License-Identifier: GPL-2.0-only
 */
#include "lpbcast-event-buffer.h"

#include <algorithm>
#include <map>
#include <utility>

namespace ns3
{
namespace lpbcast
{

EventBuffer::EventBuffer(uint32_t max, Purging purging, uint32_t longAgo)
    : m_max(max),
      m_purging(purging),
      m_longAgo(longAgo)
{
}

void
EventBuffer::Configure(uint32_t max, Purging purging, uint32_t longAgo)
{
    m_max = max;
    m_purging = purging;
    m_longAgo = longAgo;
}

bool
EventBuffer::Contains(const GossipMessageId& id) const
{
    return std::any_of(m_events.begin(), m_events.end(), [&](const Event& e) {
        return e.id == id;
    });
}

void
EventBuffer::Add(const Event& e)
{
    m_events.push_back(e);
}

bool
EventBuffer::MergeAge(const GossipMessageId& id, uint32_t age)
{
    for (auto& e : m_events)
    {
        if (e.id == id)
        {
            e.age = std::max(e.age, age);
            return true;
        }
    }
    return false;
}

std::vector<GossipMessageId>
EventBuffer::Purge(const Rng& rng)
{
    std::vector<GossipMessageId> removed;
    if (m_purging == RANDOM_PURGING)
    {
        while (m_events.size() > m_max)
        {
            uint32_t i = rng(m_events.size());
            removed.push_back(m_events[i].id);
            m_events.erase(m_events.begin() + i);
        }
        return removed;
    }
    // Removing out-of-date events never removes an origin's newest, so the newest seq per origin
    // is computed once per purge (it used to be rebuilt per victim).
    std::map<GossipSenderId, uint64_t> newest;
    for (const auto& e : m_events)
    {
        uint64_t& n = newest[e.id.sender];
        n = std::max(n, e.id.seq);
    }
    // Remove up to excess events, largest key first, ties by arrival: the same order as picking
    // the first maximum again and again, without a rescan per victim.
    auto removeLargest = [this, &removed](std::vector<std::pair<uint64_t, uint32_t>> keyed) {
        const size_t excess = m_events.size() > m_max ? m_events.size() - m_max : 0;
        const size_t k = std::min(excess, keyed.size());
        if (k == 0)
        {
            return;
        }
        std::stable_sort(keyed.begin(), keyed.end(), [](const auto& x, const auto& y) {
            return x.first > y.first;
        });
        std::vector<bool> drop(m_events.size(), false);
        for (size_t j = 0; j < k; ++j)
        {
            drop[keyed[j].second] = true;
            removed.push_back(m_events[keyed[j].second].id);
        }
        size_t w = 0;
        for (size_t i = 0; i < m_events.size(); ++i)
        {
            if (!drop[i])
            {
                m_events[w++] = std::move(m_events[i]);
            }
        }
        m_events.resize(w);
    };
    // (a) out of date: the same source has an event newer by more than LONG_AGO. Oldest first.
    std::vector<std::pair<uint64_t, uint32_t>> lags; // (lag, index)
    for (uint32_t i = 0; i < m_events.size(); ++i)
    {
        const uint64_t lag = newest[m_events[i].id.sender] - m_events[i].id.seq;
        if (lag > m_longAgo)
        {
            lags.push_back({lag, i});
        }
    }
    removeLargest(std::move(lags));
    // (b) then the oldest: largest age (ties: the earliest arrival).
    std::vector<std::pair<uint64_t, uint32_t>> ages;
    for (uint32_t i = 0; i < m_events.size(); ++i)
    {
        ages.push_back({m_events[i].age, i});
    }
    removeLargest(std::move(ages));
    return removed;
}

void
EventBuffer::IncrementAges()
{
    for (auto& e : m_events)
    {
        ++e.age;
    }
}

uint32_t
EventBuffer::RemoveAged(uint32_t maxAge)
{
    if (maxAge == 0)
    {
        return 0;
    }
    auto it = std::remove_if(m_events.begin(), m_events.end(), [&](const Event& e) {
        return e.age >= maxAge;
    });
    uint32_t n = std::distance(it, m_events.end());
    m_events.erase(it, m_events.end());
    return n;
}

void
EventBuffer::Clear()
{
    m_events.clear();
}

const std::vector<Event>&
EventBuffer::Get() const
{
    return m_events;
}

uint32_t
EventBuffer::GetSize() const
{
    return m_events.size();
}

} // namespace lpbcast
} // namespace ns3
