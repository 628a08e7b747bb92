/*
 * SPDX-License-Identifier: GPL-2.0-only
 */
#include "gossip-fabric-address.h"

#include "ns3/abort.h"

#include <sstream>

namespace ns3
{
namespace gossip
{

namespace
{
uint32_t
Pack(uint32_t a, uint32_t b, uint32_t c, uint32_t d)
{
    return (a << 24) | (b << 16) | (c << 8) | d;
}
} // namespace

Ipv4Address
FabricAddressPlan::HostAddress(const FabricPosition& pos)
{
    return Ipv4Address(Pack(10 + pos.dc, pos.pod, pos.rack, pos.host + 1));
}

Ipv4Address
FabricAddressPlan::TorPortAddress(const FabricPosition& pos)
{
    return Ipv4Address(Pack(10 + pos.dc, pos.pod, pos.rack, 129 + pos.host));
}

Ipv4Address
FabricAddressPlan::RackPrefix(uint32_t dc, uint32_t pod, uint32_t rack)
{
    return Ipv4Address(Pack(10 + dc, pod, rack, 0));
}

Ipv4Address
FabricAddressPlan::PodPrefix(uint32_t dc, uint32_t pod)
{
    return Ipv4Address(Pack(10 + dc, pod, 0, 0));
}

Ipv4Address
FabricAddressPlan::DatacenterPrefix(uint32_t dc)
{
    return Ipv4Address(Pack(10 + dc, 0, 0, 0));
}

bool
FabricAddressPlan::Decode(Ipv4Address addr, FabricPosition& pos)
{
    uint32_t v = addr.Get();
    uint32_t a = v >> 24;
    uint32_t last = v & 0xff;
    if (a < 10 || a >= 10 + kMaxDatacenters || last == 0 || last > kMaxHostsPerRack)
    {
        return false;
    }
    pos.dc = a - 10;
    pos.pod = (v >> 16) & 0xff;
    pos.rack = (v >> 8) & 0xff;
    pos.host = last - 1;
    return true;
}

std::string
FabricAddressPlan::Validate(uint32_t hostsPerRack,
                            uint32_t racksPerPod,
                            uint32_t pods,
                            uint32_t datacenterIndex)
{
    std::ostringstream err;
    if (hostsPerRack < 1 || hostsPerRack > kMaxHostsPerRack)
    {
        err << "HostsPerRack=" << hostsPerRack << " is invalid: allowed 1.." << kMaxHostsPerRack
            << " (the last address octet encodes the host, and ToR ports use 129..254)";
    }
    else if (racksPerPod < 1 || racksPerPod > kMaxRacksPerPod)
    {
        err << "RacksPerPod=" << racksPerPod << " is invalid: allowed 1.." << kMaxRacksPerPod
            << " (the third address octet encodes the rack)";
    }
    else if (pods < 1 || pods > kMaxPods)
    {
        err << "Pods=" << pods << " is invalid: allowed 1.." << kMaxPods
            << " (the second address octet encodes the pod)";
    }
    else if (datacenterIndex >= kMaxDatacenters)
    {
        err << "datacenter index " << datacenterIndex << " is invalid: allowed 0.."
            << kMaxDatacenters - 1 << " (first octets 10..99)";
    }
    return err.str();
}

LinkAddressAllocator::LinkAddressAllocator(Ipv4Address first, Ipv4Address last)
    : m_next(first.Get() & ~3U),
      m_last(last.Get())
{
}

std::pair<Ipv4Address, Ipv4Address>
LinkAddressAllocator::Allocate()
{
    NS_ABORT_MSG_IF(Remaining() == 0,
                    "LinkAddressAllocator: the link address range is exhausted at "
                        << Ipv4Address(m_next)
                        << "; use fewer racks or spines (each link needs one /30 of "
                           "100.64.0.0/10, about one million links in all)");
    uint32_t base = m_next;
    m_next += 4;
    return {Ipv4Address(base + 1), Ipv4Address(base + 2)};
}

Ipv4Address
LinkAddressAllocator::GetNext() const
{
    return Ipv4Address(m_next);
}

void
LinkAddressAllocator::SetNext(Ipv4Address addr)
{
    m_next = addr.Get() & ~3U;
}

uint64_t
LinkAddressAllocator::Remaining() const
{
    if (m_next > m_last || m_last - m_next < 3)
    {
        return 0;
    }
    return (uint64_t(m_last) - m_next + 1) / 4;
}

} // namespace gossip
} // namespace ns3
