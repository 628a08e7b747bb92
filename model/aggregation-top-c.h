/*
 * SPDX-License-Identifier: GPL-2.0-only
 */
#ifndef AGGREGATION_TOP_C_H
#define AGGREGATION_TOP_C_H

#include <cstdint>
#include <ostream>
#include <vector>

namespace ns3
{
namespace aggregation
{

/**
 * \ingroup gossip
 * \brief One (value, node) entry of a gossip top-c list.
 */
struct TopCEntry
{
    double value{0.0};
    uint32_t node{0};

    bool operator==(const TopCEntry& o) const
    {
        return value == o.value && node == o.node;
    }

    bool operator!=(const TopCEntry& o) const
    {
        return !(*this == o);
    }
};

/// Prints "value@node".
std::ostream& operator<<(std::ostream& os, const TopCEntry& e);

/**
 * \ingroup gossip
 * \brief Merging of top-c lists: the c largest (or smallest) values, one entry per node.
 *
 * The merge is idempotent, commutative and associative, so gossiping lists converges to the
 * global top-c like a rumour spreads, in O(log N) rounds, with messages of bounded size.
 */
class TopCMerge
{
  public:
    /**
     * Merge theirs into mine, keeping the best c distinct nodes, sorted best first (ties by
     * lower node id).
     * \return true if mine changed.
     */
    static bool Merge(std::vector<TopCEntry>& mine,
                      const std::vector<TopCEntry>& theirs,
                      uint32_t c,
                      bool largest);
    /// \return true if every value is finite (a NaN would break the strict weak order of sort).
    static bool AllFinite(const std::vector<TopCEntry>& entries);
};

} // namespace aggregation
} // namespace ns3

#endif /* AGGREGATION_TOP_C_H */
