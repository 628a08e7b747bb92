/*
 * SPDX-License-Identifier: GPL-2.0-only
 *
 * Scenario tests for lpbcast over real simulated networks: delivery under loss, retrieval of
 * missing events, a process leaving and joining, malformed datagrams, the small-world overlay
 * (RTT-based near peers, repair after a crash) and determinism.
 */
#include "gossip-test-support.h"

#include "ns3/core-module.h"
#include "ns3/datacenter-topology-helper.h"
#include "ns3/gossip-delivery-stats.h"
#include "ns3/gossip-ns3-compat.h"
#include "ns3/inet-socket-address.h"
#include "ns3/ipv4-header.h"
#include "ns3/ipv4-l3-protocol.h"
#include "ns3/lpbcast-helper.h"
#include "ns3/network-module.h"
#include "ns3/test.h"
#include "ns3/udp-header.h"
#include "ns3/udp-l4-protocol.h"
#include "ns3/udp-socket-factory.h"
#include "ns3/wan-topology-helper.h"

#include <algorithm>
#include <cmath>
#include <cstdlib>
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

/// The i-th application of apps.
Ptr<LpbcastApplication>
App(const ApplicationContainer& apps, uint32_t i)
{
    return DynamicCast<LpbcastApplication>(apps.Get(i));
}

/// Broadcast count events from pseudo-random origins, one every gap, starting at start.
void
ScheduleBroadcasts(const ApplicationContainer& apps, uint32_t count, Time start, Time gap)
{
    for (uint32_t k = 0; k < count; ++k)
    {
        Ptr<LpbcastApplication> app = App(apps, (k * 7 + 3) % apps.GetN());
        GossipSchedule(start + gap * k, [app]() { app->Broadcast(); });
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
        gossip_test::RngRun rngGuard(1);
        DatacenterTopologyHelper dc = Fabric(8, 4, 0.05);
        dc.Install();
        dc.AssignStreams(100);
        LpbcastHelper lp;
        lp.SetAttribute("Period", TimeValue(MilliSeconds(100)));
        lp.SetAttribute("ViewSize", UintegerValue(10));
        lp.SetAttribute("Fanout", UintegerValue(3));
        ApplicationContainer apps = lp.Install(dc.GetHosts());
        lp.AssignStreams(dc.GetHosts(), 200);
        GossipDeliveryStats stats;
        stats.Attach(apps);
        LpbcastStats counters;
        counters.Attach(apps);
        apps.Start(Seconds(0));
        ScheduleBroadcasts(apps, 20, Seconds(1), MilliSeconds(50));
        Simulator::Stop(Seconds(6));
        Simulator::Run();
        NS_TEST_ASSERT_MSG_EQ(stats.GetMessages(), 20, "broadcasts not recorded");
        NS_TEST_ASSERT_MSG_EQ_TOL(stats.GetFullyDeliveredFraction(),
                                  1.0,
                                  1e-12,
                                  "some event missed some process");
        NS_TEST_ASSERT_MSG_EQ(counters.GetMalformed(), 0, "no malformed datagrams expected");
        NS_TEST_ASSERT_MSG_GT(counters.GetDuplicates(), 0, "gossip should be redundant");
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
        ApplicationContainer apps = lp.Install(dc.GetHosts());
        lp.AssignStreams(dc.GetHosts(), 200);
        GossipDeliveryStats stats;
        stats.Attach(apps);
        LpbcastStats counters;
        counters.Attach(apps);
        apps.Start(Seconds(0));
        ScheduleBroadcasts(apps, 20, Seconds(1), MilliSeconds(50));
        Simulator::Stop(Seconds(8));
        Simulator::Run();
        Result r{stats.GetMeanDeliveryFraction(),
                 stats.GetFullyDeliveredFraction(),
                 counters.GetRetrieved(),
                 counters.GetRetrieveRequests()};
        Simulator::Destroy();
        return r;
    }

    void DoRun() override
    {
        gossip_test::RngRun rngGuard;
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
    uint32_t CountInViews(const ApplicationContainer& apps, uint32_t id)
    {
        uint32_t n = 0;
        for (uint32_t i = 0; i < apps.GetN(); ++i)
        {
            n += App(apps, i)->IsMember() && App(apps, i)->GetMembership().InView(id);
        }
        return n;
    }

    void DoRun() override
    {
        gossip_test::RngRun rngGuard(5);
        DatacenterTopologyHelper dc = Fabric(5, 4, 0.0);
        dc.Install();
        LpbcastHelper lp;
        lp.SetAttribute("Period", TimeValue(MilliSeconds(100)));
        lp.SetAttribute("ViewSize", UintegerValue(8));
        lp.SetAttribute("UnSubTimeout", TimeValue(Seconds(2)));
        ApplicationContainer apps = lp.Install(dc.GetHosts());
        lp.AssignStreams(dc.GetHosts(), 10);
        apps.Start(Seconds(0));
        Ptr<LpbcastApplication> leaver = App(apps, 7);
        Ptr<LpbcastApplication> other = App(apps, 12);
        uint32_t inViewsBefore = 0;
        uint32_t inViewsAfterLeave = 0;
        uint32_t inViewsAfterJoin = 0;
        // Datagrams to the leaver's lpbcast port, counted where they arrive at its IP layer
        // (its socket is closed once it has left, so its own counters cannot tell).
        uint32_t toLeaverBefore = 0;
        uint32_t toLeaverAway = 0;
        leaver->GetNode()->GetObject<Ipv4L3Protocol>()->TraceConnectWithoutContext(
            "LocalDeliver",
            GossipCallback<const Ipv4Header&, Ptr<const Packet>, uint32_t>(
                [&](const Ipv4Header& ip, Ptr<const Packet> p, uint32_t) {
                    UdpHeader udp;
                    if (ip.GetDestination() != Ipv4Address(leaver->GetSelf()) ||
                        ip.GetProtocol() != UdpL4Protocol::PROT_NUMBER ||
                        p->GetSize() < udp.GetSerializedSize() || !p->PeekHeader(udp) ||
                        udp.GetDestinationPort() != 7150)
                    {
                        return;
                    }
                    const double t = Simulator::Now().GetSeconds();
                    toLeaverBefore += t >= 1.0 && t < 2.0;
                    // Its unsubscription has spread a second after it left (checked below).
                    toLeaverAway += t >= 3.0 && t < 3.9;
                }));
        GossipSchedule(Seconds(1.95),
                       [&]() { inViewsBefore = CountInViews(apps, leaver->GetSelf()); });
        GossipSchedule(Seconds(2), [&]() { leaver->Unsubscribe(); });
        // Events broadcast while it is away must not be sent to it.
        for (uint32_t k = 0; k < 5; ++k)
        {
            GossipSchedule(Seconds(3) + MilliSeconds(100 * k), [other]() { other->Broadcast(); });
        }
        GossipSchedule(Seconds(3.9),
                       [&]() { inViewsAfterLeave = CountInViews(apps, leaver->GetSelf()); });
        // Rejoin after the unsubscription expired everywhere.
        GossipSchedule(Seconds(4.5), [&]() { leaver->Subscribe({Ipv4Address(other->GetSelf())}); });
        GossipSchedule(Seconds(5.5), [other]() { other->Broadcast(); });
        GossipSchedule(Seconds(6.9),
                       [&]() { inViewsAfterJoin = CountInViews(apps, leaver->GetSelf()); });
        Simulator::Stop(Seconds(7));
        Simulator::Run();
        NS_TEST_ASSERT_MSG_GT(inViewsBefore, 0, "the process was in nobody's view to start with");
        NS_TEST_ASSERT_MSG_EQ(inViewsAfterLeave, 0, "unsubscription not honoured by every view");
        NS_TEST_ASSERT_MSG_GT(toLeaverBefore, 0, "nothing was sent to the process as a member");
        NS_TEST_ASSERT_MSG_EQ(toLeaverAway, 0, "datagrams still sent to a departed process");
        NS_TEST_ASSERT_MSG_EQ(leaver->IsMember(), true, "the process did not rejoin");
        NS_TEST_ASSERT_MSG_GT(inViewsAfterJoin, 0, "the rejoined process is in nobody's view");
        NS_TEST_ASSERT_MSG_EQ(leaver->GetEventIds().Contains({other->GetSelf(), 6}),
                              true,
                              "the rejoined process missed an event broadcast after it joined");
        Simulator::Destroy();
    }
};

/// Soak: 20% loss on every host link while members keep unsubscribing and subscribing again
/// (about 10% of them away at any moment), for a long run. Every event must reach every
/// process that was subscribed for its whole lifetime, and views, subs, unsubs, events, event
/// ids, retrieval state and the archive must stay flat.
class LpbcastSoakTestCase : public TestCase
{
  public:
    explicit LpbcastSoakTestCase(Time duration)
        : TestCase("soak: " + std::to_string(int(duration.GetSeconds())) +
                   " s at 20% host-link loss, ~10% of processes leaving and rejoining"),
          m_duration(duration)
    {
    }

  private:
    static constexpr uint32_t kPeriods = 6;
    /// How long an event may take to reach a process. Infect-and-die gossip reaches most
    /// processes within a second; the rest retrieve it. At 36% end-to-end loss a retrieval
    /// (gossip sender, random member, originator: three request/reply pairs, each through
    /// two lossy links) fails about 1 time in 5 and starts again when a later digest advertises
    /// the id: with 10 s, 4 of 61,747 deliveries owed in 600 s came later.
    static constexpr double kLifetimeSeconds = 20; // a constant Time would be made before
                                                   // the simulator's time resolution is set

    /// Per period: the largest figure any process showed.
    struct Peak
    {
        uint32_t view{0};
        uint32_t subs{0};
        uint32_t unSubs{0};
        uint32_t events{0};
        uint64_t idIntervals{0};
        uint32_t idQueue{0};
        uint32_t retrieval{0};
        uint32_t archive{0};
        uint64_t rssKb{0};
        uint64_t heapKb{0}; //!< heap in use (what the flatness check reads)
    };

    struct Soak
    {
        ApplicationContainer apps;
        Time duration;
        gossip_test::SoakLedger ledger; //!< by app index; "up" is subscribed
        std::vector<Peak> peaks;
        uint64_t rejoins{0};
    };

    static void OnDeliver(Soak* k, uint32_t index, const GossipMessageId& id)
    {
        k->ledger.Delivered(index, id);
    }

    static void Send(Soak* k, uint32_t index)
    {
        Ptr<LpbcastApplication> app = App(k->apps, index);
        GossipMessageId id{app->GetSelf(), app->Broadcast()};
        k->ledger.Sent(id);
        Simulator::Schedule(Seconds(kLifetimeSeconds),
                            &LpbcastSoakTestCase::Check,
                            k,
                            id,
                            Simulator::Now(),
                            index);
    }

    /// An event is owed to every process subscribed from 1 s before its broadcast (a process
    /// that rejoined needs a few rounds to be in views again) to kLifetimeSeconds after it (one
    /// that leaves stops retrieving). Checked then, and forgotten.
    static void Check(Soak* k, GossipMessageId id, Time sent, uint32_t origin)
    {
        k->ledger.Check(id, sent, origin, Seconds(1), Seconds(kLifetimeSeconds));
    }

    static void Sample(Soak* k)
    {
        uint32_t period = std::min<uint32_t>(
            kPeriods - 1,
            uint32_t(Simulator::Now().GetSeconds() * kPeriods / k->duration.GetSeconds()));
        Peak& p = k->peaks[period];
        for (uint32_t i = 0; i < k->apps.GetN(); ++i)
        {
            Ptr<LpbcastApplication> a = App(k->apps, i);
            const lpbcast::Membership& m = a->GetMembership();
            p.view = std::max<uint32_t>(p.view, m.GetView().size());
            p.subs = std::max<uint32_t>(p.subs, m.GetSubs().size());
            p.unSubs = std::max<uint32_t>(p.unSubs, m.GetUnSubs().size());
            p.idIntervals =
                std::max(p.idIntervals, a->GetEventIds().GetDigest().GetIntervalCount());
            p.idQueue = std::max(p.idQueue, a->GetEventIds().GetQueued());
            p.retrieval = std::max(p.retrieval, a->GetRetrieval().GetSize());
        }
        p.rssKb = std::max(p.rssKb, gossip_test::SoakLedger::RssKb());
        p.heapKb = std::max(p.heapKb, gossip_test::HeapInUseBytes() / 1024);
        Simulator::Schedule(MilliSeconds(500), &LpbcastSoakTestCase::Sample, k);
    }

    void DoRun() override
    {
        gossip_test::RngRun rngGuard(22);
        DatacenterTopologyHelper dc = Fabric(8, 4, 0.2);
        dc.Install();
        dc.AssignStreams(100);
        LpbcastHelper lp;
        lp.SetAttribute("Period", TimeValue(MilliSeconds(100)));
        lp.SetAttribute("UnSubTimeout", TimeValue(Seconds(2)));
        Soak k;
        k.apps = lp.Install(dc.GetHosts());
        lp.AssignStreams(dc.GetHosts(), 200);
        k.duration = m_duration;
        k.peaks.resize(kPeriods);
        const uint32_t n = k.apps.GetN();
        const std::vector<uint32_t> senders{1, 9, 17, 25}; // they stay
        k.ledger.Reset(n, m_duration);
        for (uint32_t i = 0; i < n; ++i)
        {
            App(k.apps, i)->TraceConnectWithoutContext(
                "Deliver",
                MakeBoundCallback(&LpbcastSoakTestCase::OnDeliver, &k, i));
        }
        k.apps.Start(Seconds(0));
        k.apps.Stop(m_duration);

        // Churn: every other process alternates subscribed ~ Exp(mean 45 s) and away ~ 0.5 s +
        // Exp(mean 5 s), about 10% away at any moment; it rejoins through one of the senders.
        Ptr<ExponentialRandomVariable> stay = CreateObject<ExponentialRandomVariable>();
        stay->SetAttribute("Mean", DoubleValue(45));
        stay->SetStream(9101);
        Ptr<ExponentialRandomVariable> away = CreateObject<ExponentialRandomVariable>();
        away->SetAttribute("Mean", DoubleValue(5));
        away->SetStream(9102);
        for (uint32_t i = 0; i < n; ++i)
        {
            if (std::find(senders.begin(), senders.end(), i) != senders.end())
            {
                continue;
            }
            Ptr<LpbcastApplication> app = App(k.apps, i);
            std::vector<Ipv4Address> contact{dc.GetHostAddress(senders[i % senders.size()])};
            std::vector<std::pair<Time, Time>> subscribed;
            Time t = Seconds(0);
            while (t < m_duration)
            {
                Time leave = t + Seconds(stay->GetValue());
                subscribed.push_back({t, std::min(leave, m_duration)});
                if (leave >= m_duration)
                {
                    break;
                }
                Simulator::Schedule(leave, &LpbcastApplication::Unsubscribe, app);
                t = leave + Seconds(0.5 + away->GetValue());
                if (t < m_duration)
                {
                    Simulator::Schedule(t, &LpbcastApplication::Subscribe, app, contact);
                    ++k.rejoins;
                }
            }
            k.ledger.SetUp(i, subscribed);
        }
        for (uint32_t j = 0; j < senders.size(); ++j)
        {
            for (Time t = Seconds(2) + MilliSeconds(250 * j);
                 t < m_duration - Seconds(kLifetimeSeconds + 1);
                 t += Seconds(1))
            {
                Simulator::Schedule(t, &LpbcastSoakTestCase::Send, &k, senders[j]);
            }
        }
        Simulator::Schedule(Seconds(1), &LpbcastSoakTestCase::Sample, &k);
        Simulator::Stop(m_duration);
        Simulator::Run();
        Simulator::Destroy();

        if (m_duration > Seconds(600) || std::getenv("GOSSIP_SOAK_REPORT"))
        {
            std::cout << "lpbcast soak, " << m_duration.GetSeconds()
                      << " s: " << k.ledger.GetMessages() << " events, " << k.rejoins
                      << " rejoins, " << k.ledger.GetOwed() << " deliveries owed, "
                      << k.ledger.GetMissed().size() << " missed\n";
            for (const std::string& m : k.ledger.GetMissed())
            {
                std::cout << "  missed " << m << "\n";
            }
            std::cout << "period  view  subs  unsubs  id-intervals  id-queue  retrieval  rss-kB  "
                         "heap-kB\n";
            for (uint32_t p = 0; p < kPeriods; ++p)
            {
                const Peak& q = k.peaks[p];
                std::cout << p << "  " << q.view << "  " << q.subs << "  " << q.unSubs << "  "
                          << q.idIntervals << "  " << q.idQueue << "  " << q.retrieval << "  "
                          << q.rssKb << "  " << q.heapKb << "\n";
            }
        }
        NS_TEST_ASSERT_MSG_GT(k.rejoins, 10, "processes left and rejoined");
        NS_TEST_ASSERT_MSG_GT(k.ledger.GetOwed(),
                              1000,
                              "events were owed to processes subscribed throughout");
        NS_TEST_ASSERT_MSG_EQ(k.ledger.GetMissed().size(),
                              0,
                              "every process subscribed throughout delivered");
        // Every buffer stays within its configured bound for the whole run (the retrieval
        // buffer fills in bursts after a rejoin: the events missed while away).
        for (const Peak& q : k.peaks)
        {
            NS_TEST_ASSERT_MSG_LT_OR_EQ(q.view, 15, "view within ViewSize");
            NS_TEST_ASSERT_MSG_LT_OR_EQ(q.subs, 15, "subs within MaxSubs");
            NS_TEST_ASSERT_MSG_LT_OR_EQ(q.unSubs, 15, "unsubs within MaxUnSubs");
            NS_TEST_ASSERT_MSG_LT_OR_EQ(q.retrieval, 240, "retrieval within MaxRetrieve");
            NS_TEST_ASSERT_MSG_LT_OR_EQ(q.idIntervals, 60, "event ids within MaxEventIds");
            NS_TEST_ASSERT_MSG_LT_OR_EQ(q.idQueue, 2 * 60 + 65, "event-id queue swept");
        }
        // The archive (1000 events) is full after 250 s; from then on memory is flat.
        const uint32_t base = uint32_t(std::ceil(250.0 * kPeriods / m_duration.GetSeconds()));
        NS_TEST_ASSERT_MSG_LT(base + 1, kPeriods, "the run must go on after the archives fill");
        const Peak& ref = k.peaks[std::min(base, kPeriods - 1)];
        // The heap in use, not the resident set: the latter also holds what the allocator (or
        // ASan's quarantine, in the sanitizer build) keeps after frees.
        NS_TEST_ASSERT_MSG_LT_OR_EQ(k.peaks[kPeriods - 1].heapKb,
                                    ref.heapKb + 16 * 1024,
                                    "heap in use flat (within 16 MB)");
    }

    Time m_duration;
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
        gossip_test::RngRun rngGuard(7);
        DatacenterTopologyHelper dc = Fabric(4, 2, 0.0);
        dc.Install();
        LpbcastHelper lp;
        lp.SetAttribute("Period", TimeValue(MilliSeconds(100)));
        lp.SetAttribute("ViewSize", UintegerValue(5));
        ApplicationContainer apps = lp.Install(dc.GetHosts());
        lp.AssignStreams(dc.GetHosts(), 10);
        GossipDeliveryStats stats;
        stats.Attach(apps);
        LpbcastStats counters;
        counters.Attach(apps);
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
            GossipSchedule(Seconds(1) + MilliSeconds(k), [attacker, p, to]() {
                attacker->SendTo(p, 0, InetSocketAddress(to, 7150));
            });
        }
        ScheduleBroadcasts(apps, 5, Seconds(1.5), MilliSeconds(100));
        Simulator::Stop(Seconds(4));
        Simulator::Run();
        uint64_t counted = 0;
        for (uint32_t i = 0; i < apps.GetN(); ++i)
        {
            counted += App(apps, i)->GetMalformed();
        }
        NS_TEST_ASSERT_MSG_EQ(counted, sent, "every garbage datagram must be counted once");
        NS_TEST_ASSERT_MSG_EQ(counters.GetMalformed(), sent, "Malformed trace");
        NS_TEST_ASSERT_MSG_EQ_TOL(stats.GetFullyDeliveredFraction(), 1.0, 1e-12, "delivery");
        Simulator::Destroy();
    }
};

/// A well-formed gossip whose digest advertises intervals up to UINT64_MAX (the wire allows
/// it) used to hang the receiver in lpbcast::EventIds::Missing. The receiver must go on working.
class LpbcastHostileDigestTestCase : public TestCase
{
  public:
    LpbcastHostileDigestTestCase()
        : TestCase("a gossip with a digest up to UINT64_MAX does not hang a process")
    {
    }

  private:
    void DoRun() override
    {
        gossip_test::RngRun rngGuard(11);
        DatacenterTopologyHelper dc = Fabric(4, 2, 0.0);
        dc.Install();
        LpbcastHelper lp;
        lp.SetAttribute("Period", TimeValue(MilliSeconds(100)));
        lp.SetAttribute("ViewSize", UintegerValue(5));
        lp.SetAttribute("MaxRetrieve", UintegerValue(100));
        ApplicationContainer apps = lp.Install(dc.GetHosts());
        lp.AssignStreams(dc.GetHosts(), 10);
        GossipDeliveryStats stats;
        stats.Attach(apps);
        LpbcastStats counters;
        counters.Attach(apps);
        apps.Start(Seconds(0));
        Ptr<Socket> attacker = Socket::CreateSocket(dc.GetHost(0), UdpSocketFactory::GetTypeId());
        attacker->Bind();
        LpbcastHeader g;
        g.SetType(LpbcastHeader::GOSSIP);
        for (uint32_t i = 1; i < dc.GetNHosts(); ++i)
        {
            const uint32_t origin = dc.GetHostAddress(i).Get();
            // Wraps the 64-bit counter; and a real 32-bit range that must be capped.
            g.eventIds.AddRange(origin, uint64_t(UINT32_MAX) - 5, UINT64_MAX);
            g.eventIds.AddRange(origin + 1000, 1, UINT32_MAX);
        }
        // Through the real codec: the datagram decodes as a valid gossip.
        Ptr<Packet> p = Create<Packet>();
        p->AddHeader(g);
        LpbcastHeader check;
        p->PeekHeader(check);
        NS_TEST_ASSERT_MSG_EQ(check.IsValid(), true, "the hostile gossip must be well formed");
        const Ipv4Address victimAddr = dc.GetHostAddress(3);
        Ptr<LpbcastApplication> victim = App(apps, 3);
        for (uint32_t k = 0; k < 3; ++k)
        {
            GossipSchedule(Seconds(1) + MilliSeconds(300 * k), [attacker, p, victimAddr]() {
                attacker->SendTo(p->Copy(), 0, InetSocketAddress(victimAddr, 7150));
            });
        }
        uint32_t retrieveSize = 0;
        GossipSchedule(Seconds(1.05), [&]() { retrieveSize = victim->GetRetrieval().GetSize(); });
        ScheduleBroadcasts(apps, 8, Seconds(2), MilliSeconds(100));
        Simulator::Stop(Seconds(5));
        Simulator::Run();
        NS_TEST_ASSERT_MSG_EQ(counters.GetMalformed(), 0, "the gossip is well formed");
        NS_TEST_ASSERT_MSG_GT(retrieveSize, 0, "the hostile digest was not processed");
        NS_TEST_ASSERT_MSG_LT_OR_EQ(retrieveSize, 100, "retrieve buffer above MaxRetrieve");
        NS_TEST_ASSERT_MSG_EQ_TOL(stats.GetFullyDeliveredFraction(), 1.0, 1e-12, "delivery");
        Simulator::Destroy();
    }
};

/// A hostile but well-formed process: a host whose LpbcastApplication has crashed keeps a
/// plain UDP socket and, every round, gossips to every honest process. Mode "ids": eventIds
/// claiming future numbers of every real origin (the newest window of each is sought, up to
/// MaxRetrieve), then RETRIEVE_REQUEST floods. Mode "members": subs naming 15 made-up
/// processes, and unsubscriptions of real processes stamped now. Honest processes broadcast
/// under 5% host-link loss, so retrieval is needed.
class LpbcastHostileMemberTestCase : public TestCase
{
  public:
    explicit LpbcastHostileMemberTestCase(bool membership)
        : TestCase(membership ? "hostile process forging subs and unsubs every round: views "
                                "stay bounded (delivery does not: documented gap)"
                              : "hostile process claiming future event ids every round: bounded "
                                "cost, delivery goes on"),
          m_membership(membership)
    {
    }

  private:
    struct Costs
    {
        uint32_t maxRetrieve{0};
        uint32_t maxFakesInView{0};
        uint64_t requestsToLiar{0};
        uint64_t requestsToOrigins{0};
    };

    static void Lie(Ptr<Socket> s,
                    std::vector<Ipv4Address> victims,
                    std::vector<uint32_t> origins,
                    bool membership,
                    uint32_t round)
    {
        LpbcastHeader g;
        g.SetType(LpbcastHeader::GOSSIP);
        if (membership)
        {
            for (uint32_t k = 0; k < 15; ++k)
            {
                g.subs.push_back(Ipv4Address("10.200.0.1").Get() + round * 15 + k);
            }
            const int64_t now = Simulator::Now().GetNanoSeconds();
            for (uint32_t o : origins)
            {
                g.unSubs.push_back({o, now});
            }
        }
        else
        {
            for (uint32_t o : origins)
            {
                g.eventIds.AddRange(o, 1000000, 1000000 + 1000 * round);
            }
        }
        for (Ipv4Address v : victims)
        {
            Ptr<Packet> p = Create<Packet>();
            p->AddHeader(g);
            s->SendTo(p, 0, InetSocketAddress(v, 7150));
            if (!membership)
            {
                LpbcastHeader q; // ask for real events, as a flood of retrieval load
                q.SetType(LpbcastHeader::RETRIEVE_REQUEST);
                for (uint32_t o : origins)
                {
                    for (uint32_t seq = 1; seq <= 8; ++seq)
                    {
                        q.wanted.push_back({o, seq});
                    }
                }
                Ptr<Packet> r = Create<Packet>();
                r->AddHeader(q);
                s->SendTo(r, 0, InetSocketAddress(v, 7150));
            }
        }
    }

    static void Sample(const ApplicationContainer* apps, uint32_t liar, Costs* c)
    {
        for (uint32_t i = 0; i < apps->GetN(); ++i)
        {
            if (i == liar)
            {
                continue;
            }
            Ptr<LpbcastApplication> a = App(*apps, i);
            c->maxRetrieve = std::max(c->maxRetrieve, a->GetRetrieval().GetSize());
            uint32_t fakes = 0;
            for (uint32_t v : a->GetMembership().GetView())
            {
                fakes += (v >> 16) == (Ipv4Address("10.200.0.0").Get() >> 16);
            }
            c->maxFakesInView = std::max(c->maxFakesInView, fakes);
        }
        Simulator::Schedule(MilliSeconds(50), &LpbcastHostileMemberTestCase::Sample, apps, liar, c);
    }

    static void OnRequest(Costs* c,
                          uint32_t liarId,
                          uint32_t target,
                          const GossipMessageId& id,
                          uint32_t)
    {
        (target == liarId ? c->requestsToLiar : c->requestsToOrigins) +=
            target == liarId || target == id.sender;
    }

    void DoRun() override
    {
        gossip_test::RngRun rngGuard(23);
        DatacenterTopologyHelper dc = Fabric(8, 4, 0.05);
        dc.Install();
        dc.AssignStreams(100);
        LpbcastHelper lp;
        lp.SetAttribute("Period", TimeValue(MilliSeconds(100)));
        ApplicationContainer apps = lp.Install(dc.GetHosts());
        lp.AssignStreams(dc.GetHosts(), 200);
        const uint32_t liar = 5;
        GossipDeliveryStats stats;
        stats.Attach(apps);
        stats.MarkCrashed(App(apps, liar)->GetNode()->GetId());
        Costs c;
        std::vector<Ipv4Address> victims;
        std::vector<uint32_t> origins;
        for (uint32_t i = 0; i < apps.GetN(); ++i)
        {
            if (i != liar)
            {
                victims.push_back(dc.GetHostAddress(i));
                origins.push_back(dc.GetHostAddress(i).Get());
                App(apps, i)->TraceConnectWithoutContext(
                    "RetrieveRequest",
                    MakeBoundCallback(&LpbcastHostileMemberTestCase::OnRequest,
                                      &c,
                                      dc.GetHostAddress(liar).Get()));
            }
        }
        apps.Start(Seconds(0));
        Simulator::Schedule(Seconds(0.5), &LpbcastApplication::Crash, App(apps, liar));
        Ptr<Socket> sock = Socket::CreateSocket(dc.GetHost(liar), UdpSocketFactory::GetTypeId());
        sock->Bind();
        for (uint32_t r = 0; r < 80; ++r) // 1 s to 9 s
        {
            Simulator::Schedule(Seconds(1) + MilliSeconds(100 * r),
                                &LpbcastHostileMemberTestCase::Lie,
                                sock,
                                victims,
                                origins,
                                m_membership,
                                r + 1);
        }
        // 60 events from honest processes, 2 s to 8 s (the liar is never an origin).
        for (uint32_t k = 0; k < 60; ++k)
        {
            uint32_t i = (k * 7 + 3) % apps.GetN();
            i = i == liar ? i + 1 : i;
            Ptr<LpbcastApplication> app = App(apps, i);
            GossipSchedule(Seconds(2) + MilliSeconds(100 * k), [app]() { app->Broadcast(); });
        }
        Simulator::Schedule(Seconds(1), &LpbcastHostileMemberTestCase::Sample, &apps, liar, &c);
        Simulator::Stop(Seconds(14));
        Simulator::Run();
        const uint32_t honest = apps.GetN() - 1;
        const uint32_t rounds = 130;      // 13 s of 100 ms rounds after the liar starts
        const uint32_t maxRetrieve = 240; // MaxRetrieve's default
        const uint32_t retrieveRetry = 2; // RetrieveRetry's default
        NS_TEST_ASSERT_MSG_LT_OR_EQ(c.maxRetrieve, maxRetrieve, "retrieve buffer within bound");
        NS_TEST_ASSERT_MSG_LT_OR_EQ(c.maxFakesInView, 15, "views within ViewSize");
        if (!m_membership)
        {
            // Measured (RngRun 23): the retrieve buffer full (240) at every honest process,
            // 69,086 ids asked of the liar and 69,002 of the real origins in 13 s. Each entry
            // asks its originator once, and an entry lives at least RetrieveRetry rounds in a
            // buffer of MaxRetrieve: at most 240 / 2 ids per process per round.
            NS_TEST_ASSERT_MSG_GT(c.requestsToLiar, 0, "the lies were acted upon");
            NS_TEST_ASSERT_MSG_LT_OR_EQ(c.requestsToOrigins,
                                        uint64_t(honest) * rounds * maxRetrieve / retrieveRetry,
                                        "requests to originators bounded");
            NS_TEST_ASSERT_MSG_EQ_TOL(stats.GetFullyDeliveredFraction(),
                                      1.0,
                                      1e-12,
                                      "every honest process delivers every event");
        }
        else
        {
            // GAP, not asserted (a test must not pin it): lpbcast's membership is not
            // authenticated, in the paper as here. Forged unsubscriptions of every real process,
            // stamped now, and 15 made-up subs a round fill every view with processes that do
            // not exist (15 of 15 measured): mean delivery falls to 0.03 (RngRun 23). See
            // doc/robustness.rst.
            NS_TEST_ASSERT_MSG_GT(c.maxFakesInView, 0, "the lies were acted upon");
        }
        Simulator::Destroy();
    }

    bool m_membership;
};

/// A process holding a digest larger than the 16-bit length field (large MaxEventIds, many
/// isolated ids: fed here through unsolicited RETRIEVE_REPLY datagrams) used to send gossips
/// whose length wrapped, so every receiver dropped them as malformed. Now they must arrive
/// valid and fit one datagram.
class LpbcastLargeDigestTestCase : public TestCase
{
  public:
    LpbcastLargeDigestTestCase()
        : TestCase("a digest beyond 64 KiB is capped: gossips stay valid datagrams")
    {
    }

  private:
    void DoRun() override
    {
        gossip_test::RngRun rngGuard(13);
        DatacenterTopologyHelper dc = Fabric(4, 2, 0.0);
        dc.Install();
        LpbcastHelper lp;
        lp.SetAttribute("Period", TimeValue(MilliSeconds(100)));
        lp.SetAttribute("ViewSize", UintegerValue(5));
        lp.SetAttribute("MaxEventIds", UintegerValue(100000));
        ApplicationContainer apps = lp.Install(dc.GetHosts());
        lp.AssignStreams(dc.GetHosts(), 10);
        GossipDeliveryStats stats;
        stats.Attach(apps);
        LpbcastStats counters;
        counters.Attach(apps);
        apps.Start(Seconds(0));
        Ptr<LpbcastApplication> victim = App(apps, 3);
        const Ipv4Address victimAddr = dc.GetHostAddress(3);
        Ptr<Socket> feeder = Socket::CreateSocket(dc.GetHost(0), UdpSocketFactory::GetTypeId());
        feeder->Bind();
        // 8 origins x 3000 isolated ids, 200 apart: about 3 bytes each in the digest, 72 KB.
        const uint32_t origins = 8;
        const uint32_t perOrigin = 3000;
        for (uint32_t o = 0; o < origins; ++o)
        {
            LpbcastHeader r;
            r.SetType(LpbcastHeader::RETRIEVE_REPLY);
            for (uint32_t k = 1; k <= perOrigin; ++k)
            {
                r.events.push_back(lpbcast::Event{{0x0b000001 + o, 200 * k}, 0, {}});
            }
            Ptr<Packet> p = Create<Packet>();
            p->AddHeader(r);
            GossipSchedule(Seconds(1) + MilliSeconds(10 * o), [feeder, p, victimAddr]() {
                feeder->SendTo(p, 0, InetSocketAddress(victimAddr, 7150));
            });
        }
        uint32_t digestBytes = 0;
        GossipSchedule(Seconds(1.2), [&]() {
            digestBytes = victim->GetEventIds().GetDigest().GetSerializedSize();
        });
        uint32_t gossipsFromVictim = 0;
        uint32_t largest = 0;
        for (uint32_t i = 0; i < apps.GetN(); ++i)
        {
            apps.Get(i)->TraceConnectWithoutContext(
                "Rx",
                GossipCallback<Ptr<const Packet>, Ipv4Address>(
                    [&, victimAddr](Ptr<const Packet> p, Ipv4Address from) {
                        if (from == victimAddr && Simulator::Now() > Seconds(1.2))
                        {
                            ++gossipsFromVictim;
                            largest = std::max(largest, p->GetSize());
                        }
                    }));
        }
        ScheduleBroadcasts(apps, 4, Seconds(1.5), MilliSeconds(100));
        Simulator::Stop(Seconds(2.5));
        Simulator::Run();
        NS_TEST_ASSERT_MSG_GT(digestBytes, 65535, "the case must overflow the length field");
        NS_TEST_ASSERT_MSG_GT(gossipsFromVictim, 0, "no gossip from the process arrived");
        NS_TEST_ASSERT_MSG_LT_OR_EQ(largest, LpbcastHeader::MAX_DATAGRAM, "datagram too large");
        NS_TEST_ASSERT_MSG_EQ(counters.GetMalformed(), 0, "gossips were dropped as malformed");
        NS_TEST_ASSERT_MSG_EQ_TOL(stats.GetFullyDeliveredFraction(), 1.0, 1e-12, "delivery");
        Simulator::Destroy();
    }
};

/// A retrieve reply holds up to 64 events; with 1400-byte payloads that is 90 KB, more than a
/// datagram, and the reply was never sent. It must be cut to one datagram.
class LpbcastRetrieveReplySizeTestCase : public TestCase
{
  public:
    LpbcastRetrieveReplySizeTestCase()
        : TestCase("a retrieve reply of large events fits one datagram")
    {
    }

  private:
    void DoRun() override
    {
        gossip_test::RngRun rngGuard(17);
        DatacenterTopologyHelper dc = Fabric(4, 2, 0.0);
        dc.Install();
        LpbcastHelper lp;
        lp.SetAttribute("Period", TimeValue(MilliSeconds(100)));
        lp.SetAttribute("ViewSize", UintegerValue(5));
        lp.SetAttribute("PayloadSize", UintegerValue(1400));
        ApplicationContainer apps = lp.Install(dc.GetHosts());
        lp.AssignStreams(dc.GetHosts(), 10);
        apps.Start(Seconds(0));
        Ptr<LpbcastApplication> origin = App(apps, 2);
        for (uint32_t k = 0; k < 64; ++k)
        {
            GossipSchedule(Seconds(1) + MilliSeconds(k), [origin]() { origin->Broadcast(); });
        }
        Ptr<Socket> asker = Socket::CreateSocket(dc.GetHost(0), UdpSocketFactory::GetTypeId());
        asker->Bind();
        uint32_t replies = 0;
        uint32_t largest = 0;
        uint32_t events = 0;
        // Replies go to the asker's lpbcast port (the protocol answers process to process).
        const Ipv4Address to = dc.GetHostAddress(2);
        App(apps, 0)->TraceConnectWithoutContext(
            "Rx",
            GossipCallback<Ptr<const Packet>, Ipv4Address>(
                [&, to](Ptr<const Packet> p, Ipv4Address from) {
                    LpbcastHeader h;
                    p->PeekHeader(h);
                    if (from == to && h.IsValid() && h.GetType() == LpbcastHeader::RETRIEVE_REPLY)
                    {
                        ++replies;
                        largest = std::max(largest, p->GetSize());
                        events = std::max<uint32_t>(events, h.events.size());
                    }
                }));
        GossipSchedule(Seconds(1.5), [asker, origin, to]() {
            LpbcastHeader q;
            q.SetType(LpbcastHeader::RETRIEVE_REQUEST);
            for (uint32_t s = 1; s <= 64; ++s)
            {
                q.wanted.push_back({origin->GetSelf(), s});
            }
            Ptr<Packet> p = Create<Packet>();
            p->AddHeader(q);
            asker->SendTo(p, 0, InetSocketAddress(to, 7150));
        });
        Simulator::Stop(Seconds(2));
        Simulator::Run();
        NS_TEST_ASSERT_MSG_GT(replies, 0, "no retrieve reply arrived");
        NS_TEST_ASSERT_MSG_LT_OR_EQ(largest, LpbcastHeader::MAX_DATAGRAM, "reply too large");
        NS_TEST_ASSERT_MSG_GT(events, 40, "a reply should carry as many events as fit");
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
        gossip_test::RngRun rngGuard(9);
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
        ApplicationContainer apps = lp.Install(wan.GetHosts());
        lp.AssignStreams(wan.GetHosts(), 10);
        GossipDeliveryStats stats;
        stats.Attach(apps);
        LpbcastStats counters;
        counters.Attach(apps);
        apps.Start(Seconds(0));
        std::vector<Ptr<LpbcastApplication>> all;
        for (uint32_t i = 0; i < apps.GetN(); ++i)
        {
            all.push_back(App(apps, i));
        }
        Ptr<LpbcastApplication> victim = all[2];
        uint32_t localNear = 0;
        uint32_t nearTotal = 0;
        uint32_t withLong = 0;
        lpbcast::OverlayMetrics before;
        GossipSchedule(Seconds(3), [&]() {
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
            before = LpbcastHelper::AnalyzeOverlay(apps);
            victim->Crash();
        });
        // Overlay peers are repaired after MissesToFail probes; reverse links (targets) lapse
        // once the crashed process has been silent for 10 rounds.
        uint32_t stillPeer = 99;
        uint32_t stillTarget = 99;
        auto count = [&all, victim](bool targets) {
            uint32_t n = 0;
            for (const auto& app : all)
            {
                auto t = targets ? app->GetTargets() : app->GetOverlay().GetPeers();
                n += app->IsMember() && std::find(t.begin(), t.end(), victim->GetSelf()) != t.end();
            }
            return n;
        };
        GossipSchedule(Seconds(4), [&]() { stillPeer = count(false); });
        GossipSchedule(Seconds(6), [&]() { stillTarget = count(true); });
        GossipSchedule(Seconds(3.5), [&]() { stats.MarkCrashed(victim->GetNode()->GetId()); });
        ScheduleBroadcasts(apps, 6, Seconds(6.2), MilliSeconds(100));
        Simulator::Stop(Seconds(10));
        Simulator::Run();
        NS_TEST_ASSERT_MSG_EQ(nearTotal, 3 * all.size(), "every process should have c near peers");
        NS_TEST_ASSERT_MSG_EQ(localNear, nearTotal, "a near peer by RTT is across the WAN");
        NS_TEST_ASSERT_MSG_EQ(withLong, all.size(), "every process should have 2 long-range peers");
        NS_TEST_ASSERT_MSG_EQ(before.components, 1, "overlay not connected");
        NS_TEST_ASSERT_MSG_GT(counters.GetPeerFailures(), 0, "the crash was not detected");
        NS_TEST_ASSERT_MSG_EQ(stillPeer, 0, "a crashed peer is still an overlay peer");
        NS_TEST_ASSERT_MSG_EQ(stillTarget, 0, "a crashed peer is still a gossip target");
        NS_TEST_ASSERT_MSG_EQ_TOL(stats.GetFullyDeliveredFraction(), 1.0, 1e-12, "delivery");
        // Repairs: at most one per probe tick, plus one per detected failure (not one per
        // probe reply, which made the overlay maintenance ~O(N^2) per interval).
        uint64_t repairs = 0;
        for (const auto& app : all)
        {
            repairs += app->GetOverlayRepairs();
        }
        const uint64_t ticks = 10 / 0.2 + 1;
        NS_TEST_ASSERT_MSG_GT(repairs, 0, "the overlay was never repaired");
        NS_TEST_ASSERT_MSG_LT_OR_EQ(repairs,
                                    all.size() * ticks + counters.GetPeerFailures(),
                                    "more than one overlay repair per probe tick");
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
    std::string Run(uint32_t run, bool containerStreams = false)
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
        ApplicationContainer apps = lp.Install(dc.GetHosts());
        int64_t streams = 0;
        if (containerStreams)
        {
            // Each application by hand, in node order: what the helper must do.
            for (uint32_t i = 0; i < apps.GetN(); ++i)
            {
                streams += App(apps, i)->AssignStreams(200 + streams);
            }
        }
        else
        {
            streams = lp.AssignStreams(dc.GetHosts(), 200);
        }
        NS_TEST_EXPECT_MSG_EQ(streams, int64_t(apps.GetN()), "one stream per application");
        std::ostringstream log;
        for (uint32_t i = 0; i < apps.GetN(); ++i)
        {
            Ptr<LpbcastApplication> app = App(apps, i);
            // A raw pointer: a Ptr captured in the app's own trace would keep it alive forever.
            LpbcastApplication* self = PeekPointer(app);
            app->TraceConnectWithoutContext(
                "DeliverWithAge",
                GossipCallback<const GossipMessageId&, uint32_t, bool>(
                    [&log, self](const GossipMessageId& id, uint32_t age, bool r) {
                        log << Simulator::Now().GetNanoSeconds() << " " << self->GetSelf() << " "
                            << id.sender << "#" << id.seq << " " << age << " " << r << "\n";
                    }));
        }
        apps.Start(Seconds(0));
        ScheduleBroadcasts(apps, 10, Seconds(0.5), MilliSeconds(70));
        Simulator::Stop(Seconds(3));
        Simulator::Run();
        Simulator::Destroy();
        return log.str();
    }

    void DoRun() override
    {
        gossip_test::RngRun rngGuard;
        std::string a = Run(1);
        std::string b = Run(1);
        std::string c = Run(2);
        std::string d = Run(1, true);
        NS_TEST_ASSERT_MSG_GT(a.size(), 100, "nothing delivered");
        NS_TEST_ASSERT_MSG_EQ((a == b), true, "two runs with the same RngRun differ");
        NS_TEST_ASSERT_MSG_EQ((a == c), false, "RngRun has no effect");
        NS_TEST_ASSERT_MSG_EQ((a == d),
                              true,
                              "AssignStreams per application differs from the helper's "
                              "AssignStreams(nodes, s)");
    }
};

/// A case that pins seed and run (run as a child, between DoSetup and DoRun) leaves the
/// global values as it found them.
class LpbcastRngRestoredTestCase : public TestCase
{
  public:
    LpbcastRngRestoredTestCase()
        : TestCase("cases restore the global RngSeed and RngRun")
    {
        AddTestCase(new LpbcastMalformedTestCase); // pins seed 1, run 7
    }

  private:
    void DoSetup() override
    {
        m_seed = RngSeedManager::GetSeed();
        m_run = RngSeedManager::GetRun();
        RngSeedManager::SetSeed(4321);
        RngSeedManager::SetRun(765);
    }

    void DoRun() override
    {
        if (gossip::compat::TEST_CASES_RESET_GLOBALS)
        {
            // ns-3 reset seed and run around the child case, hiding what it left: check the
            // guard every case uses directly.
            RngSeedManager::SetSeed(4321);
            RngSeedManager::SetRun(765);
            gossip_test::RngRun pinned(7);
        }
        const uint32_t seed = RngSeedManager::GetSeed();
        const uint64_t run = RngSeedManager::GetRun();
        NS_TEST_ASSERT_MSG_EQ(seed, 4321, "RngSeed not restored");
        NS_TEST_ASSERT_MSG_EQ(run, 765, "RngRun not restored");
    }

    void DoTeardown() override
    {
        RngSeedManager::SetSeed(m_seed);
        RngSeedManager::SetRun(m_run);
    }

    uint32_t m_seed{1};
    uint64_t m_run{1};
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
        // EXTENSIVE: the README's test command runs it (utils/gossip.sh); ./test.py in a tree
        // and CI's sanitizer step run QUICK cases only (it takes minutes under ASan).
        AddTestCase(new LpbcastSoakTestCase(Seconds(600)), gossip::compat::EXTENSIVE);
        AddTestCase(new LpbcastSoakTestCase(Seconds(3600)), gossip::compat::TAKES_FOREVER);
        AddTestCase(new LpbcastMalformedTestCase);
        AddTestCase(new LpbcastHostileDigestTestCase);
        AddTestCase(new LpbcastHostileMemberTestCase(false));
        AddTestCase(new LpbcastHostileMemberTestCase(true));
        AddTestCase(new LpbcastLargeDigestTestCase);
        AddTestCase(new LpbcastRetrieveReplySizeTestCase);
        AddTestCase(new LpbcastSmallWorldTestCase);
        AddTestCase(new LpbcastDeterminismTestCase);
        AddTestCase(new LpbcastRngRestoredTestCase);
    }
};

static LpbcastTestSuite g_lpbcastTestSuite;
