/*
 * SPDX-License-Identifier: GPL-2.0-only
 */
#include "lpbcast-event-ids.h"

#include <algorithm>

namespace ns3
{
namespace lpbcast
{

EventIds::EventIds(uint32_t maxLater)
    : m_maxLater(maxLater)
{
}

void
EventIds::SetMaxLater(uint32_t maxLater)
{
    m_maxLater = maxLater;
}

bool
EventIds::Contains(const GossipMessageId& id) const
{
    return id.seq < m_digest.GetFloor(id.sender) || m_digest.Contains(id.sender, id.seq);
}

uint32_t
EventIds::GetLastInSequence(GossipSenderId origin) const
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
EventIds::LaterOf(GossipSenderId origin) const
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
EventIds::Insert(const GossipMessageId& id)
{
    // Sequence numbers are 32-bit on the wire (and in GetLastInSequence).
    if (id.seq == 0 || id.seq > UINT32_MAX || Contains(id))
    {
        return false;
    }
    const uint32_t before = LaterOf(id.sender);
    m_digest.Add(id.sender, id.seq);
    const uint32_t after = LaterOf(id.sender);
    m_laterCount = m_laterCount + after - before;
    if (id.seq > GetLastInSequence(id.sender))
    {
        m_fifo.push_back(id);
    }
    // Bound: absorb the oldest out-of-order id by raising its origin's floor past it.
    while (m_laterCount > m_maxLater && !m_fifo.empty())
    {
        GossipMessageId oldest = m_fifo.front();
        m_fifo.pop_front();
        if (oldest.seq <= GetLastInSequence(oldest.sender))
        {
            continue; // compacted meanwhile
        }
        const uint64_t start = std::max<uint64_t>(m_digest.GetFloor(oldest.sender), 1);
        const GossipDigest::SeqSet& s = m_digest.Get(oldest.sender);
        const uint64_t held =
            boost::icl::cardinality(s & boost::icl::interval<uint64_t>::closed(start, oldest.seq));
        m_skipped += (oldest.seq - start + 1) - held;
        const uint32_t was = LaterOf(oldest.sender);
        m_digest.SetFloor(oldest.sender, oldest.seq + 1);
        m_laterCount = m_laterCount - was + LaterOf(oldest.sender);
    }
    while (!m_fifo.empty() && m_fifo.front().seq <= GetLastInSequence(m_fifo.front().sender))
    {
        m_fifo.pop_front();
    }
    // Ids compacted meanwhile can also sit behind a live one (an origin with a lasting gap):
    // sweep them out now and then, or the queue grows with every out-of-order delivery.
    if (m_fifo.size() > 2 * std::size_t(m_maxLater) + 64)
    {
        m_fifo.erase(std::remove_if(m_fifo.begin(),
                                    m_fifo.end(),
                                    [this](const GossipMessageId& x) {
                                        return x.seq <= GetLastInSequence(x.sender);
                                    }),
                     m_fifo.end());
    }
    return true;
}

uint32_t
EventIds::GetLaterCount() const
{
    return m_laterCount;
}

uint64_t
EventIds::GetSkipped() const
{
    return m_skipped;
}

uint32_t
EventIds::GetQueued() const
{
    return m_fifo.size();
}

const GossipDigest&
EventIds::GetDigest() const
{
    return m_digest;
}

std::vector<GossipMessageId>
EventIds::Missing(const GossipDigest& remote, uint32_t window, uint32_t maxOut) const
{
    std::vector<GossipMessageId> out;
    if (maxOut == 0)
    {
        return out;
    }
    GossipDigest lack = remote.Minus(m_digest);
    for (GossipSenderId origin : lack.GetSenders())
    {
        uint64_t highest = 0;
        if (!remote.GetHighest(origin, highest))
        {
            continue;
        }
        // The window is taken below the remote's highest id, which the wire allows up to
        // UINT64_MAX: then no valid (32-bit) id of that origin is in the window, as it should be.
        const uint64_t from = highest >= window ? highest - window + 1 : 1;
        for (const auto& iv : lack.Get(origin))
        {
            // Clamp to the 32-bit seq range before looping: an interval ending at UINT64_MAX
            // must not make the counter wrap (a hang, then memory exhaustion).
            const uint64_t lo = std::max<uint64_t>({from, boost::icl::first(iv), 1});
            const uint64_t hi = std::min<uint64_t>(boost::icl::last(iv), UINT32_MAX);
            if (lo > hi)
            {
                continue;
            }
            for (uint64_t s = lo;; ++s)
            {
                out.push_back({origin, s});
                if (out.size() >= maxOut)
                {
                    return out;
                }
                if (s == hi)
                {
                    break;
                }
            }
        }
    }
    return out;
}

} // namespace lpbcast
} // namespace ns3
