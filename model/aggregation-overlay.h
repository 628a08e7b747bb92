/*
 * SPDX-License-Identifier: GPL-2.0-only
 */
#ifndef AGGREGATION_OVERLAY_H
#define AGGREGATION_OVERLAY_H

#include "gossip-graph.h"

#include <cstdint>
#include <functional>
#include <vector>

namespace ns3
{
namespace aggregation
{

/**
 * \ingroup gossip
 * \brief A fixed overlay of the flooding tree, push-sum and top-c: node i's neighbour list, in
 * the order the application contacts them (node indices are positions in the NodeContainer).
 *
 * Build() makes the symmetric overlay of the examples: host i is linked to the hosts of its rack
 * that are at most rackDegree/2 positions away on a ring of the rack (the whole rack if it is
 * smaller), plus its two neighbours on each of remoteCycles random Hamiltonian cycles over all
 * hosts. Any remoteCycles >= 1 makes the graph connected; with rackDegree = 0 it is a random
 * (at most) 2·remoteCycles-regular graph. Graph algorithms (distances, connectivity, diameter,
 * paths) run on ToGraph(), the module's graph toolkit.
 */
class Overlay
{
  public:
    /// A uniform integer in [lo, hi], drawn from the caller's random stream.
    using UniformInteger = std::function<uint32_t(uint32_t lo, uint32_t hi)>;

    Overlay() = default;
    /// An overlay with these neighbour lists.
    explicit Overlay(std::vector<std::vector<uint32_t>> neighbours);

    /**
     * \param n hosts, indexed 0..n-1 in rack order
     * \param hostsPerRack hosts per rack (host i is in rack i / hostsPerRack)
     * \param rackDegree links to rack peers (even numbers split evenly left and right)
     * \param remoteCycles random Hamiltonian cycles over all hosts
     * \param uniform draws of the cycles (a Fisher-Yates shuffle per cycle: uniform(0, i) for
     *        i = n-1 down to 1)
     * \return sorted neighbour lists without duplicates or self-loops
     */
    static Overlay Build(uint32_t n,
                         uint32_t hostsPerRack,
                         uint32_t rackDegree,
                         uint32_t remoteCycles,
                         const UniformInteger& uniform);

    /// Number of nodes.
    uint32_t GetN() const;
    /// Node's neighbours.
    const std::vector<uint32_t>& GetNeighbours(uint32_t node) const;
    /// Every listed neighbour is another node of the overlay that lists this one back.
    bool IsSymmetric() const;
    /// The undirected graph of the overlay's links.
    gossip::Graph ToGraph() const;

  private:
    std::vector<std::vector<uint32_t>> m_neighbours;
};

} // namespace aggregation
} // namespace ns3

#endif /* AGGREGATION_OVERLAY_H */
