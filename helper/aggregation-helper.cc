/*
 * SPDX-License-Identifier: GPL-2.0-only
 */
#include "aggregation-helper.h"

#include "ns3/boolean.h"
#include "ns3/callback.h"
#include "ns3/double.h"
#include "ns3/enum.h"
#include "ns3/gossip-mpi.h"
#include "ns3/gossip-ns3-compat.h"
#include "ns3/ipv4-address.h"
#include "ns3/ipv4.h"
#include "ns3/log.h"
#include "ns3/random-variable-stream.h"
#include "ns3/simulator.h"
#include "ns3/uinteger.h"

#include <cmath>
#include <set>

namespace ns3
{

NS_LOG_COMPONENT_DEFINE("AggregationHelper");

AggregationHelper::AggregationHelper(TypeId tid)
    : GossipApplicationHelper(tid)
{
    NS_LOG_FUNCTION(this << tid);
}

void
AggregationHelper::SetValues(const std::vector<double>& values)
{
    NS_LOG_FUNCTION(this << values.size());
    m_values = values;
}

void
AggregationHelper::SetOverlay(const aggregation::Overlay& overlay)
{
    NS_LOG_FUNCTION(this << overlay.GetN());
    NS_ABORT_MSG_UNLESS(overlay.IsSymmetric(),
                        "SetOverlay: the overlay must be symmetric without self-loops");
    m_useOverlay = true;
    m_overlay = overlay;
}

aggregation::Overlay
AggregationHelper::BuildOverlay(uint32_t n,
                                uint32_t hostsPerRack,
                                uint32_t rackDegree,
                                uint32_t remoteCycles,
                                int64_t stream)
{
    NS_LOG_FUNCTION(n << hostsPerRack << rackDegree << remoteCycles << stream);
    NS_ABORT_MSG_IF(hostsPerRack == 0, "BuildOverlay: hostsPerRack=0 is invalid: allowed >= 1");
    NS_ABORT_MSG_IF(rackDegree == 0 && remoteCycles == 0,
                    "BuildOverlay: rackDegree=0 and remoteCycles=0 give no links: need at least "
                    "one remote cycle or rack links");
    Ptr<UniformRandomVariable> rng = CreateObject<UniformRandomVariable>();
    if (stream >= 0)
    {
        rng->SetStream(stream);
    }
    aggregation::Overlay overlay = aggregation::Overlay::Build(
        n,
        hostsPerRack,
        rackDegree,
        remoteCycles,
        [rng](uint32_t lo, uint32_t hi) { return rng->GetInteger(lo, hi); });
    NS_ABORT_MSG_UNLESS(n < 2 || overlay.ToGraph().IsConnected(),
                        "BuildOverlay: the overlay is not connected (rackDegree="
                            << rackDegree << ", remoteCycles=" << remoteCycles
                            << "): use remoteCycles >= 1");
    return overlay;
}

std::shared_ptr<std::vector<Ipv4Address>>
AggregationHelper::MakeGroup(const NodeContainer& nodes) const
{
    NS_ABORT_MSG_IF(!m_values.empty() && m_values.size() != nodes.GetN(),
                    "aggregation helper: " << m_values.size() << " values for " << nodes.GetN()
                                           << " nodes");
    auto group = std::make_shared<std::vector<Ipv4Address>>();
    group->reserve(nodes.GetN());
    for (uint32_t i = 0; i < nodes.GetN(); ++i)
    {
        group->push_back(GetNodeAddress(nodes.Get(i)));
    }
    NS_ABORT_MSG_UNLESS(!m_useOverlay || m_overlay.GetN() == nodes.GetN(),
                        "aggregation helper: the overlay has "
                            << m_overlay.GetN() << " nodes, installing on " << nodes.GetN());
    return group;
}

bool
AggregationHelper::HasOverlay() const
{
    return m_useOverlay;
}

std::vector<Ipv4Address>
AggregationHelper::NeighbourAddresses(const std::vector<Ipv4Address>& group, uint32_t i) const
{
    std::vector<Ipv4Address> out;
    if (m_useOverlay)
    {
        for (uint32_t j : m_overlay.GetNeighbours(i))
        {
            out.push_back(group[j]);
        }
    }
    return out;
}

bool
AggregationHelper::HasValues() const
{
    return !m_values.empty();
}

double
AggregationHelper::GetValue(uint32_t i) const
{
    return m_values.at(i);
}

// ---- flood tree ----

FloodTreeHelper::FloodTreeHelper()
    : AggregationHelper(FloodTreeApplication::GetTypeId())
{
}

void
FloodTreeHelper::SetRoot(uint32_t index)
{
    NS_LOG_FUNCTION(this << index);
    m_root = index;
}

ApplicationContainer
FloodTreeHelper::Install(NodeContainer nodes) const
{
    NS_LOG_FUNCTION(this << nodes.GetN());
    NS_ABORT_MSG_IF(m_root >= nodes.GetN(),
                    "FloodTreeHelper: root " << m_root << " is invalid: allowed 0.."
                                             << nodes.GetN() - 1);
    auto group = MakeGroup(nodes);
    ApplicationContainer apps;
    for (uint32_t i = 0; i < nodes.GetN(); ++i)
    {
        if (!gossip::mpi::IsLocal(nodes.Get(i)))
        {
            continue; // under MPI, another rank's; the group is addresses, the same there
        }
        Ptr<FloodTreeApplication> app = m_factory.Create<FloodTreeApplication>();
        app->SetAttribute("NodeIndex", UintegerValue(i));
        app->SetAttribute("IsRoot", BooleanValue(i == m_root));
        // Join only the configured root's trees (a forged flood cannot pin the node).
        app->SetAttribute("RootAddress", Ipv4AddressValue((*group)[m_root]));
        if (HasValues())
        {
            app->SetAttribute("Value", DoubleValue(GetValue(i)));
        }
        gossip::compat::EnumValue<FloodTreeApplication::Mode> mode;
        app->GetAttribute("Mode", mode);
        if (mode.Get() == FloodTreeApplication::FIXED)
        {
            NS_ABORT_MSG_UNLESS(HasOverlay(), "FloodTreeHelper: Mode=Fixed needs SetOverlay(...)");
            app->SetNeighbours(NeighbourAddresses(*group, i));
        }
        else
        {
            app->SetMembership(group);
        }
        nodes.Get(i)->AddApplication(app);
        apps.Add(app);
    }
    return apps;
}

// ---- push-sum ----

PushSumHelper::PushSumHelper()
    : AggregationHelper(PushSumApplication::GetTypeId())
{
}

void
PushSumHelper::SetLeader(uint32_t index)
{
    NS_LOG_FUNCTION(this << index);
    m_leader = index;
}

ApplicationContainer
PushSumHelper::Install(NodeContainer nodes) const
{
    NS_LOG_FUNCTION(this << nodes.GetN());
    NS_ABORT_MSG_IF(m_leader >= nodes.GetN(),
                    "PushSumHelper: leader " << m_leader << " is invalid: allowed 0.."
                                             << nodes.GetN() - 1);
    auto group = MakeGroup(nodes);
    ApplicationContainer apps;
    for (uint32_t i = 0; i < nodes.GetN(); ++i)
    {
        if (!gossip::mpi::IsLocal(nodes.Get(i)))
        {
            continue; // under MPI, another rank's
        }
        Ptr<PushSumApplication> app = m_factory.Create<PushSumApplication>();
        app->SetAttribute("Leader", BooleanValue(i == m_leader));
        if (HasValues())
        {
            app->SetAttribute("Value", DoubleValue(GetValue(i)));
        }
        if (HasOverlay())
        {
            app->SetNeighbours(NeighbourAddresses(*group, i));
        }
        app->SetMembership(group);
        nodes.Get(i)->AddApplication(app);
        apps.Add(app);
    }
    return apps;
}

int64_t
PushSumHelper::AssignStreams(NodeContainer nodes,
                             const ApplicationContainer& apps,
                             int64_t stream) const
{
    NS_LOG_FUNCTION(this << stream);
    std::set<Ptr<Application>> mine;
    for (uint32_t i = 0; i < apps.GetN(); ++i)
    {
        mine.insert(apps.Get(i));
    }
    return GossipApplicationHelper::AssignStreams(nodes, stream, [&mine](Ptr<Application> app) {
        return mine.count(app) > 0;
    });
}

// ---- top-c ----

TopCHelper::TopCHelper()
    : AggregationHelper(TopCApplication::GetTypeId())
{
}

ApplicationContainer
TopCHelper::Install(NodeContainer nodes) const
{
    NS_LOG_FUNCTION(this << nodes.GetN());
    auto group = MakeGroup(nodes);
    ApplicationContainer apps;
    for (uint32_t i = 0; i < nodes.GetN(); ++i)
    {
        if (!gossip::mpi::IsLocal(nodes.Get(i)))
        {
            continue; // under MPI, another rank's
        }
        Ptr<TopCApplication> app = m_factory.Create<TopCApplication>();
        app->SetAttribute("NodeIndex", UintegerValue(i));
        if (HasValues())
        {
            app->SetAttribute("Value", DoubleValue(GetValue(i)));
        }
        app->SetMembership(group);
        if (HasOverlay())
        {
            app->SetNeighbours(NeighbourAddresses(*group, i));
        }
        nodes.Get(i)->AddApplication(app);
        apps.Add(app);
    }
    return apps;
}

// ---- statistics ----

void
AggregationStats::Attach(const ApplicationContainer& apps)
{
    NS_LOG_FUNCTION(this << apps.GetN());
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

namespace
{
/// Every rank's (key, count) pairs added up, at every rank.
template <typename K>
void
MergeCounts(std::map<K, uint64_t>& counts)
{
    std::vector<uint64_t> flat;
    flat.reserve(2 * counts.size());
    for (const auto& [key, n] : counts)
    {
        flat.push_back(uint64_t(key));
        flat.push_back(n);
    }
    const std::vector<uint64_t> all = gossip::mpi::Gather(flat);
    counts.clear();
    for (size_t i = 0; i + 1 < all.size(); i += 2)
    {
        counts[K(all[i])] += all[i + 1];
    }
}
} // namespace

void
AggregationStats::Merge()
{
    if (!gossip::mpi::IsDistributed())
    {
        return;
    }
    MergeCounts(m_bins);
    MergeCounts(m_perNode);
    std::vector<uint64_t> total{m_total};
    gossip::mpi::Sum(total);
    m_total = total[0];
}

void
PushSumStats::SetTruth(double truth)
{
    NS_LOG_FUNCTION(this << truth);
    NS_ABORT_MSG_IF(truth == 0, "PushSumStats: the true answer must be nonzero");
    m_truth = truth;
}

void
PushSumStats::Attach(const ApplicationContainer& apps)
{
    NS_LOG_FUNCTION(this << apps.GetN());
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
    r.last = Simulator::Now();
    if (r.reports == m_nodes && m_roundComplete && !gossip::mpi::IsDistributed())
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
        if (r.reports == m_nodes && r.maxError < eps)
        {
            return round;
        }
    }
    return UINT32_MAX;
}

uint32_t
PushSumStats::GetNodes() const
{
    return m_nodes;
}

void
PushSumStats::Merge()
{
    if (!gossip::mpi::IsDistributed())
    {
        return;
    }
    // Rounds as dense vectors up to the largest any rank saw (the Rounds attribute bounds them).
    std::vector<uint64_t> size{m_rounds.empty() ? 0 : uint64_t(m_rounds.rbegin()->first) + 1};
    gossip::mpi::Max(size);
    std::vector<uint64_t> counts(size[0] + 1, 0); // reports by round, then the nodes
    std::vector<uint64_t> last(size[0], 0);       // ns
    std::vector<double> errors(size[0], 0);
    for (const auto& [round, r] : m_rounds)
    {
        counts[round] = r.reports;
        last[round] = uint64_t(r.last.GetNanoSeconds());
        errors[round] = r.maxError;
    }
    counts.back() = m_nodes;
    gossip::mpi::Sum(counts);
    gossip::mpi::Max(last);
    gossip::mpi::Max(errors);
    m_nodes = uint32_t(counts.back());
    m_rounds.clear();
    for (uint32_t round = 0; round < size[0]; ++round)
    {
        if (counts[round] > 0)
        {
            m_rounds[round] = {uint32_t(counts[round]), errors[round], NanoSeconds(last[round])};
        }
    }
    const std::vector<double> mass =
        gossip::mpi::Gather(std::vector<double>{m_sent.s, m_sent.w, m_received.s, m_received.w});
    m_sent = m_received = aggregation::Mass{};
    for (size_t i = 0; i + 3 < mass.size(); i += 4)
    {
        m_sent.s += mass[i];
        m_sent.w += mass[i + 1];
        m_received.s += mass[i + 2];
        m_received.w += mass[i + 3];
    }
}

double
PushSumStats::GetFinalMaxError() const
{
    return m_rounds.empty() ? NAN : m_rounds.rbegin()->second.maxError;
}

aggregation::Mass
PushSumStats::GetSent() const
{
    return m_sent;
}

aggregation::Mass
PushSumStats::GetReceived() const
{
    return m_received;
}

} // namespace ns3
