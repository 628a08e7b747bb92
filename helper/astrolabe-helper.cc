/*
 * SPDX-License-Identifier: GPL-2.0-only
 */
#include "astrolabe-helper.h"

#include "ns3/abort.h"
#include "ns3/astrolabe-path.h"
#include "ns3/gossip-fabric-address.h"
#include "ns3/gossip-mpi.h"
#include "ns3/ipv4.h"
#include "ns3/log.h"
#include "ns3/simulator.h"
#include "ns3/string.h"

#include <cmath>
#include <cstdint>
#include <cstring>
#include <iomanip>
#include <limits>
#include <set>
#include <sstream>

namespace ns3
{

NS_LOG_COMPONENT_DEFINE("AstrolabeHelper");

AstrolabeHelper::AstrolabeHelper()
    : GossipApplicationHelper(AstrolabeAgent::GetTypeId())
{
}

void
AstrolabeHelper::SetZoneFunction(ZoneFunction f)
{
    NS_LOG_FUNCTION(this);
    m_zoneFn = f;
}

void
AstrolabeHelper::SetPodLevel(bool podLevel)
{
    NS_LOG_FUNCTION(this << podLevel);
    m_podLevel = podLevel;
}

void
AstrolabeHelper::SetSeeds(const std::vector<Ipv4Address>& seeds)
{
    NS_LOG_FUNCTION(this);
    m_seeds = seeds;
    m_explicitSeeds = true;
}

void
AstrolabeHelper::SetSeedsPerDatacenter(uint32_t n)
{
    NS_LOG_FUNCTION(this << n);
    NS_ABORT_MSG_IF(n > 16, "SeedsPerDatacenter " << n << " out of range 0..16");
    m_seedsPerDc = n;
}

std::string
AstrolabeHelper::FabricZonePath(Ipv4Address address, bool podLevel)
{
    gossip::FabricPosition pos;
    if (!gossip::FabricAddressPlan::Decode(address, pos))
    {
        return "";
    }
    std::ostringstream os;
    os << "/dc" << pos.dc;
    if (podLevel)
    {
        os << "/pod" << std::setw(2) << std::setfill('0') << pos.pod;
    }
    os << "/rack" << std::setw(2) << std::setfill('0') << pos.rack << "/host" << std::setw(2)
       << std::setfill('0') << pos.host;
    return os.str();
}

ApplicationContainer
AstrolabeHelper::Install(NodeContainer nodes) const
{
    NS_LOG_FUNCTION(this << nodes.GetN());
    std::vector<Ipv4Address> addresses;
    std::vector<std::string> paths;
    std::vector<Ipv4Address> seeds = m_seeds;
    std::map<uint32_t, uint32_t> perDc; // seeds taken per datacenter
    for (uint32_t i = 0; i < nodes.GetN(); ++i)
    {
        Ptr<Node> node = nodes.Get(i);
        Ipv4Address address = GetNodeAddress(node);
        std::string path = m_zoneFn ? m_zoneFn(node, address) : FabricZonePath(address, m_podLevel);
        NS_ABORT_MSG_IF(path.empty(),
                        "AstrolabeHelper: node " << node->GetId() << " (" << address
                                                 << ") is not a host of the fabric's address "
                                                    "plan: give its zone path (SetZoneFunction)");
        paths.push_back(path);
        if (!m_explicitSeeds)
        {
            gossip::FabricPosition pos;
            uint32_t dc = gossip::FabricAddressPlan::Decode(address, pos) ? pos.dc : UINT32_MAX;
            if (perDc[dc]++ < m_seedsPerDc)
            {
                seeds.push_back(address);
            }
        }
    }
    std::set<std::string> seen;
    ApplicationContainer apps;
    for (uint32_t i = 0; i < nodes.GetN(); ++i)
    {
        std::string bad = astrolabe::ValidatePath(paths[i]);
        NS_ABORT_MSG_IF(!bad.empty(), "AstrolabeHelper: " << bad);
        NS_ABORT_MSG_IF(!seen.insert(paths[i]).second,
                        "AstrolabeHelper: zone path "
                            << paths[i] << " given to two hosts"
                            << (m_zoneFn ? "" : " (a fabric of several pods: SetPodLevel(true))"));
        if (!gossip::mpi::IsLocal(nodes.Get(i)))
        {
            continue; // under MPI, another rank's; seeds and paths come from addresses
        }
        Ptr<AstrolabeAgent> agent = m_factory.Create<AstrolabeAgent>();
        agent->SetAttribute("ZonePath", StringValue(paths[i]));
        agent->SetSeeds(seeds);
        nodes.Get(i)->AddApplication(agent);
        apps.Add(agent);
    }
    return apps;
}

Ptr<AstrolabeAgent>
AstrolabeHelper::GetAgent(Ptr<Node> node)
{
    for (uint32_t i = 0; i < node->GetNApplications(); ++i)
    {
        Ptr<AstrolabeAgent> a = DynamicCast<AstrolabeAgent>(node->GetApplication(i));
        if (a)
        {
            return a;
        }
    }
    return nullptr;
}

// ---------------------------------------------------------------- statistics

void
AstrolabeStatsHelper::Attach(const ApplicationContainer& agents)
{
    NS_LOG_FUNCTION(this << agents.GetN());
    for (uint32_t i = 0; i < agents.GetN(); ++i)
    {
        Ptr<AstrolabeAgent> a = DynamicCast<AstrolabeAgent>(agents.Get(i));
        NS_ABORT_MSG_IF(!a,
                        "AstrolabeStatsHelper::Attach: application " << i << " is not an agent");
        AttachAgent(a);
    }
}

void
AstrolabeStatsHelper::Attach(const NodeContainer& hosts)
{
    NS_LOG_FUNCTION(this << hosts.GetN());
    for (uint32_t i = 0; i < hosts.GetN(); ++i)
    {
        Ptr<AstrolabeAgent> a;
        if (gossip::mpi::IsLocal(hosts.Get(i)))
        {
            a = AstrolabeHelper::GetAgent(hosts.Get(i));
            NS_ABORT_MSG_IF(!a, "AstrolabeStatsHelper::Attach: host " << i << " has no agent");
        }
        AttachAgent(a);
    }
}

void
AstrolabeStatsHelper::AttachAgent(Ptr<AstrolabeAgent> a)
{
    auto c = std::make_unique<Counters>();
    c->stats = this;
    c->index = m_agents.size();
    if (a)
    {
        a->TraceConnectWithoutContext("Tx",
                                      MakeBoundCallback(&AstrolabeStatsHelper::OnTx, c.get()));
        a->TraceConnectWithoutContext("Rx",
                                      MakeBoundCallback(&AstrolabeStatsHelper::OnRx, c.get()));
        a->TraceConnectWithoutContext(
            "Malformed",
            MakeBoundCallback(&AstrolabeStatsHelper::OnMalformed, c.get()));
        a->TraceConnectWithoutContext("RowChanged",
                                      MakeBoundCallback(&AstrolabeStatsHelper::OnRow, c.get()));
    }
    m_agents.push_back(a);
    m_counters.push_back(std::move(c));
}

void
AstrolabeStatsHelper::Merge()
{
    NS_LOG_FUNCTION(this);
    if (!gossip::mpi::IsDistributed())
    {
        return;
    }
    const size_t n = m_agents.size();
    std::vector<uint64_t> counts(5 * n, 0);
    for (size_t i = 0; i < n; ++i)
    {
        const Counters& c = *m_counters[i];
        counts[5 * i] = c.txPackets;
        counts[5 * i + 1] = c.txBytes;
        counts[5 * i + 2] = c.rxPackets;
        counts[5 * i + 3] = c.rxBytes;
        counts[5 * i + 4] = c.malformed;
    }
    gossip::mpi::Sum(counts); // another rank's agents count zero here
    for (size_t i = 0; i < n; ++i)
    {
        Counters& c = *m_counters[i];
        c.txPackets = counts[5 * i];
        c.txBytes = counts[5 * i + 1];
        c.rxPackets = counts[5 * i + 2];
        c.rxBytes = counts[5 * i + 3];
        c.malformed = counts[5 * i + 4];
    }
    // Series as (table, key, agent, time, type, bits), each agent's from its own rank in order.
    std::vector<std::map<std::pair<std::string, std::string>, std::vector<Series>>*> tables{
        &m_series,
        &m_rowSeries};
    std::vector<uint64_t> mine;
    for (size_t t = 0; t < tables.size(); ++t)
    {
        uint64_t key = 0;
        for (const auto& [name, perAgent] : *tables[t])
        {
            for (size_t i = 0; i < perAgent.size(); ++i)
            {
                if (!m_agents[i])
                {
                    continue;
                }
                for (const auto& [when, v] : perAgent[i])
                {
                    uint64_t bits = 0;
                    switch (v.GetType())
                    {
                    case astrolabe::Value::NIL:
                        break;
                    case astrolabe::Value::INT:
                        bits = uint64_t(v.GetInt());
                        break;
                    case astrolabe::Value::DOUBLE: {
                        double d = v.GetDouble();
                        std::memcpy(&bits, &d, sizeof bits);
                        break;
                    }
                    case astrolabe::Value::BOOL:
                        bits = v.GetBool();
                        break;
                    default:
                        NS_ABORT_MSG("AstrolabeStatsHelper::Merge: "
                                     << name.first << " " << name.second << " holds a "
                                     << astrolabe::Value::TypeName(v.GetType())
                                     << ": only numbers, booleans and nulls are merged across "
                                        "ranks");
                    }
                    mine.insert(mine.end(),
                                {t, key, i, uint64_t(when.GetTimeStep()), v.GetType(), bits});
                }
            }
            ++key;
        }
    }
    std::vector<uint64_t> all = gossip::mpi::Gather(mine);
    for (size_t k = 0; k + 5 < all.size(); k += 6)
    {
        auto& table = *tables[all[k]];
        auto it = std::next(table.begin(), all[k + 1]);
        const size_t agent = all[k + 2];
        if (m_agents[agent])
        {
            continue; // ours: already here
        }
        astrolabe::Value v;
        const uint64_t bits = all[k + 5];
        switch (all[k + 4])
        {
        case astrolabe::Value::INT:
            v = astrolabe::Value(int64_t(bits));
            break;
        case astrolabe::Value::DOUBLE: {
            double d;
            std::memcpy(&d, &bits, sizeof d);
            v = astrolabe::Value(d);
            break;
        }
        case astrolabe::Value::BOOL:
            v = astrolabe::Value(bits != 0);
            break;
        default:
            break;
        }
        it->second[agent].emplace_back(TimeStep(all[k + 3]), v);
    }
}

void
AstrolabeStatsHelper::OnTx(Counters* c, Ptr<const Packet> p, Ipv4Address)
{
    ++c->txPackets;
    c->txBytes += p->GetSize();
}

void
AstrolabeStatsHelper::OnRx(Counters* c, Ptr<const Packet> p, Ipv4Address)
{
    ++c->rxPackets;
    c->rxBytes += p->GetSize();
}

void
AstrolabeStatsHelper::OnMalformed(Counters* c, Ptr<const Packet>, Ipv4Address, const std::string&)
{
    ++c->malformed;
}

void
AstrolabeStatsHelper::OnRow(Counters* c, const std::string&, const astrolabe::Row& row)
{
    auto& watched = c->stats->m_rowSeries;
    if (watched.empty())
    {
        return;
    }
    for (auto it = watched.lower_bound({row.GetId(), ""});
         it != watched.end() && it->first.first == row.GetId();
         ++it)
    {
        it->second[c->index].emplace_back(Simulator::Now(), row.Get(it->first.second));
    }
}

void
AstrolabeStatsHelper::TrackRow(const std::string& rowId, const std::string& attr)
{
    NS_LOG_FUNCTION(this << rowId << attr);
    m_rowSeries[{rowId, attr}].resize(m_agents.size());
}

std::vector<Time>
AstrolabeStatsHelper::FirstRowSatisfied(const std::string& rowId,
                                        const std::string& attr,
                                        std::function<bool(const astrolabe::Value&)> pred,
                                        Time after) const
{
    NS_LOG_FUNCTION(this << rowId << attr << after);
    std::vector<Time> out(m_agents.size(), Seconds(-1));
    auto it = m_rowSeries.find({rowId, attr});
    NS_ABORT_MSG_IF(it == m_rowSeries.end(), "TrackRow(" << rowId << ", " << attr << ") first");
    for (uint32_t i = 0; i < m_agents.size(); ++i)
    {
        for (const auto& [t, v] : it->second[i])
        {
            if (t >= after && pred(v))
            {
                out[i] = t;
                break;
            }
        }
    }
    return out;
}

void
AstrolabeStatsHelper::TrackAggregate(const std::string& zone, const std::string& attr)
{
    NS_LOG_FUNCTION(this << zone << attr);
    auto& series = m_series[{zone, attr}];
    series.resize(m_agents.size());
    for (uint32_t i = 0; i < m_agents.size(); ++i)
    {
        if (!m_agents[i])
        {
            continue; // another rank's: merged after the run
        }
        Series* s = &series[i];
        m_agents[i]->SubscribeAggregate(
            zone,
            attr,
            [s](const std::string&, const std::string&, const astrolabe::Value& v) {
                s->emplace_back(Simulator::Now(), v);
            });
    }
}

uint32_t
AstrolabeStatsHelper::GetNAgents() const
{
    NS_LOG_FUNCTION(this);
    return m_agents.size();
}

Ptr<AstrolabeAgent>
AstrolabeStatsHelper::GetAgent(uint32_t i) const
{
    NS_LOG_FUNCTION(this << i);
    return m_agents.at(i);
}

std::vector<Time>
AstrolabeStatsHelper::FirstSatisfied(const std::string& zone,
                                     const std::string& attr,
                                     std::function<bool(const astrolabe::Value&)> pred,
                                     Time after) const
{
    NS_LOG_FUNCTION(this << zone << attr << after);
    std::vector<Time> out(m_agents.size(), Seconds(-1));
    auto it = m_series.find({zone, attr});
    NS_ABORT_MSG_IF(it == m_series.end(), "TrackAggregate(" << zone << ", " << attr << ") first");
    for (uint32_t i = 0; i < m_agents.size(); ++i)
    {
        astrolabe::Value current;
        for (const auto& [t, v] : it->second[i])
        {
            if (t <= after)
            {
                current = v;
                continue;
            }
            if (pred(v))
            {
                out[i] = t;
                break;
            }
        }
        if (out[i].IsNegative() && pred(current) && !it->second[i].empty() &&
            it->second[i].back().first <= after)
        {
            out[i] = after; // already true when the measurement started
        }
    }
    return out;
}

std::vector<astrolabe::Value>
AstrolabeStatsHelper::ValuesAt(const std::string& zone, const std::string& attr, Time t) const
{
    NS_LOG_FUNCTION(this << zone << attr << t);
    std::vector<astrolabe::Value> out(m_agents.size());
    auto it = m_series.find({zone, attr});
    NS_ABORT_MSG_IF(it == m_series.end(), "TrackAggregate(" << zone << ", " << attr << ") first");
    for (uint32_t i = 0; i < m_agents.size(); ++i)
    {
        for (const auto& [when, v] : it->second[i])
        {
            if (when > t)
            {
                break;
            }
            out[i] = v;
        }
    }
    return out;
}

double
AstrolabeStatsHelper::MaxErrorAt(const std::string& zone,
                                 const std::string& attr,
                                 double truth,
                                 Time t) const
{
    NS_LOG_FUNCTION(this << zone << attr << truth << t);
    double worst = 0;
    for (const auto& v : ValuesAt(zone, attr, t))
    {
        worst = std::max(worst,
                         v.IsNumber() ? std::fabs(v.GetDouble() - truth)
                                      : std::numeric_limits<double>::infinity());
    }
    return worst;
}

uint64_t
AstrolabeStatsHelper::GetTxPackets(uint32_t i) const
{
    NS_LOG_FUNCTION(this << i);
    return m_counters.at(i)->txPackets;
}

uint64_t
AstrolabeStatsHelper::GetTxBytes(uint32_t i) const
{
    NS_LOG_FUNCTION(this << i);
    return m_counters.at(i)->txBytes;
}

uint64_t
AstrolabeStatsHelper::GetRxPackets(uint32_t i) const
{
    NS_LOG_FUNCTION(this << i);
    return m_counters.at(i)->rxPackets;
}

uint64_t
AstrolabeStatsHelper::GetRxBytes(uint32_t i) const
{
    NS_LOG_FUNCTION(this << i);
    return m_counters.at(i)->rxBytes;
}

uint64_t
AstrolabeStatsHelper::GetMalformed(uint32_t i) const
{
    NS_LOG_FUNCTION(this << i);
    return m_counters.at(i)->malformed;
}

uint64_t
AstrolabeStatsHelper::GetTotalTxPackets() const
{
    NS_LOG_FUNCTION(this);
    uint64_t t = 0;
    for (const auto& c : m_counters)
    {
        t += c->txPackets;
    }
    return t;
}

uint64_t
AstrolabeStatsHelper::GetTotalTxBytes() const
{
    NS_LOG_FUNCTION(this);
    uint64_t t = 0;
    for (const auto& c : m_counters)
    {
        t += c->txBytes;
    }
    return t;
}

} // namespace ns3
