/*
 * SPDX-License-Identifier: GPL-2.0-only
 */
#include "lpbcast-helper.h"

#include "ns3/abort.h"
#include "ns3/gossip-fabric-address.h"
#include "ns3/gossip-mpi.h"
#include "ns3/ipv4.h"
#include "ns3/log.h"
#include "ns3/node.h"
#include "ns3/simulator.h"
#include "ns3/uinteger.h"

#include <cstdlib>
#include <memory>

namespace ns3
{

NS_LOG_COMPONENT_DEFINE("LpbcastHelper");

LpbcastHelper::LpbcastHelper()
    : GossipApplicationHelper(LpbcastApplication::GetTypeId())
{
    NS_LOG_FUNCTION(this);
}

void
LpbcastHelper::SetContacts(uint32_t contacts)
{
    NS_LOG_FUNCTION(this << contacts);
    m_contacts = contacts;
}

ApplicationContainer
LpbcastHelper::Install(NodeContainer nodes) const
{
    NS_LOG_FUNCTION(this << nodes.GetN());
    auto addresses = std::make_shared<std::vector<Ipv4Address>>();
    for (uint32_t i = 0; i < nodes.GetN(); ++i)
    {
        addresses->push_back(GetNodeAddress(nodes.Get(i)));
    }
    ApplicationContainer apps;
    for (uint32_t i = 0; i < nodes.GetN(); ++i)
    {
        if (!gossip::mpi::IsLocal(nodes.Get(i)))
        {
            continue; // under MPI, another rank's; its bootstrap list is the same there
        }
        Ptr<LpbcastApplication> app = m_factory.Create<LpbcastApplication>();
        UintegerValue l;
        app->GetAttribute("ViewSize", l);
        app->SetBootstrap(addresses, m_contacts ? m_contacts : uint32_t(l.Get()));
        app->SetDistanceFunction(&LpbcastHelper::FabricDistance);
        nodes.Get(i)->AddApplication(app);
        apps.Add(app);
    }
    return apps;
}

double
LpbcastHelper::FabricDistance(Ipv4Address a, Ipv4Address b)
{
    NS_LOG_FUNCTION(a << b);
    gossip::FabricPosition pa;
    gossip::FabricPosition pb;
    if (!gossip::FabricAddressPlan::Decode(a, pa) || !gossip::FabricAddressPlan::Decode(b, pb))
    {
        return 1.0;
    }
    if (pa.dc != pb.dc)
    {
        return 4.0 + std::abs(int(pa.dc) - int(pb.dc)) - 1;
    }
    if (pa.pod != pb.pod)
    {
        return 3.0;
    }
    if (pa.rack != pb.rack)
    {
        return 2.0;
    }
    return 1.0;
}

lpbcast::OverlayMetrics
LpbcastHelper::AnalyzeOverlay(const ApplicationContainer& apps)
{
    NS_LOG_FUNCTION(apps.GetN());
    std::map<uint32_t, std::vector<uint32_t>> peers;
    for (auto it = apps.Begin(); it != apps.End(); ++it)
    {
        Ptr<LpbcastApplication> app = DynamicCast<LpbcastApplication>(*it);
        if (app && app->IsMember())
        {
            // The overlay's own links (reverse links only mirror them).
            peers[app->GetSelf()] =
                app->IsSmallWorld() ? app->GetOverlay().GetPeers() : app->GetTargets();
        }
    }
    return lpbcast::OverlayMetrics::Analyze(peers);
}

void
LpbcastStats::Attach(const ApplicationContainer& apps)
{
    for (auto it = apps.Begin(); it != apps.End(); ++it)
    {
        Ptr<Application> app = *it;
        bool ok =
            app->TraceConnectWithoutContext("Broadcast",
                                            MakeCallback(&LpbcastStats::Broadcast, this)) &&
            app->TraceConnectWithoutContext("Deliver",
                                            MakeCallback(&LpbcastStats::Deliver, this)) &&
            app->TraceConnectWithoutContext("DeliverWithAge",
                                            MakeCallback(&LpbcastStats::DeliverWithAge, this)) &&
            app->TraceConnectWithoutContext("Duplicate",
                                            MakeCallback(&LpbcastStats::Duplicate, this)) &&
            app->TraceConnectWithoutContext("Purge", MakeCallback(&LpbcastStats::Purge, this)) &&
            app->TraceConnectWithoutContext("Tx", MakeCallback(&LpbcastStats::Tx, this)) &&
            app->TraceConnectWithoutContext("Malformed",
                                            MakeCallback(&LpbcastStats::Malformed, this)) &&
            app->TraceConnectWithoutContext("RetrieveRequest",
                                            MakeCallback(&LpbcastStats::RetrieveRequest, this)) &&
            app->TraceConnectWithoutContext("PeerFailed",
                                            MakeCallback(&LpbcastStats::PeerFailed, this));
        NS_ABORT_MSG_IF(!ok,
                        "LpbcastStats::Attach: " << app->GetInstanceTypeId().GetName()
                                                 << " is not an LpbcastApplication");
    }
}

void
LpbcastStats::Broadcast(const GossipMessageId& id)
{
    m_deliveryTimes[id].push_back(Simulator::Now());
}

void
LpbcastStats::Deliver(const GossipMessageId& id)
{
    ++m_deliveries;
    m_deliveryTimes[id].push_back(Simulator::Now());
}

void
LpbcastStats::DeliverWithAge(const GossipMessageId&, uint32_t, bool retrieved)
{
    m_retrieved += retrieved;
}

void
LpbcastStats::Duplicate(const GossipMessageId&)
{
    ++m_duplicates;
}

void
LpbcastStats::Purge(const GossipMessageId&)
{
    ++m_purged;
}

void
LpbcastStats::Tx(Ptr<const Packet> p, Ipv4Address)
{
    ++m_txPackets;
    m_txBytes += p->GetSize();
}

void
LpbcastStats::Malformed(Ptr<const Packet>, Ipv4Address, const std::string&)
{
    ++m_malformed;
}

void
LpbcastStats::RetrieveRequest(uint32_t, const GossipMessageId&, uint32_t)
{
    ++m_retrieveRequests;
}

void
LpbcastStats::PeerFailed(uint32_t)
{
    ++m_peerFailures;
}

uint64_t
LpbcastStats::GetDeliveries() const
{
    return m_deliveries;
}

uint64_t
LpbcastStats::GetRetrieved() const
{
    return m_retrieved;
}

uint64_t
LpbcastStats::GetDuplicates() const
{
    return m_duplicates;
}

uint64_t
LpbcastStats::GetPurged() const
{
    return m_purged;
}

uint64_t
LpbcastStats::GetMalformed() const
{
    return m_malformed;
}

uint64_t
LpbcastStats::GetRetrieveRequests() const
{
    return m_retrieveRequests;
}

uint64_t
LpbcastStats::GetPeerFailures() const
{
    return m_peerFailures;
}

uint64_t
LpbcastStats::GetTxPackets() const
{
    return m_txPackets;
}

uint64_t
LpbcastStats::GetTxBytes() const
{
    return m_txBytes;
}

const std::vector<Time>&
LpbcastStats::GetDeliveryTimes(const GossipMessageId& id) const
{
    static const std::vector<Time> none;
    auto it = m_deliveryTimes.find(id);
    return it == m_deliveryTimes.end() ? none : it->second;
}

} // namespace ns3
