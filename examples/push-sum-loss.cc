/*
 * SPDX-License-Identifier: GPL-2.0-only
 *
 * push-sum-loss: gossip aggregation under UDP loss and the re-counting problem.
 *
 * Variants, each on the same datacenter, the same loads and the same losses:
 *   push-sum      Kempe et al.: halve (s, w), send one half; a lost datagram destroys mass
 *   running-sum   the same over fixed overlay neighbours, sending running totals: a lost
 *                 datagram only delays mass (the next one carries it)
 *   naive         unweighted pairwise averaging: the sender keeps its value, so values are
 *                 re-counted and the nodes agree on something that is not the average
 * For AVG(load) and COUNT, the example prints the largest relative error over all nodes each
 * round, and how much weight (w) was destroyed.
 *
 *   push-sum-loss --loss=0.05 --rounds=100
 *
 * Output: stdout (deterministic), <prefix>.csv and <prefix>-avg.png, <prefix>-count.png.
 */
#include "gossip-example-support.h"

#include "ns3/core-module.h"
#include "ns3/gossip-module.h"
#include "ns3/internet-module.h"
#include "ns3/network-module.h"

#include <cmath>
#include <iomanip>

using namespace ns3;

NS_LOG_COMPONENT_DEFINE("AggregationPushSumLossExample");

namespace
{
struct Variant
{
    std::string name;
    PushSumApplication::Variant variant;
    bool overlay;
};

/// Fills stats, which must outlive the run (the trace sinks hold its address).
void
RunOnce(PushSumStats& stats,
        const Variant& v,
        aggregation::Function f,
        uint32_t hostsPerRack,
        uint32_t racks,
        double loss,
        uint32_t rounds,
        Time interval,
        const std::string& pcap)
{
    DatacenterTopologyHelper dc;
    dc.SetHostsPerRack(hostsPerRack);
    dc.SetRacksPerPod(racks);
    dc.SetHostLinkErrorRate(loss);
    dc.Install();
    if (!pcap.empty())
    {
        GossipEnablePcap(pcap, dc.GetHosts());
    }
    dc.AssignStreams(100);
    const uint32_t n = dc.GetNHosts();
    Ptr<UniformRandomVariable> load = CreateObject<UniformRandomVariable>();
    load->SetStream(7);
    std::vector<double> loads(n);
    double sum = 0;
    for (auto& x : loads)
    {
        x = std::pow(load->GetValue(0, 1), 3) * 8; // skewed: a few busy hosts
        sum += x;
    }
    PushSumHelper ps;
    ps.SetValues(loads);
    ps.SetLeader(0);
    if (v.overlay)
    {
        ps.SetOverlay(AggregationHelper::BuildOverlay(n, hostsPerRack, 2, 2, 200));
    }
    ps.SetAttribute("Variant", EnumValue(v.variant));
    ps.SetAttribute("Function", EnumValue(int(f)));
    ps.SetAttribute("RoundInterval", TimeValue(interval));
    ps.SetAttribute("Rounds", UintegerValue(rounds));
    ApplicationContainer apps = ps.Install(dc.GetHosts());
    ps.AssignStreams(dc.GetHosts(), 300);
    stats.SetTruth(f == aggregation::Function::AVG ? sum / n : n);
    stats.Attach(apps);
    Simulator::Stop(interval * (rounds + 1));
    Simulator::Run();
    Simulator::Destroy();
}
} // namespace

int
main(int argc, char* argv[])
{
    uint32_t hostsPerRack = 20;
    uint32_t racks = 10;
    double loss = 0.05;
    uint32_t rounds = 100;
    Time interval = Seconds(5);
    bool pcap = false;
    std::string prefix = "push-sum-loss";

    GossipOptions cmd(__FILE__,
                      "Push-sum, loss-tolerant running sums and naive averaging under UDP loss. "
                      "The default run (200 hosts, 100 rounds, 12 runs) takes about 15 s.");
    cmd.Add("hostsPerRack", "hosts per rack", hostsPerRack, 1U, 126U);
    cmd.Add("racks", "racks", racks, 1U, 256U);
    cmd.Add("loss", "packet error rate on every host link, each direction", loss, 0.0, 0.5);
    cmd.Add("rounds", "gossip rounds", rounds, 1U, 1000U);
    cmd.Add("interval", "round length", interval, MicroSeconds(10), Hours(1));
    cmd.Add("pcap",
            "write pcaps at three hosts in every run "
            "(<prefix>-<function>-<variant>-<loss|noloss>-<node>-<device>.pcap)",
            pcap);
    cmd.AddPrefix(prefix);
    cmd.Parse(argc, argv);
    GossipOptions::Require(hostsPerRack * racks >= 4,
                           "racks",
                           racks,
                           "at least 4 hosts in all (--hostsPerRack x --racks)");
    const uint32_t n = hostsPerRack * racks;
    std::vector<Variant> variants = {{"push-sum", PushSumApplication::PUSH_SUM, false},
                                     {"running-sum", PushSumApplication::RUNNING_SUM, true},
                                     {"naive", PushSumApplication::NAIVE, false}};
    GossipCsvWriter csv(prefix + ".csv",
                        {"function", "variant", "loss", "round", "max_relative_error"});
    std::cout << "push-sum-loss: " << n << " hosts, loss " << loss << " per host link, " << rounds
              << " rounds of " << interval.As(Time::S) << "\n";
    for (auto f : {aggregation::Function::AVG, aggregation::Function::COUNT})
    {
        const std::string name = aggregation::FunctionName(f);
        const std::string suffix = f == aggregation::Function::AVG ? "-avg" : "-count";
        Gnuplot plot(prefix + suffix + ".png");
        std::ostringstream title;
        title << name << " by gossip, " << n << " hosts, loss " << loss << " per host link";
        plot.SetTitle(title.str());
        plot.SetLegend("round", "largest relative error over all nodes");
        plot.AppendExtra("set logscale y");
        plot.AppendExtra("set format y \"%g\"");
        std::cout << "\n" << name << ":\n";
        for (const auto& v : variants)
        {
            std::cerr << "  running " << name << " " << v.name << std::endl;
            for (double p : {0.0, loss})
            {
                if (p == 0 && loss == 0)
                {
                    continue;
                }
                PushSumStats b;
                RunOnce(b,
                        v,
                        f,
                        hostsPerRack,
                        racks,
                        p,
                        rounds,
                        interval,
                        pcap ? prefix + suffix + "-" + v.name + (p > 0 ? "-loss" : "-noloss") : "");
                Gnuplot2dDataset d(v.name + (p > 0 ? " (loss)" : " (no loss)"));
                d.SetStyle(Gnuplot2dDataset::LINES);
                for (const auto& [round, r] : b.GetRounds())
                {
                    csv.Row(name, v.name, p, round, r.maxError);
                    if (std::isfinite(r.maxError))
                    {
                        d.Add(round, std::max(r.maxError, 1e-12));
                    }
                }
                uint32_t reached = b.GetFirstRoundBelow(0.01);
                plot.AddDataset(d);
                std::ostringstream line;
                line << std::setprecision(3);
                line << "  " << std::left << std::setw(12) << v.name << " loss=" << std::setw(5)
                     << p << " final max error " << std::setw(10) << b.GetFinalMaxError()
                     << " <1% from round "
                     << (reached == UINT32_MAX ? std::string("never") : std::to_string(reached));
                if (v.variant != PushSumApplication::NAIVE)
                {
                    double total = f == aggregation::Function::AVG ? n : 1.0;
                    line << "  weight lost or in limbo " << std::fixed << std::setprecision(1)
                         << std::abs((b.GetSent().w - b.GetReceived().w) / total * 100) << "%";
                }
                std::cout << line.str() << "\n";
            }
        }
        GossipPlotHelper::Write(prefix + suffix, plot);
    }
    std::cout << "\nwrote " << prefix << ".csv, " << prefix << "-avg.png, " << prefix
              << "-count.png\n"
              << "(running-sum 'limbo' is mass sent since a neighbour's last delivered datagram: "
                 "it is not lost, the next datagram to that neighbour carries it)\n";
    return 0;
}
