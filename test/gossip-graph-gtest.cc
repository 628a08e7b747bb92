/*
 * SPDX-License-Identifier: GPL-2.0-only
 *
 * The graph toolkit (gossip-graph.h) on small graphs whose answers are known by hand.
 */
#include "gossip-logic-test.h"

#include "ns3/gossip-graph.h"

using namespace ns3::gossip;

TEST(GossipGraph, PathGraphDistancesParentsAndDiameter)
{
    Graph g(5); // 0-1-2-3-4
    for (uint32_t v = 0; v + 1 < 5; ++v)
    {
        EXPECT_TRUE(g.AddEdge(v, v + 1));
    }
    EXPECT_FALSE(g.AddEdge(1, 0)); // a repeat
    EXPECT_FALSE(g.AddEdge(2, 2)); // a loop
    EXPECT_EQ(g.GetNEdges(), 4U);
    EXPECT_EQ(g.Distances(0), (std::vector<uint32_t>{0, 1, 2, 3, 4}));
    EXPECT_EQ(g.Parents(2), (std::vector<uint32_t>{1, 2, 2, 2, 3}));
    EXPECT_EQ(g.Diameter(), 4U);
    EXPECT_TRUE(g.IsConnected());
    EXPECT_EQ(g.ShortestPath(4, 1), (std::vector<uint32_t>{4, 3, 2, 1}));
    // 20 ordered pairs with distances 1..4: 2 * (4*1 + 3*2 + 2*3 + 1*4) = 40
    EXPECT_DOUBLE_EQ(g.MeanPathLength(), 2.0);
    EXPECT_DOUBLE_EQ(g.Clustering(), 0.0);
}

TEST(GossipGraph, ComponentsAndUnreachable)
{
    Graph g(5);
    g.AddEdge(0, 1);
    g.AddEdge(2, 3);
    EXPECT_EQ(g.CountComponents(), 3U); // {0,1} {2,3} {4}
    EXPECT_FALSE(g.IsConnected());
    EXPECT_EQ(g.Diameter(), Graph::UNREACHABLE);
    EXPECT_EQ(g.Distances(0)[2], Graph::UNREACHABLE);
    EXPECT_TRUE(g.ShortestPath(0, 4).empty());
    EXPECT_EQ(g.Parents(0)[4], 4U); // unreachable: its own parent
    EXPECT_DOUBLE_EQ(g.MeanPathLength(), 0.0);
    EXPECT_EQ(Graph(0).CountComponents(), 0U);
    EXPECT_TRUE(Graph(1).IsConnected());
}

TEST(GossipGraph, TriangleWithATailClustering)
{
    // triangle 0-1-2 plus 2-3: local coefficients 1, 1, 1/3, 0 -> mean 7/12
    Graph g = Graph::FromAdjacency({{1, 2}, {0, 2}, {0, 1, 3}, {2}});
    EXPECT_EQ(g.GetNEdges(), 4U);
    EXPECT_NEAR(g.Clustering(), 7.0 / 12.0, 1e-12);
    EXPECT_EQ(g.GetNeighbours(2), (std::vector<uint32_t>{0, 1, 3}));
    EXPECT_EQ(g.GetDegree(2), 3U);
    EXPECT_EQ(g.Diameter(), 2U);
    EXPECT_TRUE(g.HasEdge(3, 2));
    EXPECT_FALSE(g.HasEdge(3, 0));
}

TEST(GossipGraph, BreadthFirstTreeFollowsEdgeOrder)
{
    // two shortest paths from 3 to 0 (via 1 or via 2): the edge added first wins
    Graph a(4);
    a.AddEdge(0, 2);
    a.AddEdge(0, 1);
    a.AddEdge(1, 3);
    a.AddEdge(2, 3);
    EXPECT_EQ(a.Parents(0)[3], 2U);
    Graph b(4);
    b.AddEdge(0, 1);
    b.AddEdge(0, 2);
    b.AddEdge(1, 3);
    b.AddEdge(2, 3);
    EXPECT_EQ(b.Parents(0)[3], 1U);
}
