/*
 * SPDX-License-Identifier: GPL-2.0-only
 *
 * pbcast-bimodal: the paper's bimodal delivery distribution (§5: n = 50, message loss
 * epsilon = 0.05, crash probability tau = 0.001, fanout swept). Many independent messages spread
 * by pbcast's gossip alone (phase 1 off, as in the paper's model); for each, count the members
 * that have it T rounds after it was sent. The histogram of that count, on a log scale, is put
 * beside the analytical prediction (gossip::InfectionChain, the Markov-chain recurrence).
 *
 * Mapping to the model: one gossip "contact" is a digest, a solicitation and a retransmission,
 * so each datagram is lost with 1-(1-epsilon)^(1/3) (split over the two host links of a path),
 * which makes a contact fail with probability epsilon. Push is off (the model's infected
 * process contacts beta others; an uninfected one does not pull). For each message every
 * member but the sender is, with probability tau, down (asleep) for that message's lifetime.
 *
 * --phase1 runs the protocol as deployed instead: phase 1 by real IP multicast over the fabric,
 * with each host losing a multicast datagram with probability phase1Loss (heavy loss, default
 * 0.5) on its link, then the same gossip repairs. That is not the model's setting (the model
 * starts from the sender alone), so the analysis curve is shown only as a reference there.
 *
 *   pbcast-bimodal --fanouts=1,2,3 --messages=300 --rounds=6
 *   pbcast-bimodal --phase1 --phase1Loss=0.5 --messages=100
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

using namespace ns3;

NS_LOG_COMPONENT_DEFINE("PbcastBimodalExample");

namespace
{
struct Trial
{
    std::map<uint64_t, uint32_t> countBySeq; //!< members (incl. sender) with it within T rounds
    std::map<uint64_t, Time> sent;           //!< when each message was sent
    Time window;
};

void
OnBroadcast(Trial* t, const GossipMessageId& id)
{
    t->sent[id.seq] = Simulator::Now();
}

void
OnDeliver(Trial* t, const GossipMessageId& id)
{
    if (Simulator::Now() - t->sent[id.seq] <= t->window)
    {
        t->countBySeq[id.seq]++;
    }
}

void
StartTrial(ApplicationContainer apps, uint32_t sender, double tau, Ptr<UniformRandomVariable> rng)
{
    for (uint32_t i = 0; i < apps.GetN(); ++i)
    {
        Ptr<PbcastApplication> app = DynamicCast<PbcastApplication>(apps.Get(i));
        app->SetAsleep(i != sender && rng->GetValue() < tau);
    }
    DynamicCast<PbcastApplication>(apps.Get(sender))->Send(Create<Packet>(64));
}

/**
 * A host's receive error model for --phase1: IP multicast datagrams (phase 1 and multicast
 * retransmissions) are lost with their own probability, everything else as the host link's own
 * error model decides.
 */
class Phase1LossModel : public ErrorModel
{
  public:
    void Configure(double loss, Ptr<ErrorModel> other, int64_t stream)
    {
        m_loss = loss;
        m_other = other;
        m_rng = CreateObject<UniformRandomVariable>();
        m_rng->SetStream(stream);
    }

  private:
    bool DoCorrupt(Ptr<Packet> p) override
    {
        Ptr<Packet> c = p->Copy();
        PppHeader ppp;
        Ipv4Header ip;
        if (c->RemoveHeader(ppp) && c->PeekHeader(ip) && ip.GetDestination().IsMulticast())
        {
            return m_rng->GetValue() < m_loss;
        }
        return m_other && m_other->IsCorrupt(p);
    }

    void DoReset() override
    {
    }

    double m_loss{0};
    Ptr<ErrorModel> m_other;
    Ptr<UniformRandomVariable> m_rng;
};
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
    cmd.Add("phase1",
            "run phase 1 by real IP multicast, lossy (phase1Loss), before the gossip; "
            "default: gossip alone, as the paper's model",
            phase1);
    cmd.Add("phase1Loss",
            "with --phase1: probability that a host loses a multicast datagram (0..1)",
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
    // Each contact is three datagrams; each datagram crosses two host links.
    double perDatagram = 1 - std::pow(1 - epsilon, 1.0 / 3);
    double perLink = 1 - std::sqrt(1 - perDatagram);
    const Time round = MilliSeconds(100);
    const Time spacing = round * (rounds + 5);

    std::cout << "pbcast-bimodal: n=" << n << " epsilon=" << epsilon << " tau=" << tau
              << " T=" << rounds << " rounds, " << messages
              << " messages per fanout; host link loss " << perLink << " per direction; "
              << (phase1 ? "phase 1 by IP multicast, loss " + std::to_string(phase1Loss) +
                               " per host (analysis: gossip alone, for reference)"
                         : std::string("gossip alone (the model's setting)"))
              << "\n";
    GossipCsvWriter csv(prefix + ".csv",
                        {"fanout", "k", "simulated_probability", "simulated_count", "analysis"});
    Gnuplot plot(prefix + ".png");
    plot.SetTitle("pbcast: probability that k of n members have a message after T rounds (n=" +
                  std::to_string(n) + ", T=" + std::to_string(rounds) + ")");
    plot.SetLegend("k (members delivering)", "probability");
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
        std::cerr << "fanout " << fanout << ": simulating " << messages << " messages\n";
        DatacenterTopologyHelper dc;
        uint32_t perRack = std::min<uint32_t>(n, 25);
        dc.SetHostsPerRack(perRack);
        dc.SetRacksPerPod((n + perRack - 1) / perRack);
        dc.SetSpinesPerPod(2);
        dc.SetHostLinkErrorRate(perLink);
        dc.Install();
        if (pcap)
        {
            GossipEnablePcap(prefix + "-f" + std::to_string(fanout), dc.GetHosts());
        }
        NodeContainer members;
        for (uint32_t i = 0; i < n; ++i)
        {
            members.Add(dc.GetHost(i));
        }
        stream += dc.AssignStreams(stream);
        const Ipv4Address group("239.255.0.3");
        if (phase1)
        {
            dc.EnableMulticast(group);
            for (uint32_t i = 0; i < n; ++i)
            {
                Ptr<PointToPointNetDevice> dev =
                    DynamicCast<PointToPointNetDevice>(dc.GetHost(i)->GetDevice(1));
                NS_ABORT_MSG_IF(!dev, "pbcast-bimodal: host link is not point-to-point");
                PointerValue other;
                dev->GetAttribute("ReceiveErrorModel", other);
                Ptr<Phase1LossModel> em = CreateObject<Phase1LossModel>();
                em->Configure(phase1Loss, other.Get<ErrorModel>(), stream++);
                dev->SetAttribute("ReceiveErrorModel", PointerValue(em));
            }
        }
        PbcastHelper pbcast;
        pbcast.SetAttribute("Group", Ipv4AddressValue(group));
        pbcast.SetAttribute("Disseminate", BooleanValue(phase1));
        pbcast.SetAttribute("Push", BooleanValue(false));
        pbcast.SetAttribute("UseMulticast", BooleanValue(phase1));
        pbcast.SetAttribute("Fanout", UintegerValue(fanout));
        pbcast.SetAttribute("RoundInterval", TimeValue(round));
        pbcast.SetSeedsPerDatacenter(n); // everyone knows everyone, as in the model
        ApplicationContainer apps = pbcast.Install(members);
        stream += pbcast.AssignStreams(members, stream);
        Trial trial;
        trial.window = round * rounds;
        for (uint32_t i = 0; i < apps.GetN(); ++i)
        {
            apps.Get(i)->TraceConnectWithoutContext("Broadcast",
                                                    MakeBoundCallback(&OnBroadcast, &trial));
            apps.Get(i)->TraceConnectWithoutContext("Deliver",
                                                    MakeBoundCallback(&OnDeliver, &trial));
        }
        Ptr<UniformRandomVariable> rng = CreateObject<UniformRandomVariable>();
        rng->SetStream(stream++);
        const Time start = Seconds(2);
        for (uint32_t m = 0; m < messages; ++m)
        {
            Simulator::Schedule(start + spacing * m, &StartTrial, apps, 0, tau, rng);
        }
        Time end = start + spacing * messages;
        apps.Start(Seconds(0));
        apps.Stop(end);
        Simulator::Stop(end);
        Simulator::Run();
        Simulator::Destroy();

        std::vector<uint64_t> hist(n + 1, 0);
        for (uint32_t m = 0; m < messages; ++m)
        {
            auto it = trial.countBySeq.find(m);
            uint32_t k = 1 + (it == trial.countBySeq.end() ? 0 : it->second); // + the sender
            hist[std::min(k, n)]++;
        }
        std::vector<double> pi = gossip::InfectionChain(n, fanout, epsilon, tau).After(rounds);
        Gnuplot2dDataset sim("simulated, fanout " + std::to_string(fanout));
        sim.SetStyle(Gnuplot2dDataset::POINTS);
        Gnuplot2dDataset ana("analysis, fanout " + std::to_string(fanout));
        ana.SetStyle(Gnuplot2dDataset::LINES);
        sim.SetExtra(colour + " pt 7");
        ana.SetExtra(colour + " lw 2");
        double mean = 0;
        double meanAna = 0;
        for (uint32_t k = 1; k <= n; ++k)
        {
            double ps = double(hist[k]) / messages;
            csv.Row(fanout, k, ps, hist[k], pi[k]);
            if (hist[k] > 0)
            {
                sim.Add(k, ps);
            }
            if (pi[k] > 1e-30)
            {
                ana.Add(k, pi[k]);
            }
            mean += k * ps;
            meanAna += k * pi[k];
        }
        plot.AddDataset(ana);
        plot.AddDataset(sim);
        std::cout << "fanout " << fanout << ": mean members with the message after T rounds: "
                  << "simulated " << mean << ", analysis " << meanAna << "; P{all n}: simulated "
                  << double(hist[n]) / messages << ", analysis " << pi[n]
                  << "; P{failure band 10%..90%}: simulated "
                  << gossip::InfectionChain::FailureProbability(
                         std::vector<double>(hist.begin(), hist.end()),
                         0.1,
                         0.9) /
                         messages
                  << ", analysis " << gossip::InfectionChain::FailureProbability(pi, 0.1, 0.9)
                  << "\n";
    }
    bool png = GossipPlotHelper::Write(prefix, plot);
    std::cout << "wrote " << prefix << ".csv" << (png ? ", " + prefix + ".png" : "") << "\n";
    return 0;
}
