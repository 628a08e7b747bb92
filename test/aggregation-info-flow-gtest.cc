/*
 * SPDX-License-Identifier: GPL-2.0-only
 *
 * aggregation::InfoFlow: the lecture's information-flow graphs of the "fair but dreadful" tree
 * and of Astrolabe's elected representatives, their paths and diameters (on gossip::Graph).
 */
#include "gossip-logic-test.h"

#include "ns3/aggregation-info-flow.h"

#include <algorithm>
#include <string>

using namespace ns3;
using namespace ns3::aggregation;

namespace
{
std::string
PathNames(const std::vector<uint32_t>& path)
{
    std::string s;
    for (uint32_t v : path)
    {
        s += (s.empty() ? "" : "-") + InfoFlow::Name(v);
    }
    return s;
}
} // namespace

TEST(AggregationInfoFlow, LectureSixteenNodeTree)
{
    using K = InfoFlow::Kind;
    // The lecture's level-1, 2, 3 representatives: A C E G I K M O / B F J N / D L.
    std::string l1;
    std::string l2;
    std::string l3;
    for (uint32_t b = 0; b < 16; b += 2)
    {
        l1 += InfoFlow::Name(InfoFlow::Representative(K::DREADFUL, b, 1));
    }
    for (uint32_t b = 0; b < 16; b += 4)
    {
        l2 += InfoFlow::Name(InfoFlow::Representative(K::DREADFUL, b, 2));
    }
    for (uint32_t b = 0; b < 16; b += 8)
    {
        l3 += InfoFlow::Name(InfoFlow::Representative(K::DREADFUL, b, 3));
    }
    EXPECT_EQ(l1, "ACEGIKMO");
    EXPECT_EQ(l2, "BFJN");
    EXPECT_EQ(l3, "DL");
    gossip::Graph dreadful = InfoFlow::Build(K::DREADFUL, 16).ToGraph();
    EXPECT_EQ(PathNames(dreadful.ShortestPath(7, 15)), "H-G-E-F-B-A-C-D-L-K-I-J-N-M-O-P");
    EXPECT_EQ(dreadful.Diameter(), 15u);
    gossip::Graph astro = InfoFlow::Build(K::ASTROLABE, 16).ToGraph();
    EXPECT_EQ(astro.ShortestPath(7, 15).size() - 1, 7u);
    EXPECT_EQ(astro.Diameter(), 7u);
}

TEST(AggregationInfoFlow, LinearVersusLogarithmic)
{
    using K = InfoFlow::Kind;
    for (uint32_t k = 1; k <= 12; ++k)
    {
        uint32_t n = 1U << k;
        EXPECT_EQ(InfoFlow::Build(K::DREADFUL, n).ToGraph().Diameter(), n - 1) << "n=" << n;
        EXPECT_EQ(InfoFlow::Build(K::ASTROLABE, n).ToGraph().Diameter(), 2 * k - 1) << "n=" << n;
    }
    EXPECT_FALSE(InfoFlow::IsValidSize(12));
    EXPECT_FALSE(InfoFlow::IsValidSize(1));
    EXPECT_TRUE(InfoFlow::IsValidSize(16));
}

TEST(AggregationInfoFlow, GraphsAreTreesWithSortedNeighbours)
{
    for (auto kind : {InfoFlow::Kind::DREADFUL, InfoFlow::Kind::ASTROLABE})
    {
        Overlay g = InfoFlow::Build(kind, 64);
        EXPECT_TRUE(g.IsSymmetric());
        EXPECT_EQ(g.ToGraph().GetNEdges(), 63u); // one exchange per zone above the leaves
        EXPECT_TRUE(g.ToGraph().IsConnected());
        for (uint32_t i = 0; i < g.GetN(); ++i)
        {
            const auto& l = g.GetNeighbours(i);
            EXPECT_TRUE(std::is_sorted(l.begin(), l.end()));
        }
    }
    EXPECT_EQ(InfoFlow::Name(25), "Z");
    EXPECT_EQ(InfoFlow::Name(26), "n26");
}
