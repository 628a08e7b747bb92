/*
 * SPDX-License-Identifier: GPL-2.0-only
 *
 * pbcast-bimodal: the paper's bimodal delivery distribution (§5: n = 50, message loss
 * epsilon = 0.05, crash probability tau = 0.001, fanout swept). Many independent messages spread
 * by pbcast; for each, count the members that have it T rounds after it was sent. The histogram
 * of that count, on a log scale, is put beside the analytical prediction (gossip::InfectionChain,
 * the Markov-chain recurrence), in two modes drawn in one figure:
 *
 * - model: every assumption of the analysis. Synchronous rounds (AlignRounds), the message sent
 *   just before a round boundary and the members counted just before the T-th boundary after
 *   it; infection only by a gossip from a holder (no phase 1, no push), each gossip a separate
 *   attempt (RequestWait=0), so a repair counts toward the next round; and each holder gossips
 *   to every other member independently with probability fanout/(n-1) (TargetSelection
 *   PerMember), the analysis's beta/(n-1), rather than to exactly fanout members. A contact is a
 * digest, a solicitation and a retransmission: each datagram is lost with 1-((1-eps)(1-tau))^(1/3),
 *   split over the two host links of a path, so a contact fails with probability
 *   1-(1-eps)(1-tau), as in the chain (which applies tau per contact).
 * - protocol: the protocol as deployed. Unsynchronised rounds, push-pull repair, phase 1 by real
 *   IP multicast with each host losing a multicast datagram with probability phase1Loss, and
 *   every member but the sender down (asleep) for a message's lifetime with probability tau.
 *   Counted T round intervals after the send.
 *
 *   pbcast-bimodal --fanouts=1,2,3 --messages=1000 --rounds=6
 *   pbcast-bimodal --mode=protocol --phase1Loss=0.5 --messages=100
 */
#include "gossip-example-support.h"

#include "ns3/core-module.h"
#include "ns3/gossip-module.h"
#include "ns3/internet-module.h"
#include "ns3/network-module.h"
#include "ns3/point-to-point-module.h"

#include <algorithm>
#include <cmath>
#include <iostream>
#include <map>
#include <sstream>

using namespace ns3;

NS_LOG_COMPONENT_DEFINE("PbcastBimodalExample");

namespace
{
/// A number as the user would write it (0.05, not 0.050000).
std::string
Short(double x)
{
    std::ostringstream os;
    os << x;
    return os.str();
}

} // namespace

int
main(int argc, char* argv[])
{
    uint32_t n = 50;
    double epsilon = 0.05;
    double tau = 0.001;
    std::vector<uint32_t> fanouts{1, 2, 3};
    uint32_t messages = 300;
    uint32_t rounds = 6;
    std::string prefix = "pbcast-bimodal";
    bool phase1 = false;
    double phase1Loss = 0.5;
    std::string mode = "both";

    GossipOptions cmd(__FILE__,
                      "Bimodal delivery distribution of pbcast gossip (paper §5) against the "
                      "analytical recurrence. Writes <prefix>.csv and <prefix>.png (log y).");
    cmd.Add("n", "group size (2..1000)", n, 2U, 1000U);
    cmd.Add("epsilon", "probability that a gossip contact fails (0..0.9)", epsilon, 0.0, 0.9);
    cmd.Add("tau", "probability that a member is down for a message (0..0.5)", tau, 0.0, 0.5);
    cmd.AddList("fanouts", "comma-separated fanouts to sweep (each 1..n-1)", fanouts, 1U, 999U);
    cmd.Add("messages", "independent messages per fanout (1..100000)", messages, 1U, 100000U);
    cmd.Add("rounds",
            "T: count members holding the message T rounds after it was sent "
            "(1..100)",
            rounds,
            1U,
            100U);
    cmd.AddChoice("mode",
                  "model (every assumption of the analysis), protocol (as deployed: "
                  "phase 1 by lossy IP multicast, unsynchronised rounds, push-pull) or both",
                  mode,
                  {"model", "protocol", "both"});
    cmd.Add("phase1", "the same as --mode=protocol", phase1);
    cmd.Add("phase1Loss",
            "protocol mode: probability that a host loses a multicast datagram (0..1)",
            phase1Loss,
            0.0,
            1.0);
    bool pcap = false;
    cmd.Add("pcap",
            "write pcaps at three members for every fanout (<prefix>-f<F>-<node>-<device>.pcap)",
            pcap);
    cmd.AddPrefix(prefix);
    cmd.Parse(argc, argv);
    const uint32_t largest = *std::max_element(fanouts.begin(), fanouts.end());
    std::string fanoutText;
    for (uint32_t f : fanouts)
    {
        fanoutText += (fanoutText.empty() ? "" : ",") + std::to_string(f);
    }
    GossipOptions::Require(largest <= n - 1,
                           "fanouts",
                           fanoutText,
                           "integers 1.." + std::to_string(n - 1) + " (n-1), separated by commas");
    if (phase1)
    {
        mode = "protocol";
    }
    std::vector<bool> models;
    if (mode != "protocol")
    {
        models.push_back(true);
    }
    if (mode != "model")
    {
        models.push_back(false);
    }
    std::cout << "pbcast-bimodal: n=" << n << " epsilon=" << epsilon << " tau=" << tau
              << " T=" << rounds << " rounds, " << messages << " messages per fanout and mode"
              << (mode != "model"
                      ? "; protocol mode: phase 1 multicast loss " + Short(phase1Loss) + " per host"
                      : std::string())
              << "\n";
    GossipCsvWriter csv(
        prefix + ".csv",
        {"fanout", "mode", "k", "simulated_probability", "simulated_count", "analysis"});
    Gnuplot plot(prefix + ".png");
    plot.SetTitle("pbcast: probability that k of n members have a message after T rounds (n=" +
                  std::to_string(n) + ", eps=" + Short(epsilon) + ", tau=" + Short(tau) +
                  ", T=" + std::to_string(rounds) + ")");
    plot.SetLegend("k (members with the message)", "probability");
    plot.AppendExtra("set logscale y");
    plot.AppendExtra("set yrange [1e-12:1]");
    plot.AppendExtra("set format y '1e%T'");
    plot.AppendExtra("set key bottom right");

    int64_t stream = 1;
    const char* colours[] = {"#1f77b4", "#d62728", "#2ca02c", "#9467bd", "#ff7f0e", "#8c564b"};
    uint32_t series = 0;
    for (uint32_t fanout : fanouts)
    {
        std::string colour = std::string("lc rgb '") + colours[series++ % 6] + "'";
        std::vector<double> pi = gossip::InfectionChain(n, fanout, epsilon, tau).After(rounds);
        Gnuplot2dDataset ana("analysis, fanout " + std::to_string(fanout));
        ana.SetStyle(Gnuplot2dDataset::LINES);
        ana.SetExtra(colour + " lw 2");
        double meanAna = 0;
        for (uint32_t k = 1; k <= n; ++k)
        {
            if (pi[k] > 1e-30)
            {
                ana.Add(k, pi[k]);
            }
            meanAna += k * pi[k];
        }
        plot.AddDataset(ana);
        for (bool model : models)
        {
            const std::string name = model ? "model" : "protocol";
            std::cerr << "fanout " << fanout << ", " << name << " mode: simulating " << messages
                      << " messages\n";
            PbcastBimodalRun run;
            run.model = model;
            run.n = n;
            run.fanout = fanout;
            run.epsilon = epsilon;
            run.tau = tau;
            run.rounds = rounds;
            run.messages = messages;
            run.phase1Loss = phase1Loss;
            if (pcap)
            {
                const std::string pcapPrefix = prefix + "-" + name + "-f" + std::to_string(fanout);
                run.onInstall = [pcapPrefix](const NodeContainer& members) {
                    GossipEnablePcap(pcapPrefix, members);
                };
            }
            std::vector<uint64_t> hist = run.Run(stream);
            Gnuplot2dDataset sim(name + ", fanout " + std::to_string(fanout));
            sim.SetStyle(Gnuplot2dDataset::POINTS);
            sim.SetExtra(colour + (model ? " pt 7" : " pt 6 ps 1.5"));
            double mean = 0;
            double tv = 0;
            for (uint32_t k = 1; k <= n; ++k)
            {
                double ps = double(hist[k]) / messages;
                csv.Row(fanout, name, k, ps, hist[k], pi[k]);
                if (hist[k] > 0)
                {
                    sim.Add(k, ps);
                }
                mean += k * ps;
                tv += std::abs(ps - pi[k]) / 2;
            }
            plot.AddDataset(sim);
            std::cout << "fanout " << fanout << ", " << name
                      << " mode: mean members with the message after T rounds: simulated " << mean
                      << ", analysis " << meanAna << " (difference " << 100 * (mean - meanAna) / n
                      << "% of n); P{all n}: simulated " << double(hist[n]) / messages
                      << ", analysis " << pi[n] << "; total variation distance " << tv
                      << "; P{failure band 10%..90%}: simulated "
                      << gossip::InfectionChain::FailureProbability(
                             std::vector<double>(hist.begin(), hist.end()),
                             0.1,
                             0.9) /
                             messages
                      << ", analysis " << gossip::InfectionChain::FailureProbability(pi, 0.1, 0.9)
                      << "\n";
        }
    }
    bool png = GossipPlotHelper::Write(prefix, plot);
    std::cout << "wrote " << prefix << ".csv" << (png ? ", " + prefix + ".png" : "") << "\n";
    return 0;
}
