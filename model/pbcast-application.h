/*
 * SPDX-License-Identifier: GPL-2.0-only
 */
#ifndef PBCAST_APPLICATION_H
#define PBCAST_APPLICATION_H

#include "ns3/application.h"
#include "ns3/event-id.h"
#include "ns3/gossip-digest.h"
#include "ns3/ipv4-address.h"
#include "ns3/nstime.h"
#include "ns3/packet.h"
#include "ns3/pbcast-header.h"
#include "ns3/pbcast-store.h"
#include "ns3/random-variable-stream.h"
#include "ns3/socket.h"
#include "ns3/traced-callback.h"

#include <deque>
#include <map>
#include <set>
#include <string>
#include <vector>

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
 */
class PbcastApplication : public Application
{
  public:
    /// Where solicitations are sent.
    enum SolicitTarget
    {
        SOLICIT_PARTNER, //!< to the member whose gossip revealed the gap (Ensemble)
        SOLICIT_SOURCE   //!< to the message's origin when it is a live member
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
    /// Crash now (fail-stop): close the socket and stop all activity for good.
    void Crash();
    bool IsAsleep() const;

    int64_t AssignStreams(int64_t stream);

    /**
     * Whether datagrams node sends to group can reach anyone: the node needs a multicast route
     * (default or for the group) and, if its first hop is a router on a point-to-point link,
     * that router a route for the group (DatacenterTopologyHelper::EnableMulticast).
     * \return "" if so, else what is missing.
     */
    static std::string CheckMulticastRoute(Ptr<Node> node, Ipv4Address group);

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
    uint64_t GetMalformedPackets() const;

    typedef void (*DeliverTracedCallback)(GossipSenderId origin, uint64_t seq, Time latency);
    typedef void (*MessageTracedCallback)(GossipSenderId origin, uint64_t seq);
    typedef void (*SendTracedCallback)(uint64_t seq, uint32_t copies);
    typedef void (*PeerPacketTracedCallback)(Ptr<const Packet> p, GossipSenderId peer);
    typedef void (*SolicitTracedCallback)(GossipSenderId target, uint32_t count);
    typedef void (*RetransmitTracedCallback)(GossipSenderId origin,
                                             uint64_t seq,
                                             bool multicast,
                                             GossipSenderId dest);
    typedef void (*MalformedTracedCallback)(Ptr<const Packet> p, const Address& from);

  protected:
    void DoDispose() override;

  private:
    void StartApplication() override;
    void StopApplication() override;

    typedef PbcastStore::Entry Stored;

    struct Member
    {
        Ipv4Address address;
        uint32_t datacenter{0};
        uint64_t heartbeat{0};
        Time updated;
        bool failed{false};
    };

    void Round();
    void Receive(Ptr<Socket> socket);
    void HandleData(const PbcastHeader& h, Ptr<Packet> payload, Ipv4Address from);
    void HandleGossip(const PbcastHeader& h, Ipv4Address from);
    void HandleSolicit(const PbcastHeader& h, Ipv4Address from);
    void HandleJoin(const PbcastHeader& h, Ipv4Address from);

    /// Store a new message, update the digest, deliver. \return false if it was a duplicate.
    bool Accept(GossipSenderId origin, uint64_t seq, Time sent, Ptr<const Packet> payload);
    void Deliver(GossipSenderId origin, uint64_t seq, Time sent, Ptr<const Packet> payload);
    /**
     * Note [from, to] of origin as missing, most recent first, at most budget new entries.
     * \return the entries added.
     */
    uint32_t NoteMissing(GossipSenderId origin, uint64_t from, uint64_t to, uint32_t budget);
    /// A sender this member may seek messages of: a known member or one it received from.
    bool IsKnownSender(GossipSenderId id) const;
    /// Whether address is a known member of another datacenter (relays are taken only from them).
    bool IsRemoteMember(Ipv4Address address) const;
    /// Drop all state about a sender (its window was only ever learnt from peers).
    void ForgetSender(GossipSenderId origin);
    void GiveUp(GossipSenderId origin, uint64_t seq);
    void AdvanceFloor(GossipSenderId origin);
    void FlushFifo(GossipSenderId origin);
    /// Retransmit one stored message to a member (or by multicast). \return bytes charged.
    uint32_t Retransmit(const GossipMessageId& id,
                        Stored& s,
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

    void MergeMembers(const std::vector<PbcastMemberEntry>& entries);
    void HeardFrom(GossipSenderId id, Ipv4Address address, uint32_t dc, uint64_t heartbeat);
    void CheckFailures();
    const std::vector<GossipSenderId>& LiveIds();
    std::vector<GossipSenderId> PickTargets(uint32_t n);
    std::vector<PbcastMemberEntry> MembershipSample(uint32_t n);
    PbcastMemberEntry SelfEntry() const;

    void SendTo(Ptr<Packet> p, Ipv4Address to);
    void SendMulticast(Ptr<Packet> p);
    Ptr<Packet> MakeData(PbcastHeader::MessageType type,
                         const GossipMessageId& id,
                         const Stored& s,
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
    uint32_t m_maxRetransmitBytes;
    uint32_t m_msgOverhead;
    uint32_t m_multicastThreshold;
    bool m_remoteMulticast;
    uint32_t m_wanRelays;
    bool m_push;
    SolicitTarget m_solicitTarget;
    uint32_t m_partialView;
    bool m_fifo;
    uint32_t m_membershipSample;
    Time m_failTimeout;
    Time m_removeTimeout;
    uint32_t m_firstContactWindow;
    uint32_t m_maxDigestIntervals;
    uint32_t m_joinReplyMax;

    // ---- state ----
    Ptr<Socket> m_socket;
    Ptr<UniformRandomVariable> m_rng;
    EventId m_roundEvent;
    GossipSenderId m_self{0};
    Ipv4Address m_address;
    bool m_running{false};
    bool m_asleep{false};
    bool m_joined{false};
    uint64_t m_round{0};
    uint64_t m_nextSeq{0};
    std::vector<std::pair<GossipSenderId, std::pair<Ipv4Address, uint32_t>>> m_seeds;

    GossipDigest m_known; //!< received or given up, at or above each sender's floor
    PbcastStore m_store;  //!< buffer, garbage collection, retransmission byte budget
    std::map<GossipMessageId, uint64_t> m_missing;    //!< -> round first noticed
    std::map<GossipMessageId, uint64_t> m_requested;  //!< -> round last requested
    std::map<GossipSenderId, uint64_t> m_nextDeliver; //!< FIFO: next seq to deliver
    std::set<GossipSenderId> m_anchored; //!< senders a message was actually received from
    std::map<GossipMessageId, std::pair<Time, Ptr<const Packet>>> m_fifoPending;
    std::deque<std::pair<uint64_t, GossipMessageId>> m_missingQueue; //!< (noticed round, id)

    std::map<GossipSenderId, Member> m_members;
    /// Removed members: heartbeat at removal and when, so stale gossip does not revive them.
    std::map<GossipSenderId, std::pair<uint64_t, Time>> m_removed;
    std::vector<GossipSenderId> m_liveIds;
    const std::vector<GossipSenderId> m_noMembers{};
    uint32_t m_liveRemote{0}; //!< live members in other datacenters (with m_liveIds)
    bool m_liveDirty{true};
    std::vector<GossipSenderId> m_view; //!< partial view (PartialView > 0)
    uint64_t m_malformed{0};

    DeliverCallback m_deliverCb;
    GapCallback m_gapCb;

    // ---- traces ----
    TracedCallback<GossipSenderId, uint64_t, Time> m_deliverTrace;
    TracedCallback<uint64_t, uint32_t> m_sendTrace;
    TracedCallback<Ptr<const Packet>, GossipSenderId> m_gossipTxTrace;
    TracedCallback<Ptr<const Packet>, GossipSenderId> m_gossipRxTrace;
    TracedCallback<GossipSenderId, uint32_t> m_solicitTrace;
    TracedCallback<GossipSenderId, uint64_t, bool, GossipSenderId> m_retransmitTrace;
    TracedCallback<GossipSenderId, uint64_t> m_gcTrace;
    TracedCallback<GossipSenderId, uint64_t> m_giveUpTrace;
    TracedCallback<GossipSenderId, uint64_t> m_relayTrace;
    TracedCallback<GossipSenderId, uint64_t> m_lateSolicitTrace;
    TracedCallback<Ptr<const Packet>, const Address&> m_malformedTrace;
    TracedCallback<Ptr<const Packet>> m_txTrace;
};

} // namespace ns3

#endif /* PBCAST_APPLICATION_H */
