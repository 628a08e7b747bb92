/*
 * SPDX-License-Identifier: GPL-2.0-only
 */
#ifndef LPBCAST_EVENT_H
#define LPBCAST_EVENT_H

#include "gossip-message-id.h"

#include <cstdint>
#include <ostream>
#include <vector>

namespace ns3
{
namespace lpbcast
{

/**
 * \ingroup gossip
 * \brief An event notification as carried in lpbcast's `events`: its id (the origin's IPv4
 * address as the sender, the origin's sequence number from 1), its age and its payload.
 */
struct Event
{
    GossipMessageId id;
    uint32_t age{0};              //!< rounds it has been gossiped (SRDS 2001 "age")
    std::vector<uint8_t> payload; //!< application data

    bool operator==(const Event& o) const
    {
        return id == o.id && age == o.age && payload == o.payload;
    }

    bool operator!=(const Event& o) const
    {
        return !(*this == o);
    }
};

/// "sender:seq/age<age>+<payload bytes>B"
inline std::ostream&
operator<<(std::ostream& os, const Event& e)
{
    return os << e.id << "/age" << e.age << "+" << e.payload.size() << "B";
}

} // namespace lpbcast
} // namespace ns3

#endif /* LPBCAST_EVENT_H */
