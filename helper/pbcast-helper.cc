/*
 * SPDX-License-Identifier: GPL-2.0-only
 */
#include "pbcast-helper.h"

// Only for DatacenterTopologyHelper::CheckMulticastRoute, the multicast configuration check.
#include "datacenter-topology-helper.h"

#include "ns3/abort.h"
#include "ns3/boolean.h"
#include "ns3/gossip-fabric-address.h"
#include "ns3/gossip-mpi.h"
#include "ns3/ipv4.h"
#include "ns3/log.h"
#include "ns3/node.h"
#include "ns3/pbcast-application.h"
#include "ns3/pbcast-rmcast-baseline.h"
#include "ns3/uinteger.h"

#include <map>

namespace ns3
{

NS_LOG_COMPONENT_DEFINE("PbcastHelper");

PbcastHelper::PbcastHelper()
    : GossipApplicationHelper(PbcastApplication::GetTypeId())
{
    NS_LOG_FUNCTION(this);
}

void
PbcastHelper::SetSeedsPerDatacenter(uint32_t n)
{
    NS_LOG_FUNCTION(this << n);
    NS_ABORT_MSG_IF(n < 1 || n > 1000,
                    "PbcastHelper: SeedsPerDatacenter " << n << " is not in 1..1000");
    m_seedsPerDc = n;
}

void
PbcastHelper::SetSeeds(const NodeContainer& seeds)
{
    NS_LOG_FUNCTION(this << seeds.GetN());
    m_seeds.clear();
    for (auto it = seeds.Begin(); it != seeds.End(); ++it)
    {
        m_seeds.push_back({(*it)->GetId(), GetNodeAddress(*it)});
    }
}

void
PbcastHelper::AddSeed(GossipSenderId id, Ipv4Address address)
{
    NS_LOG_FUNCTION(this << id << address);
    m_seeds.push_back({id, address});
}

void
PbcastHelper::SetDatacenter(uint32_t dc)
{
    NS_LOG_FUNCTION(this << dc);
    m_fixedDc = true;
    m_dc = dc;
}

uint32_t
PbcastHelper::DatacenterOf(Ipv4Address address) const
{
    if (m_fixedDc)
    {
        return m_dc;
    }
    gossip::FabricPosition pos;
    return gossip::FabricAddressPlan::Decode(address, pos) ? pos.dc : 0;
}

uint32_t
PbcastHelper::GetDatacenter(Ptr<Node> node) const
{
    NS_LOG_FUNCTION(this << node);
    return DatacenterOf(GetNodeAddress(node));
}

ApplicationContainer
PbcastHelper::Install(NodeContainer nodes) const
{
    NS_LOG_FUNCTION(this << nodes.GetN());
    std::vector<Seed> seeds = m_seeds;
    if (seeds.empty())
    {
        // The first SeedsPerDatacenter members of each datacenter, in container order.
        std::map<uint32_t, uint32_t> perDc;
        for (auto it = nodes.Begin(); it != nodes.End(); ++it)
        {
            Ipv4Address address = GetNodeAddress(*it);
            if (perDc[DatacenterOf(address)]++ < m_seedsPerDc)
            {
                seeds.push_back({(*it)->GetId(), address});
            }
        }
    }
    ApplicationContainer apps;
    for (auto it = nodes.Begin(); it != nodes.End(); ++it)
    {
        if (gossip::mpi::IsLocal(*it)) // seeds come from addresses: the same on every rank
        {
            apps.Add(InstallWithSeeds(*it, seeds));
        }
    }
    return apps;
}

Ptr<Application>
PbcastHelper::DoInstall(Ptr<Node> node) const
{
    return InstallWithSeeds(node, m_seeds);
}

Ptr<Application>
PbcastHelper::InstallWithSeeds(Ptr<Node> node, const std::vector<Seed>& seeds) const
{
    Ipv4Address address = GetNodeAddress(node);
    Ptr<PbcastApplication> app = m_factory.Create<PbcastApplication>();
    app->SetAttribute("Datacenter", UintegerValue(DatacenterOf(address)));
    for (const auto& s : seeds)
    {
        app->AddSeed(s.id, s.address, DatacenterOf(s.address));
    }
    BooleanValue multicast;
    app->GetAttribute("UseMulticast", multicast);
    if (multicast.Get())
    {
        Ipv4AddressValue group;
        app->GetAttribute("Group", group);
        std::string missing = DatacenterTopologyHelper::CheckMulticastRoute(node, group.Get());
        NS_ABORT_MSG_IF(!missing.empty(),
                        "PbcastHelper: node " << node->GetId() << ": UseMulticast is on but "
                                              << missing << "; call EnableMulticast(" << group.Get()
                                              << ") on the topology helper before Install, or "
                                                 "set UseMulticast=false");
    }
    node->AddApplication(app);
    return app;
}

// ---------------------------------------------------------------- baseline

PbcastRmcastHelper::PbcastRmcastHelper()
    : GossipApplicationHelper(PbcastRmcastBaseline::GetTypeId())
{
    NS_LOG_FUNCTION(this);
}

void
PbcastRmcastHelper::SetSender(Ptr<Node> sender)
{
    NS_LOG_FUNCTION(this << sender);
    m_sender = sender;
}

ApplicationContainer
PbcastRmcastHelper::Install(NodeContainer nodes) const
{
    NS_LOG_FUNCTION(this << nodes.GetN());
    NS_ABORT_MSG_IF(!m_sender, "PbcastRmcastHelper: no sender (SetSender)");
    ApplicationContainer apps;
    Ptr<PbcastRmcastBaseline> sender;
    std::vector<Ipv4Address> receivers;
    for (auto it = nodes.Begin(); it != nodes.End(); ++it)
    {
        if (*it == m_sender)
        {
            sender = m_factory.Create<PbcastRmcastBaseline>();
            m_sender->AddApplication(sender);
            apps.Add(sender);
            continue;
        }
        receivers.push_back(GetNodeAddress(*it));
        apps.Add(DoInstall(*it));
    }
    NS_ABORT_MSG_IF(!sender, "PbcastRmcastHelper: the sender is not among the nodes");
    sender->SetReceivers(receivers);
    return apps;
}

Ptr<Application>
PbcastRmcastHelper::DoInstall(Ptr<Node> node) const
{
    NS_ABORT_MSG_IF(!m_sender, "PbcastRmcastHelper: no sender (SetSender)");
    NS_ABORT_MSG_IF(node == m_sender,
                    "PbcastRmcastHelper: install the sender with its receivers "
                    "(Install(NodeContainer))");
    Ptr<PbcastRmcastBaseline> app = m_factory.Create<PbcastRmcastBaseline>();
    app->SetSender(GetNodeAddress(m_sender), m_sender->GetId());
    node->AddApplication(app);
    return app;
}

} // namespace ns3
