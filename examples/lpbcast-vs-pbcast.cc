/*
 * SPDX-License-Identifier: GPL-2.0-only
 *
 * lpbcast-vs-pbcast: reliability, latency and overhead of lpbcast (partial views, gossip of
 * events) and Bimodal Multicast (IP multicast + anti-entropy gossip) on the same datacenter,
 * under message loss and crashes. The lecture claims lpbcast "is often faster, but equally
 * reliable"; this measures whether and when that holds.
 *
 *   build/examples/lpbcast-vs-pbcast
 *   build/examples/lpbcast-vs-pbcast --losses=0,0.1,0.2 --crash=0.1 --runs=5
 *
 * Writes lpbcast-vs-pbcast.csv and the plots lpbcast-vs-pbcast-delivery.png and
 * lpbcast-vs-pbcast-latency.png.
 */
#include "gossip-example-support.h"

#include "ns3/core-module.h"
#include "ns3/gossip-module.h"
#include "ns3/internet-module.h"
#include "ns3/network-module.h"

#include <chrono>
#include <cmath>
#include <iomanip>
#include <iostream>
#include <set>
#include <sstream>

using namespace ns3;

namespace
{
struct Result
{
    double delivery{0};
    double atomic{0};
    double p50{0};
    double p99{0};
    double bytesPerNodeSec{0};
    uint64_t drops{0}; //!< datagrams dropped in queues
};

struct Setup
{
    uint32_t hostsPerRack;
    uint32_t racks;
    double loss; //!< end-to-end datagram loss (spread over the two host links)
    double crash;
    uint32_t messages;
    bool multicast;       //!< pbcast phase 1 by IP multicast (false: 1:1 UDP unicast)
    uint32_t datacenters; //!< 1: one datacenter; more: a WAN (25 ms links, full mesh)
    bool smallWorld;      //!< lpbcast with the small-world overlay
    uint32_t run;
    std::string pcap; //!< if not empty: write pcaps at three hosts with this prefix
};

Result
Run(bool lpbcast, const Setup& s)
{
    RngSeedManager::SetRun(s.run);
    DatacenterTopologyHelper dc;
    dc.SetHostsPerRack(s.hostsPerRack);
    dc.SetRacksPerPod(s.racks);
    dc.SetSpinesPerPod(2);
    dc.SetHostLinkErrorRate(1.0 - std::sqrt(1.0 - s.loss));
    WanTopologyHelper wan;
    Ipv4Address group("239.255.0.5");
    int64_t stream = 1000;
    if (s.datacenters > 1)
    {
        wan.SetDatacenters(s.datacenters);
        wan.SetDatacenterTemplate(dc);
        wan.SetWanLinkAttribute("Delay", StringValue("25ms"));
        wan.Install();
        wan.EnableMulticast(group);
        stream += wan.AssignStreams(stream);
    }
    else
    {
        dc.Install();
        dc.EnableMulticast(group);
        stream += dc.AssignStreams(stream);
    }
    const NodeContainer& hosts = s.datacenters > 1 ? wan.GetHosts() : dc.GetHosts();
    Ptr<GossipDropCounter> drops =
        GossipCountDrops(s.datacenters > 1 ? GossipTopologyNodes(wan) : GossipTopologyNodes(dc));
    if (!s.pcap.empty())
    {
        GossipEnablePcap(s.pcap, hosts);
    }

    // pbcast members join through their seeds, the overlay measures RTTs, first
    const Time start = Seconds(s.smallWorld ? 5 : 2);
    const Time gap = MilliSeconds(100);
    const Time end = start + gap * s.messages + Seconds(4);
    GossipDeliveryStats stats;
    std::vector<Ptr<Application>> apps;
    LpbcastHelper lp;
    PbcastHelper pb;
    ApplicationContainer container;
    if (lpbcast)
    {
        lp.SetAttribute("Period", TimeValue(MilliSeconds(100)));
        lp.SetAttribute("PayloadSize", UintegerValue(64));
        if (s.smallWorld)
        {
            lp.SetAttribute("ViewMode", StringValue("SmallWorld"));
            lp.SetAttribute("DistanceMetric", StringValue("Fabric"));
        }
        container = lp.Install(hosts);
        stream += lp.AssignStreams(hosts, stream);
        stats.Attach(container);
    }
    else
    {
        pb.SetAttribute("Group", Ipv4AddressValue(group));
        pb.SetAttribute("RoundInterval", TimeValue(MilliSeconds(100)));
        pb.SetAttribute("UseMulticast", BooleanValue(s.multicast));
        container = pb.Install(hosts);
        stream += pb.AssignStreams(hosts, stream);
        stats.Attach(container);
    }
    container.Start(Seconds(0));
    container.Stop(end);
    const uint32_t n = container.GetN();

    Ptr<UniformRandomVariable> u = CreateObject<UniformRandomVariable>();
    u->SetStream(stream++);
    // Crashes: a fraction tau of the processes, just after the first message.
    std::set<uint32_t> crashed;
    const uint32_t nCrash = std::lround(s.crash * n);
    while (crashed.size() < nCrash)
    {
        crashed.insert(u->GetInteger(0, n - 1));
    }
    for (uint32_t v : crashed)
    {
        Ptr<Application> app = container.Get(v);
        stats.MarkCrashed(app->GetNode()->GetId());
        GossipSchedule(start + MilliSeconds(50), [app, lpbcast]() {
            if (lpbcast)
            {
                DynamicCast<LpbcastApplication>(app)->Crash();
            }
            else
            {
                DynamicCast<PbcastApplication>(app)->Crash();
            }
        });
    }
    // Messages from random live senders.
    for (uint32_t m = 0; m < s.messages; ++m)
    {
        uint32_t who;
        do
        {
            who = u->GetInteger(0, n - 1);
        } while (crashed.count(who));
        Ptr<Application> app = container.Get(who);
        GossipSchedule(start + gap * m, [app, lpbcast]() {
            if (lpbcast)
            {
                DynamicCast<LpbcastApplication>(app)->Broadcast();
            }
            else
            {
                DynamicCast<PbcastApplication>(app)->Send(Create<Packet>(64));
            }
        });
    }
    stats.SetWindow(start, end);
    Simulator::Stop(end);
    Simulator::Run();
    Result r;
    r.delivery = stats.GetMeanDeliveryFraction();
    r.atomic = stats.GetFullyDeliveredFraction();
    r.p50 = stats.GetLatencyPercentile(0.5).GetSeconds();
    r.p99 = stats.GetLatencyPercentile(0.99).GetSeconds();
    r.bytesPerNodeSec = stats.GetTxBytesPerNodePerSecond();
    r.drops = drops->GetTotal();
    Simulator::Destroy();
    return r;
}

/// Pcaps of one point: <prefix>-<protocol>-loss<loss>.
std::string
PcapName(const std::string& prefix, const std::string& protocol, double loss)
{
    std::ostringstream os;
    os << prefix << "-" << protocol << "-loss" << loss;
    return os.str();
}
} // namespace

int
main(int argc, char* argv[])
{
    uint32_t hostsPerRack = 20;
    uint32_t racks = 5;
    std::vector<double> lossList{0, 0.05, 0.1, 0.2, 0.3};
    double crash = 0.05;
    uint32_t messages = 20;
    uint32_t runs = 2;
    bool multicast = true;
    uint32_t datacenters = 1;
    bool smallWorld = false;
    bool pcap = false;
    std::string prefix = "lpbcast-vs-pbcast";
    GossipOptions cmd(__FILE__,
                      "lpbcast vs Bimodal Multicast (pbcast) on the same leaf-spine datacenter: "
                      "delivery ratio, fraction of messages delivered to all live processes, "
                      "latency, bytes sent and queue drops, against datagram loss, with a "
                      "fraction of crashed processes.\n"
                      "Default: 100 hosts, loss 0..0.3, 5% crashed, 20 messages, 2 runs per "
                      "point (about 30 s). Both gossip every 100 ms; lpbcast F=3, l=15; pbcast "
                      "Ensemble defaults.");
    cmd.Add("hostsPerRack", "hosts per rack", hostsPerRack, 2U, 126U);
    cmd.Add("racks", "racks", racks, 1U, 256U);
    cmd.AddList("losses",
                "comma-separated end-to-end datagram loss probabilities",
                lossList,
                0.0,
                0.9);
    cmd.Add("crash", "fraction of processes that crash after the first message", crash, 0.0, 0.5);
    cmd.Add("messages",
            "messages, one every 100 ms from random live senders",
            messages,
            1U,
            10000U);
    cmd.Add("runs", "runs per point (RngRun 1..runs)", runs, 1U, 1000U);
    cmd.Add("multicast", "pbcast phase 1 by IP multicast (false: 1:1 UDP unicast)", multicast);
    cmd.Add("datacenters",
            "1: one datacenter; 2..10: a WAN of that many copies (25 ms links)",
            datacenters,
            1U,
            10U);
    cmd.Add("smallWorld", "lpbcast gossips over the small-world overlay", smallWorld);
    cmd.Add("pcap",
            "write pcaps at three hosts in the first run of each point "
            "(<prefix>-<protocol>-loss<loss>-<node>-<device>.pcap)",
            pcap);
    cmd.AddPrefix(prefix);
    cmd.Parse(argc, argv);
    DatacenterTopologyHelper fabric;
    fabric.SetHostsPerRack(hostsPerRack);
    fabric.SetRacksPerPod(racks);
    GossipRequireFabric(fabric, 10000 / datacenters, "racks", racks);

    GossipCsvWriter csv(prefix + ".csv",
                        {"protocol",
                         "loss",
                         "crash",
                         "runs",
                         "delivery_ratio",
                         "atomic_fraction",
                         "latency_p50_s",
                         "latency_p99_s",
                         "tx_bytes_per_node_s"});
    const std::string title =
        std::to_string(hostsPerRack * racks * datacenters) + " hosts" +
        (datacenters > 1 ? " in " + std::to_string(datacenters) + " DCs" : "") +
        (smallWorld ? ", lpbcast small world" : "") + ", " +
        std::to_string(int(std::lround(crash * 100))) + "% crashed";
    Gnuplot delivery(prefix + "-delivery.png");
    delivery.SetTitle("lpbcast vs pbcast: " + title);
    delivery.SetLegend("datagram loss", "fraction of messages reaching every live process");
    delivery.AppendExtra("set yrange [0:1.05]");
    delivery.AppendExtra("set key bottom left");
    Gnuplot latency(prefix + "-latency.png");
    latency.SetTitle("lpbcast vs pbcast: " + title);
    latency.SetLegend("datagram loss", "delivery latency (s)");
    latency.AppendExtra("set key top left");
    std::cout << "lpbcast vs pbcast: " << title << ", " << messages << " messages, " << runs
              << " runs per point, pbcast phase 1 by "
              << (multicast ? "IP multicast" : "1:1 UDP unicast") << "\n"
              << std::setw(9) << "protocol" << std::setw(7) << "loss" << std::setw(10) << "delivery"
              << std::setw(9) << "atomic" << std::setw(9) << "p50_s" << std::setw(9) << "p99_s"
              << std::setw(12) << "B/node/s"
              << "\n";
    const auto wall0 = std::chrono::steady_clock::now();
    std::vector<std::string> dropsLines;
    for (bool isLp : {true, false})
    {
        const std::string name = isLp ? "lpbcast" : "pbcast";
        Gnuplot2dDataset dAtomic(name + " all-live");
        Gnuplot2dDataset dMean(name + " mean");
        Gnuplot2dDataset l50(name + " p50");
        Gnuplot2dDataset l99(name + " p99");
        std::vector<uint64_t> drops; // per loss
        for (auto* d : {&dAtomic, &dMean, &l50, &l99})
        {
            d->SetStyle(Gnuplot2dDataset::LINES_POINTS);
        }
        for (double loss : lossList)
        {
            Result sum;
            for (uint32_t run = 1; run <= runs; ++run)
            {
                Result r = Run(isLp,
                               {hostsPerRack,
                                racks,
                                loss,
                                crash,
                                messages,
                                multicast,
                                datacenters,
                                smallWorld,
                                run,
                                pcap && run == 1 ? PcapName(prefix, name, loss) : ""});
                sum.delivery += r.delivery / runs;
                sum.atomic += r.atomic / runs;
                sum.p50 += r.p50 / runs;
                sum.p99 += r.p99 / runs;
                sum.bytesPerNodeSec += r.bytesPerNodeSec / runs;
                sum.drops += r.drops;
                std::cerr << name << " loss=" << loss << " run=" << run << " (" << std::fixed
                          << std::setprecision(1)
                          << std::chrono::duration<double>(std::chrono::steady_clock::now() - wall0)
                                 .count()
                          << " s)\n";
            }
            drops.push_back(sum.drops);
            csv.Row(name,
                    loss,
                    crash,
                    runs,
                    sum.delivery,
                    sum.atomic,
                    sum.p50,
                    sum.p99,
                    sum.bytesPerNodeSec);
            dAtomic.Add(loss, sum.atomic);
            dMean.Add(loss, sum.delivery);
            l50.Add(loss, sum.p50);
            l99.Add(loss, sum.p99);
            std::cout << std::setw(9) << name << std::fixed << std::setprecision(2) << std::setw(7)
                      << loss << std::setprecision(4) << std::setw(10) << sum.delivery
                      << std::setw(9) << sum.atomic << std::setprecision(3) << std::setw(9)
                      << sum.p50 << std::setw(9) << sum.p99 << std::setprecision(0) << std::setw(12)
                      << sum.bytesPerNodeSec << "\n";
        }
        std::ostringstream dropLine;
        dropLine << name << " queue drops (all runs):";
        for (size_t i = 0; i < lossList.size(); ++i)
        {
            dropLine << (i ? ", " : " ") << drops[i] << " at loss " << lossList[i];
        }
        dropsLines.push_back(dropLine.str());
        delivery.AddDataset(dAtomic);
        delivery.AddDataset(dMean);
        latency.AddDataset(l50);
        latency.AddDataset(l99);
    }
    for (const auto& line : dropsLines)
    {
        std::cout << line << "\n";
    }
    GossipPlotHelper::Write(prefix + "-delivery", delivery);
    GossipPlotHelper::Write(prefix + "-latency", latency);
    std::cout << "wrote " << prefix << ".csv, " << prefix << "-delivery.png, " << prefix
              << "-latency.png\n";
    return 0;
}
