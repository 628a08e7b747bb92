/*
 * SPDX-License-Identifier: GPL-2.0-only
 */
#include "aggregation-push-sum-application.h"

#include "gossip-ns3-compat.h"

#include "ns3/boolean.h"
#include "ns3/double.h"
#include "ns3/enum.h"
#include "ns3/inet-socket-address.h"
#include "ns3/ipv4.h"
#include "ns3/log.h"
#include "ns3/node.h"
#include "ns3/packet.h"
#include "ns3/simulator.h"
#include "ns3/udp-socket-factory.h"
#include "ns3/uinteger.h"

#include <cmath>

namespace ns3
{

NS_LOG_COMPONENT_DEFINE("AggregationPushSum");
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
                          EnumValue(int(AggregationFunction::AVG)),
                          gossip::compat::MakeEnumAccessor(&PushSumApplication::m_functionAttr),
                          MakeEnumChecker(int(AggregationFunction::AVG),
                                          "AVG",
                                          int(AggregationFunction::SUM),
                                          "SUM",
                                          int(AggregationFunction::COUNT),
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
                            "ns3::PushSumApplication::EstimateCallback")
            .AddTraceSource("MassSent",
                            "Mass handed to the network (s, w) by one datagram.",
                            MakeTraceSourceAccessor(&PushSumApplication::m_massSentTrace),
                            "ns3::PushSumApplication::MassCallback")
            .AddTraceSource("MassReceived",
                            "Mass taken from the network (s, w) by one datagram.",
                            MakeTraceSourceAccessor(&PushSumApplication::m_massReceivedTrace),
                            "ns3::PushSumApplication::MassCallback");
    return tid;
}

PushSumApplication::PushSumApplication()
{
}

PushSumApplication::~PushSumApplication() = default;

double
PushSumApplication::GetEstimate() const
{
    if (m_variant == NAIVE)
    {
        if (m_function == AggregationFunction::COUNT)
        {
            return m_naive > 0 ? 1.0 / m_naive : std::nan("");
        }
        return m_naive;
    }
    return m_state.Estimate();
}

PushSumMass
PushSumApplication::GetMass() const
{
    if (m_variant == NAIVE)
    {
        return {m_naive, 1.0};
    }
    return {m_state.GetS(), m_state.GetW()};
}

uint32_t
PushSumApplication::GetRound() const
{
    return m_round;
}

void
PushSumApplication::StartApplication()
{
    NS_ABORT_MSG_IF(m_variant == RUNNING_SUM && m_neighbours.empty(),
                    "PushSumApplication: Variant=RunningSum needs fixed neighbours "
                    "(SetNeighbours, or PushSumHelper::SetOverlay)");
    NS_ABORT_MSG_IF(m_neighbours.empty() && (!m_members || m_members->size() < 2),
                    "PushSumApplication: needs neighbours or a membership of at least 2 nodes");
    NS_ABORT_MSG_IF(m_variant == NAIVE && m_functionAttr == int(AggregationFunction::SUM),
                    "PushSumApplication: Variant=Naive supports Function=AVG or COUNT, not SUM");
    m_self = GetNode()->GetObject<Ipv4>()->GetAddress(1, 0).GetLocal();
    NS_ABORT_MSG_IF(m_neighbours.empty() && AggregationCountOthers(*m_members, m_self) == 0,
                    "PushSumApplication: the membership (" << m_members->size()
                                                           << " distinct addresses) holds no "
                                                              "node other than "
                                                           << m_self << "; need at least one");
    m_function = AggregationFunction(m_functionAttr);
    switch (m_function)
    {
    case AggregationFunction::SUM:
        m_state = PushSumState(m_value, m_leader ? 1.0 : 0.0);
        break;
    case AggregationFunction::COUNT:
        m_state = PushSumState(1.0, m_leader ? 1.0 : 0.0);
        break;
    default:
        m_state = PushSumState(m_value, 1.0);
        break;
    }
    m_naive = m_function == AggregationFunction::COUNT ? (m_leader ? 1.0 : 0.0) : m_value;
    m_round = 0;
    OpenSocket(m_port, MakeCallback(&PushSumApplication::Receive, this));
    m_running = true;
    Time phase =
        m_randomPhase
            ? NanoSeconds(int64_t(m_rng->GetValue(0, 1) * double(m_interval.GetNanoSeconds())))
            : Time(0);
    m_tick = Simulator::Schedule(phase, &PushSumApplication::Tick, this);
}

void
PushSumApplication::StopApplication()
{
    m_running = false;
    m_tick.Cancel();
    if (m_socket)
    {
        m_socket->SetRecvCallback(MakeNullCallback<void, Ptr<Socket>>());
        m_socket->Close();
        m_socket = nullptr;
    }
}

Ipv4Address
PushSumApplication::PickTarget()
{
    if (!m_neighbours.empty())
    {
        return m_neighbours[m_rng->GetInteger(0, m_neighbours.size() - 1)];
    }
    const auto& m = *m_members;
    while (true)
    {
        Ipv4Address a = m[m_rng->GetInteger(0, m.size() - 1)];
        if (a != m_self)
        {
            return a;
        }
    }
}

void
PushSumApplication::Send(const AggregationHeader& h, Ipv4Address to)
{
    Ptr<Packet> p = Create<Packet>();
    p->AddHeader(h);
    m_txTrace(p, to);
    m_socket->SendTo(p, 0, InetSocketAddress(to, m_port));
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
        PushSumMass half = m_state.TakeHalf();
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
    Send(h, to);
    ++m_round;
    m_tick = Simulator::Schedule(m_interval, &PushSumApplication::Tick, this);
}

void
PushSumApplication::Receive(Ptr<Socket> socket)
{
    Ptr<Packet> p;
    AggregationHeader h;
    Ipv4Address from;
    while (NextDatagram(socket, p, h, from))
    {
        bool expected = (m_variant == NAIVE) ? h.GetType() == AggregationHeader::NAIVE_AVG
                                             : h.GetType() == AggregationHeader::PUSH_SUM;
        if (!expected || !std::isfinite(h.s) || !std::isfinite(h.w) || !std::isfinite(h.value) ||
            h.w < 0)
        {
            m_malformedTrace(p, from);
            continue;
        }
        if (m_variant == NAIVE)
        {
            m_naive = (m_naive + h.value) / 2; // the sender keeps its value: re-counting
            continue;
        }
        PushSumMass m{h.s, h.w};
        if (m_variant == RUNNING_SUM)
        {
            if (h.seq == 0 || m_ledger.IsImplausible(from.Get(), h.seq))
            {
                m_malformedTrace(p, from);
                continue;
            }
            m = m_ledger.Receive(from.Get(), m, h.seq);
        }
        m_state.Absorb(m);
        m_massReceivedTrace(m.s, m.w);
    }
}

} // namespace ns3
