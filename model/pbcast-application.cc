/*
 * SPDX-License-Identifier: GPL-2.0-only
 */
#include "pbcast-application.h"

#include "gossip-ns3-compat.h"

#include "ns3/abort.h"
#include "ns3/boolean.h"
#include "ns3/enum.h"
#include "ns3/log.h"
#include "ns3/node.h"
#include "ns3/simulator.h"
#include "ns3/trace-source-accessor.h"
#include "ns3/uinteger.h"

#include <map>
#include <set>
#include <vector>

namespace ns3
{

NS_LOG_COMPONENT_DEFINE("PbcastApplication");
NS_OBJECT_ENSURE_REGISTERED(PbcastApplication);

namespace
{
/// Destination id used in traces for a multicast copy.
const GossipSenderId kMulticastDest = 0xffffffffU;
} // namespace

TypeId
PbcastApplication::GetTypeId()
{
    static TypeId tid =
        TypeId("ns3::PbcastApplication")
            .SetParent<GossipApplication>()
            .SetGroupName("Gossip")
            .AddConstructor<PbcastApplication>()
            .AddAttribute("Port",
                          "UDP port of the group (unicast and multicast).",
                          UintegerValue(7946),
                          MakeUintegerAccessor(&PbcastApplication::m_port),
                          MakeUintegerChecker<uint16_t>(1, 65535))
            .AddAttribute("Group",
                          "IP multicast group of phase 1 (224.0.0.0/4).",
                          Ipv4AddressValue(Ipv4Address("239.255.0.1")),
                          MakeIpv4AddressAccessor(&PbcastApplication::m_group),
                          MakeIpv4AddressChecker())
            .AddAttribute("UseMulticast",
                          "Phase 1 and multicast retransmissions by IP multicast inside the "
                          "datacenter; false: 1:1 UDP unicast to every known member.",
                          BooleanValue(true),
                          MakeBooleanAccessor(&PbcastApplication::m_useMulticast),
                          MakeBooleanChecker())
            .AddAttribute("Disseminate",
                          "Do phase 1 at all (Ensemble pbcast_disseminate = true); false: "
                          "messages spread by gossip alone.",
                          BooleanValue(true),
                          MakeBooleanAccessor(&PbcastApplication::m_disseminate),
                          MakeBooleanChecker())
            .AddAttribute("Datacenter",
                          "Index of this member's datacenter (multicast reaches only its own).",
                          UintegerValue(0),
                          MakeUintegerAccessor(&PbcastApplication::m_datacenter),
                          MakeUintegerChecker<uint32_t>(0, 1000000))
            .AddAttribute("RoundInterval",
                          "Length of a gossip round (Ensemble pbcast_sweep = 0.1 s).",
                          TimeValue(MilliSeconds(100)),
                          MakeTimeAccessor(&PbcastApplication::m_roundInterval),
                          MakeTimeChecker(MicroSeconds(100), Seconds(3600)))
            .AddAttribute("Fanout",
                          "Gossip destinations per round (Ensemble pbcast_fanout = 1).",
                          UintegerValue(1),
                          MakeUintegerAccessor(&PbcastApplication::m_fanout),
                          MakeUintegerChecker<uint32_t>(1, 1000))
            .AddAttribute("Stale",
                          "Rounds a message stays buffered before garbage collection, and rounds "
                          "a missing message is sought before it is given up (Ensemble "
                          "pbcast_stale = 20).",
                          UintegerValue(20),
                          MakeUintegerAccessor(&PbcastApplication::m_stale),
                          MakeUintegerChecker<uint32_t>(1, 100000))
            .AddAttribute("MaxRequests",
                          "Messages requested per gossip received, most recent first (Ensemble "
                          "pbcast_reql = 100).",
                          UintegerValue(100),
                          MakeUintegerAccessor(&PbcastApplication::m_maxRequests),
                          MakeUintegerChecker<uint32_t>(1, 10000))
            .AddAttribute("RequestWait",
                          "Rounds before the same message may be requested again (Ensemble "
                          "pbcast_wait = 2). 0: every gossip that advertises a missing "
                          "message is answered with a request, also within one round (each "
                          "contact an independent attempt, as the analysis assumes).",
                          UintegerValue(2),
                          MakeUintegerAccessor(&PbcastApplication::m_requestWait),
                          MakeUintegerChecker<uint32_t>(0, 1000))
            .AddAttribute("AlignRounds",
                          "true: every member's rounds fall on multiples of RoundInterval "
                          "(synchronous rounds, as in the paper's analysis); false: a random "
                          "phase per member, as deployed.",
                          BooleanValue(false),
                          MakeBooleanAccessor(&PbcastApplication::m_alignRounds),
                          MakeBooleanChecker())
            .AddAttribute("MaxRetransmitBytes",
                          "Retransmission bytes per round, each message charged its payload "
                          "plus MessageOverhead (Ensemble pbcast_max_entropy = 30000).",
                          UintegerValue(30000),
                          MakeUintegerAccessor(&PbcastApplication::m_maxRetransmitBytes),
                          MakeUintegerChecker<uint32_t>(1, 100000000))
            .AddAttribute("MessageOverhead",
                          "Bytes charged per retransmitted message on top of its payload "
                          "(Ensemble msg_overhead = 100).",
                          UintegerValue(100),
                          MakeUintegerAccessor(&PbcastApplication::m_msgOverhead),
                          MakeUintegerChecker<uint32_t>(0, 65535))
            .AddAttribute("MulticastThreshold",
                          "Requests for one message after which it is retransmitted by "
                          "multicast (ZBCAST reply_limit = 6); 0 disables.",
                          UintegerValue(6),
                          MakeUintegerAccessor(&PbcastApplication::m_multicastThreshold),
                          MakeUintegerChecker<uint32_t>(0, 100000))
            .AddAttribute("RemoteMulticast",
                          "A retransmission to a member of another datacenter asks it to "
                          "re-multicast the message in its datacenter.",
                          BooleanValue(true),
                          MakeBooleanAccessor(&PbcastApplication::m_remoteMulticast),
                          MakeBooleanChecker())
            .AddAttribute("WanRelays",
                          "Phase 1 to another datacenter: 0 sends 1:1 to each of its members; k "
                          "> 0 sends to k random members there, which re-multicast it locally "
                          "(needs UseMulticast).",
                          UintegerValue(0),
                          MakeUintegerAccessor(&PbcastApplication::m_wanRelays),
                          MakeUintegerChecker<uint32_t>(0, 1000))
            .AddAttribute("Push",
                          "On a gossip, also send the gossiper what it lacks (\"I have M that "
                          "you lack\"); false: pull only, as Ensemble.",
                          BooleanValue(true),
                          MakeBooleanAccessor(&PbcastApplication::m_push),
                          MakeBooleanChecker())
            .AddAttribute("SolicitTarget",
                          "Where solicitations go: the gossip partner or the message's source.",
                          EnumValue(SOLICIT_PARTNER),
                          gossip::compat::MakeEnumAccessor(&PbcastApplication::m_solicitTarget),
                          MakeEnumChecker(SOLICIT_PARTNER, "Partner", SOLICIT_SOURCE, "Source"))
            .AddAttribute(
                "TargetSelection",
                "Fanout: exactly Fanout distinct members a round (the protocol); "
                "PerMember: each member independently with probability "
                "Fanout/(n-1), Fanout on average (the paper's analytical model).",
                EnumValue(TARGETS_FANOUT),
                gossip::compat::MakeEnumAccessor(&PbcastApplication::m_targetSelection),
                MakeEnumChecker(TARGETS_FANOUT, "Fanout", TARGETS_PER_MEMBER, "PerMember"))
            .AddAttribute("PartialView",
                          "Gossip only within a random partial view of this many members; 0: "
                          "the whole known membership.",
                          UintegerValue(0),
                          MakeUintegerAccessor(&PbcastApplication::m_partialView),
                          MakeUintegerChecker<uint32_t>(0, 1000000))
            .AddAttribute("FifoDelivery",
                          "Deliver each sender's messages in order; gaps are skipped when "
                          "given up.",
                          BooleanValue(false),
                          MakeBooleanAccessor(&PbcastApplication::m_fifo),
                          MakeBooleanChecker())
            .AddAttribute("MembershipSample",
                          "Membership entries carried by each gossip (including the sender's).",
                          UintegerValue(16),
                          MakeUintegerAccessor(&PbcastApplication::m_membershipSample),
                          MakeUintegerChecker<uint32_t>(1, 1000))
            .AddAttribute("FailTimeout",
                          "A member whose heartbeat has not advanced for this long is failed.",
                          TimeValue(Seconds(10)),
                          MakeTimeAccessor(&PbcastApplication::m_failTimeout),
                          MakeTimeChecker(MilliSeconds(1), Seconds(1000000)))
            .AddAttribute("RemoveTimeout",
                          "A member whose heartbeat has not advanced for this long is removed "
                          "from the membership (it was failed since FailTimeout); 0: twice "
                          "FailTimeout.",
                          TimeValue(Seconds(0)),
                          MakeTimeAccessor(&PbcastApplication::m_removeTimeout),
                          MakeTimeChecker(Seconds(0), Seconds(1000000)))
            .AddAttribute("FirstContactWindow",
                          "On the first message heard from a sender, the lower sequence numbers "
                          "within this window are treated as missing (older ones are history "
                          "from before this member joined).",
                          UintegerValue(100),
                          MakeUintegerAccessor(&PbcastApplication::m_firstContactWindow),
                          MakeUintegerChecker<uint32_t>(0, 1000000))
            .AddAttribute("MaxDigestIntervals",
                          "Intervals per sender in a gossip digest (oldest dropped first).",
                          UintegerValue(64),
                          MakeUintegerAccessor(&PbcastApplication::m_maxDigestIntervals),
                          MakeUintegerChecker<uint32_t>(1, 10000))
            .AddAttribute("JoinReplyMax",
                          "Membership entries a seed returns to a joining member.",
                          UintegerValue(100),
                          MakeUintegerAccessor(&PbcastApplication::m_joinReplyMax),
                          MakeUintegerChecker<uint32_t>(1, PbcastHeader::MAX_MEMBERS))
            .AddTraceSource("Broadcast",
                            "Phase 1 of an own message was sent (its id).",
                            MakeTraceSourceAccessor(&PbcastApplication::m_broadcastTrace),
                            "ns3::GossipApplication::MessageTracedCallback")
            .AddTraceSource("Deliver",
                            "A message from another member was delivered (its id).",
                            MakeTraceSourceAccessor(&PbcastApplication::m_deliverTrace),
                            "ns3::GossipApplication::MessageTracedCallback")
            .AddTraceSource("GossipTx",
                            "A gossip digest was sent (packet, destination).",
                            MakeTraceSourceAccessor(&PbcastApplication::m_gossipTxTrace),
                            "ns3::PbcastApplication::PeerPacketTracedCallback")
            .AddTraceSource("GossipRx",
                            "A gossip digest was received (packet, gossiper).",
                            MakeTraceSourceAccessor(&PbcastApplication::m_gossipRxTrace),
                            "ns3::PbcastApplication::PeerPacketTracedCallback")
            .AddTraceSource("Solicit",
                            "Missing messages were requested (target, count).",
                            MakeTraceSourceAccessor(&PbcastApplication::m_solicitTrace),
                            "ns3::PbcastApplication::SolicitTracedCallback")
            .AddTraceSource("Retransmit",
                            "A message was retransmitted (id, multicast, destination; "
                            "destination 0xffffffff for multicast).",
                            MakeTraceSourceAccessor(&PbcastApplication::m_retransmitTrace),
                            "ns3::PbcastApplication::RetransmitTracedCallback")
            .AddTraceSource("Gc",
                            "A buffered message was garbage collected (its id).",
                            MakeTraceSourceAccessor(&PbcastApplication::m_gcTrace),
                            "ns3::GossipApplication::MessageTracedCallback")
            .AddTraceSource("GiveUp",
                            "A missing message was given up: a gap (its id).",
                            MakeTraceSourceAccessor(&PbcastApplication::m_giveUpTrace),
                            "ns3::GossipApplication::MessageTracedCallback")
            .AddTraceSource("Relay",
                            "A retransmission from another datacenter was re-multicast here "
                            "(its id).",
                            MakeTraceSourceAccessor(&PbcastApplication::m_relayTrace),
                            "ns3::GossipApplication::MessageTracedCallback")
            .AddTraceSource("LateSolicit",
                            "A late solicitation was dropped: it named another round, or its "
                            "send time is more than a round interval ago (requester, round "
                            "or send time in ns).",
                            MakeTraceSourceAccessor(&PbcastApplication::m_lateSolicitTrace),
                            "ns3::PbcastApplication::LateSolicitTracedCallback");
    return tid;
}

PbcastApplication::PbcastApplication()
{
    NS_LOG_FUNCTION(this);
    // Every draw of the membership goes through the application's random variable, with the
    // arguments the application always used.
    Ptr<UniformRandomVariable> rng = GetRandom();
    m_pick = [rng](uint32_t n) { return rng->GetInteger(0, n - 1); };
}

PbcastApplication::~PbcastApplication() = default;

void
PbcastApplication::DoDispose()
{
    NS_LOG_FUNCTION(this);
    m_store.Clear();
    m_window.Clear();
    m_deliverCb = DeliverCallback();
    m_gapCb = GapCallback();
    GossipApplication::DoDispose();
}

void
PbcastApplication::AddSeed(GossipSenderId id, Ipv4Address address, uint32_t datacenter)
{
    NS_LOG_FUNCTION(this << id << address << datacenter);
    m_membership.AddSeed(id, address, datacenter);
}

void
PbcastApplication::SetDeliverCallback(DeliverCallback cb)
{
    NS_LOG_FUNCTION(this);
    m_deliverCb = cb;
}

void
PbcastApplication::SetGapCallback(GapCallback cb)
{
    NS_LOG_FUNCTION(this);
    m_gapCb = cb;
}

void
PbcastApplication::SetAsleep(bool asleep)
{
    NS_LOG_FUNCTION(this << asleep);
    m_asleep = asleep;
}

void
PbcastApplication::Crash()
{
    NS_LOG_FUNCTION(this);
    StopApplication();
}

void
PbcastApplication::Recover()
{
    NS_LOG_FUNCTION(this);
    NS_ABORT_MSG_IF(m_running, "PbcastApplication::Recover on node " << m_self << " while running");
    m_store.Clear();
    m_window.Clear();
    m_membership.Reset();
    m_round = 0;
    StartApplication();
}

bool
PbcastApplication::IsAsleep() const
{
    NS_LOG_FUNCTION(this);
    return m_asleep;
}

GossipSenderId
PbcastApplication::GetId() const
{
    NS_LOG_FUNCTION(this);
    return m_self;
}

uint64_t
PbcastApplication::GetRound() const
{
    NS_LOG_FUNCTION(this);
    return m_round;
}

uint32_t
PbcastApplication::GetBufferedMessages() const
{
    NS_LOG_FUNCTION(this);
    return m_store.GetSize();
}

uint32_t
PbcastApplication::GetMissingMessages() const
{
    NS_LOG_FUNCTION(this);
    return m_window.GetMissingCount();
}

uint32_t
PbcastApplication::GetLiveMembers() const
{
    NS_LOG_FUNCTION(this);
    return m_membership.GetLiveCount();
}

uint32_t
PbcastApplication::GetKnownMembers() const
{
    NS_LOG_FUNCTION(this);
    return m_membership.GetKnownCount();
}

const GossipDigest&
PbcastApplication::GetDigest() const
{
    NS_LOG_FUNCTION(this);
    return m_window.GetKnown();
}

void
PbcastApplication::StartApplication()
{
    NS_LOG_FUNCTION(this);
    NS_ABORT_MSG_IF(m_useMulticast && !m_group.IsMulticast(),
                    "PbcastApplication: Group " << m_group
                                                << " is not an IPv4 multicast address "
                                                   "(224.0.0.0/4); set UseMulticast=false "
                                                   "to run without multicast");
    NS_ABORT_MSG_IF(m_failTimeout <= m_roundInterval,
                    "PbcastApplication: FailTimeout (" << m_failTimeout.As(Time::S)
                                                       << ") must exceed RoundInterval ("
                                                       << m_roundInterval.As(Time::S) << ")");
    if (m_removeTimeout.IsZero())
    {
        m_removeTimeout = 2 * m_failTimeout;
    }
    NS_ABORT_MSG_IF(m_removeTimeout <= m_failTimeout,
                    "PbcastApplication: RemoveTimeout ("
                        << m_removeTimeout.As(Time::S) << ") must exceed FailTimeout ("
                        << m_failTimeout.As(Time::S) << "), or be 0 for twice FailTimeout");
    m_self = GetNode()->GetId();
    ResolveLocalAddress();
    m_membership.Configure(m_self, m_datacenter, m_partialView, m_failTimeout, m_removeTimeout);
    m_window.Configure(
        m_self,
        m_fifo,
        m_firstContactWindow,
        [this](GossipSenderId o, uint64_t s, Time sent, Ptr<const Packet> p) {
            Deliver(o, s, sent, p);
        },
        [this](GossipSenderId o, uint64_t s) { GiveUp(o, s); });
    OpenSocket(m_port, MakeCallback(&PbcastApplication::Receive, this));
    m_running = true;
    // Heartbeats count rounds since time 0, so a restarted member's exceed its previous
    // incarnation's and the others take it back at once (members started at 0: the round).
    m_heartbeatBase = Simulator::Now().GetNanoSeconds() / m_roundInterval.GetNanoSeconds();
    m_membership.Start(Simulator::Now());
    // Unsynchronised rounds: each member starts at its own random offset; aligned ones all
    // start at the next multiple of RoundInterval (the analysis's synchronous rounds).
    const int64_t r = m_roundInterval.GetNanoSeconds();
    Time first = m_alignRounds ? NanoSeconds(r - Simulator::Now().GetNanoSeconds() % r)
                               : Seconds(GetRandom()->GetValue(0, m_roundInterval.GetSeconds()));
    m_roundEvent = Simulator::Schedule(first, &PbcastApplication::Round, this);
}

void
PbcastApplication::StopApplication()
{
    NS_LOG_FUNCTION(this);
    m_running = false;
    m_roundEvent.Cancel();
    CloseSocket();
}

// ---------------------------------------------------------------- sending

Ptr<Packet>
PbcastApplication::MakeData(PbcastHeader::MessageType type,
                            const GossipMessageId& id,
                            const pbcast::Store::Entry& s,
                            uint8_t flags) const
{
    Ptr<Packet> p = s.payload->Copy();
    PbcastHeader h;
    h.SetType(type);
    h.SetFlags(flags);
    h.SetMessage(id.sender, id.seq, s.sent);
    p->AddHeader(h);
    return p;
}

uint64_t
PbcastApplication::Send(Ptr<Packet> payload)
{
    NS_LOG_FUNCTION(this << payload);
    NS_ABORT_MSG_IF(!m_running,
                    "PbcastApplication::Send on node " << m_self << " while not running");
    uint64_t seq = m_nextSeq++;
    GossipMessageId id{m_self, seq};
    pbcast::Store::Entry& s = m_store.Add(id, payload->Copy(), Simulator::Now(), m_round);
    m_window.AddOwn(seq);
    if (!m_deliverCb.IsNull())
    {
        m_deliverCb(s.payload, m_self, seq);
    }
    uint32_t copies = 0;
    if (!m_disseminate)
    {
        m_broadcastTrace(id);
        return seq;
    }
    if (m_useMulticast)
    {
        SendTo(MakeData(PbcastHeader::DATA, id, s, PbcastHeader::FLAG_MULTICAST), m_group, m_port);
        ++copies;
    }
    static const std::vector<GossipSenderId> noMembers;
    std::map<uint32_t, std::vector<GossipSenderId>> remote; // datacenter -> live members
    const std::vector<GossipSenderId>& live = m_membership.LiveIds();
    // With multicast, only remote members need a look: skip the scan in one datacenter.
    for (GossipSenderId m :
         (m_useMulticast && m_membership.GetLiveRemote() == 0) ? noMembers : live)
    {
        const pbcast::Membership::Member mem = *m_membership.Find(m);
        if (!m_useMulticast)
        {
            SendTo(MakeData(PbcastHeader::DATA, id, s, 0), mem.address, m_port);
            ++copies;
        }
        else if (mem.datacenter != m_datacenter)
        {
            remote[mem.datacenter].push_back(m);
        }
    }
    for (auto& kv : remote)
    {
        std::vector<GossipSenderId>& ids = kv.second;
        if (m_wanRelays == 0 || m_wanRelays >= ids.size())
        {
            uint8_t flags = m_wanRelays ? PbcastHeader::FLAG_RELAY : 0;
            for (GossipSenderId m : ids)
            {
                SendTo(MakeData(PbcastHeader::DATA, id, s, flags),
                       m_membership.GetAddress(m),
                       m_port);
                ++copies;
            }
            continue;
        }
        // k random relays, each re-multicasting in its datacenter. The draw has a non-zero
        // lower bound, so it stays here rather than going through the membership's Rng.
        for (uint32_t k = 0; k < m_wanRelays; ++k)
        {
            uint32_t j = GetRandom()->GetInteger(k, ids.size() - 1);
            std::swap(ids[k], ids[j]);
            SendTo(MakeData(PbcastHeader::DATA, id, s, PbcastHeader::FLAG_RELAY),
                   m_membership.GetAddress(ids[k]),
                   m_port);
            ++copies;
        }
    }
    NS_LOG_INFO("node " << m_self << " broadcast " << seq << " copies " << copies);
    m_broadcastTrace(id);
    return seq;
}

// ---------------------------------------------------------------- rounds

void
PbcastApplication::Round()
{
    m_roundEvent = Simulator::Schedule(m_roundInterval, &PbcastApplication::Round, this);
    if (m_asleep)
    {
        return;
    }
    ++m_round;
    m_store.NewRound();

    // Garbage collection: Stale rounds after a message was stored.
    std::set<GossipSenderId> touched;
    for (const GossipMessageId& id : m_store.Collect(m_round, m_stale))
    {
        m_gcTrace(id);
        touched.insert(id.sender);
    }
    // Give up messages still missing Stale rounds after they were noticed.
    m_window.ExpireMissing(m_round, m_stale, touched);
    for (GossipSenderId s : touched)
    {
        uint64_t lowest = 0;
        bool stored = m_store.GetLowest(s, lowest);
        m_window.AdvanceFloor(s, stored, lowest);
    }
    if (m_round % 10 == 0)
    {
        CheckFailures();
        m_window.PruneRequested(m_round, m_requestWait);
    }

    if (!m_membership.IsJoined())
    {
        PbcastHeader j;
        j.SetType(PbcastHeader::JOIN);
        j.SetSource(m_self, m_datacenter);
        j.SetMembers({SelfEntry()});
        for (Ipv4Address seed : m_membership.GetSeedAddresses())
        {
            Ptr<Packet> p = Create<Packet>();
            p->AddHeader(j);
            SendTo(p, seed, m_port);
        }
    }

    std::vector<GossipSenderId> targets =
        m_targetSelection == TARGETS_PER_MEMBER
            ? m_membership.PickEach(m_fanout, [this]() { return GetRandom()->GetValue(); })
            : m_membership.PickTargets(m_fanout, m_pick);
    if (targets.empty())
    {
        return;
    }
    GossipDigest digest = m_window.GetKnown();
    digest.TruncateOldest(m_maxDigestIntervals);
    PbcastHeader g;
    g.SetType(PbcastHeader::GOSSIP);
    g.SetSource(m_self, m_datacenter);
    g.SetRound(m_round);
    g.SetDigest(digest);
    g.SetMembers(m_membership.Sample(m_membershipSample, SelfEntry(), m_pick));
    for (GossipSenderId t : targets)
    {
        Ptr<Packet> p = Create<Packet>();
        p->AddHeader(g);
        m_gossipTxTrace(p, t);
        SendTo(p, m_membership.GetAddress(t), m_port);
    }
}

void
PbcastApplication::CheckFailures()
{
    for (const auto& e : m_membership.CheckFailures(Simulator::Now()))
    {
        NS_LOG_INFO("node " << m_self << (e.removed ? " removes " : " suspects ") << e.id);
    }
}

// ---------------------------------------------------------------- receiving

void
PbcastApplication::Receive(Ptr<Socket> /* socket */)
{
    Ipv4Address from;
    Ptr<Packet> p;
    while ((p = ReceiveFrom(from)))
    {
        if (!m_running || m_asleep)
        {
            continue; // a sleeping process does not read its socket
        }
        PbcastHeader h;
        if (p->GetSize() < 3)
        {
            NotifyMalformed(p, from, "pbcast: shorter than the 3-byte header");
            continue;
        }
        uint32_t n = p->PeekHeader(h);
        if (n == 0)
        {
            NotifyMalformed(p, from, h.GetError());
            continue;
        }
        Ptr<Packet> packet = p->Copy();
        packet->RemoveAtStart(n);
        switch (h.GetType())
        {
        case PbcastHeader::DATA:
        case PbcastHeader::RETRANS:
            HandleData(h, packet, from);
            break;
        case PbcastHeader::GOSSIP:
            m_gossipRxTrace(p, h.GetSource());
            HandleGossip(h, from);
            break;
        case PbcastHeader::SOLICIT:
            HandleSolicit(h, from);
            break;
        case PbcastHeader::JOIN:
            HandleJoin(h, from);
            break;
        }
    }
}

void
PbcastApplication::HandleData(const PbcastHeader& h, Ptr<Packet> payload, Ipv4Address from)
{
    GossipMessageId id{h.GetOrigin(), h.GetSeq()};
    bool multicast = h.GetFlags() & PbcastHeader::FLAG_MULTICAST;
    if (!Accept(id.sender, id.seq, h.GetSendTime(), payload))
    {
        pbcast::Store::Entry* e = m_store.Find(id);
        if (multicast && h.GetType() == PbcastHeader::RETRANS && e)
        {
            e->requests = 0; // someone else multicast it (ZBCAST)
        }
        return;
    }
    if ((h.GetFlags() & PbcastHeader::FLAG_RELAY) && m_useMulticast && m_membership.IsRemote(from))
    {
        // From a remote datacenter (a phase-1 relay or a retransmission): others here likely
        // lack it too, and multicast does not cross the WAN. It is a retransmission like any
        // other, so it is paid from the round's byte budget.
        pbcast::Store::Entry& s = *m_store.Find(id); // just accepted
        uint32_t cost = s.payload->GetSize() + m_msgOverhead;
        if (!m_store.Fits(cost, m_maxRetransmitBytes))
        {
            return;
        }
        m_store.Charge(cost);
        s.lastMulticastRound = m_round;
        SendTo(MakeData(PbcastHeader::RETRANS, id, s, PbcastHeader::FLAG_MULTICAST),
               m_group,
               m_port);
        m_retransmitTrace(id, true, kMulticastDest);
        m_relayTrace(id);
    }
}

bool
PbcastApplication::Accept(GossipSenderId origin, uint64_t seq, Time sent, Ptr<const Packet> payload)
{
    if (!m_window.Admit(origin, seq, m_round))
    {
        return false;
    }
    m_store.Add({origin, seq}, payload, sent, m_round);
    m_window.Release(origin, seq, sent, payload);
    return true;
}

void
PbcastApplication::Deliver(GossipSenderId origin, uint64_t seq, Time sent, Ptr<const Packet> p)
{
    NS_LOG_INFO("node " << m_self << " delivers " << origin << ":" << seq << " after "
                        << (Simulator::Now() - sent).As(Time::MS));
    m_deliverTrace(GossipMessageId{origin, seq});
    if (!m_deliverCb.IsNull())
    {
        m_deliverCb(p, origin, seq);
    }
}

void
PbcastApplication::GiveUp(GossipSenderId origin, uint64_t seq)
{
    NS_LOG_INFO("node " << m_self << " gives up " << origin << ":" << seq);
    m_giveUpTrace(GossipMessageId{origin, seq});
    if (!m_gapCb.IsNull())
    {
        m_gapCb(origin, seq);
    }
}

bool
PbcastApplication::IsKnownSender(GossipSenderId id) const
{
    NS_LOG_FUNCTION(this);
    return m_membership.Contains(id) || m_window.IsAnchored(id);
}

void
PbcastApplication::HandleGossip(const PbcastHeader& h, Ipv4Address from)
{
    m_membership.SetJoined();
    GossipSenderId peer = h.GetSource();
    if (peer == m_self)
    {
        return;
    }
    const GossipDigest& theirs = h.GetDigest();
    auto known = [this](GossipSenderId id) { return IsKnownSender(id); };
    // A digest is a peer's claim, not evidence: only senders already known are sought (the
    // membership sample of this very gossip does not vouch for its digest, so it is merged
    // only after), at most MaxRequests new missing entries per gossip (ReceiveWindow).
    m_window.NoteAdvertised(theirs, m_maxRequests, m_round, known);
    m_membership.Merge(h.GetMembers(), Simulator::Now());
    std::map<GossipSenderId, GossipDigest> wantBy; // by solicitation target
    for (const GossipMessageId& id :
         m_window.SelectRequests(theirs, m_maxRequests, m_requestWait, m_round, known))
    {
        GossipSenderId target = peer;
        if (m_solicitTarget == SOLICIT_SOURCE && m_membership.IsLive(id.sender))
        {
            target = id.sender;
        }
        wantBy[target].Add(id.sender, id.seq);
    }
    for (auto& kv : wantBy)
    {
        PbcastHeader s;
        s.SetType(PbcastHeader::SOLICIT);
        s.SetSource(m_self, m_datacenter);
        // A solicitation to the partner names its round; one to a source (whose rounds the
        // requester does not know) carries its send time, so the source can tell a late one.
        if (kv.first == peer)
        {
            s.SetRound(h.GetRound());
        }
        else
        {
            s.SetFlags(PbcastHeader::FLAG_TIMED);
            s.SetRound(Simulator::Now().GetNanoSeconds());
        }
        s.SetDigest(kv.second);
        Ptr<Packet> p = Create<Packet>();
        p->AddHeader(s);
        m_solicitTrace(kv.first, kv.second.GetCount());
        SendTo(p, kv.first == peer ? from : m_membership.GetAddress(kv.first), m_port);
    }
    if (m_push)
    {
        Serve(m_window.GetKnown().Minus(theirs), peer, from, h.GetDatacenter(), false);
    }
}

void
PbcastApplication::HandleSolicit(const PbcastHeader& h, Ipv4Address from)
{
    // Soft-failure detection: a late request is dropped. A request to the partner names the
    // partner's round, which must be the current one; a request to a source carries its send
    // time, which must lie within one round interval before now (simulation time stands in for
    // the synchronised clocks this needs on a real network).
    bool late;
    if (h.GetFlags() & PbcastHeader::FLAG_TIMED)
    {
        int64_t now = Simulator::Now().GetNanoSeconds();
        uint64_t t = h.GetRound();
        late = t > uint64_t(now) || uint64_t(now) - t > uint64_t(m_roundInterval.GetNanoSeconds());
    }
    else
    {
        late = h.GetRound() != m_round;
    }
    if (late)
    {
        m_lateSolicitTrace(h.GetSource(), h.GetRound());
        return;
    }
    Serve(h.GetDigest(), h.GetSource(), from, h.GetDatacenter(), true);
}

void
PbcastApplication::Serve(const GossipDigest& wanted,
                         GossipSenderId dest,
                         Ipv4Address destAddr,
                         uint32_t destDc,
                         bool solicited)
{
    m_store.Serve(wanted,
                  m_maxRequests,
                  m_msgOverhead,
                  m_maxRetransmitBytes,
                  [&](const GossipMessageId& id, pbcast::Store::Entry& s) {
                      return Retransmit(id, s, dest, destAddr, destDc, solicited);
                  });
}

uint32_t
PbcastApplication::Retransmit(const GossipMessageId& id,
                              pbcast::Store::Entry& s,
                              GossipSenderId dest,
                              Ipv4Address destAddr,
                              uint32_t destDc,
                              bool solicited)
{
    uint32_t cost = s.payload->GetSize() + m_msgOverhead;
    if (s.lastMulticastRound != 0 && s.lastMulticastRound + 1 >= m_round && destDc == m_datacenter)
    {
        return 0; // multicast this round or the last: it is on its way
    }
    if (solicited)
    {
        ++s.requests;
    }
    if (m_useMulticast && m_multicastThreshold > 0 && s.requests >= m_multicastThreshold &&
        destDc == m_datacenter)
    {
        s.requests = 0;
        s.lastMulticastRound = m_round;
        SendTo(MakeData(PbcastHeader::RETRANS, id, s, PbcastHeader::FLAG_MULTICAST),
               m_group,
               m_port);
        m_retransmitTrace(id, true, kMulticastDest);
        return cost;
    }
    auto last = s.lastSentTo.find(dest);
    if (last != s.lastSentTo.end() && last->second + 1 >= m_round)
    {
        return 0; // not again in consecutive rounds
    }
    s.lastSentTo[dest] = m_round;
    uint8_t flags = 0;
    if (destDc != m_datacenter && m_remoteMulticast && m_useMulticast)
    {
        flags = PbcastHeader::FLAG_RELAY;
    }
    SendTo(MakeData(PbcastHeader::RETRANS, id, s, flags), destAddr, m_port);
    m_retransmitTrace(id, false, dest);
    return cost;
}

void
PbcastApplication::HandleJoin(const PbcastHeader& h, Ipv4Address from)
{
    m_membership.Merge(h.GetMembers(), Simulator::Now());
    if (h.GetFlags() & PbcastHeader::FLAG_REPLY)
    {
        m_membership.SetJoined();
        return;
    }
    m_membership.HeardFrom(h.GetSource(), from, h.GetDatacenter(), 0, Simulator::Now());
    PbcastHeader r;
    r.SetType(PbcastHeader::JOIN);
    r.SetFlags(PbcastHeader::FLAG_REPLY);
    r.SetSource(m_self, m_datacenter);
    r.SetMembers(m_membership.Sample(m_joinReplyMax, SelfEntry(), m_pick));
    Ptr<Packet> p = Create<Packet>();
    p->AddHeader(r);
    SendTo(p, from, m_port);
}

pbcast::MemberEntry
PbcastApplication::SelfEntry() const
{
    pbcast::MemberEntry e;
    e.id = m_self;
    e.address = GetLocalAddress();
    e.datacenter = m_datacenter;
    e.heartbeat = m_heartbeatBase + m_round;
    return e;
}

} // namespace ns3
