/*
 * SPDX-License-Identifier: GPL-2.0-only
 */
#ifndef AGGREGATION_HEADER_H
#define AGGREGATION_HEADER_H

#include "aggregation-partial.h"
#include "aggregation-top-c.h"
#include "gossip-wire.h"

#include "ns3/header.h"

#include <ostream>
#include <string>
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
 *  - TREE_ECHO   query id, tree id, the subtree's aggregation::Partial
 *  - TREE_NACK   query id, tree id: "I already have a parent" (random next-hop mode)
 *  - PUSH_SUM    round, s, w, sequence number (running-sum totals when seq > 0)
 *  - NAIVE_AVG   round, value (naive pairwise averaging)
 *  - TOP_C       round, up to 255 largest and 255 smallest (value, node) entries
 *
 * Deserialize never reads past the end of the packet: a short, unknown or wrong-version packet
 * returns 0 and leaves IsValid() false (GetError() says why), and receivers drop it through
 * their Malformed trace source. Bytes after the fields are ignored.
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

    static constexpr uint8_t VERSION = 1;
    /// Entries of a top-c list on the wire (its count is one byte).
    static constexpr uint32_t MAX_ENTRIES = 255;

    static TypeId GetTypeId();
    TypeId GetInstanceTypeId() const override;
    void Print(std::ostream& os) const override;
    uint32_t GetSerializedSize() const override;
    void Serialize(Buffer::Iterator start) const override;
    uint32_t Deserialize(Buffer::Iterator start) override;

    /// False after Deserialize of a truncated, unknown or malformed packet.
    bool IsValid() const;
    /// Why the last Deserialize failed ("" if it did not).
    const std::string& GetError() const;
    Type GetType() const;
    void SetType(Type t);
    /// "TREE_FLOOD", ... ("?" for an unknown type).
    static const char* TypeName(uint8_t type);

    /// Same type, validity, and the same values in the fields the type carries.
    bool operator==(const AggregationHeader& o) const;
    bool operator!=(const AggregationHeader& o) const;

    // tree messages
    uint32_t queryId{0};
    uint32_t treeId{0};
    uint32_t budgetUs{0};
    uint8_t function{0}; //!< aggregation::Function asked for (informational)
    uint32_t root{0};    //!< IPv4 address of the tree's root (TREE_FLOOD / TREE_QUERY)
    aggregation::Partial partial;
    // gossip messages
    uint32_t round{0}; //!< gossip round, or hops from the root in tree messages
    double s{0.0};
    double w{0.0};
    uint32_t seq{0};
    double value{0.0};
    std::vector<aggregation::TopCEntry> largest;  //!< at most MAX_ENTRIES
    std::vector<aggregation::TopCEntry> smallest; //!< at most MAX_ENTRIES

  private:
    template <typename W>
    void Encode(W& w) const;
    bool Decode(gossip::WireReader& r);

    Type m_type{TREE_FLOOD};
    bool m_valid{true};
    std::string m_error;
};

/// Prints the header as Print does.
std::ostream& operator<<(std::ostream& os, const AggregationHeader& h);

} // namespace ns3

#endif /* AGGREGATION_HEADER_H */
