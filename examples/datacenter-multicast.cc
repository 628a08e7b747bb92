/*
 * SPDX-License-Identifier: GPL-2.0-only
 *
 * datacenter-multicast: a leaf-spine fabric in which hosts send IP multicast datagrams over the
 * static multicast tree that DatacenterTopologyHelper installs. Every other host must receive
 * each datagram exactly once: the example counts copies per (sender, datagram, receiver) and
 * prints how many were missing and how many were duplicated.
 *
 *   datacenter-multicast --hostsPerRack=40 --racks=25 --senders=10 --datagrams=5
 *
 * Output: <prefix>.csv (copies received per host) and <prefix>.png (Gnuplot).
 */
#include "gossip-example-support.h"

#include "ns3/core-module.h"
#include "ns3/gossip-module.h"
#include "ns3/internet-module.h"
#include "ns3/network-module.h"

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
    std::string group = "225.0.0.1";
    std::string prefix = "datacenter-multicast";

    CommandLine cmd(__FILE__);
    cmd.Usage("Hosts of a leaf-spine datacenter multicast datagrams; every other host must get "
              "each exactly once.");
    cmd.AddValue("hostsPerRack", "hosts per rack (1..126)", hostsPerRack);
    cmd.AddValue("racks", "racks per pod (1..256)", racks);
    cmd.AddValue("pods", "pods (1..256); more than one adds a core layer", pods);
    cmd.AddValue("spines", "spines per pod (1..64)", spines);
    cmd.AddValue("senders", "how many hosts send (spread over the fabric)", senders);
    cmd.AddValue("datagrams", "datagrams per sender", datagrams);
    cmd.AddValue("group", "multicast group address", group);
    cmd.AddValue("prefix", "output file prefix (.csv, .plt, .png)", prefix);
    cmd.Parse(argc, argv);
    if (!GossipArgCheck::OutputPrefix(prefix))
    {
        return 1;
    }

    DatacenterTopologyHelper dc;
    dc.SetHostsPerRack(hostsPerRack);
    dc.SetRacksPerPod(racks);
    dc.SetPods(pods);
    dc.SetSpinesPerPod(spines);
    std::string err = dc.Validate();
    if (!err.empty())
    {
        std::cerr << "error: " << err << std::endl;
        return 1;
    }
    Ipv4Address groupAddr(group.c_str());
    if (!groupAddr.IsMulticast() || groupAddr.IsLocalMulticast())
    {
        std::cerr << "error: --group=" << group
                  << " is not a routable multicast address: allowed 224.0.1.0 .. 239.255.255.255"
                  << std::endl;
        return 1;
    }
    const uint32_t n = dc.GetNHosts();
    if (senders < 1 || senders > n)
    {
        std::cerr << "error: --senders=" << senders << " is invalid: allowed 1.." << n << std::endl;
        return 1;
    }
    dc.Install();
    dc.EnableMulticast(groupAddr);

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
            Simulator::Schedule(MicroSeconds(100 * (seq * senders + k)),
                                &Send,
                                s,
                                groupAddr,
                                i,
                                seq);
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
    plot.SetTitle("IP multicast on a leaf-spine fabric: datagrams received per host");
    plot.SetLegend("host index", "datagrams received");
    plot.AddDataset(data);
    bool png = GossipPlotHelper::Write(prefix, plot);

    std::cout << "fabric: " << n << " hosts (" << pods << " pod(s) x " << racks << " racks x "
              << hostsPerRack << " hosts, " << spines << " spines per pod)\n"
              << "multicast group " << groupAddr << ": " << senders << " senders x " << datagrams
              << " datagrams\n"
              << "expected deliveries: " << expected << "\n"
              << "missing:             " << missing << "\n"
              << "duplicates:          " << duplicates << "\n"
              << (missing == 0 && duplicates == 0
                      ? "OK: every host received each datagram exactly once\n"
                      : "FAIL: deliveries were not exactly once\n")
              << "wrote " << prefix << ".csv" << (png ? ", " + prefix + ".png" : "") << "\n";
    Simulator::Destroy();
    return (missing == 0 && duplicates == 0) ? 0 : 2;
}
