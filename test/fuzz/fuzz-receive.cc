/*
 * SPDX-License-Identifier: GPL-2.0-only
 *
 * libFuzzer target: the receive path of every Application of the module, inside one small
 * simulation that lives across inputs (so state built by earlier datagrams is exercised too).
 * A datacenter of 2 racks x 2 hosts runs pbcast, the reliable-multicast baseline, lpbcast,
 * Astrolabe, the flooding tree, push-sum and top-c on every host, each on its own port. The first
 * byte of an input picks the protocol, the rest is one UDP datagram sent by host 0 to host 3's
 * port through the real stack; the simulation then runs for 2 ms (and every 256 inputs for one
 * gossip round, so timers fire with whatever the datagrams left behind).
 */
#include "ns3/aggregation-helper.h"
#include "ns3/astrolabe-helper.h"
#include "ns3/core-module.h"
#include "ns3/datacenter-topology-helper.h"
#include "ns3/inet-socket-address.h"
#include "ns3/internet-module.h"
#include "ns3/lpbcast-helper.h"
#include "ns3/pbcast-helper.h"
#include "ns3/udp-socket-factory.h"

#include <cstdint>
#include <vector>

using namespace ns3;

namespace
{
struct World
{
    DatacenterTopologyHelper dc;
    Ptr<Socket> injector;
    std::vector<uint16_t> ports;
    uint64_t inputs{0};
};

void
Inject(Ptr<Socket> s, Ptr<Packet> p, Address to)
{
    s->SendTo(p, 0, to);
}

World*
Build()
{
    auto* w = new World;
    w->dc.SetHostsPerRack(2);
    w->dc.SetRacksPerPod(2);
    w->dc.SetSpinesPerPod(1);
    w->dc.Install();
    w->dc.EnableMulticast(Ipv4Address("225.0.0.1"));
    w->dc.EnableMulticast(Ipv4Address("239.255.0.1")); // pbcast's default group
    NodeContainer hosts = w->dc.GetHosts();

    PbcastHelper pbcast;
    pbcast.SetAttribute("Port", UintegerValue(7946));
    pbcast.Install(hosts).Start(Seconds(0));
    PbcastRmcastHelper rmcast;
    rmcast.SetAttribute("Port", UintegerValue(7947));
    rmcast.SetSender(hosts.Get(0));
    rmcast.Install(hosts).Start(Seconds(0));
    LpbcastHelper lpbcast;
    lpbcast.SetAttribute("Port", UintegerValue(7150));
    lpbcast.Install(hosts).Start(Seconds(0));
    AstrolabeHelper astrolabe;
    astrolabe.SetAttribute("Port", UintegerValue(5405));
    astrolabe.Install(hosts).Start(Seconds(0));
    FloodTreeHelper tree;
    tree.SetAttribute("Port", UintegerValue(9100));
    tree.SetOverlay(AggregationHelper::BuildOverlay(hosts.GetN(), 2, 1, 1));
    tree.Install(hosts).Start(Seconds(0));
    PushSumHelper pushSum;
    pushSum.SetAttribute("Port", UintegerValue(9200));
    pushSum.Install(hosts).Start(Seconds(0));
    TopCHelper topC;
    topC.SetAttribute("Port", UintegerValue(9300));
    topC.Install(hosts).Start(Seconds(0));
    w->ports = {7946, 7947, 7150, 5405, 9100, 9200, 9300};

    w->injector = Socket::CreateSocket(hosts.Get(0), UdpSocketFactory::GetTypeId());
    w->injector->Bind();
    Simulator::Stop(Seconds(1)); // let the protocols start and exchange a round or two
    Simulator::Run();
    return w;
}
} // namespace

extern "C" int
LLVMFuzzerTestOneInput(const uint8_t* data, size_t size)
{
    static World* world = Build();
    if (size < 1 || size > 9000)
    {
        return 0;
    }
    uint16_t port = world->ports[data[0] % world->ports.size()];
    Ptr<Packet> p = Create<Packet>(data + 1, size - 1);
    Ipv4Address to = world->dc.GetHostAddress(3);
    Simulator::ScheduleNow(&Inject, world->injector, p, Address(InetSocketAddress(to, port)));
    bool round = ++world->inputs % 256 == 0;
    Simulator::Stop(round ? Seconds(5) : MilliSeconds(2));
    Simulator::Run();
    return 0;
}
