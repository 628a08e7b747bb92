/*
 * SPDX-License-Identifier: GPL-2.0-only
 */
#ifndef GOSSIP_FABRIC_ADDRESS_H
#define GOSSIP_FABRIC_ADDRESS_H

#include "ns3/ipv4-address.h"

#include <cstdint>
#include <string>
#include <utility>

namespace ns3
{
namespace gossip
{

/**
 * \ingroup gossip
 * \brief Where a host sits in the simulated fabric.
 */
struct FabricPosition
{
    uint32_t dc{0};   //!< datacenter index (0 for a lone datacenter)
    uint32_t pod{0};  //!< pod within the datacenter
    uint32_t rack{0}; //!< rack (ToR) within the pod
    uint32_t host{0}; //!< host within the rack

    bool operator==(const FabricPosition& o) const
    {
        return dc == o.dc && pod == o.pod && rack == o.rack && host == o.host;
    }
};

/**
 * \ingroup gossip
 * \brief The address plan: host addresses encode their position.
 *
 * A host at (dc, pod, rack, host) is (10+dc).pod.rack.(host+1)/24. The ToR's port towards that
 * host is (10+dc).pod.rack.(129+host)/32, so a rack holds at most 126 hosts. Switch-to-switch and
 * WAN links take /30s from 100.64.0.0/10 (LinkAddressAllocator), which never collides with hosts.
 * Encoding the position in the address lets every switch route with a handful of prefix routes.
 */
class FabricAddressPlan
{
  public:
    static constexpr uint32_t kMaxHostsPerRack = 126;
    static constexpr uint32_t kMaxRacksPerPod = 256;
    static constexpr uint32_t kMaxPods = 256;
    static constexpr uint32_t kMaxDatacenters = 90; // first octets 10..99

    /// \return the host's own address.
    static Ipv4Address HostAddress(const FabricPosition& pos);
    /// \return the address of the ToR port that faces the host.
    static Ipv4Address TorPortAddress(const FabricPosition& pos);
    /// \return the /24 prefix of a rack.
    static Ipv4Address RackPrefix(uint32_t dc, uint32_t pod, uint32_t rack);
    /// \return the /16 prefix of a pod.
    static Ipv4Address PodPrefix(uint32_t dc, uint32_t pod);
    /// \return the /8 prefix of a datacenter.
    static Ipv4Address DatacenterPrefix(uint32_t dc);
    /// Decode a host address. \return false if it is not a host address of the plan.
    static bool Decode(Ipv4Address addr, FabricPosition& pos);

    /**
     * Check a fabric's dimensions against the plan.
     * \return an empty string if valid, else a message naming the bad value and what is allowed.
     */
    static std::string Validate(uint32_t hostsPerRack,
                                uint32_t racksPerPod,
                                uint32_t pods,
                                uint32_t datacenterIndex);
};

/**
 * \ingroup gossip
 * \brief Hands out /30 link subnets, in order, from a fixed range.
 *
 * Addresses are assigned straight onto interfaces rather than through Ipv4AddressHelper, whose
 * global allocation list grows with every address and dominated set-up time at scale.
 */
class LinkAddressAllocator
{
  public:
    /// Allocate from [first, last] (defaults: 100.64.0.0 to 100.127.255.255).
    LinkAddressAllocator(Ipv4Address first = Ipv4Address("100.64.0.0"),
                         Ipv4Address last = Ipv4Address("100.127.255.255"));
    /// \return the two usable addresses of the next /30. Aborts with a clear message when
    /// exhausted.
    std::pair<Ipv4Address, Ipv4Address> Allocate();
    /// \return the first address not yet handed out.
    Ipv4Address GetNext() const;
    /// Continue allocating from addr (used to chain several datacenters and the WAN).
    void SetNext(Ipv4Address addr);
    /// \return how many /30s are still free.
    uint64_t Remaining() const;

  private:
    uint32_t m_next;
    uint32_t m_last;
};

} // namespace gossip
} // namespace ns3

#endif /* GOSSIP_FABRIC_ADDRESS_H */
