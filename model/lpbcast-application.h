/*
 * SPDX-License-Identifier: GPL-2.0-only
 */
#ifndef LPBCAST_APPLICATION_H
#define LPBCAST_APPLICATION_H

#include "ns3/application.h"
#include "ns3/event-id.h"
#include "ns3/ipv4-address.h"
#include "ns3/lpbcast-header.h"
#include "ns3/lpbcast-small-world.h"
#include "ns3/lpbcast-state.h"
#include "ns3/nstime.h"
#include "ns3/random-variable-stream.h"
#include "ns3/socket.h"
#include "ns3/traced-callback.h"

#include <deque>
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
 * drawn with P ~ d^-r. Peers that stop answering probes are replaced.
 *
 * Processes are identified by their IPv4 address (the node's first non-loopback interface).
 */
class LpbcastApplication : public Application
{
  public:
    enum ViewMode
    {
        RANDOM_VIEW, //!< lpbcast's partial view (TOCS)
        SMALL_WORLD  //!< the small-world overlay of near and long-range peers
    };

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
    /// Broadcast an event with PayloadSize bytes. \return its sequence number (0 if not running).
    uint32_t Broadcast();
    /// Leave at run time: gossip our own timestamped unsubscription, then stop.
    void Unsubscribe();
    /// (Re)join at run time through the given contacts.
    void Subscribe(const std::vector<Ipv4Address>& contacts);
    /// Crash: stop at once, without telling anyone.
    void Crash();

    /// Fix the random stream. \return the number of streams used (1).
    int64_t AssignStreams(int64_t stream);

    uint32_t GetSelf() const;
    bool IsMember() const;
    const LpbcastMembership& GetMembership() const;
    const LpbcastEventIds& GetEventIds() const;
    const LpbcastOverlay& GetOverlay() const;
    /// Gossip targets in the current mode (view, or overlay peers).
    std::vector<uint32_t> GetTargets() const;
    uint32_t GetRound() const;
    uint64_t GetDelivered() const;
    uint64_t GetMalformed() const;

    /// Deliver: (origin, seq, age on arrival, retrieved rather than gossiped).
    typedef void (*DeliverCallback)(uint32_t origin, uint32_t seq, uint32_t age, bool retrieved);
    /// Broadcast, Duplicate, Purge: (origin, seq).
    typedef void (*EventIdCallback)(uint32_t origin, uint32_t seq);
    /// Tx: (packet, destination).
    typedef void (*TxCallback)(Ptr<const Packet> packet, Ipv4Address to);
    /// MalformedPacket: (packet, source, reason).
    typedef void (*MalformedCallback)(Ptr<const Packet> packet,
                                      Ipv4Address from,
                                      const std::string& reason);
    /// RetrieveRequest: (target, origin, seq, stage 1..3).
    typedef void (*RetrieveCallback)(uint32_t target,
                                     uint32_t origin,
                                     uint32_t seq,
                                     uint32_t stage);
    /// PeerFailed: (peer).
    typedef void (*PeerCallback)(uint32_t peer);

  private:
    void StartApplication() override;
    void StopApplication() override;
    void DoDispose() override;

    void Validate() const;
    void OpenSocket();
    void CloseSocket();
    void Round();
    void SendGossip();
    void SendTo(const LpbcastHeader& h, uint32_t to);
    void Receive(Ptr<Socket> socket);
    void HandleGossip(const LpbcastHeader& h, uint32_t from);
    void HandleRetrieveRequest(const LpbcastHeader& h, uint32_t from);
    void HandleRetrieveReply(const LpbcastHeader& h);
    void Deliver(const LpbcastEvent& e, bool retrieved);
    void Archive(const LpbcastEvent& e);
    void Probe();
    void ProbeTimeout(uint32_t peer, uint32_t nonce);
    void RepairOverlay();
    void LearnMembers();
    uint32_t RandomInt(uint32_t n);
    LpbcastMembershipLimits Limits() const;

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
    LpbcastEventBuffer::Purging m_eventPurging;
    uint32_t m_longAgo;
    LpbcastMembershipPurging m_membershipPurging;
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
    ViewMode m_viewMode;
    uint32_t m_nearPeers;
    uint32_t m_longRangePeers;
    double m_exponent;
    LpbcastDistanceMetric m_metric;
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
    uint64_t m_malformed{0};
    Ptr<Socket> m_socket;
    Ptr<UniformRandomVariable> m_rng;
    EventId m_roundEvent;
    EventId m_probeEvent;
    std::vector<Ipv4Address> m_contacts;
    std::shared_ptr<const std::vector<Ipv4Address>> m_bootstrapPool;
    uint32_t m_bootstrapCount{0};
    LpbcastMembership m_membership;
    LpbcastEventBuffer m_events;
    LpbcastEventIds m_eventIds;
    LpbcastRetrieval m_retrieval;
    LpbcastOverlay m_overlay;
    std::map<LpbcastEventId, LpbcastEvent> m_archive;
    std::deque<LpbcastEventId> m_archiveOrder;
    std::map<uint32_t, uint32_t> m_pendingProbes; //!< peer -> nonce of the probe in flight

    // traces
    TracedCallback<uint32_t, uint32_t> m_broadcastTrace;
    TracedCallback<uint32_t, uint32_t, uint32_t, bool> m_deliverTrace;
    TracedCallback<uint32_t, uint32_t> m_duplicateTrace;
    TracedCallback<uint32_t, uint32_t> m_purgeTrace;
    TracedCallback<Ptr<const Packet>, Ipv4Address> m_txTrace;
    TracedCallback<Ptr<const Packet>, Ipv4Address> m_rxTrace;
    TracedCallback<Ptr<const Packet>, Ipv4Address, const std::string&> m_malformedTrace;
    TracedCallback<uint32_t, uint32_t, uint32_t, uint32_t> m_retrieveTrace;
    TracedCallback<uint32_t> m_peerFailedTrace;
};

} // namespace ns3

#endif /* LPBCAST_APPLICATION_H */
