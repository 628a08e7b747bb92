/*
 * SPDX-License-Identifier: GPL-2.0-only
 */
#ifndef LPBCAST_OVERLAY_METRICS_H
#define LPBCAST_OVERLAY_METRICS_H

#include <cstdint>
#include <map>
#include <vector>

namespace ns3
{
namespace lpbcast
{

/**
 * \ingroup gossip
 * \brief Degree, clustering and diameter of a gossip overlay (views or small-world peers), as an
 * undirected graph, computed with the module's graph toolkit (gossip::Graph).
 */
struct OverlayMetrics
{
    uint32_t vertices{0};
    uint32_t edges{0};
    double meanDegree{0};
    uint32_t minDegree{0};
    uint32_t maxDegree{0};
    double clustering{0}; //!< mean local clustering coefficient
    uint32_t diameter{0}; //!< longest shortest path (hops); 0 if not connected
    double meanPathLength{0};
    uint32_t components{0};

    /**
     * The metrics of the undirected graph whose edges are each process -> each of its peers (a
     * link listed from both ends, or a process listing itself, counts once or not at all).
     * Vertices are every process named, as a key or as a peer.
     */
    static OverlayMetrics Analyze(const std::map<uint32_t, std::vector<uint32_t>>& peers);
};

} // namespace lpbcast
} // namespace ns3

#endif /* LPBCAST_OVERLAY_METRICS_H */
