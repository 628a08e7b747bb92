/*
 * SPDX-License-Identifier: GPL-2.0-only
 */
#ifndef AGGREGATION_LOGIC_H
#define AGGREGATION_LOGIC_H

#include "ns3/ipv4-address.h"
#include "ns3/ptr.h"
#include "ns3/random-variable-stream.h"

#include <cstdint>
#include <limits>
#include <map>
#include <memory>
#include <string>
#include <utility>
#include <vector>

namespace ns3
{

/**
 * \ingroup gossip
 * \brief The aggregate of a subtree: COUNT, SUM, MIN, MAX with the node that holds them.
 *
 * AVG is SUM / COUNT at the root, as in the lecture ("have the leaves report their value and the
 * parent compute the sum, then divide by the count"). Combining is associative and commutative,
 * so the result does not depend on the tree's shape. Ties for MIN/MAX go to the lowest node id,
 * which keeps runs deterministic.
 */
struct AggregationPartial
{
    uint32_t count{0};                                     //!< nodes covered
    double sum{0.0};                                       //!< sum of their values
    double min{std::numeric_limits<double>::infinity()};   //!< smallest value
    uint32_t argmin{std::numeric_limits<uint32_t>::max()}; //!< node with the smallest value
    double max{-std::numeric_limits<double>::infinity()};  //!< largest value
    uint32_t argmax{std::numeric_limits<uint32_t>::max()}; //!< node with the largest value
    bool partial{false};                                   //!< some subtree did not answer in time
    uint32_t missing{0}; //!< how many neighbours/children did not answer (lower bound)

    /// The aggregate of one node.
    static AggregationPartial FromValue(double value, uint32_t node);
    /// Fold another subtree's aggregate into this one.
    void Combine(const AggregationPartial& other);
    /// SUM / COUNT, or NaN when nothing was counted.
    double Average() const;
    bool operator==(const AggregationPartial& o) const;
};

/// Which aggregate a query asks for (all are computed; this selects what is reported).
enum class AggregationFunction : uint8_t
{
    COUNT = 0,
    SUM = 1,
    AVG = 2,
    MIN = 3,
    MAX = 4
};

/// \return the named function's value from a partial aggregate.
double AggregationSelect(const AggregationPartial& p, AggregationFunction f);
/// \return "COUNT", "SUM", ...
std::string AggregationFunctionName(AggregationFunction f);

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
};

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

/// \return true if every double of p is finite (a real subtree has count >= 1, so min/max too).
bool AggregationPartialIsFinite(const AggregationPartial& p);

/**
 * \return members without repeated addresses (first occurrence kept), or the same pointer when
 * there are none. Random peer selection loops until it draws a distinct peer, so a list of
 * repeats must not reach it. Apps of one helper share one list: the last answer is cached.
 */
std::shared_ptr<const std::vector<Ipv4Address>> AggregationDeduplicate(
    std::shared_ptr<const std::vector<Ipv4Address>> members);

/// \return how many members differ from self.
uint32_t AggregationCountOthers(const std::vector<Ipv4Address>& members, Ipv4Address self);

/// \ingroup gossip \brief Push-sum mass: a (sum, weight) pair.
struct PushSumMass
{
    double s{0.0};
    double w{0.0};
};

/**
 * \ingroup gossip
 * \brief Kempe et al.'s push-sum state of one node.
 *
 * Each round the node keeps half of its mass and sends the other half to one target; received
 * mass is added. Σs and Σw over nodes plus messages in flight never change, so s/w converges to
 * Σx/Σw everywhere.
 */
class PushSumState
{
  public:
    PushSumState() = default;
    PushSumState(double s, double w);
    /// Halve the local mass. \return the half to send.
    PushSumMass TakeHalf();
    /// Add received mass.
    void Absorb(const PushSumMass& m);
    /// s / w, or NaN while w == 0 (no estimate yet).
    double Estimate() const;
    double GetS() const;
    double GetW() const;

  private:
    double m_s{0.0};
    double m_w{0.0};
};

/**
 * \ingroup gossip
 * \brief Running sums for loss-tolerant push-sum ("robust ratio consensus").
 *
 * A sender keeps, per out-neighbour, the total mass it ever sent (σ) and a sequence number, and
 * sends the totals rather than the increment. A receiver keeps the last totals it applied (ρ)
 * per in-neighbour and adds σ − ρ. A lost datagram only delays mass: the next one carries it.
 * Reordered (older) datagrams are recognised by their sequence number and ignored.
 */
class RunningSumLedger
{
  public:
    /// Add m to the totals towards peer. \return the new totals and their sequence number.
    std::pair<PushSumMass, uint32_t> AddSent(uint32_t peer, const PushSumMass& m);
    /// Totals last sent to peer (zero if none).
    PushSumMass GetSent(uint32_t peer) const;
    /**
     * Apply totals received from peer.
     * \return the mass to add to the local state (zero for stale or duplicate datagrams).
     */
    PushSumMass Receive(uint32_t peer, const PushSumMass& totals, uint32_t seq);
    /**
     * \return true if seq is implausible for peer: a jump of more than 2^31 past the last applied
     * one. Such a datagram would make every later real one look stale and pin the peer; Receive
     * ignores it, and the caller drops it as malformed.
     */
    bool IsImplausible(uint32_t peer, uint32_t seq) const;
    /// Largest accepted sequence-number jump.
    static constexpr uint32_t kMaxSeqJump = 1U << 31;
    /// Totals applied from peer so far (zero if none).
    PushSumMass GetReceived(uint32_t peer) const;

  private:
    struct Out
    {
        PushSumMass total;
        uint32_t seq{0};
    };

    struct In
    {
        PushSumMass total;
        uint32_t seq{0};
        bool any{false};
    };

    std::map<uint32_t, Out> m_out;
    std::map<uint32_t, In> m_in;
};

/**
 * \ingroup gossip
 * \brief Symmetric overlays for the flooding tree and push-sum.
 *
 * Host i is linked to the hosts of its rack that are at most rackDegree/2 positions away on a
 * ring of the rack (the whole rack if it is smaller), plus its two neighbours on each of
 * remoteCycles random Hamiltonian cycles over all hosts. Any remoteCycles >= 1 makes the graph
 * connected; with rackDegree = 0 it is a random (at most) 2·remoteCycles-regular graph.
 */
class AggregationOverlay
{
  public:
    using Graph = std::vector<std::vector<uint32_t>>;
    /**
     * \param n hosts, indexed 0..n-1 in rack order
     * \param hostsPerRack hosts per rack (host i is in rack i / hostsPerRack)
     * \param rackDegree links to rack peers (even numbers split evenly left and right)
     * \param remoteCycles random Hamiltonian cycles over all hosts
     * \param rng random stream for the cycles
     * \return sorted neighbour lists without duplicates or self-loops
     */
    static Graph Build(uint32_t n,
                       uint32_t hostsPerRack,
                       uint32_t rackDegree,
                       uint32_t remoteCycles,
                       Ptr<UniformRandomVariable> rng);
    /// Number of undirected edges.
    static uint64_t EdgeCount(const Graph& g);
    static bool IsSymmetric(const Graph& g);
    static bool IsConnected(const Graph& g);
    /// Hop distances from source (UINT32_MAX where unreachable).
    static std::vector<uint32_t> Distances(const Graph& g, uint32_t source);
};

/**
 * \ingroup gossip
 * \brief The lecture's information-flow model of a binary aggregation hierarchy.
 *
 * N = 2^k nodes; a zone at level l is a block of 2^l consecutive nodes, and its gossip at level
 * l runs between the representatives of its two halves (at level 1, the two nodes themselves).
 * Information moves only along these exchanges, one exchange per time unit, so the time for an
 * event at x to reach y is their hop distance in the resulting graph.
 *
 *  - DREADFUL ("fair but dreadful"): the representative of block b at level l is node
 *    b + 2^(l-1) - 1, so every node does at most one inner job (A C E G I K M O, then B F J N,
 *    then D L for N = 16), and the graph is the path H-G-E-F-B-A-C-D-L-K-I-J-N-M-O-P: diameter
 *    N - 1.
 *  - ASTROLABE: a zone's representative is elected from the level below (here the first node of
 *    the block, as if it had the lowest load), so the same node runs the gossip at every level
 *    it reaches: a binomial tree, diameter 2·log2(N) - 1.
 */
class AggregationInfoFlow
{
  public:
    enum Kind
    {
        DREADFUL,
        ASTROLABE
    };

    /// Representative of the block of 2^level nodes starting at first (level >= 1).
    static uint32_t Representative(Kind kind, uint32_t first, uint32_t level);
    /// The information-flow graph for n = 2^k nodes (n >= 2), as neighbour lists.
    static AggregationOverlay::Graph Build(Kind kind, uint32_t n);
    /// Largest hop distance between two nodes (the information-flow diameter).
    static uint32_t Diameter(const AggregationOverlay::Graph& g);
    /// A shortest path from one node to another (both included).
    static std::vector<uint32_t> Path(const AggregationOverlay::Graph& g,
                                      uint32_t from,
                                      uint32_t to);
    /// Node name: A..Z for the first 26 nodes, then "n<index>".
    static std::string Name(uint32_t node);
    /// \return true if n is a power of two >= 2.
    static bool IsValidSize(uint32_t n);
};

} // namespace ns3

#endif /* AGGREGATION_LOGIC_H */
