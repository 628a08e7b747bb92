/*
 * SPDX-License-Identifier: GPL-2.0-only
 */
#include "lpbcast-state.h"

#include <algorithm>
#include <cmath>
#include <numeric>

namespace ns3
{

// ---------------------------------------------------------------- LpbcastEventIds

LpbcastEventIds::LpbcastEventIds(uint32_t maxLater)
    : m_maxLater(maxLater)
{
}

void
LpbcastEventIds::SetMaxLater(uint32_t maxLater)
{
    m_maxLater = maxLater;
}

bool
LpbcastEventIds::Contains(const LpbcastEventId& id) const
{
    return id.seq < m_digest.GetFloor(id.origin) || m_digest.Contains(id.origin, id.seq);
}

uint32_t
LpbcastEventIds::GetLastInSequence(uint32_t origin) const
{
    const uint64_t start = std::max<uint64_t>(m_digest.GetFloor(origin), 1);
    const GossipDigest::SeqSet& s = m_digest.Get(origin);
    if (!s.empty() && boost::icl::first(*s.begin()) <= start)
    {
        return boost::icl::last(*s.begin());
    }
    return start - 1;
}

uint32_t
LpbcastEventIds::LaterOf(uint32_t origin) const
{
    const GossipDigest::SeqSet& s = m_digest.Get(origin);
    uint64_t n = boost::icl::cardinality(s);
    const uint64_t start = std::max<uint64_t>(m_digest.GetFloor(origin), 1);
    if (!s.empty() && boost::icl::first(*s.begin()) <= start)
    {
        n -= boost::icl::cardinality(*s.begin());
    }
    return n;
}

bool
LpbcastEventIds::Insert(const LpbcastEventId& id)
{
    if (id.seq == 0 || Contains(id))
    {
        return false;
    }
    const uint32_t before = LaterOf(id.origin);
    m_digest.Add(id.origin, id.seq);
    const uint32_t after = LaterOf(id.origin);
    m_laterCount = m_laterCount + after - before;
    if (id.seq > GetLastInSequence(id.origin))
    {
        m_fifo.push_back(id);
    }
    // Bound: absorb the oldest out-of-order id by raising its origin's floor past it.
    while (m_laterCount > m_maxLater && !m_fifo.empty())
    {
        LpbcastEventId oldest = m_fifo.front();
        m_fifo.pop_front();
        if (oldest.seq <= GetLastInSequence(oldest.origin))
        {
            continue; // compacted meanwhile
        }
        const uint64_t start = std::max<uint64_t>(m_digest.GetFloor(oldest.origin), 1);
        const GossipDigest::SeqSet& s = m_digest.Get(oldest.origin);
        const uint64_t held =
            boost::icl::cardinality(s & boost::icl::interval<uint64_t>::closed(start, oldest.seq));
        m_skipped += (oldest.seq - start + 1) - held;
        const uint32_t was = LaterOf(oldest.origin);
        m_digest.SetFloor(oldest.origin, uint64_t(oldest.seq) + 1);
        m_laterCount = m_laterCount - was + LaterOf(oldest.origin);
    }
    while (!m_fifo.empty() && m_fifo.front().seq <= GetLastInSequence(m_fifo.front().origin))
    {
        m_fifo.pop_front();
    }
    return true;
}

uint32_t
LpbcastEventIds::GetLaterCount() const
{
    return m_laterCount;
}

uint64_t
LpbcastEventIds::GetSkipped() const
{
    return m_skipped;
}

const GossipDigest&
LpbcastEventIds::GetDigest() const
{
    return m_digest;
}

std::vector<LpbcastEventId>
LpbcastEventIds::Missing(const GossipDigest& remote, uint32_t window) const
{
    std::vector<LpbcastEventId> out;
    GossipDigest lack = remote.Minus(m_digest);
    for (GossipSenderId origin : lack.GetSenders())
    {
        uint64_t highest = 0;
        if (!remote.GetHighest(origin, highest))
        {
            continue;
        }
        const uint64_t from = highest >= window ? highest - window + 1 : 1;
        for (const auto& iv : lack.Get(origin))
        {
            for (uint64_t s = std::max<uint64_t>(from, boost::icl::first(iv));
                 s <= boost::icl::last(iv);
                 ++s)
            {
                if (s > 0 && s <= UINT32_MAX)
                {
                    out.push_back({origin, uint32_t(s)});
                }
            }
        }
    }
    return out;
}

// ---------------------------------------------------------------- LpbcastEventBuffer

LpbcastEventBuffer::LpbcastEventBuffer(uint32_t max, Purging purging, uint32_t longAgo)
    : m_max(max),
      m_purging(purging),
      m_longAgo(longAgo)
{
}

void
LpbcastEventBuffer::Configure(uint32_t max, Purging purging, uint32_t longAgo)
{
    m_max = max;
    m_purging = purging;
    m_longAgo = longAgo;
}

bool
LpbcastEventBuffer::Contains(const LpbcastEventId& id) const
{
    return std::any_of(m_events.begin(), m_events.end(), [&](const LpbcastEvent& e) {
        return e.id == id;
    });
}

void
LpbcastEventBuffer::Add(const LpbcastEvent& e)
{
    m_events.push_back(e);
}

bool
LpbcastEventBuffer::MergeAge(const LpbcastEventId& id, uint32_t age)
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

std::vector<LpbcastEventId>
LpbcastEventBuffer::Purge(const LpbcastRng& rng)
{
    std::vector<LpbcastEventId> removed;
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
    // (a) out of date: the same source has an event newer by more than LONG_AGO. Oldest first.
    while (m_events.size() > m_max)
    {
        std::map<uint32_t, uint32_t> newest;
        for (const auto& e : m_events)
        {
            newest[e.id.origin] = std::max(newest[e.id.origin], e.id.seq);
        }
        int victim = -1;
        uint32_t victimLag = 0;
        for (uint32_t i = 0; i < m_events.size(); ++i)
        {
            uint32_t lag = newest[m_events[i].id.origin] - m_events[i].id.seq;
            if (lag > m_longAgo && lag > victimLag)
            {
                victim = i;
                victimLag = lag;
            }
        }
        if (victim < 0)
        {
            break;
        }
        removed.push_back(m_events[victim].id);
        m_events.erase(m_events.begin() + victim);
    }
    // (b) then the oldest: largest age (ties: the earliest arrival).
    while (m_events.size() > m_max)
    {
        uint32_t victim = 0;
        for (uint32_t i = 1; i < m_events.size(); ++i)
        {
            if (m_events[i].age > m_events[victim].age)
            {
                victim = i;
            }
        }
        removed.push_back(m_events[victim].id);
        m_events.erase(m_events.begin() + victim);
    }
    return removed;
}

void
LpbcastEventBuffer::IncrementAges()
{
    for (auto& e : m_events)
    {
        ++e.age;
    }
}

uint32_t
LpbcastEventBuffer::RemoveAged(uint32_t maxAge)
{
    if (maxAge == 0)
    {
        return 0;
    }
    auto it = std::remove_if(m_events.begin(), m_events.end(), [&](const LpbcastEvent& e) {
        return e.age >= maxAge;
    });
    uint32_t n = std::distance(it, m_events.end());
    m_events.erase(it, m_events.end());
    return n;
}

void
LpbcastEventBuffer::Clear()
{
    m_events.clear();
}

const std::vector<LpbcastEvent>&
LpbcastEventBuffer::Get() const
{
    return m_events;
}

uint32_t
LpbcastEventBuffer::GetSize() const
{
    return m_events.size();
}

// ---------------------------------------------------------------- LpbcastMembership

LpbcastMembership::LpbcastMembership(uint32_t self, Limits limits)
    : m_self(self),
      m_limits(limits)
{
}

void
LpbcastMembership::Configure(uint32_t self, Limits limits)
{
    m_self = self;
    m_limits = limits;
}

uint32_t
LpbcastMembership::GetSelf() const
{
    return m_self;
}

bool
LpbcastMembership::InView(uint32_t id) const
{
    return std::find(m_view.begin(), m_view.end(), id) != m_view.end();
}

uint32_t
LpbcastMembership::GetFrequency(uint32_t id) const
{
    auto it = m_frequency.find(id);
    return it == m_frequency.end() ? 0 : it->second;
}

void
LpbcastMembership::AddSub(uint32_t id)
{
    if (std::find(m_subs.begin(), m_subs.end(), id) == m_subs.end())
    {
        m_subs.push_back(id);
    }
}

uint32_t
LpbcastMembership::EvictIndex(const std::vector<uint32_t>& from, const LpbcastRng& rng)
{
    if (m_limits.purging == RANDOM_MEMBERSHIP)
    {
        return rng(from.size());
    }
    // Frequency-based: evict a random entry heard of more than K times the average; each
    // random pick that is not evicted has its counter raised, so the loop terminates.
    double sum = 0;
    for (uint32_t id : from)
    {
        sum += GetFrequency(id);
    }
    const double threshold = m_limits.frequencyK * sum / from.size();
    while (true)
    {
        uint32_t i = rng(from.size());
        if (GetFrequency(from[i]) > threshold)
        {
            return i;
        }
        ++m_frequency[from[i]];
    }
}

void
LpbcastMembership::TrimView(const LpbcastRng& rng)
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
LpbcastMembership::TrimSubs(const LpbcastRng& rng)
{
    while (m_subs.size() > m_limits.subs)
    {
        uint32_t i = EvictIndex(m_subs, rng);
        m_subs.erase(m_subs.begin() + i);
    }
}

void
LpbcastMembership::AddToView(uint32_t id, const LpbcastRng& rng)
{
    if (id == m_self || InView(id) || m_unSubs.count(id))
    {
        return;
    }
    m_view.push_back(id);
    TrimView(rng);
    TrimSubs(rng);
}

void
LpbcastMembership::HandleGossip(const std::vector<uint32_t>& subs,
                                const std::vector<std::pair<uint32_t, int64_t>>& unSubs,
                                int64_t nowNs,
                                int64_t timeoutNs,
                                const LpbcastRng& rng)
{
    for (const auto& u : unSubs)
    {
        if (nowNs - u.second > timeoutNs || u.first == m_self)
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
LpbcastMembership::ExpireUnSubs(int64_t nowNs, int64_t timeoutNs)
{
    uint32_t n = 0;
    for (auto it = m_unSubs.begin(); it != m_unSubs.end();)
    {
        if (nowNs - it->second > timeoutNs)
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
LpbcastMembership::AddUnSub(uint32_t id, int64_t timestampNs, const LpbcastRng& rng)
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
LpbcastMembership::Remove(uint32_t id)
{
    auto s = std::find(m_subs.begin(), m_subs.end(), id);
    if (s != m_subs.end())
    {
        m_subs.erase(s);
    }
    auto v = std::find(m_view.begin(), m_view.end(), id);
    if (v == m_view.end())
    {
        return false;
    }
    m_view.erase(v);
    return true;
}

std::vector<uint32_t>
LpbcastMembership::SelectTargets(uint32_t fanout, const LpbcastRng& rng) const
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
LpbcastMembership::RandomMember(const LpbcastRng& rng) const
{
    return m_view.empty() ? m_self : m_view[rng(m_view.size())];
}

const std::vector<uint32_t>&
LpbcastMembership::GetView() const
{
    return m_view;
}

const std::vector<uint32_t>&
LpbcastMembership::GetSubs() const
{
    return m_subs;
}

const std::map<uint32_t, int64_t>&
LpbcastMembership::GetUnSubs() const
{
    return m_unSubs;
}

// ---------------------------------------------------------------- LpbcastRetrieval

LpbcastRetrieval::LpbcastRetrieval(uint32_t k, uint32_t r, uint32_t max)
    : m_k(k),
      m_r(r),
      m_max(max)
{
}

void
LpbcastRetrieval::Configure(uint32_t k, uint32_t r, uint32_t max)
{
    m_k = k;
    m_r = r;
    m_max = max;
}

bool
LpbcastRetrieval::Add(const LpbcastEventId& id, uint32_t round, uint32_t sender)
{
    if (m_entries.count(id) || m_entries.size() >= m_max)
    {
        return false;
    }
    m_entries[id] = Entry{round, sender};
    return true;
}

void
LpbcastRetrieval::Remove(const LpbcastEventId& id)
{
    m_entries.erase(id);
}

std::vector<LpbcastRetrieval::Request>
LpbcastRetrieval::Due(uint32_t round,
                      const std::function<bool(const LpbcastEventId&)>& delivered,
                      const std::function<uint32_t()>& randomMember)
{
    std::vector<Request> out;
    for (auto it = m_entries.begin(); it != m_entries.end();)
    {
        Entry& e = it->second;
        const LpbcastEventId& id = it->first;
        if (delivered(id))
        {
            it = m_entries.erase(it);
            continue;
        }
        if (e.stage == 0 && round >= e.firstRound + m_k)
        {
            e.stage = 1;
            e.askedRound = round;
            out.push_back({e.sender, id, 1});
        }
        else if (e.stage == 1 && round >= e.askedRound + m_r)
        {
            e.stage = 2;
            e.askedRound = round;
            out.push_back({randomMember(), id, 2});
        }
        else if (e.stage == 2 && round >= e.askedRound + m_r)
        {
            e.stage = 3;
            e.askedRound = round;
            out.push_back({id.origin, id, 3});
        }
        else if (e.stage == 3 && round >= e.askedRound + m_r)
        {
            ++m_givenUp;
            it = m_entries.erase(it);
            continue;
        }
        ++it;
    }
    return out;
}

uint32_t
LpbcastRetrieval::GetSize() const
{
    return m_entries.size();
}

uint64_t
LpbcastRetrieval::GetGivenUp() const
{
    return m_givenUp;
}

// ---------------------------------------------------------------- LpbcastInfectionChain

LpbcastInfectionChain::LpbcastInfectionChain(uint32_t n, uint32_t fanout, double loss, double crash)
    : m_n(n),
      m_p(n > 1 ? double(fanout) * (1 - loss) * (1 - crash) / (n - 1) : 0.0)
{
    m_p = std::min(1.0, m_p);
}

double
LpbcastInfectionChain::GetP() const
{
    return m_p;
}

std::vector<std::vector<double>>
LpbcastInfectionChain::Distribution(uint32_t rounds) const
{
    const uint32_t n = m_n;
    std::vector<std::vector<double>> dist(rounds + 1, std::vector<double>(n + 1, 0.0));
    if (n == 0)
    {
        return dist;
    }
    dist[0][1] = 1.0;
    const double q = 1.0 - m_p;
    for (uint32_t r = 0; r < rounds; ++r)
    {
        for (uint32_t i = 1; i <= n; ++i)
        {
            const double pi = dist[r][i];
            if (pi < 1e-300)
            {
                continue;
            }
            // New infections: Binomial(n - i, 1 - q^i).
            const uint32_t m = n - i;
            const double x = 1.0 - std::pow(q, i);
            if (m == 0 || x <= 0.0)
            {
                dist[r + 1][i] += pi;
                continue;
            }
            if (x >= 1.0)
            {
                dist[r + 1][n] += pi;
                continue;
            }
            const double lx = std::log(x);
            const double l1x = std::log1p(-x);
            for (uint32_t k = 0; k <= m; ++k)
            {
                double lp = std::lgamma(m + 1.0) - std::lgamma(k + 1.0) - std::lgamma(m - k + 1.0) +
                            k * lx + (m - k) * l1x;
                dist[r + 1][i + k] += pi * std::exp(lp);
            }
        }
    }
    return dist;
}

std::vector<double>
LpbcastInfectionChain::Expected(uint32_t rounds) const
{
    std::vector<double> out;
    for (const auto& d : Distribution(rounds))
    {
        double e = 0;
        for (uint32_t i = 0; i < d.size(); ++i)
        {
            e += i * d[i];
        }
        out.push_back(e);
    }
    return out;
}

} // namespace ns3
