/*
 * SPDX-License-Identifier: GPL-2.0-only
 *
 * dreadful-tree: the lecture's "fair (but dreadful) aggregation tree" against Astrolabe's
 * elected-representative hierarchy, as information-flow graphs.
 *
 * N = 2^k nodes A, B, C, ... in a binary zone hierarchy. At each level a zone's gossip runs
 * between the representatives of its two halves, and information moves only along those
 * exchanges, one exchange per time unit. In the dreadful tree every node does the same amount
 * of inner work (at most one inner job: A C E G I K M O, then B F J N, then D L), so an event at
 * H must crawl H-G-E-F-B-A-C-D-L-K-I-J-N-M-O-P: O(N). In Astrolabe a zone's representative is
 * elected from the level below and runs the gossip at every level it reaches: O(log N).
 *
 * The 16-node case also runs over real packets: 16 hosts of a datacenter exchange UDP datagrams
 * along the information-flow edges once per time unit (--unit, default a five-second gossip
 * round), and the example prints when each host learned the event.
 *
 * The "Astrolabe" side is a model: the hand-built information-flow graph of elected
 * representatives (aggregation::InfoFlow::Build(Kind::ASTROLABE, n)), run at packet level by
 * TopCApplication (C = 1) along its edges. It is not a run of AstrolabeAgent; --agents=1 adds
 * one: N AstrolabeAgents with branching factor 2, reporting when each saw the event.
 *
 *   dreadful-tree                    16-node case, then N = 2 .. 65536
 *   dreadful-tree --maxN=1048576     larger sweep
 *
 * Output: stdout (deterministic), <prefix>.csv and <prefix>.png.
 */
#include "gossip-example-support.h"

#include "ns3/core-module.h"
#include "ns3/gossip-module.h"
#include "ns3/internet-module.h"
#include "ns3/network-module.h"

#include <iomanip>

using namespace ns3;
using aggregation::InfoFlow;

NS_LOG_COMPONENT_DEFINE("AggregationDreadfulTreeExample");

namespace
{
std::string
PathString(const std::vector<uint32_t>& path)
{
    std::string s;
    for (uint32_t v : path)
    {
        s += (s.empty() ? "" : " - ") + InfoFlow::Name(v);
    }
    return s;
}

void
PrintLevels(InfoFlow::Kind kind, uint32_t n)
{
    for (uint32_t level = 1; (1U << level) <= n; ++level)
    {
        std::cout << "    level " << level << " zones run between:";
        uint32_t size = 1U << level;
        for (uint32_t first = 0; first < n; first += size)
        {
            std::cout << " " << InfoFlow::Name(InfoFlow::Representative(kind, first, level - 1))
                      << "-"
                      << InfoFlow::Name(
                             InfoFlow::Representative(kind, first + size / 2, level - 1));
        }
        std::cout << "\n";
    }
}

struct Learned
{
    std::vector<Time> at;
    uint32_t source{0};

    void Changed(uint32_t node,
                 const std::vector<aggregation::TopCEntry>& largest,
                 const std::vector<aggregation::TopCEntry>&)
    {
        if (!largest.empty() && largest[0].node == source && at[node].IsStrictlyNegative())
        {
            at[node] = Simulator::Now();
        }
    }
};

/// The information-flow graph over real UDP: \return when each host learned the event.
std::vector<Time>
PacketRun(InfoFlow::Kind kind, uint32_t n, uint32_t source, Time unit)
{
    DatacenterTopologyHelper dc;
    dc.SetHostsPerRack(std::max<uint32_t>(1, n / 4));
    dc.SetRacksPerPod(std::min<uint32_t>(4, n));
    dc.SetSpinesPerPod(2);
    dc.Install();
    std::vector<double> values(n, 0.0);
    values[source] = 1.0; // the event
    TopCHelper tc;
    tc.SetValues(values);
    tc.SetOverlay(InfoFlow::Build(kind, n));
    tc.SetAttribute("C", UintegerValue(1));
    tc.SetAttribute("RoundInterval", TimeValue(unit));
    tc.SetAttribute("Rounds", UintegerValue(2 * n));
    ApplicationContainer apps = tc.Install(dc.GetHosts());
    Learned l;
    l.source = source;
    l.at.assign(n, Time(-1));
    for (uint32_t i = 0; i < n; ++i)
    {
        apps.Get(i)->TraceConnectWithoutContext("Changed",
                                                MakeCallback(&Learned::Changed, &l).Bind(i));
    }
    l.at[source] = Time(0);
    Simulator::Stop(unit * (2 * n + 1));
    Simulator::Run();
    Simulator::Destroy();
    return l.at;
}

/**
 * Real AstrolabeAgents (branching factor 2: zone paths are the bits of the node index, so zones
 * are the same blocks as in the model) after a warm-up: \return when each agent's root-zone
 * MAX(mark) first showed the event set at source, relative to the event (negative: never).
 */
std::vector<Time>
AgentRun(uint32_t n, uint32_t source, Time unit, uint32_t warmup, uint32_t measure)
{
    DatacenterTopologyHelper dc;
    dc.SetHostsPerRack(std::max<uint32_t>(1, n / 4));
    dc.SetRacksPerPod(std::min<uint32_t>(4, n));
    dc.SetSpinesPerPod(2);
    dc.Install();
    dc.AssignStreams(700000);
    uint32_t levels = 0;
    while ((1U << levels) < n)
    {
        ++levels;
    }
    NodeContainer nodes;
    std::map<uint32_t, std::string> paths; // node id -> zone path
    for (uint32_t i = 0; i < n; ++i)
    {
        nodes.Add(dc.GetHost(i));
        std::string path;
        for (uint32_t l = levels; l-- > 0;)
        {
            path += "/" + std::to_string((i >> l) & 1U);
        }
        paths[dc.GetHost(i)->GetId()] = path;
    }
    AstrolabeHelper astro;
    astro.SetAttribute("GossipInterval", TimeValue(unit));
    astro.SetZoneFunction(
        [&paths](Ptr<Node> node, Ipv4Address) { return paths.at(node->GetId()); });
    ApplicationContainer apps = astro.Install(nodes);
    for (uint32_t i = 0; i < n; ++i)
    {
        // seeds: the first host of each ancestor zone
        std::vector<Ipv4Address> seeds;
        for (uint32_t l = levels; l > 0; --l)
        {
            seeds.push_back(dc.GetHostAddress((i >> l) << l));
        }
        auto agent = DynamicCast<AstrolabeAgent>(apps.Get(i));
        agent->SetSeeds(seeds);
        agent->SetMibAttribute("mark", astrolabe::Value(0));
    }
    astro.AssignStreams(nodes, 7000);
    apps.Start(Seconds(0));
    std::string err;
    DynamicCast<AstrolabeAgent>(apps.Get(0))->InstallAfc("mark", "SELECT MAX(mark) AS mark", err);
    NS_ABORT_MSG_UNLESS(err.empty(), "dreadful-tree: AFC rejected: " << err);
    AstrolabeStatsHelper stats;
    stats.Attach(apps);
    stats.TrackAggregate("/", "mark");
    Time t0 = unit * warmup;
    Ptr<AstrolabeAgent> src = DynamicCast<AstrolabeAgent>(apps.Get(source));
    GossipSchedule(t0, [src]() { src->SetMibAttribute("mark", astrolabe::Value(1)); });
    Simulator::Stop(t0 + unit * measure);
    Simulator::Run();
    auto times = stats.FirstSatisfied(
        "/",
        "mark",
        [](const astrolabe::Value& v) { return v.GetInt() == 1; },
        t0);
    for (auto& t : times)
    {
        t = t.IsNegative() ? Time(-1) : t - t0;
    }
    Simulator::Destroy();
    return times;
}

/// The detailed case for one kind: levels, the path from src to dst, when each node learns the
/// event in the model, and the same graph over real UDP.
void
ReportCase(InfoFlow::Kind kind, uint32_t n, uint32_t src, uint32_t dst, Time unit)
{
    const std::string from = InfoFlow::Name(src);
    const std::string to = InfoFlow::Name(dst);
    gossip::Graph g = InfoFlow::Build(kind, n).ToGraph();
    // (the label keeps the model's former name, so that the output stays as it was)
    std::cout << (kind == InfoFlow::Kind::DREADFUL ? "fair but dreadful tree"
                                                   : "Astrolabe model (information flow "
                                                     "of elected representatives, "
                                                     "AggregationInfoFlow::ASTROLABE; "
                                                     "not AstrolabeAgent)")
              << ":\n";
    PrintLevels(kind, n);
    auto path = g.ShortestPath(src, dst);
    auto dist = g.Distances(src);
    std::cout << "    " << from << " reaches " << to << " after " << path.size() - 1
              << " time units: " << PathString(path) << "\n";
    std::cout << "    time each node learns the event:";
    for (uint32_t i = 0; i < n; ++i)
    {
        std::cout << " " << InfoFlow::Name(i) << "=" << dist[i];
    }
    std::cout << "\n    information-flow diameter: " << g.Diameter() << "\n";
    // The same graph over real UDP datagrams on a datacenter.
    std::vector<Time> at = PacketRun(kind, n, src, unit);
    std::cout << "    packet level (UDP, TopCApplication C=1 along the model's edges, one "
                 "exchange per "
              << unit.As(Time::S) << "): learned in time unit";
    for (uint32_t i = 0; i < n; ++i)
    {
        std::cout << " " << InfoFlow::Name(i) << "=";
        if (at[i].IsStrictlyNegative())
        {
            std::cout << "never";
        }
        else
        {
            std::cout << uint64_t(std::ceil(at[i].GetSeconds() / unit.GetSeconds()));
        }
    }
    std::cout << "\n    packet level: " << to << " learned the event after "
              << (at[dst].IsStrictlyNegative() ? std::string("never")
                                               : std::to_string(at[dst].GetSeconds()) + " s")
              << "\n";
}

/// The real agents' report (AgentRun).
void
ReportAgents(uint32_t n, uint32_t src, uint32_t dst, Time unit, uint32_t warmup)
{
    const uint32_t measure = 40;
    std::vector<Time> at = AgentRun(n, src, unit, warmup, measure);
    std::cout << "AstrolabeAgent protocol (" << n
              << " agents, branching 2, paths = index bits, event after " << warmup
              << " rounds of warm-up):\n    rounds until the root zone's MAX(mark) showed it:";
    for (uint32_t i = 0; i < n; ++i)
    {
        std::cout << " " << InfoFlow::Name(i) << "=";
        if (at[i].IsStrictlyNegative())
        {
            std::cout << "never";
        }
        else
        {
            std::cout << std::fixed << std::setprecision(2)
                      << at[i].GetSeconds() / unit.GetSeconds();
        }
    }
    std::cout << std::defaultfloat << "\n    " << InfoFlow::Name(dst) << " saw "
              << InfoFlow::Name(src) << "'s event "
              << (at[dst].IsStrictlyNegative()
                      ? std::string("never (within " + std::to_string(measure) + " rounds)")
                      : "after " + std::to_string(at[dst].GetSeconds() / unit.GetSeconds()) +
                            " rounds")
              << "\n";
}

/// The diameters for N = 2 .. maxN: stdout, prefix.csv and the plot.
void
Sweep(uint32_t maxN, const std::string& prefix)
{
    std::cout << "\n== growing N: information-flow diameter (time units)\n"
              << std::setw(10) << "N" << std::setw(12) << "dreadful" << std::setw(12) << "astrolabe"
              << std::setw(10) << "N-1" << std::setw(14) << "2log2(N)-1"
              << "\n";
    GossipCsvWriter csv(prefix + ".csv", {"n", "dreadful_diameter", "astrolabe_diameter"});
    Gnuplot2dDataset dd("fair but dreadful tree");
    Gnuplot2dDataset ad("Astrolabe");
    dd.SetStyle(Gnuplot2dDataset::LINES_POINTS);
    ad.SetStyle(Gnuplot2dDataset::LINES_POINTS);
    for (uint32_t k = 1; (1U << k) <= maxN; ++k)
    {
        uint32_t size = 1U << k;
        uint32_t d = InfoFlow::Build(InfoFlow::Kind::DREADFUL, size).ToGraph().Diameter();
        uint32_t a = InfoFlow::Build(InfoFlow::Kind::ASTROLABE, size).ToGraph().Diameter();
        std::cout << std::setw(10) << size << std::setw(12) << d << std::setw(12) << a
                  << std::setw(10) << size - 1 << std::setw(14) << 2 * k - 1 << "\n";
        csv.Row(size, d, a);
        dd.Add(size, d);
        ad.Add(size, a);
        if (size >= 65536)
        {
            std::cerr << "  N=" << size << " done" << std::endl;
        }
    }
    Gnuplot plot(prefix + ".png");
    plot.SetTitle("Information-flow diameter: fair-but-dreadful tree O(N) vs Astrolabe O(log N)");
    plot.SetLegend("nodes N", "time units for an event to reach every node");
    plot.AppendExtra("set logscale xy");
    plot.AppendExtra("set key left top");
    plot.AddDataset(dd);
    plot.AddDataset(ad);
    bool png = GossipPlotHelper::Write(prefix, plot);
    std::cout << "wrote " << prefix << ".csv" << (png ? ", " + prefix + ".png" : "") << "\n";
}
} // namespace

int
main(int argc, char* argv[])
{
    uint32_t n = 16;
    uint32_t maxN = 65536;
    std::string from = "H";
    std::string to = "P";
    std::string prefix = "dreadful-tree";
    Time unit = Seconds(5);
    bool agents = false;
    uint32_t warmup = 30;

    // Letters name the nodes of the detailed case (at most 16); which of them exist depends on
    // --n, checked after parsing.
    std::vector<std::string> letters;
    for (uint32_t i = 0; i < 16; ++i)
    {
        letters.push_back(InfoFlow::Name(i));
    }
    GossipOptions cmd(__FILE__,
                      "Information-flow diameter of the lecture's fair-but-dreadful aggregation "
                      "tree against Astrolabe's hierarchy.");
    cmd.Add("n", "nodes in the detailed case (a power of two, 2..26 to use letters)", n, 2U, 16U);
    cmd.Add("maxN", "largest N of the sweep (a power of two, 2..2^24)", maxN, 2U, 1U << 24);
    cmd.AddChoice("from", "node where the event happens (letter)", from, letters);
    cmd.AddChoice("to", "node that must learn it (letter)", to, letters);
    // the unit is the top-c apps' round (>= 10 us) and, with --agents, Astrolabe's (>= 1 ms)
    cmd.Add("unit",
            "packet-level run: length of one time unit (gossip round)",
            unit,
            MilliSeconds(1),
            Hours(1));
    cmd.Add("agents",
            "also run 16 real AstrolabeAgents (branching 2) and report when --to sees the "
            "event at --from (off by default: slower)",
            agents);
    cmd.Add("warmup", "agents: rounds before the event (0..1000)", warmup, 0U, 1000U);
    cmd.AddPrefix(prefix, "output file prefix (.csv, .plt, .png)");
    cmd.Parse(argc, argv);
    GossipOptions::Require(InfoFlow::IsValidSize(n), "n", n, "2, 4, 8, 16");
    GossipOptions::Require(InfoFlow::IsValidSize(maxN), "maxN", maxN, "a power of two 2..16777216");
    const std::string named = "A.." + InfoFlow::Name(n - 1) + " (--n=" + std::to_string(n) + ")";
    const uint32_t src = from[0] - 'A';
    const uint32_t dst = to[0] - 'A';
    GossipOptions::Require(src < n, "from", from, named);
    GossipOptions::Require(dst < n, "to", to, named);

    std::cout << "== " << n << " nodes, event at " << from << "\n";
    for (auto kind : {InfoFlow::Kind::DREADFUL, InfoFlow::Kind::ASTROLABE})
    {
        ReportCase(kind, n, src, dst, unit);
    }
    if (agents)
    {
        ReportAgents(n, src, dst, unit, warmup);
    }
    Sweep(maxN, prefix);
    return 0;
}
