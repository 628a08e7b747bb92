/*
 * SPDX-License-Identifier: GPL-2.0-only
 *
 * pbcast-datacenter: the flagship. Bimodal Multicast in a leaf-spine datacenter of about 1,000
 * hosts: one sender multicasts at a steady rate, host links drop packets, a few hosts crash,
 * and pbcast's gossip rounds repair the losses. Prints the delivery ratio, latency percentiles,
 * overhead and queue drops; writes per-message CSV, the bimodal histogram and the latency CDF
 * (PNG); --pcap writes pcaps at three hosts.
 *
 *   pbcast-datacenter --hostsPerRack=40 --racks=25 --rate=20 --duration=5 --loss=0.02
 *   pbcast-datacenter --duration=1 --racks=5 --pcap --prefix=pbcast    (pbcast-100-1.pcap: host
 * 100)
 */
#include "gossip-example-support.h"

#include "ns3/core-module.h"
#include "ns3/gossip-module.h"
#include "ns3/internet-module.h"
#include "ns3/network-module.h"

#include <iostream>

using namespace ns3;

NS_LOG_COMPONENT_DEFINE("PbcastDatacenterExample");

namespace
{
void
SendOne(Ptr<PbcastApplication> app, uint32_t size)
{
    app->Send(Create<Packet>(size));
}
} // namespace

int
main(int argc, char* argv[])
{
    uint32_t hostsPerRack = 40;
    uint32_t racks = 25;
    uint32_t spines = 4;
    double rate = 20;
    double duration = 5;
    uint32_t size = 256;
    double loss = 0.02;
    uint32_t crashed = 5;
    uint32_t fanout = 1;
    bool multicast = true;
    bool pcap = false;
    std::string prefix = "pbcast-datacenter";

    GossipOptions cmd(__FILE__,
                      "Bimodal Multicast in a leaf-spine datacenter: one sender, lossy host links, "
                      "a few crashed hosts. Prints delivery ratio, latency percentiles, overhead "
                      "and queue drops; writes <prefix>-messages.csv, -histogram.csv/.png, "
                      "-latency.csv/.png. The default run (1,000 hosts) takes about 20 s.");
    cmd.Add("hostsPerRack", "hosts per rack", hostsPerRack, 1U, 126U);
    cmd.Add("racks", "racks", racks, 1U, 256U);
    cmd.Add("spines", "spines", spines, 1U, 64U);
    cmd.Add("rate", "messages per second sent", rate, 0.1, 10000.0);
    cmd.Add("duration", "seconds of sending", duration, 0.1, 3600.0);
    cmd.Add("size", "payload bytes", size, 1U, 60000U);
    cmd.Add("loss", "packet error rate of every host link, each direction", loss, 0.0, 0.9);
    cmd.Add("crashed", "hosts that crash just after the sender starts", crashed, 0U, 32254U);
    cmd.Add("fanout", "gossip fanout", fanout, 1U, 1000U);
    cmd.Add("multicast", "phase 1 by IP multicast (false: 1:1 UDP unicast)", multicast);
    cmd.Add("pcap", "write pcaps at three hosts (<prefix>-<node>-<device>.pcap)", pcap);
    cmd.AddPrefix(prefix);
    cmd.Parse(argc, argv);

    const uint32_t n = hostsPerRack * racks;
    const auto count = static_cast<uint64_t>(rate * duration);
    GossipOptions::Require(n >= 2, "racks", racks, "at least 2 hosts in all");
    GossipOptions::Require(crashed + 1 < n, "crashed", crashed, "0..hosts-2");
    GossipOptions::Require(count <= 100000,
                           "duration",
                           duration,
                           "at most 100,000 messages in all (rate x duration)");
    DatacenterTopologyHelper dc;
    dc.SetHostsPerRack(hostsPerRack);
    dc.SetRacksPerPod(racks);
    dc.SetSpinesPerPod(spines);
    dc.SetHostLinkErrorRate(loss);
    GossipRequireFabric(dc, 32256, "racks", racks, true);
    dc.Install();
    Ipv4Address group("239.255.0.1");
    dc.EnableMulticast(group);
    GossipNodeGroups nodes = GossipTopologyNodes(dc);
    Ptr<GossipDropCounter> drops = GossipCountDrops(nodes);
    if (pcap)
    {
        GossipEnablePcap(prefix, dc.GetHosts());
    }
    int64_t stream = 1;
    stream += dc.AssignStreams(stream);

    PbcastHelper pbcast;
    pbcast.SetAttribute("Group", Ipv4AddressValue(group));
    pbcast.SetAttribute("Fanout", UintegerValue(fanout));
    pbcast.SetAttribute("UseMulticast", BooleanValue(multicast));
    ApplicationContainer apps = pbcast.Install(dc.GetHosts()); // seeds: 3 first hosts
    stream += pbcast.AssignStreams(dc.GetHosts(), stream);
    GossipDeliveryStats stats;
    stats.Attach(apps); // Broadcast, Deliver and Tx of every member

    // Members join from the seeds during the first second; then the sender starts.
    const Time start = Seconds(1);
    const Time stop = start + Seconds(duration);
    // Pending retransmissions can last Stale (20) rounds of 100 ms after the last send.
    const Time end = stop + Seconds(3);
    apps.Start(Seconds(0));
    apps.Stop(end);

    uint32_t senderIndex = n / 2;
    Ptr<PbcastApplication> sender = DynamicCast<PbcastApplication>(apps.Get(senderIndex));
    for (uint64_t i = 0; i < count; ++i)
    {
        Simulator::Schedule(start + Seconds(i / rate), &SendOne, sender, size);
    }
    // Crash a few hosts, spread over the fabric, shortly after the first message.
    Ptr<UniformRandomVariable> pick = CreateObject<UniformRandomVariable>();
    pick->SetStream(stream++);
    std::set<uint32_t> victims;
    while (victims.size() < crashed)
    {
        uint32_t v = pick->GetInteger(0, n - 1);
        if (v != senderIndex)
        {
            victims.insert(v);
        }
    }
    for (uint32_t v : victims)
    {
        Ptr<PbcastApplication> app = DynamicCast<PbcastApplication>(apps.Get(v));
        Simulator::Schedule(start + MilliSeconds(250), &PbcastApplication::Crash, app);
        stats.MarkCrashed(app->GetNode()->GetId());
    }
    stats.SetWindow(start, end);

    std::ostringstream setting;
    setting << n << " hosts (" << racks << " racks x " << hostsPerRack << "), " << count
            << " messages of " << size << " B at " << rate << "/s, host link loss " << loss << ", "
            << crashed << " crashed, fanout " << fanout << ", phase 1 by "
            << (multicast ? "IP multicast" : "1:1 UDP unicast");
    std::cout << "pbcast-datacenter: " << n << " hosts (" << racks << " racks x " << hostsPerRack
              << "), sender " << dc.GetHostPath(senderIndex) << ", " << count << " messages of "
              << size << " B at " << rate << "/s, host link loss " << loss << ", " << crashed
              << " crashed, fanout " << fanout << ", phase 1 by "
              << (multicast ? "IP multicast" : "1:1 UDP unicast") << "\n";
    ShowProgress progress(Seconds(1), std::cerr);
    Simulator::Stop(end);
    Simulator::Run();

    stats.PrintSummary(std::cout);
    uint64_t buffered = 0;
    uint64_t malformed = 0;
    for (uint32_t i = 0; i < apps.GetN(); ++i)
    {
        Ptr<PbcastApplication> app = DynamicCast<PbcastApplication>(apps.Get(i));
        buffered = std::max<uint64_t>(buffered, app->GetBufferedMessages());
        malformed += app->GetMalformed();
    }
    std::cout << "largest buffer at the end: " << buffered << " messages; malformed: " << malformed
              << "\n";
    std::cout << GossipDropReport(*drops, nodes) << "\n";
    WriteDeliveryResults(stats, prefix, "pbcast: " + setting.str());
    std::cout << "wrote " << prefix << "-messages.csv, " << prefix << "-histogram.csv/.png, "
              << prefix << "-latency.csv/.png\n";
    Simulator::Destroy();
    return 0;
}
