/*
 * SPDX-License-Identifier: GPL-2.0-only
 */
#include "aggregation-info-flow.h"

#include <set>
#include <vector>

namespace ns3
{
namespace aggregation
{

uint32_t
InfoFlow::Representative(Kind kind, uint32_t first, uint32_t level)
{
    if (kind == Kind::ASTROLABE || level == 0)
    {
        return first;
    }
    return first + (1U << (level - 1)) - 1;
}

bool
InfoFlow::IsValidSize(uint32_t n)
{
    return n >= 2 && (n & (n - 1)) == 0;
}

Overlay
InfoFlow::Build(Kind kind, uint32_t n)
{
    std::vector<std::set<uint32_t>> adj(n);
    for (uint32_t level = 1; (1U << level) <= n; ++level)
    {
        uint32_t size = 1U << level;
        for (uint32_t first = 0; first < n; first += size)
        {
            // The level-l gossip runs between the representatives of the two halves.
            uint32_t a = Representative(kind, first, level - 1);
            uint32_t b = Representative(kind, first + size / 2, level - 1);
            adj[a].insert(b);
            adj[b].insert(a);
        }
    }
    std::vector<std::vector<uint32_t>> neighbours(n);
    for (uint32_t i = 0; i < n; ++i)
    {
        neighbours[i].assign(adj[i].begin(), adj[i].end());
    }
    return Overlay(std::move(neighbours));
}

std::string
InfoFlow::Name(uint32_t node)
{
    if (node < 26)
    {
        return std::string(1, char('A' + node));
    }
    return "n" + std::to_string(node);
}

} // namespace aggregation
} // namespace ns3
