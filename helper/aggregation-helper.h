/*
 * SPDX-License-Identifier: GPL-2.0-only
 */
#ifndef AGGREGATION_HELPER_H
#define AGGREGATION_HELPER_H

#include "ns3/aggregation-flood-tree-application.h"
#include "ns3/aggregation-logic.h"
#include "ns3/aggregation-push-sum-application.h"
#include "ns3/aggregation-top-c-application.h"
#include "ns3/application-container.h"
#include "ns3/node-container.h"
#include "ns3/object-factory.h"

#include <functional>
#include <map>
#include <memory>
#include <vector>

namespace ns3
{

/**
 * \ingroup gossip
 * \brief Common part of the aggregation helpers: values, the overlay, addresses.
 */
class AggregationHelperBase
{
  public:
    AggregationHelperBase();
    /// Per-node values (index = position in the NodeContainer); default all 0.
    void SetValues(const std::vector<double>& values);
    /**
     * Use a fixed symmetric overlay (AggregationOverlay::Build): rackDegree links inside each
     * rack of hostsPerRack consecutive nodes plus remoteCycles random Hamiltonian cycles.
     */
    void SetOverlay(uint32_t hostsPerRack, uint32_t rackDegree, uint32_t remoteCycles);
    /// Use exactly this symmetric graph (node indices = NodeContainer positions) as the overlay.
    void SetGraph(const AggregationOverlay::Graph& graph);
    /// Random stream of the overlay's cycles (call before Install for a fixed overlay).
    void SetOverlayStream(int64_t stream);
    /// The overlay built by the last Install (empty if none).
    const AggregationOverlay::Graph& GetOverlay() const;
    /// First interface address of a node (hosts have one interface besides loopback).
    static Ipv4Address AddressOf(Ptr<Node> node);

  protected:
    /// Build the overlay (if configured) and the shared membership for nodes.
    void Prepare(const NodeContainer& nodes);
    std::vector<Ipv4Address> NeighbourAddresses(uint32_t i) const;

    std::vector<double> m_values;
    bool m_useOverlay{false};
    uint32_t m_hostsPerRack{40};
    uint32_t m_rackDegree{2};
    uint32_t m_remoteCycles{2};
    int64_t m_overlayStream{-1};
    AggregationOverlay::Graph m_overlay;
    AggregationOverlay::Graph m_givenGraph;
    std::shared_ptr<std::vector<Ipv4Address>> m_members;
};

/**
 * \ingroup gossip
 * \brief Installs FloodTreeApplication on nodes: node SetRoot() asks the queries.
 *
 * In Mode=Fixed an overlay is required (SetOverlay); in Mode=Random the membership is every
 * installed node.
 */
class FloodTreeHelper : public AggregationHelperBase
{
  public:
    FloodTreeHelper();
    void SetAttribute(std::string name, const AttributeValue& value);
    /// Index (in the NodeContainer) of the root; default 0.
    void SetRoot(uint32_t index);
    ApplicationContainer Install(NodeContainer nodes);
    /// \return the number of streams used.
    int64_t AssignStreams(ApplicationContainer apps, int64_t stream);

  private:
    ObjectFactory m_factory;
    uint32_t m_root{0};
};

/**
 * \ingroup gossip
 * \brief Installs PushSumApplication: targets are uniform over all installed nodes, or over
 * overlay neighbours if SetOverlay() was called (required for Variant=RunningSum).
 */
class PushSumHelper : public AggregationHelperBase
{
  public:
    PushSumHelper();
    void SetAttribute(std::string name, const AttributeValue& value);
    /// Node that holds weight 1 for SUM and COUNT; default 0.
    void SetLeader(uint32_t index);
    ApplicationContainer Install(NodeContainer nodes);
    int64_t AssignStreams(ApplicationContainer apps, int64_t stream);

  private:
    ObjectFactory m_factory;
    uint32_t m_leader{0};
};

/**
 * \ingroup gossip
 * \brief Installs TopCApplication with every installed node as membership, or with fixed
 * neighbours (pushing to all of them each round) after SetOverlay()/SetGraph().
 */
class TopCHelper : public AggregationHelperBase
{
  public:
    TopCHelper();
    void SetAttribute(std::string name, const AttributeValue& value);
    ApplicationContainer Install(NodeContainer nodes);
    int64_t AssignStreams(ApplicationContainer apps, int64_t stream);

  private:
    ObjectFactory m_factory;
};

/**
 * \ingroup gossip
 * \brief Message statistics of aggregation protocols, from their "Tx" trace sources.
 *
 * Counts datagrams in 1 ms bins (the load spike is the largest bin), per sender, in total.
 */
class AggregationStats
{
  public:
    /// Connect to the "Tx" trace of every application in apps.
    void Connect(const ApplicationContainer& apps);
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

  private:
    void Tx(uint32_t node, Ptr<const Packet> p, Ipv4Address to);
    std::map<int64_t, uint64_t> m_bins;
    std::map<uint32_t, uint64_t> m_perNode;
    uint64_t m_total{0};
};

/**
 * \ingroup gossip
 * \brief Push-sum statistics from the "Estimate", "MassSent" and "MassReceived" trace sources:
 * per round, how many nodes reported and the largest relative error against the true answer;
 * and the mass (Σs, Σw) sent and received, whose difference is in flight (or lost).
 */
class PushSumStats
{
  public:
    struct Round
    {
        uint32_t reports{0};
        double maxError{0}; //!< largest |estimate - truth| / |truth|; inf for an undefined one
    };

    PushSumStats() = default;
    // the connected trace sinks hold this object's address
    PushSumStats(const PushSumStats&) = delete;
    PushSumStats& operator=(const PushSumStats&) = delete;

    /// Connect to every PushSumApplication in apps; errors are relative to truth (nonzero).
    void Connect(const ApplicationContainer& apps, double truth);
    /// Called when the last connected node reports for a round: (round, its largest error).
    void SetRoundCompleteCallback(std::function<void(uint32_t, double)> cb);
    /// Every round reported so far.
    const std::map<uint32_t, Round>& GetRounds() const;
    /// The first round in which the largest error was below eps (UINT32_MAX: none).
    uint32_t GetFirstRoundBelow(double eps) const;
    /// The largest error of the last round reported (NaN before any report).
    double GetFinalMaxError() const;
    PushSumMass GetSent() const;
    PushSumMass GetReceived() const;

  private:
    void Estimate(uint32_t round, double estimate);
    void Sent(double s, double w);
    void Received(double s, double w);

    double m_truth{1};
    uint32_t m_nodes{0};
    std::map<uint32_t, Round> m_rounds;
    PushSumMass m_sent;
    PushSumMass m_received;
    std::function<void(uint32_t, double)> m_roundComplete;
};

} // namespace ns3

#endif /* AGGREGATION_HELPER_H */
