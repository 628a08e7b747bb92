/*
 * SPDX-License-Identifier: GPL-2.0-only
 *
 * aggregation::Overlay (the fixed overlays of the flooding tree, push-sum and top-c) and the
 * membership lists of the random modes (aggregation::Deduplicate, CountOthers).
 */
#include "gossip-logic-test.h"

#include "ns3/aggregation-membership.h"
#include "ns3/aggregation-overlay.h"
#include "ns3/random-variable-stream.h"

#include <memory>
#include <utility>
#include <vector>

using namespace ns3;
using namespace ns3::aggregation;

TEST(AggregationOverlay, SymmetricConnectedWithExpectedDegree)
{
    Ptr<UniformRandomVariable> rng = CreateObject<UniformRandomVariable>();
    rng->SetStream(5);
    auto uniform = [rng](uint32_t lo, uint32_t hi) { return rng->GetInteger(lo, hi); };
    Overlay g = Overlay::Build(400, 40, 2, 2, uniform);
    EXPECT_EQ(g.GetN(), 400u);
    EXPECT_TRUE(g.IsSymmetric());
    EXPECT_TRUE(g.ToGraph().IsConnected());
    for (uint32_t i = 0; i < g.GetN(); ++i)
    {
        EXPECT_GE(g.GetNeighbours(i).size(), 2u);
        EXPECT_LE(g.GetNeighbours(i).size(), 6u);
    }
    EXPECT_GT(g.ToGraph().GetNEdges(), 400u * 5 / 2);
    Overlay rackOnly = Overlay::Build(80, 40, 2, 0, uniform);
    EXPECT_FALSE(rackOnly.ToGraph().IsConnected()); // two separate rack rings
    EXPECT_EQ(rackOnly.ToGraph().GetNEdges(), 80u);
}

TEST(AggregationOverlay, CyclesComeFromTheGivenDraws)
{
    // Fisher-Yates asks uniform(0, i) for i = n-1 down to 1; always drawing i keeps the
    // identity permutation, so the one cycle is 0-1-2-3-4-5-0.
    std::vector<std::pair<uint32_t, uint32_t>> asked;
    auto keep = [&asked](uint32_t lo, uint32_t hi) {
        asked.emplace_back(lo, hi);
        return hi;
    };
    Overlay ring = Overlay::Build(6, 6, 0, 1, keep);
    std::vector<std::pair<uint32_t, uint32_t>> want = {{0, 5}, {0, 4}, {0, 3}, {0, 2}, {0, 1}};
    EXPECT_EQ(asked, want);
    std::vector<uint32_t> n0 = {1, 5};
    std::vector<uint32_t> n3 = {2, 4};
    EXPECT_EQ(ring.GetNeighbours(0), n0); // sorted: the order the applications contact them
    EXPECT_EQ(ring.GetNeighbours(3), n3);
    EXPECT_EQ(ring.ToGraph().Diameter(), 3u);
    std::vector<uint32_t> d = ring.ToGraph().Distances(0);
    std::vector<uint32_t> wantD = {0, 1, 2, 3, 2, 1};
    EXPECT_EQ(d, wantD);
}

TEST(AggregationOverlay, AsymmetricListsAreDetected)
{
    using Lists = std::vector<std::vector<uint32_t>>;
    EXPECT_TRUE(Overlay(Lists{{1}, {0}}).IsSymmetric());
    EXPECT_FALSE(Overlay(Lists{{1}, {}}).IsSymmetric()); // 0 lists 1, 1 does not list 0
    EXPECT_FALSE(Overlay(Lists{{0}}).IsSymmetric());     // a self-loop
    EXPECT_FALSE(Overlay(Lists{{2}, {}}).IsSymmetric()); // no node 2
}

TEST(AggregationMembership, DuplicatesAreRemovedAndOthersCounted)
{
    Ipv4Address a("10.0.0.1");
    Ipv4Address b("10.0.0.2");
    auto dup =
        std::make_shared<const std::vector<Ipv4Address>>(std::vector<Ipv4Address>{a, a, b, a, b});
    auto d = Deduplicate(dup);
    ASSERT_EQ(d->size(), 2u);
    EXPECT_EQ((*d)[0], a);
    EXPECT_EQ((*d)[1], b);
    EXPECT_EQ(Deduplicate(dup), d); // cached for the next app of the same install
    auto clean = std::make_shared<const std::vector<Ipv4Address>>(std::vector<Ipv4Address>{a, b});
    EXPECT_EQ(Deduplicate(clean), clean); // no copy when nothing repeats
    EXPECT_EQ(CountOthers(*d, a), 1u);
    auto selfOnly = Deduplicate(
        std::make_shared<const std::vector<Ipv4Address>>(std::vector<Ipv4Address>{a, a, a}));
    EXPECT_EQ(CountOthers(*selfOnly, a), 0u);
}
