/*
 * SPDX-License-Identifier: GPL-2.0-only
 */
#include "aggregation-push-sum-application.h"

#include "aggregation-membership.h"
#include "gossip-ns3-compat.h"

#include "ns3/boolean.h"
#include "ns3/double.h"
#include "ns3/enum.h"
#include "ns3/log.h"
#include "ns3/packet.h"
#include "ns3/simulator.h"
#include "ns3/uinteger.h"

#include <cmath>

namespace ns3
{

NS_LOG_COMPONENT_DEFINE("PushSumApplication");
NS_OBJECT_ENSURE_REGISTERED(PushSumApplication);

TypeId
PushSumApplication::GetTypeId()
{
    static TypeId tid =
        TypeId("ns3::PushSumApplication")
            .SetParent<AggregationApplication>()
            .SetGroupName("Gossip")
            .AddConstructor<PushSumApplication>()
            .AddAttribute("Port",
                          "UDP port of the protocol.",
                          UintegerValue(9200),
                          MakeUintegerAccessor(&PushSumApplication::m_port),
                          MakeUintegerChecker<uint16_t>(1, 65535))
            .AddAttribute(
                "Variant",
                "PushSum (Kempe et al.), RunningSum (loss-tolerant totals), or Naive "
                "(unweighted pairwise averaging).",
                EnumValue(PUSH_SUM),
                gossip::compat::MakeEnumAccessor(&PushSumApplication::m_variant),
                MakeEnumChecker(PUSH_SUM, "PushSum", RUNNING_SUM, "RunningSum", NAIVE, "Naive"))
            .AddAttribute("Function",
                          "AVG, SUM or COUNT (Naive: AVG or COUNT).",
                          EnumValue(int(aggregation::Function::AVG)),
                          gossip::compat::MakeEnumAccessor(&PushSumApplication::m_functionAttr),
                          MakeEnumChecker(int(aggregation::Function::AVG),
                                          "AVG",
                                          int(aggregation::Function::SUM),
                                          "SUM",
                                          int(aggregation::Function::COUNT),
                                          "COUNT"))
            .AddAttribute("Value",
                          "This node's input x_i.",
                          DoubleValue(0.0),
                          MakeDoubleAccessor(&PushSumApplication::m_value),
                          MakeDoubleChecker<double>())
            .AddAttribute("Leader",
                          "This node starts with weight 1 for SUM and COUNT (exactly one node "
                          "should).",
                          BooleanValue(false),
                          MakeBooleanAccessor(&PushSumApplication::m_leader),
                          MakeBooleanChecker())
            .AddAttribute("RoundInterval",
                          "Gossip period (the lecture: about five seconds).",
                          TimeValue(Seconds(5)),
                          MakeTimeAccessor(&PushSumApplication::m_interval),
                          MakeTimeChecker(MicroSeconds(10), Seconds(3600)))
            .AddAttribute("Rounds",
                          "Rounds to run (0: until stopped).",
                          UintegerValue(50),
                          MakeUintegerAccessor(&PushSumApplication::m_rounds),
                          MakeUintegerChecker<uint32_t>(0, 10000000))
            .AddAttribute("RandomPhase",
                          "Start the first round at a uniform random offset within one "
                          "RoundInterval (unsynchronised nodes) instead of all at once.",
                          BooleanValue(false),
                          MakeBooleanAccessor(&PushSumApplication::m_randomPhase),
                          MakeBooleanChecker())
            .AddTraceSource("Estimate",
                            "At each round start: the round number and the local estimate.",
                            MakeTraceSourceAccessor(&PushSumApplication::m_estimateTrace),
                            "ns3::PushSumApplication::EstimateTracedCallback")
            .AddTraceSource("MassSent",
                            "Mass handed to the network (s, w) by one datagram.",
                            MakeTraceSourceAccessor(&PushSumApplication::m_massSentTrace),
                            "ns3::PushSumApplication::MassTracedCallback")
            .AddTraceSource("MassReceived",
                            "Mass taken from the network (s, w) by one datagram.",
                            MakeTraceSourceAccessor(&PushSumApplication::m_massReceivedTrace),
                            "ns3::PushSumApplication::MassTracedCallback");
    return tid;
}

PushSumApplication::PushSumApplication()
{
    NS_LOG_FUNCTION(this);
}

PushSumApplication::~PushSumApplication() = default;

double
PushSumApplication::GetEstimate() const
{
    NS_LOG_FUNCTION(this);
    if (m_variant == NAIVE)
    {
        if (m_function == aggregation::Function::COUNT)
        {
            return m_naive > 0 ? 1.0 / m_naive : std::nan("");
        }
        return m_naive;
    }
    return m_state.Estimate();
}

aggregation::Mass
PushSumApplication::GetMass() const
{
    NS_LOG_FUNCTION(this);
    if (m_variant == NAIVE)
    {
        return {m_naive, 1.0};
    }
    return {m_state.GetS(), m_state.GetW()};
}

uint32_t
PushSumApplication::GetRound() const
{
    NS_LOG_FUNCTION(this);
    return m_round;
}

void
PushSumApplication::StartApplication()
{
    NS_LOG_FUNCTION(this);
    NS_ABORT_MSG_IF(m_variant == RUNNING_SUM && m_neighbours.empty(),
                    "PushSumApplication: Variant=RunningSum needs fixed neighbours "
                    "(SetNeighbours, or PushSumHelper::SetOverlay)");
    NS_ABORT_MSG_IF(m_neighbours.empty() && (!m_members || m_members->size() < 2),
                    "PushSumApplication: needs neighbours or a membership of at least 2 nodes");
    NS_ABORT_MSG_IF(m_variant == NAIVE && m_functionAttr == int(aggregation::Function::SUM),
                    "PushSumApplication: Variant=Naive supports Function=AVG or COUNT, not SUM");
    Ipv4Address self = ResolveLocalAddress();
    NS_ABORT_MSG_IF(m_neighbours.empty() && aggregation::CountOthers(*m_members, self) == 0,
                    "PushSumApplication: the membership ("
                        << m_members->size() << " distinct addresses) holds no node other than "
                        << self << "; need at least one");
    m_function = aggregation::Function(m_functionAttr);
    switch (m_function)
    {
    case aggregation::Function::SUM:
        m_state = aggregation::PushSumState(m_value, m_leader ? 1.0 : 0.0);
        break;
    case aggregation::Function::COUNT:
        m_state = aggregation::PushSumState(1.0, m_leader ? 1.0 : 0.0);
        break;
    default:
        m_state = aggregation::PushSumState(m_value, 1.0);
        break;
    }
    m_naive = m_function == aggregation::Function::COUNT ? (m_leader ? 1.0 : 0.0) : m_value;
    m_round = 0;
    OpenSocket(m_port, MakeCallback(&PushSumApplication::Receive, this));
    m_running = true;
    Time phase = m_randomPhase ? NanoSeconds(int64_t(GetRandom()->GetValue(0, 1) *
                                                     double(m_interval.GetNanoSeconds())))
                               : Time(0);
    m_tick = Simulator::Schedule(phase, &PushSumApplication::Tick, this);
}

void
PushSumApplication::StopApplication()
{
    NS_LOG_FUNCTION(this);
    m_running = false;
    m_tick.Cancel();
    CloseSocket();
}

Ipv4Address
PushSumApplication::PickTarget()
{
    if (!m_neighbours.empty())
    {
        return m_neighbours[GetRandom()->GetInteger(0, m_neighbours.size() - 1)];
    }
    const auto& m = *m_members;
    while (true)
    {
        Ipv4Address a = m[GetRandom()->GetInteger(0, m.size() - 1)];
        if (a != GetLocalAddress())
        {
            return a;
        }
    }
}

void
PushSumApplication::Tick()
{
    if (!m_running)
    {
        return;
    }
    m_estimateTrace(m_round, GetEstimate());
    if (m_rounds != 0 && m_round >= m_rounds)
    {
        return;
    }
    Ipv4Address to = PickTarget();
    AggregationHeader h;
    h.round = m_round;
    if (m_variant == NAIVE)
    {
        h.SetType(AggregationHeader::NAIVE_AVG);
        h.value = m_naive;
    }
    else
    {
        h.SetType(AggregationHeader::PUSH_SUM);
        aggregation::Mass half = m_state.TakeHalf();
        m_massSentTrace(half.s, half.w);
        if (m_variant == RUNNING_SUM)
        {
            auto totals = m_ledger.AddSent(to.Get(), half);
            h.s = totals.first.s;
            h.w = totals.first.w;
            h.seq = totals.second;
        }
        else
        {
            h.s = half.s;
            h.w = half.w;
            h.seq = 0;
        }
    }
    SendHeader(h, to, m_port);
    ++m_round;
    m_tick = Simulator::Schedule(m_interval, &PushSumApplication::Tick, this);
}

void
PushSumApplication::Receive(Ptr<Socket>)
{
    NS_LOG_FUNCTION(this);
    Ptr<Packet> p;
    AggregationHeader h;
    Ipv4Address from;
    while (ReceiveHeader(p, h, from))
    {
        AggregationHeader::Type expected =
            m_variant == NAIVE ? AggregationHeader::NAIVE_AVG : AggregationHeader::PUSH_SUM;
        if (h.GetType() != expected)
        {
            NotifyMalformed(p,
                            from,
                            std::string("push-sum: expected ") +
                                AggregationHeader::TypeName(expected) + ", got " +
                                AggregationHeader::TypeName(h.GetType()));
            continue;
        }
        if (!std::isfinite(h.s) || !std::isfinite(h.w) || !std::isfinite(h.value))
        {
            NotifyMalformed(p, from, "push-sum: non-finite mass or value");
            continue;
        }
        if (h.w < 0)
        {
            NotifyMalformed(p, from, "push-sum: negative weight");
            continue;
        }
        if (m_variant == NAIVE)
        {
            m_naive = (m_naive + h.value) / 2; // the sender keeps its value: re-counting
            continue;
        }
        aggregation::Mass m{h.s, h.w};
        if (m_variant == RUNNING_SUM)
        {
            if (h.seq == 0)
            {
                NotifyMalformed(p, from, "push-sum: running sum with sequence number 0");
                continue;
            }
            if (m_ledger.IsImplausible(from.Get(), h.seq))
            {
                NotifyMalformed(p,
                                from,
                                "push-sum: running-sum sequence number jumps more than 2^31");
                continue;
            }
            m = m_ledger.Receive(from.Get(), m, h.seq);
        }
        m_state.Absorb(m);
        m_massReceivedTrace(m.s, m.w);
    }
}

} // namespace ns3
