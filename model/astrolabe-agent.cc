/*
 * SPDX-License-Identifier: GPL-2.0-only
 */
#include "astrolabe-agent.h"

#include "astrolabe-codec.h"
#include "astrolabe-path.h"

#include "ns3/abort.h"
#include "ns3/double.h"
#include "ns3/log.h"
#include "ns3/packet.h"
#include "ns3/simulator.h"
#include "ns3/string.h"
#include "ns3/trace-source-accessor.h"
#include "ns3/uinteger.h"

#include <algorithm>
#include <cmath>
#include <cstdlib>
#include <sstream>

namespace ns3
{

NS_LOG_COMPONENT_DEFINE("AstrolabeAgent");
NS_OBJECT_ENSURE_REGISTERED(AstrolabeAgent);

using astrolabe::Afc;
using astrolabe::Row;
using astrolabe::Value;

TypeId
AstrolabeAgent::GetTypeId()
{
    static TypeId tid =
        TypeId("ns3::AstrolabeAgent")
            .SetParent<GossipApplication>()
            .SetGroupName("Gossip")
            .AddConstructor<AstrolabeAgent>()
            .AddAttribute("ZonePath",
                          "This host's zone path, e.g. /dc0/rack07/host12 (required).",
                          StringValue(""),
                          MakeStringAccessor(&AstrolabeAgent::SetZonePathAttr,
                                             &AstrolabeAgent::GetZonePathAttr),
                          MakeStringChecker())
            .AddAttribute("Port",
                          "UDP port of every agent (unicast and the rack multicast group).",
                          UintegerValue(5405),
                          MakeUintegerAccessor(&AstrolabeAgent::m_port),
                          MakeUintegerChecker<uint16_t>(1, 65535))
            .AddAttribute("GossipInterval",
                          "Time between gossip rounds (the lecture: about five seconds).",
                          TimeValue(Seconds(5)),
                          MakeTimeAccessor(&AstrolabeAgent::m_interval),
                          MakeTimeChecker(MilliSeconds(1), Hours(1)))
            .AddAttribute("Jitter",
                          "Each interval is multiplied by 1 + U(-Jitter, Jitter).",
                          DoubleValue(0.1),
                          MakeDoubleAccessor(&AstrolabeAgent::m_jitter),
                          MakeDoubleChecker<double>(0.0, 0.5))
            .AddAttribute("Representatives",
                          "k: representatives (contacts) elected per zone by the system AFC.",
                          UintegerValue(3),
                          MakeUintegerAccessor(&AstrolabeAgent::m_k),
                          MakeUintegerChecker<uint32_t>(1, 16))
            .AddAttribute(
                "Election",
                "How the system AFC elects a zone's representatives. Load: the k least-loaded "
                "child rows by `load`, and a zone's `load` is the MIN of its children's, so "
                "this holds at every level (the paper's and the lecture's rule). Name: the "
                "first k children in zone-name order, whatever their load.",
                gossip::compat::EnumValue<Election>(ELECT_BY_LOAD),
                gossip::compat::MakeEnumAccessor(&AstrolabeAgent::m_election),
                MakeEnumChecker(ELECT_BY_LOAD, "Load", ELECT_BY_NAME, "Name"))
            .AddAttribute("MaxChildren",
                          "Bound on the child zones of a table (the lecture's 50-100 rows).",
                          UintegerValue(64),
                          MakeUintegerAccessor(&AstrolabeAgent::m_maxChildren),
                          MakeUintegerChecker<uint32_t>(2, 100000))
            .AddAttribute(
                "MaxAfcs",
                "Bound on the user AFCs (besides \"system\") an agent holds; a new "
                "name beyond it is dropped and reported through AfcError.",
                UintegerValue(16),
                MakeUintegerAccessor(&AstrolabeAgent::SetMaxAfcs, &AstrolabeAgent::GetMaxAfcs),
                MakeUintegerChecker<uint32_t>(1, 255))
            .AddAttribute("MaxRepsPerZone",
                          "Bound on the rows (one per representative) kept for one child zone; "
                          "a new rep beyond it evicts the row updated least recently.",
                          UintegerValue(16),
                          MakeUintegerAccessor(&AstrolabeAgent::m_maxReps),
                          MakeUintegerChecker<uint32_t>(1, 1000000))
            .AddAttribute("MaxMessageSize",
                          "Bound on a datagram's payload in bytes; digests and rows beyond it "
                          "are left for later rounds.",
                          UintegerValue(8192),
                          MakeUintegerAccessor(&AstrolabeAgent::m_maxMessage),
                          MakeUintegerChecker<uint32_t>(512, 65000))
            .AddAttribute("FailBaseRounds",
                          "T_fail = GossipInterval x (FailBaseRounds + FailLogFactor x "
                          "log2(nmembers)).",
                          DoubleValue(4.0),
                          MakeDoubleAccessor(&AstrolabeAgent::m_failBaseRounds),
                          MakeDoubleChecker<double>(1.0, 10000.0))
            .AddAttribute("FailLogFactor",
                          "See FailBaseRounds.",
                          DoubleValue(2.0),
                          MakeDoubleAccessor(&AstrolabeAgent::m_failLogFactor),
                          MakeDoubleChecker<double>(0.0, 1000.0))
            .AddAttribute("SupersededRounds",
                          "A zone's copy from one representative counts as live for this many "
                          "gossip intervals after it last advanced, and is dropped after as "
                          "many without an update while another copy is fresher (former "
                          "representatives, and the rows every agent publishes at start-up "
                          "before it learns it is none).",
                          DoubleValue(3.0),
                          MakeDoubleAccessor(&AstrolabeAgent::m_supersededRounds),
                          MakeDoubleChecker<double>(0.5, 1000.0))
            .AddAttribute("MulticastGroup",
                          "Rack-scope group for \"anyone out there?\" (0.0.0.0: none).",
                          Ipv4AddressValue(Ipv4Address::GetAny()),
                          MakeIpv4AddressAccessor(&AstrolabeAgent::m_group),
                          MakeIpv4AddressChecker())
            .AddAttribute("MaxClockOffset",
                          "Each agent's clock is off by U(0, MaxClockOffset); the protocol "
                          "also takes it as the bound on clock differences. Rows and AFCs "
                          "issued more than this (plus GossipInterval) ahead of the local "
                          "clock are refused; a copy counts as updated at `issued` + this at "
                          "the latest, not at its arrival, so that an old row passed around "
                          "does not look new; and a partner's copy is replaced by ours when "
                          "ours was issued later by more than this.",
                          TimeValue(Seconds(0)),
                          MakeTimeAccessor(&AstrolabeAgent::m_maxClockOffset),
                          MakeTimeChecker(Seconds(0), Hours(10000)))
            .AddAttribute("Load",
                          "The own row's `load` attribute (used to elect representatives).",
                          DoubleValue(0.0),
                          MakeDoubleAccessor(&AstrolabeAgent::SetLoad, &AstrolabeAgent::GetLoad),
                          MakeDoubleChecker<double>())
            .AddAttribute("MibAttributes",
                          "Own-row user attributes, e.g. \"load=0.5;name='web';up=true;n=3\".",
                          StringValue(""),
                          MakeStringAccessor(&AstrolabeAgent::SetMibAttributesString,
                                             &AstrolabeAgent::GetMibAttributesString),
                          MakeStringChecker())
            .AddTraceSource("RowChanged",
                            "A replicated row was added or updated (table zone, row).",
                            MakeTraceSourceAccessor(&AstrolabeAgent::m_rowChangedTrace),
                            "ns3::AstrolabeAgent::RowTracedCallback")
            .AddTraceSource("RowExpired",
                            "A row was removed after T_fail (table zone, row).",
                            MakeTraceSourceAccessor(&AstrolabeAgent::m_rowExpiredTrace),
                            "ns3::AstrolabeAgent::RowTracedCallback")
            .AddTraceSource("AggregateChanged",
                            "An attribute of an ancestor zone's row changed (zone, name, "
                            "value).",
                            MakeTraceSourceAccessor(&AstrolabeAgent::m_aggregateTrace),
                            "ns3::AstrolabeAgent::AggregateTracedCallback")
            .AddTraceSource("AfcInstalled",
                            "An AFC was installed or replaced (name, text).",
                            MakeTraceSourceAccessor(&AstrolabeAgent::m_afcInstalledTrace),
                            "ns3::AstrolabeAgent::AfcTracedCallback")
            .AddTraceSource("AfcError",
                            "An AFC failed on the data or exceeded its output cap (name, why).",
                            MakeTraceSourceAccessor(&AstrolabeAgent::m_afcErrorTrace),
                            "ns3::AstrolabeAgent::AfcTracedCallback")
            .AddTraceSource("Gossip",
                            "This agent started a gossip exchange (level, partner).",
                            MakeTraceSourceAccessor(&AstrolabeAgent::m_gossipTrace),
                            "ns3::AstrolabeAgent::GossipTracedCallback");
    return tid;
}

AstrolabeAgent::AstrolabeAgent()
{
    NS_LOG_FUNCTION(this);
    // the base created the application's random variable first, as before
    m_afcRng = CreateObject<UniformRandomVariable>();
    Ptr<UniformRandomVariable> rng = GetRandom();
    m_draw = [rng](uint32_t n) { return rng->GetInteger(0, n - 1); };
    Ptr<UniformRandomVariable> afcRng = m_afcRng;
    m_afcDraw = [afcRng](uint32_t n) { return afcRng->GetInteger(0, n - 1); };
}

AstrolabeAgent::~AstrolabeAgent() = default;

void
AstrolabeAgent::DoDispose()
{
    NS_LOG_FUNCTION(this);
    m_sampler = nullptr;
    m_subscriptions.clear();
    GossipApplication::DoDispose();
}

int64_t
AstrolabeAgent::DoAssignStreams(int64_t stream)
{
    NS_LOG_FUNCTION(this << stream);
    m_afcRng->SetStream(stream);
    return 1;
}

// ---------------------------------------------------------------- configuration

void
AstrolabeAgent::SetZonePathAttr(std::string path)
{
    m_mib.SetPath(path);
    m_gossipsAtLevel.assign(m_mib.GetNLevels(), 0);
}

std::string
AstrolabeAgent::GetZonePathAttr() const
{
    return m_mib.GetPath();
}

void
AstrolabeAgent::SetLoad(double load)
{
    m_mib.GetOwnRow().Set("load", Value(load));
}

double
AstrolabeAgent::GetLoad() const
{
    return m_mib.GetOwnRow().Get("load").GetDouble();
}

void
AstrolabeAgent::SetMaxAfcs(uint32_t n)
{
    m_afcs.SetMaxAfcs(n);
}

uint32_t
AstrolabeAgent::GetMaxAfcs() const
{
    return m_afcs.GetMaxAfcs();
}

void
AstrolabeAgent::SetMibAttributesString(std::string spec)
{
    m_mibSpec = spec;
    std::istringstream is(spec);
    std::string item;
    while (std::getline(is, item, ';'))
    {
        if (item.find_first_not_of(" \t") == std::string::npos)
        {
            continue;
        }
        auto eq = item.find('=');
        NS_ABORT_MSG_IF(eq == std::string::npos,
                        "MibAttributes item '" << item << "' is not name=value");
        std::string name = item.substr(0, eq);
        std::string v = item.substr(eq + 1);
        name.erase(0, name.find_first_not_of(" \t"));
        name.erase(name.find_last_not_of(" \t") + 1);
        v.erase(0, v.find_first_not_of(" \t"));
        v.erase(v.find_last_not_of(" \t") + 1);
        Value value;
        if (v.size() >= 2 && v.front() == '\'' && v.back() == '\'')
        {
            value = Value(v.substr(1, v.size() - 2));
        }
        else if (v == "true" || v == "false")
        {
            value = Value(v == "true");
        }
        else
        {
            char* end = nullptr;
            long long i = std::strtoll(v.c_str(), &end, 10);
            if (!v.empty() && *end == '\0')
            {
                value = Value(static_cast<int64_t>(i));
            }
            else
            {
                double d = std::strtod(v.c_str(), &end);
                NS_ABORT_MSG_IF(v.empty() || *end != '\0',
                                "MibAttributes value '" << v << "' of '" << name
                                                        << "' is not an int, double, bool or "
                                                           "'quoted string'");
                value = Value(d);
            }
        }
        SetMibAttribute(name, value);
    }
}

std::string
AstrolabeAgent::GetMibAttributesString() const
{
    return m_mibSpec;
}

void
AstrolabeAgent::SetSeeds(const std::vector<Ipv4Address>& seeds)
{
    NS_LOG_FUNCTION(this);
    m_seeds = seeds;
}

const std::vector<Ipv4Address>&
AstrolabeAgent::GetSeeds() const
{
    NS_LOG_FUNCTION(this);
    return m_seeds;
}

void
AstrolabeAgent::SetMibAttribute(const std::string& name, const Value& value)
{
    NS_LOG_FUNCTION(this << name);
    NS_ABORT_MSG_IF(Row::IsSystemAttribute(name),
                    "MIB attribute '" << name
                                      << "' is maintained by Astrolabe; choose another name");
    NS_ABORT_MSG_IF(name.empty() || name.size() > 255, "MIB attribute name must be 1..255 chars");
    NS_ABORT_MSG_IF(!Row::HasProtocolType(name, value),
                    "MIB attribute '"
                        << name << "' = " << value.ToString()
                        << " is invalid: the election sorts by it, allowed: a number");
    m_mib.GetOwnRow().Set(name, value);
}

Value
AstrolabeAgent::GetMibAttribute(const std::string& name) const
{
    NS_LOG_FUNCTION(this << name);
    return m_mib.GetOwnRow().Get(name);
}

void
AstrolabeAgent::SetSamplingCallback(SamplingCallback cb)
{
    NS_LOG_FUNCTION(this);
    m_sampler = cb;
}

bool
AstrolabeAgent::InstallAfc(const std::string& name,
                           const std::string& text,
                           std::string& error,
                           Time expiresAfter,
                           uint32_t maxOutputBytes)
{
    NS_LOG_FUNCTION(this << name << text << expiresAfter << maxOutputBytes);
    int64_t expires =
        expiresAfter.IsStrictlyPositive() ? Clock() + expiresAfter.GetMicroSeconds() : 0;
    Afc afc;
    if (!m_afcs.Prepare(name,
                        text,
                        Clock(),
                        expires,
                        maxOutputBytes,
                        m_mib.GetPath(),
                        m_maxMessage / 4,
                        afc,
                        error))
    {
        return false;
    }
    AcceptAfc(afc);
    return true;
}

std::vector<Afc>
AstrolabeAgent::GetAfcs() const
{
    NS_LOG_FUNCTION(this);
    std::vector<Afc> v;
    for (const auto& kv : m_afcs.GetAll())
    {
        v.push_back(kv.second);
    }
    return v;
}

// ---------------------------------------------------------------- reading

const std::string&
AstrolabeAgent::GetZonePath() const
{
    NS_LOG_FUNCTION(this);
    return m_mib.GetPath();
}

std::vector<std::string>
AstrolabeAgent::GetAncestors() const
{
    NS_LOG_FUNCTION(this);
    return m_mib.GetAncestors();
}

std::vector<Row>
AstrolabeAgent::GetZoneTable(const std::string& zone) const
{
    NS_LOG_FUNCTION(this << zone);
    return m_mib.GetZoneTable(zone, Clock(), LiveWindow());
}

bool
AstrolabeAgent::GetZoneRow(const std::string& zone, Row& row) const
{
    NS_LOG_FUNCTION(this << zone);
    return m_mib.GetZoneRow(zone, row, Clock(), LiveWindow());
}

Value
AstrolabeAgent::GetAggregate(const std::string& zone, const std::string& attr) const
{
    NS_LOG_FUNCTION(this << zone << attr);
    Row r;
    return GetZoneRow(zone, r) ? r.Get(attr) : Value();
}

Row
AstrolabeAgent::GetOwnRow() const
{
    NS_LOG_FUNCTION(this);
    return m_mib.GetOwnRow();
}

void
AstrolabeAgent::SubscribeAggregate(const std::string& zone,
                                   const std::string& attr,
                                   AggregateCallback cb)
{
    NS_LOG_FUNCTION(this << zone << attr);
    m_subscriptions.emplace(std::make_pair(zone, attr), cb);
}

bool
AstrolabeAgent::IsContact(uint32_t level) const
{
    NS_LOG_FUNCTION(this << level);
    return m_mib.IsContact(level);
}

uint32_t
AstrolabeAgent::GetNReps(const std::string& zone, const std::string& child) const
{
    NS_LOG_FUNCTION(this << zone << child);
    return m_mib.GetNReps(zone, child);
}

uint32_t
AstrolabeAgent::GetNLevels() const
{
    NS_LOG_FUNCTION(this);
    return m_mib.GetNLevels();
}

Time
AstrolabeAgent::GetFailTimeout() const
{
    NS_LOG_FUNCTION(this);
    double n = 2;
    if (const Row* root = m_mib.FindComputedRow("/"))
    {
        n = std::max<double>(2.0, static_cast<double>(root->GetNMembers()));
    }
    return m_interval * (m_failBaseRounds + m_failLogFactor * std::log2(n));
}

int64_t
AstrolabeAgent::LiveWindow() const
{
    // asked for every copy in every exchange; Time x double is not cheap
    if (m_liveWindowFor != std::make_pair(m_interval.GetTimeStep(), m_supersededRounds))
    {
        m_liveWindowFor = {m_interval.GetTimeStep(), m_supersededRounds};
        m_liveWindow = (m_interval * m_supersededRounds).GetMicroSeconds();
    }
    return m_liveWindow;
}

uint64_t
AstrolabeAgent::GetTxPackets() const
{
    NS_LOG_FUNCTION(this);
    return m_txPackets;
}

uint64_t
AstrolabeAgent::GetTxBytes() const
{
    NS_LOG_FUNCTION(this);
    return m_txBytes;
}

uint64_t
AstrolabeAgent::GetRxPackets() const
{
    NS_LOG_FUNCTION(this);
    return m_rxPackets;
}

uint64_t
AstrolabeAgent::GetGossipsAtLevel(uint32_t level) const
{
    NS_LOG_FUNCTION(this << level);
    return level < m_gossipsAtLevel.size() ? m_gossipsAtLevel[level] : 0;
}

// ---------------------------------------------------------------- life cycle

void
AstrolabeAgent::StartApplication()
{
    NS_LOG_FUNCTION(this);
    std::string bad = astrolabe::ValidatePath(m_mib.GetPath());
    NS_ABORT_MSG_IF(!bad.empty(), "AstrolabeAgent ZonePath: " << bad);
    NS_ABORT_MSG_IF(!m_interval.IsStrictlyPositive(),
                    "AstrolabeAgent GossipInterval must be > 0, got " << m_interval);
    const Ipv4Address self = ResolveLocalAddress();
    m_mib.SetAddress(self);
    m_clockOffset =
        static_cast<int64_t>(GetRandom()->GetValue(0, m_maxClockOffset.GetMicroSeconds()));

    std::string err;
    NS_ABORT_MSG_IF(!m_afcs.InstallSystem(m_k, m_election == ELECT_BY_LOAD, err),
                    "built-in system AFC: " << err);
    astrolabe::AddressSet selfSet{self};
    Row& own = m_mib.GetOwnRow();
    own.Set("nmembers", Value(int64_t{1}));
    own.Set("depth", Value(int64_t{0}));
    own.Set("contacts", Value(selfSet));
    own.Set("servers", Value(selfSet));

    OpenSocket(m_port, MakeCallback(&AstrolabeAgent::HandleRead, this));
    m_running = true;
    m_mib.RefreshOwnRow(Clock());
    Recompute();
    ScheduleRound(true);
}

void
AstrolabeAgent::StopApplication()
{
    NS_LOG_FUNCTION(this);
    m_running = false;
    Simulator::Cancel(m_roundEvent);
    CloseSocket();
}

int64_t
AstrolabeAgent::Clock() const
{
    return Simulator::Now().GetMicroSeconds() + m_clockOffset;
}

void
AstrolabeAgent::ScheduleRound(bool first)
{
    Time next = first ? m_interval * GetRandom()->GetValue(0.0, 1.0)
                      : m_interval * (1.0 + GetRandom()->GetValue(-m_jitter, m_jitter));
    m_roundEvent = Simulator::Schedule(next, &AstrolabeAgent::Round, this);
}

astrolabe::Exchange
AstrolabeAgent::MakeExchange() const
{
    return astrolabe::Exchange(m_mib,
                               m_afcs,
                               Clock(),
                               LiveWindow(),
                               m_maxMessage,
                               m_maxClockOffset.GetMicroSeconds());
}

// ---------------------------------------------------------------- the round

void
AstrolabeAgent::Round()
{
    if (!m_running)
    {
        return;
    }
    ++m_round;
    if (m_sampler)
    {
        m_sampler(this);
    }
    m_mib.RefreshOwnRow(Clock());
    ExpireRows();
    ExpireAfcs();
    Recompute();
    GossipAtEveryLevel();
    ScheduleRound(false);
}

void
AstrolabeAgent::GossipAtEveryLevel()
{
    const Ptr<UniformRandomVariable> rng = GetRandom();
    const Ipv4Address self = GetLocalAddress();
    const int64_t now = Clock();
    const uint32_t depth = m_mib.GetNLevels();
    for (uint32_t l = depth; l-- > 0;)
    {
        if (!m_mib.IsContact(l))
        {
            continue;
        }
        const astrolabe::Name& own = m_mib.GetZone(l + 1);
        std::vector<const Row*> others;
        std::vector<Ipv4Address> known{self}; // sorted below, for binary search
        for (const Row* r : m_mib.ZoneView(l, now, LiveWindow()))
        {
            const auto& contacts = r->GetContacts();
            known.insert(known.end(), contacts.begin(), contacts.end());
            if (r->GetIdName() != own && !contacts.empty())
            {
                others.push_back(r);
            }
        }
        std::sort(known.begin(), known.end());
        // Other representatives' copies of our own zone's row (in the table above) list
        // contacts inside our zone. One that is in none of the child zones we know means the
        // zone is split into groups that do not know each other: gossip with it to merge them.
        std::vector<Ipv4Address> unknown;
        if (l > 0)
        {
            const astrolabe::Name& zone = m_mib.GetZone(l);
            for (const auto& kv : m_mib.GetTable(l - 1).GetEntries())
            {
                if (kv.first.first == zone && kv.first.second != m_mib.GetPath())
                {
                    for (const auto& a : kv.second.row.GetContacts())
                    {
                        if (!std::binary_search(known.begin(), known.end(), a) &&
                            std::find(unknown.begin(), unknown.end(), a) == unknown.end())
                        {
                            unknown.push_back(a);
                        }
                    }
                }
            }
        }
        if (!unknown.empty())
        {
            // in addition to the regular exchange: a dead contact must not replace it
            GossipAtLevel(l, unknown[rng->GetInteger(0, unknown.size() - 1)]);
        }
        if (others.empty())
        {
            // Alone at this level: ask the rack ("anyone out there?") or a seed.
            if (l + 1 == depth && m_group != Ipv4Address::GetAny())
            {
                GossipAtLevel(l, m_group);
            }
            else if (!m_seeds.empty())
            {
                Ipv4Address seed = m_seeds[rng->GetInteger(0, m_seeds.size() - 1)];
                if (seed != self)
                {
                    GossipAtLevel(l, seed);
                }
            }
            continue;
        }
        const Row& zone = *others[rng->GetInteger(0, others.size() - 1)];
        const auto& contacts = zone.GetContacts();
        Ipv4Address to = contacts[rng->GetInteger(0, contacts.size() - 1)];
        if (to != self)
        {
            GossipAtLevel(l, to);
        }
    }
}

void
AstrolabeAgent::ExpireRows()
{
    m_mib.ExpireRows(
        Clock(),
        GetFailTimeout().GetMicroSeconds(),
        LiveWindow(),
        [this](const std::string& zone, const Row& row) { m_rowExpiredTrace(zone, row); });
}

void
AstrolabeAgent::ExpireAfcs()
{
    m_afcs.Expire(Clock(), [this](const std::string& name) { m_afcErrorTrace(name, "expired"); });
}

void
AstrolabeAgent::Recompute()
{
    const int64_t now = Clock();
    const astrolabe::Name& rep = m_mib.GetPath();
    const uint32_t defaultCap = m_maxMessage / 8;
    m_mib.Recompute(
        now,
        LiveWindow(),
        [this, now, &rep, defaultCap](const astrolabe::Name& zone,
                                      const std::vector<const Row*>& rows) {
            return m_afcs.Aggregate(zone,
                                    rep,
                                    now,
                                    rows,
                                    m_afcDraw,
                                    defaultCap,
                                    [this](const std::string& name, const std::string& why) {
                                        m_afcErrorTrace(name, why);
                                    });
        },
        [this](const std::string& zone, const std::string& attr, const Value& value) {
            m_aggregateTrace(zone, attr, value);
            auto range = m_subscriptions.equal_range({zone, attr});
            for (auto it = range.first; it != range.second; ++it)
            {
                it->second(zone, attr, value);
            }
        });
}

// ---------------------------------------------------------------- messages

void
AstrolabeAgent::GossipAtLevel(uint32_t level, Ipv4Address to)
{
    AstrolabeHeader h = MakeExchange().Gossip(level, m_draw);
    ++m_gossipsAtLevel[level];
    m_gossipTrace(level, to);
    Send(h, to);
}

void
AstrolabeAgent::Send(const AstrolabeHeader& h, Ipv4Address to)
{
    if (!IsSocketOpen())
    {
        return;
    }
    Ptr<Packet> p = Create<Packet>();
    p->AddHeader(h);
    NS_LOG_LOGIC(m_mib.GetPath() << " -> " << to << " " << AstrolabeHeader::TypeName(h.GetType())
                                 << " " << p->GetSize() << " B");
    ++m_txPackets;
    m_txBytes += p->GetSize();
    SendTo(p, to, m_port);
}

void
AstrolabeAgent::HandleRead(Ptr<Socket>)
{
    Ipv4Address from;
    while (Ptr<Packet> p = ReceiveFrom(from))
    {
        if (!m_running)
        {
            return;
        }
        ++m_rxPackets;
        if (p->GetSize() < 2 || p->GetSize() > 65000)
        {
            NotifyMalformed(p, from, "size " + std::to_string(p->GetSize()));
            continue;
        }
        AstrolabeHeader h;
        p->PeekHeader(h); // the whole datagram; p stays as it came, for the malformed trace
        if (!h.IsValid())
        {
            NS_LOG_LOGIC(m_mib.GetPath()
                         << " drops a malformed datagram from " << from << ": " << h.GetError());
            NotifyMalformed(p, from, h.GetError());
            continue;
        }
        if (h.GetSender() == m_mib.GetPath())
        {
            continue; // our own multicast
        }
        MergeRows(h); // a gossiper may push rows along with its digest
        MergeAfcs(h);
        switch (h.GetType())
        {
        case AstrolabeHeader::GOSSIP:
            Send(MakeExchange().Reply(h, from, m_draw), from);
            break;
        case AstrolabeHeader::REPLY:
            if (!h.GetRequests().empty() || !h.GetAfcRequests().empty())
            {
                Send(MakeExchange().Rows(h), from);
            }
            break;
        case AstrolabeHeader::ROWS:
            break;
        }
    }
}

void
AstrolabeAgent::MergeRows(const AstrolabeHeader& h)
{
    m_mib.MergeRows(
        h.GetRows(),
        Clock(),
        m_maxChildren,
        m_maxReps,
        [this](const std::string& zone, const Row& row) { m_rowChangedTrace(zone, row); },
        LatestIssued(),
        m_maxClockOffset.GetMicroSeconds());
}

int64_t
AstrolabeAgent::LatestIssued() const
{
    // Clocks differ by at most MaxClockOffset, so nothing honest is issued later than this
    // (one gossip interval of slack).
    return Clock() + m_maxClockOffset.GetMicroSeconds() + m_interval.GetMicroSeconds();
}

void
AstrolabeAgent::MergeAfcs(const AstrolabeHeader& h)
{
    for (const auto& afc : h.GetAfcs())
    {
        AcceptAfc(afc);
    }
}

bool
AstrolabeAgent::AcceptAfc(const Afc& afc)
{
    std::string why;
    switch (m_afcs.Accept(afc, Clock(), why, LatestIssued()))
    {
    case astrolabe::AfcTable::Outcome::IGNORED:
        return false;
    case astrolabe::AfcTable::Outcome::REFUSED:
        m_afcErrorTrace(afc.GetName(), why);
        return false;
    case astrolabe::AfcTable::Outcome::INSTALLED:
        break;
    }
    NS_LOG_INFO(m_mib.GetPath() << " installs AFC " << afc.GetName() << ": " << afc.GetText());
    m_afcInstalledTrace(afc.GetName(), afc.GetText());
    return true;
}

} // namespace ns3
