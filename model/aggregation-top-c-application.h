/*
 * SPDX-License-Identifier: GPL-2.0-only
 */
#ifndef AGGREGATION_TOP_C_APPLICATION_H
#define AGGREGATION_TOP_C_APPLICATION_H

#include "aggregation-application.h"
#include "aggregation-header.h"
#include "aggregation-top-c.h"

#include "ns3/event-id.h"
#include "ns3/nstime.h"
#include "ns3/socket.h"
#include "ns3/traced-callback.h"

#include <vector>

namespace ns3
{

/**
 * \ingroup gossip
 * \brief Gossip top-c: every node learns the C most and the C least loaded nodes.
 *
 * Each round a node pushes its two lists (at most C entries each, so messages have a bounded
 * size) to Fanout random members; a receiver merges them (aggregation::TopCMerge). The merge is
 * idempotent, so duplicates and re-counting do no harm, and losses only slow it down: the lists
 * spread like a rumour, in O(log N) rounds. This is the aggregation the lecture says gossip does
 * well. With fixed neighbours (SetNeighbours) a node pushes to all of them every round instead,
 * which makes the time to learn a value equal to the hop distance in that graph (used by the
 * dreadful-tree example to run its information-flow graphs over real packets).
 *
 * Trace sources: Changed here; Tx, Rx and Malformed (with the reason) from GossipApplication.
 */
class TopCApplication : public AggregationApplication
{
  public:
    static TypeId GetTypeId();
    TopCApplication();
    ~TopCApplication() override;

    /// The C largest values known, best first.
    const std::vector<aggregation::TopCEntry>& GetLargest() const;
    /// The C smallest values known, best first.
    const std::vector<aggregation::TopCEntry>& GetSmallest() const;

    /// Changed: the local lists after a change.
    typedef void (*ChangedTracedCallback)(const std::vector<aggregation::TopCEntry>& largest,
                                          const std::vector<aggregation::TopCEntry>& smallest);

  private:
    void StartApplication() override;
    void StopApplication() override;
    void Tick();
    void Receive(Ptr<Socket> socket);

    uint16_t m_port;
    double m_value;
    uint32_t m_nodeIndex;
    uint32_t m_c;
    uint32_t m_fanout;
    Time m_interval;
    uint32_t m_rounds;

    bool m_running{false};
    uint32_t m_round{0};
    EventId m_tick;
    std::vector<aggregation::TopCEntry> m_largest;
    std::vector<aggregation::TopCEntry> m_smallest;

    TracedCallback<const std::vector<aggregation::TopCEntry>&,
                   const std::vector<aggregation::TopCEntry>&>
        m_changedTrace;
};

} // namespace ns3

#endif /* AGGREGATION_TOP_C_APPLICATION_H */
