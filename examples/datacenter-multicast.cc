/*
 * SPDX-License-Identifier: GPL-2.0-only
 *
 * datacenter-multicast: a leaf-spine fabric in which hosts send IP multicast datagrams over the
 * static multicast tree that DatacenterTopologyHelper installs. Without loss every other host
 * receives each datagram exactly once: the example counts copies per (sender, datagram,
 * receiver) and prints how many were missing and how many were duplicated. With --loss (every
 * host link loses that fraction of frames) or a --burst that overflows the queues, datagrams go
 * missing and nobody notices: IP multicast has no acknowledgements (the lecture's starting point
 * for Bimodal Multicast). --pcap writes pcaps at three hosts for Wireshark.
 *
 *   datacenter-multicast --hostsPerRack=40 --racks=25 --senders=10 --datagrams=5
 *   datacenter-multicast --loss=0.01 --pcap
 *
 * Output: <prefix>.csv (copies received per host) and <prefix>.png (Gnuplot).
 */
#include "gossip-example-support.h"

#include "ns3/core-module.h"
#include "ns3/gossip-module.h"
#include "ns3/internet-module.h"
#include "ns3/network-module.h"

#include <algorithm>
#include <map>

using namespace ns3;

NS_LOG_COMPONENT_DEFINE("GossipDatacenterMulticastExample");

namespace
{
const uint16_t kPort = 9000;
std::map<std::tuple<uint32_t, uint32_t, uint32_t>, uint32_t> g_copies; // (rx, sender, seq)
std::vector<uint64_t> g_received;

void
Receive(Ptr<Socket> socket)
{
    Address from;
    while (Ptr<Packet> p = socket->RecvFrom(from))
    {
        uint32_t rx = socket->GetNode()->GetId();
        uint8_t buf[8];
        p->CopyData(buf, 8);
        uint32_t sender = buf[0] | buf[1] << 8 | buf[2] << 16 | uint32_t(buf[3]) << 24;
        uint32_t seq = buf[4] | buf[5] << 8 | buf[6] << 16 | uint32_t(buf[7]) << 24;
        g_copies[{rx, sender, seq}]++;
        g_received[rx]++;
    }
}

void
Send(Ptr<Socket> socket, Ipv4Address group, uint32_t sender, uint32_t seq)
{
    uint8_t buf[64] = {};
    for (int i = 0; i < 4; ++i)
    {
        buf[i] = (sender >> (8 * i)) & 0xff;
        buf[4 + i] = (seq >> (8 * i)) & 0xff;
    }
    socket->SendTo(Create<Packet>(buf, sizeof(buf)), 0, InetSocketAddress(group, kPort));
}
} // namespace

int
main(int argc, char* argv[])
{
    uint32_t hostsPerRack = 16;
    uint32_t racks = 8;
    uint32_t pods = 1;
    uint32_t spines = 4;
    uint32_t senders = 8;
    uint32_t datagrams = 5;
    double loss = 0;
    Time gap = MicroSeconds(100);
    Ipv4Address groupAddr("225.0.0.1");
    bool pcap = false;
    std::string prefix = "datacenter-multicast";

    GossipOptions cmd(__FILE__,
                      "Hosts of a leaf-spine datacenter multicast datagrams; without loss every "
                      "other host must get each exactly once. A few seconds.");
    cmd.Add("hostsPerRack", "hosts per rack", hostsPerRack, 1U, 126U);
    cmd.Add("racks", "racks per pod", racks, 1U, 256U);
    cmd.Add("pods", "pods; more than one adds a core layer", pods, 1U, 256U);
    cmd.Add("spines", "spines per pod", spines, 1U, 64U);
    cmd.Add("senders", "how many hosts send (spread over the fabric)", senders, 1U, 100000U);
    cmd.Add("datagrams", "datagrams per sender", datagrams, 1U, 100000U);
    cmd.Add("loss", "fraction of frames lost on every host link, each way", loss, 0.0, 0.9);
    cmd.Add("gap",
            "time between two datagrams of the whole group (0s: a burst)",
            gap,
            Seconds(0),
            Seconds(10));
    cmd.Add("group", "multicast group address", groupAddr, true);
    cmd.Add("pcap", "write pcaps at three hosts (<prefix>-<node>-<device>.pcap)", pcap);
    cmd.AddPrefix(prefix, "output file prefix (.csv, .plt, .png)");
    cmd.Parse(argc, argv);
    GossipOptions::Require(!groupAddr.IsLocalMulticast(),
                           "group",
                           groupAddr,
                           "a routable multicast address, 224.0.1.0 .. 239.255.255.255");

    DatacenterTopologyHelper dc;
    dc.SetHostsPerRack(hostsPerRack);
    dc.SetRacksPerPod(racks);
    dc.SetPods(pods);
    dc.SetSpinesPerPod(spines);
    dc.SetHostLinkErrorRate(loss);
    GossipRequireFabric(dc, 100000, pods > 1 ? "pods" : "racks", pods > 1 ? pods : racks, true);
    const uint32_t n = dc.GetNHosts();
    GossipOptions::Require(senders <= n, "senders", senders, "1.." + std::to_string(n));
    // every (receiver, sender, datagram) is counted in memory
    GossipOptions::Require(uint64_t(n) * senders * datagrams <= 20000000,
                           "datagrams",
                           datagrams,
                           "at most 20,000,000 deliveries in all (hosts x senders x datagrams)");
    dc.Install();
    dc.EnableMulticast(groupAddr);
    GossipNodeGroups nodes = GossipTopologyNodes(dc);
    Ptr<GossipDropCounter> drops = GossipCountDrops(nodes);
    if (pcap)
    {
        GossipEnablePcap(prefix, dc.GetHosts());
    }

    g_received.assign(NodeList::GetNNodes(), 0);
    for (uint32_t i = 0; i < n; ++i)
    {
        Ptr<Socket> s = Socket::CreateSocket(dc.GetHost(i), UdpSocketFactory::GetTypeId());
        s->Bind(InetSocketAddress(Ipv4Address::GetAny(), kPort));
        s->SetRecvCallback(MakeCallback(&Receive));
    }
    std::vector<uint32_t> senderIdx;
    for (uint32_t k = 0; k < senders; ++k)
    {
        uint32_t i = uint64_t(k) * n / senders;
        senderIdx.push_back(i);
        Ptr<Socket> s = Socket::CreateSocket(dc.GetHost(i), UdpSocketFactory::GetTypeId());
        s->Bind();
        for (uint32_t seq = 0; seq < datagrams; ++seq)
        {
            Simulator::Schedule(gap * (seq * senders + k), &Send, s, groupAddr, i, seq);
        }
    }
    Simulator::Run();

    uint64_t expected = 0;
    uint64_t missing = 0;
    uint64_t duplicates = 0;
    for (uint32_t r = 0; r < n; ++r)
    {
        uint32_t rxId = dc.GetHost(r)->GetId();
        for (uint32_t i : senderIdx)
        {
            if (i == r)
            {
                continue;
            }
            for (uint32_t seq = 0; seq < datagrams; ++seq)
            {
                ++expected;
                auto it = g_copies.find({rxId, i, seq});
                uint32_t c = it == g_copies.end() ? 0 : it->second;
                missing += c == 0;
                duplicates += c > 1 ? c - 1 : 0;
            }
        }
    }

    GossipCsvWriter csv(prefix + ".csv", {"host", "path", "address", "datagrams_received"});
    Gnuplot2dDataset data("datagrams received");
    data.SetStyle(Gnuplot2dDataset::IMPULSES);
    for (uint32_t r = 0; r < n; ++r)
    {
        uint64_t got = g_received[dc.GetHost(r)->GetId()];
        csv.Row(r, dc.GetHostPath(r), dc.GetHostAddress(r), got);
        data.Add(r, got);
    }
    Gnuplot plot(prefix + ".png");
    std::ostringstream title;
    title << "IP multicast on a leaf-spine fabric: datagrams received per host\\n"
          << n << " hosts, " << senders << " senders x " << datagrams
          << " datagrams, host link loss " << loss << ", gap " << GossipTimeText(gap);
    plot.SetTitle(title.str());
    plot.SetLegend("host index", "datagrams received");
    plot.AddDataset(data);
    bool png = GossipPlotHelper::Write(prefix, plot);

    const bool exact = missing == 0 && duplicates == 0;
    std::cout << "fabric: " << n << " hosts (" << pods << " pod(s) x " << racks << " racks x "
              << hostsPerRack << " hosts, " << spines << " spines per pod)\n"
              << "multicast group " << groupAddr << ": " << senders << " senders x " << datagrams
              << " datagrams\n"
              << "expected deliveries: " << expected << "\n"
              << "missing:             " << missing << "\n"
              << "duplicates:          " << duplicates << "\n";
    if (drops->GetTotal() > 0)
    {
        std::cout << GossipDropReport(*drops, nodes) << "\n"; // where the queues overflowed
    }
    if (loss > 0 || drops->GetTotal() > 0)
    {
        std::cout << "lost on links (loss " << loss << ") and dropped in queues ("
                  << drops->GetTotal() << " datagram copies): " << 100.0 * missing / expected
                  << "% of the deliveries never happened, and no sender knows\n";
    }
    else
    {
        std::cout << (exact ? "OK: every host received each datagram exactly once\n"
                            : "FAIL: deliveries were not exactly once\n");
    }
    std::cout << "wrote " << prefix << ".csv" << (png ? ", " + prefix + ".png" : "") << "\n";
    Simulator::Destroy();
    // Without loss, exactly-once delivery is the topology's promise: anything else is a bug.
    return (loss > 0 || drops->GetTotal() > 0 || exact) ? 0 : 2;
}
