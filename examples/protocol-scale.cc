/*
 * SPDX-License-Identifier: GPL-2.0-only
 *
 * protocol-scale: what a protocol costs on top of the network it runs on.
 *
 *   protocol-scale --protocol=pbcast --hosts=10000       one size
 *   protocol-scale --protocol=push-sum --sweep=1000,10000,100000
 *                                                        each size in a fresh child process (so
 *                                                        that peak RSS is per size), then a table
 *
 * For one size the protocol runs `rounds` of its own round length on a leaf-spine fabric, from a
 * cold start (pbcast and Astrolabe discover their membership from seeds), with a light workload:
 *   pbcast      one 256-byte multicast per round from one member (rounds of 100 ms);
 *   lpbcast     one broadcast per round from a random member (rounds of 1 s);
 *   astrolabe   gossip only, rack-scope multicast discovery (rounds of 5 s);
 *   push-sum    AVG of random values (rounds of 5 s);
 *   tree        one COUNT/AVG query per round over a flooding-built tree (rounds of 1 s).
 * Every datagram a member hands to its socket is recorded as (time, source, destination,
 * size). A second simulation on the same fabric replays them with plain UDP sockets, the same
 * sizes at the same times to the same addresses, received by sockets that only read them: the
 * network's own cost of the same traffic. wall(protocol) / wall(replay) is printed on a line
 * "ratio to raw UDP:".
 *
 * Figures: build time of the fabric and of the protocol's install, peak RSS, memory per host
 * beyond the bare fabric (peak RSS minus the RSS of the built and initialised fabric, minus the
 * recording itself), wall microseconds per member-round, datagrams and UDP payload bytes per
 * member-round. ns-3's time-0 initialisation of the nodes runs before the clocks start in both
 * simulations.
 */
#include "gossip-example-support.h"

#include "ns3/core-module.h"
#include "ns3/gossip-module.h"
#include "ns3/internet-module.h"
#include "ns3/network-module.h"

#include <cstdio>
#include <cstring>
#include <functional>
#include <sstream>
#include <unistd.h>

using namespace ns3;

NS_LOG_COMPONENT_DEFINE("ProtocolScaleExample");

namespace
{
/// One datagram handed to a socket by a member.
struct Datagram
{
    int64_t time;    //!< simulation time, ns
    uint32_t source; //!< host index
    uint32_t to;     //!< destination IPv4 address (unicast or group)
    uint32_t size;   //!< UDP payload bytes
};

std::vector<Datagram> g_record;

void
Record(uint32_t source, Ptr<const Packet> p, Ipv4Address to)
{
    g_record.push_back({Simulator::Now().GetNanoSeconds(), source, to.Get(), p->GetSize()});
}

uint64_t g_replayReceived = 0;

void
ReplayReceive(Ptr<Socket> s)
{
    while (s->Recv())
    {
        ++g_replayReceived;
    }
}

const Ipv4Address kGroup("239.255.0.1");   // pbcast's phase-1 multicast
const Ipv4Address kRackGroup("225.5.4.5"); // Astrolabe's rack-scope discovery

struct Settings
{
    std::string protocol{"pbcast"};
    uint32_t hosts{1000};
    uint32_t rounds{10};
    bool replay{true};
    uint32_t mtu{1500};
};

/// The fabric for `hosts`, with the multicast groups the protocol uses.
void
BuildFabric(DatacenterTopologyHelper& dc, const Settings& s)
{
    uint32_t h;
    uint32_t r;
    uint32_t p;
    GossipFabricShape(s.hosts, h, r, p);
    dc.SetHostsPerRack(h);
    dc.SetRacksPerPod(r);
    dc.SetPods(p);
    dc.SetMtu(s.mtu);
    dc.Install();
    if (s.protocol == "pbcast")
    {
        dc.EnableMulticast(kGroup);
    }
    else if (s.protocol == "astrolabe")
    {
        dc.EnableMulticast(kRackGroup, DatacenterTopologyHelper::RACK);
    }
    dc.AssignStreams(1);
}

/// Installs the protocol and its workload; returns the apps and sets the run's length.
ApplicationContainer
InstallProtocol(const Settings& s, DatacenterTopologyHelper& dc, Time& duration)
{
    const NodeContainer& hosts = dc.GetHosts();
    const uint32_t n = hosts.GetN();
    Ptr<UniformRandomVariable> pick = CreateObject<UniformRandomVariable>();
    pick->SetStream(7);
    ApplicationContainer apps;
    if (s.protocol == "pbcast")
    {
        const Time round = MilliSeconds(100);
        PbcastHelper h;
        h.SetAttribute("Group", Ipv4AddressValue(kGroup));
        h.SetAttribute("RoundInterval", TimeValue(round));
        apps = h.Install(hosts);
        h.AssignStreams(hosts, 100);
        Ptr<PbcastApplication> sender = DynamicCast<PbcastApplication>(apps.Get(n / 2));
        for (uint32_t k = 1; k < s.rounds; ++k)
        {
            GossipSchedule(round * k, [sender]() { sender->Send(Create<Packet>(256)); });
        }
        duration = round * s.rounds;
    }
    else if (s.protocol == "lpbcast")
    {
        const Time round = Seconds(1);
        LpbcastHelper h;
        h.SetAttribute("Period", TimeValue(round));
        apps = h.Install(hosts);
        h.AssignStreams(hosts, 100);
        for (uint32_t k = 1; k < s.rounds; ++k)
        {
            Ptr<LpbcastApplication> app =
                DynamicCast<LpbcastApplication>(apps.Get(pick->GetInteger(0, n - 1)));
            GossipSchedule(round * k, [app]() { app->Broadcast(); });
        }
        duration = round * s.rounds;
    }
    else if (s.protocol == "astrolabe")
    {
        const Time round = Seconds(5);
        AstrolabeHelper h;
        h.SetAttribute("GossipInterval", TimeValue(round));
        h.SetAttribute("MulticastGroup", Ipv4AddressValue(kRackGroup));
        uint32_t perRack;
        uint32_t racks;
        uint32_t pods;
        GossipFabricShape(s.hosts, perRack, racks, pods);
        h.SetPodLevel(pods > 1);
        apps = h.Install(hosts);
        h.AssignStreams(hosts, 100);
        duration = round * s.rounds;
    }
    else if (s.protocol == "push-sum")
    {
        const Time round = Seconds(5);
        std::vector<double> values(n);
        for (auto& v : values)
        {
            v = pick->GetValue(0, 4);
        }
        PushSumHelper h;
        h.SetValues(values);
        h.SetLeader(0);
        h.SetAttribute("RoundInterval", TimeValue(round));
        h.SetAttribute("Rounds", UintegerValue(s.rounds));
        apps = h.Install(hosts);
        h.AssignStreams(hosts, apps, 100);
        duration = round * (s.rounds + 1);
    }
    else // tree
    {
        const Time round = Seconds(1);
        std::vector<double> values(n);
        for (auto& v : values)
        {
            v = pick->GetValue(0, 4);
        }
        FloodTreeHelper h;
        h.SetOverlay(AggregationHelper::BuildOverlay(n, dc.GetHostsPerRack(), 2, 2, 12));
        h.SetValues(values);
        h.SetRoot(0);
        h.SetAttribute("QueryInterval", TimeValue(round));
        h.SetAttribute("QueryBudget", TimeValue(round / 2));
        h.SetAttribute("Queries", UintegerValue(s.rounds));
        apps = h.Install(hosts);
        h.AssignStreams(hosts, 100);
        duration = round * (s.rounds + 1);
    }
    apps.Start(Seconds(0));
    apps.Stop(duration);
    return apps;
}

/// One size: the protocol, then its replay. Prints one line of key=value figures.
int
RunOne(const Settings& s)
{
    // An empty Run() ends ns-3's tracking of the Time objects created before the simulation
    // starts (millions at this scale; see topology-scale).
    Simulator::Run();
    const uint64_t rss0 = GossipProcStatusKb("VmRSS:");
    double t0 = GossipWallSeconds();
    DatacenterTopologyHelper dc;
    BuildFabric(dc, s);
    const uint32_t n = dc.GetNHosts();
    Simulator::Stop(Seconds(0));
    Simulator::Run(); // ns-3's time-0 initialisation of nodes, devices and stacks
    const double buildSeconds = GossipWallSeconds() - t0;
    const uint64_t rssFabric = GossipProcStatusKb("VmRSS:");

    t0 = GossipWallSeconds();
    Time duration;
    ApplicationContainer apps = InstallProtocol(s, dc, duration);
    UintegerValue port;
    apps.Get(0)->GetAttribute("Port", port);
    for (uint32_t i = 0; i < apps.GetN(); ++i)
    {
        apps.Get(i)->TraceConnectWithoutContext("Tx", MakeBoundCallback(&Record, i));
    }
    const double installSeconds = GossipWallSeconds() - t0;
    g_record.reserve(uint64_t(n) * s.rounds * 2);

    Simulator::Stop(duration);
    t0 = GossipWallSeconds();
    Simulator::Run();
    const double protocolSeconds = GossipWallSeconds() - t0;
    const uint64_t peakKb = GossipProcStatusKb("VmHWM:");
    Simulator::Destroy();

    uint64_t bytes = 0;
    for (const Datagram& d : g_record)
    {
        bytes += d.size;
    }
    const double memberRounds = double(n) * s.rounds;
    const uint64_t recordKb = g_record.capacity() * sizeof(Datagram) / 1024;
    const double perHostKb =
        (double(peakKb) - double(std::max(rssFabric, rss0)) - double(recordKb)) / n;
    std::printf(
        "protocol=%s hosts=%u rounds=%u mtu=%u build_s=%.2f install_s=%.2f peak_rss_mb=%.0f "
        "kb_per_host=%.1f wall_s=%.2f us_per_member_round=%.2f "
        "datagrams_per_member_round=%.3f bytes_per_member_round=%.1f",
        s.protocol.c_str(),
        n,
        s.rounds,
        s.mtu,
        buildSeconds,
        installSeconds,
        peakKb / 1024.0,
        perHostKb,
        protocolSeconds,
        protocolSeconds * 1e6 / memberRounds,
        g_record.size() / memberRounds,
        bytes / memberRounds);
    if (!s.replay)
    {
        std::printf("\n");
        return 0;
    }

    // The replay: the same fabric, plain sockets, the recorded datagrams.
    Simulator::Run();
    DatacenterTopologyHelper again;
    BuildFabric(again, s);
    Simulator::Stop(Seconds(0));
    Simulator::Run();
    std::vector<Ptr<Socket>> sockets(n);
    for (uint32_t i = 0; i < n; ++i)
    {
        sockets[i] = Socket::CreateSocket(again.GetHost(i), UdpSocketFactory::GetTypeId());
        sockets[i]->Bind(InetSocketAddress(Ipv4Address::GetAny(), port.Get()));
        sockets[i]->SetRecvCallback(MakeCallback(&ReplayReceive));
    }
    // One pending event at a time, as a member's socket would see them.
    size_t next = 0;
    const uint16_t p = port.Get();
    std::function<void()> sendNext = [&]() {
        const int64_t now = Simulator::Now().GetNanoSeconds();
        while (next < g_record.size() && g_record[next].time <= now)
        {
            const Datagram& d = g_record[next++];
            sockets[d.source]->SendTo(Create<Packet>(d.size),
                                      0,
                                      InetSocketAddress(Ipv4Address(d.to), p));
        }
        if (next < g_record.size())
        {
            GossipSchedule(NanoSeconds(g_record[next].time - now), sendNext);
        }
    };
    if (!g_record.empty())
    {
        GossipSchedule(NanoSeconds(g_record[0].time), sendNext);
    }
    Simulator::Stop(duration);
    t0 = GossipWallSeconds();
    Simulator::Run();
    const double replaySeconds = GossipWallSeconds() - t0;
    Simulator::Destroy();
    std::printf(" replay_wall_s=%.2f replay_received=%lu\n",
                replaySeconds,
                (unsigned long)g_replayReceived);
    std::printf("ratio to raw UDP: %.2f (protocol %.2f s / replay %.2f s of wall clock, %lu "
                "datagrams)\n",
                protocolSeconds / replaySeconds,
                protocolSeconds,
                replaySeconds,
                (unsigned long)g_record.size());
    return 0;
}

/// A key=value figure of a child's output line, or NAN.
double
Field(const std::string& out, const std::string& key)
{
    const std::string k = " " + key + "=";
    size_t at = out.find(k);
    return at == std::string::npos ? NAN : std::atof(out.c_str() + at + k.size());
}
} // namespace

int
main(int argc, char* argv[])
{
    Settings s;
    std::vector<uint32_t> sweep;
    std::string prefix = "protocol-scale";
    GossipOptions cmd(__FILE__,
                      "Benchmark: what a protocol costs beyond the network. Runs the protocol for "
                      "some rounds from a cold start, records every datagram, replays them with "
                      "plain UDP sockets on the same fabric and prints wall(protocol) / "
                      "wall(replay). The default run (pbcast, 1,000 hosts) takes seconds.");
    cmd.AddChoice("protocol",
                  "the protocol",
                  s.protocol,
                  {"pbcast", "lpbcast", "astrolabe", "push-sum", "tree"});
    cmd.Add("hosts",
            "hosts (rounded up to whole racks of 40, pods of 50 racks)",
            s.hosts,
            4U,
            400000U);
    cmd.Add("rounds", "rounds of the protocol's own length", s.rounds, 1U, 10000U);
    cmd.Add("replay", "replay the recorded datagrams with plain UDP sockets", s.replay);
    cmd.Add("mtu",
            "MTU of every fabric link in bytes (9000: an Astrolabe datagram in one frame)",
            s.mtu,
            68U,
            65535U);
    cmd.AddList("sweep",
                "comma-separated host counts, each run in a child process (default: no sweep)",
                sweep,
                4U,
                400000U);
    cmd.AddPrefix(prefix, "output prefix for the sweep's CSV");
    cmd.Parse(argc, argv);

    if (sweep.empty())
    {
        return RunOne(s);
    }
    char self[4096];
    ssize_t len = readlink("/proc/self/exe", self, sizeof(self) - 1);
    if (len <= 0)
    {
        std::cerr << "error: cannot find my own executable to run the sweep" << std::endl;
        return 1;
    }
    self[len] = '\0';
    GossipCsvWriter csv(prefix + ".csv",
                        {"protocol",
                         "hosts",
                         "mtu",
                         "build_s",
                         "peak_rss_mb",
                         "kb_per_host",
                         "us_per_member_round",
                         "us_vs_first",
                         "datagrams_per_member_round",
                         "bytes_per_member_round",
                         "ratio_to_raw_udp"});
    double first = 0;
    int status = 0;
    for (uint32_t hosts : sweep) // integers and a checked word: safe in a shell command
    {
        std::ostringstream c;
        c << self << " --protocol=" << s.protocol << " --hosts=" << hosts
          << " --rounds=" << s.rounds << " --replay=" << s.replay << " --mtu=" << s.mtu;
        std::cerr << "protocol-scale: " << s.protocol << " at " << hosts << " hosts..."
                  << std::endl;
        FILE* f = popen(c.str().c_str(), "r");
        char line[4096] = {0};
        std::string out;
        while (f && fgets(line, sizeof(line), f))
        {
            out += line;
        }
        int rc = f ? pclose(f) : -1;
        std::cout << out << std::flush;
        status |= rc != 0;
        const std::string figures = " " + out;
        double us = Field(figures, "us_per_member_round");
        first = first == 0 ? us : first;
        double ratio = NAN;
        size_t at = out.find("ratio to raw UDP: ");
        if (at != std::string::npos)
        {
            ratio = std::atof(out.c_str() + at + std::strlen("ratio to raw UDP: "));
        }
        csv.Row(s.protocol,
                uint32_t(Field(figures, "hosts")),
                s.mtu,
                Field(figures, "build_s"),
                Field(figures, "peak_rss_mb"),
                Field(figures, "kb_per_host"),
                us,
                us / first,
                Field(figures, "datagrams_per_member_round"),
                Field(figures, "bytes_per_member_round"),
                ratio);
    }
    std::cout << "wrote " << prefix << ".csv" << std::endl;
    return status;
}
