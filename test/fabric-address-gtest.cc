/*
 * SPDX-License-Identifier: GPL-2.0-only
 */
#include "gossip-logic-test.h"

#include "ns3/datacenter-topology-helper.h"
#include "ns3/gossip-fabric-address.h"
#include "ns3/string.h"
#include "ns3/wan-topology-helper.h"

using namespace ns3;

TEST(FabricAddressPlan, EncodesPositionInAddress)
{
    gossip::FabricPosition pos{1, 2, 7, 12};
    EXPECT_EQ(gossip::FabricAddressPlan::HostAddress(pos), Ipv4Address("11.2.7.13"));
    EXPECT_EQ(gossip::FabricAddressPlan::TorPortAddress(pos), Ipv4Address("11.2.7.141"));
    EXPECT_EQ(gossip::FabricAddressPlan::RackPrefix(1, 2, 7), Ipv4Address("11.2.7.0"));
    EXPECT_EQ(gossip::FabricAddressPlan::PodPrefix(1, 2), Ipv4Address("11.2.0.0"));
    EXPECT_EQ(gossip::FabricAddressPlan::DatacenterPrefix(3), Ipv4Address("13.0.0.0"));
}

TEST(FabricAddressPlan, DecodeIsTheInverse)
{
    for (uint32_t h : {0U, 1U, 125U})
    {
        gossip::FabricPosition pos{4, 255, 3, h};
        gossip::FabricPosition back;
        ASSERT_TRUE(
            gossip::FabricAddressPlan::Decode(gossip::FabricAddressPlan::HostAddress(pos), back));
        EXPECT_EQ(back, pos);
    }
    gossip::FabricPosition ignored;
    EXPECT_FALSE(gossip::FabricAddressPlan::Decode(Ipv4Address("100.64.0.1"), ignored)); // a link
    EXPECT_FALSE(
        gossip::FabricAddressPlan::Decode(Ipv4Address("10.0.0.130"), ignored)); // a ToR port
    EXPECT_FALSE(gossip::FabricAddressPlan::Decode(Ipv4Address("10.0.0.0"), ignored));
}

TEST(FabricAddressPlan, ValidateNamesTheBadValue)
{
    EXPECT_EQ(gossip::FabricAddressPlan::Validate(40, 25, 1, 0), "");
    std::string e = gossip::FabricAddressPlan::Validate(0, 25, 1, 0);
    EXPECT_NE(e.find("HostsPerRack=0"), std::string::npos) << e;
    EXPECT_NE(e.find("1..126"), std::string::npos) << e;
    e = gossip::FabricAddressPlan::Validate(127, 25, 1, 0);
    EXPECT_NE(e.find("HostsPerRack=127"), std::string::npos) << e;
    e = gossip::FabricAddressPlan::Validate(40, 300, 1, 0);
    EXPECT_NE(e.find("RacksPerPod=300"), std::string::npos) << e;
    e = gossip::FabricAddressPlan::Validate(40, 25, 0, 0);
    EXPECT_NE(e.find("Pods=0"), std::string::npos) << e;
    e = gossip::FabricAddressPlan::Validate(40, 25, 1, 90);
    EXPECT_NE(e.find("datacenter index 90"), std::string::npos) << e;
}

TEST(LinkAddressAllocator, HandsOutDisjointSlash30s)
{
    gossip::LinkAddressAllocator a(Ipv4Address("100.64.0.0"), Ipv4Address("100.64.0.15"));
    EXPECT_EQ(a.Remaining(), 4U);
    auto l1 = a.Allocate();
    auto l2 = a.Allocate();
    EXPECT_EQ(l1.first, Ipv4Address("100.64.0.1"));
    EXPECT_EQ(l1.second, Ipv4Address("100.64.0.2"));
    EXPECT_EQ(l2.first, Ipv4Address("100.64.0.5"));
    EXPECT_EQ(a.Remaining(), 2U);
    EXPECT_EQ(a.GetNext(), Ipv4Address("100.64.0.8"));
}

TEST(LinkAddressAllocatorDeathTest, ExhaustionIsAClearError)
{
    gossip::LinkAddressAllocator a(Ipv4Address("100.64.0.0"), Ipv4Address("100.64.0.3"));
    a.Allocate();
    EXPECT_DEATH(a.Allocate(), "link address range is exhausted");
}

TEST(DatacenterTopologyHelper, NegativeLinkDelayIsRejectedByName)
{
    DatacenterTopologyHelper dc;
    dc.SetHostLinkAttribute("Delay", StringValue("5us"));
    dc.SetHostLinkAttribute("DataRate", StringValue("1Gbps")); // not a delay
    EXPECT_EQ(dc.Validate(), "");
    dc.SetFabricLinkAttribute("Delay", TimeValue(MilliSeconds(-3)));
    EXPECT_EQ(dc.Validate(), "fabric link Delay=-3ms is invalid: allowed a time >= 0");
    dc.SetHostLinkAttribute("Delay", StringValue("-1ms"));
    EXPECT_EQ(dc.Validate(), "host link Delay=-1ms is invalid: allowed a time >= 0");

    WanTopologyHelper wan;
    wan.SetWanLinkAttribute("Delay", StringValue("-2ms"));
    EXPECT_EQ(wan.Validate(), "WAN link Delay=-2ms is invalid: allowed a time >= 0");
    wan.SetWanLinkAttribute("Delay", StringValue("10ms"));
    EXPECT_EQ(wan.Validate(), "");
}
