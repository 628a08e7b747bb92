/*
 * SPDX-License-Identifier: GPL-2.0-only
 *
 * lpbcast-purging: age-based (Kouznetsov et al., SRDS 2001) against random purging of the
 * bounded events buffer, under load: n = 60, F = 4, |events|m = 30 and a sweep of new events per
 * round around the papers' 30. Events stay in the buffer and are gossiped every round until
 * purged (no retrieval), so the purging rule alone decides which events survive.
 *
 *   build/examples/lpbcast-purging
 *   build/examples/lpbcast-purging --loads=30 --runs=10
 *
 * Writes lpbcast-purging.csv and the plots lpbcast-purging-delivery.png and
 * lpbcast-purging-redundancy.png.
 */
#include "gossip-example-support.h"

#include "ns3/core-module.h"
#include "ns3/gossip-module.h"

#include <chrono>
#include <iomanip>
#include <iostream>

using namespace ns3;

namespace
{
struct Result
{
    double delivery;     //!< mean fraction of processes that delivered an event
    double atomic;       //!< fraction of events delivered by every process
    double redundancy;   //!< gossiped copies of already delivered events, per delivery
    double purgedPerRnd; //!< events purged per process per round
};

Result
Run(uint32_t n,
    uint32_t fanout,
    uint32_t bufferSize,
    uint32_t load,
    bool age,
    uint32_t run,
    const std::string& pcap)
{
    RngSeedManager::SetRun(run);
    const Time period = MilliSeconds(100);
    const uint32_t warmRounds = 10;
    const uint32_t loadRounds = 30;
    const uint32_t drainRounds = 20;
    DatacenterTopologyHelper dc;
    dc.SetHostsPerRack(20);
    dc.SetRacksPerPod((n + 19) / 20);
    dc.SetSpinesPerPod(2);
    dc.Install();
    if (!pcap.empty())
    {
        GossipEnablePcap(pcap + (age ? "-age" : "-random") + "-load" + std::to_string(load) +
                             "-run" + std::to_string(run),
                         dc.GetHosts());
    }
    NodeContainer hosts;
    for (uint32_t i = 0; i < n; ++i)
    {
        hosts.Add(dc.GetHost(i));
    }
    LpbcastHelper lp;
    lp.SetAttribute("Period", TimeValue(period));
    lp.SetAttribute("Fanout", UintegerValue(fanout));
    lp.SetAttribute("ViewSize", UintegerValue(15));
    lp.SetAttribute("MaxEvents", UintegerValue(bufferSize));
    lp.SetAttribute("EventPurging", StringValue(age ? "Age" : "Random"));
    lp.SetAttribute("ClearEventsAfterGossip", BooleanValue(false));
    lp.SetAttribute("Retrieve", BooleanValue(false));
    lp.SetAttribute("PayloadSize", UintegerValue(16));
    ApplicationContainer apps = lp.Install(hosts);
    int64_t stream = 1000;
    stream += lp.AssignStreams(hosts, stream);
    GossipDeliveryStats stats;
    stats.Attach(apps);
    LpbcastStats counters;
    counters.Attach(apps);
    apps.Start(Seconds(0));

    Ptr<UniformRandomVariable> u = CreateObject<UniformRandomVariable>();
    u->SetStream(stream++);
    for (uint32_t r = 0; r < loadRounds; ++r)
    {
        for (uint32_t k = 0; k < load; ++k)
        {
            Ptr<LpbcastApplication> app =
                DynamicCast<LpbcastApplication>(apps.Get(u->GetInteger(0, n - 1)));
            Time t = period * (warmRounds + r) + MicroSeconds(u->GetInteger(0, 99999));
            GossipSchedule(t, [app]() { app->Broadcast(); });
        }
    }
    Simulator::Stop(period * (warmRounds + loadRounds + drainRounds));
    Simulator::Run();
    Result res;
    res.delivery = stats.GetMeanDeliveryFraction();
    res.atomic = stats.GetFullyDeliveredFraction();
    res.redundancy = counters.GetDeliveries()
                         ? double(counters.GetDuplicates()) / counters.GetDeliveries()
                         : 0.0;
    res.purgedPerRnd = double(counters.GetPurged()) / n / (loadRounds + drainRounds);
    Simulator::Destroy();
    return res;
}
} // namespace

int
main(int argc, char* argv[])
{
    uint32_t n = 60;
    uint32_t fanout = 4;
    uint32_t buffer = 30;
    std::vector<uint32_t> loadList{10, 20, 30, 45, 60};
    uint32_t runs = 1;
    std::string prefix = "lpbcast-purging";
    GossipOptions cmd(__FILE__,
                      "Age-based (SRDS 2001) vs random purging of lpbcast's events buffer: "
                      "delivery ratio and redundancy against the number of new events per round.\n"
                      "Default: n=60, F=4, |events|m=30, loads 10..60 events/round, one run each "
                      "(about a minute); --runs=3 takes three times as long.");
    cmd.Add("n", "processes", n, 2U, 2000U);
    cmd.Add("fanout", "F", fanout, 1U, 15U);
    cmd.Add("buffer", "|events|m", buffer, 1U, 4096U);
    cmd.AddList("loads",
                "comma-separated new events per round (whole system)",
                loadList,
                1U,
                1000U);
    cmd.Add("runs", "runs per point (RngRun 1..runs)", runs, 1U, 1000U);
    bool pcap = false;
    cmd.Add("pcap",
            "write pcaps at three processes of every run "
            "(<prefix>-<purging>-load<L>-run<R>-<node>-<device>.pcap)",
            pcap);
    cmd.AddPrefix(prefix);
    cmd.Parse(argc, argv);

    GossipCsvWriter csv(prefix + ".csv",
                        {"purging",
                         "load",
                         "runs",
                         "delivery_ratio",
                         "atomic_fraction",
                         "redundancy",
                         "purged_per_process_round"});
    Gnuplot delivery(prefix + "-delivery.png");
    delivery.SetTitle("lpbcast purging: n=" + std::to_string(n) + ", F=" + std::to_string(fanout) +
                      ", |events|m=" + std::to_string(buffer));
    delivery.SetLegend("new events per round", "delivery ratio");
    delivery.AppendExtra("set yrange [0:1.05]");
    Gnuplot redundancy(prefix + "-redundancy.png");
    redundancy.SetTitle("lpbcast purging: n=" + std::to_string(n) +
                        ", F=" + std::to_string(fanout) + ", |events|m=" + std::to_string(buffer));
    redundancy.SetLegend("new events per round", "redundant copies per delivery");
    std::cout << "lpbcast purging: n=" << n << " F=" << fanout << " |events|m=" << buffer << "\n"
              << std::setw(8) << "purging" << std::setw(6) << "load" << std::setw(10) << "delivery"
              << std::setw(10) << "atomic" << std::setw(12) << "redundancy"
              << "\n";
    const auto wall0 = std::chrono::steady_clock::now();
    for (bool age : {false, true})
    {
        const std::string name = age ? "age" : "random";
        Gnuplot2dDataset d(name);
        Gnuplot2dDataset r(name);
        d.SetStyle(Gnuplot2dDataset::LINES_POINTS);
        r.SetStyle(Gnuplot2dDataset::LINES_POINTS);
        for (uint32_t load : loadList)
        {
            Result sum{0, 0, 0, 0};
            for (uint32_t run = 1; run <= runs; ++run)
            {
                Result x = Run(n, fanout, buffer, load, age, run, pcap ? prefix : "");
                sum.delivery += x.delivery / runs;
                sum.atomic += x.atomic / runs;
                sum.redundancy += x.redundancy / runs;
                sum.purgedPerRnd += x.purgedPerRnd / runs;
                std::cerr << name << " load=" << load << " run=" << run << " (" << std::fixed
                          << std::setprecision(1)
                          << std::chrono::duration<double>(std::chrono::steady_clock::now() - wall0)
                                 .count()
                          << " s)\n";
            }
            csv.Row(name, load, runs, sum.delivery, sum.atomic, sum.redundancy, sum.purgedPerRnd);
            d.Add(load, sum.delivery);
            r.Add(load, sum.redundancy);
            std::cout << std::setw(8) << name << std::setw(6) << load << std::fixed
                      << std::setprecision(3) << std::setw(10) << sum.delivery << std::setw(10)
                      << sum.atomic << std::setw(12) << sum.redundancy << "\n";
        }
        delivery.AddDataset(d);
        redundancy.AddDataset(r);
    }
    GossipPlotHelper::Write(prefix + "-delivery", delivery);
    GossipPlotHelper::Write(prefix + "-redundancy", redundancy);
    std::cout << "wrote " << prefix << ".csv, " << prefix << "-delivery.png, " << prefix
              << "-redundancy.png\n";
    return 0;
}
