/*
 * SPDX-License-Identifier: GPL-2.0-only
 */
#ifndef ASTROLABE_AGENT_H
#define ASTROLABE_AGENT_H

#include "astrolabe-afc-table.h"
#include "astrolabe-afc.h"
#include "astrolabe-exchange.h"
#include "astrolabe-header.h"
#include "astrolabe-mib.h"
#include "astrolabe-value.h"
#include "gossip-application.h"

#include "ns3/event-id.h"
#include "ns3/ipv4-address.h"
#include "ns3/nstime.h"
#include "ns3/random-variable-stream.h"
#include "ns3/traced-callback.h"

#include <functional>
#include <map>
#include <string>
#include <utility>
#include <vector>

namespace ns3
{

/**
 * \ingroup gossip
 * \brief An Astrolabe agent (van Renesse, Birman, Vogels, TOCS 2003) on one host.
 *
 * The host's zone path (e.g. "/dc0/rack07/host12") names its ancestors. For each ancestor A
 * the agent keeps the table of A's child zones, keyed by (zone, rep); the leaf table holds the
 * host rows of its siblings and its own row (astrolabe::Mib). Every round (GossipInterval,
 * jittered) it:
 * 1. refreshes its own row (`issued` = its clock; the sampling callback may update attributes),
 *    drops rows not refreshed within T_fail, and recomputes every ancestor's row bottom-up by
 *    running the AFCs (astrolabe::AfcTable) over the child table;
 * 2. gossips, at every level where it is a contact of its own child zone, with a random contact
 *    of a random other child zone: a digest of (id, rep, issued) of that table and every table
 *    above it, plus an AFC digest (§4.1; astrolabe::Exchange);
 * 3. the recipient answers with the rows it has fresher and requests for the rows it lacks;
 *    the gossiper answers the requests (push-pull).
 * Representatives (contacts) of a zone are elected by the system AFC: FIRST(k, contacts) over
 * the child rows ordered by `load`. Membership starts from seeds and/or a rack-scope multicast
 * "anyone out there?"; crashed hosts disappear when their rows time out.
 *
 * Random streams: the application's (GetRandom(): clock offset, round phase and jitter,
 * partner choice, the exchange's draws) and a second one for RANDOM() in AFCs; AssignStreams
 * uses two.
 */
class AstrolabeAgent : public GossipApplication
{
  public:
    static TypeId GetTypeId();
    AstrolabeAgent();
    ~AstrolabeAgent() override;

    /// How representatives are elected (attribute Election).
    enum Election
    {
        ELECT_BY_LOAD, //!< least `load` first at every level (zone load = MIN of children's)
        ELECT_BY_NAME, //!< zone-name order
    };

    /// Aggregate subscription: (zone, attribute, new value).
    using AggregateCallback =
        std::function<void(const std::string&, const std::string&, const astrolabe::Value&)>;
    /// Called at the start of every round, before the own row is refreshed.
    using SamplingCallback = std::function<void(Ptr<AstrolabeAgent>)>;

    // ---- configuration
    /// Seeds to contact when a level has no other known zone (e.g. one host per datacenter).
    void SetSeeds(const std::vector<Ipv4Address>& seeds);
    const std::vector<Ipv4Address>& GetSeeds() const;
    /// Set an attribute of this host's own row (user attributes; not id/rep/issued/nmembers/...).
    void SetMibAttribute(const std::string& name, const astrolabe::Value& value);
    astrolabe::Value GetMibAttribute(const std::string& name) const;
    void SetSamplingCallback(SamplingCallback cb);

    /**
     * Install (or replace, if newer) an AFC at this agent; gossip spreads it everywhere.
     * Refused: the name "system", outputs contacts/servers/depth, a new name beyond MaxAfcs.
     * \param expiresAfter lifetime from now (zero: never expires)
     * \param[out] error why the text was rejected
     * \return false if rejected
     */
    bool InstallAfc(const std::string& name,
                    const std::string& text,
                    std::string& error,
                    Time expiresAfter = Seconds(0),
                    uint32_t maxOutputBytes = 1024);
    /// Installed AFCs by name (the built-in "system" included).
    std::vector<astrolabe::Afc> GetAfcs() const;

    // ---- reading the MIBs
    const std::string& GetZonePath() const;
    /// Ancestor zones, root first ("/", "/dc0", "/dc0/rack07").
    std::vector<std::string> GetAncestors() const;
    /// Rows of the children of an ancestor zone (one per child zone). Empty if not an ancestor.
    std::vector<astrolabe::Row> GetZoneTable(const std::string& zone) const;
    /// The row of an ancestor zone as computed here, or of a sibling zone as replicated here.
    bool GetZoneRow(const std::string& zone, astrolabe::Row& row) const;
    /// Shortcut: an attribute of an ancestor zone's row (null if unknown).
    astrolabe::Value GetAggregate(const std::string& zone, const std::string& attr) const;
    /// This host's own row.
    astrolabe::Row GetOwnRow() const;
    /// Subscribe to changes of (zone, attribute) of the ancestor rows computed here.
    void SubscribeAggregate(const std::string& zone, const std::string& attr, AggregateCallback cb);
    /// True if this agent is a contact (representative) of its own zone at table level l.
    bool IsContact(uint32_t level) const;
    /// Rows (one per rep) held for child zone `child` in the table of ancestor `zone`.
    uint32_t GetNReps(const std::string& zone, const std::string& child) const;
    /// Number of tables (the depth of the zone path).
    uint32_t GetNLevels() const;
    /// Current T_fail.
    Time GetFailTimeout() const;

    // ---- counters
    uint64_t GetTxPackets() const;
    uint64_t GetTxBytes() const;
    uint64_t GetRxPackets() const;
    /// GOSSIP messages this agent initiated at table level l (load on representatives).
    uint64_t GetGossipsAtLevel(uint32_t level) const;

    /// (table zone, row) of a row that changed here.
    typedef void (*RowTracedCallback)(const std::string&, const astrolabe::Row&);
    /// (zone, attribute, value) of an ancestor aggregate that changed here.
    typedef void (*AggregateTracedCallback)(const std::string&,
                                            const std::string&,
                                            const astrolabe::Value&);
    /// (table level, partner) of a gossip exchange this agent started.
    typedef void (*GossipTracedCallback)(uint32_t, Ipv4Address);
    /// (name, message) of an AFC event.
    typedef void (*AfcTracedCallback)(const std::string&, const std::string&);

  protected:
    void DoDispose() override;
    /// The AFC stream (RANDOM() in AFCs): one stream.
    int64_t DoAssignStreams(int64_t stream) override;

  private:
    void StartApplication() override;
    void StopApplication() override;

    void SetZonePathAttr(std::string path);
    std::string GetZonePathAttr() const;
    void SetLoad(double load);
    double GetLoad() const;
    void SetMibAttributesString(std::string spec);
    std::string GetMibAttributesString() const;
    void SetMaxAfcs(uint32_t n);
    uint32_t GetMaxAfcs() const;

    int64_t Clock() const;        //!< local clock, us (simulation time plus a per-agent offset)
    int64_t LatestIssued() const; //!< the latest `issued` an honest agent can have made, us
    /// How long a copy counts as live after it last advanced here (us).
    int64_t LiveWindow() const;
    /// The exchange over the MIB and AFCs as they are now.
    astrolabe::Exchange MakeExchange() const;
    void ScheduleRound(bool first);
    void Round();
    /// Pick the partners of this round, level by level from the top, and gossip with them.
    void GossipAtEveryLevel();
    void Recompute();
    void ExpireRows();
    void ExpireAfcs();
    void GossipAtLevel(uint32_t level, Ipv4Address to);
    void MergeRows(const AstrolabeHeader& h);
    void MergeAfcs(const AstrolabeHeader& h);
    bool AcceptAfc(const astrolabe::Afc& afc);
    void Send(const AstrolabeHeader& h, Ipv4Address to);
    void HandleRead(Ptr<Socket> socket);

    // attributes
    uint16_t m_port;
    Time m_interval;
    double m_jitter;
    uint32_t m_k;
    Election m_election{ELECT_BY_LOAD};
    uint32_t m_maxChildren;
    uint32_t m_maxReps;
    uint32_t m_maxMessage;
    double m_failBaseRounds;
    double m_failLogFactor;
    double m_supersededRounds;
    Ipv4Address m_group;
    Time m_maxClockOffset;
    std::string m_mibSpec;

    astrolabe::Mib m_mib;
    astrolabe::AfcTable m_afcs;
    std::vector<Ipv4Address> m_seeds;
    SamplingCallback m_sampler;
    std::multimap<std::pair<std::string, std::string>, AggregateCallback> m_subscriptions;

    EventId m_roundEvent;
    Ptr<UniformRandomVariable> m_afcRng; //!< passed to RANDOM() in AFCs
    astrolabe::Rng m_draw;               //!< GetRandom(), as a functor
    astrolabe::Rng m_afcDraw;            //!< m_afcRng, as a functor
    int64_t m_clockOffset{0};
    mutable int64_t m_liveWindow{0};                           //!< LiveWindow(), cached
    mutable std::pair<int64_t, double> m_liveWindowFor{0, -1}; //!< (interval, rounds) it is for
    bool m_running{false};
    uint64_t m_round{0};

    uint64_t m_txPackets{0};
    uint64_t m_txBytes{0};
    uint64_t m_rxPackets{0};
    std::vector<uint64_t> m_gossipsAtLevel;

    TracedCallback<const std::string&, const astrolabe::Row&> m_rowChangedTrace;
    TracedCallback<const std::string&, const astrolabe::Row&> m_rowExpiredTrace;
    TracedCallback<const std::string&, const std::string&, const astrolabe::Value&>
        m_aggregateTrace;
    TracedCallback<const std::string&, const std::string&> m_afcInstalledTrace;
    TracedCallback<const std::string&, const std::string&> m_afcErrorTrace;
    TracedCallback<uint32_t, Ipv4Address> m_gossipTrace;
};

} // namespace ns3

#endif /* ASTROLABE_AGENT_H */
