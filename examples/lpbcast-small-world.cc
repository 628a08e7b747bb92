/*
 * SPDX-License-Identifier: GPL-2.0-only
 *
 * lpbcast-small-world: the lecture's lpbcast variation (gossip only with near peers, by
 * measured RTT, plus a few Kleinberg long-range peers) against lpbcast's uniform-random partial
 * views, on a WAN of several datacenters: latency until 99% of the processes delivered an
 * event, WAN bytes, and the overlay's degree, clustering coefficient and diameter.
 *
 *   build/examples/lpbcast-small-world
 *   build/examples/lpbcast-small-world --datacenters=4 --exponent=1 --metric=Rtt
 *
 * Writes lpbcast-small-world.csv (one row per mode and event) and lpbcast-small-world.png
 * (latency CDF of the time to reach 99%).
 */
#include "gossip-example-support.h"

#include "ns3/core-module.h"
#include "ns3/gossip-module.h"
#include "ns3/network-module.h"

#include <algorithm>
#include <chrono>
#include <cmath>
#include <iomanip>
#include <iostream>
#include <sstream>

using namespace ns3;

namespace
{
struct Mode
{
    std::string name;
    bool smallWorld;
    double exponent;
};

struct Outcome
{
    std::vector<double> latency99; //!< seconds per event, -1 if 99% never reached
    double delivery{0};
    uint64_t wanBytes{0};       //!< bytes on WAN links during the measurement window
    uint64_t wanGossipBytes{0}; //!< lpbcast datagrams (UDP payload) sent across datacenters
    uint64_t wanProbeBytes{0};
    uint64_t drops{0}; //!< datagrams dropped in queues
    lpbcast::OverlayMetrics overlay;
};

Outcome
Run(const Mode& mode,
    uint32_t k,
    uint32_t racks,
    uint32_t hostsPerRack,
    const std::string& metric,
    uint32_t events,
    double wanLoss,
    uint32_t run,
    const std::string& pcap)
{
    RngSeedManager::SetRun(run);
    const Time period = MilliSeconds(100);
    const Time warmup = Seconds(5);
    const Time spacing = Seconds(1);
    DatacenterTopologyHelper tmpl;
    tmpl.SetHostsPerRack(hostsPerRack);
    tmpl.SetRacksPerPod(racks);
    tmpl.SetSpinesPerPod(2);
    WanTopologyHelper wan;
    wan.SetDatacenters(k);
    wan.SetDatacenterTemplate(tmpl);
    wan.SetWanLinkAttribute("Delay", StringValue("25ms"));
    wan.SetWanErrorRate(wanLoss);
    wan.Install();
    GossipNodeGroups nodes = GossipTopologyNodes(wan);
    Ptr<GossipDropCounter> drops = GossipCountDrops(nodes);
    if (!pcap.empty())
    {
        GossipEnablePcap(pcap, wan.GetHosts());
    }
    int64_t stream = 1000;
    stream += wan.AssignStreams(stream);

    LpbcastHelper lp;
    lp.SetAttribute("Period", TimeValue(period));
    lp.SetAttribute("Fanout", UintegerValue(3));
    lp.SetAttribute("ViewSize", UintegerValue(15));
    if (mode.smallWorld)
    {
        lp.SetAttribute("ViewMode", StringValue("SmallWorld"));
        lp.SetAttribute("NearPeers", UintegerValue(3));
        lp.SetAttribute("LongRangePeers", UintegerValue(2));
        lp.SetAttribute("Exponent", DoubleValue(mode.exponent));
        lp.SetAttribute("DistanceMetric", StringValue(metric));
    }
    ApplicationContainer apps = lp.Install(wan.GetHosts());
    stream += lp.AssignStreams(wan.GetHosts(), stream);
    GossipDeliveryStats stats;
    stats.Attach(apps);
    LpbcastStats counters;
    counters.Attach(apps);
    apps.Start(Seconds(0));

    auto out = std::make_shared<Outcome>();
    std::map<uint32_t, uint32_t> dcOf;
    for (uint32_t i = 0; i < apps.GetN(); ++i)
    {
        dcOf[wan.GetHostAddress(i).Get()] = wan.GetHostDatacenter(i);
    }
    // Bytes that cross datacenters, by message type, from the applications' Tx traces.
    auto measuring = std::make_shared<bool>(false);
    for (uint32_t i = 0; i < apps.GetN(); ++i)
    {
        const uint32_t myDc = wan.GetHostDatacenter(i);
        apps.Get(i)->TraceConnectWithoutContext(
            "Tx",
            GossipCallback<Ptr<const Packet>, Ipv4Address>(
                [out, measuring, myDc, dcOf](Ptr<const Packet> p, Ipv4Address to) {
                    auto it = dcOf.find(to.Get());
                    if (!*measuring || it == dcOf.end() || it->second == myDc)
                    {
                        return;
                    }
                    LpbcastHeader h;
                    p->PeekHeader(h);
                    if (h.GetType() == LpbcastHeader::PROBE ||
                        h.GetType() == LpbcastHeader::PROBE_REPLY)
                    {
                        out->wanProbeBytes += p->GetSize();
                    }
                    else
                    {
                        out->wanGossipBytes += p->GetSize();
                    }
                }));
    }
    for (uint32_t d = 0; d < wan.GetWanDevices().GetN(); ++d)
    {
        wan.GetWanDevices().Get(d)->TraceConnectWithoutContext(
            "MacTx",
            GossipCallback<Ptr<const Packet>>([out, measuring](Ptr<const Packet> p) {
                if (*measuring)
                {
                    out->wanBytes += p->GetSize();
                }
            }));
    }
    Ptr<UniformRandomVariable> u = CreateObject<UniformRandomVariable>();
    u->SetStream(stream++);
    std::vector<std::pair<uint32_t, Time>> sent;
    GossipSchedule(warmup - MilliSeconds(1), [measuring, out, &apps]() {
        *measuring = true;
        out->overlay = LpbcastHelper::AnalyzeOverlay(apps);
    });
    for (uint32_t e = 0; e < events; ++e)
    {
        uint32_t origin = u->GetInteger(0, apps.GetN() - 1);
        Time t = warmup + spacing * e;
        Ptr<LpbcastApplication> app = DynamicCast<LpbcastApplication>(apps.Get(origin));
        GossipSchedule(t, [app]() { app->Broadcast(); });
        sent.push_back({origin, t});
    }
    Simulator::Stop(warmup + spacing * (events + 3));
    Simulator::Run();

    const uint32_t need = std::ceil(0.99 * apps.GetN());
    std::map<uint32_t, uint32_t> seqOf;
    for (const auto& s : sent)
    {
        uint32_t origin = DynamicCast<LpbcastApplication>(apps.Get(s.first))->GetSelf();
        uint32_t seq = ++seqOf[origin];
        std::vector<Time> times = counters.GetDeliveryTimes({origin, seq});
        std::sort(times.begin(), times.end());
        out->latency99.push_back(times.size() >= need ? (times[need - 1] - s.second).GetSeconds()
                                                      : -1.0);
    }
    out->delivery = stats.GetMeanDeliveryFraction();
    out->drops = drops->GetTotal();
    Outcome result = *out;
    Simulator::Destroy();
    return result;
}
} // namespace

int
main(int argc, char* argv[])
{
    uint32_t datacenters = 3;
    uint32_t racks = 2;
    uint32_t hostsPerRack = 10;
    uint32_t events = 20;
    double exponent = 2.0;
    std::string metric = "Fabric";
    double wanLoss = 0.0;
    uint32_t run = 1;
    bool pcap = false;
    std::string prefix = "lpbcast-small-world";
    GossipOptions cmd(__FILE__,
                      "lpbcast with uniform-random partial views vs the small-world overlay (near "
                      "peers by measured RTT + Kleinberg long-range peers) on a WAN of "
                      "datacenters: latency to reach 99% of the processes, WAN bytes, overlay "
                      "degree/clustering/diameter and queue drops.\n"
                      "Default: 3 datacenters x 2 racks x 10 hosts, 25 ms WAN links, F=3, "
                      "T=100 ms, 20 events (about 15 s).");
    cmd.Add("datacenters", "number of datacenters", datacenters, 2U, 20U);
    cmd.Add("racks", "racks per datacenter", racks, 1U, 50U);
    cmd.Add("hostsPerRack", "hosts per rack", hostsPerRack, 2U, 100U);
    cmd.Add("events", "events broadcast (one per second)", events, 1U, 1000U);
    cmd.Add("exponent", "r of the long-range draw P ~ d^-r", exponent, 0.0, 20.0);
    cmd.AddChoice("metric",
                  "long-range distance: Fabric (hierarchy hops) or Rtt (measured)",
                  metric,
                  {"Fabric", "Rtt"});
    cmd.Add("wanLoss", "packet error rate on WAN links", wanLoss, 0.0, 0.99);
    cmd.Add("run", "RngRun", run, 1U, 1000000U);
    cmd.Add("pcap",
            "write pcaps at three hosts in each mode's run (<prefix>-<mode>-<node>-<device>.pcap)",
            pcap);
    cmd.AddPrefix(prefix);
    cmd.Parse(argc, argv);
    GossipOptions::Require(uint64_t(datacenters) * racks * hostsPerRack <= 10000,
                           "racks",
                           racks,
                           "at most 10,000 hosts in all (datacenters x racks x hostsPerRack)");

    std::vector<Mode> modes{
        {"random-view", false, 0.0},
        {"small-world-r" + std::to_string(exponent).substr(0, 3), true, exponent},
        {"small-world-r0", true, 0.0}};
    GossipCsvWriter csv(prefix + ".csv", {"mode", "event", "latency99_s"});
    GossipCsvWriter summary(prefix + "-summary.csv",
                            {"mode",
                             "delivery",
                             "events_reaching_99",
                             "mean_latency99_s",
                             "wan_link_bytes",
                             "wan_gossip_bytes",
                             "wan_probe_bytes",
                             "mean_degree",
                             "clustering",
                             "diameter",
                             "components"});
    Gnuplot plot(prefix + ".png");
    plot.SetTitle("lpbcast on " + std::to_string(datacenters) +
                  " datacenters: time until 99% delivered (CDF over events)");
    plot.SetLegend("seconds", "fraction of events");
    plot.AppendExtra("set key bottom right");
    std::cout << "lpbcast small world: " << datacenters << " DCs x " << racks * hostsPerRack
              << " hosts, metric=" << metric << "\n"
              << std::setw(18) << "mode" << std::setw(9) << "deliv" << std::setw(8) << "99%ok"
              << std::setw(10) << "lat99_s" << std::setw(12) << "wan_bytes" << std::setw(12)
              << "wan_gossip" << std::setw(11) << "wan_probe" << std::setw(7) << "deg"
              << std::setw(7) << "clust" << std::setw(6) << "diam"
              << "\n";
    const auto wall0 = std::chrono::steady_clock::now();
    std::ostringstream dropsLine;
    for (const auto& m : modes)
    {
        Outcome o = Run(m,
                        datacenters,
                        racks,
                        hostsPerRack,
                        metric,
                        events,
                        wanLoss,
                        run,
                        pcap ? prefix + "-" + m.name : "");
        dropsLine << (dropsLine.tellp() ? ", " : "queue drops: ") << m.name << " " << o.drops;
        std::cerr << m.name << " done ("
                  << std::chrono::duration<double>(std::chrono::steady_clock::now() - wall0).count()
                  << " s)\n";
        std::vector<double> ok;
        for (uint32_t e = 0; e < o.latency99.size(); ++e)
        {
            csv.Row(m.name, e, o.latency99[e]);
            if (o.latency99[e] >= 0)
            {
                ok.push_back(o.latency99[e]);
            }
        }
        std::sort(ok.begin(), ok.end());
        double mean = 0;
        for (double x : ok)
        {
            mean += x / ok.size();
        }
        Gnuplot2dDataset cdf(m.name);
        cdf.SetStyle(Gnuplot2dDataset::LINES_POINTS);
        for (uint32_t i = 0; i < ok.size(); ++i)
        {
            cdf.Add(ok[i], double(i + 1) / o.latency99.size());
        }
        plot.AddDataset(cdf);
        summary.Row(m.name,
                    o.delivery,
                    ok.size(),
                    mean,
                    o.wanBytes,
                    o.wanGossipBytes,
                    o.wanProbeBytes,
                    o.overlay.meanDegree,
                    o.overlay.clustering,
                    o.overlay.diameter,
                    o.overlay.components);
        std::cout << std::setw(18) << m.name << std::fixed << std::setprecision(4) << std::setw(9)
                  << o.delivery << std::setw(5) << ok.size() << "/" << std::setw(2)
                  << o.latency99.size() << std::setprecision(3) << std::setw(10) << mean
                  << std::setw(12) << o.wanBytes << std::setw(12) << o.wanGossipBytes
                  << std::setw(11) << o.wanProbeBytes << std::setprecision(2) << std::setw(7)
                  << o.overlay.meanDegree << std::setw(7) << o.overlay.clustering << std::setw(6)
                  << o.overlay.diameter << "\n";
    }
    std::cout << dropsLine.str() << "\n";
    GossipPlotHelper::Write(prefix, plot);
    std::cout << "wrote " << prefix << ".csv, " << prefix << "-summary.csv, " << prefix << ".png\n";
    return 0;
}
