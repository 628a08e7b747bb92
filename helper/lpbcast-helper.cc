/*
 * SPDX-License-Identifier: GPL-2.0-only
 */
#include "lpbcast-helper.h"

#include "ns3/ipv4.h"
#include "ns3/simulator.h"
#include "ns3/uinteger.h"

namespace ns3
{

LpbcastHelper::LpbcastHelper()
    : m_counters(std::make_shared<Counters>())
{
    m_factory.SetTypeId(LpbcastApplication::GetTypeId());
}

void
LpbcastHelper::SetAttribute(std::string name, const AttributeValue& value)
{
    m_factory.Set(name, value);
}

void
LpbcastHelper::SetContacts(uint32_t contacts)
{
    m_contacts = contacts;
}

ApplicationContainer
LpbcastHelper::Install(const NodeContainer& nodes)
{
    ApplicationContainer apps;
    auto addresses = std::make_shared<std::vector<Ipv4Address>>();
    for (uint32_t i = 0; i < nodes.GetN(); ++i)
    {
        Ptr<Ipv4> ipv4 = nodes.Get(i)->GetObject<Ipv4>();
        NS_ABORT_MSG_IF(!ipv4 || ipv4->GetNInterfaces() < 2,
                        "LpbcastHelper: node " << nodes.Get(i)->GetId()
                                               << " has no IPv4 address; install the "
                                                  "topology first");
        addresses->push_back(ipv4->GetAddress(1, 0).GetLocal());
        m_nodeOfAddress[addresses->back().Get()] = nodes.Get(i)->GetId();
    }
    for (uint32_t i = 0; i < nodes.GetN(); ++i)
    {
        Ptr<LpbcastApplication> app = m_factory.Create<LpbcastApplication>();
        UintegerValue l;
        app->GetAttribute("ViewSize", l);
        app->SetBootstrap(addresses, m_contacts ? m_contacts : uint32_t(l.Get()));
        nodes.Get(i)->AddApplication(app);
        m_apps.push_back(app);
        apps.Add(app);
    }
    return apps;
}

ApplicationContainer
LpbcastHelper::Install(const DatacenterTopologyHelper& dc)
{
    return Install(dc.GetHosts());
}

ApplicationContainer
LpbcastHelper::Install(const WanTopologyHelper& wan)
{
    return Install(wan.GetHosts());
}

namespace
{
/// What the trace sinks update. Bound by shared_ptr so it outlives the helper if need be.
struct LpbcastStatsSink
{
    GossipDeliveryStats* stats;
    std::shared_ptr<LpbcastHelper::Counters> counters;
    std::map<uint32_t, uint32_t> nodeOf; //!< process address -> node id
};

typedef std::shared_ptr<LpbcastStatsSink> SinkPtr;

// Plain functions bound with MakeBoundCallback (portable to ns-3 versions whose Callback does
// not take lambdas).
void
OnBroadcast(SinkPtr s, uint32_t node, uint32_t origin, uint32_t seq)
{
    s->stats->RecordBroadcast(node, seq, Simulator::Now());
    s->counters->deliveryTimes[{origin, seq}].push_back(Simulator::Now());
}

void
OnDeliver(SinkPtr s, uint32_t node, uint32_t origin, uint32_t seq, uint32_t, bool retrieved)
{
    auto it = s->nodeOf.find(origin);
    s->stats->RecordDelivery(node,
                             it == s->nodeOf.end() ? UINT32_MAX : it->second,
                             seq,
                             Simulator::Now());
    ++s->counters->deliveries;
    s->counters->retrieved += retrieved;
    s->counters->deliveryTimes[{origin, seq}].push_back(Simulator::Now());
}

void
OnDuplicate(SinkPtr s, uint32_t, uint32_t)
{
    ++s->counters->duplicates;
}

void
OnPurge(SinkPtr s, uint32_t, uint32_t)
{
    ++s->counters->purged;
}

void
OnTx(SinkPtr s, uint32_t node, Ptr<const Packet> p, Ipv4Address)
{
    s->stats->RecordTx(node, p->GetSize(), Simulator::Now());
    ++s->counters->txPackets;
    s->counters->txBytes += p->GetSize();
}

void
OnMalformed(SinkPtr s, Ptr<const Packet>, Ipv4Address, const std::string&)
{
    ++s->counters->malformed;
}

void
OnRetrieve(SinkPtr s, uint32_t, uint32_t, uint32_t, uint32_t)
{
    ++s->counters->retrieveRequests;
}

void
OnPeerFailed(SinkPtr s, uint32_t)
{
    ++s->counters->peerFailures;
}
} // namespace

void
LpbcastHelper::ConnectStats(GossipDeliveryStats& stats)
{
    std::vector<uint32_t> members;
    for (const auto& app : m_apps)
    {
        members.push_back(app->GetNode()->GetId());
    }
    stats.SetMembers(members);
    SinkPtr sink = std::make_shared<LpbcastStatsSink>();
    sink->stats = &stats;
    sink->counters = m_counters;
    sink->nodeOf = m_nodeOfAddress; // events name their origin by address, stats by node id
    for (const auto& app : m_apps)
    {
        const uint32_t node = app->GetNode()->GetId();
        app->TraceConnectWithoutContext("Broadcast", MakeBoundCallback(&OnBroadcast, sink, node));
        app->TraceConnectWithoutContext("Deliver", MakeBoundCallback(&OnDeliver, sink, node));
        app->TraceConnectWithoutContext("Duplicate", MakeBoundCallback(&OnDuplicate, sink));
        app->TraceConnectWithoutContext("Purge", MakeBoundCallback(&OnPurge, sink));
        app->TraceConnectWithoutContext("Tx", MakeBoundCallback(&OnTx, sink, node));
        app->TraceConnectWithoutContext("MalformedPacket", MakeBoundCallback(&OnMalformed, sink));
        app->TraceConnectWithoutContext("RetrieveRequest", MakeBoundCallback(&OnRetrieve, sink));
        app->TraceConnectWithoutContext("PeerFailed", MakeBoundCallback(&OnPeerFailed, sink));
    }
}

const LpbcastHelper::Counters&
LpbcastHelper::GetCounters() const
{
    return *m_counters;
}

uint32_t
LpbcastHelper::GetNodeId(uint32_t address) const
{
    auto it = m_nodeOfAddress.find(address);
    return it == m_nodeOfAddress.end() ? UINT32_MAX : it->second;
}

const std::vector<Ptr<LpbcastApplication>>&
LpbcastHelper::GetApplications() const
{
    return m_apps;
}

LpbcastOverlayMetrics
LpbcastHelper::AnalyzeOverlay() const
{
    std::map<uint32_t, std::vector<uint32_t>> peers;
    for (const auto& app : m_apps)
    {
        if (app->IsMember())
        {
            // The overlay's own links (reverse links only mirror them).
            peers[app->GetSelf()] =
                app->IsSmallWorld() ? app->GetOverlay().GetPeers() : app->GetTargets();
        }
    }
    return LpbcastOverlay::Analyze(peers);
}

int64_t
LpbcastHelper::AssignStreams(int64_t stream)
{
    int64_t used = 0;
    for (const auto& app : m_apps)
    {
        used += app->AssignStreams(stream + used);
    }
    return used;
}

int64_t
LpbcastHelper::AssignStreams(ApplicationContainer apps, int64_t stream)
{
    int64_t used = 0;
    for (auto it = apps.Begin(); it != apps.End(); ++it)
    {
        if (Ptr<LpbcastApplication> app = DynamicCast<LpbcastApplication>(*it))
        {
            used += app->AssignStreams(stream + used);
        }
    }
    return used;
}

} // namespace ns3
