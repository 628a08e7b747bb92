/*
 * SPDX-License-Identifier: GPL-2.0-only
 *
 * gossip-top-c: finding the c most and least loaded hosts by gossip ("gossip works well for
 * finding the c most loaded or least loaded nodes"). Each round every host pushes its two
 * bounded lists to one random host; the example prints, per round, how many hosts already know
 * the exact answer, and the round at which all of them do.
 *
 *   gossip-top-c --hosts=1000 --c=3
 *
 * Output: stdout (deterministic), <prefix>.csv and <prefix>.png.
 */
#include "gossip-example-support.h"

#include "ns3/core-module.h"
#include "ns3/gossip-module.h"
#include "ns3/internet-module.h"
#include "ns3/network-module.h"

#include <cmath>

using namespace ns3;

NS_LOG_COMPONENT_DEFINE("AggregationTopCExample");

namespace
{
/// The bytes of one round's push: both lists full (c entries each).
uint32_t
MessageSize(uint32_t c)
{
    AggregationHeader h;
    h.SetType(AggregationHeader::TOP_C);
    h.largest.resize(c);
    h.smallest.resize(c);
    return h.GetSerializedSize();
}
} // namespace

int
main(int argc, char* argv[])
{
    uint32_t hosts = 1000;
    uint32_t c = 3;
    uint32_t fanout = 1;
    uint32_t rounds = 60;
    double loss = 0;
    Time interval = Seconds(5);
    bool pcap = false;
    std::string prefix = "gossip-top-c";

    GossipOptions cmd(__FILE__,
                      "Gossip top-c: every host learns the c most and least loaded hosts. The "
                      "default run (1,000 hosts, 60 rounds) takes about 5 s.");
    cmd.Add("hosts", "hosts, in racks of 40", hosts, 4U, 100000U);
    cmd.Add("c", "how many most/least loaded hosts", c, 1U, 255U);
    cmd.Add("fanout", "targets per round", fanout, 1U, 64U);
    cmd.Add("rounds", "rounds", rounds, 1U, 1000U);
    cmd.Add("loss", "packet error rate on host links", loss, 0.0, 0.5);
    cmd.Add("interval", "round length", interval, MicroSeconds(10), Hours(1));
    cmd.Add("pcap", "write pcaps at three hosts (<prefix>-<node>-<device>.pcap)", pcap);
    cmd.AddPrefix(prefix);
    cmd.Parse(argc, argv);

    uint32_t h;
    uint32_t racks;
    uint32_t pods;
    GossipFabricShape(hosts, h, racks, pods); // racks of 40, pods of 50 racks
    DatacenterTopologyHelper dc;
    dc.SetHostsPerRack(h);
    dc.SetRacksPerPod(racks);
    dc.SetPods(pods);
    dc.SetHostLinkErrorRate(loss);
    GossipRequireFabric(dc, 102400, "hosts", hosts);
    dc.Install();
    if (pcap)
    {
        GossipEnablePcap(prefix, dc.GetHosts());
    }
    dc.AssignStreams(10);
    const uint32_t n = dc.GetNHosts();
    if (n != hosts)
    {
        std::cerr << "note: --hosts=" << hosts << " rounded up to " << n
                  << " (whole racks of 40, pods of 50 racks)" << std::endl;
    }

    Ptr<UniformRandomVariable> rng = CreateObject<UniformRandomVariable>();
    rng->SetStream(20);
    std::vector<double> loads(n);
    std::vector<aggregation::TopCEntry> top;
    std::vector<aggregation::TopCEntry> bottom;
    for (uint32_t i = 0; i < n; ++i)
    {
        loads[i] = std::round(rng->GetValue(0, 100) * 100) / 100;
        aggregation::TopCMerge::Merge(top, {{loads[i], i}}, c, true);
        aggregation::TopCMerge::Merge(bottom, {{loads[i], i}}, c, false);
    }
    TopCHelper tc;
    tc.SetValues(loads);
    tc.SetAttribute("C", UintegerValue(c));
    tc.SetAttribute("Fanout", UintegerValue(fanout));
    tc.SetAttribute("RoundInterval", TimeValue(interval));
    tc.SetAttribute("Rounds", UintegerValue(rounds));
    ApplicationContainer apps = tc.Install(dc.GetHosts());
    tc.AssignStreams(dc.GetHosts(), 30);
    AggregationStats stats;
    stats.Attach(apps);

    GossipCsvWriter csv(prefix + ".csv", {"round", "hosts_exact", "messages"});
    Gnuplot2dDataset data("hosts that know the exact top-" + std::to_string(c) + " and bottom-" +
                          std::to_string(c));
    data.SetStyle(Gnuplot2dDataset::LINES_POINTS);
    uint32_t allRound = UINT32_MAX;
    for (uint32_t r = 1; r <= rounds; ++r)
    {
        // sample just before the start of round r: r rounds of pushes have been delivered
        GossipSchedule(interval * r - NanoSeconds(1), [&, r]() {
            uint32_t exact = 0;
            for (uint32_t i = 0; i < n; ++i)
            {
                auto app = DynamicCast<TopCApplication>(apps.Get(i));
                exact += app->GetLargest() == top && app->GetSmallest() == bottom;
            }
            csv.Row(r, exact, stats.GetTotal());
            data.Add(r, exact);
            if (exact == n && allRound == UINT32_MAX)
            {
                allRound = r;
                std::cout << "round " << r << ": all " << n << " hosts know the answer ("
                          << stats.GetTotal() << " messages, " << double(stats.GetTotal()) / n
                          << " per host)\n";
            }
        });
    }
    std::cout << "gossip-top-c: " << n << " hosts, c=" << c << ", fanout " << fanout << ", loss "
              << loss << "\nmost loaded:";
    for (const auto& e : top)
    {
        std::cout << " " << dc.GetHostPath(e.node) << "=" << e.value;
    }
    std::cout << "\nleast loaded:";
    for (const auto& e : bottom)
    {
        std::cout << " " << dc.GetHostPath(e.node) << "=" << e.value;
    }
    std::cout << "\n";
    Simulator::Stop(interval * rounds);
    Simulator::Run();
    std::cout << (allRound == UINT32_MAX
                      ? "not every host knew the answer after " + std::to_string(rounds) + " rounds"
                      : "every host knew the answer after " + std::to_string(allRound) +
                            " rounds (log2 N = " + std::to_string(std::log2(n)) + ")")
              << "\nmessage size: " << MessageSize(c) << " bytes of payload\n";
    Gnuplot plot(prefix + ".png");
    std::ostringstream title;
    title << "Gossip top-c: hosts that know the answer (" << n << " hosts, c=" << c << ", fanout "
          << fanout << ", loss " << loss << ")";
    plot.SetTitle(title.str());
    plot.SetLegend("round", "hosts");
    plot.AddDataset(data);
    GossipPlotHelper::Write(prefix, plot);
    Simulator::Destroy();
    return 0;
}
