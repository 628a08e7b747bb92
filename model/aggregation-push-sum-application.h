/*
 * SPDX-License-Identifier: GPL-2.0-only
 */
#ifndef AGGREGATION_PUSH_SUM_APPLICATION_H
#define AGGREGATION_PUSH_SUM_APPLICATION_H

#include "aggregation-application.h"
#include "aggregation-header.h"
#include "aggregation-partial.h"
#include "aggregation-push-sum.h"
#include "aggregation-running-sum.h"

#include "ns3/event-id.h"
#include "ns3/ipv4-address.h"
#include "ns3/nstime.h"
#include "ns3/socket.h"
#include "ns3/traced-callback.h"

namespace ns3
{

/**
 * \ingroup gossip
 * \brief Gossip aggregation by push-sum (Kempe, Dobra, Gehrke, FOCS 2003) and two contrasts.
 *
 * Rounds are synchronous (every node ticks at StartTime + k·RoundInterval). Variants:
 *  - PushSum: each round keep half of (s, w), send the other half to one random target; the
 *    estimate is s/w. Σs and Σw are conserved as long as no datagram is lost.
 *  - RunningSum: the same, but each datagram carries the running totals ever sent to that target
 *    (with a sequence number) so a lost UDP datagram only delays mass instead of destroying it.
 *    Targets must be fixed overlay neighbours (per-neighbour state).
 *  - Naive: pairwise averaging without weights: send your value, the receiver replaces its value
 *    by the mean of the two while the sender keeps its own. The sum is not conserved (values are
 *    re-counted) and the nodes agree on a value that is not the average.
 *
 * Functions: AVG (s = x, w = 1), SUM (s = x, w = 1 at the Leader only), COUNT (s = 1, w = 1 at
 * the Leader only: s/w -> N). The Naive variant computes AVG, and COUNT as 1/avg of an indicator
 * that is 1 at the Leader.
 *
 * Trace sources: Estimate, MassSent and MassReceived here; Tx, Rx and Malformed (with the
 * reason) from GossipApplication.
 */
class PushSumApplication : public AggregationApplication
{
  public:
    enum Variant
    {
        PUSH_SUM,
        RUNNING_SUM,
        NAIVE
    };

    static TypeId GetTypeId();
    PushSumApplication();
    ~PushSumApplication() override;

    /// Current estimate of the function (NaN while w == 0).
    double GetEstimate() const;
    /// Current local mass (s, w); for Naive, (value, 1).
    aggregation::Mass GetMass() const;
    uint32_t GetRound() const;

    /// Estimate: at a round start, the round and the local estimate.
    typedef void (*EstimateTracedCallback)(uint32_t round, double estimate);
    /// MassSent and MassReceived: the mass (s, w) one datagram carried.
    typedef void (*MassTracedCallback)(double s, double w);

  private:
    void StartApplication() override;
    void StopApplication() override;
    void Tick();
    void Receive(Ptr<Socket> socket);
    Ipv4Address PickTarget();

    uint16_t m_port;
    Variant m_variant;
    int m_functionAttr; //!< the Function attribute (EnumValue holds an int)
    aggregation::Function m_function{aggregation::Function::AVG};
    double m_value;
    bool m_leader;
    Time m_interval;
    uint32_t m_rounds;
    bool m_randomPhase;

    bool m_running{false};
    uint32_t m_round{0};
    EventId m_tick;

    aggregation::PushSumState m_state;
    double m_naive{0.0};
    aggregation::RunningSumLedger m_ledger;

    TracedCallback<uint32_t, double> m_estimateTrace;
    TracedCallback<double, double> m_massSentTrace;
    TracedCallback<double, double> m_massReceivedTrace;
};

} // namespace ns3

#endif /* AGGREGATION_PUSH_SUM_APPLICATION_H */
