/*
 * SPDX-License-Identifier: GPL-2.0-only
 */
#ifndef DATACENTER_TOPOLOGY_HELPER_H
#define DATACENTER_TOPOLOGY_HELPER_H

#include "ns3/error-model.h"
#include "ns3/gossip-fabric-address.h"
#include "ns3/ipv4-address.h"
#include "ns3/net-device-container.h"
#include "ns3/node-container.h"
#include "ns3/point-to-point-helper.h"

#include <string>
#include <vector>

namespace ns3
{

/**
 * \ingroup gossip
 * \brief Builds a leaf-spine datacenter of IP routers, with optional pods and a core layer.
 *
 * Hosts hang off top-of-rack switches (ToRs) by point-to-point links. Every ToR of a pod connects
 * to each of the pod's spines. With more than one pod, spine s of every pod connects to core
 * switch s (core "planes", as in a fat-tree), so no switch has more than max(hosts, racks, pods)
 * plus a few ports and the per-packet cost stays flat as the fabric grows.
 *
 * Unicast routes are hierarchical static routes computed here in O(N) from the address plan
 * (gossip::FabricAddressPlan), without GlobalRouting (which is quadratic): a /32 per host at its
 * ToR, a /24 per rack at a spine, a /16 per pod at a core, and default routes upwards. Traffic
 * leaving a rack goes up the spine plane chosen by the source rack (rack mod spines). Switches hold
 * them in GossipFabricRouting (hash lookups) unless SetFabricRouting(false) selects
 * Ipv4StaticRouting.
 *
 * EnableMulticast() installs ns-3 static multicast routes that form one loop-free tree per group,
 * rooted at one spine plane chosen by the group address (like a PIM rendezvous point), so that a
 * datagram sent by any host reaches every other host of the datacenter exactly once.
 *
 * Queue discs are not installed by default: ns-3 would otherwise put an FqCoDel queue disc on
 * every device, which quadruples the memory per host.
 */
class DatacenterTopologyHelper
{
  public:
    /// How far a multicast group reaches.
    enum MulticastScope
    {
        RACK,      //!< hosts of the same rack only (e.g. Astrolabe's "anyone out there?")
        DATACENTER //!< every host of the datacenter
    };

    DatacenterTopologyHelper();

    /// Hosts per rack, 1..126 (default 40).
    void SetHostsPerRack(uint32_t n);
    /// Racks (ToRs) per pod, 1..256 (default 25).
    void SetRacksPerPod(uint32_t n);
    /// Pods, 1..256 (default 1). With more than one pod a core layer joins them.
    void SetPods(uint32_t n);
    /// Spines per pod, 1..64 (default 4); also the number of core switches when Pods > 1.
    void SetSpinesPerPod(uint32_t n);
    /// Index of this datacenter in a WAN, 0..89; it is the first address octet minus 10.
    void SetDatacenterIndex(uint32_t dc);
    /// Attribute of the host-to-ToR PointToPoint links (DataRate default 10Gbps, Delay 2us).
    void SetHostLinkAttribute(std::string name, const AttributeValue& value);
    /// Attribute of the switch-to-switch links (DataRate default 40Gbps, Delay 2us), the
    /// spine-to-core links included.
    void SetFabricLinkAttribute(std::string name, const AttributeValue& value);
    /**
     * Attribute of the spine-to-core links only (by default as the fabric's). Under SetRanks()
     * they are the cut between ranks, and their Delay is the distributed simulator's lookahead.
     */
    void SetCoreLinkAttribute(std::string name, const AttributeValue& value);
    /**
     * Spread the pods over this many ranks of ns-3's distributed (MPI) simulator: pod p on
     * rank p mod ranks, the core switches on rank 0. Only spine-to-core links cross ranks, so
     * the lookahead is their delay (GetLookahead()). 1 (the default): one process. Allowed 1..
     * Pods, and more than 1 only when the simulation runs on that many MPI ranks.
     */
    void SetRanks(uint32_t ranks);
    /// Put every node of this datacenter on one rank (WanTopologyHelper's partition).
    void SetSystemId(uint32_t systemId);
    /// \return the rank that holds a pod's nodes.
    uint32_t GetPodSystemId(uint32_t pod) const;
    /// \return the lookahead of the partition: the core-link delay under SetRanks(n > 1), else 0.
    Time GetLookahead() const;
    /**
     * MTU of every host and fabric link, in bytes (default 1500, Ethernet's). 9000 carries an
     * Astrolabe gossip datagram (up to 8 KB) in one frame, as datacenters with jumbo frames
     * do; at 1500 IP fragments it into six. Allowed 68 (IPv4's minimum) to 65535. Like
     * SetHostLinkAttribute("Mtu", ...), and the later of the two wins.
     */
    void SetMtu(uint32_t bytes);
    /**
     * The time a link "Delay" attribute value stands for (ns-3's channel accepts a negative one
     * and then schedules receptions in the past, so Validate() refuses it).
     */
    static Time LinkDelayOf(const AttributeValue& value);
    /**
     * Set a point-to-point link attribute by name: "Delay" on the channel (and in delay, for
     * Validate()), anything else on the devices.
     */
    static void SetLinkAttribute(PointToPointHelper& link,
                                 Time& delay,
                                 const std::string& name,
                                 const AttributeValue& value);
    /// Install ns-3's default queue discs on every device (off by default: they cost memory).
    void SetQueueDiscs(bool enable);
    /**
     * Route unicast on switches with GossipFabricRouting (hash tables, default) rather than
     * Ipv4StaticRouting (a linear scan per packet). The routes are the same; multicast always
     * uses Ipv4StaticRouting.
     */
    void SetFabricRouting(bool enable);
    /// Packet error rate on host links, both directions (default 0: no error model at all).
    void SetHostLinkErrorRate(double rate);
    /// Where switch-link /30 subnets come from (chained by WanTopologyHelper).
    void SetLinkAddressAllocator(const gossip::LinkAddressAllocator& alloc);
    /// \return the allocator as left after Install(), to continue from.
    const gossip::LinkAddressAllocator& GetLinkAddressAllocator() const;

    /**
     * \return an empty string if the configuration is valid, else a message that names the bad
     * value and what is allowed. Install() aborts with that message.
     */
    std::string Validate() const;

    /// Create the nodes, links, addresses and unicast routes.
    void Install();

    /**
     * Install multicast routes for a group (224.0.0.0/4, not link-local 224.0.0.x).
     * May be called for several groups. Never forwards to a WAN gateway.
     */
    void EnableMulticast(Ipv4Address group, MulticastScope scope = DATACENTER);

    /**
     * Whether datagrams node sends to group can reach anyone: the node needs a multicast route
     * (default or for the group) and, if its first hop is a router on a point-to-point link,
     * that router a route for the group (EnableMulticast). A configuration check for the
     * applications that multicast (PbcastHelper runs it when UseMulticast is on).
     * \return "" if so, else what is missing.
     */
    static std::string CheckMulticastRoute(Ptr<Node> node, Ipv4Address group);

    /**
     * Join a gateway router to the top of the fabric (cores, or the spines of a one-pod
     * fabric): routes to this datacenter's prefixes are installed on the gateway, and a default
     * route towards the gateway on the top switches. Used by WanTopologyHelper.
     * \param gateway the gateway router (with an Internet stack)
     * \param alloc where the /30s of the gateway links come from
     * \return the gateway's interface indices towards the fabric.
     */
    std::vector<uint32_t> AttachGateway(Ptr<Node> gateway, gossip::LinkAddressAllocator& alloc);

    /// Assign fixed random streams to the error models. \return the number of streams used.
    int64_t AssignStreams(int64_t stream);

    // ---- accessors ----
    uint32_t GetNHosts() const;
    uint32_t GetHostsPerRack() const;
    uint32_t GetRacksPerPod() const;
    uint32_t GetPods() const;
    uint32_t GetSpinesPerPod() const;
    uint32_t GetRanks() const;
    uint32_t GetDatacenterIndex() const;
    /// All hosts, ordered by (pod, rack, host).
    const NodeContainer& GetHosts() const;
    Ptr<Node> GetHost(uint32_t index) const;
    Ptr<Node> GetHost(uint32_t pod, uint32_t rack, uint32_t host) const;
    NodeContainer GetRackHosts(uint32_t pod, uint32_t rack) const;
    NodeContainer GetPodHosts(uint32_t pod) const;
    Ipv4Address GetHostAddress(uint32_t index) const;
    gossip::FabricPosition GetHostPosition(uint32_t index) const;
    /// Position path, e.g. "/dc0/rack07/host12", or "/dc0/pod02/rack07/host12" with pods.
    std::string GetHostPath(uint32_t index) const;
    /// Host index of a node created by this helper, or UINT32_MAX.
    uint32_t GetHostIndex(Ptr<Node> node) const;
    const NodeContainer& GetTors() const;
    const NodeContainer& GetSpines() const;
    const NodeContainer& GetCores() const;
    /// Host access devices, host side at 2*i and ToR side at 2*i+1.
    const NetDeviceContainer& GetHostLinkDevices() const;

  private:
    uint32_t TorIndex(uint32_t pod, uint32_t rack) const;
    uint32_t SpineIndex(uint32_t pod, uint32_t spine) const;
    /// Fabric link with a fresh /30. \return the interface indices on a and on b.
    std::pair<uint32_t, uint32_t> AddFabricLink(Ptr<Node> a,
                                                Ptr<Node> b,
                                                gossip::LinkAddressAllocator& alloc);
    /// Fabric link between a and b on the given link helper (fabric or core).
    std::pair<uint32_t, uint32_t> AddLink(PointToPointHelper& link,
                                          Ptr<Node> a,
                                          Ptr<Node> b,
                                          gossip::LinkAddressAllocator& alloc);
    void BuildUnicastRoutes();
    uint32_t RootPlane(Ipv4Address group) const;

    uint32_t m_hostsPerRack{40};
    uint32_t m_racksPerPod{25};
    uint32_t m_pods{1};
    uint32_t m_spinesPerPod{4};
    uint32_t m_dc{0};
    bool m_queueDiscs{false};
    bool m_fabricRouting{true};
    double m_hostErrorRate{0.0};
    bool m_installed{false};

    PointToPointHelper m_hostLink;
    PointToPointHelper m_fabricLink;
    PointToPointHelper m_coreLink; //!< spine-to-core links, the cut under SetRanks()
    uint32_t m_mtu{1500};          //!< as given to SetMtu, for Validate()
    Time m_hostLinkDelay;          //!< as set on m_hostLink, for Validate()
    Time m_fabricLinkDelay;        //!< as set on m_fabricLink, for Validate()
    Time m_coreLinkDelay;          //!< as set on m_coreLink, for Validate() and the lookahead
    uint32_t m_ranks{1};
    uint32_t m_systemId{0};
    gossip::LinkAddressAllocator m_alloc;

    NodeContainer m_hosts;
    NodeContainer m_tors;
    NodeContainer m_spines;
    NodeContainer m_cores;
    NetDeviceContainer m_hostDevices;
    NetDeviceContainer m_coreDevices; //!< spine-to-core links, the cut under SetRanks()
    std::vector<Ptr<RateErrorModel>> m_errorModels;
    uint32_t m_firstHostId{0};
};

} // namespace ns3

#endif /* DATACENTER_TOPOLOGY_HELPER_H */
