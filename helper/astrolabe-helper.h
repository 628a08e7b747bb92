/*
 * SPDX-License-Identifier: GPL-2.0-only
 */
#ifndef ASTROLABE_HELPER_H
#define ASTROLABE_HELPER_H

#include "ns3/application-container.h"
#include "ns3/astrolabe-agent.h"
#include "ns3/datacenter-topology-helper.h"
#include "ns3/node-container.h"
#include "ns3/object-factory.h"
#include "ns3/wan-topology-helper.h"

#include <functional>
#include <map>
#include <memory>
#include <string>
#include <vector>

namespace ns3
{

/**
 * \ingroup gossip
 * \brief Installs AstrolabeAgents on hosts, with zone paths from the topology helpers' host
 * positions ("/dc0/pod01/rack07/host12") or from a user function.
 *
 * \code
 *   AstrolabeHelper astro;
 *   astro.SetAttribute("GossipInterval", TimeValue(Seconds(1)));
 *   ApplicationContainer apps = astro.Install(dc);       // seeds: first host per datacenter
 *   astro.AssignStreams(apps, 100);
 *   apps.Start(Seconds(0));
 * \endcode
 */
class AstrolabeHelper
{
  public:
    /// (host index in the topology, node) -> zone path.
    using ZoneFunction = std::function<std::string(uint32_t, Ptr<Node>)>;

    AstrolabeHelper();
    /// Set an AstrolabeAgent attribute for every agent installed afterwards.
    void SetAttribute(std::string name, const AttributeValue& value);
    /// Replace the position-derived zone paths.
    void SetZoneFunction(ZoneFunction f);
    /// Seeds per datacenter: its first n hosts (default 1; 0 = rely on multicast only).
    void SetSeedsPerDatacenter(uint32_t n);

    ApplicationContainer Install(const DatacenterTopologyHelper& dc) const;
    ApplicationContainer Install(const WanTopologyHelper& wan) const;
    /// Generic form: one path per node, explicit seeds.
    ApplicationContainer Install(const NodeContainer& nodes,
                                 const std::vector<std::string>& paths,
                                 const std::vector<Ipv4Address>& seeds) const;

    /// Fix the random streams of the agents. \return the number of streams used.
    int64_t AssignStreams(ApplicationContainer apps, int64_t stream) const;
    /// The first AstrolabeAgent on a node, or null.
    static Ptr<AstrolabeAgent> GetAgent(Ptr<Node> node);

  private:
    ObjectFactory m_factory;
    ZoneFunction m_zoneFn;
    uint32_t m_seedsPerDc{1};
};

/**
 * \ingroup gossip
 * \brief Statistics from Astrolabe trace sources: messages and bytes per node, load on the
 * representatives, and per-agent time series of aggregates (for propagation time and
 * convergence to the true value).
 */
class AstrolabeStatsHelper
{
  public:
    AstrolabeStatsHelper() = default;
    AstrolabeStatsHelper(const AstrolabeStatsHelper&) = delete;
    AstrolabeStatsHelper& operator=(const AstrolabeStatsHelper&) = delete;

    /// Connect to the Tx/Rx/Drop traces of these agents (call once, before Simulator::Run).
    void Attach(const ApplicationContainer& agents);
    /// Record every change of (zone, attribute) at every attached agent.
    void TrackAggregate(const std::string& zone, const std::string& attr);

    /**
     * Record, at every attached agent, each replicated copy of the row `rowId` (any table, any
     * rep) as it arrives, with its value of `attr` (the row's owner itself is not recorded).
     */
    void TrackRow(const std::string& rowId, const std::string& attr);
    /**
     * For each agent, the first time >= after at which a copy of row `rowId` with `attr`
     * satisfying pred arrived (negative if never). TrackRow first.
     */
    std::vector<Time> FirstRowSatisfied(const std::string& rowId,
                                        const std::string& attr,
                                        std::function<bool(const AstrolabeValue&)> pred,
                                        Time after) const;

    uint32_t GetNAgents() const;
    Ptr<AstrolabeAgent> GetAgent(uint32_t i) const;

    /**
     * For each agent, the first time >= after at which its (zone, attr) satisfied pred
     * (a negative time if never). Uses the recorded series (TrackAggregate first).
     */
    std::vector<Time> FirstSatisfied(const std::string& zone,
                                     const std::string& attr,
                                     std::function<bool(const AstrolabeValue&)> pred,
                                     Time after) const;
    /// Each agent's value of (zone, attr) at time t.
    std::vector<AstrolabeValue> ValuesAt(const std::string& zone,
                                         const std::string& attr,
                                         Time t) const;
    /// Largest |value - truth| over agents at time t (infinity if an agent has no number).
    double MaxErrorAt(const std::string& zone, const std::string& attr, double truth, Time t) const;

    uint64_t GetTxPackets(uint32_t i) const;
    uint64_t GetTxBytes(uint32_t i) const;
    uint64_t GetRxPackets(uint32_t i) const;
    uint64_t GetRxBytes(uint32_t i) const;
    uint64_t GetDrops(uint32_t i) const;
    uint64_t GetTotalTxPackets() const;
    uint64_t GetTotalTxBytes() const;

  private:
    struct Counters
    {
        AstrolabeStatsHelper* stats;
        uint32_t index;
        uint64_t txPackets{0};
        uint64_t txBytes{0};
        uint64_t rxPackets{0};
        uint64_t rxBytes{0};
        uint64_t drops{0};
    };

    static void OnTx(Counters* c, Ptr<const Packet> p, Ipv4Address to);
    static void OnRx(Counters* c, Ptr<const Packet> p, Ipv4Address from);
    static void OnDrop(Counters* c, Ptr<const Packet> p, Ipv4Address from, const std::string& why);
    static void OnRow(Counters* c, const std::string& zone, const AstrolabeRow& row);

    using Series = std::vector<std::pair<Time, AstrolabeValue>>;
    std::vector<Ptr<AstrolabeAgent>> m_agents;
    std::vector<std::unique_ptr<Counters>> m_counters;
    /// (zone, attr) -> per-agent series
    std::map<std::pair<std::string, std::string>, std::vector<Series>> m_series;
    /// (row id, attr) -> per-agent series of arriving copies
    std::map<std::pair<std::string, std::string>, std::vector<Series>> m_rowSeries;
};

} // namespace ns3

#endif /* ASTROLABE_HELPER_H */
