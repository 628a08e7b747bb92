/*
 * SPDX-License-Identifier: GPL-2.0-only
 */
#include "lpbcast-retrieval.h"

namespace ns3
{
namespace lpbcast
{

Retrieval::Retrieval(uint32_t k, uint32_t r, uint32_t max)
    : m_k(k),
      m_r(r),
      m_max(max)
{
}

void
Retrieval::Configure(uint32_t k, uint32_t r, uint32_t max)
{
    m_k = k;
    m_r = r;
    m_max = max;
}

bool
Retrieval::Add(const GossipMessageId& id, uint32_t round, uint32_t sender)
{
    if (m_entries.count(id) || m_entries.size() >= m_max)
    {
        return false;
    }
    m_entries[id] = Entry{round, sender};
    return true;
}

void
Retrieval::Remove(const GossipMessageId& id)
{
    m_entries.erase(id);
}

std::vector<Retrieval::Request>
Retrieval::Due(uint32_t round,
               const std::function<bool(const GossipMessageId&)>& delivered,
               const std::function<uint32_t()>& randomMember)
{
    std::vector<Request> out;
    for (auto it = m_entries.begin(); it != m_entries.end();)
    {
        Entry& e = it->second;
        const GossipMessageId& id = it->first;
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
            out.push_back({id.sender, id, 3});
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
Retrieval::GetSize() const
{
    return m_entries.size();
}

uint64_t
Retrieval::GetGivenUp() const
{
    return m_givenUp;
}

} // namespace lpbcast
} // namespace ns3
