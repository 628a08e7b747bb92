/*
 * SPDX-License-Identifier: GPL-2.0-only
 */
#include "gossip-graph.h"

#include <algorithm>
#include <boost/graph/breadth_first_search.hpp>
#include <boost/graph/clustering_coefficient.hpp>
#include <boost/graph/connected_components.hpp>
#include <boost/graph/exterior_property.hpp>

namespace ns3
{
namespace gossip
{

Graph::Graph(uint32_t vertices)
    : m_g(vertices)
{
}

Graph
Graph::FromAdjacency(const std::vector<std::vector<uint32_t>>& adjacency)
{
    Graph g(adjacency.size());
    for (uint32_t u = 0; u < adjacency.size(); ++u)
    {
        for (uint32_t v : adjacency[u])
        {
            g.AddEdge(u, v);
        }
    }
    return g;
}

uint32_t
Graph::GetNVertices() const
{
    return boost::num_vertices(m_g);
}

uint64_t
Graph::GetNEdges() const
{
    return boost::num_edges(m_g);
}

bool
Graph::AddEdge(uint32_t u, uint32_t v)
{
    if (u == v || HasEdge(u, v))
    {
        return false;
    }
    boost::add_edge(u, v, m_g);
    return true;
}

bool
Graph::HasEdge(uint32_t u, uint32_t v) const
{
    // Look from the end with fewer edges.
    if (boost::degree(u, m_g) > boost::degree(v, m_g))
    {
        std::swap(u, v);
    }
    for (auto [it, end] = boost::adjacent_vertices(u, m_g); it != end; ++it)
    {
        if (*it == v)
        {
            return true;
        }
    }
    return false;
}

uint32_t
Graph::GetDegree(uint32_t v) const
{
    return boost::degree(v, m_g);
}

std::vector<uint32_t>
Graph::GetNeighbours(uint32_t v) const
{
    auto [it, end] = boost::adjacent_vertices(v, m_g);
    std::vector<uint32_t> out(it, end);
    std::sort(out.begin(), out.end());
    return out;
}

std::vector<uint32_t>
Graph::Distances(uint32_t source) const
{
    std::vector<uint32_t> dist(GetNVertices(), UNREACHABLE);
    dist[source] = 0;
    boost::breadth_first_search(m_g,
                                boost::vertex(source, m_g),
                                boost::visitor(boost::make_bfs_visitor(
                                    boost::record_distances(dist.data(), boost::on_tree_edge()))));
    return dist;
}

std::vector<uint32_t>
Graph::Parents(uint32_t root) const
{
    std::vector<Impl::vertex_descriptor> parent(GetNVertices());
    for (uint32_t v = 0; v < parent.size(); ++v)
    {
        parent[v] = v;
    }
    boost::breadth_first_search(
        m_g,
        boost::vertex(root, m_g),
        boost::visitor(boost::make_bfs_visitor(
            boost::record_predecessors(parent.data(), boost::on_tree_edge()))));
    return std::vector<uint32_t>(parent.begin(), parent.end());
}

std::vector<uint32_t>
Graph::ShortestPath(uint32_t from, uint32_t to) const
{
    std::vector<uint32_t> d = Distances(to);
    std::vector<uint32_t> path;
    if (d[from] == UNREACHABLE)
    {
        return path;
    }
    uint32_t u = from;
    path.push_back(u);
    while (u != to)
    {
        for (uint32_t v : GetNeighbours(u))
        {
            if (d[v] + 1 == d[u])
            {
                u = v;
                break;
            }
        }
        path.push_back(u);
    }
    return path;
}

uint32_t
Graph::CountComponents() const
{
    if (GetNVertices() == 0)
    {
        return 0;
    }
    std::vector<int> component(GetNVertices());
    return boost::connected_components(m_g, component.data());
}

bool
Graph::IsConnected() const
{
    return CountComponents() <= 1;
}

uint32_t
Graph::Diameter() const
{
    const uint32_t n = GetNVertices();
    if (n < 2)
    {
        return 0;
    }
    if (!IsConnected())
    {
        return UNREACHABLE;
    }
    if (GetNEdges() + 1 == n)
    {
        // A tree: the farthest vertex from anywhere ends a longest path (two searches).
        std::vector<uint32_t> d0 = Distances(0);
        uint32_t far = std::max_element(d0.begin(), d0.end()) - d0.begin();
        std::vector<uint32_t> d1 = Distances(far);
        return *std::max_element(d1.begin(), d1.end());
    }
    uint32_t diameter = 0;
    for (uint32_t s = 0; s < n; ++s)
    {
        std::vector<uint32_t> d = Distances(s);
        diameter = std::max(diameter, *std::max_element(d.begin(), d.end()));
    }
    return diameter;
}

double
Graph::MeanPathLength() const
{
    const uint32_t n = GetNVertices();
    if (n < 2 || !IsConnected())
    {
        return 0.0;
    }
    uint64_t sum = 0;
    for (uint32_t s = 0; s < n; ++s)
    {
        for (uint32_t d : Distances(s))
        {
            sum += d;
        }
    }
    return double(sum) / (uint64_t(n) * (n - 1));
}

double
Graph::Clustering() const
{
    if (GetNVertices() == 0)
    {
        return 0.0;
    }
    using Property = boost::exterior_vertex_property<Impl, double>;
    Property::container_type coefficients(GetNVertices());
    Property::map_type map(coefficients, m_g);
    return boost::all_clustering_coefficients(m_g, map);
}

} // namespace gossip
} // namespace ns3
