/*
 * SPDX-License-Identifier: GPL-2.0-only
 */
#include "lpbcast-archive.h"

namespace ns3
{
namespace lpbcast
{

Archive::Archive(uint32_t capacity)
    : m_capacity(capacity)
{
}

void
Archive::SetCapacity(uint32_t capacity)
{
    m_capacity = capacity;
}

void
Archive::Add(const Event& e)
{
    if (m_capacity == 0)
    {
        return;
    }
    Event copy = e;
    copy.age = 0;
    if (m_events.insert({e.id, copy}).second)
    {
        m_order.push_back(e.id);
    }
    while (m_order.size() > m_capacity)
    {
        m_events.erase(m_order.front());
        m_order.pop_front();
    }
}

const Event*
Archive::Find(const GossipMessageId& id) const
{
    auto it = m_events.find(id);
    return it == m_events.end() ? nullptr : &it->second;
}

uint32_t
Archive::GetSize() const
{
    return m_events.size();
}

} // namespace lpbcast
} // namespace ns3
