/*
 * SPDX-License-Identifier: GPL-2.0-only
 */
#ifndef LPBCAST_EVENT_IDS_H
#define LPBCAST_EVENT_IDS_H

#include "gossip-digest.h"
#include "gossip-message-id.h"

#include <cstdint>
#include <deque>
#include <vector>

namespace ns3
{
namespace lpbcast
{

/**
 * \ingroup gossip
 * \brief lpbcast's `eventIds` buffer, compacted per origin, on top of the shared GossipDigest.
 *
 * Ids are GossipMessageIds whose sender is the origin's IPv4 address and whose sequence number
 * (from 1) fits 32 bits, the wire's width. For each origin the digest holds the ids delivered in
 * sequence as one interval (the "last id delivered in sequence") plus the later ids delivered
 * out of order. Only the later ids count against the bound |eventIds|m: when there are more, the
 * oldest later id (FIFO, as TOCS truncates eventIds) is absorbed by raising its origin's floor
 * past it, which gives up on the gap below it. Ids below the floor still count as known, so a
 * bounded buffer never re-delivers an event, and the digest on the wire stays small ("1-18 from
 * X; 14, 16, 22-71 from Z").
 */
class EventIds
{
  public:
    explicit EventIds(uint32_t maxLater = 60);
    void SetMaxLater(uint32_t maxLater);

    /// Known: delivered, or below the floor (given up).
    bool Contains(const GossipMessageId& id) const;
    /// Record a delivered id (seq 0 or above 32 bits is refused). \return true if it was new.
    bool Insert(const GossipMessageId& id);
    /// Highest seq such that every seq up to it is known (0 if none).
    uint32_t GetLastInSequence(GossipSenderId origin) const;
    /// Number of out-of-order ids held (the bounded part).
    uint32_t GetLaterCount() const;
    /// Ids given up on when the bound forced compaction over a gap.
    uint64_t GetSkipped() const;
    /// Entries of the FIFO of later ids, compacted ones not yet swept included (memory).
    uint32_t GetQueued() const;
    /// The digest to put in a gossip message.
    const GossipDigest& GetDigest() const;
    /**
     * Ids a remote digest holds that this buffer lacks (above both floors), per origin at most
     * the newest window ids: a newcomer does not chase the whole history. Only valid 32-bit
     * sequence numbers are returned, and at most maxOut of them (the retrieve buffer's bound):
     * the remote digest comes off the wire and may advertise absurd ranges.
     */
    std::vector<GossipMessageId> Missing(const GossipDigest& remote,
                                         uint32_t window,
                                         uint32_t maxOut = UINT32_MAX) const;

  private:
    uint32_t LaterOf(GossipSenderId origin) const;

    uint32_t m_maxLater;
    GossipDigest m_digest;
    std::deque<GossipMessageId> m_fifo; //!< later ids in insertion order (may hold stale ones)
    uint32_t m_laterCount{0};
    uint64_t m_skipped{0};
};

} // namespace lpbcast
} // namespace ns3

#endif /* LPBCAST_EVENT_IDS_H */
