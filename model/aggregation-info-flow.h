/*
 * SPDX-License-Identifier: GPL-2.0-only
 */
#ifndef AGGREGATION_INFO_FLOW_H
#define AGGREGATION_INFO_FLOW_H

#include "aggregation-overlay.h"

#include <cstdint>
#include <string>

namespace ns3
{
namespace aggregation
{

/**
 * \ingroup gossip
 * \brief The lecture's information-flow model of a binary aggregation hierarchy.
 *
 * N = 2^k nodes; a zone at level l is a block of 2^l consecutive nodes, and its gossip at level
 * l runs between the representatives of its two halves (at level 1, the two nodes themselves).
 * Information moves only along these exchanges, one exchange per time unit, so the time for an
 * event at x to reach y is their hop distance in the resulting graph (Build(...).ToGraph():
 * Distances, ShortestPath, Diameter).
 *
 *  - DREADFUL ("fair but dreadful"): the representative of block b at level l is node
 *    b + 2^(l-1) - 1, so every node does at most one inner job (A C E G I K M O, then B F J N,
 *    then D L for N = 16), and the graph is the path H-G-E-F-B-A-C-D-L-K-I-J-N-M-O-P: diameter
 *    N - 1.
 *  - ASTROLABE: a zone's representative is elected from the level below (here the first node of
 *    the block, as if it had the lowest load), so the same node runs the gossip at every level
 *    it reaches: a binomial tree, diameter 2·log2(N) - 1.
 */
class InfoFlow
{
  public:
    /// How a zone's representative is chosen.
    enum class Kind
    {
        DREADFUL,
        ASTROLABE
    };

    /// Representative of the block of 2^level nodes starting at first (level >= 1).
    static uint32_t Representative(Kind kind, uint32_t first, uint32_t level);
    /// The information-flow graph for n = 2^k nodes (n >= 2), as sorted neighbour lists.
    static Overlay Build(Kind kind, uint32_t n);
    /// Node name: A..Z for the first 26 nodes, then "n<index>".
    static std::string Name(uint32_t node);
    /// \return true if n is a power of two >= 2.
    static bool IsValidSize(uint32_t n);
};

} // namespace aggregation
} // namespace ns3

#endif /* AGGREGATION_INFO_FLOW_H */
