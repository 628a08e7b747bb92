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

void
LpbcastHelper::ConnectStats(GossipDeliveryStats& stats)
{
    std::vector<uint32_t> members;
    for (const auto& app : m_apps)
    {
        members.push_back(app->GetNode()->GetId());
    }
    stats.SetMembers(members);
    GossipDeliveryStats* s = &stats;
    std::shared_ptr<Counters> c = m_counters;
    // The origin of an event is an address; statistics key on node ids.
    std::map<uint32_t, uint32_t> nodeOf = m_nodeOfAddress;
    auto originNode = [nodeOf](uint32_t addr) {
        auto it = nodeOf.find(addr);
        return it == nodeOf.end() ? UINT32_MAX : it->second;
    };
    for (const auto& app : m_apps)
    {
        const uint32_t node = app->GetNode()->GetId();
        app->TraceConnectWithoutContext(
            "Broadcast",
            Callback<void, uint32_t, uint32_t>([s, c, node](uint32_t origin, uint32_t seq) {
                s->RecordBroadcast(node, seq, Simulator::Now());
                c->deliveryTimes[{origin, seq}].push_back(Simulator::Now());
            }));
        app->TraceConnectWithoutContext(
            "Deliver",
            Callback<void, uint32_t, uint32_t, uint32_t, bool>(
                [s, c, node, originNode](uint32_t origin, uint32_t seq, uint32_t, bool retrieved) {
                    s->RecordDelivery(node, originNode(origin), seq, Simulator::Now());
                    ++c->deliveries;
                    c->retrieved += retrieved;
                    c->deliveryTimes[{origin, seq}].push_back(Simulator::Now());
                }));
        app->TraceConnectWithoutContext(
            "Duplicate",
            Callback<void, uint32_t, uint32_t>([c](uint32_t, uint32_t) { ++c->duplicates; }));
        app->TraceConnectWithoutContext(
            "Purge",
            Callback<void, uint32_t, uint32_t>([c](uint32_t, uint32_t) { ++c->purged; }));
        app->TraceConnectWithoutContext("Tx",
                                        Callback<void, Ptr<const Packet>, Ipv4Address>(
                                            [s, c, node](Ptr<const Packet> p, Ipv4Address) {
                                                s->RecordTx(node, p->GetSize());
                                                ++c->txPackets;
                                                c->txBytes += p->GetSize();
                                            }));
        app->TraceConnectWithoutContext(
            "MalformedPacket",
            Callback<void, Ptr<const Packet>, Ipv4Address, const std::string&>(
                [c](Ptr<const Packet>, Ipv4Address, const std::string&) { ++c->malformed; }));
        app->TraceConnectWithoutContext(
            "RetrieveRequest",
            Callback<void, uint32_t, uint32_t, uint32_t, uint32_t>(
                [c](uint32_t, uint32_t, uint32_t, uint32_t) { ++c->retrieveRequests; }));
        app->TraceConnectWithoutContext("PeerFailed", Callback<void, uint32_t>([c](uint32_t) {
                                            ++c->peerFailures;
                                        }));
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
            peers[app->GetSelf()] = app->GetTargets();
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

} // namespace ns3
