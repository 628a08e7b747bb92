/*
 * SPDX-License-Identifier: GPL-2.0-only
 *
 * pbcast-wan: Bimodal Multicast over three datacenters joined by a WAN. IP multicast works inside
 * each datacenter but not across the WAN, so phase 1 multicasts in the sender's datacenter and
 * goes 1:1 by UDP to the members of the others. A retransmission that crosses the WAN carries a
 * relay flag and is re-multicast in the requester's datacenter (the lecture's "retransmission
 * from a very remote node"). The example runs the same scenario with that optimisation on and
 * off, and a third time with phase 1 sent to a few relays per remote datacenter (WanRelays)
 * instead of to every remote member, and compares delivery, latency and WAN datagrams.
 *
 *   pbcast-wan --datacenters=3 --hostsPerRack=8 --racks=4 --rate=20 --duration=5
 *   mpiexec -np 2 pbcast-wan --mpi --datacenters=4   (one configuration, datacenters spread
 *                                                     over the ranks; doc: Distributed runs)
 */
#include "gossip-example-support.h"

#include "ns3/core-module.h"
#include "ns3/gossip-module.h"
#include "ns3/internet-module.h"
#include "ns3/network-module.h"

#include <iostream>
#include <map>

using namespace ns3;

NS_LOG_COMPONENT_DEFINE("PbcastWanExample");

namespace
{
struct Counters
{
    uint64_t wanTx{0};
    uint64_t relays{0};       //!< re-multicasts of remote retransmissions
    uint64_t mcRetransmit{0}; //!< all multicast retransmissions
    uint64_t ucRetransmit{0};
};

void
OnWanTx(Counters* c, Ptr<const Packet>)
{
    c->wanTx++;
}

void
OnRetransmit(Counters* c, const GossipMessageId&, bool mc, GossipSenderId)
{
    (mc ? c->mcRetransmit : c->ucRetransmit)++;
}

void
OnRelay(Counters* c, const GossipMessageId&)
{
    c->relays++;
}

void
SendOne(Ptr<PbcastApplication> app, uint32_t size)
{
    app->Send(Create<Packet>(size));
}

double
Percentile(std::vector<double> v, double q)
{
    if (v.empty())
    {
        return 0;
    }
    std::sort(v.begin(), v.end());
    return v[std::min<size_t>(v.size() - 1, static_cast<size_t>(q * v.size()))];
}
} // namespace

int
main(int argc, char* argv[])
{
    uint32_t datacenters = 3;
    uint32_t hostsPerRack = 8;
    uint32_t racks = 4;
    double rate = 20;
    double duration = 5;
    double hostLoss = 0.02;
    double wanLoss = 0.01;
    Time wanDelay = MilliSeconds(25);
    uint32_t wanRelays = 2;
    bool pcap = false;
    bool mpi = false;
    bool nullMessage = false;
    std::string only = "all";
    std::string prefix = "pbcast-wan";

    GossipOptions cmd(__FILE__,
                      "Bimodal Multicast over datacenters joined by a WAN: multicast inside, "
                      "unicast across, remote retransmissions re-multicast locally (compared "
                      "on/off, and with phase-1 relays). Writes <prefix>.csv and <prefix>.png "
                      "(latency CDF of remote datacenters). The default run takes about 10 s.");
    cmd.Add("datacenters", "datacenters", datacenters, 2U, 10U);
    cmd.Add("hostsPerRack", "hosts per rack", hostsPerRack, 1U, 126U);
    cmd.Add("racks", "racks per datacenter", racks, 1U, 256U);
    cmd.Add("rate", "messages per second", rate, 0.1, 1000.0);
    cmd.Add("duration", "seconds of sending", duration, 0.1, 600.0);
    cmd.Add("hostLoss", "packet error rate of host links", hostLoss, 0.0, 0.5);
    cmd.Add("wanLoss", "packet error rate of WAN links", wanLoss, 0.0, 0.5);
    cmd.Add("wanDelay", "one-way delay of a WAN link", wanDelay, Seconds(0), Seconds(1));
    cmd.Add("wanRelays",
            "third run: phase 1 reaches each remote datacenter through this many relays that "
            "re-multicast (0: skip that run)",
            wanRelays,
            0U,
            1000U);
    cmd.Add("pcap",
            "write pcaps at three hosts in each run (<prefix>-<run>-<node>-<device>.pcap)",
            pcap);
    cmd.AddChoice("only",
                  "run one configuration: remote-multicast, unicast-repair or relays (all: the "
                  "three in turn; --mpi runs one, remote-multicast unless chosen, since ns-3's "
                  "MPI engine cannot start a second simulation in a process)",
                  only,
                  {"all", "remote-multicast", "unicast-repair", "relays"});
    cmd.AddMpi(mpi, nullMessage);
    cmd.AddPrefix(prefix);
    cmd.Parse(argc, argv);
    GossipOptions::StartMpi(&argc, &argv, mpi, nullMessage);
    if (mpi && only == "all")
    {
        only = "remote-multicast";
    }
    DatacenterTopologyHelper tmpl;
    tmpl.SetHostsPerRack(hostsPerRack);
    tmpl.SetRacksPerPod(racks);
    tmpl.SetSpinesPerPod(2);
    tmpl.SetHostLinkErrorRate(hostLoss);
    GossipRequireFabric(tmpl, 10000 / datacenters, "racks", racks);
    GossipOptions::Require(rate * duration <= 100000,
                           "duration",
                           duration,
                           "at most 100,000 messages in all (rate x duration)");

    GossipCsvWriter csv(prefix + ".csv",
                        {"remote_multicast",
                         "datacenter",
                         "delivery_ratio",
                         "latency_p50_ms",
                         "latency_p99_ms",
                         "wan_datagrams",
                         "relayed_multicasts"});
    // Per message: how many members delivered it (what the MPI check compares across ranks).
    GossipCsvWriter perMessage(prefix + "-messages.csv",
                               {"configuration", "sender", "seq", "members_delivered"});
    Gnuplot plot(prefix + ".png");
    std::ostringstream title;
    title << "pbcast over a WAN: latency of deliveries in remote datacenters (CCDF)\\n"
          << datacenters << " datacenters of " << hostsPerRack * racks << " hosts, WAN delay "
          << GossipTimeText(wanDelay) << ", WAN loss " << wanLoss << ", host link loss "
          << hostLoss;
    plot.SetTitle(title.str());
    plot.SetLegend("latency (ms)", "fraction of deliveries later than x (log scale)");
    plot.AppendExtra("set logscale y");
    plot.AppendExtra("set format y \"%g\"");
    plot.AppendExtra("set key top right");

    std::cout << "pbcast-wan: " << datacenters << " datacenters of " << hostsPerRack * racks
              << " hosts, WAN delay " << GossipTimeText(wanDelay) << " loss " << wanLoss
              << ", host link loss " << hostLoss << ", " << rate * duration
              << " messages from dc0\n";

    struct Config
    {
        bool remoteMc;
        uint32_t wanRelays;
        std::string name;
        std::string pcapName;
    };

    std::vector<Config> configs{
        {true, 0, "RemoteMulticast=true", "remote-multicast"},
        {false, 0, "RemoteMulticast=false", "unicast-repair"},
        {true, wanRelays, "RemoteMulticast=true WanRelays=" + std::to_string(wanRelays), "relays"}};
    if (wanRelays == 0)
    {
        configs.pop_back();
    }
    if (only != "all")
    {
        auto chosen = std::find_if(configs.begin(), configs.end(), [&only](const Config& c) {
            return c.pcapName == only;
        });
        GossipOptions::Require(chosen != configs.end(),
                               "only",
                               only,
                               "a configuration that runs (relays needs --wanRelays > 0)");
        configs = {*chosen};
    }
    for (const Config& cfg : configs)
    {
        bool remoteMc = cfg.remoteMc;
        std::cerr << "running with " << cfg.name << "\n";
        RngSeedManager::SetRun(RngSeedManager::GetRun()); // same randomness for both runs
        WanTopologyHelper wan;
        wan.SetDatacenters(datacenters);
        wan.SetDatacenterTemplate(tmpl);
        wan.SetWanLinkAttribute("Delay", TimeValue(wanDelay));
        wan.SetWanErrorRate(wanLoss);
        wan.SetRanks(gossip::mpi::GetSize()); // under --mpi: datacenters over the ranks
        if (mpi)
        {
            GossipOptions::Require(wan.Validate().empty(), "mpi", "true", wan.Validate());
        }
        wan.Install();
        Ipv4Address group("239.255.0.1");
        wan.EnableMulticast(group);
        GossipNodeGroups nodes = GossipTopologyNodes(wan);
        Ptr<GossipDropCounter> drops = GossipCountDrops(nodes);
        if (pcap)
        {
            GossipEnablePcap(prefix + "-" + cfg.pcapName, wan.GetHosts());
        }
        int64_t stream = 1;
        stream += wan.AssignStreams(stream);

        PbcastHelper pbcast;
        pbcast.SetAttribute("Group", Ipv4AddressValue(group));
        pbcast.SetAttribute("RemoteMulticast", BooleanValue(remoteMc));
        pbcast.SetAttribute("WanRelays", UintegerValue(cfg.wanRelays));
        ApplicationContainer apps = pbcast.Install(wan.GetHosts());
        stream += pbcast.AssignStreams(wan.GetHosts(), stream);
        GossipDeliveryStats stats;
        stats.Attach(apps);

        Counters c;
        std::map<uint32_t, uint32_t> dcOfNode;
        for (uint32_t i = 0; i < wan.GetNHosts(); ++i)
        {
            dcOfNode[wan.GetHosts().Get(i)->GetId()] = wan.GetHostDatacenter(i);
        }
        for (uint32_t i = 0; i < apps.GetN(); ++i)
        {
            apps.Get(i)->TraceConnectWithoutContext("Retransmit",
                                                    MakeBoundCallback(&OnRetransmit, &c));
            apps.Get(i)->TraceConnectWithoutContext("Relay", MakeBoundCallback(&OnRelay, &c));
        }
        for (uint32_t i = 0; i < wan.GetWanDevices().GetN(); ++i)
        {
            wan.GetWanDevices().Get(i)->TraceConnectWithoutContext("PhyTxBegin",
                                                                   MakeBoundCallback(&OnWanTx, &c));
        }
        const Time start = Seconds(2);
        const Time end = start + Seconds(duration) + Seconds(3);
        apps.Start(Seconds(0));
        apps.Stop(end);
        // The sender: host 1 of dc0 (under --mpi, only on its rank).
        Ptr<Node> senderNode = wan.GetHosts().Get(1);
        auto count = static_cast<uint64_t>(rate * duration);
        if (gossip::mpi::IsLocal(senderNode))
        {
            auto sender = DynamicCast<PbcastApplication>(senderNode->GetApplication(0));
            for (uint64_t i = 0; i < count; ++i)
            {
                Simulator::Schedule(start + Seconds(i / rate), &SendOne, sender, 512);
            }
        }
        stats.SetWindow(start, end);
        Simulator::Stop(end);
        Simulator::Run();
        // Under --mpi: every rank's counts, at every rank (rank 0 prints).
        stats.Merge();
        drops->Merge();
        std::vector<uint64_t> sums{c.wanTx, c.relays, c.mcRetransmit, c.ucRetransmit};
        gossip::mpi::Sum(sums);
        c.wanTx = sums[0];
        c.relays = sums[1];
        c.mcRetransmit = sums[2];
        c.ucRetransmit = sums[3];
        for (const GossipMessageId& id : stats.GetMessageIds())
        {
            perMessage.Row(cfg.pcapName,
                           id.sender,
                           id.seq,
                           stats.GetDeliveredMembers(id.sender, id.seq));
        }
        std::map<uint32_t, std::vector<double>> latencyMsByDc;
        for (const auto& d : stats.GetDeliveries())
        {
            latencyMsByDc[dcOfNode[d.node]].push_back(d.latency.GetSeconds() * 1000);
        }

        std::cout << cfg.name << ": delivery ratio " << stats.GetMeanDeliveryFraction()
                  << ", WAN datagrams " << c.wanTx << ", retransmissions unicast " << c.ucRetransmit
                  << " multicast " << c.mcRetransmit << " (of which relayed re-multicasts "
                  << c.relays << ")\n";
        Gnuplot2dDataset cdf("remote datacenters, " + cfg.name);
        cdf.SetStyle(Gnuplot2dDataset::LINES);
        std::vector<double> remote;
        for (uint32_t dc = 0; dc < datacenters; ++dc)
        {
            const auto& v = latencyMsByDc[dc];
            double expected = double(count) * hostsPerRack * racks - (dc == 0 ? count : 0);
            double ratio = expected > 0 ? v.size() / expected : 0;
            std::cout << "  dc" << dc << ": delivered " << ratio << ", latency ms p50 "
                      << Percentile(v, 0.5) << " p99 " << Percentile(v, 0.99) << "\n";
            csv.Row(remoteMc ? 1 : 0,
                    dc,
                    ratio,
                    Percentile(v, 0.5),
                    Percentile(v, 0.99),
                    c.wanTx,
                    c.relays);
            if (dc != 0)
            {
                remote.insert(remote.end(), v.begin(), v.end());
            }
        }
        std::cout << "  " << GossipDropReport(*drops, nodes) << "\n";
        std::sort(remote.begin(), remote.end());
        // The complementary CDF: most deliveries come within a WAN delay, so a CDF sits at 1;
        // on a log axis the repair tail shows.
        GossipAddCcdf(cdf, remote, 200);
        plot.AddDataset(cdf);
        Simulator::Destroy();
    }
    bool png = GossipPlotHelper::Write(prefix, plot);
    std::cout << "wrote " << prefix << ".csv, " << prefix << "-messages.csv"
              << (png ? ", " + prefix + ".png" : "") << "\n";
    gossip::mpi::Disable();
    return 0;
}
