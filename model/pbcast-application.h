/*
 * SPDX-License-Identifier: GPL-2.0-only
 */
#ifndef PBCAST_APPLICATION_H
#define PBCAST_APPLICATION_H

#include "gossip-application.h"
#include "gossip-digest.h"
#include "pbcast-header.h"
#include "pbcast-membership.h"
#include "pbcast-receive-window.h"
#include "pbcast-store.h"

#include "ns3/event-id.h"
#include "ns3/ipv4-address.h"
#include "ns3/nstime.h"
#include "ns3/packet.h"
#include "ns3/traced-callback.h"

#include <cstdint>

namespace ns3
{

/**
 * \ingroup gossip
 * \brief Bimodal Multicast (pbcast; Birman et al., ACM TOCS 1999) as an ns-3 Application.
 *
 * Phase 1: Send() transmits the message once by IP multicast to the group (inside the
 * datacenter; 1:1 UDP unicast to each known member of other datacenters), or by 1:1 UDP
 * unicast to every known member when UseMulticast is false. No acks, no flow control.
 *
 * Phase 2: every round (RoundInterval, unsynchronised: each member starts at a random offset
 * and numbers its rounds independently) a member sends a GOSSIP with its digest (per sender,
 * the sequence numbers it has, as intervals) and a membership sample to Fanout random live
 * members. The receiver requests what it lacks (SOLICIT naming the gossiper's round,
 * most-recent-first, at most MaxRequests, not re-requesting within RequestWait rounds) and
 * pushes what the gossiper lacks. A member answers a SOLICIT only in the round it names, and
 * sends at most MaxRetransmitBytes of retransmissions per round. Messages are buffered for
 * Stale rounds and then garbage collected; a message known to exist but still missing Stale
 * rounds after it was first noticed is given up and reported as a gap.
 *
 * Optimisations of the paper: a message requested MulticastThreshold times (ZBCAST's
 * reply_limit) is retransmitted by multicast; a requester in another datacenter gets the
 * retransmission with a relay flag and re-multicasts it in its own datacenter; a message is not
 * retransmitted to the same member in consecutive rounds; solicitations go to the gossip
 * partner (or to the message's source); gossip may be limited to a partial view.
 *
 * Membership: a member bootstraps by sending JOIN to its seeds, then learns others from the
 * membership sample in each gossip. Each member's heartbeat is its round number; a member whose
 * heartbeat has not advanced for FailTimeout is considered failed and no longer chosen, and is
 * removed RemoveTimeout after its last heartbeat (unless it comes back with a newer one).
 *
 * The application is the orchestration: socket, rounds, traces and attributes. The state and its
 * rules are plain classes: pbcast::Membership (membership, failure detection, join, random
 * choices), pbcast::ReceiveWindow (digest, missing and requested messages, delivery, give-up)
 * and pbcast::Store (buffer, garbage collection, retransmission budget).
 *
 * Trace sources: Tx, Rx and Malformed (GossipApplication); Broadcast and Deliver (a message by
 * its id; Deliver only for other members' messages); GossipTx, GossipRx, Solicit, Retransmit,
 * Gc, GiveUp, Relay, LateSolicit.
 */
class PbcastApplication : public GossipApplication
{
  public:
    /// Where solicitations are sent.
    enum SolicitTarget
    {
        SOLICIT_PARTNER, //!< to the member whose gossip revealed the gap (Ensemble)
        SOLICIT_SOURCE   //!< to the message's origin when it is a live member
    };

    /// How a round's gossip targets are chosen.
    enum TargetSelection
    {
        TARGETS_FANOUT,    //!< exactly Fanout distinct members (Ensemble, the deployed protocol)
        TARGETS_PER_MEMBER //!< each member with probability Fanout/(n-1) (the analysis's model)
    };

    static TypeId GetTypeId();
    PbcastApplication();
    ~PbcastApplication() override;

    /// Members contacted with JOIN at start (node id and address; may include this node).
    void AddSeed(GossipSenderId id, Ipv4Address address, uint32_t datacenter = 0);

    /**
     * Multicast a payload to the group.
     * \return the message's sequence number (its id is (node id, seq)).
     */
    uint64_t Send(Ptr<Packet> payload);

    /// Called for each message delivered (payload, origin, seq); also for the member's own.
    typedef Callback<void, Ptr<const Packet>, GossipSenderId, uint64_t> DeliverCallback;
    void SetDeliverCallback(DeliverCallback cb);
    /// Called for each message given up (origin, seq): a gap in the stream.
    typedef Callback<void, GossipSenderId, uint64_t> GapCallback;
    void SetGapCallback(GapCallback cb);

    /**
     * A perturbed member (the paper's stability experiment): while asleep it drops what it
     * receives and skips its rounds, as a process that does not run.
     */
    void SetAsleep(bool asleep);
    /// Crash now (fail-stop): close the socket and stop all activity, until Recover.
    void Crash();
    /**
     * Come back after Crash as a restarted process: everything learnt (buffer, digest,
     * membership) is lost; configuration, seeds and the member's own message counter (as if
     * kept on disk: its id is its node's, so reusing numbers would make them duplicates) stay.
     * It joins through its seeds again, with a heartbeat above its previous incarnation's.
     */
    void Recover();
    bool IsAsleep() const;

    // ---- introspection (tests, statistics) ----
    GossipSenderId GetId() const;
    uint64_t GetRound() const;
    /// Messages currently buffered for retransmission.
    uint32_t GetBufferedMessages() const;
    /// Messages known to exist but not received yet.
    uint32_t GetMissingMessages() const;
    /// Known members (not failed), excluding this one.
    uint32_t GetLiveMembers() const;
    /// Known members, failed ones not yet removed included, excluding this one.
    uint32_t GetKnownMembers() const;
    /// The digest this member would gossip now.
    const GossipDigest& GetDigest() const;

    /// GossipTx and GossipRx: a GOSSIP datagram and the peer's id.
    typedef void (*PeerPacketTracedCallback)(Ptr<const Packet> p, GossipSenderId peer);
    /// Solicit: a SOLICIT sent to target, asking for count messages.
    typedef void (*SolicitTracedCallback)(GossipSenderId target, uint32_t count);
    /// Retransmit: a message, whether by multicast, and the member it went to (0xffffffff for a
    /// multicast).
    typedef void (*RetransmitTracedCallback)(const GossipMessageId& id,
                                             bool multicast,
                                             GossipSenderId destination);
    /// LateSolicit: the requester and the round the SOLICIT named (or, if timed, its send time
    /// in ns).
    typedef void (*LateSolicitTracedCallback)(GossipSenderId requester, uint64_t roundOrTime);

  protected:
    void DoDispose() override;

  private:
    void StartApplication() override;
    void StopApplication() override;

    void Round();
    void Receive(Ptr<Socket> socket);
    void HandleData(const PbcastHeader& h, Ptr<Packet> payload, Ipv4Address from);
    void HandleGossip(const PbcastHeader& h, Ipv4Address from);
    void HandleSolicit(const PbcastHeader& h, Ipv4Address from);
    void HandleJoin(const PbcastHeader& h, Ipv4Address from);

    /// Store a new message, update the window, deliver. \return false if it was not new.
    bool Accept(GossipSenderId origin, uint64_t seq, Time sent, Ptr<const Packet> payload);
    /// The window's delivery sink: trace and callback.
    void Deliver(GossipSenderId origin, uint64_t seq, Time sent, Ptr<const Packet> payload);
    /// The window's give-up sink: trace and gap callback.
    void GiveUp(GossipSenderId origin, uint64_t seq);
    /// A sender this member may seek messages of: a known member or one it received from.
    bool IsKnownSender(GossipSenderId id) const;
    void CheckFailures();
    /// Retransmit one stored message to a member (or by multicast). \return bytes charged.
    uint32_t Retransmit(const GossipMessageId& id,
                        pbcast::Store::Entry& s,
                        GossipSenderId dest,
                        Ipv4Address destAddr,
                        uint32_t destDc,
                        bool solicited);
    /// Serve a list of messages to a member within this round's byte budget.
    void Serve(const GossipDigest& wanted,
               GossipSenderId dest,
               Ipv4Address destAddr,
               uint32_t destDc,
               bool solicited);
    pbcast::MemberEntry SelfEntry() const;
    Ptr<Packet> MakeData(PbcastHeader::MessageType type,
                         const GossipMessageId& id,
                         const pbcast::Store::Entry& s,
                         uint8_t flags) const;

    // ---- attributes ----
    uint16_t m_port;
    Ipv4Address m_group;
    bool m_useMulticast;
    bool m_disseminate;
    uint32_t m_datacenter;
    Time m_roundInterval;
    uint32_t m_fanout;
    uint32_t m_stale;
    uint32_t m_maxRequests;
    uint32_t m_requestWait;
    bool m_alignRounds;
    uint32_t m_maxRetransmitBytes;
    uint32_t m_msgOverhead;
    uint32_t m_multicastThreshold;
    bool m_remoteMulticast;
    uint32_t m_wanRelays;
    bool m_push;
    SolicitTarget m_solicitTarget;
    TargetSelection m_targetSelection;
    uint32_t m_partialView;
    bool m_fifo;
    uint32_t m_membershipSample;
    Time m_failTimeout;
    Time m_removeTimeout;
    uint32_t m_firstContactWindow;
    uint32_t m_maxDigestIntervals;
    uint32_t m_joinReplyMax;

    // ---- state ----
    pbcast::Rng m_pick; //!< GetRandom()->GetInteger(0, n - 1)
    EventId m_roundEvent;
    GossipSenderId m_self{0};
    bool m_running{false};
    bool m_asleep{false};
    uint64_t m_round{0};
    uint64_t m_heartbeatBase{0}; //!< rounds elapsed before this incarnation started
    uint64_t m_nextSeq{0};

    pbcast::Membership m_membership;
    pbcast::ReceiveWindow m_window;
    pbcast::Store m_store; //!< buffer, garbage collection, retransmission byte budget

    DeliverCallback m_deliverCb;
    GapCallback m_gapCb;

    // ---- traces ----
    TracedCallback<const GossipMessageId&> m_broadcastTrace;
    TracedCallback<const GossipMessageId&> m_deliverTrace;
    TracedCallback<Ptr<const Packet>, GossipSenderId> m_gossipTxTrace;
    TracedCallback<Ptr<const Packet>, GossipSenderId> m_gossipRxTrace;
    TracedCallback<GossipSenderId, uint32_t> m_solicitTrace;
    TracedCallback<const GossipMessageId&, bool, GossipSenderId> m_retransmitTrace;
    TracedCallback<const GossipMessageId&> m_gcTrace;
    TracedCallback<const GossipMessageId&> m_giveUpTrace;
    TracedCallback<const GossipMessageId&> m_relayTrace;
    TracedCallback<GossipSenderId, uint64_t> m_lateSolicitTrace;
};

} // namespace ns3

#endif /* PBCAST_APPLICATION_H */
