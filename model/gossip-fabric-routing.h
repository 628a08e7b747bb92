/*
 * SPDX-License-Identifier: GPL-2.0-only
 */
#ifndef GOSSIP_FABRIC_ROUTING_H
#define GOSSIP_FABRIC_ROUTING_H

#include "gossip-ns3-compat.h"

#include "ns3/ipv4-routing-protocol.h"
#include "ns3/ipv4.h"

#include <unordered_map>

namespace ns3
{

/**
 * \ingroup gossip
 * \brief Static unicast routes on octet boundaries (/32, /24, /16, /8, default), looked up in
 * hash tables.
 *
 * The fabric's hierarchical routes all fall on octet boundaries of the address plan
 * (host /32 at a ToR, rack /24 at a spine, pod /16 at a core, datacenter /8 at a gateway), so a
 * longest-prefix match is at most four hash lookups. Ipv4StaticRouting scans every route of a
 * std::list for every packet, which at 100,000 hosts was a fifth of the simulation time.
 * Routes are installed by the topology helpers and never change. Multicast is not handled here:
 * RouteInput declines it, and the Ipv4StaticRouting that sits after this protocol in the node's
 * Ipv4ListRouting forwards it along ns-3 static multicast routes.
 */
class GossipFabricRouting : public Ipv4RoutingProtocol
{
  public:
    static TypeId GetTypeId();
    GossipFabricRouting();

    /**
     * Add a route. A prefix length other than 0, 8, 16, 24 or 32 aborts with a clear message.
     * \param prefix the destination network (host bits are ignored)
     * \param prefixLength 0 (default route), 8, 16, 24 or 32
     * \param interface the outgoing interface index
     */
    void AddRoute(Ipv4Address prefix, uint8_t prefixLength, uint32_t interface);
    /// \return the number of routes, the default route included.
    uint32_t GetNRoutes() const;
    /// \return the outgoing interface for dest, or -1 if there is no route.
    int32_t Lookup(Ipv4Address dest) const;

    Ptr<Ipv4Route> RouteOutput(Ptr<Packet> p,
                               const Ipv4Header& header,
                               Ptr<NetDevice> oif,
                               Socket::SocketErrno& sockerr) override;
    bool RouteInput(Ptr<const Packet> p,
                    const Ipv4Header& header,
                    Ptr<const NetDevice> idev,
                    gossip::compat::UnicastForwardCallbackArg ucb,
                    gossip::compat::MulticastForwardCallbackArg mcb,
                    gossip::compat::LocalDeliverCallbackArg lcb,
                    gossip::compat::ErrorCallbackArg ecb) override;
    void NotifyInterfaceUp(uint32_t interface) override;
    void NotifyInterfaceDown(uint32_t interface) override;
    void NotifyAddAddress(uint32_t interface, Ipv4InterfaceAddress address) override;
    void NotifyRemoveAddress(uint32_t interface, Ipv4InterfaceAddress address) override;
    void SetIpv4(Ptr<Ipv4> ipv4) override;
    void PrintRoutingTable(Ptr<OutputStreamWrapper> stream,
                           Time::Unit unit = Time::S) const override;

  protected:
    void DoDispose() override;

  private:
    Ptr<Ipv4Route> MakeRoute(Ipv4Address dest, uint32_t interface) const;

    Ptr<Ipv4> m_ipv4;
    /// m_tables[k] maps a prefix of length 32 - 8k to an interface.
    std::unordered_map<uint32_t, uint32_t> m_tables[4];
    int32_t m_default{-1};
};

} // namespace ns3

#endif /* GOSSIP_FABRIC_ROUTING_H */
