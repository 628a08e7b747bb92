/*
 * SPDX-License-Identifier: GPL-2.0-only
 *
 * astrolabe-overload: the lecture's overload story. Clients on every host of a datacenter send
 * requests (real UDP datagrams) to a service S on one host. At --slowAt, S gets slow (its
 * capacity drops). S's agent publishes its load and an `overloaded` flag in its own row; an AFC
 * installed at run time, SELECT OR(overloaded) AS overloaded, MAX(sload) AS sload, turns that
 * into a system-wide warning at the root. Every client reads the warning from its local agent
 * once a second and backs off (x0.8) while it is raised, otherwise it probes upward
 * (+0.2 request/s): S's load falls back below 1. The plot shows S's load over time; --pcap
 * writes pcaps at three hosts (S is host 0, the first).
 */
#include "gossip-example-support.h"

#include "ns3/core-module.h"
#include "ns3/internet-module.h"
#include "ns3/network-module.h"

#include <iomanip>

using namespace ns3;
using astrolabe::Value;

namespace
{
const uint16_t kServicePort = 9000;

/// The service S: counts requests per one-second window against its capacity.
struct Service
{
    Ptr<Socket> socket;
    double capacity{0};
    uint64_t window{0};
    double load{0};

    void Receive(Ptr<Socket> s)
    {
        while (s->Recv())
        {
            ++window;
        }
    }
};

/// One client: AIMD on its request rate, driven by the warning seen in its local agent.
struct Client
{
    Ptr<Socket> socket;
    Ptr<AstrolabeAgent> agent;
    Ipv4Address service;
    double rate{0};
    double maxRate{0};
    bool warned{false};
    Ptr<UniformRandomVariable> rng;

    void Send()
    {
        socket->SendTo(Create<Packet>(100), 0, InetSocketAddress(service, kServicePort));
        Simulator::Schedule(Seconds(rng->GetValue(0.8, 1.2) / rate), &Client::Send, this);
    }

    void Adapt()
    {
        Value w = agent->GetAggregate("/", "overloaded");
        warned = w.GetType() == Value::BOOL && w.GetBool();
        // gentle AIMD: the warning arrives with a delay of several gossip rounds
        rate = warned ? std::max(0.5, rate * 0.8) : std::min(maxRate, rate + 0.2);
    }
};
} // namespace

int
main(int argc, char* argv[])
{
    uint32_t hostsPerRack = 8;
    uint32_t racks = 4;
    uint32_t pods = 2;
    double interval = 5;
    double duration = 300;
    double slowAt = 100;
    double capacity = 800;
    double slowCapacity = 250;
    double clientRate = 10;
    double maxRate = 10;
    bool pcap = false;
    std::string prefix = "astrolabe-overload";
    GossipOptions cmd(__FILE__,
                      "Service S gets slow; Astrolabe raises a system-wide warning; clients back "
                      "off. Writes S's load over time (CSV + plot). The default run (64 hosts, "
                      "300 s) takes a few seconds.");
    cmd.Add("hostsPerRack", "hosts per rack", hostsPerRack, 2U, 126U);
    cmd.Add("racks", "racks per pod", racks, 1U, 64U);
    cmd.Add("pods", "pods", pods, 1U, 16U);
    cmd.Add("interval", "Astrolabe gossip interval (s)", interval, 0.1, 3600.0);
    cmd.Add("duration", "simulated seconds", duration, 2.0, 100000.0);
    cmd.Add("slowAt", "when S gets slow (s), before the end", slowAt, 1.0, 100000.0);
    cmd.Add("capacity", "S's capacity before (requests/s)", capacity, 0.01, 1e6);
    cmd.Add("slowCapacity", "S's capacity after slowAt (requests/s)", slowCapacity, 0.01, 1e6);
    cmd.Add("clientRate", "initial request rate per client (requests/s)", clientRate, 0.01, 1e4);
    cmd.Add("maxRate", "largest request rate per client (requests/s)", maxRate, 0.01, 1e4);
    cmd.Add("pcap", "write pcaps at three hosts (<prefix>-<node>-<device>.pcap)", pcap);
    cmd.AddPrefix(prefix);
    cmd.Parse(argc, argv);
    GossipOptions::Require(slowAt < duration, "slowAt", slowAt, "less than --duration");
    GossipOptions::Require(maxRate >= clientRate, "maxRate", maxRate, "at least --clientRate");
    RngSeedManager::SetSeed(5);

    DatacenterTopologyHelper dc;
    dc.SetHostsPerRack(hostsPerRack);
    dc.SetRacksPerPod(racks);
    dc.SetPods(pods);
    dc.SetSpinesPerPod(2);
    GossipRequireFabric(dc, 20000, "pods", pods);
    dc.Install();
    Ipv4Address group("239.255.0.9");
    dc.EnableMulticast(group, DatacenterTopologyHelper::RACK);
    if (pcap)
    {
        GossipEnablePcap(prefix, dc.GetHosts());
    }

    AstrolabeHelper astro;
    astro.SetAttribute("GossipInterval", TimeValue(Seconds(interval)));
    astro.SetAttribute("MulticastGroup", Ipv4AddressValue(group));
    astro.SetPodLevel(pods > 1);
    ApplicationContainer apps = astro.Install(dc.GetHosts());
    astro.AssignStreams(dc.GetHosts(), 100);
    apps.Start(Seconds(0));
    AstrolabeStatsHelper stats;
    stats.Attach(apps);
    stats.TrackAggregate("/", "overloaded");

    // S on host 0; its agent samples S once per round, and installs the warning AFC.
    Service svc;
    svc.capacity = capacity;
    svc.socket = Socket::CreateSocket(dc.GetHost(0), UdpSocketFactory::GetTypeId());
    svc.socket->Bind(InetSocketAddress(Ipv4Address::GetAny(), kServicePort));
    svc.socket->SetRecvCallback(MakeCallback(&Service::Receive, &svc));
    Ptr<AstrolabeAgent> sAgent = DynamicCast<AstrolabeAgent>(apps.Get(0));
    sAgent->SetMibAttribute("overloaded", Value(false));
    sAgent->SetMibAttribute("sload", Value(0.0));
    sAgent->SetSamplingCallback([&svc](Ptr<AstrolabeAgent> a) {
        a->SetMibAttribute("overloaded", Value(svc.load > 1.0));
        a->SetMibAttribute("sload", Value(svc.load));
    });
    GossipSchedule(Seconds(1), [sAgent]() {
        std::string err;
        bool ok = sAgent->InstallAfc("warning",
                                     "SELECT OR(overloaded) AS overloaded, MAX(sload) AS sload",
                                     err);
        NS_ABORT_MSG_IF(!ok, err);
    });
    GossipSchedule(Seconds(slowAt), [&svc, slowCapacity]() { svc.capacity = slowCapacity; });

    std::vector<std::unique_ptr<Client>> clients;
    for (uint32_t i = 1; i < dc.GetNHosts(); ++i)
    {
        auto c = std::make_unique<Client>();
        c->socket = Socket::CreateSocket(dc.GetHost(i), UdpSocketFactory::GetTypeId());
        c->socket->Bind();
        c->agent = DynamicCast<AstrolabeAgent>(apps.Get(i));
        c->service = dc.GetHostAddress(0);
        c->rate = clientRate;
        c->maxRate = maxRate;
        c->rng = CreateObject<UniformRandomVariable>();
        c->rng->SetStream(5000 + i);
        Simulator::Schedule(Seconds(c->rng->GetValue(0, 1)), &Client::Send, c.get());
        clients.push_back(std::move(c));
    }

    // Once a second: S's load, and every client adapts to the warning its agent shows.
    GossipCsvWriter csv(prefix + ".csv",
                        {"time_s",
                         "capacity",
                         "requests_per_s",
                         "s_load",
                         "clients_warned",
                         "clients",
                         "offered_rate"});
    Gnuplot2dDataset loadSet("S load (requests / capacity)");
    Gnuplot2dDataset warnSet("fraction of clients warned");
    loadSet.SetStyle(Gnuplot2dDataset::LINES);
    warnSet.SetStyle(Gnuplot2dDataset::LINES);
    // mean load before the slowdown, in the 20 s after it, and at the end
    const double tail = std::max(slowAt + 20, duration - 100);
    const double from[3] = {slowAt - 50, slowAt, tail};
    const double to[3] = {slowAt, slowAt + 20, duration};
    double mean[3] = {0, 0, 0};
    double k[3] = {0, 0, 0};
    for (double t = 1; t <= duration; t += 1)
    {
        GossipSchedule(Seconds(t), [&, t]() {
            svc.load = svc.window / svc.capacity;
            uint32_t warned = 0;
            double offered = 0;
            for (auto& c : clients)
            {
                c->Adapt();
                warned += c->warned ? 1 : 0;
                offered += c->rate;
            }
            csv.Row(t, svc.capacity, svc.window, svc.load, warned, clients.size(), offered);
            for (int w = 0; w < 3; ++w)
            {
                mean[w] += t > from[w] && t <= to[w] ? svc.load : 0;
                k[w] += t > from[w] && t <= to[w] ? 1 : 0;
            }
            loadSet.Add(t, svc.load);
            warnSet.Add(t, static_cast<double>(warned) / clients.size());
            svc.window = 0;
            if (static_cast<uint32_t>(t) % 50 == 0)
            {
                std::cerr << "  t=" << t << " s: S load " << svc.load << ", " << warned
                          << " clients warned" << std::endl;
            }
        });
    }
    Simulator::Stop(Seconds(duration) + MilliSeconds(1));
    Simulator::Run();

    auto [reached, last] = AstrolabeSpread(
        stats,
        "/",
        "overloaded",
        [](const Value& v) { return v.GetType() == Value::BOOL && v.GetBool(); },
        Seconds(slowAt),
        [](uint32_t i) { return i > 0; }); // the clients' agents
    std::cout << "S slowed at " << slowAt << " s (capacity " << capacity << " -> " << slowCapacity
              << " requests/s)\n"
              << "warning reached " << reached << " of " << clients.size() << " clients, the last "
              << std::fixed << std::setprecision(1) << last << " s after the slowdown\n";
    auto avg = [&mean, &k](int w) { return k[w] > 0 ? mean[w] / k[w] : 0.0; };
    std::cout << "mean S load: before the slowdown " << std::setprecision(2) << avg(0)
              << ", first 20 s after it " << avg(1) << ", from " << tail << " s on " << avg(2)
              << std::endl;
    WriteAstrolabeLoadCsv(stats, prefix + "-messages.csv", Seconds(duration));
    std::cout << "Astrolabe traffic: " << std::setprecision(2)
              << static_cast<double>(stats.GetTotalTxPackets()) / dc.GetNHosts() / duration
              << " datagrams and "
              << static_cast<double>(stats.GetTotalTxBytes()) / dc.GetNHosts() / duration
              << " bytes per host per second" << std::endl;
    Simulator::Destroy();

    Gnuplot plot(prefix + ".png");
    std::ostringstream title;
    title << "Astrolabe overload warning: S's load\\n"
          << dc.GetNHosts() << " hosts, gossip every " << interval << " s, S's capacity "
          << capacity << " -> " << slowCapacity << " requests/s at t=" << slowAt << " s";
    plot.SetTitle(title.str());
    plot.SetLegend("time (s)", "load / fraction");
    plot.AppendExtra("set arrow from " + std::to_string(slowAt) + ",graph 0 to " +
                     std::to_string(slowAt) + ",graph 1 nohead dt 2");
    plot.AddDataset(loadSet);
    plot.AddDataset(warnSet);
    GossipPlotHelper::Write(prefix, plot);
    return 0;
}
