/*
 * SPDX-License-Identifier: GPL-2.0-only
 */
#include "aggregation-top-c-application.h"

#include "aggregation-membership.h"

#include "ns3/double.h"
#include "ns3/log.h"
#include "ns3/node.h"
#include "ns3/packet.h"
#include "ns3/simulator.h"
#include "ns3/uinteger.h"

#include <string>

namespace ns3
{

NS_LOG_COMPONENT_DEFINE("TopCApplication");
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
                            "ns3::TopCApplication::ChangedTracedCallback");
    return tid;
}

TopCApplication::TopCApplication()
{
    NS_LOG_FUNCTION(this);
}

TopCApplication::~TopCApplication() = default;

const std::vector<aggregation::TopCEntry>&
TopCApplication::GetLargest() const
{
    NS_LOG_FUNCTION(this);
    return m_largest;
}

const std::vector<aggregation::TopCEntry>&
TopCApplication::GetSmallest() const
{
    NS_LOG_FUNCTION(this);
    return m_smallest;
}

void
TopCApplication::StartApplication()
{
    NS_LOG_FUNCTION(this);
    NS_ABORT_MSG_IF(m_neighbours.empty() && (!m_members || m_members->size() < 2),
                    "TopCApplication: needs neighbours or a membership of at least 2 nodes");
    if (m_nodeIndex == UINT32_MAX)
    {
        m_nodeIndex = GetNode()->GetId();
    }
    Ipv4Address self = ResolveLocalAddress();
    NS_ABORT_MSG_IF(m_neighbours.empty() && aggregation::CountOthers(*m_members, self) == 0,
                    "TopCApplication: the membership ("
                        << m_members->size() << " distinct addresses) holds no node other than "
                        << self << "; need at least one");
    m_largest = {aggregation::TopCEntry{m_value, m_nodeIndex}};
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
    NS_LOG_FUNCTION(this);
    m_running = false;
    m_tick.Cancel();
    CloseSocket();
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
                to = m[GetRandom()->GetInteger(0, m.size() - 1)];
            } while (to == GetLocalAddress());
            targets.push_back(to);
        }
    }
    for (const auto& to : targets)
    {
        SendHeader(h, to, m_port);
    }
    ++m_round;
    m_tick = Simulator::Schedule(m_interval, &TopCApplication::Tick, this);
}

void
TopCApplication::Receive(Ptr<Socket>)
{
    NS_LOG_FUNCTION(this);
    Ptr<Packet> p;
    AggregationHeader h;
    Ipv4Address from;
    while (ReceiveHeader(p, h, from))
    {
        if (h.GetType() != AggregationHeader::TOP_C)
        {
            NotifyMalformed(p,
                            from,
                            std::string("top-c: expected TOP_C, got ") +
                                AggregationHeader::TypeName(h.GetType()));
            continue;
        }
        if (h.largest.size() > m_c || h.smallest.size() > m_c)
        {
            NotifyMalformed(p, from, "top-c: a list longer than C");
            continue;
        }
        if (!aggregation::TopCMerge::AllFinite(h.largest) ||
            !aggregation::TopCMerge::AllFinite(h.smallest))
        {
            NotifyMalformed(p, from, "top-c: a non-finite value");
            continue;
        }
        bool a = aggregation::TopCMerge::Merge(m_largest, h.largest, m_c, true);
        bool b = aggregation::TopCMerge::Merge(m_smallest, h.smallest, m_c, false);
        if (a || b)
        {
            m_changedTrace(m_largest, m_smallest);
        }
    }
}

} // namespace ns3
