/*
 * SPDX-License-Identifier: GPL-2.0-only
 */
#include "lpbcast-application.h"

#include "gossip-ns3-compat.h"

#include "ns3/boolean.h"
#include "ns3/double.h"
#include "ns3/enum.h"
#include "ns3/log.h"
#include "ns3/packet.h"
#include "ns3/simulator.h"
#include "ns3/uinteger.h"

#include <algorithm>
#include <set>

namespace ns3
{

NS_LOG_COMPONENT_DEFINE("LpbcastApplication");
NS_OBJECT_ENSURE_REGISTERED(LpbcastApplication);

TypeId
LpbcastApplication::GetTypeId()
{
    static TypeId tid =
        TypeId("ns3::LpbcastApplication")
            .SetParent<GossipApplication>()
            .SetGroupName("Gossip")
            .AddConstructor<LpbcastApplication>()
            .AddAttribute("Port",
                          "UDP port of every lpbcast process.",
                          UintegerValue(7150),
                          MakeUintegerAccessor(&LpbcastApplication::m_port),
                          MakeUintegerChecker<uint16_t>(1, 65535))
            .AddAttribute("Period",
                          "Gossip period T (one round).",
                          TimeValue(Seconds(1)),
                          MakeTimeAccessor(&LpbcastApplication::m_period),
                          MakeTimeChecker(MicroSeconds(1)))
            .AddAttribute("Fanout",
                          "F: view members gossiped to per round.",
                          UintegerValue(3),
                          MakeUintegerAccessor(&LpbcastApplication::m_fanout),
                          MakeUintegerChecker<uint32_t>(1, 1000))
            .AddAttribute("ViewSize",
                          "l: maximum size of the partial view.",
                          UintegerValue(15),
                          MakeUintegerAccessor(&LpbcastApplication::m_viewSize),
                          MakeUintegerChecker<uint32_t>(1, 10000))
            .AddAttribute("MaxEvents",
                          "|events|m: bound of the events buffer.",
                          UintegerValue(30),
                          MakeUintegerAccessor(&LpbcastApplication::m_maxEvents),
                          MakeUintegerChecker<uint32_t>(1, 4096))
            .AddAttribute("MaxEventIds",
                          "|eventIds|m: bound of the out-of-order ids in eventIds (ids delivered "
                          "in sequence are compacted and do not count); also how far back "
                          "missing ids are chased per origin.",
                          UintegerValue(60),
                          MakeUintegerAccessor(&LpbcastApplication::m_maxEventIds),
                          MakeUintegerChecker<uint32_t>(1, 100000))
            .AddAttribute("MaxSubs",
                          "|subs|m: bound of the subscriptions buffer.",
                          UintegerValue(15),
                          MakeUintegerAccessor(&LpbcastApplication::m_maxSubs),
                          MakeUintegerChecker<uint32_t>(1, 4096))
            .AddAttribute("MaxUnSubs",
                          "|unSubs|m: bound of the unsubscriptions buffer.",
                          UintegerValue(15),
                          MakeUintegerAccessor(&LpbcastApplication::m_maxUnSubs),
                          MakeUintegerChecker<uint32_t>(1, 4096))
            .AddAttribute("UnSubTimeout",
                          "Lifetime of an unsubscription after its issue time.",
                          TimeValue(Seconds(30)),
                          MakeTimeAccessor(&LpbcastApplication::m_unSubTimeout),
                          MakeTimeChecker(MicroSeconds(1)))
            .AddAttribute("EventPurging",
                          "How the events buffer is purged: Random (TOCS) or Age (SRDS 2001: "
                          "out-of-date events first, then the largest age).",
                          EnumValue(lpbcast::EventBuffer::RANDOM_PURGING),
                          gossip::compat::MakeEnumAccessor(&LpbcastApplication::m_eventPurging),
                          MakeEnumChecker(lpbcast::EventBuffer::RANDOM_PURGING,
                                          "Random",
                                          lpbcast::EventBuffer::AGE_PURGING,
                                          "Age"))
            .AddAttribute("LongAgo",
                          "LONG_AGO: an event is out of date when the events buffer holds one "
                          "from the same source whose seq is larger by more than this.",
                          UintegerValue(5),
                          MakeUintegerAccessor(&LpbcastApplication::m_longAgo),
                          MakeUintegerChecker<uint32_t>(0, 1000000))
            .AddAttribute(
                "MembershipPurging",
                "How view and subs evict: Random (TOCS) or Frequency.",
                EnumValue(lpbcast::Membership::RANDOM_MEMBERSHIP),
                gossip::compat::MakeEnumAccessor(&LpbcastApplication::m_membershipPurging),
                MakeEnumChecker(lpbcast::Membership::RANDOM_MEMBERSHIP,
                                "Random",
                                lpbcast::Membership::FREQUENCY_MEMBERSHIP,
                                "Frequency"))
            .AddAttribute("FrequencyK",
                          "K of frequency-based purging: evict an entry heard of more than K "
                          "times the average.",
                          DoubleValue(1.0),
                          MakeDoubleAccessor(&LpbcastApplication::m_frequencyK),
                          MakeDoubleChecker<double>(0.0, 100.0))
            .AddAttribute("ClearEventsAfterGossip",
                          "true: events <- {} after each gossip (TOCS); false: events stay "
                          "and are gossiped every round until purged or MaxAge (SRDS 2001).",
                          BooleanValue(true),
                          MakeBooleanAccessor(&LpbcastApplication::m_clearEvents),
                          MakeBooleanChecker())
            .AddAttribute("MaxAge",
                          "Drop events whose age reaches this (0: never).",
                          UintegerValue(0),
                          MakeUintegerAccessor(&LpbcastApplication::m_maxAge),
                          MakeUintegerChecker<uint32_t>(0, 65535))
            .AddAttribute("Retrieve",
                          "Retrieve events advertised in eventIds but not received.",
                          BooleanValue(true),
                          MakeBooleanAccessor(&LpbcastApplication::m_retrieve),
                          MakeBooleanChecker())
            .AddAttribute("RetrieveDelay",
                          "k: rounds to wait before asking the gossip sender.",
                          UintegerValue(3),
                          MakeUintegerAccessor(&LpbcastApplication::m_retrieveK),
                          MakeUintegerChecker<uint32_t>(0, 1000))
            .AddAttribute("RetrieveRetry",
                          "r: rounds before asking a random view member, and again before "
                          "asking the originator.",
                          UintegerValue(2),
                          MakeUintegerAccessor(&LpbcastApplication::m_retrieveR),
                          MakeUintegerChecker<uint32_t>(1, 1000))
            .AddAttribute("MaxRetrieve",
                          "Bound of retrieveBuf.",
                          UintegerValue(240),
                          MakeUintegerAccessor(&LpbcastApplication::m_maxRetrieve),
                          MakeUintegerChecker<uint32_t>(1, 100000))
            .AddAttribute("ArchiveSize",
                          "Delivered events kept to answer retrieve requests (FIFO).",
                          UintegerValue(1000),
                          MakeUintegerAccessor(&LpbcastApplication::m_archiveSize),
                          MakeUintegerChecker<uint32_t>(0, 1000000))
            .AddAttribute("PayloadSize",
                          "Bytes of application data per event.",
                          UintegerValue(64),
                          MakeUintegerAccessor(&LpbcastApplication::m_payloadSize),
                          MakeUintegerChecker<uint32_t>(0, 1400))
            .AddAttribute("LeaveRounds",
                          "Rounds a leaving process keeps gossiping its unsubscription.",
                          UintegerValue(3),
                          MakeUintegerAccessor(&LpbcastApplication::m_leaveRounds),
                          MakeUintegerChecker<uint32_t>(1, 1000))
            .AddAttribute("AlignRounds",
                          "true: every process starts its rounds at multiples of Period "
                          "(synchronous rounds, as in the paper's analysis); false: a random "
                          "phase per process.",
                          BooleanValue(false),
                          MakeBooleanAccessor(&LpbcastApplication::m_alignRounds),
                          MakeBooleanChecker())
            .AddAttribute("ViewMode",
                          "Gossip targets: Random (lpbcast's partial view) or SmallWorld "
                          "(near peers by measured RTT plus Kleinberg long-range peers).",
                          EnumValue(RANDOM_VIEW),
                          gossip::compat::MakeEnumAccessor(&LpbcastApplication::m_viewMode),
                          MakeEnumChecker(RANDOM_VIEW, "Random", SMALL_WORLD, "SmallWorld"))
            .AddAttribute("NearPeers",
                          "c: overlay peers chosen by lowest measured RTT.",
                          UintegerValue(3),
                          MakeUintegerAccessor(&LpbcastApplication::m_nearPeers),
                          MakeUintegerChecker<uint32_t>(0, 1000))
            .AddAttribute("LongRangePeers",
                          "Overlay peers drawn with P ~ d^-r.",
                          UintegerValue(2),
                          MakeUintegerAccessor(&LpbcastApplication::m_longRangePeers),
                          MakeUintegerChecker<uint32_t>(0, 1000))
            .AddAttribute("Exponent",
                          "r of the long-range draw (0: uniform random).",
                          DoubleValue(2.0),
                          MakeDoubleAccessor(&LpbcastApplication::m_exponent),
                          MakeDoubleChecker<double>(0.0, 20.0))
            .AddAttribute(
                "DistanceMetric",
                "Distance of the long-range draw: Rtt (measured, microseconds) or "
                "Fabric (the distance function given to the application: LpbcastHelper gives "
                "the hops in the fabric address plan's hierarchy).",
                EnumValue(DISTANCE_RTT),
                gossip::compat::MakeEnumAccessor(&LpbcastApplication::m_metric),
                MakeEnumChecker(DISTANCE_RTT, "Rtt", DISTANCE_FABRIC, "Fabric"))
            .AddAttribute("ProbeInterval",
                          "How often RTT probes are sent.",
                          TimeValue(MilliSeconds(500)),
                          MakeTimeAccessor(&LpbcastApplication::m_probeInterval),
                          MakeTimeChecker(MicroSeconds(1)))
            .AddAttribute("ProbeTimeout",
                          "A probe unanswered after this counts as a miss.",
                          TimeValue(MilliSeconds(400)),
                          MakeTimeAccessor(&LpbcastApplication::m_probeTimeout),
                          MakeTimeChecker(MicroSeconds(1)))
            .AddAttribute("ProbesPerInterval",
                          "Probes sent per interval (unmeasured candidates, then peers).",
                          UintegerValue(16),
                          MakeUintegerAccessor(&LpbcastApplication::m_probesPerInterval),
                          MakeUintegerChecker<uint32_t>(1, 100000))
            .AddAttribute("MissesToFail",
                          "Consecutive unanswered probes before a peer is replaced.",
                          UintegerValue(2),
                          MakeUintegerAccessor(&LpbcastApplication::m_missesToFail),
                          MakeUintegerChecker<uint32_t>(1, 1000))
            .AddTraceSource("Broadcast",
                            "This process broadcast an event.",
                            MakeTraceSourceAccessor(&LpbcastApplication::m_broadcastTrace),
                            "ns3::GossipApplication::MessageTracedCallback")
            .AddTraceSource("Deliver",
                            "An event was delivered (not fired for the process's own broadcast).",
                            MakeTraceSourceAccessor(&LpbcastApplication::m_deliverTrace),
                            "ns3::GossipApplication::MessageTracedCallback")
            .AddTraceSource("DeliverWithAge",
                            "An event was delivered, with its age on arrival and whether it was "
                            "retrieved rather than gossiped (fired right after Deliver).",
                            MakeTraceSourceAccessor(&LpbcastApplication::m_deliverWithAgeTrace),
                            "ns3::LpbcastApplication::DeliverWithAgeTracedCallback")
            .AddTraceSource("Duplicate",
                            "A gossiped copy of an already delivered event arrived.",
                            MakeTraceSourceAccessor(&LpbcastApplication::m_duplicateTrace),
                            "ns3::GossipApplication::MessageTracedCallback")
            .AddTraceSource("Purge",
                            "An event was purged from the events buffer.",
                            MakeTraceSourceAccessor(&LpbcastApplication::m_purgeTrace),
                            "ns3::GossipApplication::MessageTracedCallback")
            .AddTraceSource("RetrieveRequest",
                            "A missing event was asked for (target, event, stage).",
                            MakeTraceSourceAccessor(&LpbcastApplication::m_retrieveTrace),
                            "ns3::LpbcastApplication::RetrieveRequestTracedCallback")
            .AddTraceSource("PeerFailed",
                            "An overlay peer stopped answering probes and was replaced.",
                            MakeTraceSourceAccessor(&LpbcastApplication::m_peerFailedTrace),
                            "ns3::LpbcastApplication::PeerFailedTracedCallback");
    return tid;
}

LpbcastApplication::LpbcastApplication()
{
    NS_LOG_FUNCTION(this);
}

LpbcastApplication::~LpbcastApplication()
{
    NS_LOG_FUNCTION(this);
}

uint32_t
LpbcastApplication::RandomInt(uint32_t n)
{
    return GetRandom()->GetInteger(0, n - 1);
}

lpbcast::Membership::Limits
LpbcastApplication::Limits() const
{
    lpbcast::Membership::Limits lim;
    lim.view = m_viewSize;
    lim.subs = m_maxSubs;
    lim.unSubs = m_maxUnSubs;
    lim.purging = m_membershipPurging;
    lim.frequencyK = m_frequencyK;
    return lim;
}

void
LpbcastApplication::Validate() const
{
    NS_ABORT_MSG_IF(m_period.IsStrictlyNegative() || m_period.IsZero(),
                    "LpbcastApplication: Period must be > 0, got " << m_period);
    NS_ABORT_MSG_IF(m_fanout > m_viewSize,
                    "LpbcastApplication: Fanout (" << m_fanout << ") must not exceed ViewSize ("
                                                   << m_viewSize << ")");
    NS_ABORT_MSG_IF(m_viewMode == SMALL_WORLD && m_nearPeers + m_longRangePeers == 0,
                    "LpbcastApplication: SmallWorld needs NearPeers + LongRangePeers >= 1");
    NS_ABORT_MSG_IF(m_viewMode == SMALL_WORLD && m_probeTimeout > m_probeInterval * 4,
                    "LpbcastApplication: ProbeTimeout (" << m_probeTimeout
                                                         << ") must be at most 4 x ProbeInterval ("
                                                         << m_probeInterval << ")");
    NS_ABORT_MSG_IF(m_viewMode == SMALL_WORLD && m_metric == DISTANCE_FABRIC && !m_distance,
                    "LpbcastApplication: DistanceMetric Fabric needs a distance function "
                    "(SetDistanceFunction; LpbcastHelper sets the fabric's hop distance)");
}

void
LpbcastApplication::AddContact(Ipv4Address contact)
{
    NS_LOG_FUNCTION(this << contact);
    m_contacts.push_back(contact);
}

void
LpbcastApplication::SetBootstrap(std::shared_ptr<const std::vector<Ipv4Address>> pool,
                                 uint32_t count)
{
    NS_LOG_FUNCTION(this << count);
    m_bootstrapPool = pool;
    m_bootstrapCount = count;
}

void
LpbcastApplication::SetDistanceFunction(DistanceFunction distance)
{
    NS_LOG_FUNCTION(this);
    m_distance = std::move(distance);
}

uint32_t
LpbcastApplication::GetSelf() const
{
    return m_self;
}

bool
LpbcastApplication::IsSmallWorld() const
{
    return m_viewMode == SMALL_WORLD;
}

bool
LpbcastApplication::IsMember() const
{
    return m_member;
}

const lpbcast::Membership&
LpbcastApplication::GetMembership() const
{
    return m_membership;
}

const lpbcast::EventIds&
LpbcastApplication::GetEventIds() const
{
    return m_eventIds;
}

uint64_t
LpbcastApplication::GetOverlayRepairs() const
{
    return m_repairs;
}

const lpbcast::Retrieval&
LpbcastApplication::GetRetrieval() const
{
    return m_retrieval;
}

const lpbcast::Overlay&
LpbcastApplication::GetOverlay() const
{
    return m_overlay;
}

uint32_t
LpbcastApplication::GetRound() const
{
    return m_round;
}

uint64_t
LpbcastApplication::GetDelivered() const
{
    return m_delivered;
}

std::vector<uint32_t>
LpbcastApplication::GetTargets() const
{
    if (m_viewMode != SMALL_WORLD)
    {
        return m_membership.GetView();
    }
    std::vector<uint32_t> t = m_overlay.GetPeers();
    for (const auto& kv : m_reverse)
    {
        if (std::find(t.begin(), t.end(), kv.first) == t.end())
        {
            t.push_back(kv.first);
        }
    }
    return t;
}

void
LpbcastApplication::StartApplication()
{
    NS_LOG_FUNCTION(this);
    Validate();
    m_self = ResolveLocalAddress().Get();
    m_membership.Configure(m_self, Limits());
    m_events.Configure(m_maxEvents, m_eventPurging, m_longAgo);
    m_eventIds.SetMaxLater(m_maxEventIds);
    m_retrieval.Configure(m_retrieveK, m_retrieveR, m_maxRetrieve);
    m_archive.SetCapacity(m_archiveSize);
    lpbcast::Overlay::Params op;
    op.nearPeers = m_nearPeers;
    op.longRange = m_longRangePeers;
    op.exponent = m_exponent;
    op.missesToFail = m_missesToFail;
    m_overlay.Configure(m_self, op);
    std::vector<Ipv4Address> contacts = m_contacts;
    if (m_bootstrapPool && m_bootstrapCount > 0)
    {
        const auto& pool = *m_bootstrapPool;
        std::set<uint32_t> chosen;
        uint32_t others = 0;
        for (const auto& a : pool)
        {
            others += a.Get() != m_self;
        }
        const uint32_t want = std::min(m_bootstrapCount, others);
        while (chosen.size() < want)
        {
            Ipv4Address a = pool[RandomInt(pool.size())];
            if (a.Get() != m_self && chosen.insert(a.Get()).second)
            {
                contacts.push_back(a);
            }
        }
        m_bootstrapPool = nullptr; // drawn once; a later Subscribe() names its contacts
    }
    Subscribe(contacts);
}

void
LpbcastApplication::StopApplication()
{
    NS_LOG_FUNCTION(this);
    Crash();
}

void
LpbcastApplication::Subscribe(const std::vector<Ipv4Address>& contacts)
{
    NS_LOG_FUNCTION(this);
    if (m_self == 0)
    {
        // Not started yet: StartApplication() subscribes through these contacts.
        m_contacts.insert(m_contacts.end(), contacts.begin(), contacts.end());
        return;
    }
    auto rng = [this](uint32_t n) { return RandomInt(n); };
    for (const auto& c : contacts)
    {
        m_membership.AddToView(c.Get(), rng);
        m_overlay.AddCandidate(c.Get());
    }
    if (m_member)
    {
        return;
    }
    OpenSocket(m_port, MakeCallback(&LpbcastApplication::Receive, this));
    m_member = true;
    m_running = true;
    m_leaveCountdown = 0;
    // A random phase, so that rounds are not synchronised across processes, unless aligned.
    Time first = NanoSeconds(GetRandom()->GetInteger(0, m_period.GetNanoSeconds()));
    if (m_alignRounds)
    {
        const int64_t t = m_period.GetNanoSeconds();
        first = NanoSeconds(t - Simulator::Now().GetNanoSeconds() % t);
    }
    m_roundEvent = Simulator::Schedule(first, &LpbcastApplication::Round, this);
    if (m_viewMode == SMALL_WORLD)
    {
        m_probeEvent = Simulator::Schedule(
            NanoSeconds(GetRandom()->GetInteger(0, m_probeInterval.GetNanoSeconds() / 4)),
            &LpbcastApplication::Probe,
            this);
    }
}

void
LpbcastApplication::Unsubscribe()
{
    NS_LOG_FUNCTION(this);
    if (m_member && m_leaveCountdown == 0)
    {
        m_leaveCountdown = m_leaveRounds;
        m_leaveTs = Simulator::Now().GetNanoSeconds();
    }
}

void
LpbcastApplication::Crash()
{
    NS_LOG_FUNCTION(this);
    m_member = false;
    m_running = false;
    m_leaveCountdown = 0;
    m_roundEvent.Cancel();
    m_probeEvent.Cancel();
    m_pendingProbes.clear();
    CloseSocket();
}

uint32_t
LpbcastApplication::Broadcast()
{
    NS_LOG_FUNCTION(this);
    if (!m_member || m_leaveCountdown > 0)
    {
        return 0;
    }
    lpbcast::Event e;
    e.id = {m_self, ++m_seq};
    e.payload.assign(m_payloadSize, uint8_t(m_seq));
    m_broadcastTrace(e.id);
    m_eventIds.Insert(e.id);
    m_archive.Add(e);
    m_events.Add(e);
    auto rng = [this](uint32_t n) { return RandomInt(n); };
    for (const auto& id : m_events.Purge(rng))
    {
        m_purgeTrace(id);
    }
    return m_seq;
}

void
LpbcastApplication::Round()
{
    ++m_round;
    const int64_t now = Simulator::Now().GetNanoSeconds();
    // A reverse link lapses when its peer has not gossiped to us for a while (it chose others).
    const uint32_t reverseLife = 10;
    for (auto it = m_reverse.begin(); it != m_reverse.end();)
    {
        it = m_round > it->second + reverseLife ? m_reverse.erase(it) : std::next(it);
    }
    m_membership.ExpireUnSubs(now, m_unSubTimeout.GetNanoSeconds());
    if (m_retrieve)
    {
        auto delivered = [this](const GossipMessageId& id) { return m_eventIds.Contains(id); };
        auto member = [this]() {
            std::vector<uint32_t> t = GetTargets();
            return t.empty() ? m_self : t[RandomInt(t.size())];
        };
        std::map<uint32_t, LpbcastHeader> requests;
        for (const auto& q : m_retrieval.Due(m_round, delivered, member))
        {
            m_retrieveTrace(q.target, q.id, q.stage);
            if (q.target == m_self)
            {
                continue;
            }
            LpbcastHeader& h = requests[q.target];
            h.SetType(LpbcastHeader::RETRIEVE_REQUEST);
            h.wanted.push_back(q.id);
        }
        for (const auto& kv : requests)
        {
            Send(kv.second, kv.first);
        }
    }
    SendGossip();
    if (m_leaveCountdown > 0 && --m_leaveCountdown == 0)
    {
        Crash(); // the unsubscription has been gossiped: leave
        return;
    }
    m_roundEvent = Simulator::Schedule(m_period, &LpbcastApplication::Round, this);
}

void
LpbcastApplication::SendGossip()
{
    // Age = rounds an event has been gossiped (SRDS 2001); it grows before each gossip.
    m_events.IncrementAges();
    m_events.RemoveAged(m_maxAge);
    LpbcastHeader h;
    h.SetType(LpbcastHeader::GOSSIP);
    h.events = m_events.Get();
    h.eventIds = m_eventIds.GetDigest();
    h.subs = m_membership.GetSubs();
    if (m_leaveCountdown == 0)
    {
        h.subs.push_back(m_self);
    }
    else
    {
        h.subs.erase(std::remove(h.subs.begin(), h.subs.end(), m_self), h.subs.end());
        h.unSubs.push_back({m_self, m_leaveTs});
    }
    for (const auto& u : m_membership.GetUnSubs())
    {
        h.unSubs.push_back(u);
    }
    // One UDP datagram, and a digest within its 16-bit length field: drop the digest's oldest
    // intervals and the oldest-arrived events if needed.
    NS_ABORT_MSG_IF(!h.FitGossip(LpbcastHeader::MAX_DATAGRAM),
                    "lpbcast gossip cannot fit one datagram: "
                        << h.GetSerializedSize() << " bytes with " << h.subs.size() << " subs and "
                        << h.unSubs.size() << " unSubs (lower MaxSubs/MaxUnSubs)");
    NS_LOG_LOGIC("gossip of " << h.GetSerializedSize() << " bytes, " << h.events.size()
                              << " events");
    std::vector<uint32_t> pool = GetTargets();
    for (uint32_t k = 0; k < m_fanout && !pool.empty(); ++k)
    {
        uint32_t i = RandomInt(pool.size());
        Send(h, pool[i]);
        pool.erase(pool.begin() + i);
    }
    if (m_clearEvents)
    {
        m_events.Clear();
    }
}

void
LpbcastApplication::Send(const LpbcastHeader& h, uint32_t to)
{
    if (!IsSocketOpen())
    {
        return;
    }
    Ptr<Packet> p = Create<Packet>();
    p->AddHeader(h);
    SendTo(p, Ipv4Address(to), m_port);
}

void
LpbcastApplication::Receive(Ptr<Socket> /* socket */)
{
    // The socket is open exactly while this process is a member (Subscribe to Crash).
    Ipv4Address from;
    while (Ptr<Packet> p = ReceiveFrom(from))
    {
        LpbcastHeader h;
        p->PeekHeader(h);
        if (!h.IsValid())
        {
            NS_LOG_INFO("malformed datagram from " << from << ": " << h.GetError());
            NotifyMalformed(p, from, h.GetError());
            continue;
        }
        switch (h.GetType())
        {
        case LpbcastHeader::GOSSIP:
            HandleGossip(h, from.Get());
            break;
        case LpbcastHeader::RETRIEVE_REQUEST:
            HandleRetrieveRequest(h, from.Get());
            break;
        case LpbcastHeader::RETRIEVE_REPLY:
            HandleRetrieveReply(h);
            break;
        case LpbcastHeader::PROBE: {
            LpbcastHeader reply;
            reply.SetType(LpbcastHeader::PROBE_REPLY);
            reply.nonce = h.nonce;
            reply.sentNs = h.sentNs;
            Send(reply, from.Get());
            break;
        }
        case LpbcastHeader::PROBE_REPLY: {
            auto it = m_pendingProbes.find(from.Get());
            if (it != m_pendingProbes.end() && it->second == h.nonce)
            {
                m_pendingProbes.erase(it);
                m_overlay.SetRtt(from.Get(),
                                 (Simulator::Now() - NanoSeconds(h.sentNs)).GetSeconds());
                m_rttsChanged = true; // repaired at the next probe tick
            }
            break;
        }
        }
    }
}

void
LpbcastApplication::HandleGossip(const LpbcastHeader& h, uint32_t from)
{
    auto rng = [this](uint32_t n) { return RandomInt(n); };
    const int64_t now = Simulator::Now().GetNanoSeconds();
    m_membership.HandleGossip(h.subs, h.unSubs, now, m_unSubTimeout.GetNanoSeconds(), rng);
    if (m_viewMode == SMALL_WORLD)
    {
        m_reverse[from] = m_round;
        bool lost = false;
        for (const auto& u : h.unSubs)
        {
            if (u.first != m_self &&
                !lpbcast::Membership::IsExpired(u.second, now, m_unSubTimeout.GetNanoSeconds()))
            {
                auto peers = m_overlay.GetPeers();
                lost |= std::find(peers.begin(), peers.end(), u.first) != peers.end();
                m_overlay.RemoveCandidate(u.first);
                m_reverse.erase(u.first);
            }
        }
        for (uint32_t s : h.subs)
        {
            if (!m_membership.GetUnSubs().count(s))
            {
                m_overlay.AddCandidate(s);
            }
        }
        if (lost)
        {
            RepairOverlay();
        }
    }
    for (const auto& e : h.events)
    {
        if (m_eventIds.Contains(e.id))
        {
            m_duplicateTrace(e.id);
            m_events.MergeAge(e.id, e.age);
            continue;
        }
        Deliver(e, false);
        m_events.Add(e);
    }
    for (const auto& id : m_events.Purge(rng))
    {
        m_purgeTrace(id);
    }
    if (m_retrieve)
    {
        for (const auto& id : m_eventIds.Missing(h.eventIds, m_maxEventIds, m_maxRetrieve))
        {
            m_retrieval.Add(id, m_round, from);
        }
    }
}

void
LpbcastApplication::Deliver(const lpbcast::Event& e, bool retrieved)
{
    m_eventIds.Insert(e.id);
    ++m_delivered;
    m_archive.Add(e);
    m_retrieval.Remove(e.id);
    m_deliverTrace(e.id);
    m_deliverWithAgeTrace(e.id, e.age, retrieved);
}

void
LpbcastApplication::HandleRetrieveRequest(const LpbcastHeader& h, uint32_t from)
{
    LpbcastHeader reply;
    reply.SetType(LpbcastHeader::RETRIEVE_REPLY);
    for (const auto& id : h.wanted)
    {
        const lpbcast::Event* e = m_archive.Find(id);
        if (e && reply.events.size() < 64)
        {
            reply.events.push_back(*e);
            // One datagram: 64 events of the largest PayloadSize would not fit.
            if (reply.GetSerializedSize() > LpbcastHeader::MAX_DATAGRAM)
            {
                reply.events.pop_back();
                break;
            }
        }
    }
    if (!reply.events.empty())
    {
        Send(reply, from);
    }
}

void
LpbcastApplication::HandleRetrieveReply(const LpbcastHeader& h)
{
    for (const auto& e : h.events)
    {
        if (!m_eventIds.Contains(e.id))
        {
            Deliver(e, true);
        }
    }
}

void
LpbcastApplication::LearnMembers()
{
    for (uint32_t v : m_membership.GetView())
    {
        m_overlay.AddCandidate(v);
    }
    for (uint32_t s : m_membership.GetSubs())
    {
        m_overlay.AddCandidate(s);
    }
}

void
LpbcastApplication::Probe()
{
    LearnMembers();
    if (m_rttsChanged)
    {
        RepairOverlay();
    }
    const int64_t now = Simulator::Now().GetNanoSeconds();
    for (uint32_t peer : m_overlay.ToProbe(m_probesPerInterval))
    {
        if (m_pendingProbes.count(peer))
        {
            continue; // one probe in flight per peer
        }
        LpbcastHeader h;
        h.SetType(LpbcastHeader::PROBE);
        h.nonce = ++m_nonce;
        h.sentNs = now;
        m_pendingProbes[peer] = h.nonce;
        Send(h, peer);
        Simulator::Schedule(m_probeTimeout, &LpbcastApplication::ProbeTimeout, this, peer, h.nonce);
    }
    m_probeEvent = Simulator::Schedule(m_probeInterval, &LpbcastApplication::Probe, this);
}

void
LpbcastApplication::ProbeTimeout(uint32_t peer, uint32_t nonce)
{
    auto it = m_pendingProbes.find(peer);
    if (!m_running || it == m_pendingProbes.end() || it->second != nonce)
    {
        return;
    }
    m_pendingProbes.erase(it);
    if (m_overlay.Miss(peer))
    {
        NS_LOG_INFO(LpbcastHeader::IdToString(m_self)
                    << " overlay peer " << LpbcastHeader::IdToString(peer) << " failed");
        m_peerFailedTrace(peer);
        m_membership.Remove(peer);
        m_reverse.erase(peer);
        RepairOverlay();
    }
}

void
LpbcastApplication::RepairOverlay()
{
    auto distance = [this](uint32_t id) {
        if (m_metric == DISTANCE_FABRIC)
        {
            return m_distance(Ipv4Address(m_self), Ipv4Address(id));
        }
        return m_overlay.HasRtt(id) ? std::max(m_overlay.GetRtt(id) * 1e6, 1e-3) : -1.0;
    };
    auto uniform01 = [this]() { return GetRandom()->GetValue(0.0, 1.0); };
    m_overlay.Repair(distance, uniform01);
    m_rttsChanged = false;
    ++m_repairs;
}

} // namespace ns3
