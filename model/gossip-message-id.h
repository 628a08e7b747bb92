/*
 * SPDX-License-Identifier: GPL-2.0-only
 */
#ifndef GOSSIP_MESSAGE_ID_H
#define GOSSIP_MESSAGE_ID_H

#include <cstdint>
#include <ostream>

namespace ns3
{

/// Who originated a message (a node id in pbcast, an IPv4 address in lpbcast).
typedef uint32_t GossipSenderId;

/**
 * \ingroup gossip
 * A message of a gossip protocol: its origin and the origin's sequence number. Every protocol
 * of the module names its messages this way.
 */
struct GossipMessageId
{
    GossipSenderId sender{0};
    uint64_t seq{0};

    bool operator<(const GossipMessageId& o) const
    {
        return sender < o.sender || (sender == o.sender && seq < o.seq);
    }

    bool operator==(const GossipMessageId& o) const
    {
        return sender == o.sender && seq == o.seq;
    }

    bool operator!=(const GossipMessageId& o) const
    {
        return !(*this == o);
    }
};

/// "sender:seq"
inline std::ostream&
operator<<(std::ostream& os, const GossipMessageId& id)
{
    return os << id.sender << ':' << id.seq;
}

} // namespace ns3

#endif /* GOSSIP_MESSAGE_ID_H */
