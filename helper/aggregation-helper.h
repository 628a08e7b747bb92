/*
 * SPDX-License-Identifier: GPL-2.0-only
 */
#ifndef AGGREGATION_HELPER_H
#define AGGREGATION_HELPER_H

#include "gossip-application-helper.h"

#include "ns3/aggregation-flood-tree-application.h"
#include "ns3/aggregation-overlay.h"
#include "ns3/aggregation-push-sum-application.h"
#include "ns3/aggregation-top-c-application.h"
#include "ns3/application-container.h"
#include "ns3/node-container.h"

#include <functional>
#include <map>
#include <memory>
#include <vector>

namespace ns3
{

/**
 * \ingroup gossip
 * \brief What the aggregation helpers share: per-node values, a fixed overlay, and the group.
 *
 * The applications of one Install form one group: their membership is every installed node's
 * address (one list shared by all of them, so memory stays linear in N), and SetValues,
 * SetOverlay, FloodTreeHelper::SetRoot and PushSumHelper::SetLeader name nodes by their position
 * in the NodeContainer given to Install. Install(Ptr<Node>) installs a group of one.
 */
class AggregationHelper : public GossipApplicationHelper
{
  public:
    /// A helper for applications of type tid.
    explicit AggregationHelper(TypeId tid);

    /// Per-node values, by position in the NodeContainer (default: every value 0).
    void SetValues(const std::vector<double>& values);
    /**
     * Give the applications fixed neighbours: node i gets the addresses of the overlay's
     * neighbours of i, in that order. The overlay must be symmetric without self-loops and have
     * as many nodes as the container installed on.
     */
    void SetOverlay(const aggregation::Overlay& overlay);

    /**
     * The overlay of aggregation::Overlay::Build for n hosts (rackDegree links inside each rack
     * of hostsPerRack consecutive hosts plus remoteCycles random Hamiltonian cycles), drawn from
     * a random variable of its own, on stream (an automatic stream if negative). Aborts if the
     * parameters give no links or the overlay is not connected.
     */
    static aggregation::Overlay BuildOverlay(uint32_t n,
                                             uint32_t hostsPerRack,
                                             uint32_t rackDegree,
                                             uint32_t remoteCycles,
                                             int64_t stream = -1);

  protected:
    /// The group of an Install on nodes (their addresses), after checking values and overlay.
    std::shared_ptr<std::vector<Ipv4Address>> MakeGroup(const NodeContainer& nodes) const;
    /// Whether SetOverlay was called.
    bool HasOverlay() const;
    /// Addresses of node i's overlay neighbours in group.
    std::vector<Ipv4Address> NeighbourAddresses(const std::vector<Ipv4Address>& group,
                                                uint32_t i) const;
    /// Whether SetValues was called.
    bool HasValues() const;
    /// The value of node i (SetValues).
    double GetValue(uint32_t i) const;

  private:
    std::vector<double> m_values;
    bool m_useOverlay{false};
    aggregation::Overlay m_overlay;
};

/**
 * \ingroup gossip
 * \brief Installs FloodTreeApplication on nodes: the node at position SetRoot() asks the
 * queries, and every node joins only that root's trees.
 *
 * In Mode=Fixed an overlay is required (SetOverlay); in Mode=Random the membership is every
 * installed node.
 */
class FloodTreeHelper : public AggregationHelper
{
  public:
    FloodTreeHelper();
    /// Position (in the NodeContainer) of the root; default 0.
    void SetRoot(uint32_t index);

    using GossipApplicationHelper::Install;
    ApplicationContainer Install(NodeContainer nodes) const override;

  private:
    uint32_t m_root{0};
};

/**
 * \ingroup gossip
 * \brief Installs PushSumApplication: targets are uniform over all installed nodes, or over
 * overlay neighbours after SetOverlay() (required for Variant=RunningSum).
 */
class PushSumHelper : public AggregationHelper
{
  public:
    PushSumHelper();
    /// Position of the node that holds weight 1 for SUM and COUNT; default 0.
    void SetLeader(uint32_t index);

    using GossipApplicationHelper::Install;
    ApplicationContainer Install(NodeContainer nodes) const override;

    using GossipApplicationHelper::AssignStreams;
    /**
     * Fix the random streams of the PushSumApplications in apps only (other applications are
     * skipped): for nodes that run several PushSumApplications, e.g. AVG and COUNT side by side,
     * where AssignStreams(nodes, stream) would number them all. The application of apps on
     * nodes[i] gets the streams from stream + i x (streams per application), numbered by node
     * rather than by container, so that under MPI (apps holds this rank's only) they do not
     * depend on the partition.
     * \return the number of streams spanned: nodes.GetN() x streams per application
     */
    int64_t AssignStreams(NodeContainer nodes,
                          const ApplicationContainer& apps,
                          int64_t stream) const;

  private:
    uint32_t m_leader{0};
};

/**
 * \ingroup gossip
 * \brief Installs TopCApplication with every installed node as membership, or with fixed
 * neighbours (pushing to all of them each round) after SetOverlay().
 */
class TopCHelper : public AggregationHelper
{
  public:
    TopCHelper();

    using GossipApplicationHelper::Install;
    ApplicationContainer Install(NodeContainer nodes) const override;
};

/**
 * \ingroup gossip
 * \brief Message statistics of aggregation protocols (or any application with the Tx trace
 * source of GossipApplication).
 *
 * Counts datagrams in 1 ms bins (the load spike is the largest bin), per sender, in total.
 */
class AggregationStats
{
  public:
    /// Count the datagrams of every application in apps (their "Tx" trace source).
    void Attach(const ApplicationContainer& apps);
    /// Forget everything counted so far.
    void Reset();
    uint64_t GetTotal() const;
    /// Datagrams sent in [from, to).
    uint64_t GetCount(Time from, Time to) const;
    /// Largest number of datagrams sent within one millisecond bin in [from, to).
    uint64_t GetPeakPerMs(Time from = Time(0), Time to = Time::Max()) const;
    /// Largest number of datagrams sent by one node.
    uint64_t GetMaxPerNode() const;
    /// Messages per node per second over [from, to) for nodes nodes.
    double GetPerNodePerSecond(uint32_t nodes, Time from, Time to) const;
    /// The 1 ms bins: (bin index = ms since 0, datagrams).
    const std::map<int64_t, uint64_t>& GetBins() const;
    /**
     * Under MPI (a collective call: every rank, after Simulator::Run): add every rank's counts
     * to this one's, at every rank, so that all of the above count every node. Nothing when
     * not distributed.
     */
    void Merge();

  private:
    void Tx(uint32_t node, Ptr<const Packet> p, Ipv4Address to);
    std::map<int64_t, uint64_t> m_bins;
    std::map<uint32_t, uint64_t> m_perNode;
    uint64_t m_total{0};
};

/**
 * \ingroup gossip
 * \brief Push-sum statistics from the "Estimate", "MassSent" and "MassReceived" trace sources:
 * per round, how many nodes reported and the largest relative error against the true answer
 * (SetTruth); and the mass (Σs, Σw) sent and received, whose difference is in flight (or lost).
 */
class PushSumStats
{
  public:
    /// One round of estimates.
    struct Round
    {
        uint32_t reports{0};
        double maxError{0}; //!< largest |estimate - truth| / |truth|; inf for an undefined one
        Time last;          //!< when the last of these reports came
    };

    PushSumStats() = default;
    // the connected trace sinks hold this object's address
    PushSumStats(const PushSumStats&) = delete;
    PushSumStats& operator=(const PushSumStats&) = delete;

    /// The true answer errors are relative to (nonzero; default 1).
    void SetTruth(double truth);
    /// Follow every PushSumApplication in apps (a round is complete when all have reported).
    void Attach(const ApplicationContainer& apps);
    /// Called when the last attached node reports for a round: (round, its largest error).
    void SetRoundCompleteCallback(std::function<void(uint32_t, double)> cb);
    /// Every round reported so far.
    const std::map<uint32_t, Round>& GetRounds() const;
    /// The nodes followed (Attach), at every rank after Merge().
    uint32_t GetNodes() const;
    /**
     * The first complete round (every node followed reported) in which the largest error was
     * below eps (UINT32_MAX: none).
     */
    uint32_t GetFirstRoundBelow(double eps) const;
    /// The largest error of the last round reported (NaN before any report).
    double GetFinalMaxError() const;
    aggregation::Mass GetSent() const;
    aggregation::Mass GetReceived() const;
    /**
     * Under MPI (a collective call: every rank, after Simulator::Run): every rank's reports,
     * nodes and masses, at every rank. Reports, errors and times merge exactly; the masses are
     * floating-point sums, whose last bits depend on the order they are added in. The round
     * callback sees this rank's nodes only, so it is not called under MPI. Nothing when not
     * distributed.
     */
    void Merge();

  private:
    void Estimate(uint32_t round, double estimate);
    void Sent(double s, double w);
    void Received(double s, double w);

    double m_truth{1};
    uint32_t m_nodes{0};
    std::map<uint32_t, Round> m_rounds;
    aggregation::Mass m_sent;
    aggregation::Mass m_received;
    std::function<void(uint32_t, double)> m_roundComplete;
};

} // namespace ns3

#endif /* AGGREGATION_HELPER_H */
