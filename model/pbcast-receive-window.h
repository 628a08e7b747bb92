/*
 * SPDX-License-Identifier: GPL-2.0-only
 */
#ifndef PBCAST_RECEIVE_WINDOW_H
#define PBCAST_RECEIVE_WINDOW_H

#include "gossip-digest.h"
#include "gossip-message-id.h"

#include "ns3/nstime.h"
#include "ns3/packet.h"

#include <boost/container/deque.hpp>
#include <cstdint>
#include <functional>
#include <map>
#include <set>
#include <utility>
#include <vector>

namespace ns3
{
namespace pbcast
{

/**
 * \ingroup gossip
 * \brief What a pbcast member has received and still seeks: the digest of received (or given
 * up) messages per sender, the messages known to exist but missing, the requests made, delivery
 * (optionally FIFO per sender) and giving up.
 *
 * A plain class: no simulator, no sockets; rounds are passed in and delivery and give-up go to
 * sinks set by the application. A sink may call back into the application (a delivery callback
 * may send), so the effects below happen in a fixed order:
 * - Admit decides whether a message is new and notes the gaps it reveals; Release then delivers
 *   it, or with FIFO delivery holds it until the sender's earlier messages are delivered or given
 *   up.
 * - ExpireMissing gives up what was noticed more than stale rounds ago: per message, its missing
 *   and requested entries go, it is not sought again, the give-up sink runs, then FIFO
 *   deliveries it unblocks. A given-up number is not held: it stays out of the digest, and the
 *   real message is still admitted if it arrives (a peer may have claimed the number before
 *   its sender sent it).
 *
 * A digest from a peer is a claim, not evidence: NoteAdvertised seeks only senders the
 * application vouches for (isKnownSender), within a budget of new entries per gossip, and never
 * opens or moves a window more than the first-contact window above what the peer claims, nor
 * seeks more than that window above what this member holds.
 */
class ReceiveWindow
{
  public:
    /// A message to deliver: origin, sequence number, send time, payload.
    using DeliverSink = std::function<void(GossipSenderId, uint64_t, Time, Ptr<const Packet>)>;
    /// A message given up: origin, sequence number.
    using GiveUpSink = std::function<void(GossipSenderId, uint64_t)>;
    /// Whether the application knows a sender (a member, or one it received from).
    using SenderFilter = std::function<bool(GossipSenderId)>;

    /**
     * \param self this member's id (its own messages are never admitted or requested)
     * \param fifo deliver each sender's messages in order
     * \param firstContactWindow on the first message heard from a sender, the lower numbers
     *        within this window count as missing
     * \param deliver where messages are delivered
     * \param giveUp where given-up messages are reported
     */
    void Configure(GossipSenderId self,
                   bool fifo,
                   uint32_t firstContactWindow,
                   DeliverSink deliver,
                   GiveUpSink giveUp);

    /// One of this member's own messages (it is in the digest from now on).
    void AddOwn(uint64_t seq);

    /**
     * A message arrived in round. Own messages, messages below the sender's floor and duplicates
     * are refused. Otherwise the gaps below it are noted as missing (at most 10000), it joins the
     * digest and stops being missing or requested.
     * \return whether it is new (then call Release)
     */
    bool Admit(GossipSenderId origin, uint64_t seq, uint64_t round);
    /// Deliver an admitted message now, or (FIFO) when its turn comes.
    void Release(GossipSenderId origin, uint64_t seq, Time sent, Ptr<const Packet> payload);

    /**
     * A peer's digest arrived in round: note as missing what it has above this member's own
     * highest number of each known sender, at most budget new entries.
     */
    void NoteAdvertised(const GossipDigest& theirs,
                        uint32_t budget,
                        uint64_t round,
                        const SenderFilter& isKnownSender);
    /**
     * The messages to request from a peer's digest: what it has that this member lacks, is
     * missing and has not requested within requestWait rounds (0: no wait at all, not even
     * within one round), most recent first, at most maxRequests. Each is recorded as requested
     * in round.
     * \return them, in request order
     */
    std::vector<GossipMessageId> SelectRequests(const GossipDigest& theirs,
                                                uint32_t maxRequests,
                                                uint32_t requestWait,
                                                uint64_t round,
                                                const SenderFilter& isKnownSender);
    /**
     * Give up the messages noticed missing more than stale rounds before round, oldest first;
     * their senders are added to touched.
     */
    void ExpireMissing(uint64_t round, uint32_t stale, std::set<GossipSenderId>& touched);
    /**
     * Raise a sender's floor to the lowest message still buffered (lowestStored, if
     * hasLowestStored), missing or awaiting FIFO delivery.
     */
    void AdvanceFloor(GossipSenderId origin, bool hasLowestStored, uint64_t lowestStored);
    /// Forget requests made more than requestWait rounds before round.
    void PruneRequested(uint64_t round, uint32_t requestWait);

    /// Received (or own), at or above each sender's floor: what this member can offer.
    const GossipDigest& GetKnown() const;
    /// Whether a message of the sender was actually received (not only heard of).
    bool IsAnchored(GossipSenderId id) const;
    /// Messages known to exist but not received yet.
    uint32_t GetMissingCount() const;
    /// Whether a message is missing.
    bool IsMissing(const GossipMessageId& id) const;
    /// Drop everything (the payloads held for FIFO delivery included).
    void Clear();

  private:
    /**
     * Note [from, to] of origin as missing, most recent first, at most budget new entries.
     * \return the entries added.
     */
    uint32_t NoteMissing(GossipSenderId origin,
                         uint64_t from,
                         uint64_t to,
                         uint32_t budget,
                         uint64_t round);
    /// Drop all state about a sender (its window was only ever learnt from peers).
    void ForgetSender(GossipSenderId origin);
    void GiveUp(GossipSenderId origin, uint64_t seq);
    void FlushFifo(GossipSenderId origin);
    /// Whether a message of origin above seq was received.
    bool ReceivedAbove(GossipSenderId origin, uint64_t seq) const;

    GossipSenderId m_self{0};
    bool m_fifo{false};
    uint32_t m_firstContactWindow{0};
    DeliverSink m_deliver;
    GiveUpSink m_giveUp;

    GossipDigest m_known;   //!< received or own, at or above each sender's floor
    GossipDigest m_givenUp; //!< given up (not sought again), at or above each sender's floor
    std::map<GossipMessageId, uint64_t> m_missing;    //!< -> round first noticed
    std::map<GossipMessageId, uint64_t> m_requested;  //!< -> round last requested
    std::map<GossipSenderId, uint64_t> m_nextDeliver; //!< FIFO: next seq to deliver
    std::set<GossipSenderId> m_anchored; //!< senders a message was actually received from
    std::map<GossipMessageId, std::pair<Time, Ptr<const Packet>>> m_fifoPending;
    /// Boost's deque allocates nothing while empty; std::deque takes 576 bytes per member.
    boost::container::deque<std::pair<uint64_t, GossipMessageId>>
        m_missingQueue; //!< (noticed round, id)
};

} // namespace pbcast
} // namespace ns3

#endif /* PBCAST_RECEIVE_WINDOW_H */
