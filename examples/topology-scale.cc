/*
 * SPDX-License-Identifier: GPL-2.0-only
 *
 * topology-scale: how big a datacenter this machine can simulate.
 *
 *   topology-scale --hosts=100000          one size: build time, peak RSS, datagrams/s
 *   topology-scale --sweep=1000,10000,100000,390625
 *                                          each size in a fresh child process (so that peak RSS
 *                                          is per size), then a table with ratios to the first
 *   mpiexec -np 2 topology-scale --mpi --hosts=4000
 *                                          pods spread over the ranks, the core links the cut
 *                                          (--coreDelay is the lookahead; doc: Distributed runs)
 *
 * The workload is fixed: `datagrams` UDP datagrams between uniformly random host pairs (fixed
 * stream), spread over 0.2 s of simulated time; ns-3's time-0 initialization of the nodes runs
 * before the clock starts. Memory per host is the RSS growth during the
 * build divided by the hosts. Figures go to stdout and <prefix>.csv.
 */
#include "gossip-example-support.h"

#include "ns3/core-module.h"
#include "ns3/gossip-module.h"
#include "ns3/internet-module.h"
#include "ns3/network-module.h"

#include <cstdio>
#include <functional>
#include <map>
#include <sstream>
#include <unistd.h>

using namespace ns3;

namespace
{
const uint16_t kPort = 9;
uint64_t g_received = 0;

void
Receive(Ptr<Socket> s)
{
    while (s->Recv())
    {
        ++g_received;
    }
}

/// Choose a fabric for about n hosts with bounded switch degree.
void
Dimension(uint32_t n, uint32_t& h, uint32_t& r, uint32_t& p)
{
    if (n == 390625)
    {
        h = 25; // 5^8 = 25 hosts x 125 racks x 125 pods, the Astrolabe paper's size
        r = 125;
        p = 125;
        return;
    }
    GossipFabricShape(n, h, r, p);
}

int
RunOne(uint32_t hosts,
       uint32_t spines,
       uint32_t datagrams,
       bool queueDiscs,
       bool fabricRouting,
       Time coreDelay)
{
    uint32_t h;
    uint32_t r;
    uint32_t p;
    Dimension(hosts, h, r, p);
    DatacenterTopologyHelper dc;
    dc.SetHostsPerRack(h);
    dc.SetRacksPerPod(r);
    dc.SetPods(p);
    dc.SetSpinesPerPod(spines);
    dc.SetQueueDiscs(queueDiscs);
    dc.SetFabricRouting(fabricRouting);
    // Under --mpi the pods are spread over the ranks; the core links are the cut.
    dc.SetRanks(gossip::mpi::GetSize());
    dc.SetCoreLinkAttribute("Delay", TimeValue(coreDelay));
    GossipRequireFabric(dc, 390625, "hosts", hosts, true);
    // An empty Run() ends ns-3's tracking of every Time object created before the simulation
    // starts (kept only so that Time::SetResolution could rescale them); at this scale that
    // tracking set holds millions of entries. The resolution stays the default.
    // Under --mpi there is one Run(), with a stop time (below), so the time measured then
    // includes the time-0 initialisation.
    const bool oneRun = gossip::mpi::IsDistributed();
    if (!oneRun)
    {
        Simulator::Run();
    }
    uint64_t rss0 = GossipProcStatusKb("VmRSS:");
    double t0 = GossipWallSeconds();
    dc.Install();
    double buildSeconds = GossipWallSeconds() - t0;
    uint64_t rssBuilt = GossipProcStatusKb("VmRSS:");
    const uint32_t n = dc.GetNHosts();

    // The workload is drawn up front (fixed stream) and then sent by a self-rescheduling event,
    // so the event queue holds only the packets in flight, not the whole workload.
    Ptr<UniformRandomVariable> pick = CreateObject<UniformRandomVariable>();
    pick->SetStream(1);
    std::vector<std::pair<uint32_t, uint32_t>> pairs(datagrams);
    std::map<uint32_t, Ptr<Socket>> sockets;
    for (auto& pr : pairs)
    {
        pr.first = pick->GetInteger(0, n - 1);
        pr.second = pick->GetInteger(0, n - 2);
        pr.second += pr.second >= pr.first;
        for (uint32_t i : {pr.first, pr.second})
        {
            if (!sockets.count(i) && gossip::mpi::IsLocal(dc.GetHost(i)))
            {
                Ptr<Socket> s = Socket::CreateSocket(dc.GetHost(i), UdpSocketFactory::GetTypeId());
                s->Bind(InetSocketAddress(Ipv4Address::GetAny(), kPort));
                s->SetRecvCallback(MakeCallback(&Receive));
                sockets[i] = s;
            }
        }
    }
    const Time gap = Seconds(0.2) / datagrams;
    std::function<void(uint32_t)> sendNext = [&](uint32_t k) {
        const auto& pr = pairs[k];
        auto sender = sockets.find(pr.first); // this rank's hosts only
        if (sender != sockets.end())
        {
            sender->second->SendTo(Create<Packet>(512),
                                   0,
                                   InetSocketAddress(dc.GetHostAddress(pr.second), kPort));
        }
        if (k + 1 < pairs.size())
        {
            GossipSchedule(gap, [&sendNext, k]() { sendNext(k + 1); });
        }
    };
    // ns-3 initializes every node, device and stack in events at time 0 of the first Run()
    // after their creation: O(N) set-up, not forwarding, so it runs before the clock starts
    // (at 100,000 hosts it was most of the measured time).
    if (oneRun)
    {
        // The distributed engines end at a stop time (the null-message one hung without it,
        // in the empty runs above); the workload takes 0.2 s and the fabric microseconds.
        Simulator::Stop(Seconds(1));
    }
    else
    {
        Simulator::Stop(Seconds(0));
        Simulator::Run();
    }
    GossipScheduleNow([&sendNext]() { sendNext(0); });
    double t1 = GossipWallSeconds();
    Simulator::Run();
    double runSeconds = GossipWallSeconds() - t1;
    uint64_t peak = GossipProcStatusKb("VmHWM:");
    double perHostKb = double(rssBuilt - rss0) / n;
    // Under --mpi: datagrams delivered at every rank's hosts, the largest rank's memory.
    std::vector<uint64_t> delivered{g_received};
    gossip::mpi::Sum(delivered);
    g_received = delivered[0];
    std::vector<double> worst{double(peak), perHostKb, runSeconds, buildSeconds};
    gossip::mpi::Max(worst);
    peak = uint64_t(worst[0]);
    perHostKb = worst[1];
    runSeconds = worst[2];
    buildSeconds = worst[3];
    double rate = g_received / runSeconds;
    if (!gossip::mpi::IsPrinter())
    {
        Simulator::Destroy();
        return g_received == datagrams ? 0 : 2;
    }

    std::printf("hosts=%u fabric=%ux%ux%u spines=%u build_s=%.2f peak_rss_mb=%.0f "
                "kb_per_host=%.1f datagrams=%u delivered=%lu datagrams_per_s=%.0f\n",
                n,
                p,
                r,
                h,
                spines,
                buildSeconds,
                peak / 1024.0,
                perHostKb,
                datagrams,
                (unsigned long)g_received,
                rate);
    Simulator::Destroy();
    return g_received == datagrams ? 0 : 2;
}
} // namespace

int
main(int argc, char* argv[])
{
    uint32_t hosts = 1000;
    uint32_t spines = 4;
    uint32_t datagrams = 100000; // about 1.5 s at 1,000 hosts: shorter runs were too noisy
    bool queueDiscs = false;
    bool fabricRouting = true;
    bool hugePages = true;
    bool mpi = false;
    bool nullMessage = false;
    Time coreDelay = MicroSeconds(2);
    std::vector<uint32_t> sweep;
    std::string prefix = "topology-scale";

    GossipOptions cmd(__FILE__,
                      "Benchmark: build time, memory and forwarding rate of the datacenter "
                      "fabric. The default run (1,000 hosts) takes about 5 s; --hosts=100000 "
                      "about a minute and 1.6 GB; 390625 several minutes and 6 GB; "
                      "--sweep=1000,10000,100000,390625 the sum of its sizes.");
    cmd.Add("hosts", "hosts (rounded to a whole fabric; 390625 = 25x125x125)", hosts, 1U, 390625U);
    cmd.Add("spines", "spines per pod", spines, 1U, 64U);
    cmd.Add("datagrams", "datagrams in the random UDP workload", datagrams, 1U, 10000000U);
    cmd.Add("queueDiscs", "install ns-3's default queue discs on every device", queueDiscs);
    cmd.Add("fabricRouting",
            "switches use GossipFabricRouting (hash lookups) instead of Ipv4StaticRouting",
            fabricRouting);
    cmd.Add("hugePages",
            "sweep children back malloc with transparent huge pages "
            "(GLIBC_TUNABLES=glibc.malloc.hugetlb=1): fewer TLB misses at 100,000+ hosts",
            hugePages);
    cmd.AddList("sweep",
                "comma-separated host counts, each run in a child process (default: no sweep)",
                sweep,
                1U,
                390625U);
    cmd.AddPrefix(prefix, "output prefix for the sweep's CSV");
    cmd.Add("coreDelay",
            "delay of the spine-to-core links (the lookahead between ranks under --mpi)",
            coreDelay,
            Seconds(0),
            Seconds(1));
    cmd.AddMpi(mpi, nullMessage);
    cmd.Parse(argc, argv);
    GossipOptions::Require(!mpi || sweep.empty(), "sweep", "(with --mpi)", "no sweep under --mpi");
    GossipOptions::StartMpi(&argc, &argv, mpi, nullMessage);

    if (sweep.empty())
    {
        int rc = RunOne(hosts, spines, datagrams, queueDiscs, fabricRouting, coreDelay);
        gossip::mpi::Disable();
        return rc;
    }
    for (uint32_t item : sweep) // every size is checked before the first child runs
    {
        uint32_t h;
        uint32_t r;
        uint32_t p;
        Dimension(item, h, r, p);
        DatacenterTopologyHelper dc;
        dc.SetHostsPerRack(h);
        dc.SetRacksPerPod(r);
        dc.SetPods(p);
        dc.SetSpinesPerPod(spines);
        GossipRequireFabric(dc, 390625, "sweep", item, true);
    }

    // One child process per size, so that each peak RSS is that size's own.
    char self[4096];
    ssize_t len = readlink("/proc/self/exe", self, sizeof(self) - 1);
    if (len <= 0)
    {
        std::cerr << "error: cannot find my own executable to run the sweep" << std::endl;
        return 1;
    }
    self[len] = '\0';
    GossipCsvWriter csv(
        prefix + ".csv",
        {"hosts", "build_s", "peak_rss_mb", "kb_per_host", "datagrams_per_s", "rate_vs_first"});
    double firstRate = 0;
    int status = 0;
    for (uint32_t item : sweep) // integers, checked: safe to put in a shell command
    {
        std::ostringstream c;
        if (hugePages)
        {
            c << "GLIBC_TUNABLES=glibc.malloc.hugetlb=1 ";
        }
        c << self << " --hosts=" << item << " --spines=" << spines << " --datagrams=" << datagrams
          << " --queueDiscs=" << queueDiscs << " --fabricRouting=" << fabricRouting
          << " --coreDelay=" << GossipTimeText(coreDelay);
        FILE* f = popen(c.str().c_str(), "r");
        char line[1024] = {0};
        std::string out;
        while (f && fgets(line, sizeof(line), f))
        {
            out += line;
        }
        int rc = f ? pclose(f) : -1;
        std::cout << out << std::flush;
        status |= rc != 0;
        unsigned n = 0;
        double build = 0;
        double rss = 0;
        double kb = 0;
        double rate = 0;
        const char* at = out.c_str();
        std::sscanf(at, "hosts=%u", &n);
        if (const char* q = std::strstr(at, "build_s="))
        {
            std::sscanf(q, "build_s=%lf peak_rss_mb=%lf kb_per_host=%lf", &build, &rss, &kb);
        }
        if (const char* q = std::strstr(at, "datagrams_per_s="))
        {
            std::sscanf(q, "datagrams_per_s=%lf", &rate);
        }
        firstRate = firstRate == 0 ? rate : firstRate;
        csv.Row(n, build, rss, kb, rate, firstRate > 0 ? rate / firstRate : 0.0);
    }
    std::cout << "wrote " << prefix << ".csv" << std::endl;
    return status;
}
