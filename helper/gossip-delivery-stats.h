/*
 * SPDX-License-Identifier: GPL-2.0-only
 */
#ifndef GOSSIP_DELIVERY_STATS_H
#define GOSSIP_DELIVERY_STATS_H

#include "ns3/application-container.h"
#include "ns3/gossip-message-id.h"
#include "ns3/nstime.h"

#include <cstdint>
#include <map>
#include <ostream>
#include <set>
#include <string>
#include <vector>

namespace ns3
{

/**
 * \ingroup gossip
 * \brief Delivery statistics of a multicast protocol, fed from its trace sources.
 *
 * Protocol helpers connect their "Broadcast", "Deliver" and "Tx" trace sources to the Record*
 * methods; protocols themselves never compute statistics. A message is identified by its origin
 * (a node id) and a sequence number. The denominator of the delivery fraction is the set of
 * members that were alive (not marked crashed) when the statistics are read, excluding nothing
 * else: the origin counts as having delivered its own message.
 */
class GossipDeliveryStats
{
  public:
    /**
     * Follow the applications of any protocol that disseminates messages (pbcast, lpbcast,
     * the reliable-multicast baseline) through their Broadcast, Deliver and Tx trace sources,
     * and count their nodes as members. A message is keyed by its GossipMessageId; the node
     * that broadcast it counts as having delivered it.
     */
    void Attach(const ApplicationContainer& apps);

    /// The members of the group (node ids).
    void SetMembers(const std::vector<uint32_t>& nodeIds);
    /// A member that crashed: it no longer counts in delivery fractions.
    void MarkCrashed(uint32_t nodeId);
    /// A message was sent by origin (a node id, which also names the message) at time t.
    void RecordBroadcast(uint32_t origin, uint64_t seq, Time t);
    /// Message id was sent by the member on node at time t.
    void RecordBroadcast(uint32_t node, const GossipMessageId& id, Time t);
    /// node delivered (origin, seq) at time t. Duplicates are counted, not double-delivered.
    void RecordDelivery(uint32_t node, uint32_t origin, uint64_t seq, Time t);
    /// node sent a datagram of the given size (protocol overhead).
    void RecordTx(uint32_t node, uint32_t bytes);
    /**
     * node sent a datagram at time now: counted only inside the window when one is set, so
     * the per-second rates divide what was counted by the time it was counted over.
     */
    void RecordTx(uint32_t node, uint32_t bytes, Time now);
    /// Measurement window for the per-second rates.
    void SetWindow(Time start, Time stop);

    uint32_t GetLiveMembers() const;
    uint64_t GetMessages() const;
    /// Live members that delivered the message (0 if unknown).
    uint32_t GetDeliveredMembers(uint32_t origin, uint64_t seq) const;
    /// Fraction of live members that delivered the message (0 if unknown).
    double GetDeliveryFraction(uint32_t origin, uint64_t seq) const;
    /// Mean of the delivery fractions over all messages.
    double GetMeanDeliveryFraction() const;
    /// Fraction of messages delivered by every live member.
    double GetFullyDeliveredFraction() const;
    /// Histogram of the delivery fraction over messages: bins equal slices of [0,1].
    std::vector<uint64_t> GetFractionHistogram(uint32_t bins) const;
    /// Latency (delivery time - send time) percentile over all deliveries, q in [0,1].
    Time GetLatencyPercentile(double q) const;
    uint64_t GetDuplicateDeliveries() const;
    uint64_t GetTxPackets() const;
    uint64_t GetTxBytes() const;
    /// Datagrams and bytes sent per live member per second of the window.
    double GetTxPacketsPerNodePerSecond() const;
    double GetTxBytesPerNodePerSecond() const;

    /// The messages broadcast, in id order.
    std::vector<GossipMessageId> GetMessageIds() const;
    /// When a message was broadcast (zero if unknown).
    Time GetSendTime(const GossipMessageId& id) const;
    /// Every delivery's latency, ascending.
    std::vector<Time> GetSortedLatencies() const;

    /// One delivery: who, which message, how long after its broadcast.
    struct Delivery
    {
        uint32_t node;
        GossipMessageId id;
        Time latency;
    };

    /// Every first delivery of a message by a member, by message id then node.
    std::vector<Delivery> GetDeliveries() const;
    /// A few lines: delivery ratio, latency percentiles, overhead.
    void PrintSummary(std::ostream& os) const;

    /**
     * Under ns-3's distributed simulator every rank sees only its own members' trace sources.
     * Merge() gathers every rank's records and rebuilds, at every rank, the figures that one
     * process would have counted (members, deliveries and their latencies, duplicates,
     * datagrams). A collective call: every rank calls it once, after Simulator::Run(); until
     * then a rank's getters count nothing of the broadcasts and deliveries. In one process it
     * does nothing.
     */
    void Merge();

  private:
    struct Message
    {
        Time sent;
        std::set<uint32_t> delivered;
    };

    std::set<uint32_t> m_members;
    std::set<uint32_t> m_crashed;
    std::map<std::pair<uint32_t, uint64_t>, Message> m_messages;
    /// (node, latency) of every first delivery of each message
    std::map<std::pair<uint32_t, uint64_t>, std::vector<std::pair<uint32_t, Time>>> m_latencies;
    /// Under MPI: broadcasts and deliveries as (node, origin, seq, time in ns), for Merge()
    std::vector<uint64_t> m_logBroadcasts;
    std::vector<uint64_t> m_logDeliveries;

    void ApplyBroadcast(uint32_t node, uint32_t origin, uint64_t seq, Time t);
    void ApplyDelivery(uint32_t node, uint32_t origin, uint64_t seq, Time t);
    uint64_t m_duplicates{0};
    uint64_t m_txPackets{0};
    uint64_t m_txBytes{0};
    Time m_start;
    Time m_stop;
    bool m_windowSet{false};
};

} // namespace ns3

#endif /* GOSSIP_DELIVERY_STATS_H */
