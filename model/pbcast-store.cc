/*
 * SPDX-License-Identifier: GPL-2.0-only
 */
#include "pbcast-store.h"

namespace ns3
{
namespace pbcast
{

Store::Entry&
Store::Add(const GossipMessageId& id, Ptr<const Packet> payload, Time sent, uint64_t round)
{
    auto it = m_entries.find(id);
    if (it != m_entries.end())
    {
        return it->second;
    }
    Entry& e = m_entries[id];
    e.payload = payload;
    e.sent = sent;
    e.storedRound = round;
    m_gcQueue.push_back({round, id});
    return e;
}

Store::Entry*
Store::Find(const GossipMessageId& id)
{
    auto it = m_entries.find(id);
    return it == m_entries.end() ? nullptr : &it->second;
}

uint32_t
Store::GetSize() const
{
    return m_entries.size();
}

bool
Store::GetLowest(GossipSenderId sender, uint64_t& seq) const
{
    auto it = m_entries.lower_bound({sender, 0});
    if (it == m_entries.end() || it->first.sender != sender)
    {
        return false;
    }
    seq = it->first.seq;
    return true;
}

std::vector<GossipMessageId>
Store::Collect(uint64_t round, uint32_t stale)
{
    std::vector<GossipMessageId> out;
    while (!m_gcQueue.empty() && m_gcQueue.front().first + stale < round)
    {
        GossipMessageId id = m_gcQueue.front().second;
        m_gcQueue.pop_front();
        if (m_entries.erase(id))
        {
            out.push_back(id);
        }
    }
    return out;
}

void
Store::Clear()
{
    m_entries.clear();
    m_gcQueue.clear();
    m_bytesThisRound = 0;
}

void
Store::NewRound()
{
    m_bytesThisRound = 0;
}

bool
Store::Fits(uint32_t cost, uint32_t limit) const
{
    return uint64_t(m_bytesThisRound) + cost <= limit;
}

void
Store::Charge(uint32_t bytes)
{
    m_bytesThisRound += bytes;
}

uint32_t
Store::GetBytesThisRound() const
{
    return m_bytesThisRound;
}

void
Store::Serve(const GossipDigest& wanted,
             uint32_t cap,
             uint32_t overhead,
             uint32_t limit,
             const SendFunction& send)
{
    for (const auto& id : wanted.MostRecentFirst(cap))
    {
        auto it = m_entries.find(id);
        if (it == m_entries.end())
        {
            continue;
        }
        if (!Fits(it->second.payload->GetSize() + overhead, limit))
        {
            break; // the round's retransmission budget is spent
        }
        Charge(send(id, it->second));
    }
}

} // namespace pbcast
} // namespace ns3
