/*
 * SPDX-License-Identifier: GPL-2.0-only
 */
#ifndef ASTROLABE_HELPER_H
#define ASTROLABE_HELPER_H

#include "gossip-application-helper.h"

#include "ns3/application-container.h"
#include "ns3/astrolabe-agent.h"
#include "ns3/ipv4-address.h"
#include "ns3/node-container.h"

#include <functional>
#include <map>
#include <memory>
#include <string>
#include <vector>

namespace ns3
{

/**
 * \ingroup gossip
 * \brief Installs AstrolabeAgents, one per node, with zone paths and seeds taken from the
 * nodes' addresses on the fabric's address plan (gossip::FabricAddressPlan), or given explicitly.
 *
 * Zone paths: by default "/dcD/rackRR/hostHH" (with SetPodLevel(true):
 * "/dcD/podPP/rackRR/hostHH"), decoded from each node's address, as the topology helpers name
 * their hosts; SetZoneFunction() gives any other tree. Seeds: SetSeeds() gives the same list to
 * every agent; otherwise each Install() takes the first SetSeedsPerDatacenter() nodes of every
 * datacenter among the nodes it installs, in container order (so installing a whole fabric at
 * once gives "the first host of each datacenter"; nodes installed one at a time need SetSeeds).
 *
 * \code
 *   AstrolabeHelper astro;
 *   astro.SetAttribute("GossipInterval", TimeValue(Seconds(1)));
 *   ApplicationContainer apps = astro.Install(dc.GetHosts());
 *   astro.AssignStreams(dc.GetHosts(), 100);
 *   apps.Start(Seconds(0));
 * \endcode
 */
class AstrolabeHelper : public GossipApplicationHelper
{
  public:
    /// (node, its address) -> zone path.
    using ZoneFunction = std::function<std::string(Ptr<Node>, Ipv4Address)>;

    AstrolabeHelper();
    /// Replace the address-derived zone paths.
    void SetZoneFunction(ZoneFunction f);
    /// Address-derived paths name the pod too (a fabric of several pods).
    void SetPodLevel(bool podLevel);
    /// Seeds of every agent (instead of the first hosts of each datacenter).
    void SetSeeds(const std::vector<Ipv4Address>& seeds);
    /// Seeds per datacenter: its first n hosts (default 1; 0 = rely on multicast only).
    void SetSeedsPerDatacenter(uint32_t n);

    using GossipApplicationHelper::Install;
    /// One agent on each node. Aborts on an invalid or duplicate zone path.
    ApplicationContainer Install(NodeContainer nodes) const override;

    /**
     * The zone path of a host of the fabric's address plan, "/dcD[/podPP]/rackRR/hostHH" (as
     * DatacenterTopologyHelper::GetHostPath names it); empty if the address is not a host's.
     */
    static std::string FabricZonePath(Ipv4Address address, bool podLevel);
    /// The first AstrolabeAgent on a node, or null.
    static Ptr<AstrolabeAgent> GetAgent(Ptr<Node> node);

  private:
    ZoneFunction m_zoneFn;
    bool m_podLevel{false};
    bool m_explicitSeeds{false};
    std::vector<Ipv4Address> m_seeds;
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

    /// Connect to the Tx/Rx/Malformed/RowChanged traces of these agents (call once, before
    /// Simulator::Run).
    void Attach(const ApplicationContainer& agents);
    /**
     * Follow the agents of these hosts, agent i being host i's: under ns-3's distributed
     * simulator only this rank's hosts have one here (the others count as agents without
     * records until Merge()), so the indices are the same on every rank.
     */
    void Attach(const NodeContainer& hosts);
    /**
     * Under ns-3's distributed simulator: gather every rank's records (counters and the series
     * of numbers, booleans and nulls tracked), at every rank, so that the getters answer for
     * every agent. A collective call, once, after Simulator::Run(); nothing in one process.
     * A tracked string or address-set attribute is not merged (the run aborts and says so).
     */
    void Merge();
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
                                        std::function<bool(const astrolabe::Value&)> pred,
                                        Time after) const;

    uint32_t GetNAgents() const;
    Ptr<AstrolabeAgent> GetAgent(uint32_t i) const;

    /**
     * For each agent, the first time >= after at which its (zone, attr) satisfied pred
     * (a negative time if never). Uses the recorded series (TrackAggregate first).
     */
    std::vector<Time> FirstSatisfied(const std::string& zone,
                                     const std::string& attr,
                                     std::function<bool(const astrolabe::Value&)> pred,
                                     Time after) const;
    /// Each agent's value of (zone, attr) at time t.
    std::vector<astrolabe::Value> ValuesAt(const std::string& zone,
                                           const std::string& attr,
                                           Time t) const;
    /// Largest |value - truth| over agents at time t (infinity if an agent has no number).
    double MaxErrorAt(const std::string& zone, const std::string& attr, double truth, Time t) const;

    uint64_t GetTxPackets(uint32_t i) const;
    uint64_t GetTxBytes(uint32_t i) const;
    uint64_t GetRxPackets(uint32_t i) const;
    uint64_t GetRxBytes(uint32_t i) const;
    /// Malformed datagrams dropped by agent i.
    uint64_t GetMalformed(uint32_t i) const;
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
        uint64_t malformed{0};
    };

    static void OnTx(Counters* c, Ptr<const Packet> p, Ipv4Address to);
    static void OnRx(Counters* c, Ptr<const Packet> p, Ipv4Address from);
    static void OnMalformed(Counters* c,
                            Ptr<const Packet> p,
                            Ipv4Address from,
                            const std::string& why);
    static void OnRow(Counters* c, const std::string& zone, const astrolabe::Row& row);

    using Series = std::vector<std::pair<Time, astrolabe::Value>>;
    void AttachAgent(Ptr<AstrolabeAgent> a); //!< null: another rank's agent
    std::vector<Ptr<AstrolabeAgent>> m_agents;
    std::vector<std::unique_ptr<Counters>> m_counters;
    /// (zone, attr) -> per-agent series
    std::map<std::pair<std::string, std::string>, std::vector<Series>> m_series;
    /// (row id, attr) -> per-agent series of arriving copies
    std::map<std::pair<std::string, std::string>, std::vector<Series>> m_rowSeries;
};

} // namespace ns3

#endif /* ASTROLABE_HELPER_H */
