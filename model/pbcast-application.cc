/*
 * SPDX-License-Identifier: GPL-2.0-only
 */
#include "pbcast-application.h"

#include "gossip-ns3-compat.h"

#include "ns3/abort.h"
#include "ns3/boolean.h"
#include "ns3/channel.h"
#include "ns3/enum.h"
#include "ns3/inet-socket-address.h"
#include "ns3/ipv4-address.h"
#include "ns3/ipv4-routing-helper.h"
#include "ns3/ipv4-routing-table-entry.h"
#include "ns3/ipv4-static-routing.h"
#include "ns3/ipv4.h"
#include "ns3/log.h"
#include "ns3/net-device.h"
#include "ns3/node.h"
#include "ns3/simulator.h"
#include "ns3/trace-source-accessor.h"
#include "ns3/udp-socket-factory.h"
#include "ns3/uinteger.h"

#include <algorithm>
#include <sstream>

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
            .SetParent<Application>()
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
                          "pbcast_wait = 2).",
                          UintegerValue(2),
                          MakeUintegerAccessor(&PbcastApplication::m_requestWait),
                          MakeUintegerChecker<uint32_t>(0, 1000))
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
            .AddTraceSource("Deliver",
                            "A message from another member was delivered (origin, seq, latency).",
                            MakeTraceSourceAccessor(&PbcastApplication::m_deliverTrace),
                            "ns3::PbcastApplication::DeliverTracedCallback")
            .AddTraceSource("Broadcast",
                            "Phase 1 send of an own message (seq, datagrams sent).",
                            MakeTraceSourceAccessor(&PbcastApplication::m_sendTrace),
                            "ns3::PbcastApplication::SendTracedCallback")
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
                            "A message was retransmitted (origin, seq, multicast, destination; "
                            "destination 0xffffffff for multicast).",
                            MakeTraceSourceAccessor(&PbcastApplication::m_retransmitTrace),
                            "ns3::PbcastApplication::RetransmitTracedCallback")
            .AddTraceSource("Gc",
                            "A buffered message was garbage collected (origin, seq).",
                            MakeTraceSourceAccessor(&PbcastApplication::m_gcTrace),
                            "ns3::PbcastApplication::MessageTracedCallback")
            .AddTraceSource("GiveUp",
                            "A missing message was given up: a gap (origin, seq).",
                            MakeTraceSourceAccessor(&PbcastApplication::m_giveUpTrace),
                            "ns3::PbcastApplication::MessageTracedCallback")
            .AddTraceSource("Relay",
                            "A retransmission from another datacenter was re-multicast here "
                            "(origin, seq).",
                            MakeTraceSourceAccessor(&PbcastApplication::m_relayTrace),
                            "ns3::PbcastApplication::MessageTracedCallback")
            .AddTraceSource("LateSolicit",
                            "A late solicitation was dropped: it named another round, or its "
                            "send time is more than a round interval ago (requester, round "
                            "or send time in ns).",
                            MakeTraceSourceAccessor(&PbcastApplication::m_lateSolicitTrace),
                            "ns3::PbcastApplication::MessageTracedCallback")
            .AddTraceSource("Malformed",
                            "A truncated or garbage datagram was dropped (packet, source).",
                            MakeTraceSourceAccessor(&PbcastApplication::m_malformedTrace),
                            "ns3::PbcastApplication::MalformedTracedCallback")
            .AddTraceSource("Tx",
                            "Every datagram sent (a multicast counts once).",
                            MakeTraceSourceAccessor(&PbcastApplication::m_txTrace),
                            "ns3::Packet::TracedCallback");
    return tid;
}

PbcastApplication::PbcastApplication()
{
    m_rng = CreateObject<UniformRandomVariable>();
}

PbcastApplication::~PbcastApplication() = default;

void
PbcastApplication::DoDispose()
{
    m_socket = nullptr;
    m_store.Clear();
    m_fifoPending.clear();
    m_deliverCb = DeliverCallback();
    m_gapCb = GapCallback();
    Application::DoDispose();
}

void
PbcastApplication::AddSeed(GossipSenderId id, Ipv4Address address, uint32_t datacenter)
{
    m_seeds.push_back({id, {address, datacenter}});
}

void
PbcastApplication::SetDeliverCallback(DeliverCallback cb)
{
    m_deliverCb = cb;
}

void
PbcastApplication::SetGapCallback(GapCallback cb)
{
    m_gapCb = cb;
}

void
PbcastApplication::SetAsleep(bool asleep)
{
    m_asleep = asleep;
}

void
PbcastApplication::Crash()
{
    StopApplication();
}

bool
PbcastApplication::IsAsleep() const
{
    return m_asleep;
}

int64_t
PbcastApplication::AssignStreams(int64_t stream)
{
    m_rng->SetStream(stream);
    return 1;
}

GossipSenderId
PbcastApplication::GetId() const
{
    return m_self;
}

uint64_t
PbcastApplication::GetRound() const
{
    return m_round;
}

uint32_t
PbcastApplication::GetBufferedMessages() const
{
    return m_store.GetSize();
}

uint32_t
PbcastApplication::GetMissingMessages() const
{
    return m_missing.size();
}

uint32_t
PbcastApplication::GetLiveMembers() const
{
    uint32_t n = 0;
    for (const auto& kv : m_members)
    {
        n += !kv.second.failed;
    }
    return n;
}

uint32_t
PbcastApplication::GetKnownMembers() const
{
    return m_members.size();
}

const GossipDigest&
PbcastApplication::GetDigest() const
{
    return m_known;
}

uint64_t
PbcastApplication::GetMalformedPackets() const
{
    return m_malformed;
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
    if (m_useMulticast)
    {
        std::string missing = CheckMulticastRoute(GetNode(), m_group);
        NS_ABORT_MSG_IF(!missing.empty(),
                        "PbcastApplication on node "
                            << GetNode()->GetId() << ": UseMulticast is on but " << missing
                            << "; call EnableMulticast(" << m_group
                            << ") on the topology helper, or set UseMulticast=false");
    }
    m_self = GetNode()->GetId();
    Ptr<Ipv4> ipv4 = GetNode()->GetObject<Ipv4>();
    NS_ABORT_MSG_IF(!ipv4 || ipv4->GetNInterfaces() < 2,
                    "PbcastApplication: node " << m_self << " has no IPv4 interface");
    m_address = ipv4->GetAddress(1, 0).GetLocal();

    m_socket = Socket::CreateSocket(GetNode(), UdpSocketFactory::GetTypeId());
    NS_ABORT_MSG_IF(m_socket->Bind(InetSocketAddress(Ipv4Address::GetAny(), m_port)) != 0,
                    "PbcastApplication: cannot bind UDP port " << m_port);
    m_socket->SetRecvCallback(MakeCallback(&PbcastApplication::Receive, this));
    m_running = true;
    m_joined = true;
    for (const auto& s : m_seeds)
    {
        if (s.first != m_self)
        {
            HeardFrom(s.first, s.second.first, s.second.second, 0);
            m_joined = false;
        }
    }
    // Unsynchronised rounds: each member starts at its own random offset.
    m_roundEvent = Simulator::Schedule(Seconds(m_rng->GetValue(0, m_roundInterval.GetSeconds())),
                                       &PbcastApplication::Round,
                                       this);
}

void
PbcastApplication::StopApplication()
{
    NS_LOG_FUNCTION(this);
    m_running = false;
    m_roundEvent.Cancel();
    if (m_socket)
    {
        m_socket->SetRecvCallback(MakeNullCallback<void, Ptr<Socket>>());
        m_socket->Close();
        m_socket = nullptr;
    }
}

std::string
PbcastApplication::CheckMulticastRoute(Ptr<Node> node, Ipv4Address group)
{
    auto groupRoute = [group](Ptr<Ipv4StaticRouting> sr) {
        for (uint32_t i = 0; sr && i < sr->GetNMulticastRoutes(); ++i)
        {
            if (sr->GetMulticastRoute(i).GetGroup() == group)
            {
                return true;
            }
        }
        return false;
    };
    Ptr<Ipv4> ipv4 = node->GetObject<Ipv4>();
    if (!ipv4 || ipv4->GetNInterfaces() < 2)
    {
        return "the node has no IPv4 interface";
    }
    Ptr<Ipv4StaticRouting> sr =
        Ipv4RoutingHelper::GetRouting<Ipv4StaticRouting>(ipv4->GetRoutingProtocol());
    bool hostRoute = groupRoute(sr);
    for (uint32_t i = 0; sr && !hostRoute && i < sr->GetNRoutes(); ++i)
    {
        Ipv4RoutingTableEntry r = sr->GetRoute(i);
        // SetDefaultMulticastRoute installs 224.0.0.0/4.
        hostRoute = r.GetDestNetwork() == Ipv4Address("224.0.0.0") &&
                    r.GetDestNetworkMask() == Ipv4Mask("240.0.0.0");
    }
    if (!hostRoute)
    {
        return "the node has no multicast route (default or for the group)";
    }
    // A configuration check, not protocol state: on a point-to-point first hop the datagrams
    // reach nobody unless that router forwards the group.
    for (uint32_t i = 1; i < ipv4->GetNInterfaces(); ++i)
    {
        Ptr<NetDevice> dev = ipv4->GetNetDevice(i);
        Ptr<Channel> ch = dev ? dev->GetChannel() : nullptr;
        if (!ch || ch->GetNDevices() != 2)
        {
            continue;
        }
        Ptr<Node> peer =
            ch->GetDevice(0) == dev ? ch->GetDevice(1)->GetNode() : ch->GetDevice(0)->GetNode();
        Ptr<Ipv4> pip = peer->GetObject<Ipv4>();
        if (!pip)
        {
            continue;
        }
        int32_t pi = pip->GetInterfaceForDevice(ch->GetDevice(0) == dev ? ch->GetDevice(1)
                                                                        : ch->GetDevice(0));
        if (pi < 0 || !pip->IsForwarding(pi))
        {
            continue; // a host: it receives the datagram itself
        }
        if (!groupRoute(
                Ipv4RoutingHelper::GetRouting<Ipv4StaticRouting>(pip->GetRoutingProtocol())))
        {
            std::ostringstream os;
            os << "its first-hop router (node " << peer->GetId() << ") has no multicast route for "
               << group;
            return os.str();
        }
    }
    return "";
}

// ---------------------------------------------------------------- sending

void
PbcastApplication::SendTo(Ptr<Packet> p, Ipv4Address to)
{
    m_txTrace(p);
    m_socket->SendTo(p, 0, InetSocketAddress(to, m_port));
}

void
PbcastApplication::SendMulticast(Ptr<Packet> p)
{
    m_txTrace(p);
    m_socket->SendTo(p, 0, InetSocketAddress(m_group, m_port));
}

Ptr<Packet>
PbcastApplication::MakeData(PbcastHeader::MessageType type,
                            const GossipMessageId& id,
                            const Stored& s,
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
    NS_ABORT_MSG_IF(!m_running,
                    "PbcastApplication::Send on node " << m_self << " while not running");
    uint64_t seq = m_nextSeq++;
    GossipMessageId id{m_self, seq};
    Stored& s = m_store.Add(id, payload->Copy(), Simulator::Now(), m_round);
    m_known.Add(m_self, seq);
    if (!m_deliverCb.IsNull())
    {
        m_deliverCb(s.payload, m_self, seq);
    }
    uint32_t copies = 0;
    if (!m_disseminate)
    {
        m_sendTrace(seq, 0);
        return seq;
    }
    if (m_useMulticast)
    {
        SendMulticast(MakeData(PbcastHeader::DATA, id, s, PbcastHeader::FLAG_MULTICAST));
        ++copies;
    }
    std::map<uint32_t, std::vector<GossipSenderId>> remote; // datacenter -> live members
    const std::vector<GossipSenderId>& live = LiveIds();
    // With multicast, only remote members need a look: skip the scan in one datacenter.
    for (GossipSenderId m : (m_useMulticast && m_liveRemote == 0) ? m_noMembers : live)
    {
        const Member& mem = m_members[m];
        if (!m_useMulticast)
        {
            SendTo(MakeData(PbcastHeader::DATA, id, s, 0), mem.address);
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
                SendTo(MakeData(PbcastHeader::DATA, id, s, flags), m_members[m].address);
                ++copies;
            }
            continue;
        }
        // k random relays, each re-multicasting in its datacenter.
        for (uint32_t k = 0; k < m_wanRelays; ++k)
        {
            uint32_t j = m_rng->GetInteger(k, ids.size() - 1);
            std::swap(ids[k], ids[j]);
            SendTo(MakeData(PbcastHeader::DATA, id, s, PbcastHeader::FLAG_RELAY),
                   m_members[ids[k]].address);
            ++copies;
        }
    }
    NS_LOG_INFO("node " << m_self << " broadcast " << seq << " copies " << copies);
    m_sendTrace(seq, copies);
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
        m_gcTrace(id.sender, id.seq);
        touched.insert(id.sender);
    }
    // Give up messages still missing Stale rounds after they were noticed.
    while (!m_missingQueue.empty() && m_missingQueue.front().first + m_stale < m_round)
    {
        auto e = m_missingQueue.front();
        m_missingQueue.pop_front();
        auto it = m_missing.find(e.second);
        if (it != m_missing.end() && it->second == e.first)
        {
            GiveUp(e.second.sender, e.second.seq);
            touched.insert(e.second.sender);
        }
    }
    for (GossipSenderId s : touched)
    {
        AdvanceFloor(s);
    }
    if (m_round % 10 == 0)
    {
        CheckFailures();
        for (auto it = m_requested.begin(); it != m_requested.end();)
        {
            it = (it->second + m_requestWait < m_round) ? m_requested.erase(it) : std::next(it);
        }
    }

    if (!m_joined)
    {
        PbcastHeader j;
        j.SetType(PbcastHeader::JOIN);
        j.SetSource(m_self, m_datacenter);
        j.SetMembers({SelfEntry()});
        for (const auto& s : m_seeds)
        {
            if (s.first != m_self)
            {
                Ptr<Packet> p = Create<Packet>();
                p->AddHeader(j);
                SendTo(p, s.second.first);
            }
        }
    }

    std::vector<GossipSenderId> targets = PickTargets(m_fanout);
    if (targets.empty())
    {
        return;
    }
    GossipDigest digest = m_known;
    digest.TruncateOldest(m_maxDigestIntervals);
    PbcastHeader g;
    g.SetType(PbcastHeader::GOSSIP);
    g.SetSource(m_self, m_datacenter);
    g.SetRound(m_round);
    g.SetDigest(digest);
    g.SetMembers(MembershipSample(m_membershipSample));
    for (GossipSenderId t : targets)
    {
        Ptr<Packet> p = Create<Packet>();
        p->AddHeader(g);
        m_gossipTxTrace(p, t);
        SendTo(p, m_members[t].address);
    }
}

// ---------------------------------------------------------------- receiving

void
PbcastApplication::Receive(Ptr<Socket> socket)
{
    Address from;
    Ptr<Packet> p;
    while ((p = socket->RecvFrom(from)))
    {
        if (!m_running || m_asleep)
        {
            continue; // a sleeping process does not read its socket
        }
        PbcastHeader h;
        uint32_t n = p->GetSize() >= 3 ? p->PeekHeader(h) : 0;
        if (n == 0 || !InetSocketAddress::IsMatchingType(from))
        {
            ++m_malformed;
            m_malformedTrace(p, from);
            continue;
        }
        Ptr<Packet> packet = p->Copy();
        packet->RemoveAtStart(n);
        Ipv4Address src = InetSocketAddress::ConvertFrom(from).GetIpv4();
        switch (h.GetType())
        {
        case PbcastHeader::DATA:
        case PbcastHeader::RETRANS:
            HandleData(h, packet, src);
            break;
        case PbcastHeader::GOSSIP:
            m_gossipRxTrace(p, h.GetSource());
            HandleGossip(h, src);
            break;
        case PbcastHeader::SOLICIT:
            HandleSolicit(h, src);
            break;
        case PbcastHeader::JOIN:
            HandleJoin(h, src);
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
        Stored* e = m_store.Find(id);
        if (multicast && h.GetType() == PbcastHeader::RETRANS && e)
        {
            e->requests = 0; // someone else multicast it (ZBCAST)
        }
        return;
    }
    if ((h.GetFlags() & PbcastHeader::FLAG_RELAY) && m_useMulticast && IsRemoteMember(from))
    {
        // From a remote datacenter (a phase-1 relay or a retransmission): others here likely
        // lack it too, and multicast does not cross the WAN. It is a retransmission like any
        // other, so it is paid from the round's byte budget.
        Stored& s = *m_store.Find(id); // just accepted
        uint32_t cost = s.payload->GetSize() + m_msgOverhead;
        if (!m_store.Fits(cost, m_maxRetransmitBytes))
        {
            return;
        }
        m_store.Charge(cost);
        s.lastMulticastRound = m_round;
        SendMulticast(MakeData(PbcastHeader::RETRANS, id, s, PbcastHeader::FLAG_MULTICAST));
        m_retransmitTrace(id.sender, id.seq, true, kMulticastDest);
        m_relayTrace(id.sender, id.seq);
    }
}

bool
PbcastApplication::Accept(GossipSenderId origin, uint64_t seq, Time sent, Ptr<const Packet> payload)
{
    if (origin == m_self)
    {
        return false;
    }
    if (seq < m_known.GetFloor(origin) && m_anchored.count(origin) == 0)
    {
        // The window was learnt from peers' digests only (possibly a lie): the sender's own
        // message is better evidence, so start over from it.
        ForgetSender(origin);
    }
    if (seq < m_known.GetFloor(origin) || m_known.Contains(origin, seq))
    {
        return false;
    }
    m_anchored.insert(origin);
    // Bound the work one datagram can cause, whatever number it carries.
    const uint32_t maxGap = 10000;
    bool firstContact = m_known.Get(origin).empty() && m_known.GetFloor(origin) == 0 &&
                        m_nextDeliver.find(origin) == m_nextDeliver.end();
    uint64_t highest = 0;
    bool hasHighest = m_known.GetHighest(origin, highest);
    if (firstContact)
    {
        uint64_t lo = seq - std::min<uint64_t>(seq, m_firstContactWindow);
        m_known.SetFloor(origin, lo);
        m_nextDeliver[origin] = lo;
        if (seq > lo)
        {
            NoteMissing(origin, lo, seq - 1, maxGap);
        }
    }
    else if (hasHighest && seq > highest + 1)
    {
        NoteMissing(origin, highest + 1, seq - 1, maxGap);
    }
    else if (!hasHighest && seq > m_known.GetFloor(origin))
    {
        NoteMissing(origin, m_known.GetFloor(origin), seq - 1, maxGap);
    }
    GossipMessageId id{origin, seq};
    m_known.Add(origin, seq);
    m_missing.erase(id);
    m_requested.erase(id);
    m_store.Add(id, payload, sent, m_round);
    if (m_nextDeliver.find(origin) == m_nextDeliver.end())
    {
        m_nextDeliver[origin] = m_known.GetFloor(origin);
    }
    if (!m_fifo)
    {
        Deliver(origin, seq, sent, payload);
    }
    else
    {
        m_fifoPending[id] = {sent, payload};
        FlushFifo(origin);
    }
    return true;
}

void
PbcastApplication::Deliver(GossipSenderId origin, uint64_t seq, Time sent, Ptr<const Packet> p)
{
    NS_LOG_INFO("node " << m_self << " delivers " << origin << ":" << seq);
    m_deliverTrace(origin, seq, Simulator::Now() - sent);
    if (!m_deliverCb.IsNull())
    {
        m_deliverCb(p, origin, seq);
    }
}

void
PbcastApplication::FlushFifo(GossipSenderId origin)
{
    uint64_t& next = m_nextDeliver[origin];
    while (true)
    {
        auto it = m_fifoPending.find({origin, next});
        if (it != m_fifoPending.end())
        {
            auto v = it->second;
            m_fifoPending.erase(it);
            Deliver(origin, next, v.first, v.second);
            ++next;
        }
        else if (m_known.Contains(origin, next) || next < m_known.GetFloor(origin))
        {
            ++next; // given up: skip the gap
        }
        else
        {
            break;
        }
    }
}

uint32_t
PbcastApplication::NoteMissing(GossipSenderId origin, uint64_t from, uint64_t to, uint32_t budget)
{
    from = std::max(from, m_known.GetFloor(origin));
    uint32_t added = 0;
    // Most recent first: with a small budget the newest gaps are the ones worth seeking.
    for (uint64_t s = to; s >= from && s <= to && added < budget; --s)
    {
        GossipMessageId id{origin, s};
        if (!m_known.Contains(origin, s) && m_missing.find(id) == m_missing.end())
        {
            m_missing[id] = m_round;
            m_missingQueue.push_back({m_round, id});
            ++added;
        }
        if (s == 0)
        {
            break;
        }
    }
    return added;
}

bool
PbcastApplication::IsRemoteMember(Ipv4Address address) const
{
    for (const auto& kv : m_members)
    {
        if (kv.second.address == address)
        {
            return kv.second.datacenter != m_datacenter;
        }
    }
    return false;
}

bool
PbcastApplication::IsKnownSender(GossipSenderId id) const
{
    return m_members.count(id) > 0 || m_anchored.count(id) > 0;
}

void
PbcastApplication::ForgetSender(GossipSenderId origin)
{
    m_known.Erase(origin);
    m_nextDeliver.erase(origin);
    m_missing.erase(m_missing.lower_bound({origin, 0}),
                    m_missing.upper_bound({origin, UINT64_MAX}));
    m_requested.erase(m_requested.lower_bound({origin, 0}),
                      m_requested.upper_bound({origin, UINT64_MAX}));
}

void
PbcastApplication::GiveUp(GossipSenderId origin, uint64_t seq)
{
    GossipMessageId id{origin, seq};
    m_missing.erase(id);
    m_requested.erase(id);
    m_known.Add(origin, seq); // nothing more to seek or offer
    NS_LOG_INFO("node " << m_self << " gives up " << origin << ":" << seq);
    m_giveUpTrace(origin, seq);
    if (!m_gapCb.IsNull())
    {
        m_gapCb(origin, seq);
    }
    if (m_fifo)
    {
        FlushFifo(origin);
    }
}

void
PbcastApplication::AdvanceFloor(GossipSenderId origin)
{
    // Everything below the lowest message still buffered, sought or awaiting FIFO delivery
    // has been collected or given up: it leaves the digest's window.
    uint64_t highest;
    if (!m_known.GetHighest(origin, highest))
    {
        return;
    }
    uint64_t floor = highest + 1;
    uint64_t lowest;
    if (m_store.GetLowest(origin, lowest))
    {
        floor = std::min(floor, lowest);
    }
    auto m = m_missing.lower_bound({origin, 0});
    if (m != m_missing.end() && m->first.sender == origin)
    {
        floor = std::min(floor, m->first.seq);
    }
    auto f = m_fifoPending.lower_bound({origin, 0});
    if (f != m_fifoPending.end() && f->first.sender == origin)
    {
        floor = std::min(floor, f->first.seq);
    }
    m_known.SetFloor(origin, floor);
}

void
PbcastApplication::HandleGossip(const PbcastHeader& h, Ipv4Address from)
{
    m_joined = true;
    GossipSenderId peer = h.GetSource();
    if (peer == m_self)
    {
        return;
    }
    const GossipDigest& theirs = h.GetDigest();
    // A digest is a peer's claim, not evidence: only senders already known are sought (the
    // membership sample of this very gossip does not vouch for its digest), at most
    // MaxRequests new missing entries per gossip, and a window is never opened or moved more
    // than FirstContactWindow above what the peer claims to hold, so one lying datagram costs
    // bounded work and cannot hide a sender's real messages for good.
    uint32_t budget = m_maxRequests;
    for (GossipSenderId x : theirs.GetSenders())
    {
        uint64_t theirHigh;
        if (x == m_self || !IsKnownSender(x) || !theirs.GetHighest(x, theirHigh))
        {
            continue;
        }
        if (m_known.Get(x).empty() && m_nextDeliver.find(x) == m_nextDeliver.end())
        {
            // First news of this sender: as on first contact (Accept), seek at most
            // FirstContactWindow below the partner's newest, whatever floor it claims; the
            // sender's own messages override this window (Accept).
            m_known.SetFloor(x, theirHigh - std::min<uint64_t>(theirHigh, m_firstContactWindow));
            m_nextDeliver[x] = m_known.GetFloor(x);
        }
        uint64_t myHigh;
        bool hasHigh = m_known.GetHighest(x, myHigh);
        uint64_t from = hasHigh ? myHigh + 1 : m_known.GetFloor(x);
        if (hasHigh && theirHigh - from > m_firstContactWindow && theirHigh > from)
        {
            theirHigh = from + m_firstContactWindow;
        }
        if (theirHigh >= from && budget > 0)
        {
            budget -= NoteMissing(x, from, theirHigh, budget);
        }
    }
    MergeMembers(h.GetMembers());
    GossipDigest lack = theirs.Minus(m_known);
    lack.SetFloor(m_self, UINT64_MAX); // never request my own messages
    // Most recent first, skipping what was requested within RequestWait rounds.
    std::map<GossipSenderId, GossipDigest> wantBy; // by solicitation target
    uint32_t wanted = 0;
    for (const auto& id : lack.MostRecentFirst(4 * m_maxRequests))
    {
        if (wanted >= m_maxRequests)
        {
            break;
        }
        if (!IsKnownSender(id.sender) || m_missing.find(id) == m_missing.end())
        {
            continue; // only what this member itself believes is missing
        }
        auto r = m_requested.find(id);
        if (r != m_requested.end() && r->second + m_requestWait >= m_round)
        {
            continue;
        }
        m_requested[id] = m_round;
        GossipSenderId target = peer;
        if (m_solicitTarget == SOLICIT_SOURCE)
        {
            auto src = m_members.find(id.sender);
            if (src != m_members.end() && !src->second.failed)
            {
                target = id.sender;
            }
        }
        wantBy[target].Add(id.sender, id.seq);
        ++wanted;
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
        SendTo(p, kv.first == peer ? from : m_members[kv.first].address);
    }
    if (m_push)
    {
        Serve(m_known.Minus(theirs), peer, from, h.GetDatacenter(), false);
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
                  [&](const GossipMessageId& id, Stored& s) {
                      return Retransmit(id, s, dest, destAddr, destDc, solicited);
                  });
}

uint32_t
PbcastApplication::Retransmit(const GossipMessageId& id,
                              Stored& s,
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
        SendMulticast(MakeData(PbcastHeader::RETRANS, id, s, PbcastHeader::FLAG_MULTICAST));
        m_retransmitTrace(id.sender, id.seq, true, kMulticastDest);
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
    SendTo(MakeData(PbcastHeader::RETRANS, id, s, flags), destAddr);
    m_retransmitTrace(id.sender, id.seq, false, dest);
    return cost;
}

void
PbcastApplication::HandleJoin(const PbcastHeader& h, Ipv4Address from)
{
    MergeMembers(h.GetMembers());
    if (h.GetFlags() & PbcastHeader::FLAG_REPLY)
    {
        m_joined = true;
        return;
    }
    HeardFrom(h.GetSource(), from, h.GetDatacenter(), 0);
    PbcastHeader r;
    r.SetType(PbcastHeader::JOIN);
    r.SetFlags(PbcastHeader::FLAG_REPLY);
    r.SetSource(m_self, m_datacenter);
    r.SetMembers(MembershipSample(m_joinReplyMax));
    Ptr<Packet> p = Create<Packet>();
    p->AddHeader(r);
    SendTo(p, from);
}

// ---------------------------------------------------------------- membership

PbcastMemberEntry
PbcastApplication::SelfEntry() const
{
    PbcastMemberEntry e;
    e.id = m_self;
    e.address = m_address;
    e.datacenter = m_datacenter;
    e.heartbeat = m_round;
    return e;
}

void
PbcastApplication::MergeMembers(const std::vector<PbcastMemberEntry>& entries)
{
    for (const auto& e : entries)
    {
        if (e.id != m_self)
        {
            HeardFrom(e.id, e.address, e.datacenter, e.heartbeat);
        }
    }
}

void
PbcastApplication::HeardFrom(GossipSenderId id, Ipv4Address address, uint32_t dc, uint64_t hb)
{
    auto it = m_members.find(id);
    if (it == m_members.end())
    {
        auto r = m_removed.find(id);
        if (r != m_removed.end())
        {
            if (hb <= r->second.first)
            {
                return; // stale news of a removed member
            }
            m_removed.erase(r); // it came back
        }
        Member& m = m_members[id];
        m.address = address;
        m.datacenter = dc;
        m.heartbeat = hb;
        m.updated = Simulator::Now();
        m_liveDirty = true;
        return;
    }
    Member& m = it->second;
    if (hb > m.heartbeat)
    {
        m.heartbeat = hb;
        m.updated = Simulator::Now();
        m.address = address;
        m.datacenter = dc;
        if (m.failed)
        {
            m.failed = false;
            m_liveDirty = true;
        }
    }
}

void
PbcastApplication::CheckFailures()
{
    Time now = Simulator::Now();
    for (auto it = m_members.begin(); it != m_members.end();)
    {
        Member& m = it->second;
        if (!m.failed && now - m.updated > m_failTimeout)
        {
            NS_LOG_INFO("node " << m_self << " suspects " << it->first);
            m.failed = true;
            m_liveDirty = true;
        }
        if (m.failed && now - m.updated > m_removeTimeout)
        {
            // Keep membership bounded; a tombstone stops stale samples from reviving it.
            NS_LOG_INFO("node " << m_self << " removes " << it->first);
            m_removed[it->first] = {m.heartbeat, now};
            it = m_members.erase(it);
            m_liveDirty = true;
            continue;
        }
        ++it;
    }
    // Tombstones outlive any stale sample still circulating (members stop gossiping a member
    // once they see it failed), then go too.
    for (auto it = m_removed.begin(); it != m_removed.end();)
    {
        it = (now - it->second.second > m_removeTimeout) ? m_removed.erase(it) : std::next(it);
    }
}

const std::vector<GossipSenderId>&
PbcastApplication::LiveIds()
{
    if (m_liveDirty)
    {
        m_liveIds.clear();
        m_liveRemote = 0;
        for (const auto& kv : m_members)
        {
            if (!kv.second.failed)
            {
                m_liveIds.push_back(kv.first);
                m_liveRemote += kv.second.datacenter != m_datacenter;
            }
        }
        m_liveDirty = false;
        if (m_partialView > 0)
        {
            m_view.erase(std::remove_if(m_view.begin(),
                                        m_view.end(),
                                        [this](GossipSenderId v) {
                                            auto it = m_members.find(v);
                                            return it == m_members.end() || it->second.failed;
                                        }),
                         m_view.end());
        }
    }
    return m_liveIds;
}

std::vector<GossipSenderId>
PbcastApplication::PickTargets(uint32_t n)
{
    const std::vector<GossipSenderId>& live = LiveIds();
    const std::vector<GossipSenderId>* pool = &live;
    if (m_partialView > 0)
    {
        // Top the view up with random live members not in it yet.
        uint32_t want = std::min<uint32_t>(m_partialView, live.size());
        for (uint32_t tries = 0; m_view.size() < want && tries < 4 * want; ++tries)
        {
            GossipSenderId c = live[m_rng->GetInteger(0, live.size() - 1)];
            if (std::find(m_view.begin(), m_view.end(), c) == m_view.end())
            {
                m_view.push_back(c);
            }
        }
        pool = &m_view;
    }
    std::vector<GossipSenderId> out;
    if (pool->empty())
    {
        return out;
    }
    n = std::min<uint32_t>(n, pool->size());
    while (out.size() < n)
    {
        GossipSenderId c = (*pool)[m_rng->GetInteger(0, pool->size() - 1)];
        if (std::find(out.begin(), out.end(), c) == out.end())
        {
            out.push_back(c);
        }
    }
    return out;
}

std::vector<PbcastMemberEntry>
PbcastApplication::MembershipSample(uint32_t n)
{
    std::vector<PbcastMemberEntry> out{SelfEntry()};
    const std::vector<GossipSenderId>& live = LiveIds();
    if (live.empty() || n <= 1)
    {
        return out;
    }
    std::set<GossipSenderId> chosen;
    uint32_t want = std::min<uint32_t>(n - 1, live.size());
    if (want == live.size())
    {
        chosen.insert(live.begin(), live.end());
    }
    while (chosen.size() < want)
    {
        chosen.insert(live[m_rng->GetInteger(0, live.size() - 1)]);
    }
    for (GossipSenderId id : chosen)
    {
        const Member& m = m_members[id];
        PbcastMemberEntry e;
        e.id = id;
        e.address = m.address;
        e.datacenter = m.datacenter;
        e.heartbeat = m.heartbeat;
        out.push_back(e);
    }
    return out;
}

} // namespace ns3
