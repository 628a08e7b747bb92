/*
 * SPDX-License-Identifier: GPL-2.0-only
 */
#include "pbcast-helper.h"

#include "ns3/abort.h"
#include "ns3/callback.h"
#include "ns3/ipv4.h"
#include "ns3/simulator.h"
#include "ns3/uinteger.h"

#include <map>

namespace ns3
{

PbcastHelper::PbcastHelper()
{
    m_factory.SetTypeId(PbcastApplication::GetTypeId());
}

void
PbcastHelper::SetAttribute(std::string name, const AttributeValue& value)
{
    m_factory.Set(name, value);
}

void
PbcastHelper::SetSeeds(uint32_t n)
{
    NS_ABORT_MSG_IF(n < 1 || n > 1000, "PbcastHelper: Seeds " << n << " is not in 1..1000");
    m_seeds = n;
}

ApplicationContainer
PbcastHelper::Install(const NodeContainer& nodes, const std::vector<uint32_t>& datacenters)
{
    NS_ABORT_MSG_IF(!datacenters.empty() && datacenters.size() != nodes.GetN(),
                    "PbcastHelper: " << datacenters.size() << " datacenter indices for "
                                     << nodes.GetN() << " nodes");

    struct Seed
    {
        uint32_t id;
        Ipv4Address addr;
        uint32_t dc;
    };

    std::vector<Seed> seeds;
    std::map<uint32_t, uint32_t> perDc;
    std::vector<Ipv4Address> addrs;
    for (uint32_t i = 0; i < nodes.GetN(); ++i)
    {
        Ptr<Ipv4> ipv4 = nodes.Get(i)->GetObject<Ipv4>();
        NS_ABORT_MSG_IF(!ipv4 || ipv4->GetNInterfaces() < 2,
                        "PbcastHelper: node " << nodes.Get(i)->GetId()
                                              << " has no IPv4 address on interface 1");
        addrs.push_back(ipv4->GetAddress(1, 0).GetLocal());
        uint32_t dc = datacenters.empty() ? 0 : datacenters[i];
        if (perDc[dc]++ < m_seeds)
        {
            seeds.push_back({nodes.Get(i)->GetId(), addrs.back(), dc});
        }
    }
    ApplicationContainer apps;
    for (uint32_t i = 0; i < nodes.GetN(); ++i)
    {
        Ptr<PbcastApplication> app = m_factory.Create<PbcastApplication>();
        app->SetAttribute("Datacenter", UintegerValue(datacenters.empty() ? 0 : datacenters[i]));
        for (const auto& s : seeds)
        {
            app->AddSeed(s.id, s.addr, s.dc);
        }
        nodes.Get(i)->AddApplication(app);
        apps.Add(app);
    }
    return apps;
}

ApplicationContainer
PbcastHelper::Install(const DatacenterTopologyHelper& dc)
{
    std::vector<uint32_t> dcs(dc.GetNHosts(), dc.GetDatacenterIndex());
    return Install(dc.GetHosts(), dcs);
}

ApplicationContainer
PbcastHelper::Install(const WanTopologyHelper& wan)
{
    std::vector<uint32_t> dcs;
    for (uint32_t i = 0; i < wan.GetNHosts(); ++i)
    {
        dcs.push_back(wan.GetHostDatacenter(i));
    }
    return Install(wan.GetHosts(), dcs);
}

int64_t
PbcastHelper::AssignStreams(ApplicationContainer apps, int64_t stream)
{
    int64_t current = stream;
    for (auto it = apps.Begin(); it != apps.End(); ++it)
    {
        Ptr<PbcastApplication> app = DynamicCast<PbcastApplication>(*it);
        if (app)
        {
            current += app->AssignStreams(current);
        }
    }
    return current - stream;
}

namespace
{
void
OnBroadcast(GossipDeliveryStats* stats, uint32_t node, uint64_t seq, uint32_t)
{
    stats->RecordBroadcast(node, seq, Simulator::Now());
}

void
OnDeliver(GossipDeliveryStats* stats, uint32_t node, GossipSenderId origin, uint64_t seq, Time)
{
    stats->RecordDelivery(node, origin, seq, Simulator::Now());
}

void
OnTx(GossipDeliveryStats* stats, uint32_t node, Ptr<const Packet> p)
{
    stats->RecordTx(node, p->GetSize(), Simulator::Now());
}
} // namespace

void
PbcastHelper::ConnectStats(ApplicationContainer apps, GossipDeliveryStats* stats)
{
    std::vector<uint32_t> ids;
    for (auto it = apps.Begin(); it != apps.End(); ++it)
    {
        Ptr<PbcastApplication> app = DynamicCast<PbcastApplication>(*it);
        NS_ABORT_MSG_IF(!app, "PbcastHelper::ConnectStats: not a PbcastApplication");
        uint32_t node = app->GetNode()->GetId();
        ids.push_back(node);
        app->TraceConnectWithoutContext("Broadcast", MakeBoundCallback(&OnBroadcast, stats, node));
        app->TraceConnectWithoutContext("Deliver", MakeBoundCallback(&OnDeliver, stats, node));
        app->TraceConnectWithoutContext("Tx", MakeBoundCallback(&OnTx, stats, node));
    }
    stats->SetMembers(ids);
}

} // namespace ns3
