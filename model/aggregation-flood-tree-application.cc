/*
 * SPDX-License-Identifier: GPL-2.0-only
 */
#include "aggregation-flood-tree-application.h"

#include "aggregation-membership.h"
#include "gossip-ns3-compat.h"

#include "ns3/boolean.h"
#include "ns3/double.h"
#include "ns3/enum.h"
#include "ns3/ipv4-address.h"
#include "ns3/log.h"
#include "ns3/node.h"
#include "ns3/packet.h"
#include "ns3/simulator.h"
#include "ns3/uinteger.h"

#include <algorithm>

namespace ns3
{

NS_LOG_COMPONENT_DEFINE("FloodTreeApplication");
NS_OBJECT_ENSURE_REGISTERED(FloodTreeApplication);

TypeId
FloodTreeApplication::GetTypeId()
{
    static TypeId tid =
        TypeId("ns3::FloodTreeApplication")
            .SetParent<AggregationApplication>()
            .SetGroupName("Gossip")
            .AddConstructor<FloodTreeApplication>()
            .AddAttribute("Port",
                          "UDP port of the protocol.",
                          UintegerValue(9100),
                          MakeUintegerAccessor(&FloodTreeApplication::m_port),
                          MakeUintegerChecker<uint16_t>(1, 65535))
            .AddAttribute("Value",
                          "This node's value (e.g. its load).",
                          DoubleValue(0.0),
                          MakeDoubleAccessor(&FloodTreeApplication::m_value),
                          MakeDoubleChecker<double>())
            .AddAttribute("NodeIndex",
                          "Identifier reported as argmin/argmax (default: the ns-3 node id).",
                          UintegerValue(UINT32_MAX),
                          MakeUintegerAccessor(&FloodTreeApplication::m_nodeIndex),
                          MakeUintegerChecker<uint32_t>())
            .AddAttribute("IsRoot",
                          "This node issues the queries.",
                          BooleanValue(false),
                          MakeBooleanAccessor(&FloodTreeApplication::m_isRoot),
                          MakeBooleanChecker())
            .AddAttribute("RootAddress",
                          "Non-root: only trees flooded by this root are joined (0.0.0.0: any "
                          "root). Without it one forged flood with a huge tree id could pin "
                          "the node until its tree expires.",
                          Ipv4AddressValue(Ipv4Address::GetAny()),
                          MakeIpv4AddressAccessor(&FloodTreeApplication::m_rootAttr),
                          MakeIpv4AddressChecker())
            .AddAttribute("Mode",
                          "Fixed: flood to fixed overlay neighbours (echo algorithm, 2|E| "
                          "messages). Random: flood to Fanout random members (gossip style).",
                          EnumValue(FIXED),
                          gossip::compat::MakeEnumAccessor(&FloodTreeApplication::m_mode),
                          MakeEnumChecker(FIXED, "Fixed", RANDOM, "Random"))
            .AddAttribute("Fanout",
                          "Random next hops per node in Random mode.",
                          UintegerValue(4),
                          MakeUintegerAccessor(&FloodTreeApplication::m_fanout),
                          MakeUintegerChecker<uint32_t>(1, 64))
            .AddAttribute("QueryBudget",
                          "Time the root waits for an answer; inner nodes get less.",
                          TimeValue(MilliSeconds(200)),
                          MakeTimeAccessor(&FloodTreeApplication::m_budget),
                          MakeTimeChecker(MicroSeconds(1), Seconds(3600)))
            .AddAttribute("HopGuard",
                          "How much earlier than its parent a node gives up on its children "
                          "(must exceed two one-way delays).",
                          TimeValue(MilliSeconds(1)),
                          MakeTimeAccessor(&FloodTreeApplication::m_hopGuard),
                          MakeTimeChecker(MicroSeconds(1), Seconds(60)))
            .AddAttribute("ProcessingDelay",
                          "Time a node takes before forwarding a query or sending its echo "
                          "(the lecture assumes about a millisecond per hop).",
                          TimeValue(Seconds(0)),
                          MakeTimeAccessor(&FloodTreeApplication::m_processing),
                          MakeTimeChecker(Seconds(0), Seconds(10)))
            .AddAttribute("ForwardJitter",
                          "Spread the forwarded queries uniformly over this time instead of "
                          "sending them back to back (flooding jitter, RFC 5148): a smaller "
                          "load spike for a slower tree.",
                          TimeValue(Seconds(0)),
                          MakeTimeAccessor(&FloodTreeApplication::m_jitter),
                          MakeTimeChecker(Seconds(0), Seconds(10)))
            .AddAttribute("TreeLifetime",
                          "How long a built tree is reused before the root floods again.",
                          TimeValue(Seconds(30)),
                          MakeTimeAccessor(&FloodTreeApplication::m_treeLifetime),
                          MakeTimeChecker(Seconds(0), Seconds(86400)))
            .AddAttribute("QueryInterval",
                          "Root: time between queries (must exceed QueryBudget).",
                          TimeValue(Seconds(1)),
                          MakeTimeAccessor(&FloodTreeApplication::m_queryInterval),
                          MakeTimeChecker(MicroSeconds(1), Seconds(86400)))
            .AddAttribute("Queries",
                          "Root: how many queries to issue (0: none, call StartQuery()).",
                          UintegerValue(1),
                          MakeUintegerAccessor(&FloodTreeApplication::m_queries),
                          MakeUintegerChecker<uint32_t>(0, 1000000))
            .AddAttribute("Function",
                          "The aggregate reported in logs (all are computed).",
                          EnumValue(int(aggregation::Function::AVG)),
                          gossip::compat::MakeEnumAccessor(&FloodTreeApplication::m_functionAttr),
                          MakeEnumChecker(int(aggregation::Function::COUNT),
                                          "COUNT",
                                          int(aggregation::Function::SUM),
                                          "SUM",
                                          int(aggregation::Function::AVG),
                                          "AVG",
                                          int(aggregation::Function::MIN),
                                          "MIN",
                                          int(aggregation::Function::MAX),
                                          "MAX"))
            .AddTraceSource("Answer",
                            "Root: the answer to a query.",
                            MakeTraceSourceAccessor(&FloodTreeApplication::m_answerTrace),
                            "ns3::FloodTreeApplication::AnswerTracedCallback")
            .AddTraceSource("Timeout",
                            "A node gave up waiting: query id, silent children.",
                            MakeTraceSourceAccessor(&FloodTreeApplication::m_timeoutTrace),
                            "ns3::FloodTreeApplication::TimeoutTracedCallback")
            .AddTraceSource("Join",
                            "A node joined a new tree: parent, depth.",
                            MakeTraceSourceAccessor(&FloodTreeApplication::m_joinTrace),
                            "ns3::FloodTreeApplication::JoinTracedCallback");
    return tid;
}

FloodTreeApplication::FloodTreeApplication()
{
    NS_LOG_FUNCTION(this);
}

FloodTreeApplication::~FloodTreeApplication() = default;

bool
FloodTreeApplication::InTree() const
{
    NS_LOG_FUNCTION(this);
    return m_isRoot ? m_treeId != 0 : m_hasParent;
}

Ipv4Address
FloodTreeApplication::GetParent() const
{
    NS_LOG_FUNCTION(this);
    return m_parent;
}

const std::vector<Ipv4Address>&
FloodTreeApplication::GetChildren() const
{
    NS_LOG_FUNCTION(this);
    return m_children;
}

uint32_t
FloodTreeApplication::GetDepth() const
{
    NS_LOG_FUNCTION(this);
    return m_depth;
}

double
FloodTreeApplication::GetValue() const
{
    NS_LOG_FUNCTION(this);
    return m_value;
}

void
FloodTreeApplication::SetValue(double v)
{
    NS_LOG_FUNCTION(this << v);
    m_value = v;
}

void
FloodTreeApplication::StartApplication()
{
    NS_LOG_FUNCTION(this);
    NS_ABORT_MSG_IF(m_mode == FIXED && m_neighbours.empty() && m_isRoot,
                    "FloodTreeApplication: Mode=Fixed needs neighbours (SetNeighbours or "
                    "FloodTreeHelper)");
    NS_ABORT_MSG_IF(m_mode == RANDOM && (!m_members || m_members->size() < 2),
                    "FloodTreeApplication: Mode=Random needs a membership of at least 2 nodes");
    NS_ABORT_MSG_IF(m_isRoot && m_queries > 1 && m_queryInterval <= m_budget,
                    "FloodTreeApplication: QueryInterval=" << m_queryInterval.As(Time::MS)
                                                           << " must exceed QueryBudget="
                                                           << m_budget.As(Time::MS));
    if (m_nodeIndex == UINT32_MAX)
    {
        m_nodeIndex = GetNode()->GetId();
    }
    Ipv4Address self = ResolveLocalAddress();
    NS_ABORT_MSG_IF(m_mode == RANDOM && aggregation::CountOthers(*m_members, self) == 0,
                    "FloodTreeApplication: the membership ("
                        << m_members->size() << " distinct addresses) holds no node other than "
                        << self << "; need at least one");
    m_function = aggregation::Function(m_functionAttr);
    OpenSocket(m_port, MakeCallback(&FloodTreeApplication::Receive, this));
    m_running = true;
    if (m_isRoot && m_queries > 0)
    {
        m_nextQueryEvent = Simulator::ScheduleNow(&FloodTreeApplication::StartQuery, this);
    }
}

void
FloodTreeApplication::StopApplication()
{
    NS_LOG_FUNCTION(this);
    // A stopped application behaves like a crashed node: it answers nothing from now on.
    m_running = false;
    m_collecting = false;
    m_deadlineEvent.Cancel();
    m_nextQueryEvent.Cancel();
    CloseSocket();
}

void
FloodTreeApplication::Crash()
{
    NS_LOG_FUNCTION(this);
    StopApplication();
}

void
FloodTreeApplication::StartQuery()
{
    NS_LOG_FUNCTION(this);
    NS_ABORT_MSG_UNLESS(m_isRoot, "FloodTreeApplication::StartQuery on a node with IsRoot=false");
    if (!m_running || m_collecting)
    {
        return;
    }
    AggregationHeader h;
    h.queryId = ++m_nextQueryId;
    h.function = uint8_t(m_function);
    h.root = GetLocalAddress().Get();
    m_treeRoot = h.root;
    m_queryStart = Simulator::Now();
    ++m_issued;
    if (m_treeId != 0 && Simulator::Now() < m_treeExpiry)
    {
        h.SetType(AggregationHeader::TREE_QUERY);
        h.treeId = m_treeId;
        BeginCollect(h, false, m_children);
        return;
    }
    // Flood a new tree; query ids grow, so a later tree always has a larger id.
    h.SetType(AggregationHeader::TREE_FLOOD);
    m_treeId = h.queryId;
    h.treeId = m_treeId;
    m_children.clear();
    m_treeSilent.clear();
    m_depth = 0;
    m_treeExpiry = Simulator::Now() + m_treeLifetime;
    BeginCollect(h, true, m_mode == FIXED ? m_neighbours : PickRandom(Ipv4Address::GetAny()));
}

std::vector<Ipv4Address>
FloodTreeApplication::PickRandom(Ipv4Address exclude)
{
    const auto& m = *m_members;
    Ipv4Address self = GetLocalAddress();
    std::vector<Ipv4Address> out;
    // Count the distinct candidates actually present (self or exclude may be absent from the
    // list), or the rejection loop below could wait forever for one that does not exist.
    uint32_t candidates = 0;
    for (const auto& a : m)
    {
        candidates += (a != self && a != exclude) ? 1 : 0;
    }
    uint32_t want = std::min<uint32_t>(m_fanout, candidates);
    while (out.size() < want)
    {
        Ipv4Address a = m[GetRandom()->GetInteger(0, m.size() - 1)];
        if (a == self || a == exclude || std::find(out.begin(), out.end(), a) != out.end())
        {
            continue;
        }
        out.push_back(a);
    }
    return out;
}

void
FloodTreeApplication::BeginCollect(const AggregationHeader& h,
                                   bool build,
                                   const std::vector<Ipv4Address>& to)
{
    m_queryId = h.queryId;
    m_build = build;
    m_collecting = true;
    m_waitFor = to;
    m_answered.assign(to.size(), false);
    m_pending = to.size();
    m_acc = aggregation::Partial::FromValue(m_value, m_nodeIndex);
    if (!build && !m_treeSilent.empty())
    {
        m_acc.partial = true;
        m_acc.missing += m_treeSilent.size();
    }
    Time budget = m_isRoot ? m_budget : MicroSeconds(h.budgetUs);
    m_deadlineEvent.Cancel();
    m_deadlineEvent = Simulator::Schedule(budget, &FloodTreeApplication::Deadline, this);
    if (!to.empty())
    {
        AggregationHeader down = h;
        down.treeId = m_treeId;
        down.round = m_depth;
        Time childBudget = budget - m_processing - m_hopGuard;
        down.budgetUs = childBudget.IsStrictlyPositive() ? childBudget.GetMicroSeconds() : 0;
        if (m_processing.IsZero())
        {
            Forward(down, to);
        }
        else
        {
            Simulator::Schedule(m_processing, &FloodTreeApplication::Forward, this, down, to);
        }
    }
    MaybeFinish();
}

void
FloodTreeApplication::Forward(AggregationHeader h, std::vector<Ipv4Address> to)
{
    if (!m_running)
    {
        return;
    }
    for (const auto& a : to)
    {
        if (m_jitter.IsZero())
        {
            Send(h, a);
        }
        else
        {
            Time d = NanoSeconds(int64_t(GetRandom()->GetValue(0, 1) * m_jitter.GetNanoSeconds()));
            Simulator::Schedule(d, &FloodTreeApplication::SendIfRunning, this, h, a);
        }
    }
}

void
FloodTreeApplication::SendIfRunning(AggregationHeader h, Ipv4Address to)
{
    if (m_running)
    {
        Send(h, to);
    }
}

void
FloodTreeApplication::Send(const AggregationHeader& h, Ipv4Address to)
{
    NS_LOG_LOGIC("node " << m_nodeIndex << " (" << GetLocalAddress() << ") to " << to << ": " << h);
    SendHeader(h, to, m_port);
}

void
FloodTreeApplication::Receive(Ptr<Socket>)
{
    NS_LOG_FUNCTION(this << m_nodeIndex);
    Ptr<Packet> p;
    AggregationHeader h;
    Ipv4Address from;
    while (m_running && ReceiveHeader(p, h, from))
    {
        // A NaN/inf partial would poison the root's answer (and MIN/MAX comparisons).
        if (h.GetType() == AggregationHeader::TREE_ECHO && !h.partial.IsFinite())
        {
            NotifyMalformed(p, from, "flood tree: TREE_ECHO with a non-finite aggregate");
            continue;
        }
        NS_LOG_LOGIC("node " << m_nodeIndex << " (" << GetLocalAddress() << ") from " << from
                             << ": " << h);
        switch (h.GetType())
        {
        case AggregationHeader::TREE_FLOOD:
            HandleFlood(h, from);
            break;
        case AggregationHeader::TREE_QUERY:
            HandleQuery(h, from);
            break;
        case AggregationHeader::TREE_ECHO:
            HandleReply(h, from, true);
            break;
        case AggregationHeader::TREE_NACK:
            HandleReply(h, from, false);
            break;
        default: // another protocol's message on our port
            NotifyMalformed(p,
                            from,
                            std::string("flood tree: not a tree message (") +
                                AggregationHeader::TypeName(h.GetType()) + ")");
            break;
        }
    }
}

void
FloodTreeApplication::HandleFlood(const AggregationHeader& h, Ipv4Address from)
{
    if (!m_rootAttr.IsAny() && h.root != m_rootAttr.Get())
    {
        return; // not the configured root: a stray or forged tree
    }
    // Trees are keyed by (root, id): ids only grow per root. An expired tree no longer blocks a
    // smaller id, so even a forged flood that claims the configured root and id 0xFFFFFFFF
    // holds a node for at most TreeLifetime.
    bool newTree = h.root != m_treeRoot || h.treeId > m_treeId ||
                   (h.treeId != m_treeId && Simulator::Now() >= m_treeExpiry);
    if (!m_isRoot && newTree)
    {
        // First time we hear of this tree: the sender is our parent.
        m_treeId = h.treeId;
        m_treeRoot = h.root;
        m_hasParent = true;
        m_parent = from;
        m_depth = h.round + 1;
        m_children.clear();
        m_treeSilent.clear();
        m_treeExpiry = Simulator::Now() + m_treeLifetime;
        m_joinTrace(from, m_depth);
        std::vector<Ipv4Address> to;
        if (m_mode == FIXED)
        {
            for (const auto& n : m_neighbours)
            {
                if (n != from)
                {
                    to.push_back(n);
                }
            }
        }
        else
        {
            to = PickRandom(from);
        }
        BeginCollect(h, true, to);
        return;
    }
    if (h.treeId != m_treeId || h.root != m_treeRoot)
    {
        return; // a flood of an older or another root's tree
    }
    if (m_mode == FIXED)
    {
        // Echo algorithm: the neighbour's own flood on this edge means "not your child".
        HandleReply(h, from, false);
    }
    else
    {
        AggregationHeader nack;
        nack.SetType(AggregationHeader::TREE_NACK);
        nack.queryId = h.queryId;
        nack.treeId = h.treeId;
        Send(nack, from);
    }
}

void
FloodTreeApplication::HandleQuery(const AggregationHeader& h, Ipv4Address from)
{
    if (m_isRoot || !m_hasParent || h.treeId != m_treeId || h.root != m_treeRoot ||
        from != m_parent || Simulator::Now() >= m_treeExpiry)
    {
        return; // not our tree (any more): the parent will time out on us
    }
    BeginCollect(h, false, m_children);
}

void
FloodTreeApplication::HandleReply(const AggregationHeader& h, Ipv4Address from, bool child)
{
    if (!child && h.treeId == m_treeId)
    {
        // "not your child", even late: that neighbour's subtree is not missing from our tree
        m_treeSilent.erase(std::remove(m_treeSilent.begin(), m_treeSilent.end(), from),
                           m_treeSilent.end());
    }
    if (!m_collecting || h.queryId != m_queryId || h.treeId != m_treeId)
    {
        return; // late: we already answered
    }
    for (uint32_t k = 0; k < m_waitFor.size(); ++k)
    {
        if (!m_answered[k] && m_waitFor[k] == from)
        {
            m_answered[k] = true;
            --m_pending;
            if (child)
            {
                m_acc.Combine(h.partial);
                if (m_build)
                {
                    m_children.push_back(from);
                }
            }
            MaybeFinish();
            return;
        }
    }
}

void
FloodTreeApplication::MaybeFinish()
{
    if (m_collecting && m_pending == 0)
    {
        Finish(false);
    }
}

void
FloodTreeApplication::Deadline()
{
    if (m_collecting)
    {
        Finish(true);
    }
}

void
FloodTreeApplication::Finish(bool timedOut)
{
    m_collecting = false;
    m_deadlineEvent.Cancel();
    if (timedOut)
    {
        m_acc.partial = true;
        m_acc.missing += m_pending;
        m_timeoutTrace(m_queryId, m_pending);
        NS_LOG_INFO("node " << m_nodeIndex << " query " << m_queryId << ": " << m_pending
                            << " silent");
        for (uint32_t k = 0; k < m_waitFor.size(); ++k)
        {
            if (!m_answered[k])
            {
                NS_LOG_DEBUG("  silent: " << m_waitFor[k]);
                if (m_build)
                {
                    m_treeSilent.push_back(m_waitFor[k]);
                }
            }
        }
    }
    if (m_isRoot)
    {
        FloodTreeAnswer a;
        a.queryId = m_queryId;
        a.treeBuild = m_build;
        a.result = m_acc;
        a.started = m_queryStart;
        a.latency = Simulator::Now() - m_queryStart;
        NS_LOG_INFO("query " << a.queryId << (a.treeBuild ? " (flood)" : " (tree)") << ": "
                             << aggregation::FunctionName(m_function) << "="
                             << m_acc.Select(m_function) << " count=" << m_acc.count
                             << (m_acc.partial ? " PARTIAL" : "") << " in "
                             << a.latency.As(Time::US));
        m_answerTrace(a);
        if (m_issued < m_queries)
        {
            Time next = m_queryStart + m_queryInterval - Simulator::Now();
            m_nextQueryEvent = Simulator::Schedule(next.IsStrictlyPositive() ? next : Time(0),
                                                   &FloodTreeApplication::StartQuery,
                                                   this);
        }
        return;
    }
    if (timedOut || m_processing.IsZero())
    {
        SendEcho();
    }
    else
    {
        Simulator::Schedule(m_processing, &FloodTreeApplication::SendEcho, this);
    }
}

void
FloodTreeApplication::SendEcho()
{
    if (!m_running)
    {
        return;
    }
    AggregationHeader e;
    e.SetType(AggregationHeader::TREE_ECHO);
    e.queryId = m_queryId;
    e.treeId = m_treeId;
    e.partial = m_acc;
    Send(e, m_parent);
}

} // namespace ns3
