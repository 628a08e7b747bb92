/*
 * SPDX-License-Identifier: GPL-2.0-only
 */
#ifndef LPBCAST_HELPER_H
#define LPBCAST_HELPER_H

#include "ns3/application-container.h"
#include "ns3/datacenter-topology-helper.h"
#include "ns3/gossip-delivery-stats.h"
#include "ns3/lpbcast-application.h"
#include "ns3/node-container.h"
#include "ns3/object-factory.h"
#include "ns3/random-variable-stream.h"
#include "ns3/wan-topology-helper.h"

#include <map>
#include <memory>
#include <vector>

namespace ns3
{

/**
 * \ingroup gossip
 * \brief Installs LpbcastApplication on hosts and wires the shared delivery statistics.
 *
 * Every process gets Contacts bootstrap contacts drawn uniformly from the other installed
 * processes (by default ViewSize of them, so initial views are uniform, as the analysis
 * assumes). Each application draws its contacts at start with its own random stream, so
 * AssignStreams fixes them and the same --RngRun gives the same views.
 */
class LpbcastHelper
{
  public:
    /// Counters fed by trace sources (GossipDeliveryStats has the delivery side).
    struct Counters
    {
        uint64_t deliveries{0};
        uint64_t retrieved{0};  //!< deliveries through retrieval
        uint64_t duplicates{0}; //!< gossiped copies of already delivered events
        uint64_t purged{0};
        uint64_t malformed{0};
        uint64_t retrieveRequests{0};
        uint64_t peerFailures{0};
        uint64_t txPackets{0};
        uint64_t txBytes{0}; //!< UDP payload bytes
        /// Per event: delivery times at the processes, in order (the origin's broadcast first).
        std::map<std::pair<uint32_t, uint32_t>, std::vector<Time>> deliveryTimes;
    };

    LpbcastHelper();
    void SetAttribute(std::string name, const AttributeValue& value);
    /// Bootstrap contacts per process (0: ViewSize). Values larger than n-1 are clipped.
    void SetContacts(uint32_t contacts);

    ApplicationContainer Install(const NodeContainer& nodes);
    ApplicationContainer Install(const DatacenterTopologyHelper& dc);
    ApplicationContainer Install(const WanTopologyHelper& wan);

    /**
     * Feed stats (members, broadcasts, deliveries, datagrams) and this helper's counters from
     * the trace sources of every application installed so far. Call once, before running.
     */
    void ConnectStats(GossipDeliveryStats& stats);
    const Counters& GetCounters() const;

    /// Node id of a process address (UINT32_MAX if unknown).
    uint32_t GetNodeId(uint32_t address) const;
    /// The installed applications, in install order.
    const std::vector<Ptr<LpbcastApplication>>& GetApplications() const;
    /// Degree, clustering and diameter of the current gossip graph (views or overlay peers).
    LpbcastOverlayMetrics AnalyzeOverlay() const;

    /// Fix the random streams of every installed application. \return the streams used.
    int64_t AssignStreams(int64_t stream);

  private:
    ObjectFactory m_factory;
    uint32_t m_contacts{0};
    std::vector<Ptr<LpbcastApplication>> m_apps;
    std::map<uint32_t, uint32_t> m_nodeOfAddress;
    std::shared_ptr<Counters> m_counters;
};

} // namespace ns3

#endif /* LPBCAST_HELPER_H */
