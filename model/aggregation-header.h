/*
 * SPDX-License-Identifier: GPL-2.0-only
 */
#ifndef AGGREGATION_HEADER_H
#define AGGREGATION_HEADER_H

#include "aggregation-logic.h"

#include "ns3/header.h"

#include <vector>

namespace ns3
{

/**
 * \ingroup gossip
 * \brief Wire format of the aggregation baselines: one header, a version and a type byte, then
 * the type's fields (all integers big-endian, doubles as IEEE-754 bit patterns).
 *
 *  - TREE_FLOOD  query id, tree id, time budget (us), function, hops, root address: builds the
 *                tree (echo algorithm); trees are keyed by (root, tree id)
 *  - TREE_QUERY  the same fields: a query down an already built tree
 *  - TREE_ECHO   query id, tree id, the subtree's AggregationPartial
 *  - TREE_NACK   query id, tree id: "I already have a parent" (random next-hop mode)
 *  - PUSH_SUM    round, s, w, sequence number (running-sum totals when seq > 0)
 *  - NAIVE_AVG   round, value (naive pairwise averaging)
 *  - TOP_C       round, up to 255 largest and 255 smallest (value, node) entries
 *
 * Deserialize never reads past the end of the packet: a short or unknown packet leaves
 * IsValid() false, and receivers drop it through their MalformedPacket trace.
 */
class AggregationHeader : public Header
{
  public:
    enum Type : uint8_t
    {
        TREE_FLOOD = 1,
        TREE_QUERY = 2,
        TREE_ECHO = 3,
        TREE_NACK = 4,
        PUSH_SUM = 5,
        NAIVE_AVG = 6,
        TOP_C = 7
    };

    static constexpr uint8_t kVersion = 1;
    /// Version and type bytes: the least a packet must hold to be looked at.
    static constexpr uint32_t kMinSize = 2;

    static TypeId GetTypeId();
    TypeId GetInstanceTypeId() const override;
    void Print(std::ostream& os) const override;
    uint32_t GetSerializedSize() const override;
    void Serialize(Buffer::Iterator start) const override;
    uint32_t Deserialize(Buffer::Iterator start) override;

    bool IsValid() const;
    Type GetType() const;
    void SetType(Type t);

    // tree messages
    uint32_t queryId{0};
    uint32_t treeId{0};
    uint32_t budgetUs{0};
    uint8_t function{0}; //!< AggregationFunction asked for (informational)
    uint32_t root{0};    //!< IPv4 address of the tree's root (TREE_FLOOD / TREE_QUERY)
    AggregationPartial partial;
    // gossip messages
    uint32_t round{0}; //!< gossip round, or hops from the root in tree messages
    double s{0.0};
    double w{0.0};
    uint32_t seq{0};
    double value{0.0};
    std::vector<TopCEntry> largest;
    std::vector<TopCEntry> smallest;

  private:
    Type m_type{TREE_FLOOD};
    bool m_valid{true};
};

} // namespace ns3

#endif /* AGGREGATION_HEADER_H */
