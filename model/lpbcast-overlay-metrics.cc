/*
 * SPDX-License-Identifier: GPL-2.0-only
 */
#include "lpbcast-overlay-metrics.h"

#include "gossip-graph.h"

#include <algorithm>

namespace ns3
{
namespace lpbcast
{

OverlayMetrics
OverlayMetrics::Analyze(const std::map<uint32_t, std::vector<uint32_t>>& peers)
{
    // Vertices numbered in order of first appearance (each process, then its peers).
    std::map<uint32_t, uint32_t> index;
    for (const auto& kv : peers)
    {
        index.insert({kv.first, index.size()});
        for (uint32_t p : kv.second)
        {
            index.insert({p, index.size()});
        }
    }
    gossip::Graph g(index.size());
    for (const auto& kv : peers)
    {
        for (uint32_t p : kv.second)
        {
            g.AddEdge(index[kv.first], index[p]); // a repeat or a loop is ignored
        }
    }
    OverlayMetrics m;
    const uint32_t n = g.GetNVertices();
    m.vertices = n;
    m.edges = g.GetNEdges();
    if (n == 0)
    {
        return m;
    }
    m.minDegree = UINT32_MAX;
    for (uint32_t v = 0; v < n; ++v)
    {
        const uint32_t d = g.GetDegree(v);
        m.minDegree = std::min(m.minDegree, d);
        m.maxDegree = std::max(m.maxDegree, d);
    }
    m.meanDegree = 2.0 * m.edges / n;
    m.components = g.CountComponents();
    m.clustering = g.Clustering();
    if (m.components == 1)
    {
        m.diameter = g.Diameter();
        m.meanPathLength = g.MeanPathLength();
    }
    return m;
}

} // namespace lpbcast
} // namespace ns3
