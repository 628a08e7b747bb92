/*
 * SPDX-License-Identifier: GPL-2.0-only
 */
#ifndef LPBCAST_APPLICATION_H
#define LPBCAST_APPLICATION_H

#include "gossip-application.h"
#include "gossip-message-id.h"
#include "lpbcast-archive.h"
#include "lpbcast-event-buffer.h"
#include "lpbcast-event-ids.h"
#include "lpbcast-event.h"
#include "lpbcast-header.h"
#include "lpbcast-membership.h"
#include "lpbcast-overlay.h"
#include "lpbcast-retrieval.h"

#include "ns3/event-id.h"
#include "ns3/ipv4-address.h"
#include "ns3/nstime.h"
#include "ns3/traced-callback.h"

#include <functional>
#include <map>
#include <memory>
#include <vector>

namespace ns3
{

/**
 * \ingroup gossip
 * \brief lpbcast (Eugster et al., ACM TOCS 2003) as an ns-3 Application over UDP unicast.
 *
 * Every Period the process sends one GOSSIP datagram (events, eventIds digest, subs plus
 * itself, unSubs) to Fanout random members of its partial view of ViewSize members. A received
 * gossip updates the view (subscriptions, timestamped unsubscriptions), delivers new events and
 * notes ids advertised in the digest but not delivered; those are retrieved after k rounds from
 * the gossip sender, then a random view member, then the originator.
 *
 * With ViewMode SmallWorld the gossip targets are the small-world overlay's peers instead: the
 * c members with the lowest RTT measured by PROBE/PROBE_REPLY datagrams, plus long-range peers
 * drawn with P ~ d^-r, plus the reverse links (processes that gossiped to us recently, i.e. chose
 * us as a peer), so that links are used both ways and no process is left without gossip. Peers
 * that stop answering probes are replaced.
 *
 * The application orchestrates (socket, timers, trace sources); the state and its rules are the
 * plain classes of ns3::lpbcast (Membership, EventBuffer, EventIds, Retrieval, Archive,
 * Overlay).
 * Processes are identified by their IPv4 address (the node's first non-loopback interface) as a
 * uint32; an event by a GossipMessageId whose sender is its origin's address.
 */
class LpbcastApplication : public GossipApplication
{
  public:
    /// Whom a process gossips to.
    enum ViewMode
    {
        RANDOM_VIEW, //!< lpbcast's partial view (TOCS)
        SMALL_WORLD  //!< the small-world overlay of near and long-range peers
    };

    /// The distance of the overlay's long-range draw.
    enum DistanceMetric
    {
        DISTANCE_RTT,   //!< the measured round-trip time (in microseconds)
        DISTANCE_FABRIC //!< the distance function given to SetDistanceFunction
    };

    /// A distance between two processes (> 0), e.g. hops in the network's hierarchy.
    using DistanceFunction = std::function<double(Ipv4Address from, Ipv4Address to)>;

    static TypeId GetTypeId();
    LpbcastApplication();
    ~LpbcastApplication() override;

    /// Bootstrap contacts (the lecture's "some node addresses"). Before start, or with Subscribe.
    void AddContact(Ipv4Address contact);
    /**
     * Bootstrap from a shared list of members: at start, count distinct contacts other than
     * this process are drawn from it with this application's random stream (so AssignStreams
     * fixes them).
     */
    void SetBootstrap(std::shared_ptr<const std::vector<Ipv4Address>> pool, uint32_t count);
    /**
     * The distance used by DistanceMetric Fabric (LpbcastHelper gives the hops between two hosts
     * in the hierarchy of the fabric's address plan). Needed before start in that mode.
     */
    void SetDistanceFunction(DistanceFunction distance);
    /// Broadcast an event with PayloadSize bytes. \return its sequence number (0 if not running).
    uint32_t Broadcast();
    /// Leave at run time: gossip our own timestamped unsubscription, then stop.
    void Unsubscribe();
    /// (Re)join at run time through the given contacts.
    void Subscribe(const std::vector<Ipv4Address>& contacts);
    /// Crash: stop at once, without telling anyone.
    void Crash();

    /// This process's id (its IPv4 address as a uint32), once started.
    uint32_t GetSelf() const;
    /// True in ViewMode SmallWorld.
    bool IsSmallWorld() const;
    bool IsMember() const;
    const lpbcast::Membership& GetMembership() const;
    const lpbcast::EventIds& GetEventIds() const;
    const lpbcast::Retrieval& GetRetrieval() const;
    const lpbcast::Overlay& GetOverlay() const;
    /// Gossip targets in the current mode (view, or overlay peers and reverse links).
    std::vector<uint32_t> GetTargets() const;
    uint32_t GetRound() const;
    uint64_t GetDelivered() const;
    /// How many times the small-world overlay was repaired.
    uint64_t GetOverlayRepairs() const;

    /// DeliverWithAge: an event, its age on arrival, and whether it was retrieved (not gossiped).
    typedef void (*DeliverWithAgeTracedCallback)(const GossipMessageId& id,
                                                 uint32_t age,
                                                 bool retrieved);
    /// RetrieveRequest: the process asked (IPv4 address as a uint32), the event, stage 1..3.
    typedef void (*RetrieveRequestTracedCallback)(uint32_t target,
                                                  const GossipMessageId& id,
                                                  uint32_t stage);
    /// PeerFailed: the overlay peer (IPv4 address as a uint32).
    typedef void (*PeerFailedTracedCallback)(uint32_t peer);

  private:
    void StartApplication() override;
    void StopApplication() override;

    void Validate() const;
    void Round();
    void SendGossip();
    void Send(const LpbcastHeader& h, uint32_t to);
    void Receive(Ptr<Socket> socket);
    void HandleGossip(const LpbcastHeader& h, uint32_t from);
    void HandleRetrieveRequest(const LpbcastHeader& h, uint32_t from);
    void HandleRetrieveReply(const LpbcastHeader& h);
    void Deliver(const lpbcast::Event& e, bool retrieved);
    void Probe();
    void ProbeTimeout(uint32_t peer, uint32_t nonce);
    void RepairOverlay();
    void LearnMembers();
    uint32_t RandomInt(uint32_t n);
    lpbcast::Membership::Limits Limits() const;

    // attributes
    uint16_t m_port;
    Time m_period;
    uint32_t m_fanout;
    uint32_t m_viewSize;
    uint32_t m_maxEvents;
    uint32_t m_maxEventIds;
    uint32_t m_maxSubs;
    uint32_t m_maxUnSubs;
    Time m_unSubTimeout;
    lpbcast::EventBuffer::Purging m_eventPurging;
    uint32_t m_longAgo;
    lpbcast::Membership::Purging m_membershipPurging;
    double m_frequencyK;
    bool m_clearEvents;
    uint32_t m_maxAge;
    bool m_retrieve;
    uint32_t m_retrieveK;
    uint32_t m_retrieveR;
    uint32_t m_maxRetrieve;
    uint32_t m_archiveSize;
    uint32_t m_payloadSize;
    uint32_t m_leaveRounds;
    bool m_alignRounds;
    ViewMode m_viewMode;
    uint32_t m_nearPeers;
    uint32_t m_longRangePeers;
    double m_exponent;
    DistanceMetric m_metric;
    Time m_probeInterval;
    Time m_probeTimeout;
    uint32_t m_probesPerInterval;
    uint32_t m_missesToFail;

    // state
    uint32_t m_self{0};
    bool m_running{false};
    bool m_member{false};
    uint32_t m_leaveCountdown{0};
    int64_t m_leaveTs{0};
    uint32_t m_round{0};
    uint32_t m_seq{0};
    uint32_t m_nonce{0};
    uint64_t m_delivered{0};
    EventId m_roundEvent;
    EventId m_probeEvent;
    std::vector<Ipv4Address> m_contacts;
    std::shared_ptr<const std::vector<Ipv4Address>> m_bootstrapPool;
    uint32_t m_bootstrapCount{0};
    DistanceFunction m_distance;
    lpbcast::Membership m_membership;
    lpbcast::EventBuffer m_events;
    lpbcast::EventIds m_eventIds;
    lpbcast::Retrieval m_retrieval;
    lpbcast::Overlay m_overlay;
    lpbcast::Archive m_archive;
    std::map<uint32_t, uint32_t> m_pendingProbes; //!< peer -> nonce of the probe in flight
    /// RTTs were measured since the last repair: repair once per probe tick, not per reply
    /// (a repair costs O(candidates), so per reply it was ~O(N^2) per interval overall).
    bool m_rttsChanged{false};
    uint64_t m_repairs{0};
    std::map<uint32_t, uint32_t>
        m_reverse; //!< processes that chose us as a peer -> last round heard

    // traces (Tx, Rx and Malformed are GossipApplication's)
    TracedCallback<const GossipMessageId&> m_broadcastTrace;
    TracedCallback<const GossipMessageId&> m_deliverTrace;
    TracedCallback<const GossipMessageId&, uint32_t, bool> m_deliverWithAgeTrace;
    TracedCallback<const GossipMessageId&> m_duplicateTrace;
    TracedCallback<const GossipMessageId&> m_purgeTrace;
    TracedCallback<uint32_t, const GossipMessageId&, uint32_t> m_retrieveTrace;
    TracedCallback<uint32_t> m_peerFailedTrace;
};

} // namespace ns3

#endif /* LPBCAST_APPLICATION_H */
