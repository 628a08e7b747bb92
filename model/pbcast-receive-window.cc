/*
 * SPDX-License-Identifier: GPL-2.0-only
 */
#include "pbcast-receive-window.h"

#include <algorithm>

namespace ns3
{
namespace pbcast
{

void
ReceiveWindow::Configure(GossipSenderId self,
                         bool fifo,
                         uint32_t firstContactWindow,
                         DeliverSink deliver,
                         GiveUpSink giveUp)
{
    m_self = self;
    m_fifo = fifo;
    m_firstContactWindow = firstContactWindow;
    m_deliver = deliver;
    m_giveUp = giveUp;
}

void
ReceiveWindow::AddOwn(uint64_t seq)
{
    m_known.Add(m_self, seq);
}

bool
ReceiveWindow::Admit(GossipSenderId origin, uint64_t seq, uint64_t round)
{
    if (origin == m_self)
    {
        return false;
    }
    if (seq < m_known.GetFloor(origin) && m_anchored.count(origin) == 0)
    {
        // The window was learnt from peers' digests only (possibly a lie): the sender's own
        // message is better evidence, so start over from it.
        ForgetSender(origin);
    }
    if (seq < m_known.GetFloor(origin) || m_known.Contains(origin, seq))
    {
        return false;
    }
    if (m_givenUp.Contains(origin, seq))
    {
        // Given up but never held (the number may have been a peer's claim made before the
        // sender sent it). With FIFO delivery it is too late once delivery has passed it.
        auto next = m_nextDeliver.find(origin);
        if (m_fifo && next != m_nextDeliver.end() && seq < next->second)
        {
            return false;
        }
        m_givenUp.Remove(origin, seq);
    }
    m_anchored.insert(origin);
    // Bound the work one datagram can cause, whatever number it carries.
    const uint32_t maxGap = 10000;
    bool firstContact = m_known.Get(origin).empty() && m_known.GetFloor(origin) == 0 &&
                        m_nextDeliver.find(origin) == m_nextDeliver.end();
    uint64_t highest = 0;
    bool hasHighest = m_known.GetHighest(origin, highest);
    if (firstContact)
    {
        uint64_t lo = seq - std::min<uint64_t>(seq, m_firstContactWindow);
        m_known.SetFloor(origin, lo);
        m_nextDeliver[origin] = lo;
        if (seq > lo)
        {
            NoteMissing(origin, lo, seq - 1, maxGap, round);
        }
    }
    else if (hasHighest && seq > highest + 1)
    {
        NoteMissing(origin, highest + 1, seq - 1, maxGap, round);
    }
    else if (!hasHighest && seq > m_known.GetFloor(origin))
    {
        NoteMissing(origin, m_known.GetFloor(origin), seq - 1, maxGap, round);
    }
    GossipMessageId id{origin, seq};
    m_known.Add(origin, seq);
    m_missing.erase(id);
    m_requested.erase(id);
    if (m_nextDeliver.find(origin) == m_nextDeliver.end())
    {
        m_nextDeliver[origin] = m_known.GetFloor(origin);
    }
    return true;
}

void
ReceiveWindow::Release(GossipSenderId origin, uint64_t seq, Time sent, Ptr<const Packet> payload)
{
    if (!m_fifo)
    {
        m_deliver(origin, seq, sent, payload);
    }
    else
    {
        m_fifoPending[{origin, seq}] = {sent, payload};
        FlushFifo(origin);
    }
}

void
ReceiveWindow::FlushFifo(GossipSenderId origin)
{
    uint64_t& next = m_nextDeliver[origin];
    while (true)
    {
        auto it = m_fifoPending.find({origin, next});
        if (it != m_fifoPending.end())
        {
            auto v = it->second;
            m_fifoPending.erase(it);
            m_deliver(origin, next, v.first, v.second);
            ++next;
        }
        else if (next < m_known.GetFloor(origin) ||
                 (m_givenUp.Contains(origin, next) && ReceivedAbove(origin, next)))
        {
            // Given up: skip the gap, but only once a later message of the sender was
            // received; a number given up above everything received may still arrive.
            ++next;
        }
        else
        {
            break;
        }
    }
}

uint32_t
ReceiveWindow::NoteMissing(GossipSenderId origin,
                           uint64_t from,
                           uint64_t to,
                           uint32_t budget,
                           uint64_t round)
{
    from = std::max(from, m_known.GetFloor(origin));
    uint32_t added = 0;
    // Most recent first: with a small budget the newest gaps are the ones worth seeking.
    for (uint64_t s = to; s >= from && s <= to && added < budget; --s)
    {
        GossipMessageId id{origin, s};
        if (!m_known.Contains(origin, s) && !m_givenUp.Contains(origin, s) &&
            m_missing.find(id) == m_missing.end())
        {
            m_missing[id] = round;
            m_missingQueue.push_back({round, id});
            ++added;
        }
        if (s == 0)
        {
            break;
        }
    }
    return added;
}

void
ReceiveWindow::ForgetSender(GossipSenderId origin)
{
    m_known.Erase(origin);
    m_givenUp.Erase(origin);
    m_nextDeliver.erase(origin);
    m_missing.erase(m_missing.lower_bound({origin, 0}),
                    m_missing.upper_bound({origin, UINT64_MAX}));
    m_requested.erase(m_requested.lower_bound({origin, 0}),
                      m_requested.upper_bound({origin, UINT64_MAX}));
}

void
ReceiveWindow::NoteAdvertised(const GossipDigest& theirs,
                              uint32_t budget,
                              uint64_t round,
                              const SenderFilter& isKnownSender)
{
    for (GossipSenderId x : theirs.GetSenders())
    {
        uint64_t theirHigh;
        if (x == m_self || !isKnownSender(x) || !theirs.GetHighest(x, theirHigh))
        {
            continue;
        }
        if (m_known.Get(x).empty() && m_nextDeliver.find(x) == m_nextDeliver.end())
        {
            // First news of this sender: as on first contact (Admit), seek at most
            // FirstContactWindow below the partner's newest, whatever floor it claims; the
            // sender's own messages override this window (Admit).
            m_known.SetFloor(x, theirHigh - std::min<uint64_t>(theirHigh, m_firstContactWindow));
            m_nextDeliver[x] = m_known.GetFloor(x);
        }
        uint64_t myHigh;
        bool hasHigh = m_known.GetHighest(x, myHigh);
        uint64_t from = hasHigh ? myHigh + 1 : m_known.GetFloor(x);
        // Never seek more than the first-contact window above what this member holds, also
        // when its window is empty (everything below the floor): a claim is not evidence.
        if (theirHigh > from && theirHigh - from > m_firstContactWindow)
        {
            theirHigh = from + m_firstContactWindow;
        }
        if (theirHigh >= from && budget > 0)
        {
            budget -= NoteMissing(x, from, theirHigh, budget, round);
        }
    }
}

std::vector<GossipMessageId>
ReceiveWindow::SelectRequests(const GossipDigest& theirs,
                              uint32_t maxRequests,
                              uint32_t requestWait,
                              uint64_t round,
                              const SenderFilter& isKnownSender)
{
    GossipDigest lack = theirs.Minus(m_known);
    lack.SetFloor(m_self, UINT64_MAX); // never request my own messages
    // Most recent first, skipping what was requested within requestWait rounds.
    std::vector<GossipMessageId> out;
    for (const auto& id : lack.MostRecentFirst(4 * maxRequests))
    {
        if (out.size() >= maxRequests)
        {
            break;
        }
        if (!isKnownSender(id.sender) || m_missing.find(id) == m_missing.end())
        {
            continue; // only what this member itself believes is missing
        }
        auto r = m_requested.find(id);
        if (requestWait > 0 && r != m_requested.end() && r->second + requestWait >= round)
        {
            continue;
        }
        m_requested[id] = round;
        out.push_back(id);
    }
    return out;
}

void
ReceiveWindow::ExpireMissing(uint64_t round, uint32_t stale, std::set<GossipSenderId>& touched)
{
    while (!m_missingQueue.empty() && m_missingQueue.front().first + stale < round)
    {
        auto e = m_missingQueue.front();
        m_missingQueue.pop_front();
        auto it = m_missing.find(e.second);
        if (it != m_missing.end() && it->second == e.first)
        {
            GiveUp(e.second.sender, e.second.seq);
            touched.insert(e.second.sender);
        }
    }
}

void
ReceiveWindow::GiveUp(GossipSenderId origin, uint64_t seq)
{
    GossipMessageId id{origin, seq};
    m_missing.erase(id);
    m_requested.erase(id);
    // Not sought again, but not held either: it stays out of the digest (it is not offered)
    // and the real message is still accepted if it comes (the number may have been a claim).
    m_givenUp.Add(origin, seq);
    m_giveUp(origin, seq);
    if (m_fifo)
    {
        FlushFifo(origin);
    }
}

void
ReceiveWindow::AdvanceFloor(GossipSenderId origin, bool hasLowestStored, uint64_t lowestStored)
{
    // Everything below the lowest message still buffered, sought or awaiting FIFO delivery
    // has been collected or given up: it leaves the digest's window.
    uint64_t highest;
    if (!m_known.GetHighest(origin, highest))
    {
        return;
    }
    uint64_t floor = highest + 1;
    if (hasLowestStored)
    {
        floor = std::min(floor, lowestStored);
    }
    auto m = m_missing.lower_bound({origin, 0});
    if (m != m_missing.end() && m->first.sender == origin)
    {
        floor = std::min(floor, m->first.seq);
    }
    auto f = m_fifoPending.lower_bound({origin, 0});
    if (f != m_fifoPending.end() && f->first.sender == origin)
    {
        floor = std::min(floor, f->first.seq);
    }
    m_known.SetFloor(origin, floor);
    m_givenUp.SetFloor(origin, floor);
}

bool
ReceiveWindow::ReceivedAbove(GossipSenderId origin, uint64_t seq) const
{
    uint64_t highest;
    return m_known.GetHighest(origin, highest) && highest > seq;
}

void
ReceiveWindow::PruneRequested(uint64_t round, uint32_t requestWait)
{
    for (auto it = m_requested.begin(); it != m_requested.end();)
    {
        it = (it->second + requestWait < round) ? m_requested.erase(it) : std::next(it);
    }
}

const GossipDigest&
ReceiveWindow::GetKnown() const
{
    return m_known;
}

bool
ReceiveWindow::IsAnchored(GossipSenderId id) const
{
    return m_anchored.count(id) > 0;
}

uint32_t
ReceiveWindow::GetMissingCount() const
{
    return m_missing.size();
}

bool
ReceiveWindow::IsMissing(const GossipMessageId& id) const
{
    return m_missing.count(id) > 0;
}

void
ReceiveWindow::Clear()
{
    m_known.Clear();
    m_givenUp.Clear();
    m_missing.clear();
    m_requested.clear();
    m_nextDeliver.clear();
    m_anchored.clear();
    m_fifoPending.clear();
    m_missingQueue.clear();
}

} // namespace pbcast
} // namespace ns3
