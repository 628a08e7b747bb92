/*
 * SPDX-License-Identifier: GPL-2.0-only
 *
 * Scenario tests of Bimodal Multicast over a small simulated datacenter.
 */
#include "gossip-test-support.h"

#include "ns3/boolean.h"
#include "ns3/core-module.h"
#include "ns3/datacenter-topology-helper.h"
#include "ns3/enum.h"
#include "ns3/gossip-delivery-stats.h"
#include "ns3/gossip-digest.h"
#include "ns3/gossip-infection-chain.h"
#include "ns3/gossip-ns3-compat.h"
#include "ns3/inet-socket-address.h"
#include "ns3/internet-module.h"
#include "ns3/pbcast-application.h"
#include "ns3/pbcast-bimodal-run.h"
#include "ns3/pbcast-header.h"
#include "ns3/pbcast-helper.h"
#include "ns3/pbcast-rmcast-baseline.h"
#include "ns3/test.h"
#include "ns3/udp-socket-factory.h"
#include "ns3/wan-topology-helper.h"

#include <algorithm>
#include <cstdlib>
#include <random>
#include <sstream>

using namespace ns3;

namespace
{
const Ipv4Address kGroup("239.255.0.7");

/// A small pbcast scenario: racks x hostsPerRack hosts, one sender.
struct Scenario
{
    uint32_t racks{4};
    uint32_t hostsPerRack{8};
    double linkLoss{0};
    uint32_t messages{20};
    double rate{20};
    uint32_t crashed{0};
    Time extra{Seconds(3)}; //!< run time after the last send
    std::vector<std::pair<std::string, Ptr<AttributeValue>>> attributes;
    bool record{true}; //!< keep the delivery statistics and the delivery and traffic logs

    DatacenterTopologyHelper dc;
    ApplicationContainer apps;
    GossipDeliveryStats stats;
    std::ostringstream log;     //!< every delivery, for determinism checks
    std::ostringstream traffic; //!< every datagram sent, gossip and retransmission
    uint32_t maxBuffered{0};
    uint32_t maxMissing{0};
    uint64_t maxDigestIntervals{0};
    uint32_t maxKnown{0};             //!< largest membership (failed included) seen
    std::vector<uint32_t> knownAtEnd; //!< per live member, just before the end
    std::vector<uint32_t> liveAtEnd;
    uint64_t multicastRetransmissions{0};
    uint64_t unicastRetransmissions{0};
    uint64_t giveUps{0};
    Time maxLatency;

    void Build()
    {
        dc.SetHostsPerRack(hostsPerRack);
        dc.SetRacksPerPod(racks);
        dc.SetSpinesPerPod(2);
        dc.SetHostLinkErrorRate(linkLoss);
        dc.Install();
        dc.EnableMulticast(kGroup);
        int64_t stream = 100;
        stream += dc.AssignStreams(stream);
        PbcastHelper h;
        h.SetAttribute("Group", Ipv4AddressValue(kGroup));
        for (const auto& a : attributes)
        {
            h.SetAttribute(a.first, *a.second);
        }
        apps = h.Install(dc.GetHosts());
        h.AssignStreams(dc.GetHosts(), stream);
        if (!record)
        {
            return; // a long run: these grow with every message
        }
        stats.Attach(apps);
        for (uint32_t i = 0; i < apps.GetN(); ++i)
        {
            Ptr<PbcastApplication> app = App(i);
            app->TraceConnectWithoutContext(
                "Deliver",
                MakeBoundCallback(&Scenario::OnDeliver, this, app->GetNode()->GetId()));
            app->TraceConnectWithoutContext("Retransmit",
                                            MakeBoundCallback(&Scenario::OnRetransmit, this));
            app->TraceConnectWithoutContext("GiveUp", MakeBoundCallback(&Scenario::OnGiveUp, this));
            uint32_t node = app->GetNode()->GetId();
            app->TraceConnectWithoutContext("Tx", MakeBoundCallback(&Scenario::OnTx, this, node));
            app->TraceConnectWithoutContext("GossipTx",
                                            MakeBoundCallback(&Scenario::OnGossipTx, this, node));
            app->TraceConnectWithoutContext(
                "Retransmit",
                MakeBoundCallback(&Scenario::OnRetransmitLog, this, node));
        }
    }

    Ptr<PbcastApplication> App(uint32_t i) const
    {
        return DynamicCast<PbcastApplication>(apps.Get(i));
    }

    static void OnDeliver(Scenario* s, uint32_t node, const GossipMessageId& id)
    {
        s->log << Simulator::Now().GetNanoSeconds() << " " << node << " " << id << "\n";
        // The statistics saw the Broadcast: the latency from the send.
        s->maxLatency = std::max(s->maxLatency, Simulator::Now() - s->stats.GetSendTime(id));
    }

    static void OnRetransmit(Scenario* s, const GossipMessageId&, bool multicast, GossipSenderId)
    {
        (multicast ? s->multicastRetransmissions : s->unicastRetransmissions)++;
    }

    static void OnTx(Scenario* s, uint32_t node, Ptr<const Packet> p, Ipv4Address)
    {
        s->traffic << Simulator::Now().GetNanoSeconds() << " tx " << node << " " << p->GetSize()
                   << "\n";
    }

    static void OnGossipTx(Scenario* s, uint32_t node, Ptr<const Packet> p, GossipSenderId to)
    {
        s->traffic << Simulator::Now().GetNanoSeconds() << " gossip " << node << "->" << to << " "
                   << p->GetSize() << "\n";
    }

    static void OnRetransmitLog(Scenario* s,
                                uint32_t node,
                                const GossipMessageId& id,
                                bool multicast,
                                GossipSenderId to)
    {
        s->traffic << Simulator::Now().GetNanoSeconds() << " retrans " << node << " " << id
                   << (multicast ? " m " : " u ") << to << "\n";
    }

    static void OnGiveUp(Scenario* s, const GossipMessageId&)
    {
        s->giveUps++;
    }

    void Sample()
    {
        for (uint32_t i = 0; i < apps.GetN(); ++i)
        {
            maxBuffered = std::max(maxBuffered, App(i)->GetBufferedMessages());
            maxMissing = std::max(maxMissing, App(i)->GetMissingMessages());
            maxKnown = std::max(maxKnown, App(i)->GetKnownMembers());
            maxDigestIntervals =
                std::max(maxDigestIntervals, App(i)->GetDigest().GetIntervalCount());
        }
        Simulator::Schedule(MilliSeconds(250), &Scenario::Sample, this);
    }

    void RecordMembership()
    {
        for (uint32_t i = 0; i + crashed < apps.GetN(); ++i)
        {
            knownAtEnd.push_back(App(i)->GetKnownMembers());
            liveAtEnd.push_back(App(i)->GetLiveMembers());
        }
    }

    static void SendOne(Ptr<PbcastApplication> app)
    {
        app->Send(Create<Packet>(200));
    }

    /// Run: members join in the first second, then the sender (host 1) sends.
    void Run()
    {
        Build();
        const Time start = Seconds(1);
        const Time stop = start + Seconds(messages / rate) + extra;
        apps.Start(Seconds(0));
        apps.Stop(stop);
        for (uint32_t i = 0; i < messages; ++i)
        {
            Simulator::Schedule(start + Seconds(i / rate), &Scenario::SendOne, App(1));
        }
        // Crash the last hosts (never the sender) just before the first message.
        for (uint32_t c = 0; c < crashed; ++c)
        {
            Ptr<PbcastApplication> v = App(apps.GetN() - 1 - c);
            Simulator::Schedule(start - MilliSeconds(10), &PbcastApplication::Crash, v);
            stats.MarkCrashed(v->GetNode()->GetId());
        }
        Simulator::Schedule(start, &Scenario::Sample, this);
        Simulator::Schedule(stop - MilliSeconds(1), &Scenario::RecordMembership, this);
        Simulator::Stop(stop);
        Simulator::Run();
        Simulator::Destroy();
    }
};

} // namespace

/// With 20% loss on the way to each receiver, every live member still gets every message.
class PbcastLossRecoveryTestCase : public TestCase
{
  public:
    PbcastLossRecoveryTestCase()
        : TestCase("20% phase-1 loss: every live member delivers every message within a few "
                   "rounds")
    {
    }

  private:
    void DoRun() override
    {
        gossip_test::RngRun rngRun(1);
        Scenario s;
        // Two host links per path, 10.6% each way: 1-(0.894)^2 = 20% loss end to end.
        s.linkLoss = 0.106;
        s.messages = 40;
        s.Run();
        NS_TEST_ASSERT_MSG_EQ(s.stats.GetMessages(), 40, "every send recorded");
        // Without gossip about 20% of deliveries would be missing; pbcast must repair all.
        NS_TEST_ASSERT_MSG_EQ_TOL(s.stats.GetMeanDeliveryFraction(),
                                  1.0,
                                  1e-9,
                                  "every live member delivers every message");
        NS_TEST_ASSERT_MSG_GT(s.unicastRetransmissions, 0, "repairs happened");
        NS_TEST_ASSERT_MSG_EQ(s.giveUps, 0, "no message given up");
        // Expected: a few rounds of 100 ms (log2(32) = 5); Stale is 20 rounds.
        NS_TEST_ASSERT_MSG_LT(s.maxLatency, MilliSeconds(1500), "repaired within 15 rounds");
    }
};

/// Crashed members are still chosen as gossip targets for a while; nobody waits for them.
class PbcastCrashTestCase : public TestCase
{
  public:
    PbcastCrashTestCase()
        : TestCase("crashed members do not stall the live ones")
    {
    }

  private:
    void DoRun() override
    {
        gossip_test::RngRun rngRun(2);
        Scenario s;
        s.linkLoss = 0.05;
        s.crashed = 8; // a quarter of the group
        s.messages = 30;
        s.Run();
        NS_TEST_ASSERT_MSG_EQ(s.stats.GetLiveMembers(), 24, "24 live members");
        NS_TEST_ASSERT_MSG_EQ_TOL(s.stats.GetMeanDeliveryFraction(),
                                  1.0,
                                  1e-9,
                                  "every live member delivers every message");
        NS_TEST_ASSERT_MSG_LT(s.maxLatency, MilliSeconds(1500), "no stall");
    }
};

/// Buffers, missing lists and digests stay bounded over a long run with loss.
class PbcastBoundedBuffersTestCase : public TestCase
{
  public:
    PbcastBoundedBuffersTestCase()
        : TestCase("buffers and digests stay bounded over a long run")
    {
    }

  private:
    void DoRun() override
    {
        gossip_test::RngRun rngRun(3);
        Scenario s;
        s.racks = 2;
        s.hostsPerRack = 8;
        s.linkLoss = 0.05;
        s.rate = 50;
        s.messages = 1500; // 30 s of sending
        s.crashed = 2;
        s.Run();
        // Stale = 20 rounds of 100 ms: about 2 s of messages (100) plus a round or two.
        NS_TEST_ASSERT_MSG_LT_OR_EQ(s.maxBuffered, 115, "buffer bounded by Stale rounds");
        NS_TEST_ASSERT_MSG_LT(s.maxMissing, 50, "missing list bounded");
        NS_TEST_ASSERT_MSG_LT(s.maxDigestIntervals, 20, "digests stay compact");
        NS_TEST_ASSERT_MSG_GT(s.stats.GetMeanDeliveryFraction(), 0.999, "and delivery holds");
    }
};

/// With phase 1 off, many members ask the sender for the same messages: multicast kicks in.
class PbcastMulticastRetransmitTestCase : public TestCase
{
  public:
    PbcastMulticastRetransmitTestCase()
        : TestCase("repeated requests for one message trigger a multicast retransmission")
    {
    }

  private:
    uint64_t Count(uint32_t threshold, double* delivery)
    {
        gossip_test::RngRun rngRun(4);
        Scenario s;
        s.messages = 10;
        s.rate = 5;
        s.attributes.push_back({"Disseminate", Create<BooleanValue>(false)});
        s.attributes.push_back({"MulticastThreshold", Create<UintegerValue>(threshold)});
        s.attributes.push_back({"Fanout", Create<UintegerValue>(2)});
        s.Run();
        *delivery = s.stats.GetMeanDeliveryFraction();
        return s.multicastRetransmissions;
    }

    void DoRun() override
    {
        double withMc = 0;
        double withoutMc = 0;
        uint64_t mc = Count(2, &withMc);
        uint64_t none = Count(0, &withoutMc);
        NS_TEST_ASSERT_MSG_GT(mc, 0, "threshold 2 (the lecture's \"two nodes ask\") multicasts");
        NS_TEST_ASSERT_MSG_EQ(none, 0, "threshold 0 never multicasts");
        NS_TEST_ASSERT_MSG_EQ_TOL(withMc, 1.0, 1e-9, "all delivered with multicast repairs");
        NS_TEST_ASSERT_MSG_EQ_TOL(withoutMc, 1.0, 1e-9, "all delivered by gossip alone");
    }
};

/// The same RngRun gives the same trace; another run gives another.
class PbcastDeterminismTestCase : public TestCase
{
  public:
    PbcastDeterminismTestCase()
        : TestCase("same RngRun, identical delivery and traffic traces")
    {
    }

  private:
    std::string Trace(uint64_t run, std::string* traffic)
    {
        gossip_test::RngRun rngRun(run);
        Scenario s;
        s.racks = 2;
        s.linkLoss = 0.1;
        s.messages = 20;
        s.Run();
        *traffic = s.traffic.str();
        return s.log.str();
    }

    void DoRun() override
    {
        std::string ta;
        std::string tb;
        std::string tc;
        std::string a = Trace(7, &ta);
        std::string b = Trace(7, &tb);
        std::string c = Trace(8, &tc);
        NS_TEST_ASSERT_MSG_GT(a.size(), 100, "non-trivial trace");
        NS_TEST_ASSERT_MSG_EQ(a, b, "same run, same trace");
        NS_TEST_ASSERT_MSG_NE(a, c, "another run differs (losses are random)");
        NS_TEST_ASSERT_MSG_NE(ta.find(" gossip "), std::string::npos, "gossip traced");
        NS_TEST_ASSERT_MSG_NE(ta.find(" retrans "), std::string::npos, "retransmissions traced");
        NS_TEST_ASSERT_MSG_EQ(ta, tb, "same run, same Tx/GossipTx/Retransmit traces");
        NS_TEST_ASSERT_MSG_NE(ta, tc, "another run, other traffic");
    }
};

/// Garbage datagrams on the pbcast port are dropped and counted, and the protocol goes on:
/// thousands of seeded random byte strings (half with a valid version and type, to reach the
/// deeper checks) and every truncation of valid packets of each type.
class PbcastMalformedTestCase : public TestCase
{
  public:
    PbcastMalformedTestCase()
        : TestCase("garbage and truncated datagrams are dropped and counted")
    {
    }

  private:
    /// The datagrams to send: random strings, then truncations of valid packets.
    static std::vector<std::vector<uint8_t>> Datagrams()
    {
        std::vector<std::vector<uint8_t>> out;
        std::mt19937 gen(20261125); // fixed: the same datagrams every run
        std::uniform_int_distribution<int> byte(0, 255);
        std::uniform_int_distribution<int> len(0, 120);
        for (uint32_t i = 0; i < 3000; ++i)
        {
            std::vector<uint8_t> b(len(gen));
            for (auto& x : b)
            {
                x = static_cast<uint8_t>(byte(gen));
            }
            if (i % 2 == 0 && b.size() >= 2)
            {
                b[0] = PbcastHeader::VERSION;
                b[1] = static_cast<uint8_t>(1 + i / 2 % 4); // one of the message types
            }
            out.push_back(b);
        }
        GossipDigest d;
        d.AddRange(7, 3, 40);
        d.Add(9, 100);
        pbcast::MemberEntry e;
        e.id = 7;
        e.address = Ipv4Address("10.0.0.7");
        e.heartbeat = 12;
        std::vector<PbcastHeader> valid(4);
        valid[0].SetType(PbcastHeader::DATA);
        valid[0].SetMessage(7, 41, Seconds(1));
        valid[1].SetType(PbcastHeader::GOSSIP);
        valid[1].SetSource(7, 0);
        valid[1].SetRound(5);
        valid[1].SetDigest(d);
        valid[1].SetMembers({e});
        valid[2].SetType(PbcastHeader::SOLICIT);
        valid[2].SetSource(7, 0);
        valid[2].SetDigest(d);
        valid[3].SetType(PbcastHeader::JOIN);
        valid[3].SetSource(7, 0);
        valid[3].SetMembers({e});
        for (const auto& h : valid)
        {
            Ptr<Packet> p = Create<Packet>();
            p->AddHeader(h);
            std::vector<uint8_t> full(p->GetSize());
            p->CopyData(full.data(), full.size());
            for (uint32_t n = 0; n < full.size(); ++n) // every proper prefix of the header
            {
                out.emplace_back(full.begin(), full.begin() + n);
            }
        }
        return out;
    }

    /// Whether the receiver can parse it (the same test as PbcastApplication::Receive).
    static bool Parses(const std::vector<uint8_t>& b)
    {
        Ptr<Packet> p = Create<Packet>(b.data(), b.size());
        PbcastHeader h;
        return p->GetSize() >= 3 && p->PeekHeader(h) != 0;
    }

    static void Send(Ptr<Node> from, Ipv4Address to, std::vector<uint8_t> b)
    {
        Ptr<Socket> s = Socket::CreateSocket(from, UdpSocketFactory::GetTypeId());
        s->Bind();
        s->SendTo(Create<Packet>(b.data(), b.size()), 0, InetSocketAddress(to, 7946));
        s->Close();
    }

    void DoRun() override
    {
        gossip_test::RngRun rngRun(5);
        Scenario s;
        s.racks = 1;
        s.messages = 10;
        s.Build();
        s.apps.Start(Seconds(0));
        s.apps.Stop(Seconds(5));
        for (uint32_t i = 0; i < 10; ++i)
        {
            Simulator::Schedule(Seconds(1) + MilliSeconds(50 * i), &Scenario::SendOne, s.App(1));
        }
        std::vector<std::vector<uint8_t>> all = Datagrams();
        uint64_t bad = 0;
        for (uint32_t i = 0; i < all.size(); ++i)
        {
            bad += !Parses(all[i]);
            // Spread over 0.9..2.4 s (0.5 ms apart), interleaved with the real traffic.
            Simulator::Schedule(Seconds(0.9) + MicroSeconds(500 * i),
                                &PbcastMalformedTestCase::Send,
                                s.dc.GetHost(3),
                                s.dc.GetHostAddress(2),
                                all[i]);
        }
        Simulator::Stop(Seconds(5));
        Simulator::Run();
        uint64_t malformed = s.App(2)->GetMalformed();
        Simulator::Destroy();
        NS_TEST_ASSERT_MSG_GT(bad, 2000, "most datagrams are unparsable");
        NS_TEST_ASSERT_MSG_EQ(malformed, bad, "every unparsable datagram was counted");
        NS_TEST_ASSERT_MSG_EQ_TOL(s.stats.GetMeanDeliveryFraction(),
                                  1.0,
                                  1e-9,
                                  "delivery unaffected");
    }
};

/// A hostile but well-formed GOSSIP (thousands of made-up senders with huge high-water marks,
/// a real sender with a huge floor) costs bounded work and does not stop delivery.
class PbcastHostileDigestTestCase : public TestCase
{
  public:
    PbcastHostileDigestTestCase()
        : TestCase("hostile gossip digest: bounded missing state, delivery goes on")
    {
    }

  private:
    struct Victim
    {
        Ptr<PbcastApplication> app;
        uint32_t maxMissing{0};
        uint64_t requested{0};
    };

    static void OnSolicit(Victim* v, GossipSenderId, uint32_t count)
    {
        v->requested += count;
    }

    static void SampleVictim(Victim* v)
    {
        v->maxMissing = std::max(v->maxMissing, v->app->GetMissingMessages());
    }

    static void Hostile(Ptr<Node> from,
                        GossipSenderId fromId,
                        Ipv4Address to,
                        GossipSenderId real,
                        Victim* v)
    {
        const uint64_t huge = 1000000000000ULL;
        GossipDigest d;
        for (GossipSenderId x = 100000; x < 102000; ++x)
        {
            d.SetFloor(x, huge - 5000);
            d.AddRange(x, huge, huge + 10);
        }
        d.SetFloor(real, huge); // would hide all of the real sender's messages
        d.AddRange(real, huge, huge + 5);
        PbcastHeader h;
        h.SetType(PbcastHeader::GOSSIP);
        h.SetSource(fromId, 0);
        h.SetRound(1);
        h.SetDigest(d);
        Ptr<Packet> p = Create<Packet>();
        p->AddHeader(h);
        Ptr<Socket> s = Socket::CreateSocket(from, UdpSocketFactory::GetTypeId());
        s->Bind();
        s->SendTo(p, 0, InetSocketAddress(to, 7946));
        s->Close();
        // Sampled after the datagram has been handled (same host fabric, sub-ms delivery).
        Simulator::Schedule(MilliSeconds(5), &PbcastHostileDigestTestCase::SampleVictim, v);
    }

    void DoRun() override
    {
        gossip_test::RngRun rngRun(12);
        Scenario s;
        s.racks = 1;
        s.messages = 20;
        s.Build();
        const uint32_t victimIdx = 2;
        Victim v;
        v.app = s.App(victimIdx);
        v.app->TraceConnectWithoutContext("Solicit", MakeBoundCallback(&OnSolicit, &v));
        s.apps.Start(Seconds(0));
        s.apps.Stop(Seconds(6));
        for (uint32_t i = 0; i < 20; ++i)
        {
            Simulator::Schedule(Seconds(1) + MilliSeconds(50 * i), &Scenario::SendOne, s.App(1));
        }
        // The first hostile datagram arrives before the real sender's first message.
        for (uint32_t i = 0; i < 20; ++i)
        {
            Simulator::Schedule(Seconds(0.9) + MilliSeconds(100 * i),
                                &PbcastHostileDigestTestCase::Hostile,
                                s.dc.GetHost(3),
                                s.dc.GetHost(3)->GetId(),
                                s.dc.GetHostAddress(victimIdx),
                                s.App(1)->GetNode()->GetId(),
                                &v);
        }
        Simulator::Stop(Seconds(6));
        Simulator::Run();
        Simulator::Destroy();
        uint32_t maxRequests = 100; // the attribute's default
        NS_TEST_ASSERT_MSG_LT_OR_EQ(v.maxMissing,
                                    2 * maxRequests + s.messages,
                                    "missing entries bounded (not thousands of senders x span)");
        NS_TEST_ASSERT_MSG_LT_OR_EQ(v.requested, 20 * maxRequests + s.messages, "requests bounded");
        NS_TEST_ASSERT_MSG_EQ_TOL(s.stats.GetMeanDeliveryFraction(),
                                  1.0,
                                  1e-9,
                                  "every member, the victim included, delivers every message");
    }
};

/// A hostile but well-formed member: a host whose PbcastApplication has crashed keeps a plain
/// UDP socket and, every round, lies to every honest member within the format (GOSSIP digests
/// claiming far-future numbers of the real sender, of the liar and of 1000 made-up senders,
/// and SOLICIT floods for the real sender's messages under made-up requester ids), while a real
/// sender broadcasts
/// for longer than Stale rounds. The test measures what the liar makes each honest member
/// spend (solicitations toward it, retransmitted bytes per round, missing entries) and checks
/// delivery.
class PbcastHostileMemberTestCase : public TestCase
{
  public:
    PbcastHostileMemberTestCase()
        : TestCase("hostile member lying every round: bounded cost per honest member")
    {
    }

  private:
    static constexpr uint64_t kHuge = 1000000000000ULL;
    static constexpr uint32_t kFakeSenders = 1000;
    static constexpr uint32_t kSolicitsPerRound = 5; //!< SOLICITs per honest member per round
    static constexpr uint32_t kPayload = 200;        //!< Scenario::SendOne
    static constexpr uint32_t kOverhead = 100;       //!< MessageOverhead's default

    /// What one honest member spends, per its own round.
    struct Honest
    {
        Ptr<PbcastApplication> app;
        GossipSenderId liar{0};
        GossipSenderId real{0};
        std::map<uint64_t, uint64_t> solicitedFromLiar; //!< round -> messages asked of the liar
        std::map<uint64_t, uint64_t> retransmitBytes;   //!< round -> bytes charged
        uint32_t maxMissing{0};
        uint64_t realGiveUps{0};    //!< real sender's numbers given up
        uint64_t phantomGiveUps{0}; //!< other senders' numbers (the liar's made-up stream)
    };

    static void OnSolicit(Honest* h, GossipSenderId target, uint32_t count)
    {
        if (target == h->liar)
        {
            h->solicitedFromLiar[h->app->GetRound()] += count;
        }
    }

    static void OnRetransmit(Honest* h, const GossipMessageId&, bool, GossipSenderId)
    {
        h->retransmitBytes[h->app->GetRound()] += kPayload + kOverhead;
    }

    static void OnGiveUp(Honest* h, const GossipMessageId& id)
    {
        (id.sender == h->real ? h->realGiveUps : h->phantomGiveUps)++;
    }

    static void Sample(std::vector<Honest>* hs)
    {
        for (Honest& h : *hs)
        {
            h.maxMissing = std::max(h.maxMissing, h.app->GetMissingMessages());
        }
        Simulator::Schedule(MilliSeconds(20), &PbcastHostileMemberTestCase::Sample, hs);
    }

    static void SendTo(Ptr<Socket> s, Ipv4Address to, const PbcastHeader& h)
    {
        Ptr<Packet> p = Create<Packet>();
        p->AddHeader(h);
        s->SendTo(p, 0, InetSocketAddress(to, 7946));
    }

    /// One round of lies to every honest member.
    static void Lie(Ptr<Socket> s,
                    GossipSenderId liar,
                    Ipv4Address liarAddress,
                    GossipSenderId real,
                    std::vector<Ipv4Address> victims,
                    uint64_t round)
    {
        GossipDigest d;
        d.AddRange(real, 0, kHuge);               // "I have everything the sender will ever send"
        d.AddRange(liar, kHuge, kHuge + 1000000); // and a huge stream of its own
        for (GossipSenderId x = 100000; x < 100000 + kFakeSenders; ++x)
        {
            d.AddRange(x, kHuge, kHuge + 1000000);
        }
        pbcast::MemberEntry self; // only itself, with a live heartbeat: it stays a member
        self.id = liar;
        self.address = liarAddress;
        self.heartbeat = 1000 + round;
        PbcastHeader g;
        g.SetType(PbcastHeader::GOSSIP);
        g.SetSource(liar, 0);
        g.SetRound(round);
        g.SetDigest(d);
        g.SetMembers({self});
        // Served most recent first, at most MaxRequests numbers per SOLICIT: a huge range would
        // name only numbers never sent, so the liar asks for the first 100, which exist.
        GossipDigest all;
        all.AddRange(real, 0, 99);
        // A second GOSSIP without the made-up senders: the liar's own stream is then among the
        // most recent numbers the victim considers, so it asks the liar for them.
        GossipDigest own;
        own.AddRange(real, 0, kHuge);
        own.AddRange(liar, kHuge, kHuge + 1000000);
        PbcastHeader g2 = g;
        g2.SetDigest(own);
        for (Ipv4Address v : victims)
        {
            SendTo(s, v, g);
            SendTo(s, v, g2);
            // Timed solicitations stamped now are timely; made-up requesters dodge the
            // "not to the same member in consecutive rounds" rule.
            for (uint32_t k = 0; k < kSolicitsPerRound; ++k)
            {
                PbcastHeader q;
                q.SetType(PbcastHeader::SOLICIT);
                q.SetFlags(PbcastHeader::FLAG_TIMED);
                q.SetSource(200000 + uint32_t(round) * kSolicitsPerRound + k, 0);
                q.SetRound(Simulator::Now().GetNanoSeconds());
                q.SetDigest(all);
                SendTo(s, v, q);
            }
        }
    }

    void DoRun() override
    {
        gossip_test::RngRun rngRun(13);
        Scenario s;
        s.racks = 1; // 8 hosts: host 1 sends, host 3 lies, 6 more honest members
        s.Build();
        const uint32_t liarIdx = 3;
        const uint32_t messages = 60; // 3 s at 20/s: 30 rounds, longer than Stale (20)
        const GossipSenderId real = s.App(1)->GetNode()->GetId();
        const GossipSenderId liar = s.dc.GetHost(liarIdx)->GetId();
        std::vector<Honest> honest;
        std::vector<Ipv4Address> victims;
        for (uint32_t i = 0; i < s.apps.GetN(); ++i)
        {
            if (i != liarIdx)
            {
                Honest h;
                h.app = s.App(i);
                h.liar = liar;
                h.real = real;
                honest.push_back(h);
                victims.push_back(s.dc.GetHostAddress(i));
            }
        }
        for (Honest& h : honest) // connected once the vector no longer moves
        {
            h.app->TraceConnectWithoutContext("Solicit", MakeBoundCallback(&OnSolicit, &h));
            h.app->TraceConnectWithoutContext("Retransmit", MakeBoundCallback(&OnRetransmit, &h));
            h.app->TraceConnectWithoutContext("GiveUp", MakeBoundCallback(&OnGiveUp, &h));
        }
        s.apps.Start(Seconds(0));
        s.apps.Stop(Seconds(6));
        // The liar's own application stops running; its host keeps a plain UDP socket.
        Simulator::Schedule(MilliSeconds(500), &PbcastApplication::Crash, s.App(liarIdx));
        s.stats.MarkCrashed(liar);
        Ptr<Socket> sock =
            Socket::CreateSocket(s.dc.GetHost(liarIdx), UdpSocketFactory::GetTypeId());
        sock->Bind();
        for (uint32_t i = 0; i < messages; ++i)
        {
            Simulator::Schedule(Seconds(1) + MilliSeconds(50 * i), &Scenario::SendOne, s.App(1));
        }
        // Every round from before the first message until 1.5 s after the last.
        const uint32_t lieRounds = 45;
        for (uint32_t r = 0; r < lieRounds; ++r)
        {
            Simulator::Schedule(Seconds(0.9) + MilliSeconds(100 * r),
                                &PbcastHostileMemberTestCase::Lie,
                                sock,
                                liar,
                                s.dc.GetHostAddress(liarIdx),
                                real,
                                victims,
                                uint64_t(r + 1));
        }
        Simulator::Schedule(Seconds(0.9), &PbcastHostileMemberTestCase::Sample, &honest);
        Simulator::Stop(Seconds(6));
        Simulator::Run();
        Simulator::Destroy();

        uint64_t maxSolicit = 0;
        uint64_t totalSolicit = 0;
        uint64_t maxBytes = 0;
        uint32_t maxMissing = 0;
        uint64_t phantomGiveUps = 0;
        for (const Honest& h : honest)
        {
            for (const auto& kv : h.solicitedFromLiar)
            {
                maxSolicit = std::max(maxSolicit, kv.second);
                totalSolicit += kv.second;
            }
            for (const auto& kv : h.retransmitBytes)
            {
                maxBytes = std::max(maxBytes, kv.second);
            }
            maxMissing = std::max(maxMissing, h.maxMissing);
            phantomGiveUps += h.phantomGiveUps;
        }
        const uint32_t maxRequests = 100;          // MaxRequests's default
        const uint32_t maxRetransmitBytes = 30000; // MaxRetransmitBytes's default
        const uint32_t liarGossipsPerRound = 2;
        // Measured (RngRun 13): at most 101 messages asked of the liar in one round (100 for
        // one gossip plus 1 for the other), 30000 retransmitted bytes in a round (the SOLICIT
        // flood spends the whole budget and no more) and at most 202 missing entries.
        NS_TEST_ASSERT_MSG_GT(totalSolicit, 0, "the liar's claims were acted upon");
        NS_TEST_ASSERT_MSG_LT_OR_EQ(maxSolicit,
                                    liarGossipsPerRound * maxRequests,
                                    "at most MaxRequests asked of the liar per gossip it sends");
        NS_TEST_ASSERT_MSG_GT(maxBytes, 0, "the SOLICIT flood was served");
        NS_TEST_ASSERT_MSG_LT_OR_EQ(maxBytes,
                                    maxRetransmitBytes,
                                    "retransmitted bytes per round within MaxRetransmitBytes");
        // Missing entries: a claim never opens more than FirstContactWindow (100) numbers above
        // what a member holds of a sender, and given-up numbers are not sought again, so the
        // liar can keep at most 101 entries per sender the member knows: the real sender and
        // the liar's own stream (the 1000 made-up senders are not known). Measured: exactly
        // 202, in this 6 s run and in a 12 s one (before the fix: 636, and 4200 at 12 s).
        const uint32_t firstContactWindow = 100; // FirstContactWindow's default
        NS_TEST_ASSERT_MSG_LT_OR_EQ(maxMissing,
                                    2 * (firstContactWindow + 1),
                                    "missing entries bounded by the window per known sender");
        // The lie makes honest members seek and then give up numbers the real sender has not
        // sent yet; a given-up number is not held, so the real message is still accepted when
        // it comes (before the fix it was refused as a duplicate: mean delivery 0.776).
        for (uint32_t i = 0; i < messages; ++i)
        {
            NS_TEST_ASSERT_MSG_EQ_TOL(s.stats.GetDeliveryFraction(real, i),
                                      1.0,
                                      1e-9,
                                      "message " << i << " delivered by every honest member");
        }
        NS_TEST_ASSERT_MSG_GT(phantomGiveUps, 0, "made-up numbers were given up");
    }
};

/// Soak: 20% loss on every host link, and members crashing and coming back with new state
/// (PbcastApplication::Recover) at random times, about 10% of them down at any moment, for a
/// long run. Every message must reach every member that was up for its whole lifetime, and
/// each member's buffer, missing set, digest and membership must stay flat.
class PbcastSoakTestCase : public TestCase
{
  public:
    explicit PbcastSoakTestCase(Time duration)
        : TestCase("soak: " + std::to_string(int(duration.GetSeconds())) +
                   " s at 20% host-link loss, ~10% of members crashing and recovering"),
          m_duration(duration)
    {
    }

  private:
    static constexpr uint32_t kPeriods = 6; //!< the run is measured in this many periods
    static constexpr uint32_t kStale = 40;
    static constexpr double kLifetimeSeconds = kStale / 10.0; //!< Stale rounds of 100 ms
    static constexpr double kCheckAfterSeconds = kLifetimeSeconds + 2;

    /// Per period: the largest figure any running member showed.
    struct Peak
    {
        uint32_t buffered{0};
        uint32_t missing{0};
        uint32_t known{0};
        uint64_t intervals{0};
        uint64_t rssKb{0};
        uint64_t heapKb{0}; //!< heap in use (what the flatness check reads)
    };

    struct Soak
    {
        Scenario* s{nullptr};
        Time duration;
        gossip_test::SoakLedger ledger; //!< by app index
        std::vector<Peak> peaks;
        uint64_t recoveries{0};
    };

    static void OnDeliver(Soak* k, uint32_t index, const GossipMessageId& id)
    {
        k->ledger.Delivered(index, id);
    }

    static void Send(Soak* k, uint32_t index)
    {
        Ptr<PbcastApplication> app = k->s->App(index);
        GossipMessageId id{app->GetId(), app->Send(Create<Packet>(200))};
        k->ledger.Sent(id);
        Simulator::Schedule(Seconds(kCheckAfterSeconds),
                            &PbcastSoakTestCase::Check,
                            k,
                            id,
                            Simulator::Now(),
                            index);
    }

    /// A message's lifetime runs from 1 s before its send (a member that restarted needs a
    /// few rounds to rejoin through its seed) to Stale rounds (kLifetimeSeconds) after it; every
    /// member up throughout must have delivered it by kCheckAfterSeconds. Checked (and forgotten)
    /// then, so the test's own bookkeeping does not grow with the run.
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
        for (uint32_t i = 0; i < k->s->apps.GetN(); ++i)
        {
            Ptr<PbcastApplication> a = k->s->App(i);
            p.buffered = std::max(p.buffered, a->GetBufferedMessages());
            p.missing = std::max(p.missing, a->GetMissingMessages());
            p.known = std::max(p.known, a->GetKnownMembers());
            p.intervals = std::max(p.intervals, a->GetDigest().GetIntervalCount());
        }
        p.rssKb = std::max(p.rssKb, gossip_test::SoakLedger::RssKb());
        p.heapKb = std::max(p.heapKb, gossip_test::HeapInUseBytes() / 1024);
        Simulator::Schedule(MilliSeconds(500), &PbcastSoakTestCase::Sample, k);
    }

    void DoRun() override
    {
        gossip_test::RngRun rngRun(21);
        Scenario s; // 32 hosts in 4 racks; host 0 is every member's seed
        s.linkLoss = 0.2;
        s.record = false;
        // 20% on each host link is 36% end to end: a message lost on its way to a member must
        // be noticed, solicited and retransmitted (each leg lost w.p. 0.36) before the holders
        // collect it. With the default Stale (20 rounds) 6 of 386,236 deliveries owed in an
        // hour were missed; 40 rounds of buffering (4 s) make it 0.
        s.attributes.push_back({"Stale", Create<UintegerValue>(kStale)});
        s.Build();
        Soak k;
        k.s = &s;
        k.duration = m_duration;
        k.peaks.resize(kPeriods);
        const uint32_t n = s.apps.GetN();
        const std::vector<uint32_t> senders{1, 9, 17, 25}; // one per rack; they do not crash
        k.ledger.Reset(n, m_duration);
        for (uint32_t i = 0; i < n; ++i)
        {
            s.App(i)->TraceConnectWithoutContext(
                "Deliver",
                MakeBoundCallback(&PbcastSoakTestCase::OnDeliver, &k, i));
        }
        s.apps.Start(Seconds(0));
        s.apps.Stop(m_duration);

        // Churn: every member but the seed and the senders alternates up ~ Exp(mean 45 s) and
        // down ~ Exp(mean 5 s), so about 10% of them are down at any moment.
        Ptr<ExponentialRandomVariable> upTime = CreateObject<ExponentialRandomVariable>();
        upTime->SetAttribute("Mean", DoubleValue(45));
        upTime->SetStream(9001);
        Ptr<ExponentialRandomVariable> downTime = CreateObject<ExponentialRandomVariable>();
        downTime->SetAttribute("Mean", DoubleValue(5));
        downTime->SetStream(9002);
        for (uint32_t i = 1; i < n; ++i)
        {
            if (std::find(senders.begin(), senders.end(), i) != senders.end())
            {
                continue;
            }
            std::vector<std::pair<Time, Time>> up;
            Time t = Seconds(0);
            while (t < m_duration)
            {
                Time crash = t + Seconds(upTime->GetValue());
                up.push_back({t, std::min(crash, m_duration)});
                if (crash >= m_duration)
                {
                    break;
                }
                Simulator::Schedule(crash, &PbcastApplication::Crash, s.App(i));
                t = crash + Seconds(0.5 + downTime->GetValue());
                if (t < m_duration)
                {
                    Simulator::Schedule(t, &PbcastApplication::Recover, s.App(i));
                    ++k.recoveries;
                }
            }
            k.ledger.SetUp(i, up);
        }
        // Each sender broadcasts 1 message a second, from 2 s until 5 s before the end.
        for (uint32_t j = 0; j < senders.size(); ++j)
        {
            for (Time t = Seconds(2) + MilliSeconds(250 * j); t < m_duration - Seconds(5);
                 t += Seconds(1))
            {
                Simulator::Schedule(t, &PbcastSoakTestCase::Send, &k, senders[j]);
            }
        }
        Simulator::Schedule(Seconds(1), &PbcastSoakTestCase::Sample, &k);
        Simulator::Stop(m_duration);
        Simulator::Run();
        Simulator::Destroy();

        if (m_duration > Seconds(600) || std::getenv("GOSSIP_SOAK_REPORT"))
        {
            std::cout << "pbcast soak, " << m_duration.GetSeconds()
                      << " s: " << k.ledger.GetMessages() << " messages, " << k.recoveries
                      << " recoveries, " << k.ledger.GetOwed() << " deliveries owed, "
                      << k.ledger.GetMissed().size() << " missed\n";
            for (const std::string& m : k.ledger.GetMissed())
            {
                std::cout << "  missed " << m << "\n";
            }
            std::cout << "period  buffered  missing  digest-intervals  known  rss-kB  heap-kB\n";
            for (uint32_t p = 0; p < kPeriods; ++p)
            {
                std::cout << p << "  " << k.peaks[p].buffered << "  " << k.peaks[p].missing << "  "
                          << k.peaks[p].intervals << "  " << k.peaks[p].known << "  "
                          << k.peaks[p].rssKb << "  " << k.peaks[p].heapKb << "\n";
            }
        }
        NS_TEST_ASSERT_MSG_GT(k.recoveries, 10, "members crashed and came back");
        NS_TEST_ASSERT_MSG_GT(k.ledger.GetOwed(),
                              1000,
                              "messages were owed to members up for their lifetime");
        NS_TEST_ASSERT_MSG_EQ(k.ledger.GetMissed().size(),
                              0,
                              "every member up for a message's lifetime delivered it");
        // Flat. A member that comes back seeks up to FirstContactWindow (100) earlier messages
        // of each sender on first contact, so its missing set fills up to 4 x 101 once the
        // senders have sent 100 messages (t = 102 s); from then on no period may exceed the
        // third by more than half (plus 10, for loss bursts). The process's memory may grow by a
        // few MB.
        const uint32_t base = 2;
        NS_TEST_ASSERT_MSG_GT(m_duration, Seconds(102 * kPeriods / base), "windows fill first");
        const Peak& ref = k.peaks[base];
        for (uint32_t p = base + 1; p < kPeriods; ++p)
        {
            const Peak& q = k.peaks[p];
            NS_TEST_ASSERT_MSG_LT_OR_EQ(q.buffered, ref.buffered * 3 / 2 + 10, "buffer flat");
            NS_TEST_ASSERT_MSG_LT_OR_EQ(q.missing, ref.missing * 3 / 2 + 10, "missing flat");
            NS_TEST_ASSERT_MSG_LT_OR_EQ(q.intervals, ref.intervals * 3 / 2 + 10, "digest flat");
            NS_TEST_ASSERT_MSG_LT_OR_EQ(q.known, n, "membership bounded by the group");
        }
        // The heap in use, not the resident set: the latter also holds what the allocator (or
        // ASan's quarantine, in the sanitizer build) keeps after frees.
        NS_TEST_ASSERT_MSG_LT_OR_EQ(k.peaks[kPeriods - 1].heapKb,
                                    ref.heapKb + 16 * 1024,
                                    "heap in use flat (within 16 MB)");
    }

    Time m_duration;
};

/// pbcast-bimodal's model mode against the analysis: n = 30, fanout 1, epsilon 0.1, T = 6, 400
/// messages. The simulated mean must be within 4 standard errors of the chain's (sigma from the
/// chain's own distribution over sqrt(400)). It can fail: with exactly `fanout` targets a round
/// (the deployed protocol's rule) the mean is 21.1 against the chain's 18.9 (a Monte Carlo of
/// both rules), 6.6 standard errors away.
class PbcastBimodalModelTestCase : public TestCase
{
  public:
    PbcastBimodalModelTestCase()
        : TestCase("bimodal model mode matches the infection chain (n=30, F=1, eps=0.1, T=6)")
    {
    }

  private:
    void DoRun() override
    {
        gossip_test::RngRun rngRun(17);
        PbcastBimodalRun run;
        run.model = true;
        run.n = 30;
        run.fanout = 1;
        run.epsilon = 0.1;
        run.tau = 0;
        run.rounds = 6;
        run.messages = 400;
        int64_t stream = 1;
        std::vector<uint64_t> hist = run.Run(stream);
        std::vector<double> pi = gossip::InfectionChain(run.n, run.fanout, 0.1, 0).After(6);
        double mean = 0;
        double meanAna = 0;
        double var = 0;
        uint64_t total = 0;
        for (uint32_t k = 0; k <= run.n; ++k)
        {
            mean += double(k) * hist[k];
            total += hist[k];
            meanAna += k * pi[k];
        }
        mean /= total;
        for (uint32_t k = 0; k <= run.n; ++k)
        {
            var += (k - meanAna) * (k - meanAna) * pi[k];
        }
        NS_TEST_ASSERT_MSG_EQ(total, run.messages, "every message counted");
        const double margin = 4 * std::sqrt(var / run.messages);
        NS_TEST_ASSERT_MSG_EQ_TOL(mean, meanAna, margin, "simulated mean against the chain's");
    }
};

/// A member address from a peer's gossip can be anything. One in 224.0.0.0/24 (link-local
/// multicast) has no route without an output device, and sending to it crashed the simulator
/// (an assert in debug builds, a null dereference in optimized ones; found by fuzz-receive).
class PbcastLocalMulticastMemberTestCase : public TestCase
{
  public:
    PbcastLocalMulticastMemberTestCase()
        : TestCase("a member address in 224.0.0.x (link-local multicast) from a gossip is never "
                   "sent to")
    {
    }

  private:
    static void Forge(Ptr<Socket> s, std::vector<Ipv4Address> victims, GossipSenderId liar)
    {
        pbcast::MemberEntry fake;
        fake.id = 4242;
        fake.address = Ipv4Address("224.0.0.5");
        fake.heartbeat = 1000000;
        PbcastHeader g;
        g.SetType(PbcastHeader::GOSSIP);
        g.SetSource(liar, 0);
        g.SetRound(1);
        g.SetMembers({fake});
        for (Ipv4Address v : victims)
        {
            Ptr<Packet> p = Create<Packet>();
            p->AddHeader(g);
            s->SendTo(p, 0, InetSocketAddress(v, 7946));
        }
    }

    static void OnTx(uint64_t* bad, Ptr<const Packet>, Ipv4Address to)
    {
        *bad += to.IsLocalMulticast();
    }

    void DoRun() override
    {
        gossip_test::RngRun rngRun(19);
        Scenario s;
        s.racks = 1;
        s.record = false;
        s.Build();
        std::vector<Ipv4Address> victims;
        uint64_t bad = 0;
        for (uint32_t i = 1; i < s.apps.GetN(); ++i)
        {
            victims.push_back(s.dc.GetHostAddress(i));
            s.App(i)->TraceConnectWithoutContext("Tx", MakeBoundCallback(&OnTx, &bad));
        }
        s.apps.Start(Seconds(0));
        Ptr<Socket> sock = Socket::CreateSocket(s.dc.GetHost(0), UdpSocketFactory::GetTypeId());
        sock->Bind();
        Simulator::Schedule(Seconds(1),
                            &PbcastLocalMulticastMemberTestCase::Forge,
                            sock,
                            victims,
                            s.App(0)->GetNode()->GetId());
        Simulator::Schedule(Seconds(1.5), &Scenario::SendOne, s.App(1));
        Simulator::Stop(Seconds(4));
        Simulator::Run();
        uint32_t knowFake = 0;
        for (uint32_t i = 1; i < s.apps.GetN(); ++i)
        {
            knowFake += s.App(i)->GetKnownMembers() == s.apps.GetN();
        }
        Simulator::Destroy();
        NS_TEST_ASSERT_MSG_GT(knowFake, 0, "the forged member was learnt");
        NS_TEST_ASSERT_MSG_EQ(bad, 0, "nothing sent to 224.0.0.0/24");
    }
};

/// A solicitation to a source is answered only if its send time is within a round interval.
class PbcastSolicitTimeTestCase : public TestCase
{
  public:
    PbcastSolicitTimeTestCase()
        : TestCase("late solicitations to the source are dropped, timely ones answered")
    {
    }

  private:
    struct Counts
    {
        std::map<GossipSenderId, uint32_t> retransmitTo;
        std::map<GossipSenderId, uint32_t> late;
    };

    static void OnRetransmit(Counts* c, const GossipMessageId&, bool, GossipSenderId dest)
    {
        c->retransmitTo[dest]++;
    }

    static void OnLate(Counts* c, GossipSenderId requester, uint64_t)
    {
        c->late[requester]++;
    }

    /// requester asks source for (origin, 0); sentAgo < 0: an untimed request naming round 0.
    static void Solicit(Ptr<Node> from,
                        Ipv4Address to,
                        GossipSenderId requester,
                        GossipSenderId origin,
                        Time sentAgo)
    {
        GossipDigest d;
        d.Add(origin, 0);
        PbcastHeader h;
        h.SetType(PbcastHeader::SOLICIT);
        h.SetSource(requester, 0);
        if (sentAgo.IsNegative())
        {
            h.SetRound(0);
        }
        else
        {
            h.SetFlags(PbcastHeader::FLAG_TIMED);
            h.SetRound((Simulator::Now() - sentAgo).GetNanoSeconds());
        }
        h.SetDigest(d);
        Ptr<Packet> p = Create<Packet>();
        p->AddHeader(h);
        Ptr<Socket> s = Socket::CreateSocket(from, UdpSocketFactory::GetTypeId());
        s->Bind();
        s->SendTo(p, 0, InetSocketAddress(to, 7946));
        s->Close();
    }

    void DoRun() override
    {
        gossip_test::RngRun rngRun(13);
        Scenario s;
        s.racks = 1;
        s.Build();
        Counts c;
        Ptr<PbcastApplication> source = s.App(1);
        source->TraceConnectWithoutContext("Retransmit", MakeBoundCallback(&OnRetransmit, &c));
        source->TraceConnectWithoutContext("LateSolicit", MakeBoundCallback(&OnLate, &c));
        s.apps.Start(Seconds(0));
        s.apps.Stop(Seconds(2));
        Simulator::Schedule(Seconds(1), &Scenario::SendOne, source);
        const GossipSenderId origin = source->GetNode()->GetId();
        const Ipv4Address to = s.dc.GetHostAddress(1);
        Ptr<Node> from = s.dc.GetHost(3);
        Simulator::Schedule(Seconds(1.5), &Solicit, from, to, 9001, origin, Seconds(-1));
        Simulator::Schedule(Seconds(1.5), &Solicit, from, to, 9002, origin, MilliSeconds(300));
        Simulator::Schedule(Seconds(1.5), &Solicit, from, to, 9003, origin, MilliSeconds(1));
        Simulator::Stop(Seconds(2));
        Simulator::Run();
        Simulator::Destroy();
        NS_TEST_ASSERT_MSG_EQ(c.late[9001], 1, "an untimed round-0 request is late");
        NS_TEST_ASSERT_MSG_EQ(c.retransmitTo[9001], 0, "and not answered");
        NS_TEST_ASSERT_MSG_EQ(c.late[9002], 1, "a request sent 3 rounds ago is late");
        NS_TEST_ASSERT_MSG_EQ(c.retransmitTo[9002], 0, "and not answered");
        NS_TEST_ASSERT_MSG_EQ(c.late[9003], 0, "a request sent 1 ms ago is timely");
        NS_TEST_ASSERT_MSG_EQ(c.retransmitTo[9003], 1, "and answered");
    }
};

/// Crashed members are suspected after FailTimeout and removed after RemoveTimeout.
class PbcastMemberRemovalTestCase : public TestCase
{
  public:
    PbcastMemberRemovalTestCase()
        : TestCase("crashed members disappear from the membership; it stays bounded")
    {
    }

  private:
    void DoRun() override
    {
        gossip_test::RngRun rngRun(14);
        Scenario s;
        s.racks = 2;
        s.crashed = 4;
        s.messages = 20;
        s.extra = Seconds(5); // crash at 0.99 s; removal from about 3-4 s
        s.attributes.push_back({"FailTimeout", Create<TimeValue>(Seconds(1))});
        s.Run();
        const uint32_t n = 2 * 8;
        NS_TEST_ASSERT_MSG_EQ(s.knownAtEnd.size(), n - 4, "one sample per live member");
        for (uint32_t i = 0; i < s.knownAtEnd.size(); ++i)
        {
            NS_TEST_ASSERT_MSG_EQ(s.knownAtEnd[i], n - 1 - 4, "crashed members removed");
            NS_TEST_ASSERT_MSG_EQ(s.liveAtEnd[i], n - 1 - 4, "live members all known and live");
        }
        NS_TEST_ASSERT_MSG_LT_OR_EQ(s.maxKnown, n - 1, "membership never exceeds the group");
        NS_TEST_ASSERT_MSG_EQ_TOL(s.stats.GetMeanDeliveryFraction(),
                                  1.0,
                                  1e-9,
                                  "every live member delivers every message");
    }
};

/// Relay re-multicasts are taken only from members of other datacenters and are paid from the
/// retransmission byte budget.
class PbcastRelayBudgetTestCase : public TestCase
{
  public:
    PbcastRelayBudgetTestCase()
        : TestCase("relays only from remote members, within the byte budget")
    {
    }

  private:
    static void OnRelay(std::map<GossipSenderId, uint32_t>* n, const GossipMessageId& id)
    {
        (*n)[id.sender / 1000]++;
    }

    /// count relay-flagged RETRANS of 1000 B, origins base..base+count-1, sent at once.
    static void Flood(Ptr<Node> from, Ipv4Address to, GossipSenderId base, uint32_t count)
    {
        Ptr<Socket> s = Socket::CreateSocket(from, UdpSocketFactory::GetTypeId());
        s->Bind();
        for (uint32_t i = 0; i < count; ++i)
        {
            PbcastHeader h;
            h.SetType(PbcastHeader::RETRANS);
            h.SetFlags(PbcastHeader::FLAG_RELAY);
            h.SetMessage(base + i, 0, Simulator::Now());
            Ptr<Packet> p = Create<Packet>(1000);
            p->AddHeader(h);
            s->SendTo(p, 0, InetSocketAddress(to, 7946));
        }
        s->Close();
    }

    void DoRun() override
    {
        gossip_test::RngRun rngRun(15);
        DatacenterTopologyHelper tmpl;
        tmpl.SetHostsPerRack(4);
        tmpl.SetRacksPerPod(2);
        tmpl.SetSpinesPerPod(1);
        WanTopologyHelper wan;
        wan.SetDatacenters(2);
        wan.SetDatacenterTemplate(tmpl);
        wan.Install();
        wan.EnableMulticast(kGroup);
        int64_t stream = wan.AssignStreams(10) + 10;
        PbcastHelper h;
        h.SetAttribute("Group", Ipv4AddressValue(kGroup));
        ApplicationContainer apps = h.Install(wan.GetHosts());
        h.AssignStreams(wan.GetHosts(), stream);
        // A dc0 victim, a dc0 neighbour and a dc1 member as the flooders.
        uint32_t victim = 0;
        uint32_t local = 1;
        uint32_t remote = 0;
        while (wan.GetHostDatacenter(remote) == wan.GetHostDatacenter(victim))
        {
            ++remote;
        }
        NS_TEST_ASSERT_MSG_EQ(wan.GetHostDatacenter(local), wan.GetHostDatacenter(victim), "");
        std::map<GossipSenderId, uint32_t> relays; // by origin / 1000
        apps.Get(victim)->TraceConnectWithoutContext("Relay", MakeBoundCallback(&OnRelay, &relays));
        apps.Start(Seconds(0));
        apps.Stop(Seconds(3));
        Ipv4Address to = wan.GetHostAddress(victim);
        // Origins 50000.. from the remote member, 60000.. from the local one.
        Simulator::Schedule(Seconds(2), &Flood, wan.GetHosts().Get(remote), to, 50000, 50);
        Simulator::Schedule(Seconds(2), &Flood, wan.GetHosts().Get(local), to, 60000, 10);
        Simulator::Stop(Seconds(3));
        Simulator::Run();
        Simulator::Destroy();
        const uint32_t budget = 30000 / (1000 + 100); // default MaxRetransmitBytes, overhead
        NS_TEST_ASSERT_MSG_GT(relays[50], 0, "relays from a remote member happen");
        NS_TEST_ASSERT_MSG_LT_OR_EQ(relays[50], budget, "relays within one round's byte budget");
        NS_TEST_ASSERT_MSG_EQ(relays[60], 0, "no relay for a sender of the same datacenter");
    }
};

/// UseMulticast on a fabric without EnableMulticast is detected at start.
class PbcastMulticastRouteCheckTestCase : public TestCase
{
  public:
    PbcastMulticastRouteCheckTestCase()
        : TestCase("a missing multicast route to the group is detected")
    {
    }

  private:
    void DoRun() override
    {
        DatacenterTopologyHelper dc;
        dc.SetHostsPerRack(4);
        dc.SetRacksPerPod(2);
        dc.SetSpinesPerPod(1);
        dc.Install();
        Ptr<Node> host = dc.GetHost(0);
        std::string before = DatacenterTopologyHelper::CheckMulticastRoute(host, kGroup);
        NS_TEST_ASSERT_MSG_NE(before, "", "no EnableMulticast: reported");
        NS_TEST_ASSERT_MSG_NE(before.find("first-hop router"), std::string::npos, before);
        dc.EnableMulticast(kGroup);
        NS_TEST_ASSERT_MSG_EQ(DatacenterTopologyHelper::CheckMulticastRoute(host, kGroup),
                              "",
                              "after EnableMulticast: fine");
        NS_TEST_ASSERT_MSG_NE(
            DatacenterTopologyHelper::CheckMulticastRoute(host, Ipv4Address("239.1.2.3")),
            "",
            "another group is still unrouted");
        Simulator::Destroy();
    }
};

/// Retransmissions per round stay within MaxRetransmitBytes; most recent go first.
class PbcastBudgetTestCase : public TestCase
{
  public:
    PbcastBudgetTestCase()
        : TestCase("retransmission bytes per round are bounded by MaxRetransmitBytes")
    {
    }

  private:
    struct Count
    {
        std::map<std::pair<uint32_t, uint64_t>, uint32_t> perRound; //!< (node, round) -> sends
        std::map<uint32_t, std::vector<uint64_t>> firstSeqs;        //!< sender's order
        double delivery{0};
    };

    // A raw pointer: a Ptr bound into the app's own trace would keep the app alive forever.
    static void OnRetransmit(Count* c,
                             PbcastApplication* app,
                             const GossipMessageId& id,
                             bool,
                             GossipSenderId dest)
    {
        uint64_t seq = id.seq;
        c->perRound[{app->GetId(), app->GetRound()}]++;
        auto& v = c->firstSeqs[dest];
        if (app->GetId() == 1 && v.size() < 3)
        {
            v.push_back(seq);
        }
    }

    uint32_t MaxPerRound(uint32_t budget, Count& c)
    {
        gossip_test::RngRun rngRun(6);
        Scenario s;
        s.racks = 1;
        s.messages = 0;
        s.attributes.push_back({"Disseminate", Create<BooleanValue>(false)});
        s.attributes.push_back({"MaxRetransmitBytes", Create<UintegerValue>(budget)});
        s.Build();
        for (uint32_t i = 0; i < s.apps.GetN(); ++i)
        {
            s.App(i)->TraceConnectWithoutContext(
                "Retransmit",
                MakeBoundCallback(&OnRetransmit, &c, PeekPointer(s.App(i))));
        }
        s.apps.Start(Seconds(0));
        s.apps.Stop(Seconds(6));
        for (uint32_t i = 0; i < 30; ++i) // a burst: everyone lacks all 30
        {
            Simulator::Schedule(Seconds(1), &Scenario::SendOne, s.App(1));
        }
        Simulator::Stop(Seconds(6));
        Simulator::Run();
        Simulator::Destroy();
        c.delivery = s.stats.GetMeanDeliveryFraction();
        uint32_t m = 0;
        for (const auto& kv : c.perRound)
        {
            m = std::max(m, kv.second);
        }
        return m;
    }

    void DoRun() override
    {
        Count small;
        Count large;
        // 200-byte payloads are charged 300 bytes: 1000 bytes allow 3 per round.
        uint32_t capped = MaxPerRound(1000, small);
        uint32_t free = MaxPerRound(30000, large);
        NS_TEST_ASSERT_MSG_LT_OR_EQ(capped, 3, "at most 3 retransmissions per round");
        NS_TEST_ASSERT_MSG_GT(free, 3, "the default budget allows more");
        NS_TEST_ASSERT_MSG_EQ_TOL(large.delivery, 1.0, 1e-9, "all delivered with the default");
        // The first answers to a member that lacks everything are the newest messages.
        bool newestFirst = false;
        for (const auto& kv : small.firstSeqs)
        {
            if (kv.second.size() == 3 && kv.second[0] == 29 && kv.second[1] == 28)
            {
                newestFirst = true;
            }
        }
        NS_TEST_ASSERT_MSG_EQ(newestFirst, true, "most recent first");
    }
};

/// Across a WAN, a retransmission to another datacenter is re-multicast there.
class PbcastWanRelayTestCase : public TestCase
{
  public:
    PbcastWanRelayTestCase()
        : TestCase("remote retransmissions are re-multicast in the requester's datacenter")
    {
    }

  private:
    static void OnRelay(uint64_t* n, const GossipMessageId&)
    {
        ++*n;
    }

    uint64_t Relays(bool remoteMulticast, double* delivery)
    {
        gossip_test::RngRun rngRun(9);
        DatacenterTopologyHelper tmpl;
        tmpl.SetHostsPerRack(8);
        tmpl.SetRacksPerPod(2);
        tmpl.SetSpinesPerPod(1);
        tmpl.SetHostLinkErrorRate(0.05);
        WanTopologyHelper wan;
        wan.SetDatacenters(2);
        wan.SetDatacenterTemplate(tmpl);
        wan.SetWanLinkAttribute("Delay", StringValue("10ms"));
        wan.Install();
        wan.EnableMulticast(kGroup);
        int64_t stream = wan.AssignStreams(10) + 10;
        PbcastHelper h;
        h.SetAttribute("Group", Ipv4AddressValue(kGroup));
        h.SetAttribute("RemoteMulticast", BooleanValue(remoteMulticast));
        ApplicationContainer apps = h.Install(wan.GetHosts());
        h.AssignStreams(wan.GetHosts(), stream);
        GossipDeliveryStats stats;
        stats.Attach(apps);
        uint64_t relays = 0;
        for (uint32_t i = 0; i < apps.GetN(); ++i)
        {
            apps.Get(i)->TraceConnectWithoutContext("Relay", MakeBoundCallback(&OnRelay, &relays));
        }
        apps.Start(Seconds(0));
        apps.Stop(Seconds(6));
        auto sender = DynamicCast<PbcastApplication>(apps.Get(0));
        for (uint32_t i = 0; i < 40; ++i)
        {
            Simulator::Schedule(Seconds(1.5) + MilliSeconds(50 * i), &Scenario::SendOne, sender);
        }
        Simulator::Stop(Seconds(6));
        Simulator::Run();
        Simulator::Destroy();
        *delivery = stats.GetMeanDeliveryFraction();
        return relays;
    }

    void DoRun() override
    {
        double on = 0;
        double off = 0;
        NS_TEST_ASSERT_MSG_GT(Relays(true, &on), 0, "relays happen");
        NS_TEST_ASSERT_MSG_EQ(Relays(false, &off), 0, "no relay when switched off");
        NS_TEST_ASSERT_MSG_EQ_TOL(on, 1.0, 1e-9, "all delivered (relay on)");
        NS_TEST_ASSERT_MSG_EQ_TOL(off, 1.0, 1e-9, "all delivered (relay off)");
    }
};

/// Options: partial views, solicitation to the source, per-sender FIFO delivery.
class PbcastOptionsTestCase : public TestCase
{
  public:
    PbcastOptionsTestCase()
        : TestCase("partial view, solicit-to-source and FIFO delivery still deliver everything")
    {
    }

  private:
    struct Order
    {
        std::map<uint32_t, int64_t> last; //!< node -> last seq delivered
        uint64_t outOfOrder{0};
    };

    static void OnDeliver(Order* o, uint32_t node, const GossipMessageId& id)
    {
        uint64_t seq = id.seq;
        auto it = o->last.find(node);
        if (it != o->last.end() && static_cast<int64_t>(seq) <= it->second)
        {
            o->outOfOrder++;
        }
        o->last[node] = seq;
    }

    uint64_t Run(bool fifo, double* delivery)
    {
        gossip_test::RngRun rngRun(11);
        Scenario s;
        s.linkLoss = 0.1;
        s.messages = 40;
        s.attributes.push_back({"PartialView", Create<UintegerValue>(4)});
        s.attributes.push_back({"SolicitTarget",
                                Create<gossip::compat::EnumValue<PbcastApplication::SolicitTarget>>(
                                    PbcastApplication::SOLICIT_SOURCE)});
        s.attributes.push_back({"FifoDelivery", Create<BooleanValue>(fifo)});
        Order o;
        s.Build();
        for (uint32_t i = 0; i < s.apps.GetN(); ++i)
        {
            s.App(i)->TraceConnectWithoutContext(
                "Deliver",
                MakeBoundCallback(&OnDeliver, &o, s.App(i)->GetNode()->GetId()));
        }
        s.apps.Start(Seconds(0));
        s.apps.Stop(Seconds(6));
        for (uint32_t i = 0; i < s.messages; ++i)
        {
            Simulator::Schedule(Seconds(1) + MilliSeconds(50 * i), &Scenario::SendOne, s.App(1));
        }
        Simulator::Stop(Seconds(6));
        Simulator::Run();
        Simulator::Destroy();
        *delivery = s.stats.GetMeanDeliveryFraction();
        return o.outOfOrder;
    }

    void DoRun() override
    {
        double fifoDelivery = 0;
        double anyDelivery = 0;
        uint64_t fifoDisorder = Run(true, &fifoDelivery);
        uint64_t anyDisorder = Run(false, &anyDelivery);
        NS_TEST_ASSERT_MSG_EQ_TOL(fifoDelivery, 1.0, 1e-9, "FIFO: all delivered");
        NS_TEST_ASSERT_MSG_EQ_TOL(anyDelivery, 1.0, 1e-9, "unordered: all delivered");
        NS_TEST_ASSERT_MSG_EQ(fifoDisorder, 0, "FIFO delivery is in order");
        NS_TEST_ASSERT_MSG_GT(anyDisorder, 0, "without FIFO, repairs arrive out of order");
    }
};

/// The helper reads each member's datacenter from its address and derives the seeds from the
/// container; given seeds let Install(Ptr<Node>) add a member that joins the running group.
class PbcastHelperSeedsTestCase : public TestCase
{
  public:
    PbcastHelperSeedsTestCase()
        : TestCase("helper: datacenters from addresses, derived and given seeds")
    {
    }

  private:
    void DoRun() override
    {
        gossip_test::RngRun rngRun(16);
        DatacenterTopologyHelper tmpl;
        tmpl.SetHostsPerRack(3);
        tmpl.SetRacksPerPod(2);
        tmpl.SetSpinesPerPod(1);
        WanTopologyHelper wan;
        wan.SetDatacenters(2);
        wan.SetDatacenterTemplate(tmpl);
        wan.Install();
        wan.EnableMulticast(kGroup);
        int64_t stream = wan.AssignStreams(10) + 10;
        // Every host but the last joins at start; the last is installed on its own later.
        const uint32_t n = wan.GetNHosts();
        NodeContainer first;
        for (uint32_t i = 0; i + 1 < n; ++i)
        {
            first.Add(wan.GetHosts().Get(i));
        }
        Ptr<Node> late = wan.GetHosts().Get(n - 1);
        PbcastHelper h;
        h.SetAttribute("Group", Ipv4AddressValue(kGroup));
        h.SetSeedsPerDatacenter(2);
        ApplicationContainer apps = h.Install(first);
        for (uint32_t i = 0; i + 1 < n; ++i)
        {
            UintegerValue dc;
            apps.Get(i)->GetAttribute("Datacenter", dc);
            NS_TEST_ASSERT_MSG_EQ(dc.Get(), wan.GetHostDatacenter(i), "datacenter of host " << i);
            NS_TEST_ASSERT_MSG_EQ(h.GetDatacenter(first.Get(i)), wan.GetHostDatacenter(i), "");
        }
        PbcastHelper joiner;
        joiner.SetAttribute("Group", Ipv4AddressValue(kGroup));
        joiner.SetSeeds(NodeContainer(first.Get(0)));
        ApplicationContainer lateApp = joiner.Install(late);
        stream += h.AssignStreams(first, stream);
        joiner.AssignStreams(NodeContainer(late), stream);
        apps.Start(Seconds(0));
        lateApp.Start(Seconds(2));
        apps.Stop(Seconds(6));
        lateApp.Stop(Seconds(6));
        GossipDeliveryStats stats;
        stats.Attach(apps);
        stats.Attach(lateApp);
        auto sender = DynamicCast<PbcastApplication>(apps.Get(1));
        for (uint32_t i = 0; i < 10; ++i)
        {
            Simulator::Schedule(Seconds(4) + MilliSeconds(50 * i), &Scenario::SendOne, sender);
        }
        std::vector<uint32_t> known;
        GossipSchedule(Seconds(5.9), [&]() {
            for (uint32_t i = 0; i < apps.GetN(); ++i)
            {
                known.push_back(DynamicCast<PbcastApplication>(apps.Get(i))->GetKnownMembers());
            }
            known.push_back(DynamicCast<PbcastApplication>(lateApp.Get(0))->GetKnownMembers());
        });
        Simulator::Stop(Seconds(6));
        Simulator::Run();
        Simulator::Destroy();
        NS_TEST_ASSERT_MSG_EQ(known.size(), n, "one sample per member");
        for (uint32_t i = 0; i < n; ++i)
        {
            NS_TEST_ASSERT_MSG_EQ(known[i], n - 1, "member " << i << " knows everyone else");
        }
        NS_TEST_ASSERT_MSG_EQ(stats.GetMessages(), 10, "every send recorded");
        NS_TEST_ASSERT_MSG_EQ_TOL(stats.GetMeanDeliveryFraction(),
                                  1.0,
                                  1e-9,
                                  "every member, the late one included, delivers everything");
    }
};

/// The reliable-multicast baseline through its helper, followed by GossipDeliveryStats like
/// pbcast: its messages are named by the sender's node id.
class PbcastRmcastBaselineTestCase : public TestCase
{
  public:
    PbcastRmcastBaselineTestCase()
        : TestCase("reliable-multicast baseline: helper, Broadcast and Deliver ids, Attach")
    {
    }

  private:
    void DoRun() override
    {
        gossip_test::RngRun rngRun(17);
        DatacenterTopologyHelper dc;
        dc.SetHostsPerRack(6);
        dc.SetRacksPerPod(1);
        dc.SetSpinesPerPod(1);
        dc.SetHostLinkErrorRate(0.05);
        dc.Install();
        dc.EnableMulticast(kGroup);
        dc.AssignStreams(100);
        PbcastRmcastHelper h;
        h.SetAttribute("Group", Ipv4AddressValue(kGroup));
        h.SetSender(dc.GetHost(2));
        ApplicationContainer apps = h.Install(dc.GetHosts());
        NS_TEST_ASSERT_MSG_EQ(apps.GetN(), 6, "one application per node");
        GossipDeliveryStats stats;
        stats.Attach(apps);
        auto sender = DynamicCast<PbcastRmcastBaseline>(apps.Get(2));
        apps.Start(Seconds(0));
        apps.Stop(Seconds(3));
        for (uint32_t i = 0; i < 50; ++i)
        {
            Simulator::Schedule(Seconds(1) + MilliSeconds(10 * i),
                                &PbcastRmcastBaseline::Send,
                                sender,
                                100);
        }
        Simulator::Stop(Seconds(3));
        Simulator::Run();
        uint64_t delivered = DynamicCast<PbcastRmcastBaseline>(apps.Get(0))->GetDelivered();
        Simulator::Destroy();
        NS_TEST_ASSERT_MSG_EQ(stats.GetMessages(), 50, "every message taken was broadcast");
        NS_TEST_ASSERT_MSG_EQ(delivered, 50, "a receiver delivered all, in order");
        NS_TEST_ASSERT_MSG_EQ_TOL(stats.GetMeanDeliveryFraction(),
                                  1.0,
                                  1e-9,
                                  "the ids of Deliver match those of Broadcast");
        NS_TEST_ASSERT_MSG_GT(stats.GetTxPackets(), 50, "data, acks and repairs counted");
    }
};

class PbcastTestSuite : public TestSuite
{
  public:
    PbcastTestSuite()
        : TestSuite("gossip-pbcast")
    {
        AddTestCase(new PbcastLossRecoveryTestCase);
        AddTestCase(new PbcastCrashTestCase);
        AddTestCase(new PbcastBoundedBuffersTestCase);
        AddTestCase(new PbcastMulticastRetransmitTestCase);
        AddTestCase(new PbcastDeterminismTestCase);
        AddTestCase(new PbcastMalformedTestCase);
        AddTestCase(new PbcastBudgetTestCase);
        AddTestCase(new PbcastWanRelayTestCase);
        AddTestCase(new PbcastOptionsTestCase);
        AddTestCase(new PbcastHostileDigestTestCase);
        AddTestCase(new PbcastHostileMemberTestCase);
        AddTestCase(new PbcastLocalMulticastMemberTestCase);
        // EXTENSIVE: the README's test command runs it (utils/gossip.sh); ./test.py in a tree
        // and CI's sanitizer step run QUICK cases only.
        AddTestCase(new PbcastSoakTestCase(Seconds(360)), gossip::compat::EXTENSIVE);
        AddTestCase(new PbcastBimodalModelTestCase);
        AddTestCase(new PbcastSoakTestCase(Seconds(3600)), gossip::compat::TAKES_FOREVER);
        AddTestCase(new PbcastSolicitTimeTestCase);
        AddTestCase(new PbcastMemberRemovalTestCase);
        AddTestCase(new PbcastRelayBudgetTestCase);
        AddTestCase(new PbcastMulticastRouteCheckTestCase);
        AddTestCase(new PbcastHelperSeedsTestCase);
        AddTestCase(new PbcastRmcastBaselineTestCase);
    }
};

static PbcastTestSuite g_pbcastTestSuite;
