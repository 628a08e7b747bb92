/*
 * SPDX-License-Identifier: GPL-2.0-only
 */
#ifndef WAN_TOPOLOGY_HELPER_H
#define WAN_TOPOLOGY_HELPER_H

#include "ns3/datacenter-topology-helper.h"
#include "ns3/error-model.h"
#include "ns3/node-container.h"
#include "ns3/point-to-point-helper.h"

#include <string>
#include <vector>

namespace ns3
{

/**
 * \ingroup gossip
 * \brief Several datacenters joined by gateway routers over long-delay WAN links.
 *
 * Each datacenter is a DatacenterTopologyHelper built from a common template, with its own
 * first address octet (10+dc). Its gateway attaches to the top of its fabric. Gateways are joined
 * in a full mesh, a ring, or through a WAN core read by ns-3's topology-read module (Inet, Orbis
 * or Rocketfuel format); datacenter d's gateway attaches to core router d mod W. Static routes
 * across the WAN follow shortest paths (Boost.Graph, by hop count).
 *
 * IP multicast stays inside each datacenter ("IP multicast doesn't always work in WANs"): no
 * multicast route ever points at a gateway, so protocols use unicast across the WAN.
 */
class WanTopologyHelper
{
  public:
    /// How the gateways are joined.
    enum CoreShape
    {
        FULL_MESH,    //!< a direct WAN link between every pair of gateways
        RING,         //!< gateway d linked to gateway d+1 mod K
        TOPOLOGY_FILE //!< a WAN core read from a file (see SetTopologyFile)
    };

    WanTopologyHelper();

    /// Number of datacenters K, 1..90 (default 3).
    void SetDatacenters(uint32_t k);
    /// The fabric every datacenter copies (its index is set per datacenter).
    void SetDatacenterTemplate(const DatacenterTopologyHelper& dc);
    /// Mesh (default) or ring; TOPOLOGY_FILE is set by SetTopologyFile.
    void SetCoreShape(CoreShape shape);
    /**
     * Read the WAN core from a file with ns-3's TopologyReaderHelper.
     * \param path the file
     * \param format "Inet", "Orbis" or "Rocketfuel"
     */
    void SetTopologyFile(std::string path, std::string format);
    /// Attribute of the WAN links (DataRate default 1Gbps, Delay 25ms).
    void SetWanLinkAttribute(std::string name, const AttributeValue& value);
    /// Packet error rate on WAN links, both directions (default 0).
    void SetWanErrorRate(double rate);
    /**
     * Spread the datacenters over this many ranks of ns-3's distributed (MPI) simulator:
     * datacenter d and its gateway on rank d mod ranks (one datacenter per rank when there are
     * as many ranks as datacenters), a topology file's core routers on rank 0. Only WAN links
     * cross ranks, so the lookahead is the WAN delay (GetLookahead()). 1 (the default): one
     * process. Allowed 1..Datacenters, and more than 1 only on that many MPI ranks.
     */
    void SetRanks(uint32_t ranks);
    /// \return the lookahead of the partition: the WAN link delay under SetRanks(n > 1), else 0.
    Time GetLookahead() const;

    /// \return an empty string if valid, else a message naming the bad value and what is allowed.
    std::string Validate() const;
    /// Build every datacenter, the gateways, the WAN and all routes.
    void Install();
    /// Multicast routes for a group inside every datacenter (never across the WAN).
    void EnableMulticast(
        Ipv4Address group,
        DatacenterTopologyHelper::MulticastScope scope = DatacenterTopologyHelper::DATACENTER);
    /// Fix the random streams of all error models. \return the number of streams used.
    int64_t AssignStreams(int64_t stream);

    uint32_t GetNDatacenters() const;
    DatacenterTopologyHelper& GetDatacenter(uint32_t dc);
    const DatacenterTopologyHelper& GetDatacenter(uint32_t dc) const;
    /// One gateway router per datacenter.
    const NodeContainer& GetGateways() const;
    /// WAN core routers (TOPOLOGY_FILE only).
    const NodeContainer& GetCoreRouters() const;
    /// Every host of every datacenter, datacenter by datacenter.
    const NodeContainer& GetHosts() const;
    uint32_t GetNHosts() const;
    /// Global host index -> datacenter, address, path ("/dc1/rack07/host12").
    uint32_t GetHostDatacenter(uint32_t index) const;
    Ipv4Address GetHostAddress(uint32_t index) const;
    std::string GetHostPath(uint32_t index) const;
    /// WAN link devices (for pcap or counting WAN bytes).
    const NetDeviceContainer& GetWanDevices() const;

  private:
    void Link(uint32_t u, uint32_t v); //!< WAN link between graph vertices u and v

    uint32_t m_k{3};
    DatacenterTopologyHelper m_template;
    CoreShape m_shape{FULL_MESH};
    std::string m_file;
    std::string m_format;
    PointToPointHelper m_wanLink;
    Time m_wanLinkDelay;     //!< as set on m_wanLink, for Validate()
    uint32_t m_wanMtu{1500}; //!< as set on m_wanLink, for Validate()
    uint32_t m_ranks{1};
    double m_wanErrorRate{0.0};
    bool m_installed{false};

    std::vector<DatacenterTopologyHelper> m_dcs;
    NodeContainer m_gateways;
    NodeContainer m_coreRouters;
    NodeContainer m_hosts;
    NetDeviceContainer m_wanDevices;
    std::vector<Ptr<RateErrorModel>> m_errorModels;
    std::vector<uint32_t> m_firstHost; //!< global index of each datacenter's first host
    gossip::LinkAddressAllocator m_alloc;

    /// WAN graph: vertex v is gateway v (v < K) or core router v-K. Adjacency with interfaces.
    struct Adjacent
    {
        uint32_t vertex;
        uint32_t localIf;
    };

    std::vector<std::vector<Adjacent>> m_adj;
    std::vector<Ptr<Node>> m_vertexNode;
};

} // namespace ns3

#endif /* WAN_TOPOLOGY_HELPER_H */
