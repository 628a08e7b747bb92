/*
 * SPDX-License-Identifier: GPL-2.0-only
 *
 * Scenario tests for lpbcast over real simulated networks: delivery under loss, retrieval of
 * missing events, a process leaving and joining, malformed datagrams, the small-world overlay
 * (RTT-based near peers, repair after a crash) and determinism.
 */
#include "ns3/core-module.h"
#include "ns3/datacenter-topology-helper.h"
#include "ns3/gossip-delivery-stats.h"
#include "ns3/inet-socket-address.h"
#include "ns3/lpbcast-helper.h"
#include "ns3/network-module.h"
#include "ns3/test.h"
#include "ns3/udp-socket-factory.h"
#include "ns3/wan-topology-helper.h"

#include <sstream>

using namespace ns3;

namespace
{
DatacenterTopologyHelper
Fabric(uint32_t hostsPerRack, uint32_t racks, double loss)
{
    DatacenterTopologyHelper dc;
    dc.SetHostsPerRack(hostsPerRack);
    dc.SetRacksPerPod(racks);
    dc.SetSpinesPerPod(2);
    dc.SetHostLinkErrorRate(loss);
    return dc;
}

/// Broadcast count events from pseudo-random origins, one every gap, starting at start.
void
ScheduleBroadcasts(const LpbcastHelper& helper, uint32_t count, Time start, Time gap)
{
    const auto& apps = helper.GetApplications();
    for (uint32_t k = 0; k < count; ++k)
    {
        Ptr<LpbcastApplication> app = apps[(k * 7 + 3) % apps.size()];
        Simulator::Schedule(start + gap * k, [app]() { app->Broadcast(); });
    }
}
} // namespace

/// Every event reaches every process despite 5% loss on every host link.
class LpbcastLossTestCase : public TestCase
{
  public:
    LpbcastLossTestCase()
        : TestCase("full delivery under 5% loss (retrieval on)")
    {
    }

  private:
    void DoRun() override
    {
        RngSeedManager::SetSeed(1);
        RngSeedManager::SetRun(1);
        DatacenterTopologyHelper dc = Fabric(8, 4, 0.05);
        dc.Install();
        dc.AssignStreams(100);
        LpbcastHelper lp;
        lp.SetAttribute("Period", TimeValue(MilliSeconds(100)));
        lp.SetAttribute("ViewSize", UintegerValue(10));
        lp.SetAttribute("Fanout", UintegerValue(3));
        ApplicationContainer apps = lp.Install(dc);
        lp.AssignStreams(200);
        GossipDeliveryStats stats;
        lp.ConnectStats(stats);
        apps.Start(Seconds(0));
        ScheduleBroadcasts(lp, 20, Seconds(1), MilliSeconds(50));
        Simulator::Stop(Seconds(6));
        Simulator::Run();
        NS_TEST_ASSERT_MSG_EQ(stats.GetMessages(), 20, "broadcasts not recorded");
        NS_TEST_ASSERT_MSG_EQ_TOL(stats.GetFullyDeliveredFraction(),
                                  1.0,
                                  1e-12,
                                  "some event missed some process");
        NS_TEST_ASSERT_MSG_EQ(lp.GetCounters().malformed, 0, "no malformed datagrams expected");
        NS_TEST_ASSERT_MSG_GT(lp.GetCounters().duplicates, 0, "gossip should be redundant");
        Simulator::Destroy();
    }
};

/// Missing events are recovered by retrieval: without it delivery is incomplete, with it full.
class LpbcastRetrievalTestCase : public TestCase
{
  public:
    LpbcastRetrievalTestCase()
        : TestCase("retrieval recovers events that gossip missed")
    {
    }

  private:
    struct Result
    {
        double mean;
        double full;
        uint64_t retrieved;
        uint64_t requests;
    };

    Result Run(bool retrieve)
    {
        RngSeedManager::SetSeed(1);
        RngSeedManager::SetRun(3);
        DatacenterTopologyHelper dc = Fabric(8, 4, 0.15);
        dc.Install();
        dc.AssignStreams(100);
        LpbcastHelper lp;
        lp.SetAttribute("Period", TimeValue(MilliSeconds(100)));
        lp.SetAttribute("ViewSize", UintegerValue(10));
        lp.SetAttribute("Fanout", UintegerValue(2));
        lp.SetAttribute("Retrieve", BooleanValue(retrieve));
        ApplicationContainer apps = lp.Install(dc);
        lp.AssignStreams(200);
        GossipDeliveryStats stats;
        lp.ConnectStats(stats);
        apps.Start(Seconds(0));
        ScheduleBroadcasts(lp, 20, Seconds(1), MilliSeconds(50));
        Simulator::Stop(Seconds(8));
        Simulator::Run();
        Result r{stats.GetMeanDeliveryFraction(),
                 stats.GetFullyDeliveredFraction(),
                 lp.GetCounters().retrieved,
                 lp.GetCounters().retrieveRequests};
        Simulator::Destroy();
        return r;
    }

    void DoRun() override
    {
        Result without = Run(false);
        Result with = Run(true);
        NS_TEST_ASSERT_MSG_EQ(without.retrieved, 0, "retrieval off but events retrieved");
        NS_TEST_ASSERT_MSG_LT(without.full, 1.0, "infect-and-die gossip alone should miss some");
        NS_TEST_ASSERT_MSG_GT(with.retrieved, 0, "nothing was retrieved");
        NS_TEST_ASSERT_MSG_GT(with.requests, 0, "no retrieve request was sent");
        NS_TEST_ASSERT_MSG_EQ_TOL(with.full, 1.0, 1e-12, "retrieval did not recover everything");
        NS_TEST_ASSERT_MSG_GT(with.mean, without.mean, "retrieval did not help");
    }
};

/// A process unsubscribes (leaves every view, gets nothing new), then joins again.
class LpbcastLeaveJoinTestCase : public TestCase
{
  public:
    LpbcastLeaveJoinTestCase()
        : TestCase("a process leaves, is removed from views, and joins again")
    {
    }

  private:
    uint32_t CountInViews(const LpbcastHelper& lp, uint32_t id)
    {
        uint32_t n = 0;
        for (const auto& app : lp.GetApplications())
        {
            n += app->IsMember() && app->GetMembership().InView(id);
        }
        return n;
    }

    void DoRun() override
    {
        RngSeedManager::SetSeed(1);
        RngSeedManager::SetRun(5);
        DatacenterTopologyHelper dc = Fabric(5, 4, 0.0);
        dc.Install();
        LpbcastHelper lp;
        lp.SetAttribute("Period", TimeValue(MilliSeconds(100)));
        lp.SetAttribute("ViewSize", UintegerValue(8));
        lp.SetAttribute("UnSubTimeout", TimeValue(Seconds(2)));
        ApplicationContainer apps = lp.Install(dc);
        lp.AssignStreams(10);
        apps.Start(Seconds(0));
        Ptr<LpbcastApplication> leaver = lp.GetApplications()[7];
        Ptr<LpbcastApplication> other = lp.GetApplications()[12];
        uint32_t inViewsBefore = 0;
        uint32_t inViewsAfterLeave = 0;
        uint32_t inViewsAfterJoin = 0;
        uint64_t deliveredAtLeave = 0;
        uint64_t deliveredWhileAway = 0;
        Simulator::Schedule(Seconds(1.95),
                            [&]() { inViewsBefore = CountInViews(lp, leaver->GetSelf()); });
        Simulator::Schedule(Seconds(2), [&]() {
            leaver->Unsubscribe();
            deliveredAtLeave = leaver->GetDelivered();
        });
        // Events broadcast while it is away must not reach it.
        for (uint32_t k = 0; k < 5; ++k)
        {
            Simulator::Schedule(Seconds(3) + MilliSeconds(100 * k),
                                [other]() { other->Broadcast(); });
        }
        Simulator::Schedule(Seconds(3.9), [&]() {
            inViewsAfterLeave = CountInViews(lp, leaver->GetSelf());
            deliveredWhileAway = leaver->GetDelivered() - deliveredAtLeave;
        });
        // Rejoin after the unsubscription expired everywhere.
        Simulator::Schedule(Seconds(4.5),
                            [&]() { leaver->Subscribe({Ipv4Address(other->GetSelf())}); });
        Simulator::Schedule(Seconds(5.5), [other]() { other->Broadcast(); });
        Simulator::Schedule(Seconds(6.9),
                            [&]() { inViewsAfterJoin = CountInViews(lp, leaver->GetSelf()); });
        Simulator::Stop(Seconds(7));
        Simulator::Run();
        NS_TEST_ASSERT_MSG_GT(inViewsBefore, 0, "the process was in nobody's view to start with");
        NS_TEST_ASSERT_MSG_EQ(inViewsAfterLeave, 0, "unsubscription not honoured by every view");
        NS_TEST_ASSERT_MSG_EQ(deliveredWhileAway, 0, "a departed process delivered events");
        NS_TEST_ASSERT_MSG_EQ(leaver->IsMember(), true, "the process did not rejoin");
        NS_TEST_ASSERT_MSG_GT(inViewsAfterJoin, 0, "the rejoined process is in nobody's view");
        NS_TEST_ASSERT_MSG_EQ(leaver->GetEventIds().Contains({other->GetSelf(), 6}),
                              true,
                              "the rejoined process missed an event broadcast after it joined");
        Simulator::Destroy();
    }
};

/// Garbage datagrams to the lpbcast port are dropped and counted; the protocol goes on.
class LpbcastMalformedTestCase : public TestCase
{
  public:
    LpbcastMalformedTestCase()
        : TestCase("malformed datagrams are dropped and counted")
    {
    }

  private:
    void DoRun() override
    {
        RngSeedManager::SetSeed(1);
        RngSeedManager::SetRun(7);
        DatacenterTopologyHelper dc = Fabric(4, 2, 0.0);
        dc.Install();
        LpbcastHelper lp;
        lp.SetAttribute("Period", TimeValue(MilliSeconds(100)));
        lp.SetAttribute("ViewSize", UintegerValue(5));
        ApplicationContainer apps = lp.Install(dc);
        lp.AssignStreams(10);
        GossipDeliveryStats stats;
        lp.ConnectStats(stats);
        apps.Start(Seconds(0));
        Ptr<Socket> attacker = Socket::CreateSocket(dc.GetHost(0), UdpSocketFactory::GetTypeId());
        attacker->Bind();
        Ptr<UniformRandomVariable> u = CreateObject<UniformRandomVariable>();
        u->SetStream(99);
        // A valid gossip cut short, then random bytes behind a valid version/type prefix.
        LpbcastHeader g;
        g.SetType(LpbcastHeader::GOSSIP);
        g.subs = {1, 2, 3};
        Ptr<Packet> full = Create<Packet>();
        full->AddHeader(g);
        const uint32_t sent = 40;
        for (uint32_t k = 0; k < sent; ++k)
        {
            Ptr<Packet> p;
            if (k % 2 == 0)
            {
                p = full->CreateFragment(0, k % full->GetSize());
            }
            else
            {
                std::vector<uint8_t> bytes(3 + u->GetInteger(0, 40));
                for (auto& b : bytes)
                {
                    b = u->GetInteger(0, 255);
                }
                bytes[0] = LpbcastHeader::VERSION;
                bytes[1] = LpbcastHeader::GOSSIP;
                bytes[2] = 0xff; // event count far beyond the bytes present
                p = Create<Packet>(bytes.data(), bytes.size());
            }
            Ipv4Address to = dc.GetHostAddress(1 + k % (dc.GetNHosts() - 1));
            Simulator::Schedule(Seconds(1) + MilliSeconds(k), [attacker, p, to]() {
                attacker->SendTo(p, 0, InetSocketAddress(to, 7150));
            });
        }
        ScheduleBroadcasts(lp, 5, Seconds(1.5), MilliSeconds(100));
        Simulator::Stop(Seconds(4));
        Simulator::Run();
        uint64_t counted = 0;
        for (const auto& app : lp.GetApplications())
        {
            counted += app->GetMalformed();
        }
        NS_TEST_ASSERT_MSG_EQ(counted, sent, "every garbage datagram must be counted once");
        NS_TEST_ASSERT_MSG_EQ(lp.GetCounters().malformed, sent, "MalformedPacket trace");
        NS_TEST_ASSERT_MSG_EQ_TOL(stats.GetFullyDeliveredFraction(), 1.0, 1e-12, "delivery");
        Simulator::Destroy();
    }
};

/// Small-world overlay on a two-datacenter WAN: near peers by measured RTT are local, long
/// links exist, and a crashed peer is replaced.
class LpbcastSmallWorldTestCase : public TestCase
{
  public:
    LpbcastSmallWorldTestCase()
        : TestCase("small-world overlay: RTT-near peers, long-range peers, repair after a crash")
    {
    }

  private:
    void DoRun() override
    {
        RngSeedManager::SetSeed(1);
        RngSeedManager::SetRun(9);
        WanTopologyHelper wan;
        wan.SetDatacenters(2);
        wan.SetDatacenterTemplate(Fabric(6, 2, 0.0));
        wan.SetWanLinkAttribute("Delay", StringValue("20ms"));
        wan.Install();
        LpbcastHelper lp;
        lp.SetAttribute("Period", TimeValue(MilliSeconds(200)));
        lp.SetAttribute("ViewMode", StringValue("SmallWorld"));
        lp.SetAttribute("NearPeers", UintegerValue(3));
        lp.SetAttribute("LongRangePeers", UintegerValue(2));
        lp.SetAttribute("Exponent", DoubleValue(0.0));
        lp.SetAttribute("ProbeInterval", TimeValue(MilliSeconds(200)));
        lp.SetAttribute("ProbeTimeout", TimeValue(MilliSeconds(150)));
        lp.SetAttribute("ProbesPerInterval", UintegerValue(30));
        ApplicationContainer apps = lp.Install(wan);
        lp.AssignStreams(10);
        GossipDeliveryStats stats;
        lp.ConnectStats(stats);
        apps.Start(Seconds(0));
        const auto& all = lp.GetApplications();
        Ptr<LpbcastApplication> victim = all[2];
        uint32_t localNear = 0;
        uint32_t nearTotal = 0;
        uint32_t withLong = 0;
        LpbcastOverlayMetrics before;
        Simulator::Schedule(Seconds(3), [&]() {
            for (uint32_t i = 0; i < all.size(); ++i)
            {
                for (uint32_t p : all[i]->GetOverlay().GetNear())
                {
                    uint32_t j = 0;
                    while (all[j]->GetSelf() != p)
                    {
                        ++j;
                    }
                    localNear += wan.GetHostDatacenter(i) == wan.GetHostDatacenter(j);
                    ++nearTotal;
                }
                withLong += all[i]->GetOverlay().GetLongRange().size() == 2;
            }
            before = lp.AnalyzeOverlay();
            victim->Crash();
        });
        uint32_t stillPointing = 99;
        Simulator::Schedule(Seconds(5), [&]() {
            stillPointing = 0;
            for (const auto& app : all)
            {
                auto t = app->GetTargets();
                stillPointing +=
                    app->IsMember() && std::find(t.begin(), t.end(), victim->GetSelf()) != t.end();
            }
        });
        Simulator::Schedule(Seconds(3.5), [&]() { stats.MarkCrashed(victim->GetNode()->GetId()); });
        ScheduleBroadcasts(lp, 6, Seconds(5.2), MilliSeconds(100));
        Simulator::Stop(Seconds(9));
        Simulator::Run();
        NS_TEST_ASSERT_MSG_EQ(nearTotal, 3 * all.size(), "every process should have c near peers");
        NS_TEST_ASSERT_MSG_EQ(localNear, nearTotal, "a near peer by RTT is across the WAN");
        NS_TEST_ASSERT_MSG_EQ(withLong, all.size(), "every process should have 2 long-range peers");
        NS_TEST_ASSERT_MSG_EQ(before.components, 1, "overlay not connected");
        NS_TEST_ASSERT_MSG_GT(lp.GetCounters().peerFailures, 0, "the crash was not detected");
        NS_TEST_ASSERT_MSG_EQ(stillPointing, 0, "a crashed peer is still a gossip target");
        NS_TEST_ASSERT_MSG_EQ_TOL(stats.GetFullyDeliveredFraction(), 1.0, 1e-12, "delivery");
        Simulator::Destroy();
    }
};

/// The same run gives the same deliveries at the same times.
class LpbcastDeterminismTestCase : public TestCase
{
  public:
    LpbcastDeterminismTestCase()
        : TestCase("same RngRun, same trace")
    {
    }

  private:
    std::string Run(uint32_t run)
    {
        RngSeedManager::SetSeed(1);
        RngSeedManager::SetRun(run);
        DatacenterTopologyHelper dc = Fabric(6, 3, 0.05);
        dc.Install();
        dc.AssignStreams(100);
        LpbcastHelper lp;
        lp.SetAttribute("Period", TimeValue(MilliSeconds(100)));
        lp.SetAttribute("ViewSize", UintegerValue(8));
        lp.SetAttribute("EventPurging", StringValue("Age"));
        lp.SetAttribute("MembershipPurging", StringValue("Frequency"));
        ApplicationContainer apps = lp.Install(dc);
        lp.AssignStreams(200);
        std::ostringstream log;
        for (const auto& app : lp.GetApplications())
        {
            app->TraceConnectWithoutContext(
                "Deliver",
                Callback<void, uint32_t, uint32_t, uint32_t, bool>(
                    [&log, app](uint32_t o, uint32_t s, uint32_t age, bool r) {
                        log << Simulator::Now().GetNanoSeconds() << " " << app->GetSelf() << " "
                            << o << "#" << s << " " << age << " " << r << "\n";
                    }));
        }
        apps.Start(Seconds(0));
        ScheduleBroadcasts(lp, 10, Seconds(0.5), MilliSeconds(70));
        Simulator::Stop(Seconds(3));
        Simulator::Run();
        Simulator::Destroy();
        return log.str();
    }

    void DoRun() override
    {
        std::string a = Run(1);
        std::string b = Run(1);
        std::string c = Run(2);
        NS_TEST_ASSERT_MSG_GT(a.size(), 100, "nothing delivered");
        NS_TEST_ASSERT_MSG_EQ((a == b), true, "two runs with the same RngRun differ");
        NS_TEST_ASSERT_MSG_EQ((a == c), false, "RngRun has no effect");
    }
};

class LpbcastTestSuite : public TestSuite
{
  public:
    LpbcastTestSuite()
        : TestSuite("gossip-lpbcast")
    {
        AddTestCase(new LpbcastLossTestCase);
        AddTestCase(new LpbcastRetrievalTestCase);
        AddTestCase(new LpbcastLeaveJoinTestCase);
        AddTestCase(new LpbcastMalformedTestCase);
        AddTestCase(new LpbcastSmallWorldTestCase);
        AddTestCase(new LpbcastDeterminismTestCase);
    }
};

static LpbcastTestSuite g_lpbcastTestSuite;
