/*
 * SPDX-License-Identifier: GPL-2.0-only
 */
#ifndef PBCAST_HELPER_H
#define PBCAST_HELPER_H

#include "gossip-application-helper.h"

#include "ns3/application-container.h"
#include "ns3/gossip-message-id.h"
#include "ns3/ipv4-address.h"
#include "ns3/node-container.h"

#include <cstdint>
#include <vector>

namespace ns3
{

/**
 * \ingroup gossip
 * \brief Installs PbcastApplication on nodes (each with an IPv4 address on interface 1).
 *
 * Each member's datacenter is read from its address (gossip::FabricAddressPlan: the hosts of
 * DatacenterTopologyHelper and WanTopologyHelper encode it; 0 for an address outside the plan),
 * unless SetDatacenter fixes it. Every member gets the same seed list, the lecture's "server or
 * web page" of known addresses; the rest is learnt by gossip. The seeds are either given
 * (SetSeeds, AddSeed) or, by default, the first SeedsPerDatacenter nodes of each datacenter in
 * the NodeContainer being installed (so Install(Ptr<Node>) without given seeds makes a member
 * that knows only itself).
 *
 * When the applications' UseMulticast is on (the default), Install aborts for a node whose
 * datagrams to the group cannot reach anyone (DatacenterTopologyHelper::CheckMulticastRoute):
 * call EnableMulticast(group) on the topology helper first, or set UseMulticast=false.
 */
class PbcastHelper : public GossipApplicationHelper
{
  public:
    PbcastHelper();

    /// Derived seeds: the first n nodes of each datacenter of the container, 1..1000 (default 3).
    void SetSeedsPerDatacenter(uint32_t n);
    /// Given seeds: these nodes (in this order), instead of derived ones.
    void SetSeeds(const NodeContainer& seeds);
    /// Given seeds: one more, by id and address (its datacenter from the address).
    void AddSeed(GossipSenderId id, Ipv4Address address);
    /// Every member installed from now on is in datacenter dc (default: from its address).
    void SetDatacenter(uint32_t dc);

    using GossipApplicationHelper::Install;
    /// One member on each node; without given seeds, the seeds come from nodes.
    ApplicationContainer Install(NodeContainer nodes) const override;

    /// The datacenter of a member on node, as Install sets it.
    uint32_t GetDatacenter(Ptr<Node> node) const;

  protected:
    Ptr<Application> DoInstall(Ptr<Node> node) const override;

  private:
    struct Seed
    {
        GossipSenderId id;
        Ipv4Address address; //!< its datacenter is DatacenterOf(address)
    };

    /// The datacenter of an address (the fixed one if set).
    uint32_t DatacenterOf(Ipv4Address address) const;
    /// Create, configure and add the application on node with the given seeds.
    Ptr<Application> InstallWithSeeds(Ptr<Node> node, const std::vector<Seed>& seeds) const;

    uint32_t m_seedsPerDc{3};
    std::vector<Seed> m_seeds; //!< given seeds (empty: derived from the container)
    bool m_fixedDc{false};
    uint32_t m_dc{0};
};

/**
 * \ingroup gossip
 * \brief Installs the reliable-multicast baseline (PbcastRmcastBaseline): one sender, every
 * other node of the container a receiver in its fixed view.
 */
class PbcastRmcastHelper : public GossipApplicationHelper
{
  public:
    PbcastRmcastHelper();

    /// The sender (it must be one of the nodes installed).
    void SetSender(Ptr<Node> sender);

    using GossipApplicationHelper::Install;
    /**
     * One application on each node: the sender's receivers are the other nodes, in container
     * order; each receiver acks to the sender.
     */
    ApplicationContainer Install(NodeContainer nodes) const override;

  protected:
    /// A receiver of the sender (the sender itself needs Install(NodeContainer)).
    Ptr<Application> DoInstall(Ptr<Node> node) const override;

  private:
    Ptr<Node> m_sender;
};

} // namespace ns3

#endif /* PBCAST_HELPER_H */
