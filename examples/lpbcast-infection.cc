/*
 * SPDX-License-Identifier: GPL-2.0-only
 *
 * lpbcast-infection: infected processes per round, simulated over a real datacenter network,
 * against the analysis of Eugster et al. (TOCS 2003, §4): with p = F(1-eps)(1-tau)/(n-1), the
 * number of infected processes is a binomial Markov chain and does not depend on the view size l.
 *
 *   build/examples/lpbcast-infection                 # n=125, F=3..6, l=10,15,20
 *   build/examples/lpbcast-infection --full          # also n=250 and n=500
 *
 * Writes lpbcast-infection.csv (per n, F, l, round: simulated mean and sd, analytical mean) and
 * one plot per n, lpbcast-infection-n<N>.png.
 */
#include "gossip-example-support.h"

#include "ns3/core-module.h"
#include "ns3/gossip-module.h"

#include <algorithm>
#include <chrono>
#include <cmath>
#include <iomanip>
#include <iostream>
#include <map>
#include <vector>

using namespace ns3;

namespace
{
struct Config
{
    uint32_t n;
    uint32_t fanout;
    uint32_t view;
    std::string pcap{}; //!< pcap file prefix; empty: no pcaps
};

/// Simulated infected counts per round (one vector per broadcast event).
std::vector<std::vector<double>>
Simulate(const Config& c,
         double loss,
         double crash,
         uint32_t rounds,
         uint32_t events,
         bool clearEvents,
         bool align,
         const std::string& membership,
         uint32_t run,
         uint32_t& liveOut)
{
    RngSeedManager::SetRun(run);
    const Time period = MilliSeconds(100);
    DatacenterTopologyHelper dc;
    dc.SetHostsPerRack(25);
    dc.SetRacksPerPod(c.n / 25);
    dc.SetSpinesPerPod(4);
    // A datagram crosses two host links: per-link rate so that the end-to-end loss is eps.
    dc.SetHostLinkErrorRate(1.0 - std::sqrt(1.0 - loss));
    dc.Install();
    if (!c.pcap.empty())
    {
        GossipEnablePcap(c.pcap + "-n" + std::to_string(c.n) + "-F" + std::to_string(c.fanout) +
                             "-l" + std::to_string(c.view) + "-run" + std::to_string(run),
                         dc.GetHosts());
    }
    int64_t stream = 1000;
    stream += dc.AssignStreams(stream);

    LpbcastHelper lp;
    lp.SetAttribute("Period", TimeValue(period));
    lp.SetAttribute("Fanout", UintegerValue(c.fanout));
    lp.SetAttribute("ViewSize", UintegerValue(c.view));
    lp.SetAttribute("MaxSubs", UintegerValue(c.view));
    lp.SetAttribute("MembershipPurging", StringValue(membership));
    // The analysis has every infected process gossip in every round: keep events in the buffer
    // (SRDS-style) and let them age out only after the measured window. Retrieval is off: the
    // chain models gossip alone.
    lp.SetAttribute("ClearEventsAfterGossip", BooleanValue(clearEvents));
    lp.SetAttribute("MaxAge", UintegerValue(rounds + 5));
    // Synchronous rounds, as the chain assumes: with random phases an event can make several
    // hops within one period on a microsecond-latency fabric.
    lp.SetAttribute("AlignRounds", BooleanValue(align));
    lp.SetAttribute("MaxEvents", UintegerValue(64));
    lp.SetAttribute("Retrieve", BooleanValue(false));
    ApplicationContainer apps = lp.Install(dc.GetHosts());
    stream += lp.AssignStreams(dc.GetHosts(), stream);
    LpbcastStats counters;
    counters.Attach(apps);
    apps.Start(Seconds(0));

    // Crashes: each process independently with probability tau, before any broadcast.
    Ptr<UniformRandomVariable> u = CreateObject<UniformRandomVariable>();
    u->SetStream(stream++);
    auto all = [&apps](uint32_t i) { return DynamicCast<LpbcastApplication>(apps.Get(i)); };
    std::vector<uint32_t> live;
    const Time warmup = period * 20; // views mix through subscriptions first
    for (uint32_t i = 0; i < apps.GetN(); ++i)
    {
        if (u->GetValue() < crash)
        {
            Ptr<LpbcastApplication> app = all(i);
            GossipSchedule(warmup - period, [app]() { app->Crash(); });
        }
        else
        {
            live.push_back(i);
        }
    }
    liveOut = live.size();
    const Time spacing = period * (rounds + 5);
    std::vector<std::pair<uint32_t, Time>> sent; // origin index, time
    for (uint32_t k = 0; k < events; ++k)
    {
        uint32_t origin = live[u->GetInteger(0, live.size() - 1)];
        // Just before a round boundary, so round 1 is the origin's first gossip.
        Time t = warmup + spacing * k - MilliSeconds(1);
        Ptr<LpbcastApplication> app = all(origin);
        GossipSchedule(t, [app]() { app->Broadcast(); });
        sent.push_back({origin, t});
    }
    Simulator::Stop(warmup + spacing * events);
    Simulator::Run();

    std::vector<std::vector<double>> out;
    std::map<uint32_t, uint32_t> seqOf;
    for (const auto& s : sent)
    {
        uint32_t origin = all(s.first)->GetSelf();
        uint32_t seq = ++seqOf[origin];
        const std::vector<Time>& times = counters.GetDeliveryTimes({origin, seq});
        std::vector<double> curve;
        for (uint32_t r = 0; r <= rounds; ++r)
        {
            Time at = s.second + period * r;
            curve.push_back(
                std::count_if(times.begin(), times.end(), [at](Time x) { return x <= at; }));
        }
        out.push_back(curve);
    }
    Simulator::Destroy();
    return out;
}
} // namespace

int
main(int argc, char* argv[])
{
    std::vector<uint32_t> nList{125};
    std::vector<uint32_t> fList{3, 4, 5, 6};
    std::vector<uint32_t> lList{10, 15, 20};
    double loss = 0.05;
    double crash = 0.01;
    uint32_t rounds = 14;
    uint32_t events = 6;
    uint32_t runs = 1;
    bool full = false;
    bool clearEvents = false;
    bool align = true;
    std::string membership = "Random";
    std::string prefix = "lpbcast-infection";

    GossipOptions cmd(__FILE__,
                      "Infection per round of lpbcast (simulated over a datacenter network) "
                      "against the binomial Markov chain of Eugster et al., TOCS 2003, Sec. 4.\n"
                      "Default: n=125, F=3..6, l=10,15,20, eps=0.05, tau=0.01, one run (about a "
                      "minute); each further --runs adds as much. --full adds n=250 and n=500 "
                      "(several minutes per run).");
    cmd.AddList("n", "comma-separated system sizes (multiples of 25)", nList, 25U, 5000U);
    cmd.AddList("fanouts", "comma-separated fanouts F", fList, 1U, 50U);
    cmd.AddList("views", "comma-separated view sizes l", lList, 1U, 1000U);
    cmd.Add("loss", "message loss probability eps", loss, 0.0, 0.99);
    // at most half: with n >= 25 some process survives to broadcast
    cmd.Add("crash", "crash probability tau", crash, 0.0, 0.5);
    cmd.Add("rounds", "rounds to follow each event", rounds, 1U, 200U);
    cmd.Add("events",
            "events per simulation run (each from a random live process)",
            events,
            1U,
            100U);
    cmd.Add("runs", "simulation runs per configuration (RngRun 1..runs)", runs, 1U, 1000U);
    cmd.Add("full", "sweep n = 125, 250, 500", full);
    cmd.Add("clearEvents",
            "TOCS events <- {} after each gossip (infect-and-die) instead of gossiping "
            "every round",
            clearEvents);
    cmd.Add("align", "synchronous rounds (AlignRounds); false gives random phases", align);
    cmd.AddChoice("membership",
                  "membership purging: Random (TOCS) or Frequency",
                  membership,
                  {"Random", "Frequency"});
    bool pcap = false;
    cmd.Add("pcap",
            "write pcaps at three processes of every run "
            "(<prefix>-n<N>-F<F>-l<L>-run<R>-<node>-<device>.pcap)",
            pcap);
    cmd.AddPrefix(prefix);
    cmd.Parse(argc, argv);
    auto text = [](const std::vector<uint32_t>& list) {
        std::string s;
        for (uint32_t x : list)
        {
            s += (s.empty() ? "" : ",") + std::to_string(x);
        }
        return s;
    };
    GossipOptions::Require(
        std::all_of(nList.begin(), nList.end(), [](uint32_t n) { return n % 25 == 0; }),
        "n",
        text(nList),
        "multiples of 25 (25 hosts per rack)");
    if (full)
    {
        nList = {125, 250, 500};
    }
    const uint32_t largestF = *std::max_element(fList.begin(), fList.end());
    const uint32_t smallestL = *std::min_element(lList.begin(), lList.end());
    GossipOptions::Require(largestF <= smallestL,
                           "fanouts",
                           text(fList),
                           "fanouts no larger than every view size (--views=" + text(lList) + ")");

    GossipCsvWriter csv(prefix + ".csv",
                        {"n", "F", "l", "round", "sim_mean", "sim_sd", "samples", "analysis_mean"});
    std::cout << "lpbcast infection: eps=" << loss << " tau=" << crash
              << (clearEvents ? " (events cleared after gossip)" : " (infected gossip every round)")
              << "\n";
    std::cout << std::setw(5) << "n" << std::setw(4) << "F" << std::setw(4) << "l" << std::setw(16)
              << "sim_99%_live" << std::setw(16) << "chain_99%_n" << std::setw(14) << "sim_at_r5"
              << std::setw(14) << "ana_at_r5"
              << "\n";
    const auto wall0 = std::chrono::steady_clock::now();
    uint32_t done = 0;
    const uint32_t total = nList.size() * fList.size() * lList.size() * runs;
    for (uint32_t n : nList)
    {
        Gnuplot plot(prefix + "-n" + std::to_string(n) + ".png");
        plot.SetTitle("lpbcast infection, n=" + std::to_string(n) +
                      ", eps=" + std::to_string(loss).substr(0, 4) +
                      ", tau=" + std::to_string(crash).substr(0, 4));
        plot.SetLegend("round", "infected processes (mean)");
        plot.AppendExtra("set key bottom right");
        plot.AppendExtra("set yrange [0:" + std::to_string(n + n / 20) + "]");
        for (uint32_t f : fList)
        {
            gossip::InfectionChain chain(n, f, loss, crash);
            std::vector<double> expected = chain.Expected(rounds);
            Gnuplot2dDataset ana("analysis F=" + std::to_string(f));
            ana.SetStyle(Gnuplot2dDataset::LINES);
            for (uint32_t r = 0; r <= rounds; ++r)
            {
                ana.Add(r, expected[r]);
            }
            plot.AddDataset(ana);
            for (uint32_t l : lList)
            {
                std::vector<std::vector<double>> curves;
                double liveSum = 0;
                for (uint32_t run = 1; run <= runs; ++run)
                {
                    uint32_t live = 0;
                    auto c = Simulate({n, f, l, pcap ? prefix : ""},
                                      loss,
                                      crash,
                                      rounds,
                                      events,
                                      clearEvents,
                                      align,
                                      membership,
                                      run,
                                      live);
                    liveSum += double(live) * c.size();
                    curves.insert(curves.end(), c.begin(), c.end());
                    ++done;
                    double secs =
                        std::chrono::duration<double>(std::chrono::steady_clock::now() - wall0)
                            .count();
                    std::cerr << "[" << done << "/" << total << "] n=" << n << " F=" << f
                              << " l=" << l << " run=" << run << " (" << std::fixed
                              << std::setprecision(1) << secs << " s)\n";
                }
                Gnuplot2dDataset sim("sim F=" + std::to_string(f) + " l=" + std::to_string(l));
                sim.SetStyle(Gnuplot2dDataset::LINES_POINTS);
                std::vector<double> mean(rounds + 1, 0);
                for (uint32_t r = 0; r <= rounds; ++r)
                {
                    double s = 0;
                    double s2 = 0;
                    for (const auto& c : curves)
                    {
                        s += c[r];
                        s2 += c[r] * c[r];
                    }
                    mean[r] = s / curves.size();
                    double sd = std::sqrt(std::max(0.0, s2 / curves.size() - mean[r] * mean[r]));
                    csv.Row(n, f, l, r, mean[r], sd, curves.size(), expected[r]);
                    sim.Add(r, mean[r]);
                }
                plot.AddDataset(sim);
                // 99% of the live processes (simulation) or of n (the chain's limit).
                const double liveMean = liveSum / curves.size();
                auto firstAt = [&](const std::vector<double>& v, double of) {
                    for (uint32_t r = 0; r < v.size(); ++r)
                    {
                        if (v[r] >= 0.99 * of)
                        {
                            return std::to_string(r);
                        }
                    }
                    return std::string(">") + std::to_string(rounds);
                };
                std::cout << std::setw(5) << n << std::setw(4) << f << std::setw(4) << l
                          << std::setw(16) << firstAt(mean, liveMean) << std::setw(16)
                          << firstAt(expected, n) << std::setw(14) << std::fixed
                          << std::setprecision(1) << mean[std::min(5u, rounds)] << std::setw(14)
                          << expected[std::min(5u, rounds)] << "\n";
            }
        }
        GossipPlotHelper::Write(prefix + "-n" + std::to_string(n), plot);
    }
    std::cout << "wrote " << prefix << ".csv and " << prefix << "-n*.png\n";
    return 0;
}
