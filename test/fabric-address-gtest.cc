/*
 * SPDX-License-Identifier: GPL-2.0-only
 */
#include "gossip-logic-test.h"

#include "ns3/datacenter-topology-helper.h"
#include "ns3/gossip-fabric-address.h"
#include "ns3/gossip-mpi.h"
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

// The partition for ns-3's distributed simulator. Without MPI (these tests) the run has one
// rank, so Ranks > 1 is refused by name; the assignment itself is checked through its getters.
TEST(DatacenterTopologyHelper, PartitionSpreadsPodsAndNamesBadRanks)
{
    DatacenterTopologyHelper dc;
    dc.SetPods(5);
    dc.SetRanks(2);
    EXPECT_EQ(dc.GetPodSystemId(0), 0u);
    EXPECT_EQ(dc.GetPodSystemId(3), 1u);
    EXPECT_EQ(dc.GetPodSystemId(4), 0u);
    EXPECT_EQ(dc.GetLookahead(), MicroSeconds(2)); // the core links' default delay
    dc.SetCoreLinkAttribute("Delay", StringValue("50us"));
    EXPECT_EQ(dc.GetLookahead(), MicroSeconds(50));
    EXPECT_EQ(dc.Validate(),
              "Ranks=2 is invalid: this simulation runs on 1 rank(s); allowed 1 or 1 (run under "
              "mpiexec -np 2 with ns-3's distributed simulator)");
    dc.SetRanks(6);
    EXPECT_EQ(
        dc.Validate(),
        "Ranks=6 is invalid: allowed 1..Pods (5), since whole pods are spread over the ranks");
    dc.SetRanks(0);
    EXPECT_NE(dc.Validate().find("Ranks=0 is invalid"), std::string::npos);
    dc.SetRanks(1);
    EXPECT_EQ(dc.Validate(), "");
    EXPECT_EQ(dc.GetLookahead(), Time(0));
    dc.SetSystemId(3); // a WAN's datacenter: every pod on its rank
    EXPECT_EQ(dc.GetPodSystemId(4), 3u);
    dc.SetCoreLinkAttribute("Delay", StringValue("-1us"));
    EXPECT_EQ(dc.Validate(), "core link Delay=-0.001ms is invalid: allowed a time >= 0");
}

TEST(WanTopologyHelper, PartitionNamesBadRanks)
{
    WanTopologyHelper wan;
    wan.SetDatacenters(4);
    wan.SetRanks(5);
    EXPECT_EQ(wan.Validate(),
              "Ranks=5 is invalid: allowed 1..Datacenters (4), since whole datacenters are spread "
              "over the ranks");
    wan.SetRanks(2);
    EXPECT_EQ(wan.GetLookahead(), MilliSeconds(25));
    EXPECT_NE(wan.Validate().find("this simulation runs on 1 rank(s)"), std::string::npos);
    DatacenterTopologyHelper tpl;
    tpl.SetPods(2);
    tpl.SetRanks(2);
    wan.SetDatacenterTemplate(tpl);
    EXPECT_NE(wan.Validate().find("the datacenter template's Ranks=2 is invalid in a WAN"),
              std::string::npos);
    wan.SetRanks(1);
    tpl.SetRanks(1);
    wan.SetDatacenterTemplate(tpl);
    EXPECT_EQ(wan.Validate(), "");
}

// Without MPI (or before MpiInterface::Enable) the module is rank 0 of 1, and reductions are
// the identity.
TEST(GossipMpi, SingleProcessIsRankZeroOfOne)
{
    EXPECT_FALSE(gossip::mpi::IsDistributed());
    EXPECT_EQ(gossip::mpi::GetRank(), 0u);
    EXPECT_EQ(gossip::mpi::GetSize(), 1u);
    EXPECT_TRUE(gossip::mpi::IsPrinter());
    std::vector<uint64_t> v{1, 2};
    gossip::mpi::Sum(v);
    EXPECT_EQ(v, (std::vector<uint64_t>{1, 2}));
    std::vector<uint64_t> g = gossip::mpi::Gather(std::vector<uint64_t>{5});
    EXPECT_EQ(g, std::vector<uint64_t>{5});
#ifndef NS3_MPI
    EXPECT_NE(gossip::mpi::WhyUnavailable().find("--enable-mpi"), std::string::npos);
#else
    EXPECT_EQ(gossip::mpi::WhyUnavailable(), "");
#endif
}
