/*
 * SPDX-License-Identifier: GPL-2.0-only
 */
#include "wan-topology-helper.h"

#include "ns3/abort.h"
#include "ns3/gossip-graph.h"
#include "ns3/gossip-mpi.h"
#include "ns3/internet-stack-helper.h"
#include "ns3/ipv4-list-routing-helper.h"
#include "ns3/ipv4-static-routing-helper.h"
#include "ns3/ipv4.h"
#include "ns3/log.h"
#include "ns3/pointer.h"
#include "ns3/string.h"
#include "ns3/topology-reader-helper.h"
#include "ns3/uinteger.h"

#include <fstream>
#include <map>
#include <sstream>

namespace ns3
{

NS_LOG_COMPONENT_DEFINE("WanTopologyHelper");

namespace
{

Ptr<Ipv4StaticRouting>
StaticRouting(Ptr<Node> node)
{
    Ipv4StaticRoutingHelper helper;
    return helper.GetStaticRouting(node->GetObject<Ipv4>());
}

/// Inet files start with "<nodes> <links>"; ns-3's reader silently yields nothing on garbage,
/// so check the header ourselves to give a useful message.
std::string
CheckInetHeader(const std::string& path)
{
    std::ifstream in(path);
    std::string line;
    if (!std::getline(in, line))
    {
        return "it is empty";
    }
    std::istringstream is(line);
    long nodes = -1;
    long links = -1;
    if (!(is >> nodes >> links) || nodes <= 0 || links <= 0)
    {
        return "its first line '" + line +
               "' is not '<nodes> <links>' with two positive integers (Inet format)";
    }
    return "";
}
} // namespace

WanTopologyHelper::WanTopologyHelper()
{
    NS_LOG_FUNCTION(this);
    m_wanLink.SetDeviceAttribute("DataRate", StringValue("1Gbps"));
    SetWanLinkAttribute("Delay", StringValue("25ms"));
}

void
WanTopologyHelper::SetDatacenters(uint32_t k)
{
    NS_LOG_FUNCTION(this);
    m_k = k;
}

void
WanTopologyHelper::SetDatacenterTemplate(const DatacenterTopologyHelper& dc)
{
    NS_LOG_FUNCTION(this);
    m_template = dc;
}

void
WanTopologyHelper::SetCoreShape(CoreShape shape)
{
    NS_LOG_FUNCTION(this);
    m_shape = shape;
}

void
WanTopologyHelper::SetTopologyFile(std::string path, std::string format)
{
    NS_LOG_FUNCTION(this);
    m_shape = TOPOLOGY_FILE;
    m_file = path;
    m_format = format;
}

void
WanTopologyHelper::SetWanLinkAttribute(std::string name, const AttributeValue& value)
{
    NS_LOG_FUNCTION(this);
    if (name == "Mtu") // kept for Validate(): a cut link's frames must fit an MPI message
    {
        UintegerValue mtu;
        Ptr<const AttributeChecker> checker = MakeUintegerChecker<uint16_t>();
        if (mtu.DeserializeFromString(value.SerializeToString(checker), checker))
        {
            m_wanMtu = mtu.Get();
        }
    }
    DatacenterTopologyHelper::SetLinkAttribute(m_wanLink, m_wanLinkDelay, name, value);
}

void
WanTopologyHelper::SetRanks(uint32_t ranks)
{
    NS_LOG_FUNCTION(this << ranks);
    m_ranks = ranks;
}

Time
WanTopologyHelper::GetLookahead() const
{
    return m_ranks > 1 ? m_wanLinkDelay : Time(0);
}

void
WanTopologyHelper::SetWanErrorRate(double rate)
{
    NS_LOG_FUNCTION(this);
    m_wanErrorRate = rate;
}

std::string
WanTopologyHelper::Validate() const
{
    NS_LOG_FUNCTION(this);
    std::ostringstream os;
    if (m_k < 1 || m_k > gossip::FabricAddressPlan::kMaxDatacenters)
    {
        os << "Datacenters=" << m_k << " is invalid: allowed 1.."
           << gossip::FabricAddressPlan::kMaxDatacenters;
        return os.str();
    }
    if (!(m_wanErrorRate >= 0.0 && m_wanErrorRate <= 1.0))
    {
        os << "WanErrorRate=" << m_wanErrorRate << " is invalid: allowed 0..1";
        return os.str();
    }
    if (m_wanLinkDelay.IsStrictlyNegative())
    {
        os << "WAN link Delay=" << m_wanLinkDelay.As(Time::MS)
           << " is invalid: allowed a time >= 0";
        return os.str();
    }
    if (m_ranks > 1 && m_ranks <= m_k && m_template.GetRanks() > 1)
    {
        os << "the datacenter template's Ranks=" << m_template.GetRanks()
           << " is invalid in a WAN: allowed 1 (the WAN spreads whole datacenters over the "
           << "ranks; set Ranks on the WanTopologyHelper)";
        return os.str();
    }
    std::string part = gossip::mpi::CheckPartition(m_ranks,
                                                   "Datacenters",
                                                   m_k,
                                                   "WAN",
                                                   m_wanLinkDelay,
                                                   Time::MS,
                                                   m_wanMtu,
                                                   "WAN Mtu");
    if (!part.empty())
    {
        return part;
    }
    if (m_shape == TOPOLOGY_FILE)
    {
        if (m_format != "Inet" && m_format != "Orbis" && m_format != "Rocketfuel")
        {
            os << "topology file format '" << m_format
               << "' is invalid: allowed Inet, Orbis, Rocketfuel";
            return os.str();
        }
        std::ifstream in(m_file);
        if (!in.good())
        {
            os << "topology file '" << m_file << "' cannot be read";
            return os.str();
        }
        if (m_format == "Inet")
        {
            std::string why = CheckInetHeader(m_file);
            if (!why.empty())
            {
                os << "topology file '" << m_file << "' is malformed: " << why;
                return os.str();
            }
        }
    }
    DatacenterTopologyHelper probe = m_template;
    probe.SetDatacenterIndex(m_k - 1);
    return probe.Validate();
}

void
WanTopologyHelper::Link(uint32_t u, uint32_t v)
{
    NS_LOG_FUNCTION(this);
    Ptr<Node> a = m_vertexNode[u];
    Ptr<Node> b = m_vertexNode[v];
    NetDeviceContainer d = m_wanLink.Install(a, b);
    m_wanDevices.Add(d);
    auto addrs = m_alloc.Allocate();
    const Ipv4Mask mask("255.255.255.252");
    uint32_t ifs[2];
    Ptr<Node> ends[2] = {a, b};
    Ipv4Address ad[2] = {addrs.first, addrs.second};
    for (int k = 0; k < 2; ++k)
    {
        Ptr<Ipv4> ipv4 = ends[k]->GetObject<Ipv4>();
        ifs[k] = ipv4->AddInterface(d.Get(k));
        ipv4->AddAddress(ifs[k], Ipv4InterfaceAddress(ad[k], mask));
        ipv4->SetUp(ifs[k]);
        if (m_wanErrorRate > 0)
        {
            Ptr<RateErrorModel> em = CreateObject<RateErrorModel>();
            em->SetUnit(RateErrorModel::ERROR_UNIT_PACKET);
            em->SetRate(m_wanErrorRate);
            d.Get(k)->SetAttribute("ReceiveErrorModel", PointerValue(em));
            m_errorModels.push_back(em);
        }
    }
    m_adj[u].push_back({v, ifs[0]});
    m_adj[v].push_back({u, ifs[1]});
}

void
WanTopologyHelper::Install()
{
    NS_LOG_FUNCTION(this);
    std::string err = Validate();
    NS_ABORT_MSG_IF(!err.empty(), "WanTopologyHelper: " << err);
    NS_ABORT_MSG_IF(m_installed, "WanTopologyHelper::Install called twice");
    m_installed = true;

    Ipv4StaticRoutingHelper staticRouting;
    Ipv4ListRoutingHelper list;
    list.Add(staticRouting, 0);
    InternetStackHelper stack;
    stack.SetRoutingHelper(list);
    stack.SetIpv6StackInstall(false);
    for (uint32_t d = 0; d < m_k; ++d)
    {
        m_gateways.Create(1, d % m_ranks); // one node per datacenter, ids as before
    }
    stack.Install(m_gateways);

    // Datacenters, each continuing the link address range of the previous one.
    for (uint32_t d = 0; d < m_k; ++d)
    {
        DatacenterTopologyHelper dc = m_template;
        dc.SetDatacenterIndex(d);
        dc.SetSystemId(d % m_ranks);
        dc.SetLinkAddressAllocator(m_alloc);
        dc.Install();
        m_alloc = dc.GetLinkAddressAllocator();
        dc.AttachGateway(m_gateways.Get(d), m_alloc);
        m_firstHost.push_back(m_hosts.GetN());
        m_hosts.Add(dc.GetHosts());
        m_dcs.push_back(dc);
        m_vertexNode.push_back(m_gateways.Get(d));
    }

    std::vector<std::pair<uint32_t, uint32_t>> edges;
    if (m_shape == TOPOLOGY_FILE)
    {
        TopologyReaderHelper reader;
        reader.SetFileName(m_file);
        reader.SetFileType(m_format);
        Ptr<TopologyReader> r = reader.GetTopologyReader();
        NS_ABORT_MSG_IF(!r, "WanTopologyHelper: cannot read topology file '" << m_file << "'");
        m_coreRouters = r->Read();
        NS_ABORT_MSG_IF(m_coreRouters.GetN() < 1 || r->LinksSize() < 1,
                        "WanTopologyHelper: topology file '"
                            << m_file << "' (" << m_format << ") is malformed: it yielded "
                            << m_coreRouters.GetN() << " nodes and " << r->LinksSize()
                            << " links; it needs at least one link");
        stack.Install(m_coreRouters);
        std::map<Ptr<Node>, uint32_t> vertexOf;
        for (uint32_t i = 0; i < m_coreRouters.GetN(); ++i)
        {
            vertexOf[m_coreRouters.Get(i)] = m_k + i;
            m_vertexNode.push_back(m_coreRouters.Get(i));
        }
        for (auto it = r->LinksBegin(); it != r->LinksEnd(); ++it)
        {
            uint32_t u = vertexOf[it->GetFromNode()];
            uint32_t v = vertexOf[it->GetToNode()];
            NS_ABORT_MSG_IF(u == v,
                            "WanTopologyHelper: topology file '"
                                << m_file << "' is malformed: self-loop at node '"
                                << it->GetFromNodeName() << "'");
            edges.emplace_back(u, v);
        }
        for (uint32_t d = 0; d < m_k; ++d)
        {
            edges.emplace_back(d, m_k + d % m_coreRouters.GetN());
        }
    }
    else if (m_shape == RING)
    {
        for (uint32_t d = 0; m_k > 1 && d < m_k; ++d)
        {
            if (m_k == 2 && d == 1)
            {
                break; // a two-node ring is one link
            }
            edges.emplace_back(d, (d + 1) % m_k);
        }
    }
    else
    {
        for (uint32_t a = 0; a < m_k; ++a)
        {
            for (uint32_t b = a + 1; b < m_k; ++b)
            {
                edges.emplace_back(a, b);
            }
        }
    }

    const uint32_t V = m_vertexNode.size();
    gossip::Graph g(V);
    for (auto& e : edges)
    {
        g.AddEdge(e.first, e.second);
    }
    uint32_t components = g.CountComponents();
    NS_ABORT_MSG_IF(components > 1,
                    "WanTopologyHelper: the WAN is not connected ("
                        << components << " parts)"
                        << (m_shape == TOPOLOGY_FILE ? " in topology file '" + m_file + "'" : ""));

    m_adj.assign(V, {});
    for (auto& e : edges)
    {
        Link(e.first, e.second);
    }
    gossip::mpi::GuardCrossRankFrames(m_wanDevices);

    // Shortest-path routes (hop count) towards every datacenter prefix: one BFS tree per
    // datacenter, rooted at its gateway; each vertex routes the prefix to its BFS parent.
    for (uint32_t d = 0; d < m_k; ++d)
    {
        std::vector<uint32_t> parent = g.Parents(d);
        for (uint32_t v = 0; v < V; ++v)
        {
            if (v == d)
            {
                continue;
            }
            uint32_t next = parent[v];
            for (const auto& a : m_adj[v])
            {
                if (a.vertex == next)
                {
                    StaticRouting(m_vertexNode[v])
                        ->AddNetworkRouteTo(gossip::FabricAddressPlan::DatacenterPrefix(d),
                                            Ipv4Mask("255.0.0.0"),
                                            a.localIf);
                    break;
                }
            }
        }
    }
}

void
WanTopologyHelper::EnableMulticast(Ipv4Address group,
                                   DatacenterTopologyHelper::MulticastScope scope)
{
    NS_LOG_FUNCTION(this);
    for (auto& dc : m_dcs)
    {
        dc.EnableMulticast(group, scope);
    }
}

int64_t
WanTopologyHelper::AssignStreams(int64_t stream)
{
    NS_LOG_FUNCTION(this);
    int64_t used = 0;
    for (auto& dc : m_dcs)
    {
        used += dc.AssignStreams(stream + used);
    }
    for (auto& em : m_errorModels)
    {
        used += em->AssignStreams(stream + used);
    }
    return used;
}

uint32_t
WanTopologyHelper::GetNDatacenters() const
{
    return m_k;
}

DatacenterTopologyHelper&
WanTopologyHelper::GetDatacenter(uint32_t dc)
{
    NS_ABORT_MSG_IF(dc >= m_dcs.size(), "datacenter " << dc << " does not exist");
    return m_dcs[dc];
}

const DatacenterTopologyHelper&
WanTopologyHelper::GetDatacenter(uint32_t dc) const
{
    NS_ABORT_MSG_IF(dc >= m_dcs.size(), "datacenter " << dc << " does not exist");
    return m_dcs[dc];
}

const NodeContainer&
WanTopologyHelper::GetGateways() const
{
    return m_gateways;
}

const NodeContainer&
WanTopologyHelper::GetCoreRouters() const
{
    return m_coreRouters;
}

const NodeContainer&
WanTopologyHelper::GetHosts() const
{
    return m_hosts;
}

uint32_t
WanTopologyHelper::GetNHosts() const
{
    return m_hosts.GetN();
}

uint32_t
WanTopologyHelper::GetHostDatacenter(uint32_t index) const
{
    NS_ABORT_MSG_IF(index >= m_hosts.GetN(), "host index " << index << " out of range");
    uint32_t d = 0;
    while (d + 1 < m_firstHost.size() && m_firstHost[d + 1] <= index)
    {
        ++d;
    }
    return d;
}

Ipv4Address
WanTopologyHelper::GetHostAddress(uint32_t index) const
{
    uint32_t d = GetHostDatacenter(index);
    return m_dcs[d].GetHostAddress(index - m_firstHost[d]);
}

std::string
WanTopologyHelper::GetHostPath(uint32_t index) const
{
    uint32_t d = GetHostDatacenter(index);
    return m_dcs[d].GetHostPath(index - m_firstHost[d]);
}

const NetDeviceContainer&
WanTopologyHelper::GetWanDevices() const
{
    return m_wanDevices;
}

} // namespace ns3
