/*
 * SPDX-License-Identifier: GPL-2.0-only
 */
#include "datacenter-topology-helper.h"

#include "ns3/abort.h"
#include "ns3/boolean.h"
#include "ns3/channel.h"
#include "ns3/error-model.h"
#include "ns3/gossip-fabric-routing.h"
#include "ns3/gossip-mpi.h"
#include "ns3/gossip-ns3-compat.h"
#include "ns3/internet-stack-helper.h"
#include "ns3/ipv4-list-routing-helper.h"
#include "ns3/ipv4-list-routing.h"
#include "ns3/ipv4-routing-helper.h"
#include "ns3/ipv4-routing-table-entry.h"
#include "ns3/ipv4-static-routing-helper.h"
#include "ns3/ipv4-static-routing.h"
#include "ns3/ipv4.h"
#include "ns3/log.h"
#include "ns3/net-device.h"
#include "ns3/node.h"
#include "ns3/point-to-point-net-device.h"
#include "ns3/pointer.h"
#include "ns3/string.h"
#include "ns3/traffic-control-helper.h"
#include "ns3/uinteger.h"

#include <iomanip>
#include <sstream>

namespace ns3
{

NS_LOG_COMPONENT_DEFINE("DatacenterTopologyHelper");

namespace
{
const Ipv4Mask kHostMask("255.255.255.0");
const Ipv4Mask kPortMask("255.255.255.255");
const Ipv4Mask kLinkMask("255.255.255.252");
const Ipv4Mask kRackMask("255.255.255.0");
const Ipv4Mask kPodMask("255.255.0.0");

/// Deterministic spreading over uplinks (a stand-in for ECMP's flow hash).
uint32_t
Spread(uint32_t destination, uint32_t source, uint32_t ways)
{
    uint32_t h = destination * 2654435761U;
    h ^= source * 40503U;
    h ^= h >> 15;
    return h % ways;
}

uint32_t
AddInterface(Ptr<Node> node, Ptr<NetDevice> dev, Ipv4Address addr, Ipv4Mask mask)
{
    Ptr<Ipv4> ipv4 = node->GetObject<Ipv4>();
    uint32_t i = ipv4->AddInterface(dev);
    ipv4->AddAddress(i, Ipv4InterfaceAddress(addr, mask));
    ipv4->SetUp(i);
    return i;
}

Ptr<Ipv4StaticRouting>
StaticRouting(Ptr<Node> node)
{
    Ipv4StaticRoutingHelper helper;
    return helper.GetStaticRouting(node->GetObject<Ipv4>());
}

/// Drop the connected routes that SetUp() added: switches route only by the explicit,
/// hierarchical routes below, which keeps their tables (and the linear lookup) short.
void
ClearRoutes(Ptr<Node> node)
{
    Ptr<Ipv4StaticRouting> sr = StaticRouting(node);
    while (sr->GetNRoutes() > 0)
    {
        sr->RemoveRoute(0);
    }
}

/// Put a GossipFabricRouting in front of the node's Ipv4StaticRouting (which keeps multicast).
void
AddFabricRouting(Ptr<Node> node)
{
    Ptr<Ipv4ListRouting> list =
        DynamicCast<Ipv4ListRouting>(node->GetObject<Ipv4>()->GetRoutingProtocol());
    NS_ABORT_MSG_IF(!list, "a fabric switch must use Ipv4ListRouting");
    list->AddRoutingProtocol(CreateObject<GossipFabricRouting>(), 10);
}

Ptr<GossipFabricRouting>
FabricRouting(Ptr<Node> node)
{
    Ptr<Ipv4ListRouting> list =
        DynamicCast<Ipv4ListRouting>(node->GetObject<Ipv4>()->GetRoutingProtocol());
    int16_t priority;
    for (uint32_t i = 0; list && i < list->GetNRoutingProtocols(); ++i)
    {
        Ptr<GossipFabricRouting> f =
            DynamicCast<GossipFabricRouting>(list->GetRoutingProtocol(i, priority));
        if (f)
        {
            return f;
        }
    }
    return nullptr;
}

/// A unicast route on a switch: in its GossipFabricRouting if it has one, else static.
void
AddSwitchRoute(Ptr<Node> node, Ipv4Address prefix, uint8_t len, uint32_t interface)
{
    if (Ptr<GossipFabricRouting> f = FabricRouting(node))
    {
        f->AddRoute(prefix, len, interface);
        return;
    }
    Ptr<Ipv4StaticRouting> sr = StaticRouting(node);
    if (len == 0)
    {
        sr->SetDefaultRoute(Ipv4Address::GetZero(), interface);
    }
    else if (len == 32)
    {
        sr->AddHostRouteTo(prefix, interface);
    }
    else
    {
        sr->AddNetworkRouteTo(prefix, Ipv4Mask(~uint32_t(0) << (32 - len)), interface);
    }
}
} // namespace

DatacenterTopologyHelper::DatacenterTopologyHelper()
{
    NS_LOG_FUNCTION(this);
    m_hostLink.SetDeviceAttribute("DataRate", StringValue("10Gbps"));
    SetHostLinkAttribute("Delay", StringValue("2us"));
    m_fabricLink.SetDeviceAttribute("DataRate", StringValue("40Gbps"));
    m_coreLink.SetDeviceAttribute("DataRate", StringValue("40Gbps"));
    SetFabricLinkAttribute("Delay", StringValue("2us"));
}

void
DatacenterTopologyHelper::SetHostsPerRack(uint32_t n)
{
    NS_LOG_FUNCTION(this);
    m_hostsPerRack = n;
}

void
DatacenterTopologyHelper::SetRacksPerPod(uint32_t n)
{
    NS_LOG_FUNCTION(this);
    m_racksPerPod = n;
}

void
DatacenterTopologyHelper::SetPods(uint32_t n)
{
    NS_LOG_FUNCTION(this);
    m_pods = n;
}

void
DatacenterTopologyHelper::SetSpinesPerPod(uint32_t n)
{
    NS_LOG_FUNCTION(this);
    m_spinesPerPod = n;
}

void
DatacenterTopologyHelper::SetDatacenterIndex(uint32_t dc)
{
    NS_LOG_FUNCTION(this);
    m_dc = dc;
}

Time
DatacenterTopologyHelper::LinkDelayOf(const AttributeValue& value)
{
    NS_LOG_FUNCTION_NOARGS();
    Ptr<const AttributeChecker> checker = MakeTimeChecker();
    TimeValue t;
    NS_ABORT_MSG_UNLESS(t.DeserializeFromString(value.SerializeToString(checker), checker),
                        "link Delay=" << value.SerializeToString(checker) << " is not a time");
    return t.Get();
}

void
DatacenterTopologyHelper::SetLinkAttribute(PointToPointHelper& link,
                                           Time& delay,
                                           const std::string& name,
                                           const AttributeValue& value)
{
    NS_LOG_FUNCTION_NOARGS();
    if (name == "Delay")
    {
        delay = LinkDelayOf(value);
        link.SetChannelAttribute(name, value);
    }
    else
    {
        link.SetDeviceAttribute(name, value);
    }
}

void
DatacenterTopologyHelper::SetHostLinkAttribute(std::string name, const AttributeValue& value)
{
    NS_LOG_FUNCTION(this);
    SetLinkAttribute(m_hostLink, m_hostLinkDelay, name, value);
}

void
DatacenterTopologyHelper::SetFabricLinkAttribute(std::string name, const AttributeValue& value)
{
    NS_LOG_FUNCTION(this);
    SetLinkAttribute(m_fabricLink, m_fabricLinkDelay, name, value);
    SetCoreLinkAttribute(name, value);
}

void
DatacenterTopologyHelper::SetCoreLinkAttribute(std::string name, const AttributeValue& value)
{
    NS_LOG_FUNCTION(this);
    SetLinkAttribute(m_coreLink, m_coreLinkDelay, name, value);
}

void
DatacenterTopologyHelper::SetRanks(uint32_t ranks)
{
    NS_LOG_FUNCTION(this << ranks);
    m_ranks = ranks;
}

void
DatacenterTopologyHelper::SetSystemId(uint32_t systemId)
{
    NS_LOG_FUNCTION(this << systemId);
    m_systemId = systemId;
}

uint32_t
DatacenterTopologyHelper::GetRanks() const
{
    return m_ranks;
}

uint32_t
DatacenterTopologyHelper::GetPodSystemId(uint32_t pod) const
{
    return m_ranks > 1 ? pod % m_ranks : m_systemId;
}

Time
DatacenterTopologyHelper::GetLookahead() const
{
    return m_ranks > 1 ? m_coreLinkDelay : Time(0);
}

void
DatacenterTopologyHelper::SetMtu(uint32_t bytes)
{
    NS_LOG_FUNCTION(this << bytes);
    m_mtu = bytes;                     // kept for Validate(), which names a bad value
    if (bytes >= 68 && bytes <= 65535) // else the device's own attribute check would abort
    {
        m_hostLink.SetDeviceAttribute("Mtu", UintegerValue(bytes));
        m_fabricLink.SetDeviceAttribute("Mtu", UintegerValue(bytes));
        m_coreLink.SetDeviceAttribute("Mtu", UintegerValue(bytes));
    }
}

void
DatacenterTopologyHelper::SetQueueDiscs(bool enable)
{
    NS_LOG_FUNCTION(this);
    m_queueDiscs = enable;
}

void
DatacenterTopologyHelper::SetFabricRouting(bool enable)
{
    NS_LOG_FUNCTION(this);
    m_fabricRouting = enable;
}

void
DatacenterTopologyHelper::SetHostLinkErrorRate(double rate)
{
    NS_LOG_FUNCTION(this);
    m_hostErrorRate = rate;
}

void
DatacenterTopologyHelper::SetLinkAddressAllocator(const gossip::LinkAddressAllocator& alloc)
{
    NS_LOG_FUNCTION(this);
    m_alloc = alloc;
}

const gossip::LinkAddressAllocator&
DatacenterTopologyHelper::GetLinkAddressAllocator() const
{
    return m_alloc;
}

std::string
DatacenterTopologyHelper::Validate() const
{
    NS_LOG_FUNCTION(this);
    std::string err =
        gossip::FabricAddressPlan::Validate(m_hostsPerRack, m_racksPerPod, m_pods, m_dc);
    if (!err.empty())
    {
        return err;
    }
    std::ostringstream os;
    if (m_spinesPerPod < 1 || m_spinesPerPod > 64)
    {
        os << "SpinesPerPod=" << m_spinesPerPod << " is invalid: allowed 1..64";
    }
    else if (!(m_hostErrorRate >= 0.0 && m_hostErrorRate <= 1.0))
    {
        os << "HostLinkErrorRate=" << m_hostErrorRate << " is invalid: allowed 0..1";
    }
    else if (m_mtu < 68 || m_mtu > 65535)
    {
        os << "Mtu=" << m_mtu
           << " is invalid: allowed 68..65535 bytes (1500: Ethernet; 9000: jumbo frames)";
    }
    else if (m_hostLinkDelay.IsStrictlyNegative() || m_fabricLinkDelay.IsStrictlyNegative() ||
             m_coreLinkDelay.IsStrictlyNegative())
    {
        bool host = m_hostLinkDelay.IsStrictlyNegative();
        bool fabric = m_fabricLinkDelay.IsStrictlyNegative();
        os << (host     ? "host"
               : fabric ? "fabric"
                        : "core")
           << " link Delay="
           << (host     ? m_hostLinkDelay
               : fabric ? m_fabricLinkDelay
                        : m_coreLinkDelay)
                  .As(Time::MS)
           << " is invalid: allowed a time >= 0";
    }
    else if (std::string part = gossip::mpi::CheckPartition(m_ranks,
                                                            "Pods",
                                                            m_pods,
                                                            "core",
                                                            m_coreLinkDelay,
                                                            Time::US,
                                                            m_mtu,
                                                            "Mtu");
             !part.empty())
    {
        os << part;
    }
    else
    {
        uint64_t links = uint64_t(m_pods) * m_racksPerPod * m_spinesPerPod +
                         (m_pods > 1 ? uint64_t(m_pods) * m_spinesPerPod : 0);
        if (links > m_alloc.Remaining())
        {
            os << "the fabric needs " << links << " switch links but only " << m_alloc.Remaining()
               << " /30 subnets are left in the link address range";
        }
    }
    return os.str();
}

uint32_t
DatacenterTopologyHelper::TorIndex(uint32_t pod, uint32_t rack) const
{
    NS_LOG_FUNCTION(this);
    return pod * m_racksPerPod + rack;
}

uint32_t
DatacenterTopologyHelper::SpineIndex(uint32_t pod, uint32_t spine) const
{
    NS_LOG_FUNCTION(this);
    return pod * m_spinesPerPod + spine;
}

std::pair<uint32_t, uint32_t>
DatacenterTopologyHelper::AddFabricLink(Ptr<Node> a,
                                        Ptr<Node> b,
                                        gossip::LinkAddressAllocator& alloc)
{
    NS_LOG_FUNCTION(this);
    return AddLink(m_fabricLink, a, b, alloc);
}

std::pair<uint32_t, uint32_t>
DatacenterTopologyHelper::AddLink(PointToPointHelper& link,
                                  Ptr<Node> a,
                                  Ptr<Node> b,
                                  gossip::LinkAddressAllocator& alloc)
{
    NS_LOG_FUNCTION(this);
    NetDeviceContainer d = link.Install(a, b);
    if (&link == &m_coreLink)
    {
        m_coreDevices.Add(d);
    }
    auto addrs = alloc.Allocate();
    uint32_t ia = AddInterface(a, d.Get(0), addrs.first, kLinkMask);
    uint32_t ib = AddInterface(b, d.Get(1), addrs.second, kLinkMask);
    return {ia, ib};
}

void
DatacenterTopologyHelper::Install()
{
    NS_LOG_FUNCTION(this);
    std::string err = Validate();
    NS_ABORT_MSG_IF(!err.empty(), "DatacenterTopologyHelper: " << err);
    NS_ABORT_MSG_IF(m_installed, "DatacenterTopologyHelper::Install called twice");
    m_installed = true;

    const uint32_t H = m_hostsPerRack;
    const uint32_t R = m_racksPerPod;
    const uint32_t P = m_pods;
    const uint32_t S = m_spinesPerPod;
    NS_LOG_FUNCTION(this << H << R << P << S);

    // Node ids follow (hosts, ToRs, spines, cores), each pod after pod, whatever the ranks.
    for (uint32_t p = 0; p < P; ++p)
    {
        m_hosts.Create(H * R, GetPodSystemId(p));
    }
    for (uint32_t p = 0; p < P; ++p)
    {
        m_tors.Create(R, GetPodSystemId(p));
    }
    for (uint32_t p = 0; p < P; ++p)
    {
        m_spines.Create(S, GetPodSystemId(p));
    }
    if (P > 1)
    {
        m_cores.Create(S, m_systemId);
    }
    m_firstHostId = m_hosts.Get(0)->GetId();

    // Static routing only: no GlobalRouting (quadratic) and no IPv6 (memory).
    Ipv4StaticRoutingHelper staticRouting;
    Ipv4ListRoutingHelper list;
    list.Add(staticRouting, 0);
    InternetStackHelper stack;
    stack.SetRoutingHelper(list);
    stack.SetIpv6StackInstall(false);
    stack.Install(m_hosts);
    stack.Install(m_tors);
    stack.Install(m_spines);
    stack.Install(m_cores);
    // Switches never receive traffic for their own addresses on another interface; without the
    // weak end-system model a forwarded packet is not checked against every interface address.
    NodeContainer switches(m_tors, m_spines, m_cores);
    for (uint32_t i = 0; i < switches.GetN(); ++i)
    {
        gossip::compat::UseStrongEndSystemModel(switches.Get(i)->GetObject<Ipv4>());
        if (m_fabricRouting)
        {
            AddFabricRouting(switches.Get(i));
        }
    }

    // Host links: ToR (p,r) port 1+h faces host h. Created first so the port numbers hold.
    m_hostDevices = NetDeviceContainer();
    for (uint32_t p = 0; p < P; ++p)
    {
        for (uint32_t r = 0; r < R; ++r)
        {
            Ptr<Node> tor = m_tors.Get(TorIndex(p, r));
            for (uint32_t h = 0; h < H; ++h)
            {
                gossip::FabricPosition pos{m_dc, p, r, h};
                Ptr<Node> host = m_hosts.Get((p * R + r) * H + h);
                NetDeviceContainer d = m_hostLink.Install(host, tor);
                AddInterface(host,
                             d.Get(0),
                             gossip::FabricAddressPlan::HostAddress(pos),
                             kHostMask);
                AddInterface(tor,
                             d.Get(1),
                             gossip::FabricAddressPlan::TorPortAddress(pos),
                             kPortMask);
                m_hostDevices.Add(d);
                if (m_hostErrorRate > 0)
                {
                    for (uint32_t k = 0; k < 2; ++k)
                    {
                        Ptr<RateErrorModel> em = CreateObject<RateErrorModel>();
                        em->SetUnit(RateErrorModel::ERROR_UNIT_PACKET);
                        em->SetRate(m_hostErrorRate);
                        d.Get(k)->SetAttribute("ReceiveErrorModel", PointerValue(em));
                        m_errorModels.push_back(em);
                    }
                }
            }
        }
    }
    // ToR uplinks: ToR port 1+H+s goes to spine (p,s), whose port 1+r comes from rack r.
    for (uint32_t p = 0; p < P; ++p)
    {
        for (uint32_t r = 0; r < R; ++r)
        {
            for (uint32_t s = 0; s < S; ++s)
            {
                AddFabricLink(m_tors.Get(TorIndex(p, r)), m_spines.Get(SpineIndex(p, s)), m_alloc);
            }
        }
    }
    // Core planes: spine (p,s) port 1+R goes to core s, whose port 1+p comes from pod p.
    if (P > 1)
    {
        for (uint32_t p = 0; p < P; ++p)
        {
            for (uint32_t s = 0; s < S; ++s)
            {
                AddLink(m_coreLink, m_spines.Get(SpineIndex(p, s)), m_cores.Get(s), m_alloc);
            }
        }
    }
    gossip::mpi::GuardCrossRankFrames(m_coreDevices);
    if (m_queueDiscs)
    {
        // Every point-to-point device once (host links are in both the host and the ToR).
        TrafficControlHelper tch = TrafficControlHelper::Default();
        NodeContainer all(m_hosts, switches);
        for (uint32_t i = 0; i < all.GetN(); ++i)
        {
            Ptr<Node> n = all.Get(i);
            for (uint32_t d = 0; d < n->GetNDevices(); ++d)
            {
                if (DynamicCast<PointToPointNetDevice>(n->GetDevice(d)))
                {
                    tch.Install(n->GetDevice(d));
                }
            }
        }
    }
    BuildUnicastRoutes();
}

void
DatacenterTopologyHelper::BuildUnicastRoutes()
{
    NS_LOG_FUNCTION(this);
    const uint32_t H = m_hostsPerRack;
    const uint32_t R = m_racksPerPod;
    const uint32_t P = m_pods;
    const uint32_t S = m_spinesPerPod;

    for (uint32_t i = 0; i < m_hosts.GetN(); ++i)
    {
        Ptr<Ipv4StaticRouting> sr = StaticRouting(m_hosts.Get(i));
        sr->SetDefaultRoute(Ipv4Address::GetZero(), 1);
        sr->SetDefaultMulticastRoute(1);
    }
    for (uint32_t p = 0; p < P; ++p)
    {
        for (uint32_t r = 0; r < R; ++r)
        {
            Ptr<Node> tor = m_tors.Get(TorIndex(p, r));
            ClearRoutes(tor);
            for (uint32_t h = 0; h < H; ++h)
            {
                AddSwitchRoute(tor,
                               gossip::FabricAddressPlan::HostAddress({m_dc, p, r, h}),
                               32,
                               1 + h);
            }
            // Everything else goes up one uplink chosen by the source rack. Per-destination
            // spreading would need a route per rack and pod on every ToR.
            AddSwitchRoute(tor, Ipv4Address::GetZero(), 0, 1 + H + (r % S));
        }
        for (uint32_t s = 0; s < S; ++s)
        {
            Ptr<Node> spine = m_spines.Get(SpineIndex(p, s));
            ClearRoutes(spine);
            for (uint32_t r = 0; r < R; ++r)
            {
                AddSwitchRoute(spine, gossip::FabricAddressPlan::RackPrefix(m_dc, p, r), 24, 1 + r);
            }
            if (P > 1)
            {
                AddSwitchRoute(spine, Ipv4Address::GetZero(), 0, 1 + R);
            }
        }
    }
    for (uint32_t s = 0; s < m_cores.GetN(); ++s)
    {
        Ptr<Node> core = m_cores.Get(s);
        ClearRoutes(core);
        for (uint32_t p = 0; p < P; ++p)
        {
            AddSwitchRoute(core, gossip::FabricAddressPlan::PodPrefix(m_dc, p), 16, 1 + p);
        }
    }
}

uint32_t
DatacenterTopologyHelper::RootPlane(Ipv4Address group) const
{
    NS_LOG_FUNCTION(this);
    return Spread(group.Get(), 7, m_spinesPerPod);
}

std::string
DatacenterTopologyHelper::CheckMulticastRoute(Ptr<Node> node, Ipv4Address group)
{
    NS_LOG_FUNCTION_NOARGS();
    auto groupRoute = [group](Ptr<Ipv4StaticRouting> sr) {
        for (uint32_t i = 0; sr && i < sr->GetNMulticastRoutes(); ++i)
        {
            if (sr->GetMulticastRoute(i).GetGroup() == group)
            {
                return true;
            }
        }
        return false;
    };
    Ptr<Ipv4> ipv4 = node->GetObject<Ipv4>();
    if (!ipv4 || ipv4->GetNInterfaces() < 2)
    {
        return "the node has no IPv4 interface";
    }
    Ptr<Ipv4StaticRouting> sr =
        Ipv4RoutingHelper::GetRouting<Ipv4StaticRouting>(ipv4->GetRoutingProtocol());
    bool hostRoute = groupRoute(sr);
    for (uint32_t i = 0; sr && !hostRoute && i < sr->GetNRoutes(); ++i)
    {
        Ipv4RoutingTableEntry r = sr->GetRoute(i);
        // SetDefaultMulticastRoute installs 224.0.0.0/4.
        hostRoute = r.GetDestNetwork() == Ipv4Address("224.0.0.0") &&
                    r.GetDestNetworkMask() == Ipv4Mask("240.0.0.0");
    }
    if (!hostRoute)
    {
        return "the node has no multicast route (default or for the group)";
    }
    // A configuration check, not protocol state: on a point-to-point first hop the datagrams
    // reach nobody unless that router forwards the group.
    for (uint32_t i = 1; i < ipv4->GetNInterfaces(); ++i)
    {
        Ptr<NetDevice> dev = ipv4->GetNetDevice(i);
        Ptr<Channel> ch = dev ? dev->GetChannel() : nullptr;
        if (!ch || ch->GetNDevices() != 2)
        {
            continue;
        }
        Ptr<Node> peer =
            ch->GetDevice(0) == dev ? ch->GetDevice(1)->GetNode() : ch->GetDevice(0)->GetNode();
        Ptr<Ipv4> pip = peer->GetObject<Ipv4>();
        if (!pip)
        {
            continue;
        }
        int32_t pi = pip->GetInterfaceForDevice(ch->GetDevice(0) == dev ? ch->GetDevice(1)
                                                                        : ch->GetDevice(0));
        if (pi < 0 || !pip->IsForwarding(pi))
        {
            continue; // a host: it receives the datagram itself
        }
        if (!groupRoute(
                Ipv4RoutingHelper::GetRouting<Ipv4StaticRouting>(pip->GetRoutingProtocol())))
        {
            std::ostringstream os;
            os << "its first-hop router (node " << peer->GetId() << ") has no multicast route for "
               << group;
            return os.str();
        }
    }
    return "";
}

void
DatacenterTopologyHelper::EnableMulticast(Ipv4Address group, MulticastScope scope)
{
    NS_LOG_FUNCTION(this);
    NS_ABORT_MSG_IF(!m_installed, "DatacenterTopologyHelper::EnableMulticast before Install");
    NS_ABORT_MSG_IF(!group.IsMulticast() || group.IsLocalMulticast(),
                    "DatacenterTopologyHelper::EnableMulticast: " << group
                                                                  << " is not a routable multicast "
                                                                     "group: allowed 224.0.1.0 .. "
                                                                     "239.255.255.255");
    const uint32_t H = m_hostsPerRack;
    const uint32_t R = m_racksPerPod;
    const uint32_t P = m_pods;
    const uint32_t s0 = RootPlane(group);
    const bool upward = scope == DATACENTER && R * P > 1;
    const Ipv4Address origin = Ipv4Address::GetAny();

    for (uint32_t t = 0; t < m_tors.GetN(); ++t)
    {
        Ptr<Ipv4StaticRouting> sr = StaticRouting(m_tors.Get(t));
        const uint32_t up = 1 + H + s0;
        for (uint32_t in = 1; in <= H; ++in)
        {
            std::vector<uint32_t> out;
            for (uint32_t o = 1; o <= H; ++o)
            {
                if (o != in)
                {
                    out.push_back(o);
                }
            }
            if (upward)
            {
                out.push_back(up);
            }
            if (!out.empty())
            {
                sr->AddMulticastRoute(origin, group, in, out);
            }
        }
        if (upward)
        {
            std::vector<uint32_t> out;
            for (uint32_t o = 1; o <= H; ++o)
            {
                out.push_back(o);
            }
            sr->AddMulticastRoute(origin, group, up, out);
        }
    }
    if (!upward)
    {
        return;
    }
    for (uint32_t p = 0; p < P; ++p)
    {
        Ptr<Ipv4StaticRouting> sr = StaticRouting(m_spines.Get(SpineIndex(p, s0)));
        const uint32_t core = 1 + R;
        for (uint32_t in = 1; in <= R; ++in)
        {
            std::vector<uint32_t> out;
            for (uint32_t o = 1; o <= R; ++o)
            {
                if (o != in)
                {
                    out.push_back(o);
                }
            }
            if (P > 1)
            {
                out.push_back(core);
            }
            if (!out.empty())
            {
                sr->AddMulticastRoute(origin, group, in, out);
            }
        }
        if (P > 1)
        {
            std::vector<uint32_t> out;
            for (uint32_t o = 1; o <= R; ++o)
            {
                out.push_back(o);
            }
            sr->AddMulticastRoute(origin, group, core, out);
        }
    }
    if (P > 1)
    {
        Ptr<Ipv4StaticRouting> sr = StaticRouting(m_cores.Get(s0));
        for (uint32_t in = 1; in <= P; ++in)
        {
            std::vector<uint32_t> out;
            for (uint32_t o = 1; o <= P; ++o)
            {
                if (o != in)
                {
                    out.push_back(o);
                }
            }
            sr->AddMulticastRoute(origin, group, in, out);
        }
    }
}

std::vector<uint32_t>
DatacenterTopologyHelper::AttachGateway(Ptr<Node> gateway, gossip::LinkAddressAllocator& alloc)
{
    NS_LOG_FUNCTION(this);
    NS_ABORT_MSG_IF(!m_installed, "DatacenterTopologyHelper::AttachGateway before Install");
    const uint32_t S = m_spinesPerPod;
    NodeContainer top;
    if (m_pods > 1)
    {
        top = m_cores;
    }
    else
    {
        for (uint32_t s = 0; s < S; ++s)
        {
            top.Add(m_spines.Get(SpineIndex(0, s)));
        }
    }
    std::vector<uint32_t> gwIfs;
    for (uint32_t s = 0; s < top.GetN(); ++s)
    {
        auto ifs = AddFabricLink(gateway, top.Get(s), alloc);
        gwIfs.push_back(ifs.first);
        AddSwitchRoute(top.Get(s), Ipv4Address::GetZero(), 0, ifs.second);
    }
    Ptr<Ipv4StaticRouting> sr = StaticRouting(gateway);
    if (m_pods > 1)
    {
        for (uint32_t p = 0; p < m_pods; ++p)
        {
            sr->AddNetworkRouteTo(gossip::FabricAddressPlan::PodPrefix(m_dc, p),
                                  kPodMask,
                                  gwIfs[Spread(p, 0, S)]);
        }
    }
    else
    {
        for (uint32_t r = 0; r < m_racksPerPod; ++r)
        {
            sr->AddNetworkRouteTo(gossip::FabricAddressPlan::RackPrefix(m_dc, 0, r),
                                  kRackMask,
                                  gwIfs[Spread(r, 0, S)]);
        }
    }
    return gwIfs;
}

int64_t
DatacenterTopologyHelper::AssignStreams(int64_t stream)
{
    NS_LOG_FUNCTION(this);
    int64_t used = 0;
    for (auto& em : m_errorModels)
    {
        used += em->AssignStreams(stream + used);
    }
    return used;
}

uint32_t
DatacenterTopologyHelper::GetNHosts() const
{
    return m_hostsPerRack * m_racksPerPod * m_pods;
}

uint32_t
DatacenterTopologyHelper::GetHostsPerRack() const
{
    return m_hostsPerRack;
}

uint32_t
DatacenterTopologyHelper::GetRacksPerPod() const
{
    return m_racksPerPod;
}

uint32_t
DatacenterTopologyHelper::GetPods() const
{
    return m_pods;
}

uint32_t
DatacenterTopologyHelper::GetSpinesPerPod() const
{
    return m_spinesPerPod;
}

uint32_t
DatacenterTopologyHelper::GetDatacenterIndex() const
{
    return m_dc;
}

const NodeContainer&
DatacenterTopologyHelper::GetHosts() const
{
    return m_hosts;
}

Ptr<Node>
DatacenterTopologyHelper::GetHost(uint32_t index) const
{
    NS_ABORT_MSG_IF(index >= m_hosts.GetN(),
                    "host index " << index << " out of range: allowed 0.." << m_hosts.GetN() - 1);
    return m_hosts.Get(index);
}

Ptr<Node>
DatacenterTopologyHelper::GetHost(uint32_t pod, uint32_t rack, uint32_t host) const
{
    NS_ABORT_MSG_IF(pod >= m_pods || rack >= m_racksPerPod || host >= m_hostsPerRack,
                    "host (" << pod << "," << rack << "," << host << ") is outside the fabric");
    return m_hosts.Get((pod * m_racksPerPod + rack) * m_hostsPerRack + host);
}

NodeContainer
DatacenterTopologyHelper::GetRackHosts(uint32_t pod, uint32_t rack) const
{
    NodeContainer c;
    for (uint32_t h = 0; h < m_hostsPerRack; ++h)
    {
        c.Add(GetHost(pod, rack, h));
    }
    return c;
}

NodeContainer
DatacenterTopologyHelper::GetPodHosts(uint32_t pod) const
{
    NodeContainer c;
    for (uint32_t r = 0; r < m_racksPerPod; ++r)
    {
        c.Add(GetRackHosts(pod, r));
    }
    return c;
}

gossip::FabricPosition
DatacenterTopologyHelper::GetHostPosition(uint32_t index) const
{
    gossip::FabricPosition pos;
    pos.dc = m_dc;
    pos.host = index % m_hostsPerRack;
    pos.rack = (index / m_hostsPerRack) % m_racksPerPod;
    pos.pod = index / (m_hostsPerRack * m_racksPerPod);
    return pos;
}

Ipv4Address
DatacenterTopologyHelper::GetHostAddress(uint32_t index) const
{
    return gossip::FabricAddressPlan::HostAddress(GetHostPosition(index));
}

std::string
DatacenterTopologyHelper::GetHostPath(uint32_t index) const
{
    gossip::FabricPosition pos = GetHostPosition(index);
    std::ostringstream os;
    os << "/dc" << pos.dc;
    if (m_pods > 1)
    {
        os << "/pod" << std::setw(2) << std::setfill('0') << pos.pod;
    }
    os << "/rack" << std::setw(2) << std::setfill('0') << pos.rack << "/host" << std::setw(2)
       << std::setfill('0') << pos.host;
    return os.str();
}

uint32_t
DatacenterTopologyHelper::GetHostIndex(Ptr<Node> node) const
{
    if (!node || m_hosts.GetN() == 0)
    {
        return UINT32_MAX;
    }
    uint32_t id = node->GetId();
    if (id < m_firstHostId || id - m_firstHostId >= m_hosts.GetN() ||
        m_hosts.Get(id - m_firstHostId) != node)
    {
        return UINT32_MAX;
    }
    return id - m_firstHostId;
}

const NodeContainer&
DatacenterTopologyHelper::GetTors() const
{
    return m_tors;
}

const NodeContainer&
DatacenterTopologyHelper::GetSpines() const
{
    return m_spines;
}

const NodeContainer&
DatacenterTopologyHelper::GetCores() const
{
    return m_cores;
}

const NetDeviceContainer&
DatacenterTopologyHelper::GetHostLinkDevices() const
{
    return m_hostDevices;
}

} // namespace ns3
