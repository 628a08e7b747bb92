/*
 * SPDX-License-Identifier: GPL-2.0-only
 */
#ifndef LPBCAST_HELPER_H
#define LPBCAST_HELPER_H

#include "gossip-application-helper.h"

#include "ns3/application-container.h"
#include "ns3/gossip-message-id.h"
#include "ns3/ipv4-address.h"
#include "ns3/lpbcast-application.h"
#include "ns3/lpbcast-overlay-metrics.h"
#include "ns3/node-container.h"
#include "ns3/nstime.h"
#include "ns3/packet.h"

#include <cstdint>
#include <map>
#include <string>
#include <vector>

namespace ns3
{

/**
 * \ingroup gossip
 * \brief Installs LpbcastApplication on nodes.
 *
 * Initial views: every process of one Install call gets the list of that call's node addresses
 * and draws Contacts of them uniformly at start (by default ViewSize of them, so initial views
 * are uniform and random, as the paper's analysis assumes). This stands for the paper's random
 * initial views, not for a join protocol (SetContacts(k) with a small k starts each process with
 * k random members). Each application draws its contacts with its own random stream, so
 * AssignStreams fixes them and the same --RngRun gives the same views.
 *
 * Every application also gets FabricDistance as its distance function, used by the small-world
 * overlay with DistanceMetric Fabric. The helper keeps configuration only: statistics come from
 * LpbcastStats and GossipDeliveryStats attached to the returned applications.
 */
class LpbcastHelper : public GossipApplicationHelper
{
  public:
    LpbcastHelper();

    /// Bootstrap contacts per process (0: ViewSize). Values larger than n-1 are clipped.
    void SetContacts(uint32_t contacts);

    using GossipApplicationHelper::Install;
    /**
     * One LpbcastApplication on each node; their bootstrap pool is these nodes' addresses, so
     * the nodes need their IPv4 addresses already.
     * \return the applications, in node order
     */
    ApplicationContainer Install(NodeContainer nodes) const override;

    /**
     * Hops between two hosts in the hierarchy of the fabric's address plan
     * (gossip::FabricAddressPlan): 1 same rack, 2 same pod, 3 same datacenter, 3 + the difference
     * of the datacenter indices across a WAN; 1 for an address outside the plan.
     */
    static double FabricDistance(Ipv4Address a, Ipv4Address b);

    /**
     * Degree, clustering and diameter of the current gossip graph of the member applications
     * among apps (other applications are skipped): each process's view, or in SmallWorld its
     * overlay peers (near and long-range; reverse links only mirror them), as an undirected
     * graph.
     */
    static lpbcast::OverlayMetrics AnalyzeOverlay(const ApplicationContainer& apps);

  private:
    uint32_t m_contacts{0};
};

/**
 * \ingroup gossip
 * \brief Counters of lpbcast's own events, from the trace sources of its applications, and the
 * times each event reached the processes (GossipDeliveryStats has the delivery ratio and
 * latency side).
 *
 * Its trace sinks hold its address: it cannot be copied, and must outlive the simulation run.
 */
class LpbcastStats
{
  public:
    LpbcastStats() = default;
    LpbcastStats(const LpbcastStats&) = delete;
    LpbcastStats& operator=(const LpbcastStats&) = delete;

    /// Follow the LpbcastApplications in apps (aborts on any other application).
    void Attach(const ApplicationContainer& apps);

    /// Deliveries (a process's own broadcasts are not deliveries).
    uint64_t GetDeliveries() const;
    /// Deliveries through retrieval.
    uint64_t GetRetrieved() const;
    /// Gossiped copies of already delivered events.
    uint64_t GetDuplicates() const;
    /// Events purged from events buffers.
    uint64_t GetPurged() const;
    /// Malformed datagrams dropped.
    uint64_t GetMalformed() const;
    /// Retrieve requests due (including those a process would send to itself).
    uint64_t GetRetrieveRequests() const;
    /// Overlay peers found failed.
    uint64_t GetPeerFailures() const;
    /// Datagrams sent.
    uint64_t GetTxPackets() const;
    /// UDP payload bytes sent.
    uint64_t GetTxBytes() const;
    /**
     * When an event reached the processes, in order: its broadcast at the origin first, then
     * every delivery. Empty for an event broadcast before Attach, or unknown.
     */
    const std::vector<Time>& GetDeliveryTimes(const GossipMessageId& id) const;

  private:
    void Broadcast(const GossipMessageId& id);
    void Deliver(const GossipMessageId& id);
    void DeliverWithAge(const GossipMessageId& id, uint32_t age, bool retrieved);
    void Duplicate(const GossipMessageId& id);
    void Purge(const GossipMessageId& id);
    void Tx(Ptr<const Packet> p, Ipv4Address to);
    void Malformed(Ptr<const Packet> p, Ipv4Address from, const std::string& reason);
    void RetrieveRequest(uint32_t target, const GossipMessageId& id, uint32_t stage);
    void PeerFailed(uint32_t peer);

    uint64_t m_deliveries{0};
    uint64_t m_retrieved{0};
    uint64_t m_duplicates{0};
    uint64_t m_purged{0};
    uint64_t m_malformed{0};
    uint64_t m_retrieveRequests{0};
    uint64_t m_peerFailures{0};
    uint64_t m_txPackets{0};
    uint64_t m_txBytes{0};
    std::map<GossipMessageId, std::vector<Time>> m_deliveryTimes;
};

} // namespace ns3

#endif /* LPBCAST_HELPER_H */
