/*
 * SPDX-License-Identifier: GPL-2.0-only
 */
#include "gossip-fabric-routing.h"

#include "ns3/abort.h"
#include "ns3/ipv4-route.h"
#include "ns3/log.h"
#include "ns3/node.h"
#include "ns3/output-stream-wrapper.h"

#include <algorithm>
#include <iomanip>
#include <map>

namespace ns3
{

NS_LOG_COMPONENT_DEFINE("GossipFabricRouting");
NS_OBJECT_ENSURE_REGISTERED(GossipFabricRouting);

namespace
{
const uint8_t kLengths[4] = {32, 24, 16, 8};

uint32_t
MaskOf(uint8_t len)
{
    return len == 0 ? 0 : ~uint32_t(0) << (32 - len);
}
} // namespace

TypeId
GossipFabricRouting::GetTypeId()
{
    static TypeId tid = TypeId("ns3::GossipFabricRouting")
                            .SetParent<Ipv4RoutingProtocol>()
                            .SetGroupName("Gossip")
                            .AddConstructor<GossipFabricRouting>();
    return tid;
}

GossipFabricRouting::GossipFabricRouting()
{
    NS_LOG_FUNCTION(this);
}

void
GossipFabricRouting::AddRoute(Ipv4Address prefix, uint8_t prefixLength, uint32_t interface)
{
    NS_LOG_FUNCTION(this);
    if (prefixLength == 0)
    {
        m_default = interface;
        return;
    }
    for (int k = 0; k < 4; ++k)
    {
        if (kLengths[k] == prefixLength)
        {
            m_tables[k][prefix.Get() & MaskOf(prefixLength)] = interface;
            return;
        }
    }
    NS_ABORT_MSG("GossipFabricRouting: prefix length /" << unsigned(prefixLength)
                                                        << " is invalid: allowed 0, 8, 16, 24, 32");
}

uint32_t
GossipFabricRouting::GetNRoutes() const
{
    uint32_t n = m_default >= 0;
    for (const auto& t : m_tables)
    {
        n += t.size();
    }
    return n;
}

int32_t
GossipFabricRouting::Lookup(Ipv4Address dest) const
{
    const uint32_t d = dest.Get();
    for (int k = 0; k < 4; ++k)
    {
        if (m_tables[k].empty())
        {
            continue;
        }
        auto it = m_tables[k].find(d & MaskOf(kLengths[k]));
        if (it != m_tables[k].end())
        {
            return it->second;
        }
    }
    return m_default;
}

Ptr<Ipv4Route>
GossipFabricRouting::MakeRoute(Ipv4Address dest, uint32_t interface) const
{
    Ptr<Ipv4Route> r = Create<Ipv4Route>();
    r->SetDestination(dest);
    r->SetGateway(Ipv4Address::GetZero()); // point-to-point: the peer is the next hop
    r->SetOutputDevice(m_ipv4->GetNetDevice(interface));
    r->SetSource(m_ipv4->GetAddress(interface, 0).GetLocal());
    return r;
}

Ptr<Ipv4Route>
GossipFabricRouting::RouteOutput(Ptr<Packet> p,
                                 const Ipv4Header& header,
                                 Ptr<NetDevice> oif,
                                 Socket::SocketErrno& sockerr)
{
    NS_LOG_FUNCTION(this);
    Ipv4Address dest = header.GetDestination();
    int32_t i = dest.IsMulticast() ? -1 : Lookup(dest);
    if (i < 0 || (oif && m_ipv4->GetNetDevice(i) != oif))
    {
        sockerr = Socket::ERROR_NOROUTETOHOST;
        return nullptr;
    }
    sockerr = Socket::ERROR_NOTERROR;
    return MakeRoute(dest, i);
}

bool
GossipFabricRouting::RouteInput(Ptr<const Packet> p,
                                const Ipv4Header& header,
                                Ptr<const NetDevice> idev,
                                gossip::compat::UnicastForwardCallbackArg ucb,
                                gossip::compat::MulticastForwardCallbackArg mcb,
                                gossip::compat::LocalDeliverCallbackArg lcb,
                                gossip::compat::ErrorCallbackArg ecb)
{
    NS_LOG_FUNCTION(this);
    // Ipv4ListRouting has already done local delivery and the forwarding check.
    Ipv4Address dest = header.GetDestination();
    if (dest.IsMulticast() || dest.IsBroadcast())
    {
        return false;
    }
    int32_t i = Lookup(dest);
    if (i < 0)
    {
        return false;
    }
    ucb(MakeRoute(dest, i), p, header);
    return true;
}

void
GossipFabricRouting::NotifyInterfaceUp(uint32_t)
{
    NS_LOG_FUNCTION(this);
}

void
GossipFabricRouting::NotifyInterfaceDown(uint32_t)
{
    NS_LOG_FUNCTION(this);
}

void
GossipFabricRouting::NotifyAddAddress(uint32_t, Ipv4InterfaceAddress)
{
    NS_LOG_FUNCTION(this);
}

void
GossipFabricRouting::NotifyRemoveAddress(uint32_t, Ipv4InterfaceAddress)
{
    NS_LOG_FUNCTION(this);
}

void
GossipFabricRouting::SetIpv4(Ptr<Ipv4> ipv4)
{
    NS_LOG_FUNCTION(this);
    m_ipv4 = ipv4;
}

void
GossipFabricRouting::PrintRoutingTable(Ptr<OutputStreamWrapper> stream, Time::Unit unit) const
{
    NS_LOG_FUNCTION(this);
    std::ostream& os = *stream->GetStream();
    os << "Node: " << m_ipv4->GetObject<Node>()->GetId() << ", GossipFabricRouting, "
       << GetNRoutes() << " routes\nDestination/len   Interface\n";
    // Sorted so that the printout is stable.
    for (int k = 0; k < 4; ++k)
    {
        std::map<uint32_t, uint32_t> sorted(m_tables[k].begin(), m_tables[k].end());
        for (const auto& kv : sorted)
        {
            std::ostringstream dst;
            dst << Ipv4Address(kv.first) << "/" << unsigned(kLengths[k]);
            os << std::left << std::setw(18) << dst.str() << kv.second << "\n";
        }
    }
    if (m_default >= 0)
    {
        os << std::left << std::setw(18) << "0.0.0.0/0" << m_default << "\n";
    }
    os << "\n";
}

void
GossipFabricRouting::DoDispose()
{
    NS_LOG_FUNCTION(this);
    m_ipv4 = nullptr;
    for (auto& t : m_tables)
    {
        t.clear();
    }
    Ipv4RoutingProtocol::DoDispose();
}

} // namespace ns3
