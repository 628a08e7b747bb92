/*
 * SPDX-License-Identifier: GPL-2.0-only
 *
 * aggregation-compare: the lecture's "Gossip vs Urgent" slide, measured.
 *
 * On a leaf-spine datacenter of N hosts, COUNT and AVG(load) are computed
 *   1. by a flooding-built spanning tree (echo algorithm over a fixed overlay: hosts of the same
 *      rack plus random remote hosts), once building the tree and once reusing it, and
 *   2. by push-sum (Kempe et al.) gossip with one message per node per round,
 * and for each the example reports the simulated time to answer, the answer's error, the total
 * messages, the peak messages per millisecond (the load spike) and the messages per node per
 * second. Astrolabe (AstrolabeAgent: COUNT = the root zone's nmembers,
 * AVG = AVG(load) by an aggregation function installed at every agent) runs on a fresh copy of
 * the same fabric, from a cold start, up to --astrolabeMax hosts (default 10,000).
 *
 *   aggregation-compare                                  N = 1,000 (under a minute)
 *   aggregation-compare --sizes=1000,10000               N = 1,000 and 10,000 (about 7 min)
 *   aggregation-compare --sizes=1000 --astrolabeMax=0    the tree and push-sum only, seconds
 *   aggregation-compare --sizes=100000 --astrolabeMax=100000
 *                                                        as in the lecture (hours, ~13 GB)
 *   mpiexec -np 2 aggregation-compare --mpi --sizes=10000
 *                                   the tree and push-sum with the pods spread over 2 ranks
 *                                   (--coreDelay is the lookahead; doc: Distributed runs)
 *
 * The tree's per-hop processing delay defaults to the lecture's "perhaps a millisecond"; the
 * network's own per-hop latency is microseconds. Gossip rounds default to five seconds.
 *
 * Output: stdout (deterministic), <prefix>.csv, <prefix>-load.png, <prefix>-time.png; progress
 * and wall-clock times on stderr.
 *
 * Every figure comes from what the run recorded (messages in 1 ms bins, push-sum errors by round,
 * queue drops by round), never from the moment the run stopped: under --mpi each rank records
 * its own nodes and the records are merged after the run, which then goes on to --maxRounds
 * (no rank can tell alone that every node has answered), and the figures are those of one
 * process.
 */
#include "gossip-example-support.h"

#include "ns3/core-module.h"
#include "ns3/gossip-module.h"
#include "ns3/internet-module.h"
#include "ns3/network-module.h"

#include <cmath>
#include <fstream>
#include <iomanip>
#include <map>
#include <memory>
#include <sstream>

using namespace ns3;

NS_LOG_COMPONENT_DEFINE("AggregationCompareExample");

namespace
{
struct Row
{
    uint32_t n;
    std::string protocol;
    std::string function;
    double timeToAnswer; //!< seconds, simulated
    double error;        //!< relative
    uint64_t messages;
    uint64_t peakPerMs;
    double perNodePerSecond;
    std::string note;
};

/// Push-sum of one function: its messages, its errors and its answer, the first round at which
/// every node was within eps at once.
struct GossipPhase
{
    aggregation::Function function;
    AggregationStats stats;
    PushSumStats errors;
    double eps{0.01};
    Time start;
    bool answered{false};
    uint32_t answerRound{0};
    Time answerTime;
    double answerError{0};
    std::function<void()> onAnswer; //!< one process: when every node has answered (to stop)

    /// Every node has reported for round (one process only): tell onAnswer once the largest
    /// error is below eps.
    void RoundComplete(uint32_t, double maxError)
    {
        if (maxError < eps && onAnswer)
        {
            onAnswer();
            onAnswer = nullptr;
        }
    }

    /// After the run (and Merge): the answer, from the errors recorded by round.
    void Conclude()
    {
        answerRound = errors.GetFirstRoundBelow(eps);
        answered = answerRound != UINT32_MAX;
        if (answered)
        {
            const PushSumStats::Round& r = errors.GetRounds().at(answerRound);
            answerTime = r.last - start;
            answerError = r.maxError;
        }
    }
};

/// The flooding tree: its messages, the root's answers and when the last node joined.
struct TreePhase
{
    AggregationStats stats;
    std::vector<FloodTreeAnswer> answers; //!< at the root's rank only, under --mpi
    Time lastJoin;
    uint64_t edges{0}; //!< of the overlay

    void Answer(const FloodTreeAnswer& a)
    {
        answers.push_back(a);
    }

    void Join(Ipv4Address, uint32_t)
    {
        lastJoin = Simulator::Now();
    }

    /// Under --mpi, after the run: every rank's messages and last join.
    void Merge()
    {
        stats.Merge();
        std::vector<uint64_t> join{uint64_t(lastJoin.GetNanoSeconds())};
        gossip::mpi::Max(join);
        lastJoin = NanoSeconds(join[0]);
    }
};

/**
 * Datagrams dropped by full device queues (the load spike's victims): in the tree phase (bin 0)
 * and in each gossip round after it (bin k, from split + (k-1) x period). Without queue discs,
 * ns-3.37's traffic-control layer silently discards a packet when the device's queue is stopped
 * (full), so drops are counted as IP transmissions that never reached a device.
 */
struct QueueDrops
{
    Time split;
    Time period;
    std::vector<uint64_t> ipTx;
    std::vector<uint64_t> devTx;
    std::vector<uint64_t> queueDrop;

    /// The bin of time t.
    size_t BinOf(Time t) const
    {
        return t < split ? 0 : 1 + (t - split).GetNanoSeconds() / period.GetNanoSeconds();
    }

    void Count(std::vector<uint64_t>& bins) const
    {
        const size_t b = BinOf(Simulator::Now());
        if (bins.size() <= b)
        {
            bins.resize(b + 1, 0);
        }
        ++bins[b];
    }

    void IpTx(Ptr<const Packet>, Ptr<Ipv4>, uint32_t)
    {
        Count(ipTx);
    }

    void DevTx(Ptr<const Packet>)
    {
        Count(devTx);
    }

    void QueueDrop(Ptr<const Packet>)
    {
        Count(queueDrop);
    }

    /// Drops in bins first..last.
    int64_t Drops(size_t first, size_t last) const
    {
        int64_t d = 0;
        for (size_t b = first; b <= last; ++b)
        {
            auto at = [b](const std::vector<uint64_t>& v) { return b < v.size() ? v[b] : 0; };
            d += int64_t(at(ipTx)) - int64_t(at(devTx)) + int64_t(at(queueDrop));
        }
        return d;
    }

    /// Under --mpi, after the run: every rank's counts.
    void Merge()
    {
        std::vector<uint64_t> size{std::max({ipTx.size(), devTx.size(), queueDrop.size()})};
        gossip::mpi::Max(size);
        for (auto* v : {&ipTx, &devTx, &queueDrop})
        {
            v->resize(size[0], 0);
            gossip::mpi::Sum(*v);
        }
    }
};

/// Astrolabe: when every agent's root-zone aggregate first met the condition at the same time.
/// An agent's value is not monotone during a cold start (a representative's copy of a zone row
/// can be replaced by an older one for a while), so "every agent was right once" is not enough.
struct AstroBook
{
    uint32_t n{0};
    double avg{0};
    double eps{0.01};
    std::vector<bool> countOk; //!< right now
    std::vector<bool> avgOk;
    uint32_t countNow{0}; //!< agents right now
    uint32_t avgNow{0};
    Time countTime{-1}; //!< first time all agents were right at once
    Time avgTime{-1};
    std::function<void()> onDone;

    static void Track(std::vector<bool>& ok, uint32_t& now, Time& when, uint32_t i, bool right)
    {
        if (ok[i] != right)
        {
            ok[i] = right;
            right ? ++now : --now;
        }
        if (now == ok.size() && when.IsNegative())
        {
            when = Simulator::Now();
        }
    }

    void Changed(uint32_t i, const std::string&, const std::string& attr, const astrolabe::Value& v)
    {
        if (attr == "nmembers")
        {
            Track(countOk, countNow, countTime, i, v.IsNumber() && v.GetInt() == int64_t(n));
        }
        else if (attr == "load")
        {
            Track(avgOk,
                  avgNow,
                  avgTime,
                  i,
                  v.IsNumber() && std::abs(v.GetDouble() - avg) / avg < eps);
        }
        // both reached, and both hold right now
        if (countTime.IsPositive() && avgTime.IsPositive() && countNow == n && avgNow == n &&
            onDone)
        {
            onDone();
            onDone = nullptr;
        }
    }
};

/// --diagnose: where the agents whose root COUNT is wrong get it wrong. Every view row they hold
/// whose nmembers differs from its zone's true size is put in one of three classes: its rep is
/// no longer a representative of the zone (a former rep's, or a start-up row), its rep is one
/// and computes the right value now (the agent holds a stale copy: dissemination lags), or its
/// rep is one and still computes a wrong value (it lacks rows itself).
struct LagProbe
{
    std::vector<Ptr<AstrolabeAgent>> agents;
    std::map<std::string, int64_t> truth;   //!< zone path -> hosts under it
    std::map<std::string, uint32_t> byPath; //!< host path -> agent index
    Time period;
    bool dumped{false}; //!< the first report's tables were written

    LagProbe(const ApplicationContainer& apps, Time roundLength)
        : period(roundLength)
    {
        for (uint32_t i = 0; i < apps.GetN(); ++i)
        {
            Ptr<AstrolabeAgent> a = DynamicCast<AstrolabeAgent>(apps.Get(i));
            agents.push_back(a);
            const std::string& path = a->GetZonePath();
            byPath[path] = i;
            ++truth["/"];
            for (size_t k = path.find('/', 1); k != std::string::npos; k = path.find('/', k + 1))
            {
                ++truth[path.substr(0, k)];
            }
        }
    }

    /// One line on stderr; the tables of up to three lagging agents in dump.
    void Report(uint32_t round, std::ostream* dump) const
    {
        const char* kClass[] = {"former rep's", "stale copy", "rep still wrong"};
        uint32_t wrongAgents = 0;
        std::map<std::pair<uint32_t, int>, std::vector<double>> ages; // (level, class) -> rounds
        std::map<std::string, uint64_t> wrongZones;
        uint32_t dumped = 0;
        const int64_t now = Simulator::Now().GetMicroSeconds();
        for (const auto& a : agents)
        {
            if (a->GetAggregate("/", "nmembers").GetInt() == truth.at("/"))
            {
                continue;
            }
            ++wrongAgents;
            const std::vector<std::string> zones = a->GetAncestors(); // "/" first
            for (uint32_t l = 0; l < zones.size(); ++l)
            {
                for (const astrolabe::Row& r : a->GetZoneTable(zones[l]))
                {
                    auto t = truth.find(r.GetId());
                    if (t == truth.end() || r.GetNMembers() == t->second ||
                        r.GetRep() == a->GetZonePath())
                    {
                        continue; // right, or its own computation (wrong only from below)
                    }
                    ++wrongZones[r.GetId()];
                    auto rep = byPath.find(r.GetRep());
                    int cls = 0;
                    astrolabe::Row computed;
                    if (rep != byPath.end() && agents[rep->second]->IsContact(l))
                    {
                        cls = agents[rep->second]->GetZoneRow(r.GetId(), computed) &&
                                      computed.GetNMembers() == t->second
                                  ? 1
                                  : 2;
                    }
                    ages[{l, cls}].push_back((now - r.GetIssued()) /
                                             double(period.GetMicroSeconds()));
                }
            }
            if (dump && dumped < 3)
            {
                ++dumped;
                *dump << "round " << round << ": agent " << a->GetZonePath() << ", root nmembers "
                      << a->GetAggregate("/", "nmembers").ToString() << " (true " << truth.at("/")
                      << ")\n";
                for (const std::string& z : zones)
                {
                    *dump << "  table " << z << "\n";
                    for (const astrolabe::Row& r : a->GetZoneTable(z))
                    {
                        auto t = truth.find(r.GetId());
                        *dump << "    " << r.GetId() << " rep " << r.GetRep() << " issued "
                              << (now - r.GetIssued()) / 1e6 << " s ago, nmembers "
                              << r.GetNMembers();
                        if (t != truth.end() && t->second != r.GetNMembers())
                        {
                            *dump << " WRONG (true " << t->second << ")";
                        }
                        *dump << "\n";
                    }
                }
            }
        }
        std::cerr << "    diagnose round " << round << ": " << wrongAgents << " agents wrong;";
        for (auto& [key, v] : ages)
        {
            std::sort(v.begin(), v.end());
            std::cerr << " level " << key.first << " " << kClass[key.second] << ": " << v.size()
                      << " rows (issued " << std::setprecision(1) << v[v.size() / 2]
                      << " rounds ago median, " << v.back() << " max);";
        }
        std::vector<std::pair<uint64_t, std::string>> top;
        for (const auto& [z, c] : wrongZones)
        {
            top.emplace_back(c, z);
        }
        std::sort(top.rbegin(), top.rend());
        std::cerr << " zones most often wrong:";
        for (size_t i = 0; i < top.size() && i < 5; ++i)
        {
            std::cerr << " " << top[i].second << " (" << top[i].first << ")";
        }
        std::cerr << std::endl;
    }
};

/// Astrolabe on a fresh copy of the same fabric: COUNT = root nmembers, AVG = root AVG(load).
void
RunAstrolabe(uint32_t h,
             uint32_t r,
             uint32_t p,
             const std::vector<double>& loads,
             double avg,
             Time period,
             uint32_t maxRounds,
             double eps,
             const std::string& diagnose,
             std::vector<Row>& rows)
{
    double w0 = GossipWallSeconds();
    DatacenterTopologyHelper dc;
    dc.SetHostsPerRack(h);
    dc.SetRacksPerPod(r);
    dc.SetPods(p);
    dc.Install();
    const uint32_t n = dc.GetNHosts();
    // Rack-scope "anyone out there?" multicast for discovery, plus the default seed.
    Ipv4Address group("225.5.4.5");
    dc.EnableMulticast(group, DatacenterTopologyHelper::RACK);
    AstrolabeHelper astro;
    astro.SetAttribute("GossipInterval", TimeValue(period));
    astro.SetAttribute("MulticastGroup", Ipv4AddressValue(group));
    astro.SetPodLevel(p > 1);
    ApplicationContainer apps = astro.Install(dc.GetHosts());
    astro.AssignStreams(dc.GetHosts(), 600000);
    AstroBook book;
    book.n = n;
    book.avg = avg;
    book.eps = eps;
    book.countOk.assign(n, false);
    book.avgOk.assign(n, false);
    for (uint32_t i = 0; i < n; ++i)
    {
        Ptr<AstrolabeAgent> a = DynamicCast<AstrolabeAgent>(apps.Get(i));
        a->SetAttribute("Load", DoubleValue(loads[i]));
        for (std::string attr : {"nmembers", "load"})
        {
            a->SubscribeAggregate(
                "/",
                attr,
                [&book, i](const std::string& z, const std::string& at, const astrolabe::Value& v) {
                    book.Changed(i, z, at, v);
                });
        }
        // The aggregation function is configured everywhere from the start, as a deployment
        // would; the system AFC already sums nmembers.
        GossipSchedule(MilliSeconds(1), [a]() {
            std::string err;
            bool ok = a->InstallAfc("avgload", "SELECT AVG(load) AS load", err);
            NS_ABORT_MSG_IF(!ok, "Astrolabe AFC rejected: " << err);
        });
    }
    AggregationStats stats;
    stats.Attach(apps);
    book.onDone = []() { Simulator::Stop(); };
    std::unique_ptr<LagProbe> probe;
    std::ofstream dump;
    if (!diagnose.empty())
    {
        probe = std::make_unique<LagProbe>(apps, period);
        dump.open(diagnose + "-" + std::to_string(n) + "-lagging.txt");
    }
    for (uint32_t k = 1; k <= maxRounds; ++k)
    {
        GossipSchedule(period * k, [k, w0, n, &book, &probe, &dump]() {
            std::cerr << "  astrolabe round " << k << ": COUNT right at " << book.countNow
                      << ", AVG within eps at " << book.avgNow << " agents ("
                      << std::setprecision(0) << GossipWallSeconds() - w0 << " s wall)"
                      << std::endl;
            // The tail only (it costs a scan of every lagging agent's tables): once AVG is
            // within eps everywhere, or at most 20% of the agents have a wrong COUNT. The tables
            // of three lagging agents in the first such round and once it is down to 1%.
            const bool tail = book.avgTime.IsPositive() || n - book.countNow <= n / 5;
            if (probe && book.countNow < n && tail)
            {
                const bool dumpNow = !probe->dumped || n - book.countNow <= n / 100;
                probe->dumped = true;
                probe->Report(k, dumpNow ? &dump : nullptr);
            }
        });
    }
    Simulator::Stop(period * maxRounds);
    Simulator::Run();
    std::cerr << "N=" << n << ": Astrolabe simulated in " << std::setprecision(1)
              << GossipWallSeconds() - w0 << " s" << std::endl;
    for (bool isCount : {true, false})
    {
        Time at = isCount ? book.countTime : book.avgTime;
        bool done = at.IsPositive();
        Time end = done ? at : period * maxRounds;
        double worst = 0;
        for (uint32_t i = 0; i < n; ++i)
        {
            astrolabe::Value v = DynamicCast<AstrolabeAgent>(apps.Get(i))
                                     ->GetAggregate("/", isCount ? "nmembers" : "load");
            double truth = isCount ? double(n) : avg;
            worst =
                std::max(worst, v.IsNumber() ? std::abs(v.GetDouble() - truth) / truth : INFINITY);
        }
        std::ostringstream note;
        note << (done ? "every agent right at once"
                      : "NOT every agent right at once within " + std::to_string(maxRounds) +
                            " rounds")
             << " (from a cold start); error: the largest when the run stopped";
        rows.push_back({n,
                        "astrolabe",
                        isCount ? "COUNT" : "AVG",
                        done ? at.GetSeconds() : NAN,
                        worst,
                        stats.GetCount(Time(0), end),
                        stats.GetPeakPerMs(Time(0), end),
                        stats.GetPerNodePerSecond(n, Time(0), end),
                        note.str()});
    }
    Simulator::Destroy();
}

/// The command line, checked.
struct Options
{
    std::vector<uint32_t> sizes;
    Time hopDelay{MilliSeconds(1)};
    Time jitter{Seconds(0)};
    Time period{Seconds(5)};
    uint32_t rackDegree{2};
    uint32_t remoteCycles{2};
    uint32_t maxRounds{60};
    double eps{0.01};
    std::string prefix{"aggregation-compare"};
    bool gossip{true};
    uint32_t astrolabeMax{10000};
    bool pcap{false};
    bool diagnose{false};
    uint32_t hostsPerRack{40};
    bool mpi{false};
    bool nullMessage{false};
    Time coreDelay{MicroSeconds(2)};

    /// Read the options; an invalid one exits with code 1 and a one-line message.
    void Parse(int argc, char* argv[]);
};

void
Options::Parse(int argc, char* argv[])
{
    sizes = {1000};
    GossipOptions cmd(
        __FILE__,
        "Gossip vs urgent: COUNT and AVG(load) by a flooding tree, by push-sum and by "
        "Astrolabe on a datacenter of N hosts. The default (N=1000) takes under a "
        "minute on a small machine; --sizes=1000,10000 about 7 minutes (most of it "
        "Astrolabe at 10,000 hosts); N=100000 with Astrolabe takes hours and about "
        "13 GB.");
    cmd.AddList("sizes", "comma-separated host counts (each 4..400000)", sizes, 4U, 400000U);
    cmd.Add("hopDelay",
            "tree: processing time per hop (the lecture: ~1 ms)",
            hopDelay,
            Seconds(0),
            Seconds(10));
    cmd.Add("jitter",
            "tree: spread each node's forwarded queries over this time",
            jitter,
            Seconds(0),
            Seconds(10));
    // The tree's budget is half a period; push-sum and Astrolabe take the period as their round.
    cmd.Add("period",
            "gossip round length, and time between tree queries",
            period,
            MilliSeconds(1),
            Hours(1));
    cmd.Add("rackDegree",
            "tree overlay: links to hosts of the same rack (0..16)",
            rackDegree,
            0U,
            16U);
    cmd.Add("remoteCycles", "tree overlay: random Hamiltonian cycles (1..8)", remoteCycles, 1U, 8U);
    // Fewer hosts per rack keep the 50-pod x 50-rack tables of N = 100,000 at a tenth of the cost.
    cmd.Add("hostsPerRack",
            "hosts per rack (1..40); racks go 50 to a pod once there are more than 64",
            hostsPerRack,
            1U,
            40U);
    cmd.Add("maxRounds",
            "push-sum and Astrolabe: give up after this many rounds (1..1000)",
            maxRounds,
            1U,
            1000U);
    cmd.Add("eps",
            "push-sum: answer when every node is within this relative error",
            eps,
            1e-9,
            0.999);
    cmd.Add("gossip", "also run push-sum (false: the flooding tree only)", gossip);
    cmd.Add("astrolabeMax",
            "run Astrolabe only up to this many hosts (0: never)",
            astrolabeMax,
            0U,
            400000U);
    cmd.AddPrefix(prefix);
    cmd.Add("pcap",
            "write pcaps of the tree and push-sum phases at three hosts of every size "
            "(<prefix>-<N>-<node>-<device>.pcap)",
            pcap);
    cmd.Add("diagnose",
            "Astrolabe: every round once AVG is within eps everywhere or at most 20% of the "
            "agents have a wrong COUNT, where they get it wrong (former reps' rows, stale "
            "copies, reps still wrong), on stderr; the tables of three lagging agents in "
            "<prefix>-<N>-lagging.txt in the first such round and once the tail is down to 1%",
            diagnose);
    cmd.Add("coreDelay",
            "delay of the spine-to-core links (the lookahead between ranks under --mpi)",
            coreDelay,
            NanoSeconds(1),
            Seconds(1));
    cmd.AddMpi(mpi, nullMessage);
    cmd.Parse(argc, argv);
    // ns-3's MPI engine runs one simulation per process (Simulator::Destroy frees its buffers).
    std::ostringstream given;
    for (size_t i = 0; i < sizes.size(); ++i)
    {
        given << (i ? "," : "") << sizes[i];
    }
    GossipOptions::Require(!mpi || sizes.size() == 1,
                           "sizes",
                           given.str(),
                           "one size under --mpi (one simulation per process)");
    GossipOptions::StartMpi(&argc, &argv, mpi, nullMessage);
}

/// The flooding tree of one size (query 1 builds the tree, query 2 reuses it) on hosts.
void
InstallTree(const Options& o,
            const NodeContainer& hosts,
            uint32_t hostsPerRack,
            const std::vector<double>& loads,
            TreePhase& tree)
{
    FloodTreeHelper ft;
    aggregation::Overlay overlay = AggregationHelper::BuildOverlay(hosts.GetN(),
                                                                   hostsPerRack,
                                                                   o.rackDegree,
                                                                   o.remoteCycles,
                                                                   12);
    ft.SetOverlay(overlay);
    ft.SetValues(loads);
    ft.SetRoot(0);
    ft.SetAttribute("ProcessingDelay", TimeValue(o.hopDelay));
    ft.SetAttribute("ForwardJitter", TimeValue(o.jitter));
    ft.SetAttribute("QueryBudget", TimeValue(o.period / 2));
    ft.SetAttribute("QueryInterval", TimeValue(o.period));
    ft.SetAttribute("Queries", UintegerValue(2));
    ft.SetAttribute("TreeLifetime", TimeValue(o.period * 4));
    ApplicationContainer apps = ft.Install(hosts);
    ft.AssignStreams(hosts, 100);
    tree.edges = overlay.ToGraph().GetNEdges();
    tree.stats.Attach(apps);
    // Only the root answers; under --mpi this rank may not have it.
    for (uint32_t i = 0; i < apps.GetN(); ++i)
    {
        apps.Get(i)->TraceConnectWithoutContext("Answer", MakeCallback(&TreePhase::Answer, &tree));
        apps.Get(i)->TraceConnectWithoutContext("Join", MakeCallback(&TreePhase::Join, &tree));
    }
    apps.Start(Seconds(0));
    apps.Stop(o.period * 2);
}

/// Push-sum of phase.function on hosts, from start.
void
InstallPushSum(const Options& o,
               const NodeContainer& hosts,
               const std::vector<double>& loads,
               double truth,
               Time start,
               int64_t stream,
               GossipPhase& phase)
{
    PushSumHelper ps;
    ps.SetValues(loads);
    ps.SetLeader(0);
    ps.SetAttribute("Function", EnumValue(int(phase.function)));
    ps.SetAttribute("Port",
                    UintegerValue(phase.function == aggregation::Function::AVG ? 9200 : 9201));
    ps.SetAttribute("RoundInterval", TimeValue(o.period));
    ps.SetAttribute("Rounds", UintegerValue(o.maxRounds));
    ps.SetAttribute("RandomPhase", BooleanValue(true));
    ApplicationContainer apps = ps.Install(hosts);
    // The hosts run two PushSumApplications (AVG and COUNT): number this install's only.
    ps.AssignStreams(hosts, apps, stream);
    phase.eps = o.eps;
    phase.start = start;
    phase.errors.SetTruth(truth);
    phase.errors.Attach(apps);
    phase.errors.SetRoundCompleteCallback(
        [&phase](uint32_t round, double maxError) { phase.RoundComplete(round, maxError); });
    phase.stats.Attach(apps);
    apps.Start(start);
}

/// The tree's answers: COUNT and AVG of each query.
void
AddTreeRows(const TreePhase& tree,
            uint32_t n,
            double avg,
            Time period,
            int64_t drops,
            std::vector<Row>& rows)
{
    for (uint32_t q = 0; q < tree.answers.size(); ++q)
    {
        const FloodTreeAnswer& a = tree.answers[q];
        // a query's messages: those until the next query (one per period)
        uint64_t msgs = tree.stats.GetCount(a.started, a.started + period);
        uint64_t peak = tree.stats.GetPeakPerMs(a.started, a.started + a.latency + MilliSeconds(1));
        std::string proto = q == 0 ? "flood-tree build" : "flood-tree reuse";
        std::ostringstream note;
        note << (a.result.partial ? "PARTIAL " : "") << "covers " << a.result.count;
        if (q == 0)
        {
            note << "; queue drops in tree phase " << drops << "; 2|E|=" << 2 * tree.edges
                 << "; tree built in " << (tree.lastJoin - a.started).GetMicroSeconds() / 1000.0
                 << " ms";
        }
        else
        {
            note << "; 2(N-1)=" << 2 * (n - 1);
        }
        double perNode = double(msgs) / n / period.GetSeconds(); // one query per period
        double countError = std::abs(double(a.result.count) - n) / n;
        double avgError = std::abs(a.result.Average() - avg) / avg;
        for (bool count : {true, false})
        {
            rows.push_back({n,
                            proto,
                            count ? "COUNT" : "AVG",
                            a.latency.GetSeconds(),
                            count ? countError : avgError,
                            msgs,
                            peak,
                            perNode,
                            note.str()});
        }
    }
}

std::vector<Row>
RunSize(uint32_t want, const Options& o)
{
    std::vector<Row> rows;
    uint32_t h;
    uint32_t r;
    uint32_t p;
    GossipFabricShape(want, h, r, p, o.hostsPerRack);
    std::ostream& progress = GossipProgress();
    double w0 = GossipWallSeconds();
    DatacenterTopologyHelper dc;
    dc.SetHostsPerRack(h);
    dc.SetRacksPerPod(r);
    dc.SetPods(p);
    // Under --mpi the pods are spread over the ranks; the core links are the cut.
    dc.SetRanks(gossip::mpi::GetSize());
    dc.SetCoreLinkAttribute("Delay", TimeValue(o.coreDelay));
    GossipRequireFabric(dc, 400000, "sizes", want);
    dc.Install();
    const uint32_t n = dc.GetNHosts();
    if (n != want)
    {
        progress << "note: N=" << want << " rounded up to " << n << " hosts (whole racks of " << h
                 << ", pods of 50 racks)" << std::endl;
    }
    progress << "N=" << n << ": fabric " << p << "x" << r << "x" << h << " built in " << std::fixed
             << std::setprecision(1) << GossipWallSeconds() - w0 << " s" << std::endl;
    if (o.pcap)
    {
        GossipEnablePcap(o.prefix + "-" + std::to_string(n), dc.GetHosts());
    }

    Ptr<UniformRandomVariable> rng = CreateObject<UniformRandomVariable>();
    rng->SetStream(11);
    std::vector<double> loads(n);
    double sum = 0;
    for (auto& x : loads)
    {
        x = rng->GetValue(0, 4);
        sum += x;
    }
    const double avg = sum / n;

    TreePhase tree;
    InstallTree(o, dc.GetHosts(), h, loads, tree);
    // Push-sum AVG and COUNT side by side, after the tree phase.
    const Time gossipStart = o.period * 2;
    GossipPhase avgPhase{aggregation::Function::AVG};
    GossipPhase countPhase{aggregation::Function::COUNT};
    if (o.gossip)
    {
        InstallPushSum(o, dc.GetHosts(), loads, avg, gossipStart, 200000, avgPhase);
        InstallPushSum(o, dc.GetHosts(), loads, n, gossipStart, 400000, countPhase);
    }
    // One process: once both have answered, stop at the end of that gossip round (the queue
    // drops are counted by round). Under --mpi the run goes on to --maxRounds.
    bool oneAnswered = false;
    auto stopWhenDone = [&]() {
        if (!oneAnswered)
        {
            oneAnswered = true;
            return;
        }
        const int64_t k = (Simulator::Now() - gossipStart).GetNanoSeconds() /
                          o.period.GetNanoSeconds(); // rounds done
        Simulator::Stop(gossipStart + o.period * (k + 1) - Simulator::Now());
    };
    avgPhase.onAnswer = stopWhenDone;
    countPhase.onAnswer = stopWhenDone;
    QueueDrops drops;
    drops.split = gossipStart;
    drops.period = o.period;
    Config::ConnectWithoutContext("/NodeList/*/$ns3::Ipv4L3Protocol/Tx",
                                  MakeCallback(&QueueDrops::IpTx, &drops));
    Config::ConnectWithoutContext("/NodeList/*/DeviceList/*/$ns3::PointToPointNetDevice/MacTx",
                                  MakeCallback(&QueueDrops::DevTx, &drops));
    Config::ConnectWithoutContext(
        "/NodeList/*/DeviceList/*/$ns3::PointToPointNetDevice/TxQueue/Drop",
        MakeCallback(&QueueDrops::QueueDrop, &drops));
    double w1 = GossipWallSeconds();
    for (uint32_t k = 1; o.gossip && k <= o.maxRounds + 2; ++k)
    {
        GossipSchedule(gossipStart + o.period * k, [k, w1, &progress]() {
            progress << "  gossip round " << k << " (" << std::setprecision(0)
                     << GossipWallSeconds() - w1 << " s wall)" << std::endl;
        });
    }
    GossipSchedule(o.period * 2 - NanoSeconds(1), [&]() {
        progress << "  tree phase done (" << std::setprecision(1) << GossipWallSeconds() - w1
                 << " s wall)" << std::endl;
    });
    Simulator::Stop(o.gossip ? gossipStart + o.period * (o.maxRounds + 2) : gossipStart);
    Simulator::Run();
    progress << "N=" << n << ": simulated in " << std::setprecision(1) << GossipWallSeconds() - w1
             << " s" << std::endl;

    // Under --mpi: every rank's records, at every rank (collective calls, in the same order).
    tree.Merge();
    drops.Merge();
    for (GossipPhase* phase : {&countPhase, &avgPhase})
    {
        phase->stats.Merge();
        phase->errors.Merge();
        phase->Conclude();
    }
    AddTreeRows(tree, n, avg, o.period, drops.Drops(0, 0), rows);
    // The gossip phase's drops: until the end of the round in which both had answered.
    size_t lastBin = o.maxRounds + 2;
    if (avgPhase.answered && countPhase.answered)
    {
        lastBin = drops.BinOf(gossipStart + std::max(avgPhase.answerTime, countPhase.answerTime));
    }
    for (const GossipPhase* phase : {&countPhase, &avgPhase})
    {
        if (!o.gossip)
        {
            break;
        }
        Time end = gossipStart + (phase->answered ? phase->answerTime : o.period * o.maxRounds);
        std::ostringstream note;
        if (phase->answered)
        {
            note << "max error < " << o.eps << " after " << phase->answerRound << " rounds";
        }
        else
        {
            note << "NOT below " << o.eps << " within " << o.maxRounds << " rounds";
        }
        note << "; queue drops " << drops.Drops(1, lastBin);
        rows.push_back({n,
                        "push-sum",
                        aggregation::FunctionName(phase->function),
                        phase->answered ? phase->answerTime.GetSeconds() : NAN,
                        phase->answered ? phase->answerError : NAN,
                        phase->stats.GetCount(gossipStart, end),
                        phase->stats.GetPeakPerMs(gossipStart, end),
                        phase->stats.GetPerNodePerSecond(n, gossipStart, end),
                        note.str()});
    }
    Simulator::Destroy();
    if (n <= o.astrolabeMax && gossip::mpi::IsDistributed())
    {
        progress << "note: Astrolabe is not run under --mpi (one simulation per process); "
                    "astrolabe-wan --mpi runs it distributed"
                 << std::endl;
    }
    else if (n <= o.astrolabeMax)
    {
        RunAstrolabe(h,
                     r,
                     p,
                     loads,
                     avg,
                     o.period,
                     o.maxRounds,
                     o.eps,
                     o.diagnose ? o.prefix : std::string(),
                     rows);
    }
    return rows;
}

/// The table on stdout and the same rows in prefix.csv.
void
WriteTable(const Options& o, const std::vector<Row>& all)
{
    GossipCsvWriter csv(o.prefix + ".csv",
                        {"n",
                         "protocol",
                         "function",
                         "time_to_answer_s",
                         "relative_error",
                         "messages",
                         "peak_msgs_per_ms",
                         "msgs_per_node_per_s",
                         "note"});
    std::cout << "aggregation-compare: tree hop delay " << o.hopDelay.As(Time::MS) << ", jitter "
              << o.jitter.As(Time::MS) << ", gossip round " << o.period.As(Time::S)
              << ", push-sum answers at max error < " << o.eps
              << "\n(msgs/node/s for the tree assumes one query per " << o.period.As(Time::S)
              << ")\n\n";
    std::cout << std::left << std::setw(8) << "N" << std::setw(18) << "protocol" << std::setw(7)
              << "func" << std::right << std::setw(12) << "answer(s)" << std::setw(11) << "error"
              << std::setw(10) << "messages" << std::setw(10) << "peak/ms" << std::setw(12)
              << "msg/node/s"
              << "  note\n";
    for (const auto& r : all)
    {
        csv.Row(r.n,
                r.protocol,
                r.function,
                r.timeToAnswer,
                r.error,
                r.messages,
                r.peakPerMs,
                r.perNodePerSecond,
                "\"" + r.note + "\"");
        std::cout << std::left << std::setw(8) << r.n << std::setw(18) << r.protocol << std::setw(7)
                  << r.function << std::right << std::fixed << std::setprecision(4) << std::setw(12)
                  << r.timeToAnswer << std::scientific << std::setprecision(2) << std::setw(11)
                  << r.error << std::setw(10) << r.messages << std::setw(10) << r.peakPerMs
                  << std::fixed << std::setprecision(3) << std::setw(12) << r.perNodePerSecond
                  << "  " << r.note << "\n";
    }
}

/// prefix-load.png (the load spike) and prefix-time.png (time to answer) against N.
void
WritePlots(const std::string& prefix, const std::vector<Row>& all)
{
    Gnuplot load(prefix + "-load.png");
    load.SetTitle("Load spike: peak messages in one millisecond");
    load.SetLegend("hosts N", "peak messages per ms");
    load.AppendExtra("set logscale xy");
    load.AppendExtra("set key left top");
    Gnuplot time(prefix + "-time.png");
    time.SetTitle("Time to answer (simulated)");
    time.SetLegend("hosts N", "seconds");
    time.AppendExtra("set logscale xy");
    time.AppendExtra("set key left center");
    for (std::string proto : {"flood-tree build", "flood-tree reuse", "push-sum", "astrolabe"})
    {
        for (std::string f : {"COUNT", "AVG"})
        {
            if (proto != "push-sum" && proto != "astrolabe" && f == "AVG")
            {
                continue; // the tree answers COUNT and AVG with the same query
            }
            std::string label =
                proto == "push-sum" || proto == "astrolabe" ? proto + " " + f : proto;
            Gnuplot2dDataset dl(label);
            Gnuplot2dDataset dt(label);
            dl.SetStyle(Gnuplot2dDataset::LINES_POINTS);
            dt.SetStyle(Gnuplot2dDataset::LINES_POINTS);
            for (const auto& r : all)
            {
                if (r.protocol == proto && r.function == f)
                {
                    dl.Add(r.n, std::max<uint64_t>(r.peakPerMs, 1));
                    if (std::isfinite(r.timeToAnswer))
                    {
                        dt.Add(r.n, r.timeToAnswer);
                    }
                }
            }
            load.AddDataset(dl);
            time.AddDataset(dt);
        }
    }
    GossipPlotHelper::Write(prefix + "-load", load);
    GossipPlotHelper::Write(prefix + "-time", time);
}
} // namespace

int
main(int argc, char* argv[])
{
    Options o;
    o.Parse(argc, argv);
    std::vector<Row> all;
    for (uint32_t n : o.sizes)
    {
        auto rows = RunSize(n, o);
        all.insert(all.end(), rows.begin(), rows.end());
    }
    WriteTable(o, all); // rank 0 only writes and prints, under --mpi
    WritePlots(o.prefix, all);
    std::cout << "wrote " << o.prefix << ".csv, " << o.prefix << "-load.png, " << o.prefix
              << "-time.png\n";
    gossip::mpi::Disable();
    return 0;
}
