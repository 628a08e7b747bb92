/*
 * SPDX-License-Identifier: GPL-2.0-only
 */
#include "aggregation-logic.h"

#include <algorithm>
#include <cmath>
#include <deque>
#include <iterator>
#include <set>

namespace ns3
{

AggregationPartial
AggregationPartial::FromValue(double value, uint32_t node)
{
    AggregationPartial p;
    p.count = 1;
    p.sum = value;
    p.min = value;
    p.argmin = node;
    p.max = value;
    p.argmax = node;
    return p;
}

void
AggregationPartial::Combine(const AggregationPartial& o)
{
    count += o.count;
    sum += o.sum;
    if (o.count > 0)
    {
        if (o.min < min || (o.min == min && o.argmin < argmin))
        {
            min = o.min;
            argmin = o.argmin;
        }
        if (o.max > max || (o.max == max && o.argmax < argmax))
        {
            max = o.max;
            argmax = o.argmax;
        }
    }
    partial = partial || o.partial;
    missing += o.missing;
}

double
AggregationPartial::Average() const
{
    return count == 0 ? std::nan("") : sum / count;
}

bool
AggregationPartial::operator==(const AggregationPartial& o) const
{
    return count == o.count && sum == o.sum && min == o.min && argmin == o.argmin && max == o.max &&
           argmax == o.argmax && partial == o.partial && missing == o.missing;
}

double
AggregationSelect(const AggregationPartial& p, AggregationFunction f)
{
    switch (f)
    {
    case AggregationFunction::COUNT:
        return p.count;
    case AggregationFunction::SUM:
        return p.sum;
    case AggregationFunction::AVG:
        return p.Average();
    case AggregationFunction::MIN:
        return p.min;
    case AggregationFunction::MAX:
        return p.max;
    }
    return std::nan("");
}

std::string
AggregationFunctionName(AggregationFunction f)
{
    switch (f)
    {
    case AggregationFunction::COUNT:
        return "COUNT";
    case AggregationFunction::SUM:
        return "SUM";
    case AggregationFunction::AVG:
        return "AVG";
    case AggregationFunction::MIN:
        return "MIN";
    case AggregationFunction::MAX:
        return "MAX";
    }
    return "?";
}

bool
TopCMerge::Merge(std::vector<TopCEntry>& mine,
                 const std::vector<TopCEntry>& theirs,
                 uint32_t c,
                 bool largest)
{
    std::vector<TopCEntry> all = mine;
    // NaN has no place in a strict weak order (std::sort would be undefined): never merge one.
    std::copy_if(theirs.begin(), theirs.end(), std::back_inserter(all), [](const TopCEntry& e) {
        return !std::isnan(e.value);
    });
    auto better = [largest](const TopCEntry& a, const TopCEntry& b) {
        if (a.value != b.value)
        {
            return largest ? a.value > b.value : a.value < b.value;
        }
        return a.node < b.node;
    };
    std::sort(all.begin(), all.end(), better);
    std::vector<TopCEntry> out;
    std::set<uint32_t> seen;
    for (const auto& e : all)
    {
        if (out.size() >= c)
        {
            break;
        }
        if (seen.insert(e.node).second)
        {
            out.push_back(e);
        }
    }
    bool changed = out != mine;
    mine = std::move(out);
    return changed;
}

bool
TopCMerge::AllFinite(const std::vector<TopCEntry>& entries)
{
    return std::all_of(entries.begin(), entries.end(), [](const TopCEntry& e) {
        return std::isfinite(e.value);
    });
}

bool
AggregationPartialIsFinite(const AggregationPartial& p)
{
    return std::isfinite(p.sum) && std::isfinite(p.min) && std::isfinite(p.max);
}

std::shared_ptr<const std::vector<Ipv4Address>>
AggregationDeduplicate(std::shared_ptr<const std::vector<Ipv4Address>> members)
{
    static std::weak_ptr<const std::vector<Ipv4Address>> lastIn;
    static std::shared_ptr<const std::vector<Ipv4Address>> lastOut;
    if (!members)
    {
        return members;
    }
    if (!lastIn.expired() && lastIn.lock() == members)
    {
        return lastOut;
    }
    std::set<uint32_t> seen;
    auto out = std::make_shared<std::vector<Ipv4Address>>();
    out->reserve(members->size());
    for (const auto& a : *members)
    {
        if (seen.insert(a.Get()).second)
        {
            out->push_back(a);
        }
    }
    lastIn = members;
    lastOut = out->size() == members->size() ? members : out;
    return lastOut;
}

uint32_t
AggregationCountOthers(const std::vector<Ipv4Address>& members, Ipv4Address self)
{
    return std::count_if(members.begin(), members.end(), [self](const Ipv4Address& a) {
        return a != self;
    });
}

PushSumState::PushSumState(double s, double w)
    : m_s(s),
      m_w(w)
{
}

PushSumMass
PushSumState::TakeHalf()
{
    m_s /= 2;
    m_w /= 2;
    return {m_s, m_w};
}

void
PushSumState::Absorb(const PushSumMass& m)
{
    m_s += m.s;
    m_w += m.w;
}

double
PushSumState::Estimate() const
{
    return m_w > 0 ? m_s / m_w : std::nan("");
}

double
PushSumState::GetS() const
{
    return m_s;
}

double
PushSumState::GetW() const
{
    return m_w;
}

std::pair<PushSumMass, uint32_t>
RunningSumLedger::AddSent(uint32_t peer, const PushSumMass& m)
{
    Out& o = m_out[peer];
    o.total.s += m.s;
    o.total.w += m.w;
    ++o.seq;
    return {o.total, o.seq};
}

PushSumMass
RunningSumLedger::GetSent(uint32_t peer) const
{
    auto it = m_out.find(peer);
    return it == m_out.end() ? PushSumMass{} : it->second.total;
}

PushSumMass
RunningSumLedger::Receive(uint32_t peer, const PushSumMass& totals, uint32_t seq)
{
    if (IsImplausible(peer, seq))
    {
        return {};
    }
    In& in = m_in[peer];
    if (in.any && seq <= in.seq)
    {
        return {}; // duplicate or reordered: already applied
    }
    PushSumMass delta{totals.s - in.total.s, totals.w - in.total.w};
    in.total = totals;
    in.seq = seq;
    in.any = true;
    return delta;
}

bool
RunningSumLedger::IsImplausible(uint32_t peer, uint32_t seq) const
{
    auto it = m_in.find(peer);
    uint32_t last = it == m_in.end() ? 0 : it->second.seq;
    return seq > last && seq - last > kMaxSeqJump;
}

PushSumMass
RunningSumLedger::GetReceived(uint32_t peer) const
{
    auto it = m_in.find(peer);
    return it == m_in.end() ? PushSumMass{} : it->second.total;
}

AggregationOverlay::Graph
AggregationOverlay::Build(uint32_t n,
                          uint32_t hostsPerRack,
                          uint32_t rackDegree,
                          uint32_t remoteCycles,
                          Ptr<UniformRandomVariable> rng)
{
    std::vector<std::set<uint32_t>> adj(n);
    auto link = [&adj](uint32_t a, uint32_t b) {
        if (a != b)
        {
            adj[a].insert(b);
            adj[b].insert(a);
        }
    };
    if (hostsPerRack == 0)
    {
        hostsPerRack = 1;
    }
    for (uint32_t first = 0; first < n && rackDegree > 0; first += hostsPerRack)
    {
        uint32_t size = std::min(hostsPerRack, n - first);
        uint32_t reach = std::max<uint32_t>(1, rackDegree / 2);
        for (uint32_t i = 0; i < size; ++i)
        {
            for (uint32_t d = 1; d <= reach && d < size; ++d)
            {
                link(first + i, first + (i + d) % size);
            }
        }
    }
    std::vector<uint32_t> perm(n);
    for (uint32_t c = 0; c < remoteCycles && n > 1; ++c)
    {
        for (uint32_t i = 0; i < n; ++i)
        {
            perm[i] = i;
        }
        for (uint32_t i = n - 1; i > 0; --i) // Fisher-Yates
        {
            std::swap(perm[i], perm[rng->GetInteger(0, i)]);
        }
        for (uint32_t i = 0; i < n; ++i)
        {
            link(perm[i], perm[(i + 1) % n]);
        }
    }
    Graph g(n);
    for (uint32_t i = 0; i < n; ++i)
    {
        g[i].assign(adj[i].begin(), adj[i].end());
    }
    return g;
}

uint64_t
AggregationOverlay::EdgeCount(const Graph& g)
{
    uint64_t d = 0;
    for (const auto& l : g)
    {
        d += l.size();
    }
    return d / 2;
}

bool
AggregationOverlay::IsSymmetric(const Graph& g)
{
    for (uint32_t i = 0; i < g.size(); ++i)
    {
        for (uint32_t j : g[i])
        {
            if (j >= g.size() || j == i || !std::binary_search(g[j].begin(), g[j].end(), i))
            {
                return false;
            }
        }
    }
    return true;
}

std::vector<uint32_t>
AggregationOverlay::Distances(const Graph& g, uint32_t source)
{
    std::vector<uint32_t> dist(g.size(), std::numeric_limits<uint32_t>::max());
    std::deque<uint32_t> q;
    dist[source] = 0;
    q.push_back(source);
    while (!q.empty())
    {
        uint32_t u = q.front();
        q.pop_front();
        for (uint32_t v : g[u])
        {
            if (dist[v] == std::numeric_limits<uint32_t>::max())
            {
                dist[v] = dist[u] + 1;
                q.push_back(v);
            }
        }
    }
    return dist;
}

bool
AggregationOverlay::IsConnected(const Graph& g)
{
    if (g.empty())
    {
        return true;
    }
    auto d = Distances(g, 0);
    return std::find(d.begin(), d.end(), std::numeric_limits<uint32_t>::max()) == d.end();
}

uint32_t
AggregationInfoFlow::Representative(Kind kind, uint32_t first, uint32_t level)
{
    if (kind == ASTROLABE || level == 0)
    {
        return first;
    }
    return first + (1U << (level - 1)) - 1;
}

bool
AggregationInfoFlow::IsValidSize(uint32_t n)
{
    return n >= 2 && (n & (n - 1)) == 0;
}

AggregationOverlay::Graph
AggregationInfoFlow::Build(Kind kind, uint32_t n)
{
    std::vector<std::set<uint32_t>> adj(n);
    for (uint32_t level = 1; (1U << level) <= n; ++level)
    {
        uint32_t size = 1U << level;
        for (uint32_t first = 0; first < n; first += size)
        {
            // The level-l gossip runs between the representatives of the two halves.
            uint32_t a = Representative(kind, first, level - 1);
            uint32_t b = Representative(kind, first + size / 2, level - 1);
            adj[a].insert(b);
            adj[b].insert(a);
        }
    }
    AggregationOverlay::Graph g(n);
    for (uint32_t i = 0; i < n; ++i)
    {
        g[i].assign(adj[i].begin(), adj[i].end());
    }
    return g;
}

uint32_t
AggregationInfoFlow::Diameter(const AggregationOverlay::Graph& g)
{
    const uint32_t inf = std::numeric_limits<uint32_t>::max();
    if (g.size() < 2)
    {
        return 0;
    }
    if (AggregationOverlay::EdgeCount(g) + 1 == g.size() && AggregationOverlay::IsConnected(g))
    {
        // A tree: the farthest node from anywhere is an end of a longest path (double BFS).
        auto d0 = AggregationOverlay::Distances(g, 0);
        uint32_t far = std::max_element(d0.begin(), d0.end()) - d0.begin();
        auto d1 = AggregationOverlay::Distances(g, far);
        return *std::max_element(d1.begin(), d1.end());
    }
    uint32_t diam = 0;
    for (uint32_t s = 0; s < g.size(); ++s)
    {
        for (uint32_t d : AggregationOverlay::Distances(g, s))
        {
            diam = std::max(diam, d == inf ? inf : d);
        }
    }
    return diam;
}

std::vector<uint32_t>
AggregationInfoFlow::Path(const AggregationOverlay::Graph& g, uint32_t from, uint32_t to)
{
    auto d = AggregationOverlay::Distances(g, to);
    std::vector<uint32_t> path;
    if (d[from] == std::numeric_limits<uint32_t>::max())
    {
        return path;
    }
    uint32_t u = from;
    path.push_back(u);
    while (u != to)
    {
        for (uint32_t v : g[u]) // neighbours are sorted: the walk is deterministic
        {
            if (d[v] + 1 == d[u])
            {
                u = v;
                break;
            }
        }
        path.push_back(u);
    }
    return path;
}

std::string
AggregationInfoFlow::Name(uint32_t node)
{
    if (node < 26)
    {
        return std::string(1, char('A' + node));
    }
    return "n" + std::to_string(node);
}

} // namespace ns3
