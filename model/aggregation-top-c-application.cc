/*
 * SPDX-License-Identifier: GPL-2.0-only
 */
#include "aggregation-top-c-application.h"

#include "ns3/double.h"
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

NS_LOG_COMPONENT_DEFINE("AggregationTopC");
NS_OBJECT_ENSURE_REGISTERED(TopCApplication);

TypeId
TopCApplication::GetTypeId()
{
    static TypeId tid =
        TypeId("ns3::TopCApplication")
            .SetParent<AggregationApplication>()
            .SetGroupName("Gossip")
            .AddConstructor<TopCApplication>()
            .AddAttribute("Port",
                          "UDP port of the protocol.",
                          UintegerValue(9300),
                          MakeUintegerAccessor(&TopCApplication::m_port),
                          MakeUintegerChecker<uint16_t>(1, 65535))
            .AddAttribute("Value",
                          "This node's load.",
                          DoubleValue(0.0),
                          MakeDoubleAccessor(&TopCApplication::m_value),
                          MakeDoubleChecker<double>())
            .AddAttribute("NodeIndex",
                          "Identifier in the lists (default: the ns-3 node id).",
                          UintegerValue(UINT32_MAX),
                          MakeUintegerAccessor(&TopCApplication::m_nodeIndex),
                          MakeUintegerChecker<uint32_t>())
            .AddAttribute("C",
                          "How many most and least loaded nodes to find.",
                          UintegerValue(3),
                          MakeUintegerAccessor(&TopCApplication::m_c),
                          MakeUintegerChecker<uint32_t>(1, 255))
            .AddAttribute("Fanout",
                          "Targets per round.",
                          UintegerValue(1),
                          MakeUintegerAccessor(&TopCApplication::m_fanout),
                          MakeUintegerChecker<uint32_t>(1, 64))
            .AddAttribute("RoundInterval",
                          "Gossip period.",
                          TimeValue(Seconds(5)),
                          MakeTimeAccessor(&TopCApplication::m_interval),
                          MakeTimeChecker(MicroSeconds(10), Seconds(3600)))
            .AddAttribute("Rounds",
                          "Rounds to run (0: until stopped).",
                          UintegerValue(50),
                          MakeUintegerAccessor(&TopCApplication::m_rounds),
                          MakeUintegerChecker<uint32_t>(0, 10000000))
            .AddTraceSource("Changed",
                            "The local lists changed (largest, smallest).",
                            MakeTraceSourceAccessor(&TopCApplication::m_changedTrace),
                            "ns3::TopCApplication::ChangedCallback");
    return tid;
}

TopCApplication::TopCApplication()
{
}

TopCApplication::~TopCApplication() = default;

const std::vector<TopCEntry>&
TopCApplication::GetLargest() const
{
    return m_largest;
}

const std::vector<TopCEntry>&
TopCApplication::GetSmallest() const
{
    return m_smallest;
}

void
TopCApplication::StartApplication()
{
    NS_ABORT_MSG_IF(m_neighbours.empty() && (!m_members || m_members->size() < 2),
                    "TopCApplication: needs neighbours or a membership of at least 2 nodes");
    if (m_nodeIndex == UINT32_MAX)
    {
        m_nodeIndex = GetNode()->GetId();
    }
    m_self = GetNode()->GetObject<Ipv4>()->GetAddress(1, 0).GetLocal();
    NS_ABORT_MSG_IF(m_neighbours.empty() && AggregationCountOthers(*m_members, m_self) == 0,
                    "TopCApplication: the membership (" << m_members->size()
                                                        << " distinct addresses) holds no node "
                                                           "other than "
                                                        << m_self << "; need at least one");
    m_largest = {TopCEntry{m_value, m_nodeIndex}};
    m_smallest = m_largest;
    m_round = 0;
    OpenSocket(m_port, MakeCallback(&TopCApplication::Receive, this));
    m_running = true;
    m_changedTrace(m_largest, m_smallest);
    m_tick = Simulator::ScheduleNow(&TopCApplication::Tick, this);
}

void
TopCApplication::StopApplication()
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

void
TopCApplication::Tick()
{
    if (!m_running || (m_rounds != 0 && m_round >= m_rounds))
    {
        return;
    }
    AggregationHeader h;
    h.SetType(AggregationHeader::TOP_C);
    h.round = m_round;
    h.largest = m_largest;
    h.smallest = m_smallest;
    std::vector<Ipv4Address> targets = m_neighbours;
    if (targets.empty())
    {
        const auto& m = *m_members;
        for (uint32_t k = 0; k < m_fanout; ++k)
        {
            Ipv4Address to;
            do
            {
                to = m[m_rng->GetInteger(0, m.size() - 1)];
            } while (to == m_self);
            targets.push_back(to);
        }
    }
    for (const auto& to : targets)
    {
        Ptr<Packet> p = Create<Packet>();
        p->AddHeader(h);
        m_txTrace(p, to);
        m_socket->SendTo(p, 0, InetSocketAddress(to, m_port));
    }
    ++m_round;
    m_tick = Simulator::Schedule(m_interval, &TopCApplication::Tick, this);
}

void
TopCApplication::Receive(Ptr<Socket> socket)
{
    Ptr<Packet> p;
    AggregationHeader h;
    Ipv4Address from;
    while (NextDatagram(socket, p, h, from))
    {
        if (h.GetType() != AggregationHeader::TOP_C || h.largest.size() > m_c ||
            h.smallest.size() > m_c || !TopCMerge::AllFinite(h.largest) ||
            !TopCMerge::AllFinite(h.smallest))
        {
            m_malformedTrace(p, from);
            continue;
        }
        bool a = TopCMerge::Merge(m_largest, h.largest, m_c, true);
        bool b = TopCMerge::Merge(m_smallest, h.smallest, m_c, false);
        if (a || b)
        {
            m_changedTrace(m_largest, m_smallest);
        }
    }
}

} // namespace ns3
