/*
 * SPDX-License-Identifier: GPL-2.0-only
 */
#include "gossip-delivery-stats.h"

#include "ns3/abort.h"
#include "ns3/gossip-mpi.h"
#include "ns3/ipv4-address.h"
#include "ns3/node.h"
#include "ns3/packet.h"
#include "ns3/simulator.h"

#include <algorithm>
#include <cmath>
#include <iomanip>
#include <numeric>
#include <tuple>

namespace ns3
{

namespace
{
void
OnBroadcast(GossipDeliveryStats* stats, uint32_t node, const GossipMessageId& id)
{
    stats->RecordBroadcast(node, id, Simulator::Now());
}

void
OnDeliver(GossipDeliveryStats* stats, uint32_t node, const GossipMessageId& id)
{
    stats->RecordDelivery(node, id.sender, id.seq, Simulator::Now());
}

void
OnTx(GossipDeliveryStats* stats, uint32_t node, Ptr<const Packet> p, Ipv4Address)
{
    stats->RecordTx(node, p->GetSize(), Simulator::Now());
}
} // namespace

void
GossipDeliveryStats::Attach(const ApplicationContainer& apps)
{
    for (auto it = apps.Begin(); it != apps.End(); ++it)
    {
        Ptr<Application> app = *it;
        uint32_t node = app->GetNode()->GetId();
        m_members.insert(node);
        bool ok =
            app->TraceConnectWithoutContext("Broadcast",
                                            MakeBoundCallback(&OnBroadcast, this, node)) &&
            app->TraceConnectWithoutContext("Deliver", MakeBoundCallback(&OnDeliver, this, node)) &&
            app->TraceConnectWithoutContext("Tx", MakeBoundCallback(&OnTx, this, node));
        NS_ABORT_MSG_IF(!ok,
                        "GossipDeliveryStats::Attach: " << app->GetInstanceTypeId().GetName()
                                                        << " has no Broadcast, Deliver or Tx "
                                                           "trace source with the module's "
                                                           "signatures");
    }
}

void
GossipDeliveryStats::RecordBroadcast(uint32_t node, const GossipMessageId& id, Time t)
{
    if (gossip::mpi::IsDistributed())
    {
        m_logBroadcasts.insert(m_logBroadcasts.end(),
                               {node, id.sender, id.seq, uint64_t(t.GetNanoSeconds())});
        return;
    }
    ApplyBroadcast(node, id.sender, id.seq, t);
}

void
GossipDeliveryStats::ApplyBroadcast(uint32_t node, uint32_t origin, uint64_t seq, Time t)
{
    Message& m = m_messages[{origin, seq}];
    m.sent = t;
    m.delivered.insert(node);
}

void
GossipDeliveryStats::SetMembers(const std::vector<uint32_t>& nodeIds)
{
    m_members = std::set<uint32_t>(nodeIds.begin(), nodeIds.end());
}

void
GossipDeliveryStats::MarkCrashed(uint32_t nodeId)
{
    m_crashed.insert(nodeId);
}

void
GossipDeliveryStats::RecordBroadcast(uint32_t origin, uint64_t seq, Time t)
{
    RecordBroadcast(origin, GossipMessageId{origin, seq}, t);
}

void
GossipDeliveryStats::RecordDelivery(uint32_t node, uint32_t origin, uint64_t seq, Time t)
{
    if (gossip::mpi::IsDistributed())
    {
        // the broadcast may be another rank's: resolved in Merge()
        m_logDeliveries.insert(m_logDeliveries.end(),
                               {node, origin, seq, uint64_t(t.GetNanoSeconds())});
        return;
    }
    ApplyDelivery(node, origin, seq, t);
}

void
GossipDeliveryStats::ApplyDelivery(uint32_t node, uint32_t origin, uint64_t seq, Time t)
{
    auto it = m_messages.find({origin, seq});
    if (it == m_messages.end())
    {
        return; // sent before the statistics were connected
    }
    if (!it->second.delivered.insert(node).second)
    {
        ++m_duplicates;
        return;
    }
    m_latencies[{origin, seq}].emplace_back(node, t - it->second.sent);
}

void
GossipDeliveryStats::RecordTx(uint32_t /* node */, uint32_t bytes)
{
    ++m_txPackets;
    m_txBytes += bytes;
}

void
GossipDeliveryStats::RecordTx(uint32_t node, uint32_t bytes, Time now)
{
    if (m_windowSet && (now < m_start || now > m_stop))
    {
        return;
    }
    RecordTx(node, bytes);
}

void
GossipDeliveryStats::SetWindow(Time start, Time stop)
{
    m_start = start;
    m_stop = stop;
    m_windowSet = true;
}

uint32_t
GossipDeliveryStats::GetLiveMembers() const
{
    uint32_t live = 0;
    for (uint32_t m : m_members)
    {
        live += m_crashed.count(m) == 0;
    }
    return live;
}

uint64_t
GossipDeliveryStats::GetMessages() const
{
    return m_messages.size();
}

uint32_t
GossipDeliveryStats::GetDeliveredMembers(uint32_t origin, uint64_t seq) const
{
    auto it = m_messages.find({origin, seq});
    if (it == m_messages.end())
    {
        return 0;
    }
    uint32_t got = 0;
    for (uint32_t n : it->second.delivered)
    {
        got += m_members.count(n) && !m_crashed.count(n);
    }
    return got;
}

double
GossipDeliveryStats::GetDeliveryFraction(uint32_t origin, uint64_t seq) const
{
    uint32_t live = GetLiveMembers();
    return live == 0 ? 0.0 : double(GetDeliveredMembers(origin, seq)) / live;
}

double
GossipDeliveryStats::GetMeanDeliveryFraction() const
{
    if (m_messages.empty())
    {
        return 0.0;
    }
    double sum = 0;
    for (const auto& kv : m_messages)
    {
        sum += GetDeliveryFraction(kv.first.first, kv.first.second);
    }
    return sum / m_messages.size();
}

double
GossipDeliveryStats::GetFullyDeliveredFraction() const
{
    if (m_messages.empty())
    {
        return 0.0;
    }
    uint64_t full = 0;
    for (const auto& kv : m_messages)
    {
        full += GetDeliveryFraction(kv.first.first, kv.first.second) >= 1.0 - 1e-12;
    }
    return double(full) / m_messages.size();
}

std::vector<uint64_t>
GossipDeliveryStats::GetFractionHistogram(uint32_t bins) const
{
    std::vector<uint64_t> h(std::max<uint32_t>(bins, 1), 0);
    for (const auto& kv : m_messages)
    {
        double f = GetDeliveryFraction(kv.first.first, kv.first.second);
        uint32_t b = std::min<uint32_t>(h.size() - 1, uint32_t(f * h.size()));
        h[b]++;
    }
    return h;
}

std::vector<Time>
GossipDeliveryStats::GetSortedLatencies() const
{
    std::vector<Time> all;
    for (const auto& kv : m_latencies)
    {
        for (const auto& [node, latency] : kv.second)
        {
            all.push_back(latency);
        }
    }
    std::sort(all.begin(), all.end());
    return all;
}

Time
GossipDeliveryStats::GetLatencyPercentile(double q) const
{
    std::vector<Time> all = GetSortedLatencies();
    if (all.empty())
    {
        return Time(0);
    }
    size_t i = std::min(all.size() - 1, size_t(std::floor(q * (all.size() - 1) + 0.5)));
    return all[i];
}

uint64_t
GossipDeliveryStats::GetDuplicateDeliveries() const
{
    return m_duplicates;
}

uint64_t
GossipDeliveryStats::GetTxPackets() const
{
    return m_txPackets;
}

uint64_t
GossipDeliveryStats::GetTxBytes() const
{
    return m_txBytes;
}

double
GossipDeliveryStats::GetTxPacketsPerNodePerSecond() const
{
    double secs = (m_stop - m_start).GetSeconds();
    uint32_t live = GetLiveMembers();
    return secs > 0 && live > 0 ? m_txPackets / secs / live : 0.0;
}

double
GossipDeliveryStats::GetTxBytesPerNodePerSecond() const
{
    double secs = (m_stop - m_start).GetSeconds();
    uint32_t live = GetLiveMembers();
    return secs > 0 && live > 0 ? m_txBytes / secs / live : 0.0;
}

std::vector<GossipMessageId>
GossipDeliveryStats::GetMessageIds() const
{
    std::vector<GossipMessageId> ids;
    ids.reserve(m_messages.size());
    for (const auto& kv : m_messages)
    {
        ids.push_back({kv.first.first, kv.first.second});
    }
    return ids;
}

Time
GossipDeliveryStats::GetSendTime(const GossipMessageId& id) const
{
    auto it = m_messages.find({id.sender, id.seq});
    return it == m_messages.end() ? Time() : it->second.sent;
}

std::vector<GossipDeliveryStats::Delivery>
GossipDeliveryStats::GetDeliveries() const
{
    std::vector<Delivery> all;
    for (const auto& kv : m_latencies)
    {
        for (const auto& [node, latency] : kv.second)
        {
            all.push_back({node, GossipMessageId{kv.first.first, kv.first.second}, latency});
        }
    }
    std::sort(all.begin(), all.end(), [](const Delivery& a, const Delivery& b) {
        return std::tie(a.id.sender, a.id.seq, a.node) < std::tie(b.id.sender, b.id.seq, b.node);
    });
    return all;
}

void
GossipDeliveryStats::Merge()
{
    if (!gossip::mpi::IsDistributed())
    {
        return;
    }
    std::vector<uint64_t> members(m_members.begin(), m_members.end());
    std::vector<uint64_t> crashed(m_crashed.begin(), m_crashed.end());
    members = gossip::mpi::Gather(members);
    crashed = gossip::mpi::Gather(crashed);
    m_members.insert(members.begin(), members.end());
    m_crashed.insert(crashed.begin(), crashed.end());
    std::vector<uint64_t> counts{m_txPackets, m_txBytes};
    gossip::mpi::Sum(counts);
    m_txPackets = counts[0];
    m_txBytes = counts[1];
    // Replayed in time order, broadcasts first: a message is broadcast before anyone delivers
    // it, and a member's own deliveries (duplicates included) are all on its rank, in order.
    auto replay = [](const std::vector<uint64_t>& log, auto apply) {
        std::vector<size_t> order(log.size() / 4);
        std::iota(order.begin(), order.end(), 0);
        std::stable_sort(order.begin(), order.end(), [&log](size_t a, size_t b) {
            return log[4 * a + 3] < log[4 * b + 3];
        });
        for (size_t k : order)
        {
            apply(uint32_t(log[4 * k]),
                  uint32_t(log[4 * k + 1]),
                  log[4 * k + 2],
                  NanoSeconds(int64_t(log[4 * k + 3])));
        }
    };
    std::vector<uint64_t> broadcasts = gossip::mpi::Gather(m_logBroadcasts);
    std::vector<uint64_t> deliveries = gossip::mpi::Gather(m_logDeliveries);
    m_logBroadcasts.clear();
    m_logDeliveries.clear();
    replay(broadcasts,
           [this](uint32_t n, uint32_t o, uint64_t s, Time t) { ApplyBroadcast(n, o, s, t); });
    replay(deliveries,
           [this](uint32_t n, uint32_t o, uint64_t s, Time t) { ApplyDelivery(n, o, s, t); });
}

void
GossipDeliveryStats::PrintSummary(std::ostream& os) const
{
    os << std::fixed << std::setprecision(4) << "messages: " << GetMessages()
       << "  live members: " << GetLiveMembers() << "\n"
       << "mean delivery ratio: " << GetMeanDeliveryFraction()
       << "  messages delivered to every live member: " << GetFullyDeliveredFraction() << "\n"
       << "latency ms p50/p90/p99/max: " << GetLatencyPercentile(0.5).GetSeconds() * 1000 << " / "
       << GetLatencyPercentile(0.9).GetSeconds() * 1000 << " / "
       << GetLatencyPercentile(0.99).GetSeconds() * 1000 << " / "
       << GetLatencyPercentile(1.0).GetSeconds() * 1000 << "\n"
       << "overhead: " << GetTxPacketsPerNodePerSecond() << " datagrams and "
       << GetTxBytesPerNodePerSecond() << " bytes per member per second\n";
}

} // namespace ns3
