/*
 * SPDX-License-Identifier: GPL-2.0-only
 */
#include "astrolabe-agent.h"

#include "ns3/abort.h"
#include "ns3/double.h"
#include "ns3/inet-socket-address.h"
#include "ns3/ipv4.h"
#include "ns3/log.h"
#include "ns3/packet.h"
#include "ns3/simulator.h"
#include "ns3/string.h"
#include "ns3/trace-source-accessor.h"
#include "ns3/udp-socket-factory.h"
#include "ns3/uinteger.h"

#include <algorithm>
#include <cmath>
#include <numeric>
#include <set>
#include <sstream>

namespace ns3
{

NS_LOG_COMPONENT_DEFINE("AstrolabeAgent");
NS_OBJECT_ENSURE_REGISTERED(AstrolabeAgent);

namespace
{
/// Fixed part of a datagram: version, type, sender, five counts (see AstrolabeHeader).
uint32_t
Overhead(const std::string& sender)
{
    return 2 + 2 + sender.size() + 2 + 2 + 2 + 1 + 1 + 1;
}
} // namespace

TypeId
AstrolabeAgent::GetTypeId()
{
    static TypeId tid =
        TypeId("ns3::AstrolabeAgent")
            .SetParent<Application>()
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
            .AddAttribute("MaxChildren",
                          "Bound on the child zones of a table (the lecture's 50-100 rows).",
                          UintegerValue(64),
                          MakeUintegerAccessor(&AstrolabeAgent::m_maxChildren),
                          MakeUintegerChecker<uint32_t>(2, 100000))
            .AddAttribute("MaxAfcs",
                          "Bound on the user AFCs (besides \"system\") an agent holds; a new "
                          "name beyond it is dropped and reported through AfcError.",
                          UintegerValue(16),
                          MakeUintegerAccessor(&AstrolabeAgent::m_maxAfcs),
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
                          "Each agent's clock is off by U(0, MaxClockOffset): `issued` is only "
                          "compared between rows of the same rep, so this must not matter.",
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
            .AddTraceSource("Tx",
                            "A datagram was sent (packet, destination).",
                            MakeTraceSourceAccessor(&AstrolabeAgent::m_txTrace),
                            "ns3::AstrolabeAgent::PacketAddressTracedCallback")
            .AddTraceSource("Rx",
                            "A datagram was received (packet, source).",
                            MakeTraceSourceAccessor(&AstrolabeAgent::m_rxTrace),
                            "ns3::AstrolabeAgent::PacketAddressTracedCallback")
            .AddTraceSource("Drop",
                            "A malformed datagram was dropped (packet, source, reason).",
                            MakeTraceSourceAccessor(&AstrolabeAgent::m_dropTrace),
                            "ns3::AstrolabeAgent::DropTracedCallback")
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
    m_rng = CreateObject<UniformRandomVariable>();
    m_afcRng = CreateObject<UniformRandomVariable>();
}

AstrolabeAgent::~AstrolabeAgent() = default;

void
AstrolabeAgent::DoDispose()
{
    m_socket = nullptr;
    m_sampler = nullptr;
    m_subscriptions.clear();
    Application::DoDispose();
}

// ---------------------------------------------------------------- configuration

void
AstrolabeAgent::SetZonePathAttr(std::string path)
{
    m_path = path;
    m_parts = astrolabe::SplitPath(path);
    m_prefix.clear();
    for (uint32_t d = 0; d <= m_parts.size(); ++d)
    {
        m_prefix.push_back(astrolabe::PathPrefix(m_parts, d));
    }
    m_contactOf.assign(m_parts.size(), false);
    m_tables.assign(m_parts.size(), AstrolabeTable());
    m_gossipsAtLevel.assign(m_parts.size(), 0);
    m_own.SetId(path);
    m_own.SetRep(path);
}

std::string
AstrolabeAgent::GetZonePathAttr() const
{
    return m_path;
}

void
AstrolabeAgent::SetLoad(double load)
{
    m_own.Set("load", AstrolabeValue(load));
}

double
AstrolabeAgent::GetLoad() const
{
    return m_own.Get("load").GetDouble();
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
        AstrolabeValue value;
        if (v.size() >= 2 && v.front() == '\'' && v.back() == '\'')
        {
            value = AstrolabeValue(v.substr(1, v.size() - 2));
        }
        else if (v == "true" || v == "false")
        {
            value = AstrolabeValue(v == "true");
        }
        else
        {
            char* end = nullptr;
            long long i = std::strtoll(v.c_str(), &end, 10);
            if (!v.empty() && *end == '\0')
            {
                value = AstrolabeValue(static_cast<int64_t>(i));
            }
            else
            {
                double d = std::strtod(v.c_str(), &end);
                NS_ABORT_MSG_IF(v.empty() || *end != '\0',
                                "MibAttributes value '" << v << "' of '" << name
                                                        << "' is not an int, double, bool or "
                                                           "'quoted string'");
                value = AstrolabeValue(d);
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
    m_seeds = seeds;
}

void
AstrolabeAgent::SetMibAttribute(const std::string& name, const AstrolabeValue& value)
{
    NS_ABORT_MSG_IF(AstrolabeRow::IsSystemAttribute(name),
                    "MIB attribute '" << name
                                      << "' is maintained by Astrolabe; choose another name");
    NS_ABORT_MSG_IF(name.empty() || name.size() > 255, "MIB attribute name must be 1..255 chars");
    m_own.Set(name, value);
}

AstrolabeValue
AstrolabeAgent::GetMibAttribute(const std::string& name) const
{
    return m_own.Get(name);
}

void
AstrolabeAgent::SetSamplingCallback(SamplingCallback cb)
{
    m_sampler = cb;
}

bool
AstrolabeAgent::InstallAfc(const std::string& name,
                           const std::string& text,
                           std::string& error,
                           Time expiresAfter,
                           uint32_t maxOutputBytes)
{
    AstrolabeAfc afc;
    AstrolabeSqlError err;
    std::string why = RefuseAfc(name, nullptr);
    if (!why.empty())
    {
        error = why;
        return false;
    }
    int64_t expires =
        expiresAfter.IsStrictlyPositive() ? Clock() + expiresAfter.GetMicroSeconds() : 0;
    // issued must beat the AFC it replaces even if our clock is behind the issuer's
    int64_t issued = Clock();
    auto it = m_afcs.find(name);
    if (it != m_afcs.end() && it->second.GetIssued() >= issued)
    {
        issued = it->second.GetIssued() + 1;
    }
    if (!afc.Init(name, text, issued, expires, maxOutputBytes, m_path, err))
    {
        error = err.ToString();
        return false;
    }
    if (afc.GetSerializedSize() > m_maxMessage / 4)
    {
        error = "AFC '" + name + "' is too large to gossip";
        return false;
    }
    why = RefuseAfc(name, &afc);
    if (!why.empty())
    {
        error = why;
        return false;
    }
    AcceptAfc(afc);
    return true;
}

std::vector<AstrolabeAfc>
AstrolabeAgent::GetAfcs() const
{
    std::vector<AstrolabeAfc> v;
    for (const auto& kv : m_afcs)
    {
        v.push_back(kv.second);
    }
    return v;
}

int64_t
AstrolabeAgent::AssignStreams(int64_t stream)
{
    m_rng->SetStream(stream);
    m_afcRng->SetStream(stream + 1);
    return 2;
}

// ---------------------------------------------------------------- reading

const std::string&
AstrolabeAgent::GetZonePath() const
{
    return m_path;
}

std::vector<std::string>
AstrolabeAgent::GetAncestors() const
{
    std::vector<std::string> a;
    for (uint32_t l = 0; l < m_parts.size(); ++l)
    {
        a.push_back(m_prefix[l]);
    }
    return a;
}

int
AstrolabeAgent::LevelOfZone(const std::string& tableZone) const
{
    for (uint32_t l = 0; l < m_parts.size(); ++l)
    {
        if (m_prefix[l] == tableZone)
        {
            return static_cast<int>(l);
        }
    }
    return -1;
}

std::vector<AstrolabeRow>
AstrolabeAgent::GetZoneTable(const std::string& zone) const
{
    int l = LevelOfZone(zone);
    if (l < 0)
    {
        return {};
    }
    std::vector<AstrolabeRow> view;
    for (const AstrolabeRow* r : ZoneView(l))
    {
        view.push_back(*r);
    }
    return view;
}

std::vector<const AstrolabeRow*>
AstrolabeAgent::ZoneView(uint32_t level) const
{
    const AstrolabeTable& table = m_tables[level];
    std::vector<const AstrolabeRow*> view;
    // our own child zone: always our own freshest computation
    const AstrolabeName& own = m_prefix[level + 1];
    const AstrolabeTable::Entry* mine = table.Find({own, m_path});
    for (const AstrolabeTable::Item* item :
         table.GetViewItems(Clock(), LiveWindow(), AstrolabeName()))
    {
        view.push_back(item->first.first == own && mine ? &mine->row : &item->second.row);
    }
    return view;
}

bool
AstrolabeAgent::GetZoneRow(const std::string& zone, AstrolabeRow& row) const
{
    auto it = m_zoneRows.find(zone);
    if (it != m_zoneRows.end())
    {
        row = it->second;
        return true;
    }
    if (zone == m_path)
    {
        row = m_own;
        return true;
    }
    auto parts = astrolabe::SplitPath(zone);
    if (parts.empty())
    {
        return false;
    }
    for (const auto& r : GetZoneTable(astrolabe::PathPrefix(parts, parts.size() - 1)))
    {
        if (r.GetId() == zone)
        {
            row = r;
            return true;
        }
    }
    return false;
}

AstrolabeValue
AstrolabeAgent::GetAggregate(const std::string& zone, const std::string& attr) const
{
    AstrolabeRow r;
    return GetZoneRow(zone, r) ? r.Get(attr) : AstrolabeValue();
}

AstrolabeRow
AstrolabeAgent::GetOwnRow() const
{
    return m_own;
}

void
AstrolabeAgent::SubscribeAggregate(const std::string& zone,
                                   const std::string& attr,
                                   AggregateCallback cb)
{
    m_subscriptions.emplace(std::make_pair(zone, attr), cb);
}

bool
AstrolabeAgent::IsContact(uint32_t level) const
{
    if (level + 1 >= m_parts.size())
    {
        return true; // everybody speaks for its own host zone
    }
    return m_contactOf[level];
}

bool
AstrolabeAgent::ComputeIsContact(uint32_t level) const
{
    auto it = m_zoneRows.find(m_prefix[level + 1]);
    if (it == m_zoneRows.end())
    {
        return false;
    }
    const auto& c = it->second.GetContacts();
    return std::find(c.begin(), c.end(), m_address) != c.end();
}

uint32_t
AstrolabeAgent::GetNLevels() const
{
    return m_parts.size();
}

Time
AstrolabeAgent::GetFailTimeout() const
{
    double n = 2;
    auto it = m_zoneRows.find("/");
    if (it != m_zoneRows.end())
    {
        n = std::max<double>(2.0, static_cast<double>(it->second.GetNMembers()));
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

Ipv4Address
AstrolabeAgent::GetAddress() const
{
    return m_address;
}

uint64_t
AstrolabeAgent::GetTxPackets() const
{
    return m_txPackets;
}

uint64_t
AstrolabeAgent::GetTxBytes() const
{
    return m_txBytes;
}

uint64_t
AstrolabeAgent::GetRxPackets() const
{
    return m_rxPackets;
}

uint64_t
AstrolabeAgent::GetMalformed() const
{
    return m_malformed;
}

uint64_t
AstrolabeAgent::GetGossipsAtLevel(uint32_t level) const
{
    return level < m_gossipsAtLevel.size() ? m_gossipsAtLevel[level] : 0;
}

// ---------------------------------------------------------------- life cycle

void
AstrolabeAgent::StartApplication()
{
    std::string bad = astrolabe::ValidatePath(m_path);
    NS_ABORT_MSG_IF(!bad.empty(), "AstrolabeAgent ZonePath: " << bad);
    NS_ABORT_MSG_IF(!m_interval.IsStrictlyPositive(),
                    "AstrolabeAgent GossipInterval must be > 0, got " << m_interval);
    Ptr<Ipv4> ipv4 = GetNode()->GetObject<Ipv4>();
    NS_ABORT_MSG_IF(!ipv4 || ipv4->GetNInterfaces() < 2,
                    "AstrolabeAgent needs a node with an Internet stack and an interface");
    m_address = ipv4->GetAddress(1, 0).GetLocal();
    m_clockOffset = static_cast<int64_t>(m_rng->GetValue(0, m_maxClockOffset.GetMicroSeconds()));

    if (m_afcs.find("system") == m_afcs.end())
    {
        AstrolabeAfc sys;
        AstrolabeSqlError err;
        bool ok = sys.Init("system", AstrolabeAfc::SystemAfcText(m_k), 0, 0, 0, "", err);
        NS_ABORT_MSG_IF(!ok, "built-in system AFC: " << err.ToString());
        m_afcs["system"] = sys;
    }
    AstrolabeAddressSet self{m_address};
    m_own.Set("nmembers", AstrolabeValue(int64_t{1}));
    m_own.Set("depth", AstrolabeValue(int64_t{0}));
    m_own.Set("contacts", AstrolabeValue(self));
    m_own.Set("servers", AstrolabeValue(self));

    m_socket = Socket::CreateSocket(GetNode(), UdpSocketFactory::GetTypeId());
    NS_ABORT_MSG_IF(m_socket->Bind(InetSocketAddress(Ipv4Address::GetAny(), m_port)) != 0,
                    "AstrolabeAgent cannot bind UDP port " << m_port);
    m_socket->SetRecvCallback(MakeCallback(&AstrolabeAgent::HandleRead, this));
    m_running = true;
    RefreshOwnRow();
    Recompute();
    ScheduleRound(true);
}

void
AstrolabeAgent::StopApplication()
{
    m_running = false;
    Simulator::Cancel(m_roundEvent);
    if (m_socket)
    {
        m_socket->SetRecvCallback(MakeNullCallback<void, Ptr<Socket>>());
        m_socket->Close();
        m_socket = nullptr;
    }
}

int64_t
AstrolabeAgent::Clock() const
{
    return Simulator::Now().GetMicroSeconds() + m_clockOffset;
}

void
AstrolabeAgent::ScheduleRound(bool first)
{
    Time next = first ? m_interval * m_rng->GetValue(0.0, 1.0)
                      : m_interval * (1.0 + m_rng->GetValue(-m_jitter, m_jitter));
    m_roundEvent = Simulator::Schedule(next, &AstrolabeAgent::Round, this);
}

// ---------------------------------------------------------------- the round

void
AstrolabeAgent::RefreshOwnRow()
{
    m_own.SetIssued(Clock());
    m_tables.back().Put(m_own, Clock());
}

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
    RefreshOwnRow();
    ExpireRows();
    ExpireAfcs();
    Recompute();

    uint32_t depth = m_parts.size();
    for (uint32_t l = depth; l-- > 0;)
    {
        if (!IsContact(l))
        {
            continue;
        }
        const AstrolabeName& own = m_prefix[l + 1];
        std::vector<const AstrolabeRow*> others;
        std::vector<Ipv4Address> known{m_address}; // sorted below, for binary search
        for (const AstrolabeRow* r : ZoneView(l))
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
            const AstrolabeName& zone = m_prefix[l];
            for (const auto& kv : m_tables[l - 1].GetEntries())
            {
                if (kv.first.first == zone && kv.first.second != m_path)
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
            GossipAtLevel(l, unknown[m_rng->GetInteger(0, unknown.size() - 1)]);
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
                Ipv4Address seed = m_seeds[m_rng->GetInteger(0, m_seeds.size() - 1)];
                if (seed != m_address)
                {
                    GossipAtLevel(l, seed);
                }
            }
            continue;
        }
        const AstrolabeRow& zone = *others[m_rng->GetInteger(0, others.size() - 1)];
        const auto& contacts = zone.GetContacts();
        Ipv4Address to = contacts[m_rng->GetInteger(0, contacts.size() - 1)];
        if (to != m_address)
        {
            GossipAtLevel(l, to);
        }
    }
    ScheduleRound(false);
}

void
AstrolabeAgent::ExpireRows()
{
    int64_t tfail = GetFailTimeout().GetMicroSeconds();
    int64_t now = Clock();
    for (uint32_t l = 0; l < m_tables.size(); ++l)
    {
        const AstrolabeName& zone = m_prefix[l];
        std::map<AstrolabeTable::Key, AstrolabeRow> before;
        for (const auto& kv : m_tables[l].GetEntries())
        {
            if (now - kv.second.lastUpdate > tfail)
            {
                before[kv.first] = kv.second.row;
            }
        }
        for (const auto& k : m_tables[l].Expire(now, tfail))
        {
            NS_LOG_LOGIC(m_path << " expires " << k.first << " rep " << k.second);
            m_rowExpiredTrace(zone, before[k]);
        }
        for (const auto& k : m_tables[l].ExpireSuperseded(now, LiveWindow()))
        {
            NS_LOG_LOGIC(m_path << " drops superseded " << k.first << " rep " << k.second);
        }
        m_tables[l].PurgeTombstones(now, 4 * tfail);
        m_tables[l].Compact();
    }
}

void
AstrolabeAgent::ExpireAfcs()
{
    int64_t now = Clock();
    for (auto it = m_afcs.begin(); it != m_afcs.end();)
    {
        if (it->second.GetExpires() != 0 && now > it->second.GetExpires())
        {
            m_afcErrorTrace(it->first, "expired");
            it = m_afcs.erase(it);
        }
        else
        {
            ++it;
        }
    }
    if (m_afcs.find("system") == m_afcs.end())
    {
        AstrolabeAfc sys;
        AstrolabeSqlError err;
        sys.Init("system", AstrolabeAfc::SystemAfcText(m_k), 0, 0, 0, "", err);
        m_afcs["system"] = sys;
    }
}

AstrolabeRow
AstrolabeAgent::Aggregate(uint32_t level)
{
    const AstrolabeName& zone = m_prefix[level];
    std::vector<const AstrolabeRow*> rows = ZoneView(level);
    AstrolabeRow out(zone, m_path, Clock());
    std::vector<const AstrolabeAfc*> order;
    order.push_back(&m_afcs.at("system"));
    for (const auto& kv : m_afcs)
    {
        if (kv.first != "system")
        {
            order.push_back(&kv.second);
        }
    }
    for (const AstrolabeAfc* afc : order)
    {
        AstrolabeQuery::Outputs values;
        std::string err;
        if (!afc->GetQuery().Evaluate(rows, m_afcRng, values, err))
        {
            m_afcErrorTrace(afc->GetName(), err);
            continue;
        }
        uint32_t size = 0;
        for (const auto& kv : values)
        {
            size += 1 + kv.first.size() + kv.second.GetSerializedSize();
        }
        // cap 0 means "the default", not "unbounded": an AFC from anywhere must not be able to
        // bloat every row it is evaluated into (the system AFC is ours and exempt)
        uint32_t cap = afc->GetMaxOutputBytes() > 0 ? afc->GetMaxOutputBytes()
                       : afc->GetName() == "system" ? 0
                                                    : m_maxMessage / 8;
        if (cap > 0 && size > cap)
        {
            m_afcErrorTrace(afc->GetName(),
                            "output of " + std::to_string(size) + " bytes exceeds the cap of " +
                                std::to_string(cap));
            continue;
        }
        for (const auto& kv : values)
        {
            out.Set(kv.first, kv.second);
        }
    }
    return out;
}

void
AstrolabeAgent::Recompute()
{
    for (uint32_t l = m_parts.size(); l-- > 0;)
    {
        AstrolabeRow row = Aggregate(l);
        const std::string& zone = row.GetId();
        auto prev = m_zoneRows.find(zone);
        std::vector<std::pair<std::string, AstrolabeValue>> changed;
        for (const auto& kv : row.GetAttributes())
        {
            if (prev == m_zoneRows.end() || prev->second.Get(kv.first) != kv.second)
            {
                changed.emplace_back(kv.first, kv.second);
            }
        }
        if (prev != m_zoneRows.end())
        {
            for (const auto& kv : prev->second.GetAttributes())
            {
                if (!row.Has(kv.first))
                {
                    changed.emplace_back(kv.first, AstrolabeValue());
                }
            }
        }
        m_zoneRows[zone] = row;
        if (l + 1 < m_parts.size())
        {
            m_contactOf[l] = ComputeIsContact(l);
        }
        if (l > 0)
        {
            m_tables[l - 1].Put(row, Clock());
        }
        for (const auto& [attr, value] : changed)
        {
            m_aggregateTrace(zone, attr, value);
            auto range = m_subscriptions.equal_range({zone, attr});
            for (auto it = range.first; it != range.second; ++it)
            {
                it->second(zone, attr, value);
            }
        }
    }
}

// ---------------------------------------------------------------- messages

bool
AstrolabeAgent::Publishable(uint32_t level, const AstrolabeTable::Key& key) const
{
    // our copy of our own zone's row speaks for the zone only if we are its representative
    if (key.second == m_path && key.first != m_path)
    {
        return IsContact(level);
    }
    return true;
}

void
AstrolabeAgent::FillAfcDigest(AstrolabeHeader& h, uint32_t& budget) const
{
    for (const auto& kv : m_afcs)
    {
        uint32_t sz = 1 + kv.first.size() + 8 + 2 + kv.second.GetIssuer().size();
        if (sz > budget)
        {
            break;
        }
        budget -= sz;
        h.GetAfcDigests().push_back({kv.first, kv.second.GetIssued(), kv.second.GetIssuer()});
    }
}

std::vector<AstrolabeHeader::DigestEntry>
AstrolabeAgent::DigestOf(uint32_t level) const
{
    // (id, rep, issued) of the copy our view uses for every child zone (ours, for our own zone,
    // when we are its representative), and of the other live copies: a partner whose view picked
    // another rep's copy still finds the same key. Copies that are not live are left out: the
    // rows every agent publishes at start-up, when it elects itself everywhere, used to fill the
    // datagram and cut the upper tables off for tens of rounds.
    const AstrolabeTable& table = m_tables[level];
    const AstrolabeName& own = m_prefix[level + 1];
    std::vector<AstrolabeHeader::DigestEntry> out;
    const AstrolabeTable::Entry* mine = table.Find({own, m_path});
    const bool publishMine = mine && Publishable(level, {own, m_path});
    const int64_t now = Clock();
    bool ownListed = false;
    // the view's copies that are listed as such, in table order (our own copy stands in for
    // the view's copy of our own zone)
    std::vector<const AstrolabeTable::Item*> listed;
    for (const AstrolabeTable::Item* item : table.GetViewItems(now, LiveWindow(), m_path))
    {
        if (item->first.first == own && publishMine)
        {
            out.push_back({own, m_path, mine->row.GetIssued()});
            ownListed = true;
            continue;
        }
        out.push_back({item->first.first, item->first.second, item->second.row.GetIssued()});
        listed.push_back(item);
    }
    if (!ownListed && publishMine)
    {
        out.push_back({own, m_path, mine->row.GetIssued()});
    }
    size_t next = 0; // both walks are in table order
    for (const auto& kv : table.GetEntries())
    {
        if (next < listed.size() && listed[next] == &kv)
        {
            ++next;
            continue;
        }
        if (kv.first.second != m_path && kv.second.IsLive(now, LiveWindow()))
        {
            out.push_back({kv.first.first, kv.first.second, kv.second.row.GetIssued()});
        }
    }
    std::sort(out.begin(), out.end(), [](const auto& a, const auto& b) { return a.id < b.id; });
    return out;
}

void
AstrolabeAgent::FillDigest(AstrolabeHeader& h, uint32_t fromLevel, uint32_t& budget) const
{
    std::vector<std::vector<AstrolabeHeader::DigestEntry>> tables;
    std::vector<uint32_t> need;
    uint32_t total = 0;
    for (uint32_t l = fromLevel + 1; l-- > 0;)
    {
        tables.push_back(DigestOf(l));
        uint32_t n = 4 + m_prefix[l].size();
        for (const auto& e : tables.back())
        {
            n += AstrolabeHeader::DigestEntrySize(e);
        }
        need.push_back(n);
        total += n;
    }
    // Too big (many or long zone names): every table gets a fair share of the room, and a table
    // cut short starts at a random child, so that truncation does not starve the same zones.
    std::vector<uint32_t> share(need.size(), 0);
    if (total <= budget)
    {
        share = need;
    }
    else
    {
        uint32_t left = budget;
        std::vector<size_t> open(need.size());
        std::iota(open.begin(), open.end(), 0);
        while (!open.empty())
        {
            uint32_t fair = left / open.size();
            std::vector<size_t> still;
            for (size_t i : open)
            {
                if (need[i] <= fair)
                {
                    share[i] = need[i];
                    left -= need[i];
                }
                else
                {
                    still.push_back(i);
                }
            }
            if (still.size() == open.size())
            {
                for (size_t i : still)
                {
                    share[i] = fair;
                }
                left -= fair * still.size();
                break;
            }
            open = still;
        }
    }
    for (size_t i = 0; i < tables.size(); ++i)
    {
        uint32_t l = fromLevel - i;
        AstrolabeHeader::DigestTable d;
        d.zone = m_prefix[l];
        uint32_t room = share[i];
        if (4 + d.zone.size() > room)
        {
            continue;
        }
        room -= 4 + d.zone.size();
        const auto& entries = tables[i];
        size_t first =
            share[i] < need[i] && !entries.empty() ? m_rng->GetInteger(0, entries.size() - 1) : 0;
        for (size_t j = 0; j < entries.size(); ++j)
        {
            const auto& e = entries[(first + j) % entries.size()];
            uint32_t sz = AstrolabeHeader::DigestEntrySize(e);
            if (sz > room)
            {
                break; // truncated: the rest waits for a later round
            }
            room -= sz;
            d.entries.push_back(e);
        }
        budget -= share[i] - room;
        h.GetDigests().push_back(d);
    }
}

bool
AstrolabeAgent::AddRow(AstrolabeHeader& h,
                       const std::string& zone,
                       const AstrolabeRow& r,
                       uint32_t& budget) const
{
    auto& blocks = h.GetRows();
    uint32_t need = AstrolabeHeader::RowSize(r);
    bool newBlock = blocks.empty() || blocks.back().zone != zone;
    if (newBlock)
    {
        need += 4 + zone.size();
    }
    if (need > budget)
    {
        return false;
    }
    budget -= need;
    if (newBlock)
    {
        blocks.push_back({zone, {}});
    }
    blocks.back().rows.push_back(r);
    return true;
}

void
AstrolabeAgent::GossipAtLevel(uint32_t level, Ipv4Address to)
{
    AstrolabeHeader h;
    h.SetType(AstrolabeHeader::GOSSIP);
    h.SetSender(m_path);
    uint32_t budget = m_maxMessage - Overhead(m_path);
    FillAfcDigest(h, budget);
    FillDigest(h, level, budget);
    ++m_gossipsAtLevel[level];
    m_gossipTrace(level, to);
    Send(h, to);
}

void
AstrolabeAgent::Send(AstrolabeHeader& h, Ipv4Address to)
{
    if (!m_socket)
    {
        return;
    }
    Ptr<Packet> p = Create<Packet>();
    p->AddHeader(h);
    NS_LOG_LOGIC(m_path << " -> " << to << " " << AstrolabeHeader::TypeName(h.GetType()) << " "
                        << p->GetSize() << " B");
    m_txTrace(p, to);
    ++m_txPackets;
    m_txBytes += p->GetSize();
    m_socket->SendTo(p, 0, InetSocketAddress(to, m_port));
}

void
AstrolabeAgent::HandleRead(Ptr<Socket> socket)
{
    Address fromAddr;
    while (Ptr<Packet> p = socket->RecvFrom(fromAddr))
    {
        if (!m_running)
        {
            return;
        }
        Ipv4Address from = InetSocketAddress::ConvertFrom(fromAddr).GetIpv4();
        ++m_rxPackets;
        m_rxTrace(p, from);
        if (p->GetSize() < 2 || p->GetSize() > 65000)
        {
            ++m_malformed;
            m_dropTrace(p, from, "size " + std::to_string(p->GetSize()));
            continue;
        }
        AstrolabeHeader h;
        Ptr<Packet> copy = p->Copy();
        copy->RemoveHeader(h);
        if (!h.IsValid())
        {
            ++m_malformed;
            NS_LOG_LOGIC(m_path << " drops a malformed datagram from " << from << ": "
                                << h.GetError());
            m_dropTrace(p, from, h.GetError());
            continue;
        }
        if (h.GetSender() == m_path)
        {
            continue; // our own multicast
        }
        switch (h.GetType())
        {
        case AstrolabeHeader::GOSSIP:
            HandleGossip(h, from);
            break;
        case AstrolabeHeader::REPLY:
            HandleReply(h, from);
            break;
        case AstrolabeHeader::ROWS:
            MergeRows(h);
            MergeAfcs(h);
            break;
        }
    }
}

void
AstrolabeAgent::HandleGossip(const AstrolabeHeader& h, Ipv4Address from)
{
    MergeRows(h); // a gossiper may push rows along with its digest
    MergeAfcs(h);
    AstrolabeHeader reply;
    reply.SetType(AstrolabeHeader::REPLY);
    reply.SetSender(m_path);
    uint32_t budget = m_maxMessage - Overhead(m_path);

    // AFCs first: they are few, and a new one changes everybody's rows
    std::set<std::string> theirAfcs;
    for (const auto& d : h.GetAfcDigests())
    {
        theirAfcs.insert(d.name);
        if (d.name == "system")
        {
            continue; // built in everywhere, never exchanged
        }
        auto it = m_afcs.find(d.name);
        if (it == m_afcs.end() && GetNUserAfcs() >= m_maxAfcs)
        {
            continue; // full: do not ask for what we would drop
        }
        bool theirsNewer =
            it == m_afcs.end() || d.issued > it->second.GetIssued() ||
            (d.issued == it->second.GetIssued() && d.issuer > it->second.GetIssuer());
        bool mineNewer =
            it != m_afcs.end() &&
            (it->second.GetIssued() > d.issued ||
             (it->second.GetIssued() == d.issued && it->second.GetIssuer() > d.issuer));
        if (theirsNewer && budget > 1 + d.name.size())
        {
            reply.GetAfcRequests().push_back(d.name);
            budget -= 1 + d.name.size();
        }
        else if (mineNewer && it->second.GetSerializedSize() <= budget)
        {
            reply.GetAfcs().push_back(it->second);
            budget -= it->second.GetSerializedSize();
        }
    }
    for (const auto& kv : m_afcs)
    {
        if (kv.first != "system" && !theirAfcs.count(kv.first) &&
            kv.second.GetSerializedSize() <= budget)
        {
            reply.GetAfcs().push_back(kv.second);
            budget -= kv.second.GetSerializedSize();
        }
    }

    // Requests may use half of the room; rows then share what is left round-robin across the
    // tables, so that a full datagram does not always starve the same (upper) levels.
    uint32_t requestRoom = budget / 2;
    std::vector<std::pair<std::string, std::vector<const AstrolabeRow*>>> candidates;
    int64_t now = Clock();
    const std::vector<std::string> senderParts = astrolabe::SplitPath(h.GetSender());
    for (const auto& d : h.GetDigests())
    {
        int l = LevelOfZone(d.zone);
        if (l < 0)
        {
            continue; // a table we do not share
        }
        const AstrolabeTable& table = m_tables[l];
        candidates.push_back({d.zone, {}});
        // What the gossiper lacks goes first: zones it did not list, and copies that may merge
        // a split zone. Then the fresher copies our view uses, then the other reps' fresher
        // copies: representatives re-issue their rows every round, so in a big table nearly
        // every copy is fresher here and they do not all fit.
        std::vector<const AstrolabeRow*> rows;
        std::vector<const AstrolabeRow*> fresherView;
        std::vector<const AstrolabeRow*> fresherOther;
        // membership tests below, by identity: sorted vectors of pointers
        std::vector<const AstrolabeTable::Entry*> viewEntries;
        for (const AstrolabeTable::Item* item : table.GetViewItems(now, LiveWindow(), m_path))
        {
            viewEntries.push_back(&item->second);
        }
        std::sort(viewEntries.begin(), viewEntries.end(), std::less<>());
        auto inView = [&viewEntries](const AstrolabeTable::Entry* e) {
            return e &&
                   std::binary_search(viewEntries.begin(), viewEntries.end(), e, std::less<>());
        };
        std::vector<const void*> listedIds;
        std::vector<std::pair<const void*, const void*>> listedKeyIds;
        for (const auto& e : d.entries)
        {
            listedIds.push_back(e.id.Identity());
            listedKeyIds.emplace_back(e.id.Identity(), e.rep.Identity());
        }
        std::sort(listedIds.begin(), listedIds.end(), std::less<>());
        std::sort(listedKeyIds.begin(), listedKeyIds.end(), std::less<>());
        auto isListed = [&listedIds](const AstrolabeName& id) {
            return std::binary_search(listedIds.begin(),
                                      listedIds.end(),
                                      id.Identity(),
                                      std::less<>());
        };
        auto isListedKey = [&listedKeyIds](const AstrolabeTable::Key& k) {
            return std::binary_search(listedKeyIds.begin(),
                                      listedKeyIds.end(),
                                      std::make_pair(k.first.Identity(), k.second.Identity()),
                                      std::less<>());
        };
        // The gossiper's own child zone in this table, when it is not ours (the level the
        // exchange is about). Our recent copies of it from reps that do not list the gossiper
        // as a contact may come from a group of that zone which the gossiper's group does not
        // know: they are what lets the two groups find each other (see Round()).
        std::string senderZone = senderParts.size() > static_cast<size_t>(l) + 1
                                     ? astrolabe::PathPrefix(senderParts, l + 1)
                                     : std::string();
        if (!senderZone.empty() && senderZone != m_prefix[l + 1])
        {
            for (auto it = table.GetEntries().lower_bound({senderZone, ""});
                 it != table.GetEntries().end() && it->first.first == senderZone;
                 ++it)
            {
                const auto& contacts = it->second.row.GetContacts();
                if (!isListedKey(it->first) && now - it->second.lastUpdate <= LiveWindow() &&
                    std::find(contacts.begin(), contacts.end(), from) == contacts.end())
                {
                    rows.push_back(&it->second.row);
                }
            }
        }
        for (const auto& e : d.entries)
        {
            AstrolabeTable::Key key{e.id, e.rep};
            const AstrolabeTable::Entry* mine = table.Find(key);
            if (e.rep != m_path && // we are the authority on our own rows
                ((!mine && !table.IsDead(key, e.issued)) ||
                 (mine && mine->row.GetIssued() < e.issued)))
            {
                AstrolabeHeader::Request q{d.zone, e.id, e.rep};
                uint32_t sz = 6 + q.zone.size() + q.id.size() + q.rep.size();
                if (sz <= requestRoom)
                {
                    reply.GetRequests().push_back(q);
                    requestRoom -= sz;
                    budget -= sz;
                }
            }
            else if (mine && mine->row.GetIssued() > e.issued && Publishable(l, key))
            {
                bool ours = key.second == m_path && key.first == m_prefix[l + 1];
                (ours || inView(mine) ? fresherView : fresherOther).push_back(&mine->row);
            }
        }
        // Child zones they did not list: our view's copy (their digest may have been cut short).
        // Zones they list only with copies other than the live one our view uses: that copy.
        // Their copies may be start-up rows of agents that are not representatives and never
        // advance; we may hold those as dead and so never answer about them, and they would
        // keep an outdated row until T_fail. (At N = 625, b = 25, most root rows stayed at
        // nmembers 1 for 40 s.)
        for (const auto& e : DigestOf(l))
        {
            AstrolabeTable::Key key{e.id, e.rep};
            const AstrolabeTable::Entry* mine = table.Find(key);
            if (!isListed(e.id))
            {
                rows.push_back(&mine->row);
            }
            else if (!isListedKey(key) && (key.second == m_path || inView(mine)) &&
                     mine->IsLive(now, LiveWindow()))
            {
                rows.push_back(&mine->row);
            }
        }
        // A class cut short starts at a random row, so that the same zones are not always
        // the ones left out (their rows would then age at every agent but their own).
        for (auto* cls : {&fresherView, &fresherOther})
        {
            if (cls->size() > 1)
            {
                std::rotate(cls->begin(),
                            cls->begin() + m_rng->GetInteger(0, cls->size() - 1),
                            cls->end());
            }
            rows.insert(rows.end(), cls->begin(), cls->end());
        }
        candidates.back().second = std::move(rows);
    }
    std::vector<size_t> taken(candidates.size(), 0);
    std::vector<bool> closed(candidates.size(), false);
    for (bool progress = true; progress;)
    {
        progress = false;
        for (size_t i = 0; i < candidates.size(); ++i)
        {
            const auto& [zone, rows] = candidates[i];
            if (closed[i] || taken[i] >= rows.size())
            {
                continue;
            }
            uint32_t need = AstrolabeHeader::RowSize(*rows[taken[i]]) +
                            (taken[i] == 0 ? 4 + static_cast<uint32_t>(zone.size()) : 0);
            if (need > budget)
            {
                closed[i] = true; // this table's share is used up: the rest waits
                continue;
            }
            budget -= need;
            ++taken[i];
            progress = true;
        }
    }
    for (size_t i = 0; i < candidates.size(); ++i)
    {
        if (taken[i] > 0)
        {
            AstrolabeHeader::RowBlock block;
            block.zone = candidates[i].first;
            for (size_t j = 0; j < taken[i]; ++j)
            {
                block.rows.push_back(*candidates[i].second[j]);
            }
            reply.GetRows().push_back(block);
        }
    }
    Send(reply, from);
}

void
AstrolabeAgent::HandleReply(const AstrolabeHeader& h, Ipv4Address from)
{
    MergeRows(h);
    MergeAfcs(h);
    if (h.GetRequests().empty() && h.GetAfcRequests().empty())
    {
        return;
    }
    AstrolabeHeader rows;
    rows.SetType(AstrolabeHeader::ROWS);
    rows.SetSender(m_path);
    uint32_t budget = m_maxMessage - Overhead(m_path);
    for (const auto& name : h.GetAfcRequests())
    {
        auto it = m_afcs.find(name);
        if (it != m_afcs.end() && it->second.GetSerializedSize() <= budget)
        {
            rows.GetAfcs().push_back(it->second);
            budget -= it->second.GetSerializedSize();
        }
    }
    for (const auto& q : h.GetRequests())
    {
        int l = LevelOfZone(q.zone);
        if (l < 0)
        {
            continue;
        }
        AstrolabeTable::Key key{q.id, q.rep};
        const AstrolabeTable::Entry* e = m_tables[l].Find(key);
        if (e && Publishable(l, key))
        {
            AddRow(rows, q.zone, e->row, budget);
        }
    }
    Send(rows, from);
}

void
AstrolabeAgent::MergeRows(const AstrolabeHeader& h)
{
    int64_t now = Clock();
    for (const auto& block : h.GetRows())
    {
        int l = LevelOfZone(block.zone);
        if (l < 0)
        {
            continue;
        }
        AstrolabeTable& table = m_tables[l];
        for (const auto& row : block.rows)
        {
            const size_t depth = astrolabe::PathDepth(row.GetId());
            if (depth != static_cast<size_t>(l) + 1 ||
                !astrolabe::PathPrefixIs(row.GetId(), l, block.zone) || row.GetRepName() == m_path)
            {
                continue; // not a child of this zone, or our own row echoed back
            }
            // Who may speak for a zone: a host only for itself, a zone only through one of its
            // own members. Otherwise anyone could plant rows under any (id, rep).
            if (static_cast<size_t>(l) + 1 == m_parts.size())
            {
                if (row.GetRep() != row.GetId())
                {
                    continue;
                }
            }
            else if (astrolabe::PathDepth(row.GetRep()) <= depth ||
                     !astrolabe::PathPrefixIs(row.GetRep(), depth, row.GetId()))
            {
                continue;
            }
            bool known = table.HasZone(row.GetIdName());
            if (!known && table.GetNZones() >= m_maxChildren)
            {
                continue; // zone full: the bound on children
            }
            AstrolabeTable::Key key{row.GetIdName(), row.GetRepName()};
            if (known && !table.Find(key) && !table.IsDead(key, row.GetIssued()) &&
                table.GetNReps(row.GetIdName()) >= m_maxReps)
            {
                // bound the reps per zone: forget the stalest (never our own row)
                table.EvictStalest(row.GetIdName(), m_path);
            }
            if (table.Merge(row, now))
            {
                m_rowChangedTrace(block.zone, row);
            }
        }
    }
}

void
AstrolabeAgent::MergeAfcs(const AstrolabeHeader& h)
{
    for (const auto& afc : h.GetAfcs())
    {
        AcceptAfc(afc);
    }
}

uint32_t
AstrolabeAgent::GetNReps(const std::string& zone, const std::string& child) const
{
    int l = LevelOfZone(zone);
    return l < 0 || static_cast<size_t>(l) >= m_tables.size() ? 0 : m_tables[l].GetNReps(child);
}

uint32_t
AstrolabeAgent::GetNUserAfcs() const
{
    return static_cast<uint32_t>(m_afcs.size() - m_afcs.count("system"));
}

std::string
AstrolabeAgent::RefuseAfc(const std::string& name, const AstrolabeAfc* afc) const
{
    // the built-in system AFC (issued 0) elects representatives; anyone could beat issued 0
    if (name == "system")
    {
        return "the name 'system' is reserved for the built-in AFC";
    }
    if (afc && afc->IsValid())
    {
        // user AFCs run after the system AFC and may recompute nmembers (and user columns),
        // but contacts/servers/depth drive the protocol itself (id/rep/issued: refused by Parse)
        for (const auto& out : afc->GetQuery().GetOutputNames())
        {
            if (out == "contacts" || out == "servers" || out == "depth")
            {
                return "AFC '" + name + "' may not define the reserved column '" + out + "'";
            }
        }
    }
    if (m_afcs.find(name) == m_afcs.end() && GetNUserAfcs() >= m_maxAfcs)
    {
        return "AFC '" + name + "' dropped: MaxAfcs (" + std::to_string(m_maxAfcs) + ") reached";
    }
    return "";
}

bool
AstrolabeAgent::AcceptAfc(const AstrolabeAfc& afc)
{
    if (!afc.IsValid() || (afc.GetExpires() != 0 && Clock() > afc.GetExpires()))
    {
        return false;
    }
    auto it = m_afcs.find(afc.GetName());
    if (it != m_afcs.end() && !afc.Supersedes(it->second))
    {
        return false;
    }
    std::string why = RefuseAfc(afc.GetName(), &afc);
    if (!why.empty())
    {
        m_afcErrorTrace(afc.GetName(), why);
        return false;
    }
    m_afcs[afc.GetName()] = afc;
    NS_LOG_INFO(m_path << " installs AFC " << afc.GetName() << ": " << afc.GetText());
    m_afcInstalledTrace(afc.GetName(), afc.GetText());
    return true;
}

} // namespace ns3
