/*
 * SPDX-License-Identifier: GPL-2.0-only
 *
 * GoogleTest for lpbcast::OverlayMetrics: degree, edges, clustering, diameter, mean path
 * length and components of small known graphs.
 */
#include "gossip-logic-test.h"

#include "ns3/lpbcast-overlay-metrics.h"

#include <map>
#include <vector>

using namespace ns3;
using namespace ns3::lpbcast;

TEST(LpbcastOverlayMetrics, AnalyzeKnownGraphs)
{
    // Triangle 1-2-3 with a tail 3-4: degrees 2,2,3,1; clustering (1 + 1 + 1/3 + 0) / 4.
    auto m = OverlayMetrics::Analyze({{1, {2, 3}}, {2, {3}}, {3, {4}}});
    EXPECT_EQ(m.vertices, 4u);
    EXPECT_EQ(m.edges, 4u);
    EXPECT_EQ(m.minDegree, 1u);
    EXPECT_EQ(m.maxDegree, 3u);
    EXPECT_NEAR(m.clustering, (1 + 1 + 1.0 / 3) / 4, 1e-12);
    EXPECT_EQ(m.diameter, 2u);
    EXPECT_EQ(m.components, 1u);
    // Directed duplicates (1->2 and 2->1) are one undirected edge; two separate pairs.
    auto two = OverlayMetrics::Analyze({{1, {2}}, {2, {1}}, {3, {4}}});
    EXPECT_EQ(two.edges, 2u);
    EXPECT_EQ(two.components, 2u);
    EXPECT_EQ(two.diameter, 0u); // undefined when disconnected
}

TEST(LpbcastOverlayMetrics, EmptyAndSingleProcess)
{
    auto none = OverlayMetrics::Analyze({});
    EXPECT_EQ(none.vertices, 0u);
    EXPECT_EQ(none.components, 0u);
    EXPECT_EQ(none.minDegree, 0u);
    // One process without peers (or listing only itself): one vertex, connected, no path.
    auto one = OverlayMetrics::Analyze({{7, {7}}});
    EXPECT_EQ(one.vertices, 1u);
    EXPECT_EQ(one.edges, 0u);
    EXPECT_EQ(one.components, 1u);
    EXPECT_EQ(one.diameter, 0u);
    EXPECT_EQ(one.meanPathLength, 0.0);
    EXPECT_EQ(one.clustering, 0.0);
}

TEST(LpbcastOverlayMetrics, RingLattice)
{
    // 10 processes, each linked to the two nearest on either side (listed from one end only).
    std::map<uint32_t, std::vector<uint32_t>> peers;
    for (uint32_t i = 0; i < 10; ++i)
    {
        peers[100 + i] = {100 + (i + 1) % 10, 100 + (i + 2) % 10};
    }
    auto m = OverlayMetrics::Analyze(peers);
    EXPECT_EQ(m.vertices, 10u);
    EXPECT_EQ(m.edges, 20u);
    EXPECT_EQ(m.minDegree, 4u);
    EXPECT_EQ(m.maxDegree, 4u);
    EXPECT_DOUBLE_EQ(m.meanDegree, 4.0);
    EXPECT_NEAR(m.clustering, 0.5, 1e-12); // 3(k-2)/(4(k-1)) with k = 4
    EXPECT_EQ(m.diameter, 3u);
    EXPECT_NEAR(m.meanPathLength, 15.0 / 9, 1e-12); // 1+1+2+2+3+2+2+1+1 from every vertex
    EXPECT_EQ(m.components, 1u);
}
