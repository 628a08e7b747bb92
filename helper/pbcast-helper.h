/*
 * SPDX-License-Identifier: GPL-2.0-only
 */
#ifndef PBCAST_HELPER_H
#define PBCAST_HELPER_H

#include "ns3/application-container.h"
#include "ns3/datacenter-topology-helper.h"
#include "ns3/gossip-delivery-stats.h"
#include "ns3/node-container.h"
#include "ns3/object-factory.h"
#include "ns3/pbcast-application.h"
#include "ns3/wan-topology-helper.h"

#include <vector>

namespace ns3
{

/**
 * \ingroup gossip
 * \brief Installs PbcastApplication on hosts of a datacenter or a WAN and wires statistics.
 *
 * Every member gets the same seed list: the first Seeds hosts of each datacenter (the
 * lecture's "server or web page" of known addresses); the rest is learnt by gossip.
 */
class PbcastHelper
{
  public:
    PbcastHelper();

    /// Set an attribute of every PbcastApplication created (e.g. "Fanout").
    void SetAttribute(std::string name, const AttributeValue& value);
    /// Seeds per datacenter, 1..1000 (default 3).
    void SetSeeds(uint32_t n);

    /**
     * Install on nodes (each with an IPv4 address on interface 1).
     * \param nodes the members
     * \param datacenters the datacenter of each node (empty: all 0)
     */
    ApplicationContainer Install(const NodeContainer& nodes,
                                 const std::vector<uint32_t>& datacenters = {});
    /// Install on every host of a datacenter (multicast must be enabled for the group).
    ApplicationContainer Install(const DatacenterTopologyHelper& dc);
    /// Install on every host of a WAN, each member knowing its datacenter.
    ApplicationContainer Install(const WanTopologyHelper& wan);

    /// Fix the random streams of the applications. \return the number of streams used.
    int64_t AssignStreams(ApplicationContainer apps, int64_t stream);

    /**
     * Feed stats from the applications' Broadcast, Deliver and Tx trace sources and set its
     * members. stats must outlive the simulation.
     */
    static void ConnectStats(ApplicationContainer apps, GossipDeliveryStats* stats);

  private:
    ObjectFactory m_factory;
    uint32_t m_seeds{3};
};

} // namespace ns3

#endif /* PBCAST_HELPER_H */
