/*
 * SPDX-License-Identifier: GPL-2.0-only
 *
 * GoogleTest for LpbcastHelper's pure parts: the fabric distance it gives the small-world
 * overlay, and the overlay analysis of an empty set of applications.
 */
#include "gossip-logic-test.h"

#include "ns3/application-container.h"
#include "ns3/gossip-fabric-address.h"
#include "ns3/lpbcast-helper.h"

using namespace ns3;

TEST(LpbcastHelper, FabricDistanceFollowsHierarchy)
{
    auto addr = [](uint32_t dc, uint32_t pod, uint32_t rack, uint32_t host) {
        gossip::FabricPosition p;
        p.dc = dc;
        p.pod = pod;
        p.rack = rack;
        p.host = host;
        return gossip::FabricAddressPlan::HostAddress(p);
    };
    EXPECT_EQ(LpbcastHelper::FabricDistance(addr(0, 0, 0, 0), addr(0, 0, 0, 1)), 1.0);
    EXPECT_EQ(LpbcastHelper::FabricDistance(addr(0, 0, 0, 0), addr(0, 0, 1, 1)), 2.0);
    EXPECT_EQ(LpbcastHelper::FabricDistance(addr(0, 0, 0, 0), addr(0, 1, 1, 1)), 3.0);
    EXPECT_EQ(LpbcastHelper::FabricDistance(addr(0, 0, 0, 0), addr(2, 0, 0, 0)), 5.0);
}

TEST(LpbcastHelper, FabricDistanceOutsideThePlanIsOne)
{
    EXPECT_EQ(LpbcastHelper::FabricDistance(Ipv4Address("192.168.0.1"), Ipv4Address("10.0.0.1")),
              1.0);
}

TEST(LpbcastHelper, AnalyzeOverlayOfNoApplications)
{
    auto m = LpbcastHelper::AnalyzeOverlay(ApplicationContainer());
    EXPECT_EQ(m.vertices, 0u);
    EXPECT_EQ(m.components, 0u);
}
