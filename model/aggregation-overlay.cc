/*
 * SPDX-License-Identifier: GPL-2.0-only
 */
#include "aggregation-overlay.h"

#include <algorithm>
#include <set>

namespace ns3
{
namespace aggregation
{

Overlay::Overlay(std::vector<std::vector<uint32_t>> neighbours)
    : m_neighbours(std::move(neighbours))
{
}

Overlay
Overlay::Build(uint32_t n,
               uint32_t hostsPerRack,
               uint32_t rackDegree,
               uint32_t remoteCycles,
               const UniformInteger& uniform)
{
    std::vector<std::set<uint32_t>> adj(n);
    auto link = [&adj](uint32_t a, uint32_t b) {
        if (a != b)
        {
            adj[a].insert(b);
            adj[b].insert(a);
        }
    };
    if (hostsPerRack == 0)
    {
        hostsPerRack = 1;
    }
    for (uint32_t first = 0; first < n && rackDegree > 0; first += hostsPerRack)
    {
        uint32_t size = std::min(hostsPerRack, n - first);
        uint32_t reach = std::max<uint32_t>(1, rackDegree / 2);
        for (uint32_t i = 0; i < size; ++i)
        {
            for (uint32_t d = 1; d <= reach && d < size; ++d)
            {
                link(first + i, first + (i + d) % size);
            }
        }
    }
    std::vector<uint32_t> perm(n);
    for (uint32_t c = 0; c < remoteCycles && n > 1; ++c)
    {
        for (uint32_t i = 0; i < n; ++i)
        {
            perm[i] = i;
        }
        for (uint32_t i = n - 1; i > 0; --i) // Fisher-Yates
        {
            std::swap(perm[i], perm[uniform(0, i)]);
        }
        for (uint32_t i = 0; i < n; ++i)
        {
            link(perm[i], perm[(i + 1) % n]);
        }
    }
    std::vector<std::vector<uint32_t>> neighbours(n);
    for (uint32_t i = 0; i < n; ++i)
    {
        neighbours[i].assign(adj[i].begin(), adj[i].end());
    }
    return Overlay(std::move(neighbours));
}

uint32_t
Overlay::GetN() const
{
    return m_neighbours.size();
}

const std::vector<uint32_t>&
Overlay::GetNeighbours(uint32_t node) const
{
    return m_neighbours.at(node);
}

bool
Overlay::IsSymmetric() const
{
    for (uint32_t i = 0; i < m_neighbours.size(); ++i)
    {
        for (uint32_t j : m_neighbours[i])
        {
            if (j >= m_neighbours.size() || j == i ||
                std::find(m_neighbours[j].begin(), m_neighbours[j].end(), i) ==
                    m_neighbours[j].end())
            {
                return false;
            }
        }
    }
    return true;
}

gossip::Graph
Overlay::ToGraph() const
{
    return gossip::Graph::FromAdjacency(m_neighbours);
}

} // namespace aggregation
} // namespace ns3
