/*
 * SPDX-License-Identifier: GPL-2.0-only
 */
#ifndef PBCAST_STORE_H
#define PBCAST_STORE_H

#include "gossip-digest.h"

#include "ns3/nstime.h"
#include "ns3/packet.h"

#include <boost/container/deque.hpp>
#include <functional>
#include <map>
#include <vector>

namespace ns3
{
namespace pbcast
{

/**
 * \ingroup gossip
 * \brief pbcast's retransmission buffer, its garbage collection and the per-round byte budget,
 * apart from the Application so that they can be tested without a simulator.
 *
 * Messages are kept Stale rounds after they were stored, then collected. Each round a member may
 * spend at most a given number of retransmission bytes; what it serves goes most recent first
 * (Ensemble: "the last msg likely cause retrans") and stops at the first message that no longer
 * fits.
 */
class Store
{
  public:
    /// A buffered message and its retransmission bookkeeping.
    struct Entry
    {
        Ptr<const Packet> payload;
        Time sent;
        uint64_t storedRound{0};
        uint32_t requests{0};                          //!< requests since the last multicast of it
        uint64_t lastMulticastRound{0};                //!< 0: never
        std::map<GossipSenderId, uint64_t> lastSentTo; //!< consecutive-round suppression
    };

    /// Store a message in round; a message already stored is kept as is. \return its entry.
    Entry& Add(const GossipMessageId& id, Ptr<const Packet> payload, Time sent, uint64_t round);
    /// \return the entry, or nullptr if not buffered.
    Entry* Find(const GossipMessageId& id);
    uint32_t GetSize() const;
    /// The lowest buffered number of a sender. \return false if none is buffered.
    bool GetLowest(GossipSenderId sender, uint64_t& seq) const;
    /**
     * Collect what was stored more than stale rounds before round.
     * \return the ids collected, oldest first.
     */
    std::vector<GossipMessageId> Collect(uint64_t round, uint32_t stale);
    void Clear();

    /// A new round: the byte budget is full again.
    void NewRound();
    /// Whether cost more bytes fit in this round's limit.
    bool Fits(uint32_t cost, uint32_t limit) const;
    /// Spend bytes of this round's budget.
    void Charge(uint32_t bytes);
    uint32_t GetBytesThisRound() const;

    /// Sends one message; \return the bytes to charge (0 if it was not sent after all).
    typedef std::function<uint32_t(const GossipMessageId&, Entry&)> SendFunction;

    /**
     * Retransmit the buffered messages among wanted: most recent first, at most cap considered,
     * stopping at the first whose payload plus overhead no longer fits the byte budget left this
     * round (limit); each is charged what send returns.
     */
    void Serve(const GossipDigest& wanted,
               uint32_t cap,
               uint32_t overhead,
               uint32_t limit,
               const SendFunction& send);

  private:
    std::map<GossipMessageId, Entry> m_entries;
    /// Boost's deque allocates nothing while empty; std::deque takes 576 bytes per member.
    boost::container::deque<std::pair<uint64_t, GossipMessageId>> m_gcQueue; //!< (stored round, id)
    uint32_t m_bytesThisRound{0};
};

} // namespace pbcast
} // namespace ns3

#endif /* PBCAST_STORE_H */
