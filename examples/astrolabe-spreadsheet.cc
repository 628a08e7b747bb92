/*
 * SPDX-License-Identifier: GPL-2.0-only
 *
 * astrolabe-spreadsheet: the lecture's demo. Three regions (SF, NJ, Paris) of three hosts each;
 * every host owns one row (load, Weblogic?, SMTP?, Word version), replicates its region's rows,
 * and sees one summary row per region computed by an SQL AFC (average load, a Weblogic contact
 * and an SMTP contact). Halfway through, a new AFC is installed at one host ("dynamically
 * changing query") and its column appears everywhere. The tables are printed the way the
 * lecture draws them, as seen by one host. --pcap writes pcaps at three hosts.
 */
#include "gossip-example-support.h"

#include "ns3/astrolabe-path.h"
#include "ns3/core-module.h"
#include "ns3/gossip-fabric-address.h"
#include "ns3/network-module.h"

using namespace ns3;
using astrolabe::Value;

namespace
{
/// The zone path of the host in rack r (the region) at position h: kHosts[3 * r + h].
const std::vector<std::string> kHosts{"/sf/swift",
                                      "/sf/falcon",
                                      "/sf/cardinal",
                                      "/nj/gazelle",
                                      "/nj/zebra",
                                      "/nj/gnu",
                                      "/paris/louvre",
                                      "/paris/orsay",
                                      "/paris/rodin"};

} // namespace

int
main(int argc, char* argv[])
{
    double interval = 5;
    double duration = 120;
    std::string viewer = "/nj/zebra";
    bool pcap = false;
    std::string prefix = "astrolabe-spreadsheet";
    GossipOptions cmd(__FILE__,
                      "The lecture's Astrolabe spreadsheet: 3 regions x 3 hosts, a summary AFC, "
                      "and a new AFC installed at run time; prints the tables seen by one host. "
                      "Under a second.");
    cmd.Add("interval", "gossip interval in seconds", interval, 0.1, 3600.0);
    cmd.Add("duration", "simulated seconds", duration, 40.0, 100000.0);
    cmd.AddChoice("viewer", "host whose tables are printed", viewer, kHosts);
    cmd.Add("pcap", "write pcaps at three hosts (<prefix>-<node>-<device>.pcap)", pcap);
    cmd.AddPrefix(prefix);
    cmd.Parse(argc, argv);
    RngSeedManager::SetSeed(3);

    // One rack per region, three hosts per rack; the region and host names replace the
    // fabric's positions in the zone paths.
    DatacenterTopologyHelper dc;
    dc.SetHostsPerRack(3);
    dc.SetRacksPerPod(3);
    dc.SetSpinesPerPod(1);
    dc.Install();
    Ipv4Address group("239.255.0.7");
    dc.EnableMulticast(group, DatacenterTopologyHelper::RACK);
    if (pcap)
    {
        GossipEnablePcap(prefix, dc.GetHosts());
    }

    AstrolabeHelper astro;
    astro.SetAttribute("GossipInterval", TimeValue(Seconds(interval)));
    astro.SetAttribute("MulticastGroup", Ipv4AddressValue(group));
    astro.SetZoneFunction([](Ptr<Node>, Ipv4Address address) {
        gossip::FabricPosition p;
        gossip::FabricAddressPlan::Decode(address, p);
        return kHosts[3 * p.rack + p.host];
    });
    ApplicationContainer apps = astro.Install(dc.GetHosts());
    astro.AssignStreams(dc.GetHosts(), 10);

    // Each host's row; the monitored system: load does a random walk, sampled every round.
    Ptr<UniformRandomVariable> walk = CreateObject<UniformRandomVariable>();
    walk->SetStream(1);
    Ptr<AstrolabeAgent> view;
    std::vector<Ptr<AstrolabeAgent>> agents;
    for (uint32_t i = 0; i < apps.GetN(); ++i)
    {
        Ptr<AstrolabeAgent> a = DynamicCast<AstrolabeAgent>(apps.Get(i));
        agents.push_back(a);
        view = a->GetZonePath() == viewer ? a : view;
        bool wl = (i % 3) != 0;
        bool smtp = (i % 2) == 0;
        double load = 0.5 + (i % 5) * 0.8;
        astrolabe::AddressSet self{dc.GetHostAddress(i)};
        a->SetAttribute("Load", DoubleValue(load));
        a->SetMibAttribute("peak", Value(load));
        a->SetMibAttribute("weblogic", Value(wl));
        a->SetMibAttribute("smtp", Value(smtp));
        a->SetMibAttribute("word", Value(i % 4 == 0 ? 6.2 : 4.1));
        a->SetMibAttribute("wl", Value(wl ? self : astrolabe::AddressSet{}));
        a->SetMibAttribute("smtpc", Value(smtp ? self : astrolabe::AddressSet{}));
        a->SetSamplingCallback([walk](Ptr<AstrolabeAgent> me) {
            double l = me->GetMibAttribute("load").GetDouble() + walk->GetValue(-0.4, 0.4);
            l = std::min(5.0, std::max(0.1, l));
            me->SetAttribute("Load", DoubleValue(l));
            me->SetMibAttribute("peak", Value(l));
        });
    }
    apps.Start(Seconds(0));
    std::string err;
    bool ok = agents[0]->InstallAfc("summary",
                                    "SELECT AVG(load) AS load, OR(weblogic) AS weblogic, "
                                    "OR(smtp) AS smtp, MAX(word) AS word, FIRST(1, wl) AS wl, "
                                    "FIRST(1, smtpc) AS smtpc",
                                    err);
    NS_ABORT_MSG_IF(!ok, err);

    const std::string leaf = "/" + astrolabe::SplitPath(viewer)[0];
    auto print = [view, leaf]() {
        AstrolabePrintZoneTable(std::cout,
                                view,
                                leaf,
                                {{"load", "Load"},
                                 {"weblogic", "Weblogic?"},
                                 {"smtp", "SMTP?"},
                                 {"word", "Word Version"}});
        AstrolabePrintZoneTable(std::cout,
                                view,
                                "/",
                                {{"load", "Avg Load"},
                                 {"wl", "WL contact"},
                                 {"smtpc", "SMTP contact"},
                                 {"nmembers", "nmembers"},
                                 {"peak", "Peak"},
                                 {"contacts", "contacts (representatives)"}});
    };
    GossipSchedule(Seconds(duration / 2), print);
    // the lecture's "dynamically changing query": a new column appears system-wide
    GossipSchedule(Seconds(duration / 2 + 0.5), [agents]() {
        std::string e;
        agents[7]->InstallAfc("peak", "SELECT MAX(peak) AS peak", e);
        std::cout << "t=" << Simulator::Now().GetSeconds() << " s: " << agents[7]->GetZonePath()
                  << " installs AFC peak: SELECT MAX(peak) AS peak\n\n";
    });
    GossipSchedule(Seconds(duration) - NanoSeconds(1), print);

    // The root's AVG(load) as the viewer sees it, against the true average.
    GossipCsvWriter csv(prefix + ".csv", {"time_s", "true_avg_load", "astrolabe_avg_load"});
    Gnuplot2dDataset truth("true average load");
    Gnuplot2dDataset seen("root AVG(load) seen by " + viewer);
    truth.SetStyle(Gnuplot2dDataset::LINES);
    seen.SetStyle(Gnuplot2dDataset::LINES);
    for (double t = interval; t < duration; t += interval / 2)
    {
        GossipSchedule(Seconds(t), [&, t]() {
            double sum = 0;
            for (const auto& a : agents)
            {
                sum += a->GetMibAttribute("load").GetDouble();
            }
            double avg = sum / agents.size();
            Value v = view->GetAggregate("/", "load");
            csv.Row(t, avg, v.IsNumber() ? v.GetDouble() : -1.0);
            truth.Add(t, avg);
            if (v.IsNumber())
            {
                seen.Add(t, v.GetDouble());
            }
        });
    }
    Simulator::Stop(Seconds(duration));
    Simulator::Run();
    Simulator::Destroy();

    Gnuplot plot(prefix + ".png");
    std::ostringstream title;
    title << "Astrolabe spreadsheet: system-wide average load (gossip every " << interval << " s)";
    plot.SetTitle(title.str());
    plot.SetLegend("time (s)", "load");
    plot.AddDataset(truth);
    plot.AddDataset(seen);
    GossipPlotHelper::Write(prefix, plot);
    std::cerr << "wrote " << prefix << ".csv and " << prefix << ".plt" << std::endl;
    return 0;
}
