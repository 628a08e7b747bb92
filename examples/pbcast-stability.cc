/*
 * SPDX-License-Identifier: GPL-2.0-only
 *
 * pbcast-stability: the paper's throughput-stability experiment (its Fig. 1). A sender
 * multicasts 200 messages/s of 1 KB. One member is perturbed: every 100 ms it sleeps (drops
 * everything, runs nothing) for the next 100 ms with probability p. We measure the throughput
 * that the healthy receivers see, for pbcast and for a traditional reliable multicast
 * (PbcastRmcastBaseline: sender window, per-receiver acks, retransmission), across p and group
 * sizes. pbcast has no flow control: healthy receivers keep ~200/s. The baseline's window waits
 * for the slowest receiver, so its throughput falls as p grows.
 *
 *   pbcast-stability          (the figure: groups 32, 64, 96; p = 0..0.9 by 0.1; ~45 s)
 *   pbcast-stability --groups=8,32 --probs=0,0.3,0.6,0.9 --duration=10
 */
#include "gossip-example-support.h"

#include "ns3/core-module.h"
#include "ns3/gossip-module.h"
#include "ns3/internet-module.h"
#include "ns3/network-module.h"

#include <algorithm>
#include <iostream>

using namespace ns3;

NS_LOG_COMPONENT_DEFINE("PbcastStabilityExample");

namespace
{
struct Window
{
    Time from;
    Time to;
    std::map<uint32_t, uint64_t> count; //!< deliveries per member in the window
};

/// A delivery of either protocol (both name messages by GossipMessageId).
void
Count(Window* w, uint32_t node, const GossipMessageId&)
{
    Time now = Simulator::Now();
    if (now >= w->from && now < w->to)
    {
        w->count[node]++;
    }
}

/// Every 100 ms: sleep for the next 100 ms with probability p.
template <typename App>
void
Perturb(Ptr<App> app, double p, Ptr<UniformRandomVariable> rng, Time until)
{
    if (Simulator::Now() >= until)
    {
        app->SetAsleep(false);
        return;
    }
    app->SetAsleep(rng->GetValue() < p);
    Simulator::Schedule(MilliSeconds(100), &Perturb<App>, app, p, rng, until);
}

void
SendPbcast(Ptr<PbcastApplication> app, uint32_t size)
{
    app->Send(Create<Packet>(size));
}

/**
 * One run. \return the mean throughput (messages/s) of the healthy receivers.
 */
double
RunOnce(bool pbcast,
        uint32_t n,
        double p,
        double rate,
        uint32_t size,
        double duration,
        double loss,
        const std::string& pcap)
{
    DatacenterTopologyHelper dc;
    uint32_t perRack = std::min<uint32_t>(n, 16);
    dc.SetHostsPerRack(perRack);
    dc.SetRacksPerPod((n + perRack - 1) / perRack);
    dc.SetSpinesPerPod(2);
    dc.SetHostLinkErrorRate(loss);
    dc.Install();
    Ipv4Address group("239.255.0.9");
    dc.EnableMulticast(group);
    if (!pcap.empty())
    {
        std::ostringstream name;
        name << pcap << "-" << (pbcast ? "pbcast" : "rmcast") << "-n" << n << "-p" << p;
        GossipEnablePcap(name.str(), dc.GetHosts());
    }
    NodeContainer members;
    for (uint32_t i = 0; i < n; ++i)
    {
        members.Add(dc.GetHost(i));
    }
    int64_t stream = 1;
    stream += dc.AssignStreams(stream);
    const Time start = Seconds(1);
    const Time stop = start + Seconds(duration);
    Window w;
    w.from = start + Seconds(1); // past the start-up transient
    w.to = stop;
    Ptr<UniformRandomVariable> rng = CreateObject<UniformRandomVariable>();
    rng->SetStream(stream++);
    const uint32_t senderIdx = 0;
    const uint32_t perturbedIdx = n - 1;
    auto count = static_cast<uint64_t>(rate * duration);
    ApplicationContainer apps;
    if (pbcast)
    {
        PbcastHelper h;
        h.SetAttribute("Group", Ipv4AddressValue(group));
        apps = h.Install(members);
        stream += h.AssignStreams(members, stream);
        for (uint32_t i = 0; i < n; ++i)
        {
            apps.Get(i)->TraceConnectWithoutContext("Deliver", MakeBoundCallback(&Count, &w, i));
        }
        auto sender = DynamicCast<PbcastApplication>(apps.Get(senderIdx));
        for (uint64_t k = 0; k < count; ++k)
        {
            Simulator::Schedule(start + Seconds(k / rate), &SendPbcast, sender, size);
        }
        Simulator::Schedule(start,
                            &Perturb<PbcastApplication>,
                            DynamicCast<PbcastApplication>(apps.Get(perturbedIdx)),
                            p,
                            rng,
                            stop);
    }
    else
    {
        PbcastRmcastHelper h;
        h.SetAttribute("Group", Ipv4AddressValue(group));
        h.SetSender(members.Get(senderIdx)); // every other member is a receiver
        apps = h.Install(members);
        for (uint32_t i = 0; i < n; ++i)
        {
            if (i != senderIdx)
            {
                apps.Get(i)->TraceConnectWithoutContext("Deliver",
                                                        MakeBoundCallback(&Count, &w, i));
            }
        }
        auto sender = DynamicCast<PbcastRmcastBaseline>(apps.Get(senderIdx));
        for (uint64_t k = 0; k < count; ++k)
        {
            Simulator::Schedule(start + Seconds(k / rate),
                                &PbcastRmcastBaseline::Send,
                                sender,
                                size);
        }
        Simulator::Schedule(start,
                            &Perturb<PbcastRmcastBaseline>,
                            DynamicCast<PbcastRmcastBaseline>(apps.Get(perturbedIdx)),
                            p,
                            rng,
                            stop);
    }
    apps.Start(Seconds(0));
    apps.Stop(stop + Seconds(1));
    Simulator::Stop(stop + Seconds(1));
    Simulator::Run();
    if (!pbcast)
    {
        std::cerr << "  baseline: sends refused (sender blocked) "
                  << DynamicCast<PbcastRmcastBaseline>(apps.Get(senderIdx))->GetRefused()
                  << ", perturbed member delivered "
                  << DynamicCast<PbcastRmcastBaseline>(apps.Get(perturbedIdx))->GetDelivered()
                  << "\n";
    }
    Simulator::Destroy();
    double sum = 0;
    uint32_t healthy = 0;
    for (uint32_t i = 0; i < n; ++i)
    {
        if (i != senderIdx && i != perturbedIdx)
        {
            sum += w.count[i];
            ++healthy;
        }
    }
    return healthy ? sum / healthy / (w.to - w.from).GetSeconds() : 0;
}
} // namespace

int
main(int argc, char* argv[])
{
    // The paper's figure: groups of 32, 64 and 96, perturb rate 0..0.9 in steps of 0.1.
    std::vector<uint32_t> groups{32, 64, 96};
    std::vector<double> probs{0, 0.1, 0.2, 0.3, 0.4, 0.5, 0.6, 0.7, 0.8, 0.9};
    double rate = 200;
    uint32_t size = 1000;
    double duration = 5;
    double loss = 0.001;
    std::string prefix = "pbcast-stability";

    GossipOptions cmd(__FILE__,
                      "Throughput stability (the paper's Fig. 1): healthy receivers' throughput "
                      "under pbcast and a traditional reliable multicast while one member sleeps "
                      "with probability p every 100 ms. Writes <prefix>.csv and <prefix>.png.");
    cmd.AddList("groups", "comma-separated group sizes (each 3..1000)", groups, 3U, 1000U);
    cmd.AddList("probs", "comma-separated sleep probabilities (each 0..0.95)", probs, 0.0, 0.95);
    cmd.Add("rate", "messages per second (1..5000)", rate, 1.0, 5000.0);
    cmd.Add("size", "message bytes (1..8000)", size, 1U, 8000U);
    cmd.Add("duration", "seconds of sending per run (2..600)", duration, 2.0, 600.0);
    cmd.Add("loss", "packet error rate of host links (0..0.1)", loss, 0.0, 0.1);
    bool pcap = false;
    cmd.Add("pcap",
            "write pcaps at three members of every run "
            "(<prefix>-<protocol>-n<N>-p<P>-<node>-<device>.pcap)",
            pcap);
    cmd.AddPrefix(prefix);
    cmd.Parse(argc, argv);

    GossipCsvWriter csv(prefix + ".csv",
                        {"protocol", "group", "sleep_probability", "healthy_throughput"});
    Gnuplot plot(prefix + ".png");
    plot.SetTitle("Throughput of healthy receivers with one perturbed member (cf. the paper's "
                  "Fig. 1)");
    plot.SetLegend("probability that the perturbed member sleeps in each 100 ms",
                   "messages/s at healthy receivers");
    // The figure's axes: 0-250 msgs/s against perturb rate 0-0.9 (wider if the run needs it).
    plot.AppendExtra("set yrange [0:" + std::to_string(std::max(250, int(rate * 1.15))) + "]");
    plot.AppendExtra("set xrange [0:" +
                     std::to_string(std::max(0.9, *std::max_element(probs.begin(), probs.end()))) +
                     "]");
    plot.AppendExtra("set key bottom left");
    std::cout << "pbcast-stability: " << rate << " msgs/s of " << size << " B, " << duration
              << " s per run, host link loss " << loss << "\n";
    for (bool pb : {true, false})
    {
        for (uint32_t n : groups)
        {
            Gnuplot2dDataset ds(std::string(pb ? "pbcast" : "reliable multicast") +
                                ", n=" + std::to_string(n));
            ds.SetStyle(Gnuplot2dDataset::LINES_POINTS);
            ds.SetExtra(pb ? "dt 1" : "dt 2");
            for (double p : probs)
            {
                std::cerr << (pb ? "pbcast" : "baseline") << " n=" << n << " p=" << p << "\n";
                double tput = RunOnce(pb, n, p, rate, size, duration, loss, pcap ? prefix : "");
                std::cout << (pb ? "pbcast  " : "rmcast  ") << " n=" << n << " p=" << p
                          << " healthy throughput " << tput << " msgs/s\n";
                csv.Row(pb ? "pbcast" : "reliable-multicast", n, p, tput);
                ds.Add(p, tput);
            }
            plot.AddDataset(ds);
        }
    }
    bool png = GossipPlotHelper::Write(prefix, plot);
    std::cout << "wrote " << prefix << ".csv" << (png ? ", " + prefix + ".png" : "") << "\n";
    return 0;
}
