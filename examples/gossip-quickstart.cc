/*
 * SPDX-License-Identifier: GPL-2.0-only
 *
 * gossip-quickstart: the starting-point script of the README.
 */
#include "gossip-example-support.h"

#include "ns3/core-module.h"
#include "ns3/gossip-module.h"
#include "ns3/internet-module.h"

using namespace ns3;

static void
Count(uint32_t* received, Ptr<Socket> socket)
{
    while (socket->Recv())
    {
        ++*received;
    }
}

int
main(int argc, char* argv[])
{
    uint32_t racks = 4;
    GossipOptions cmd(__FILE__,
                      "One multicast datagram over a leaf-spine datacenter. Under a second.");
    cmd.Add("racks", "racks of 40 hosts", racks, 1U, 256U);
    cmd.Parse(argc, argv);

    DatacenterTopologyHelper dc; // leaf-spine: racks x 40 hosts, 4 spines
    dc.SetRacksPerPod(racks);
    dc.Install();
    Ipv4Address group("225.0.0.1");
    dc.EnableMulticast(group); // one static multicast tree: every host gets it once

    uint32_t received = 0;
    for (uint32_t i = 0; i < dc.GetNHosts(); ++i)
    {
        Ptr<Socket> s = Socket::CreateSocket(dc.GetHost(i), UdpSocketFactory::GetTypeId());
        s->Bind(InetSocketAddress(Ipv4Address::GetAny(), 9000));
        s->SetRecvCallback(MakeBoundCallback(&Count, &received));
    }
    Ptr<Socket> tx = Socket::CreateSocket(dc.GetHost(0), UdpSocketFactory::GetTypeId());
    GossipSchedule(Seconds(1), [tx, group]() {
        tx->SendTo(Create<Packet>(100), 0, InetSocketAddress(group, 9000));
    });
    Simulator::Run();
    std::cout << dc.GetHostPath(0) << " reached " << received << " hosts\n";
    Simulator::Destroy();
    return 0;
}
