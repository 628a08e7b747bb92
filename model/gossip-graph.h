/*
 * SPDX-License-Identifier: GPL-2.0-only
 */
#ifndef GOSSIP_GRAPH_H
#define GOSSIP_GRAPH_H

#include <boost/graph/adjacency_list.hpp>
#include <cstdint>
#include <limits>
#include <vector>

namespace ns3
{
namespace gossip
{

/**
 * \ingroup gossip
 * \brief The module's one graph toolkit, on Boost.Graph: an undirected simple graph on vertices
 * 0..n-1 and the algorithms the protocols and topologies need (BFS distances and trees,
 * components, diameter, clustering). Used by the WAN topology's routes, lpbcast's overlay
 * analysis and the aggregation overlays and information-flow trees.
 *
 * Edges keep the order they were added in (a BFS tree, and so a WAN route, does not depend on
 * vertex numbering); a repeated edge or a loop is ignored.
 */
class Graph
{
  public:
    /// Distance to a vertex that cannot be reached.
    static constexpr uint32_t UNREACHABLE = std::numeric_limits<uint32_t>::max();

    explicit Graph(uint32_t vertices = 0);
    /// A graph from adjacency lists (each edge may be listed from one end or both).
    static Graph FromAdjacency(const std::vector<std::vector<uint32_t>>& adjacency);

    uint32_t GetNVertices() const;
    uint64_t GetNEdges() const;
    /// Add the edge {u, v}. \return whether it is new (not a repeat, not a loop)
    bool AddEdge(uint32_t u, uint32_t v);
    bool HasEdge(uint32_t u, uint32_t v) const;
    uint32_t GetDegree(uint32_t v) const;
    /// The neighbours of v, ascending.
    std::vector<uint32_t> GetNeighbours(uint32_t v) const;

    /// Hop counts from source by breadth-first search (UNREACHABLE where there is no path).
    std::vector<uint32_t> Distances(uint32_t source) const;
    /**
     * The breadth-first tree rooted at root: each vertex's parent, its next hop towards root.
     * The root and vertices that cannot reach it are their own parent.
     */
    std::vector<uint32_t> Parents(uint32_t root) const;
    /// A shortest path from one vertex to another (both included; empty if there is none),
    /// stepping at each vertex to its lowest-numbered neighbour that is one hop closer.
    std::vector<uint32_t> ShortestPath(uint32_t from, uint32_t to) const;

    /// Connected components (0 for the empty graph).
    uint32_t CountComponents() const;
    /// Whether every vertex reaches every other (true for 0 or 1 vertex).
    bool IsConnected() const;
    /// The largest distance between two vertices; UNREACHABLE if the graph is not connected.
    uint32_t Diameter() const;
    /// The mean distance over ordered pairs of distinct vertices of a connected graph (else 0).
    double MeanPathLength() const;
    /// The mean local clustering coefficient (Watts-Strogatz).
    double Clustering() const;

  private:
    using Impl = boost::adjacency_list<boost::vecS, boost::vecS, boost::undirectedS>;
    Impl m_g;
};

} // namespace gossip
} // namespace ns3

#endif /* GOSSIP_GRAPH_H */
