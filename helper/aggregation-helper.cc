/*
 * SPDX-License-Identifier: GPL-2.0-only
 */
#include "aggregation-helper.h"

#include "ns3/boolean.h"
#include "ns3/callback.h"
#include "ns3/double.h"
#include "ns3/enum.h"
#include "ns3/gossip-ns3-compat.h"
#include "ns3/ipv4-address.h"
#include "ns3/ipv4.h"
#include "ns3/simulator.h"
#include "ns3/uinteger.h"

#include <cmath>

namespace ns3
{

AggregationHelperBase::AggregationHelperBase() = default;

void
AggregationHelperBase::SetValues(const std::vector<double>& values)
{
    m_values = values;
}

void
AggregationHelperBase::SetOverlay(uint32_t hostsPerRack, uint32_t rackDegree, uint32_t remoteCycles)
{
    NS_ABORT_MSG_IF(hostsPerRack == 0, "SetOverlay: hostsPerRack=0 is invalid: allowed >= 1");
    NS_ABORT_MSG_IF(rackDegree == 0 && remoteCycles == 0,
                    "SetOverlay: rackDegree=0 and remoteCycles=0 give no links: need at least "
                    "one remote cycle or rack links");
    m_useOverlay = true;
    m_hostsPerRack = hostsPerRack;
    m_rackDegree = rackDegree;
    m_remoteCycles = remoteCycles;
}

void
AggregationHelperBase::SetGraph(const AggregationOverlay::Graph& graph)
{
    NS_ABORT_MSG_UNLESS(AggregationOverlay::IsSymmetric(graph),
                        "SetGraph: the graph must be symmetric without self-loops");
    m_useOverlay = true;
    m_givenGraph = graph;
}

void
AggregationHelperBase::SetOverlayStream(int64_t stream)
{
    m_overlayStream = stream;
}

const AggregationOverlay::Graph&
AggregationHelperBase::GetOverlay() const
{
    return m_overlay;
}

Ipv4Address
AggregationHelperBase::AddressOf(Ptr<Node> node)
{
    Ptr<Ipv4> ipv4 = node->GetObject<Ipv4>();
    NS_ABORT_MSG_IF(!ipv4 || ipv4->GetNInterfaces() < 2,
                    "aggregation helper: node " << node->GetId()
                                                << " has no IPv4 interface besides loopback");
    return ipv4->GetAddress(1, 0).GetLocal();
}

void
AggregationHelperBase::Prepare(const NodeContainer& nodes)
{
    NS_ABORT_MSG_IF(!m_values.empty() && m_values.size() != nodes.GetN(),
                    "aggregation helper: " << m_values.size() << " values for " << nodes.GetN()
                                           << " nodes");
    m_members = std::make_shared<std::vector<Ipv4Address>>();
    m_members->reserve(nodes.GetN());
    for (uint32_t i = 0; i < nodes.GetN(); ++i)
    {
        m_members->push_back(AddressOf(nodes.Get(i)));
    }
    m_overlay.clear();
    if (!m_givenGraph.empty())
    {
        NS_ABORT_MSG_UNLESS(m_givenGraph.size() == nodes.GetN(),
                            "aggregation helper: SetGraph has "
                                << m_givenGraph.size() << " nodes, installing on " << nodes.GetN());
        m_overlay = m_givenGraph;
    }
    else if (m_useOverlay)
    {
        Ptr<UniformRandomVariable> rng = CreateObject<UniformRandomVariable>();
        if (m_overlayStream >= 0)
        {
            rng->SetStream(m_overlayStream);
        }
        m_overlay = AggregationOverlay::Build(nodes.GetN(),
                                              m_hostsPerRack,
                                              m_rackDegree,
                                              m_remoteCycles,
                                              rng);
        NS_ABORT_MSG_UNLESS(nodes.GetN() < 2 || AggregationOverlay::IsConnected(m_overlay),
                            "aggregation helper: the overlay is not connected (rackDegree="
                                << m_rackDegree << ", remoteCycles=" << m_remoteCycles
                                << "): use remoteCycles >= 1");
    }
}

std::vector<Ipv4Address>
AggregationHelperBase::NeighbourAddresses(uint32_t i) const
{
    std::vector<Ipv4Address> out;
    if (m_useOverlay)
    {
        for (uint32_t j : m_overlay[i])
        {
            out.push_back((*m_members)[j]);
        }
    }
    return out;
}

// ---- flood tree ----

FloodTreeHelper::FloodTreeHelper()
{
    m_factory.SetTypeId(FloodTreeApplication::GetTypeId());
}

void
FloodTreeHelper::SetAttribute(std::string name, const AttributeValue& value)
{
    m_factory.Set(name, value);
}

void
FloodTreeHelper::SetRoot(uint32_t index)
{
    m_root = index;
}

ApplicationContainer
FloodTreeHelper::Install(NodeContainer nodes)
{
    NS_ABORT_MSG_IF(m_root >= nodes.GetN(),
                    "FloodTreeHelper: root " << m_root << " is invalid: allowed 0.."
                                             << nodes.GetN() - 1);
    Prepare(nodes);
    ApplicationContainer apps;
    for (uint32_t i = 0; i < nodes.GetN(); ++i)
    {
        Ptr<FloodTreeApplication> app = m_factory.Create<FloodTreeApplication>();
        app->SetAttribute("NodeIndex", UintegerValue(i));
        app->SetAttribute("IsRoot", BooleanValue(i == m_root));
        // Join only the configured root's trees (a forged flood cannot pin the node).
        app->SetAttribute("RootAddress", Ipv4AddressValue((*m_members)[m_root]));
        if (!m_values.empty())
        {
            app->SetAttribute("Value", DoubleValue(m_values[i]));
        }
        gossip::compat::EnumValue<FloodTreeApplication::Mode> mode;
        app->GetAttribute("Mode", mode);
        if (mode.Get() == FloodTreeApplication::FIXED)
        {
            NS_ABORT_MSG_UNLESS(m_useOverlay, "FloodTreeHelper: Mode=Fixed needs SetOverlay(...)");
            app->SetNeighbours(NeighbourAddresses(i));
        }
        else
        {
            app->SetMembership(m_members);
        }
        nodes.Get(i)->AddApplication(app);
        apps.Add(app);
    }
    return apps;
}

int64_t
FloodTreeHelper::AssignStreams(ApplicationContainer apps, int64_t stream)
{
    int64_t used = 0;
    for (uint32_t i = 0; i < apps.GetN(); ++i)
    {
        used += DynamicCast<FloodTreeApplication>(apps.Get(i))->AssignStreams(stream + used);
    }
    return used;
}

// ---- push-sum ----

PushSumHelper::PushSumHelper()
{
    m_factory.SetTypeId(PushSumApplication::GetTypeId());
}

void
PushSumHelper::SetAttribute(std::string name, const AttributeValue& value)
{
    m_factory.Set(name, value);
}

void
PushSumHelper::SetLeader(uint32_t index)
{
    m_leader = index;
}

ApplicationContainer
PushSumHelper::Install(NodeContainer nodes)
{
    NS_ABORT_MSG_IF(m_leader >= nodes.GetN(),
                    "PushSumHelper: leader " << m_leader << " is invalid: allowed 0.."
                                             << nodes.GetN() - 1);
    Prepare(nodes);
    ApplicationContainer apps;
    for (uint32_t i = 0; i < nodes.GetN(); ++i)
    {
        Ptr<PushSumApplication> app = m_factory.Create<PushSumApplication>();
        app->SetAttribute("Leader", BooleanValue(i == m_leader));
        if (!m_values.empty())
        {
            app->SetAttribute("Value", DoubleValue(m_values[i]));
        }
        if (m_useOverlay)
        {
            app->SetNeighbours(NeighbourAddresses(i));
        }
        app->SetMembership(m_members);
        nodes.Get(i)->AddApplication(app);
        apps.Add(app);
    }
    return apps;
}

int64_t
PushSumHelper::AssignStreams(ApplicationContainer apps, int64_t stream)
{
    int64_t used = 0;
    for (uint32_t i = 0; i < apps.GetN(); ++i)
    {
        used += DynamicCast<PushSumApplication>(apps.Get(i))->AssignStreams(stream + used);
    }
    return used;
}

// ---- top-c ----

TopCHelper::TopCHelper()
{
    m_factory.SetTypeId(TopCApplication::GetTypeId());
}

void
TopCHelper::SetAttribute(std::string name, const AttributeValue& value)
{
    m_factory.Set(name, value);
}

ApplicationContainer
TopCHelper::Install(NodeContainer nodes)
{
    Prepare(nodes);
    ApplicationContainer apps;
    for (uint32_t i = 0; i < nodes.GetN(); ++i)
    {
        Ptr<TopCApplication> app = m_factory.Create<TopCApplication>();
        app->SetAttribute("NodeIndex", UintegerValue(i));
        if (!m_values.empty())
        {
            app->SetAttribute("Value", DoubleValue(m_values[i]));
        }
        app->SetMembership(m_members);
        if (m_useOverlay)
        {
            app->SetNeighbours(NeighbourAddresses(i));
        }
        nodes.Get(i)->AddApplication(app);
        apps.Add(app);
    }
    return apps;
}

int64_t
TopCHelper::AssignStreams(ApplicationContainer apps, int64_t stream)
{
    int64_t used = 0;
    for (uint32_t i = 0; i < apps.GetN(); ++i)
    {
        used += DynamicCast<TopCApplication>(apps.Get(i))->AssignStreams(stream + used);
    }
    return used;
}

// ---- statistics ----

void
AggregationStats::Connect(const ApplicationContainer& apps)
{
    for (uint32_t i = 0; i < apps.GetN(); ++i)
    {
        Ptr<Application> app = apps.Get(i);
        bool ok = app->TraceConnectWithoutContext(
            "Tx",
            MakeCallback(&AggregationStats::Tx, this).Bind(app->GetNode()->GetId()));
        NS_ABORT_MSG_UNLESS(ok, "AggregationStats: application has no Tx trace source");
    }
}

void
AggregationStats::Tx(uint32_t node, Ptr<const Packet>, Ipv4Address)
{
    ++m_total;
    ++m_bins[Simulator::Now().GetNanoSeconds() / 1000000];
    ++m_perNode[node];
}

void
AggregationStats::Reset()
{
    m_bins.clear();
    m_perNode.clear();
    m_total = 0;
}

uint64_t
AggregationStats::GetTotal() const
{
    return m_total;
}

uint64_t
AggregationStats::GetCount(Time from, Time to) const
{
    uint64_t c = 0;
    int64_t a = from.GetNanoSeconds() / 1000000;
    int64_t b = to == Time::Max() ? INT64_MAX : to.GetNanoSeconds() / 1000000;
    for (auto it = m_bins.lower_bound(a); it != m_bins.end() && it->first < b; ++it)
    {
        c += it->second;
    }
    return c;
}

uint64_t
AggregationStats::GetPeakPerMs(Time from, Time to) const
{
    uint64_t peak = 0;
    int64_t a = from.GetNanoSeconds() / 1000000;
    int64_t b = to == Time::Max() ? INT64_MAX : to.GetNanoSeconds() / 1000000;
    for (auto it = m_bins.lower_bound(a); it != m_bins.end() && it->first < b; ++it)
    {
        peak = std::max(peak, it->second);
    }
    return peak;
}

uint64_t
AggregationStats::GetMaxPerNode() const
{
    uint64_t m = 0;
    for (const auto& kv : m_perNode)
    {
        m = std::max(m, kv.second);
    }
    return m;
}

double
AggregationStats::GetPerNodePerSecond(uint32_t nodes, Time from, Time to) const
{
    double secs = (to - from).GetSeconds();
    if (nodes == 0 || secs <= 0)
    {
        return 0;
    }
    return GetCount(from, to) / (double(nodes) * secs);
}

const std::map<int64_t, uint64_t>&
AggregationStats::GetBins() const
{
    return m_bins;
}

void
PushSumStats::Connect(const ApplicationContainer& apps, double truth)
{
    NS_ABORT_MSG_IF(truth == 0, "PushSumStats: the true answer must be nonzero");
    m_truth = truth;
    for (uint32_t i = 0; i < apps.GetN(); ++i)
    {
        Ptr<Application> a = apps.Get(i);
        a->TraceConnectWithoutContext("Estimate", MakeCallback(&PushSumStats::Estimate, this));
        a->TraceConnectWithoutContext("MassSent", MakeCallback(&PushSumStats::Sent, this));
        a->TraceConnectWithoutContext("MassReceived", MakeCallback(&PushSumStats::Received, this));
    }
    m_nodes += apps.GetN();
}

void
PushSumStats::SetRoundCompleteCallback(std::function<void(uint32_t, double)> cb)
{
    m_roundComplete = cb;
}

void
PushSumStats::Estimate(uint32_t round, double estimate)
{
    double err = std::isnan(estimate) ? INFINITY : std::abs(estimate - m_truth) / std::abs(m_truth);
    Round& r = m_rounds[round];
    ++r.reports;
    r.maxError = std::max(r.maxError, err);
    if (r.reports == m_nodes && m_roundComplete)
    {
        m_roundComplete(round, r.maxError);
    }
}

void
PushSumStats::Sent(double s, double w)
{
    m_sent.s += s;
    m_sent.w += w;
}

void
PushSumStats::Received(double s, double w)
{
    m_received.s += s;
    m_received.w += w;
}

const std::map<uint32_t, PushSumStats::Round>&
PushSumStats::GetRounds() const
{
    return m_rounds;
}

uint32_t
PushSumStats::GetFirstRoundBelow(double eps) const
{
    for (const auto& [round, r] : m_rounds)
    {
        if (r.maxError < eps)
        {
            return round;
        }
    }
    return UINT32_MAX;
}

double
PushSumStats::GetFinalMaxError() const
{
    return m_rounds.empty() ? NAN : m_rounds.rbegin()->second.maxError;
}

PushSumMass
PushSumStats::GetSent() const
{
    return m_sent;
}

PushSumMass
PushSumStats::GetReceived() const
{
    return m_received;
}

} // namespace ns3
