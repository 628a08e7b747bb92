/*
 * SPDX-License-Identifier: GPL-2.0-only
 *
 * astrolabe-wan: Astrolabe across three datacenters joined by 25 ms WAN links. Zone paths come
 * from host positions (/dcD/rackRR/hostHH): the root table has one row per datacenter, and only
 * each datacenter's elected representatives gossip across the WAN. Membership starts from a
 * rack multicast (which never crosses the WAN) and one seed per datacenter. Halfway through, a
 * whole datacenter goes dark; its row times out and nmembers follows everywhere.
 * Writes the convergence of nmembers and AVG(load), per-host message load, and WAN bytes.
 *
 *   mpiexec -np 4 astrolabe-wan --mpi --datacenters=4   (datacenters spread over the ranks;
 *                                                         doc: Distributed runs)
 */
#include "gossip-example-support.h"

#include "ns3/astrolabe-helper.h"
#include "ns3/core-module.h"
#include "ns3/gossip-ns3-compat.h"
#include "ns3/network-module.h"
#include "ns3/point-to-point-net-device.h"
#include "ns3/wan-topology-helper.h"

#include <iomanip>
#include <iostream>
#include <sstream>

using namespace ns3;
using astrolabe::Value;

namespace
{
uint64_t g_wanBytes = 0;

void
CountWan(Ptr<const Packet> p)
{
    g_wanBytes += p->GetSize();
}
} // namespace

int
main(int argc, char* argv[])
{
    uint32_t datacenters = 3;
    uint32_t hostsPerRack = 4;
    uint32_t racks = 3;
    double interval = 5;
    double duration = 400;
    double darkAt = 200;
    Time wanDelay = MilliSeconds(25);
    std::string prefix = "astrolabe-wan";
    bool pcap = false;
    bool mpi = false;
    bool nullMessage = false;
    GossipOptions cmd(__FILE__,
                      "Astrolabe over a WAN of datacenters: convergence, WAN traffic, and a whole "
                      "datacenter failing.");
    cmd.Add("datacenters", "number of datacenters (2..8)", datacenters, 2U, 8U);
    cmd.Add("hostsPerRack", "hosts per rack (1..64)", hostsPerRack, 1U, 64U);
    cmd.Add("racks", "racks per datacenter (1..32)", racks, 1U, 32U);
    cmd.Add("interval", "gossip interval (s)", interval, 0.1, 3600.0);
    cmd.Add("duration", "simulated seconds (>= 10 intervals)", duration, 1.0, 100000.0);
    cmd.Add("darkAt", "when the last datacenter fails (s; 0 = never)", darkAt, 0.0, 100000.0);
    cmd.Add("wanDelay", "one-way WAN link delay", wanDelay, Seconds(0), Seconds(1));
    cmd.Add("pcap", "write pcaps at three hosts (<prefix>-<node>-<device>.pcap)", pcap);
    cmd.AddPrefix(prefix, "output prefix");
    cmd.AddMpi(mpi, nullMessage);
    cmd.Parse(argc, argv);
    GossipOptions::StartMpi(&argc, &argv, mpi, nullMessage);
    std::ostringstream ten;
    ten << 10 * interval;
    GossipOptions::Require(duration >= 10 * interval,
                           "duration",
                           duration,
                           ">= 10 intervals (" + ten.str() + " s)");
    GossipOptions::Require(darkAt < duration, "darkAt", darkAt, "0 <= darkAt < duration");
    RngSeedManager::SetSeed(9);

    DatacenterTopologyHelper tmpl;
    tmpl.SetHostsPerRack(hostsPerRack);
    tmpl.SetRacksPerPod(racks);
    tmpl.SetSpinesPerPod(2);
    WanTopologyHelper wan;
    wan.SetDatacenters(datacenters);
    wan.SetDatacenterTemplate(tmpl);
    wan.SetWanLinkAttribute("Delay", TimeValue(wanDelay));
    wan.SetRanks(gossip::mpi::GetSize()); // under --mpi: datacenters over the ranks
    if (mpi)
    {
        GossipOptions::Require(wan.Validate().empty(), "mpi", "true", wan.Validate());
    }
    wan.Install();
    Ipv4Address group("239.255.0.11");
    wan.EnableMulticast(group, DatacenterTopologyHelper::RACK);
    if (pcap)
    {
        GossipEnablePcap(prefix, wan.GetHosts());
    }
    for (uint32_t i = 0; i < wan.GetWanDevices().GetN(); ++i)
    {
        wan.GetWanDevices().Get(i)->TraceConnectWithoutContext("PhyTxEnd", MakeCallback(&CountWan));
    }

    AstrolabeHelper astro;
    astro.SetAttribute("GossipInterval", TimeValue(Seconds(interval)));
    astro.SetAttribute("MulticastGroup", Ipv4AddressValue(group));
    astro.SetAttribute("MaxClockOffset", TimeValue(Seconds(3600))); // no clock sync across DCs
    ApplicationContainer apps = astro.Install(wan.GetHosts());      // seeds: a host per datacenter
    astro.AssignStreams(wan.GetHosts(), 100);
    // Agents by host index; under --mpi only this rank's hosts have one here.
    const uint32_t n = wan.GetNHosts();
    double sumLoad = 0;
    for (uint32_t i = 0; i < n; ++i)
    {
        double dcIndex = wan.GetHostDatacenter(i);
        double load = dcIndex * dcIndex + 0.1 * (i % hostsPerRack); // no datacenter is average
        if (Ptr<AstrolabeAgent> a = AstrolabeHelper::GetAgent(wan.GetHosts().Get(i)))
        {
            a->SetAttribute("Load", DoubleValue(load));
        }
        sumLoad += load;
    }
    apps.Start(Seconds(0));
    std::string err;
    if (Ptr<AstrolabeAgent> first = AstrolabeHelper::GetAgent(wan.GetHosts().Get(0)))
    {
        first->InstallAfc("load", "SELECT AVG(load) AS load, MAX(load) AS maxload", err);
    }

    AstrolabeStatsHelper stats;
    stats.Attach(wan.GetHosts());
    stats.TrackAggregate("/", "nmembers");
    stats.TrackAggregate("/", "load");

    const uint32_t dark = datacenters - 1;
    uint32_t darkHosts = 0;
    if (darkAt > 0)
    {
        for (uint32_t i = 0; i < n; ++i)
        {
            if (wan.GetHostDatacenter(i) == dark)
            {
                if (Ptr<AstrolabeAgent> a = AstrolabeHelper::GetAgent(wan.GetHosts().Get(i)))
                {
                    a->SetStopTime(Seconds(darkAt));
                }
                ++darkHosts;
            }
        }
    }
    for (double t = 50; t < duration; t += 50)
    {
        GossipSchedule(Seconds(t), [t]() { std::cerr << "  t=" << t << " s" << std::endl; });
    }
    uint64_t wanAtDark = 0;
    GossipSchedule(Seconds(darkAt > 0 ? darkAt : duration - 1),
                   [&wanAtDark]() { wanAtDark = g_wanBytes; });
    Simulator::Stop(Seconds(duration));
    Simulator::Run();
    // Under --mpi: every rank's agents and WAN links, at every rank (rank 0 prints).
    stats.Merge();
    std::vector<uint64_t> wan64{wanAtDark};
    gossip::mpi::Sum(wan64);
    wanAtDark = wan64[0];
    const Time failTimeout = DynamicCast<AstrolabeAgent>(apps.Get(0))->GetFailTimeout();

    const double trueAvg = sumLoad / n;
    auto allBy = [&](const std::string& attr,
                     std::function<bool(const Value&)> pred,
                     double after,
                     bool skipDark) {
        auto times = stats.FirstSatisfied("/", attr, pred, Seconds(after));
        double worst = 0;
        for (uint32_t i = 0; i < n; ++i)
        {
            if (skipDark && wan.GetHostDatacenter(i) == dark)
            {
                continue;
            }
            if (times[i].IsNegative())
            {
                return -1.0;
            }
            worst = std::max(worst, times[i].GetSeconds() - after);
        }
        return worst;
    };
    double tN = allBy(
        "nmembers",
        [n](const Value& v) { return v.GetInt() == n; },
        0,
        false);
    double tAvg = allBy(
        "load",
        [trueAvg](const Value& v) {
            return v.IsNumber() && std::fabs(v.GetDouble() - trueAvg) < 1e-6;
        },
        0,
        false);
    std::cout << datacenters << " datacenters x " << racks << " racks x " << hostsPerRack
              << " hosts = " << n << " agents, WAN delay " << GossipTimeText(wanDelay)
              << ", interval " << interval << " s\n";
    std::cout << std::fixed << std::setprecision(1) << "nmembers = " << n << " at every host after "
              << tN << " s; AVG(load) = " << std::setprecision(4) << trueAvg << " everywhere after "
              << std::setprecision(1) << tAvg << " s\n";
    if (darkAt > 0)
    {
        uint32_t left = n - darkHosts;
        double tDark = allBy(
            "nmembers",
            [left](const Value& v) { return v.GetInt() == left; },
            darkAt,
            true);
        std::cout << "dc" << dark << " (" << darkHosts << " hosts) fails at " << darkAt
                  << " s: nmembers = " << left << " at every surviving host after " << tDark
                  << " s (T_fail " << failTimeout.GetSeconds() << " s)\n";
    }
    double span = darkAt > 0 ? darkAt : duration;
    std::cout << std::setprecision(2)
              << "Astrolabe: " << static_cast<double>(stats.GetTotalTxBytes()) / n / duration
              << " bytes per host per second; WAN links carried "
              << static_cast<double>(wanAtDark) / span << " bytes/s before the failure\n";
    WriteAstrolabeLoadCsv(stats, prefix + "-load.csv", Seconds(duration));
    WriteAstrolabeConvergenceCsv(stats,
                                 prefix + "-nmembers.csv",
                                 "/",
                                 "nmembers",
                                 n,
                                 0.5,
                                 Seconds(0),
                                 Seconds(std::min(duration, darkAt > 0 ? darkAt : duration)),
                                 Seconds(1));
    WriteAstrolabeConvergenceCsv(stats,
                                 prefix + "-avgload.csv",
                                 "/",
                                 "load",
                                 trueAvg,
                                 1e-6,
                                 Seconds(0),
                                 Seconds(darkAt > 0 ? darkAt : duration),
                                 Seconds(1));
    Gnuplot2dDataset nm("hosts with nmembers = " + std::to_string(n));
    Gnuplot2dDataset av("hosts with the true AVG(load)");
    nm.SetStyle(Gnuplot2dDataset::LINES);
    av.SetStyle(Gnuplot2dDataset::LINES);
    for (double t = 0; t <= (darkAt > 0 ? darkAt : duration); t += 1)
    {
        uint32_t okN = 0;
        uint32_t okA = 0;
        auto vn = stats.ValuesAt("/", "nmembers", Seconds(t));
        auto va = stats.ValuesAt("/", "load", Seconds(t));
        for (uint32_t i = 0; i < n; ++i)
        {
            okN += vn[i].GetInt() == n ? 1 : 0;
            okA += va[i].IsNumber() && std::fabs(va[i].GetDouble() - trueAvg) < 1e-6 ? 1 : 0;
        }
        nm.Add(t, okN);
        av.Add(t, okA);
    }
    Simulator::Destroy();
    Gnuplot plot(prefix + ".png");
    plot.SetTitle("Astrolabe across " + std::to_string(datacenters) + " datacenters");
    plot.SetLegend("time (s)", "hosts");
    plot.AddDataset(nm);
    plot.AddDataset(av);
    GossipPlotHelper::Write(prefix, plot);
    gossip::mpi::Disable();
    return 0;
}
