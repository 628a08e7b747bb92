/*
 * SPDX-License-Identifier: GPL-2.0-only
 *
 * Astrolabe scenarios on a real simulated datacenter (2 pods x 3 racks x 4 hosts, UDP over
 * static routes, rack-scope multicast for "anyone out there?"): convergence of nmembers and
 * AVG/MIN to the true values, a dead host's row expiring, a run-time AFC reaching everybody,
 * malformed datagrams dropped and counted, determinism, and a WAN partition that cuts one
 * datacenter off for 300 s and heals.
 */
#include "gossip-test-support.h"

#include "ns3/astrolabe-helper.h"
#include "ns3/core-module.h"
#include "ns3/datacenter-topology-helper.h"
#include "ns3/error-model.h"
#include "ns3/gossip-ns3-compat.h"
#include "ns3/inet-socket-address.h"
#include "ns3/network-module.h"
#include "ns3/test.h"
#include "ns3/udp-socket-factory.h"
#include "ns3/wan-topology-helper.h"

#include <algorithm>
#include <set>
#include <sstream>

using namespace ns3;

namespace
{
const Time kInterval = Seconds(1);

/// A small datacenter with agents whose load is their host index.
struct Scenario
{
    gossip_test::RngRun rng; //!< seed 7 and the run, restored when the scenario ends
    DatacenterTopologyHelper dc;
    ApplicationContainer apps;
    AstrolabeStatsHelper stats;

    explicit Scenario(uint32_t run, std::string extra = "")
        : rng(run, 7)
    {
        dc.SetHostsPerRack(4);
        dc.SetRacksPerPod(3);
        dc.SetPods(2);
        dc.SetSpinesPerPod(2);
        dc.Install();
        Ipv4Address group("239.255.0.1");
        dc.EnableMulticast(group, DatacenterTopologyHelper::RACK);
        AstrolabeHelper astro;
        astro.SetAttribute("GossipInterval", TimeValue(kInterval));
        astro.SetAttribute("MulticastGroup", Ipv4AddressValue(group));
        astro.SetAttribute("MaxClockOffset", TimeValue(Seconds(1000))); // clocks unsynchronised
        astro.SetPodLevel(true); // paths /dc0/podPP/rackRR/hostHH
        apps = astro.Install(dc.GetHosts());
        for (uint32_t i = 0; i < apps.GetN(); ++i)
        {
            Ptr<AstrolabeAgent> a = Agent(i);
            a->SetAttribute("Load", DoubleValue(static_cast<double>(i)));
            // an AFC's outputs are the next level's inputs, so MIN needs its own column
            a->SetMibAttribute("minload", astrolabe::Value(static_cast<double>(i)));
            if (!extra.empty())
            {
                a->SetAttribute("MibAttributes", StringValue(extra));
            }
        }
        astro.AssignStreams(dc.GetHosts(), 1000);
        apps.Start(Seconds(0));
        stats.Attach(apps);
        stats.TrackAggregate("/", "nmembers");
    }

    Ptr<AstrolabeAgent> Agent(uint32_t i) const
    {
        return DynamicCast<AstrolabeAgent>(apps.Get(i));
    }

    uint32_t N() const
    {
        return apps.GetN();
    }

    /// Round (in gossip intervals) by which every agent satisfied pred, or -1.
    double AllBy(const std::string& zone,
                 const std::string& attr,
                 std::function<bool(const astrolabe::Value&)> pred,
                 Time after,
                 std::vector<uint32_t> skip = {}) const
    {
        auto times = stats.FirstSatisfied(zone, attr, pred, after);
        double worst = 0;
        for (uint32_t i = 0; i < times.size(); ++i)
        {
            if (std::find(skip.begin(), skip.end(), i) != skip.end())
            {
                continue;
            }
            if (times[i].IsNegative())
            {
                return -1;
            }
            worst = std::max(worst, (times[i] - after).GetSeconds() / kInterval.GetSeconds());
        }
        return worst;
    }
};

void
Install(Ptr<AstrolabeAgent> a, std::string name, std::string text)
{
    std::string err;
    bool ok = a->InstallAfc(name, text, err);
    NS_ABORT_MSG_IF(!ok, err);
}
} // namespace

/// nmembers, AVG(load) and MIN(load) reach their true values at every host.
class AstrolabeConvergenceTestCase : public TestCase
{
  public:
    AstrolabeConvergenceTestCase()
        : TestCase("nmembers, AVG and MIN converge to the true values")
    {
    }

  private:
    void DoRun() override
    {
        Scenario s(1);
        s.stats.TrackAggregate("/", "load");
        s.stats.TrackAggregate("/", "minload");
        Simulator::Schedule(Seconds(0.5),
                            &Install,
                            s.Agent(0),
                            "load",
                            "SELECT AVG(load) AS load, MIN(minload) AS minload");
        Simulator::Stop(Seconds(40));
        Simulator::Run();
        const double n = s.N();
        const double mean = (n - 1) / 2;
        for (uint32_t i = 0; i < s.N(); ++i)
        {
            Ptr<AstrolabeAgent> a = s.Agent(i);
            NS_TEST_ASSERT_MSG_EQ(a->GetAggregate("/", "nmembers").GetInt(), 24, a->GetZonePath());
            NS_TEST_ASSERT_MSG_EQ_TOL(a->GetAggregate("/", "load").GetDouble(),
                                      mean,
                                      1e-9,
                                      a->GetZonePath());
            NS_TEST_ASSERT_MSG_EQ_TOL(a->GetAggregate("/", "minload").GetDouble(),
                                      0.0,
                                      1e-9,
                                      a->GetZonePath());
            // the zone tables have the expected shape: 4 hosts, 3 racks, 2 pods
            auto anc = a->GetAncestors();
            NS_TEST_ASSERT_MSG_EQ(anc.size(), 4, "depth of /dc0/podP/rackR/hostH");
            NS_TEST_ASSERT_MSG_EQ(a->GetZoneTable(anc[3]).size(), 4, "hosts of the rack");
            NS_TEST_ASSERT_MSG_EQ(a->GetZoneTable(anc[2]).size(), 3, "racks of the pod");
            NS_TEST_ASSERT_MSG_EQ(a->GetZoneTable(anc[1]).size(), 2, "pods of the dc");
            NS_TEST_ASSERT_MSG_EQ(a->GetMalformed(), 0, "no malformed datagrams");
        }
        double roundsN = s.AllBy(
            "/",
            "nmembers",
            [](const astrolabe::Value& v) { return v.GetInt() == 24; },
            Seconds(0));
        double roundsAvg = s.AllBy(
            "/",
            "load",
            [mean](const astrolabe::Value& v) {
                return v.IsNumber() && std::fabs(v.GetDouble() - mean) < 1e-9;
            },
            Seconds(0));
        std::cout << "astrolabe convergence: nmembers everywhere after " << roundsN
                  << " rounds, AVG(load) after " << roundsAvg << " rounds" << std::endl;
        // 3 levels of epidemics over <= 4 children each plus one aggregation step per level,
        // and the bootstrap through multicast and a seed: well within 25 rounds.
        NS_TEST_ASSERT_MSG_GT(roundsN, 0, "nmembers never converged everywhere");
        NS_TEST_ASSERT_MSG_LT(roundsN, 25, "nmembers converged too slowly");
        NS_TEST_ASSERT_MSG_GT(roundsAvg, 0, "AVG never converged everywhere");
        NS_TEST_ASSERT_MSG_LT(roundsAvg, 30, "AVG converged too slowly");
        // representatives: k=3 per rack (of 4 hosts), the lowest loads; exactly 3 per rack
        // are contacts at the pod level
        uint32_t reps = 0;
        for (uint32_t i = 0; i < s.N(); ++i)
        {
            reps += s.Agent(i)->IsContact(2) ? 1 : 0;
        }
        NS_TEST_ASSERT_MSG_EQ(reps, 6 * 3, "three representatives per rack");
        NS_TEST_ASSERT_MSG_EQ(s.Agent(3)->IsContact(2),
                              false,
                              "highest load in rack 0 not elected");
        Simulator::Destroy();
    }
};

/// Representatives follow the loads and replace a crashed one, at the rack and the pod level,
/// with the default election; with Election=Name they stay in name order whatever the loads.
class AstrolabeReElectionTestCase : public TestCase
{
  public:
    explicit AstrolabeReElectionTestCase(bool byName = false)
        : TestCase(byName ? "Election=Name: representatives in name order, loads ignored"
                          : "representatives are re-elected when loads change or one crashes"),
          m_byName(byName)
    {
    }

  private:
    /// Hosts [first, first + count) that are contacts of their own zone at table level l.
    static std::vector<uint32_t> Contacts(const Scenario& s,
                                          uint32_t level,
                                          uint32_t first,
                                          uint32_t count)
    {
        std::vector<uint32_t> c;
        for (uint32_t i = first; i < first + count; ++i)
        {
            if (s.Agent(i)->IsContact(level))
            {
                c.push_back(i);
            }
        }
        return c;
    }

    static std::string Str(const std::vector<uint32_t>& v)
    {
        std::ostringstream os;
        for (uint32_t x : v)
        {
            os << x << " ";
        }
        return os.str();
    }

    void Expect(const Scenario& s,
                std::vector<uint32_t> rack0,
                std::vector<uint32_t> pod0,
                const char* when,
                uint32_t dead = UINT32_MAX)
    {
        // level 2: contacts of the host's rack (they gossip among the pod's racks); level 1:
        // contacts of the pod (they gossip among the pods). Pod 0 is hosts 0..11.
        auto r = Contacts(s, 2, 0, 4);
        auto p = Contacts(s, 1, 0, 12);
        p.erase(std::remove(p.begin(), p.end(), dead), p.end());
        NS_TEST_EXPECT_MSG_EQ(Str(r), Str(rack0), "rack 0 representatives " << when);
        NS_TEST_EXPECT_MSG_EQ(Str(p), Str(pod0), "pod 0 representatives " << when);
    }

    void DoRun() override
    {
        Scenario s(1);
        s.Agent(5)->SetStopTime(Seconds(40)); // must be set before the application starts
        if (m_byName)
        {
            for (uint32_t i = 0; i < s.N(); ++i)
            {
                s.Agent(i)->SetAttribute("Election", StringValue("Name"));
            }
        }
        // No AFC installed: the default system AFC gives every zone row the MIN of its
        // children's loads, so its ORDER BY load elects, at the pod level, the contacts of
        // the least-loaded rack.
        Simulator::Stop(Seconds(20));
        Simulator::Run();
        // loads are the host indices: rack 0 (hosts 0..3) elects 0, 1, 2 and is the
        // least-loaded rack of pod 0 (racks 0, 1, 2 hold hosts 0..3, 4..7, 8..11)
        Expect(s, {0, 1, 2}, {0, 1, 2}, "at the start");

        // rack 0 becomes busy, host 0 the busiest of it: rack 0 elects 1, 2, 3, and rack 1
        // (lowest load 4) now provides the pod's representatives
        s.Agent(0)->SetAttribute("Load", DoubleValue(200));
        for (uint32_t i = 1; i < 4; ++i)
        {
            s.Agent(i)->SetAttribute("Load", DoubleValue(100 + i));
        }
        Simulator::Stop(Seconds(20));
        Simulator::Run();
        if (m_byName)
        {
            Expect(s, {0, 1, 2}, {0, 1, 2}, "after the loads changed (by name)");
            Simulator::Destroy();
            return;
        }
        Expect(s, {1, 2, 3}, {4, 5, 6}, "after the loads changed");

        // pod representative 5 crashes at 40 s (scheduled below): after T_fail (13 s) its
        // rack mates elect 7 instead; a stopped agent keeps its last state, so it is skipped
        Simulator::Stop(Seconds(40));
        Simulator::Run();
        Expect(s, {1, 2, 3}, {4, 6, 7}, "after host 5 crashed", 5);
        Simulator::Destroy();
    }

    bool m_byName;
};

/// Scale: 4 pods x 4 racks x 8 hosts (128 agents, 8 KB datagrams). Guards root membership
/// against the slow upper-level convergence seen at 1,000+ hosts (stale representative copies).
class AstrolabeScaleMembershipTestCase : public TestCase
{
  public:
    AstrolabeScaleMembershipTestCase()
        : TestCase("root nmembers converges at 128 hosts in 4 levels")
    {
    }

  private:
    void DoRun() override
    {
        gossip_test::RngRun rng(1, 7);
        DatacenterTopologyHelper dc;
        dc.SetHostsPerRack(8);
        dc.SetRacksPerPod(4);
        dc.SetPods(4);
        dc.SetSpinesPerPod(2);
        dc.Install();
        Ipv4Address group("239.255.0.1");
        dc.EnableMulticast(group, DatacenterTopologyHelper::RACK);
        AstrolabeHelper astro;
        astro.SetAttribute("GossipInterval", TimeValue(kInterval));
        astro.SetAttribute("MulticastGroup", Ipv4AddressValue(group));
        astro.SetPodLevel(true);
        ApplicationContainer apps = astro.Install(dc.GetHosts());
        astro.AssignStreams(dc.GetHosts(), 1000);
        apps.Start(Seconds(0));
        AstrolabeStatsHelper stats;
        stats.Attach(apps);
        stats.TrackAggregate("/", "nmembers");
        const int64_t n = apps.GetN();
        Simulator::Stop(Seconds(30));
        Simulator::Run();
        auto times = stats.FirstSatisfied(
            "/",
            "nmembers",
            [n](const astrolabe::Value& v) { return v.GetInt() == n; },
            Seconds(0));
        double worst = 0;
        uint32_t missed = 0;
        for (const auto& t : times)
        {
            if (t.IsNegative())
            {
                ++missed;
                continue;
            }
            worst = std::max(worst, t.GetSeconds() / kInterval.GetSeconds());
        }
        std::cout << "astrolabe scale: root nmembers = " << n << " at every host after " << worst
                  << " rounds, " << missed << " hosts missed" << std::endl;
        NS_TEST_ASSERT_MSG_EQ(missed, 0, "some hosts never counted every host");
        NS_TEST_ASSERT_MSG_LT(worst, 20, "root membership converged too slowly");
        Simulator::Destroy();
    }
};

/// A host crashes: its row expires after T_fail and nmembers follows everywhere.
class AstrolabeFailureTestCase : public TestCase
{
  public:
    AstrolabeFailureTestCase()
        : TestCase("a dead host's row expires and nmembers follows")
    {
    }

  private:
    void DoRun() override
    {
        Scenario s(2);
        const uint32_t dead = 5;
        s.Agent(dead)->SetStopTime(Seconds(30));
        uint32_t expired = 0;
        for (uint32_t i = 0; i < s.N(); ++i)
        {
            s.Agent(i)->TraceConnectWithoutContext(
                "RowExpired",
                MakeBoundCallback(
                    +[](uint32_t* c, const std::string&, const astrolabe::Row& r) {
                        if (r.GetId() == "/dc0/pod00/rack01/host01")
                        {
                            ++*c;
                        }
                    },
                    &expired));
        }
        Simulator::Stop(Seconds(90));
        Simulator::Run();
        NS_TEST_ASSERT_MSG_EQ(s.Agent(dead)->GetZonePath(), "/dc0/pod00/rack01/host01", "victim");
        Time tfail = s.Agent(0)->GetFailTimeout();
        double rounds = s.AllBy("/",
                                "nmembers",
                                [](const astrolabe::Value& v) { return v.GetInt() == 23; },
                                Seconds(30),
                                {dead});
        std::cout << "astrolabe failure: T_fail " << tfail.GetSeconds() << " s; nmembers = 23 "
                  << "everywhere " << rounds << " rounds after the crash" << std::endl;
        NS_TEST_ASSERT_MSG_GT(rounds, 0, "the count never followed the crash everywhere");
        NS_TEST_ASSERT_MSG_GT(rounds, tfail.GetSeconds() * 0.8, "expired before T_fail");
        for (uint32_t i = 0; i < s.N(); ++i)
        {
            if (i == dead)
            {
                continue;
            }
            NS_TEST_ASSERT_MSG_EQ(s.Agent(i)->GetAggregate("/", "nmembers").GetInt(),
                                  23,
                                  s.Agent(i)->GetZonePath());
        }
        // its three rack mates held its row and dropped it
        NS_TEST_ASSERT_MSG_GT_OR_EQ(expired, 3, "rack mates expired the dead row");
        for (uint32_t i = 4; i < 8; ++i)
        {
            if (i != dead)
            {
                NS_TEST_ASSERT_MSG_EQ(s.Agent(i)->GetZoneTable("/dc0/pod00/rack01").size(),
                                      3,
                                      "rack table after the crash");
            }
        }
        Simulator::Destroy();
    }
};

/// An AFC installed at run time on one host reaches every host, and its column appears.
class AstrolabeRuntimeAfcTestCase : public TestCase
{
  public:
    AstrolabeRuntimeAfcTestCase()
        : TestCase("an AFC installed at run time reaches every node")
    {
    }

  private:
    void DoRun() override
    {
        Scenario s(3, "hot=false");
        s.Agent(14)->SetMibAttribute("hot", astrolabe::Value(true));
        s.stats.TrackAggregate("/", "hot");
        s.stats.TrackRow("/dc0/pod01/rack00/host02", "hot");
        Simulator::Schedule(Seconds(20),
                            &Install,
                            s.Agent(17),
                            "warning",
                            "SELECT OR(hot) AS hot, COUNT(*) AS children");
        uint32_t installs = 0;
        for (uint32_t i = 0; i < s.N(); ++i)
        {
            s.Agent(i)->TraceConnectWithoutContext(
                "AfcInstalled",
                MakeBoundCallback(
                    +[](uint32_t* c, const std::string& name, const std::string&) {
                        *c += name == "warning" ? 1 : 0;
                    },
                    &installs));
        }
        Simulator::Stop(Seconds(50));
        Simulator::Run();
        NS_TEST_ASSERT_MSG_EQ(installs, s.N(), "every agent installed the AFC once");
        // host 14's row is replicated in its rack only: a leaf row never leaves its zone
        auto rowSeen = s.stats.FirstRowSatisfied(
            "/dc0/pod01/rack00/host02",
            "hot",
            [](const astrolabe::Value& v) { return v.GetBool(); },
            Seconds(0));
        for (uint32_t i = 0; i < s.N(); ++i)
        {
            bool rackMate = i >= 12 && i < 16 && i != 14;
            NS_TEST_ASSERT_MSG_EQ(!rowSeen[i].IsNegative(),
                                  rackMate,
                                  "leaf row of host 14 at " << s.Agent(i)->GetZonePath());
        }
        double rounds = s.AllBy(
            "/",
            "hot",
            [](const astrolabe::Value& v) {
                return v.GetType() == astrolabe::Value::BOOL && v.GetBool();
            },
            Seconds(20));
        std::cout << "astrolabe run-time AFC: hot = true at the root everywhere after " << rounds
                  << " rounds" << std::endl;
        NS_TEST_ASSERT_MSG_GT(rounds, 0, "the warning did not reach everybody");
        NS_TEST_ASSERT_MSG_LT(rounds, 25, "the warning took too long");
        for (uint32_t i = 0; i < s.N(); ++i)
        {
            NS_TEST_ASSERT_MSG_EQ(s.Agent(i)->GetAggregate("/", "children").GetInt(),
                                  1,
                                  "one datacenter under the root");
            NS_TEST_ASSERT_MSG_EQ(s.Agent(i)->GetAfcs().size(), 2, "system + warning");
        }
        Simulator::Destroy();
    }
};

/// A newer AFC of the same name replaces the older one at every agent, and an AFC with an
/// expiry disappears everywhere once it has expired.
class AstrolabeAfcReplaceAndExpiryTestCase : public TestCase
{
  public:
    AstrolabeAfcReplaceAndExpiryTestCase()
        : TestCase("a newer AFC of the same name wins everywhere; an expired AFC goes away")
    {
    }

  private:
    static void InstallExpiring(Ptr<AstrolabeAgent> a)
    {
        std::string err;
        bool ok = a->InstallAfc("short", "SELECT MIN(minload) AS smin", err, Seconds(15));
        NS_ABORT_MSG_IF(!ok, err);
    }

    /// How many agents hold an AFC named name (with that text, if text is not empty).
    static uint32_t Holding(const Scenario& s, const std::string& name, const std::string& text)
    {
        uint32_t n = 0;
        for (uint32_t i = 0; i < s.N(); ++i)
        {
            for (const auto& afc : s.Agent(i)->GetAfcs())
            {
                n += afc.GetName() == name && (text.empty() || afc.GetText() == text) ? 1 : 0;
            }
        }
        return n;
    }

    void DoRun() override
    {
        Scenario s(5);
        // Expiry is in the issuer's clock: with synchronised clocks every agent agrees on it.
        for (uint32_t i = 0; i < s.N(); ++i)
        {
            s.Agent(i)->SetAttribute("MaxClockOffset", TimeValue(Seconds(0)));
        }
        const std::string v1 = "SELECT MAX(minload) AS pmax";
        const std::string v2 = "SELECT COUNT(*) AS pcount";
        Simulator::Schedule(Seconds(2), &Install, s.Agent(3), "probe", v1);
        Simulator::Schedule(Seconds(16), &InstallExpiring, s.Agent(20));
        Simulator::Stop(Seconds(15));
        Simulator::Run();
        NS_TEST_ASSERT_MSG_EQ(Holding(s, "probe", v1), s.N(), "first version everywhere");

        // the same issuer installs a new version under the same name at 15 s
        Install(s.Agent(3), "probe", v2);
        Simulator::Stop(Seconds(15)); // to 30 s: "short" (16 s + 15 s) has not expired yet
        Simulator::Run();
        NS_TEST_EXPECT_MSG_EQ(Holding(s, "probe", v2), s.N(), "the newer version everywhere");
        NS_TEST_EXPECT_MSG_EQ(Holding(s, "probe", ""), s.N(), "and only it");
        NS_TEST_EXPECT_MSG_EQ(Holding(s, "short", ""), s.N(), "the expiring AFC spread");
        for (uint32_t i = 0; i < s.N(); ++i)
        {
            Ptr<AstrolabeAgent> a = s.Agent(i);
            NS_TEST_EXPECT_MSG_EQ(a->GetAggregate("/", "pcount").GetInt(), 1, a->GetZonePath());
            NS_TEST_EXPECT_MSG_EQ(a->GetAggregate("/", "pmax").IsNull(),
                                  true,
                                  "the old column is gone at " << a->GetZonePath());
        }

        Simulator::Stop(Seconds(20)); // to 50 s: 19 s after the expiry
        Simulator::Run();
        NS_TEST_EXPECT_MSG_EQ(Holding(s, "short", ""), 0, "expired everywhere");
        NS_TEST_EXPECT_MSG_EQ(Holding(s, "probe", v2), s.N(), "the other AFC stays");
        Simulator::Destroy();
    }
};

/// Every datagram fits MaxMessageSize (what does not fit waits), and no table grows beyond
/// MaxChildren child zones.
class AstrolabeBoundsTestCase : public TestCase
{
  public:
    AstrolabeBoundsTestCase()
        : TestCase("datagrams stay within MaxMessageSize, tables within MaxChildren")
    {
    }

  private:
    void DoRun() override
    {
        const uint32_t maxSize = 600; // a few rows: most messages must be cut
        Scenario s(6);
        uint32_t largest = 0;
        uint64_t sent = 0;
        for (uint32_t i = 0; i < s.N(); ++i)
        {
            Ptr<AstrolabeAgent> a = s.Agent(i);
            a->SetAttribute("MaxMessageSize", UintegerValue(maxSize));
            // pod 1's agents may hold only 3 of their 4 hosts and 2 of their 3 racks
            if (i >= 12)
            {
                a->SetAttribute("MaxChildren", UintegerValue(i < 18 ? 3 : 2));
            }
            a->TraceConnectWithoutContext(
                "Tx",
                MakeBoundCallback(
                    +[](uint32_t* big, uint64_t* n, Ptr<const Packet> p, Ipv4Address) {
                        *big = std::max(*big, p->GetSize());
                        ++*n;
                    },
                    &largest,
                    &sent));
        }
        Simulator::Stop(Seconds(40));
        Simulator::Run();
        NS_TEST_EXPECT_MSG_GT(sent, 1000, "agents gossiped");
        NS_TEST_EXPECT_MSG_LT_OR_EQ(largest, maxSize, "largest datagram payload");
        NS_TEST_EXPECT_MSG_GT(largest, maxSize - 150, "messages were filled up to the bound");
        for (uint32_t i = 0; i < s.N(); ++i)
        {
            Ptr<AstrolabeAgent> a = s.Agent(i);
            auto anc = a->GetAncestors();
            uint32_t bound = i < 12 ? 64 : i < 18 ? 3 : 2;
            for (const auto& zone : anc)
            {
                std::set<std::string> children;
                for (const auto& row : a->GetZoneTable(zone))
                {
                    children.insert(row.GetId());
                }
                NS_TEST_EXPECT_MSG_LT_OR_EQ(children.size(),
                                            bound,
                                            "children of " << zone << " at " << a->GetZonePath());
            }
            if (i < 12)
            {
                // pod 0 is unbounded and still learns its whole rack and pod despite the cuts
                NS_TEST_EXPECT_MSG_EQ(a->GetZoneTable(anc[3]).size(), 4, a->GetZonePath());
                NS_TEST_EXPECT_MSG_EQ(a->GetZoneTable(anc[2]).size(), 3, a->GetZonePath());
            }
        }
        Simulator::Destroy();
    }
};

/// Garbage and truncated datagrams are dropped and counted; the agent keeps working.
class AstrolabeMalformedTestCase : public TestCase
{
  public:
    AstrolabeMalformedTestCase()
        : TestCase("malformed packets are dropped and counted")
    {
    }

  private:
    static void Blast(Ptr<Node> from, Ipv4Address to, uint32_t count)
    {
        Ptr<Socket> s = Socket::CreateSocket(from, UdpSocketFactory::GetTypeId());
        s->Bind();
        Ptr<UniformRandomVariable> rng = CreateObject<UniformRandomVariable>();
        rng->SetStream(99);
        for (uint32_t i = 0; i < count; ++i)
        {
            std::vector<uint8_t> junk(1 + rng->GetInteger(0, 600));
            for (auto& b : junk)
            {
                b = static_cast<uint8_t>(rng->GetInteger(0, 255));
            }
            if (i % 2 == 0 && junk.size() > 2)
            {
                junk[0] = AstrolabeHeader::VERSION; // right version, garbage after it
                junk[1] = 1 + i % 3;
            }
            s->SendTo(Create<Packet>(junk.data(), junk.size()), 0, InetSocketAddress(to, 5405));
        }
        // a real header cut short
        AstrolabeHeader h;
        h.SetSender("/dc0/pod00/rack00/host09");
        h.GetDigests().push_back({"/dc0", {{"/dc0/pod00", "/x", 1}}});
        Ptr<Packet> p = Create<Packet>();
        p->AddHeader(h);
        std::vector<uint8_t> bytes(p->GetSize());
        p->CopyData(bytes.data(), bytes.size());
        s->SendTo(Create<Packet>(bytes.data(), bytes.size() - 3), 0, InetSocketAddress(to, 5405));
        // well-formed headers whose AFC text nests 10,000 (over the text bound) and 5,000
        // (over the nesting bound) parentheses: must be refused, not overflow the stack
        for (uint32_t depth : {10000U, 5000U})
        {
            std::string evil =
                "SELECT " + std::string(depth, '(') + "1" + std::string(depth, ')') + " AS m";
            // Init refuses such text, so encode a placeholder and splice the text and its
            // 16-bit big-endian length into the wire bytes
            const std::string benign = "SELECT 1 AS placeholder";
            astrolabe::Afc afc;
            astrolabe::SqlError err;
            NS_ABORT_MSG_IF(!afc.Init("evil", benign, 5, 0, 0, "/x", err), err.ToString());
            AstrolabeHeader g;
            g.SetSender("/dc0/pod00/rack00/host09");
            g.GetAfcs().push_back(afc);
            Ptr<Packet> gp = Create<Packet>();
            gp->AddHeader(g);
            std::vector<uint8_t> gb(gp->GetSize());
            gp->CopyData(gb.data(), gb.size());
            auto at = std::search(gb.begin(), gb.end(), benign.begin(), benign.end());
            NS_ABORT_MSG_IF(at == gb.end() || at - gb.begin() < 2, "AFC text not found");
            size_t pos = at - gb.begin();
            gb[pos - 2] = static_cast<uint8_t>(evil.size() >> 8);
            gb[pos - 1] = static_cast<uint8_t>(evil.size() & 0xff);
            gb.erase(gb.begin() + pos, gb.begin() + pos + benign.size());
            gb.insert(gb.begin() + pos, evil.begin(), evil.end());
            s->SendTo(Create<Packet>(gb.data(), gb.size()), 0, InetSocketAddress(to, 5405));
        }
    }

    void DoRun() override
    {
        Scenario s(4);
        const uint32_t count = 60;
        Simulator::Schedule(Seconds(5), &Blast, s.dc.GetHost(1), s.dc.GetHostAddress(0), count);
        Simulator::Stop(Seconds(30));
        Simulator::Run();
        NS_TEST_ASSERT_MSG_EQ(s.Agent(0)->GetMalformed(), count + 3, "all junk counted");
        NS_TEST_ASSERT_MSG_EQ(s.stats.GetMalformed(0), count + 3, "and traced");
        for (uint32_t i = 0; i < s.N(); ++i)
        {
            NS_TEST_ASSERT_MSG_EQ(s.Agent(i)->GetAggregate("/", "nmembers").GetInt(),
                                  24,
                                  "still converges");
        }
        Simulator::Destroy();
    }
};

/// AFC limits: MaxAfcs, the reserved name "system" and reserved columns (locally and from the
/// network), and the default output cap of an AFC whose cap is 0.
class AstrolabeAfcLimitsTestCase : public TestCase
{
  public:
    AstrolabeAfcLimitsTestCase()
        : TestCase("AFC count, name, column and output limits")
    {
    }

  private:
    /// A ROWS datagram carrying one AFC, as any host on the network could send it.
    static void SendAfc(Ptr<Node> from, Ipv4Address to, astrolabe::Afc afc)
    {
        Ptr<Socket> s = Socket::CreateSocket(from, UdpSocketFactory::GetTypeId());
        s->Bind();
        AstrolabeHeader h;
        h.SetType(AstrolabeHeader::ROWS);
        h.SetSender("/dc0/pod00/rack00/host09");
        h.GetAfcs().push_back(afc);
        Ptr<Packet> p = Create<Packet>();
        p->AddHeader(h);
        s->SendTo(p, 0, InetSocketAddress(to, 5405));
    }

    static void InstallMany(Ptr<AstrolabeAgent> a, std::string prefix, uint32_t n)
    {
        for (uint32_t i = 0; i < n; ++i)
        {
            std::string err;
            bool ok = a->InstallAfc(prefix + std::to_string(i),
                                    "SELECT COUNT(*) AS " + prefix + std::to_string(i),
                                    err);
            NS_ABORT_MSG_IF(!ok, err);
        }
    }

    void DoRun() override
    {
        Scenario s(5);
        Ptr<AstrolabeAgent> a0 = s.Agent(0);
        a0->SetAttribute("MaxAfcs", UintegerValue(3));
        std::map<std::string, uint32_t> errors; // reason keyword -> count at agent 0 and 2
        auto count =
            [](std::map<std::string, uint32_t>* m, const std::string&, const std::string& why) {
                for (const char* k : {"MaxAfcs", "reserved", "cap of 1024"})
                {
                    if (why.find(k) != std::string::npos)
                    {
                        ++(*m)[k];
                    }
                }
            };
        a0->TraceConnectWithoutContext("AfcError", MakeBoundCallback(+count, &errors));
        s.Agent(2)->TraceConnectWithoutContext("AfcError", MakeBoundCallback(+count, &errors));

        std::string err;
        NS_TEST_ASSERT_MSG_EQ(a0->InstallAfc("system", "SELECT COUNT(*) AS n", err), false, "");
        NS_TEST_ASSERT_MSG_NE(err.find("reserved"), std::string::npos, err);
        for (std::string col : {"contacts", "servers", "depth"})
        {
            std::string text = col == "depth" ? "SELECT MAX(depth) AS depth"
                                              : "SELECT FIRST(1, " + col + ") AS " + col;
            NS_TEST_ASSERT_MSG_EQ(a0->InstallAfc("x", text, err), false, text);
            NS_TEST_ASSERT_MSG_NE(err.find("reserved column '" + col + "'"),
                                  std::string::npos,
                                  err);
        }
        // the composable recomputation the aggregation baselines rely on stays allowed
        NS_TEST_ASSERT_MSG_EQ(
            a0->InstallAfc("avg", "SELECT SUM(nmembers) AS nmembers, AVG(load) AS load", err),
            true,
            err);
        InstallMany(a0, "a", 2); // 3 user AFCs: the bound
        NS_TEST_ASSERT_MSG_EQ(a0->InstallAfc("one-more", "SELECT COUNT(*) AS c", err),
                              false,
                              "MaxAfcs");
        NS_TEST_ASSERT_MSG_NE(err.find("MaxAfcs (3)"), std::string::npos, err);
        // a replacement of an installed name is not a new AFC
        NS_TEST_ASSERT_MSG_EQ(a0->InstallAfc("a0", "SELECT COUNT(*) AS a0b", err), true, err);

        // other agents (default bound 16) gossip 4 more AFCs to agent 0
        Simulator::Schedule(Seconds(2), &InstallMany, s.Agent(5), "b", 4);
        // forged: a "system" AFC that would beat the built-in one, and one electing contacts
        astrolabe::Afc forgedSystem;
        astrolabe::Afc forgedContacts;
        astrolabe::SqlError serr;
        NS_TEST_ASSERT_MSG_EQ(forgedSystem.Init("system",
                                                "SELECT SUM(nmembers) AS nmembers",
                                                int64_t{1} << 60,
                                                0,
                                                0,
                                                "/evil",
                                                serr),
                              true,
                              serr.ToString());
        NS_TEST_ASSERT_MSG_EQ(forgedContacts.Init("grab",
                                                  "SELECT FIRST(1, servers) AS contacts",
                                                  int64_t{1} << 60,
                                                  0,
                                                  0,
                                                  "/evil",
                                                  serr),
                              true,
                              serr.ToString());
        Simulator::Schedule(Seconds(3),
                            &SendAfc,
                            s.dc.GetHost(1),
                            s.dc.GetHostAddress(2),
                            forgedSystem);
        Simulator::Schedule(Seconds(3),
                            &SendAfc,
                            s.dc.GetHost(1),
                            s.dc.GetHostAddress(2),
                            forgedContacts);
        // cap 0 means the default cap, MaxMessageSize / 8 = 1024 bytes
        GossipSchedule(Seconds(4), [&s]() {
            std::string e;
            bool ok = s.Agent(7)->InstallAfc("big",
                                             "SELECT '" + std::string(1500, 'x') + "' AS big",
                                             e,
                                             Seconds(0),
                                             0);
            NS_ABORT_MSG_IF(!ok, e);
        });
        Simulator::Stop(Seconds(30));
        Simulator::Run();

        std::set<std::string> names;
        for (const auto& afc : a0->GetAfcs())
        {
            names.insert(afc.GetName());
        }
        NS_TEST_ASSERT_MSG_EQ(names.size(), 4, "system + 3 user AFCs at agent 0");
        NS_TEST_ASSERT_MSG_EQ(names.count("b0"), 0, "b0 dropped at agent 0");
        NS_TEST_ASSERT_MSG_GT(errors["MaxAfcs"], 0, "drops reported through AfcError");
        NS_TEST_ASSERT_MSG_EQ(s.Agent(3)->GetAfcs().size(), 1 + 3 + 4 + 1, "others hold all");
        NS_TEST_ASSERT_MSG_GT(errors["reserved"], 1, "forged AFCs reported at agent 2");
        for (uint32_t i = 0; i < s.N(); ++i)
        {
            for (const auto& afc : s.Agent(i)->GetAfcs())
            {
                NS_TEST_ASSERT_MSG_NE(afc.GetName(), "grab", "forged AFC spread");
                if (afc.GetName() == "system")
                {
                    NS_TEST_ASSERT_MSG_EQ(afc.GetIssued(), 0, "built-in system AFC replaced");
                }
            }
            NS_TEST_ASSERT_MSG_EQ(s.Agent(i)->GetAggregate("/", "nmembers").GetInt(),
                                  24,
                                  "still converges");
            NS_TEST_ASSERT_MSG_EQ(s.Agent(i)->GetAggregate("/", "big").IsNull(),
                                  true,
                                  "oversized output dropped");
        }
        NS_TEST_ASSERT_MSG_GT(errors["cap of 1024"], 0, "default cap reported");
        Simulator::Destroy();
    }
};

/// Forged rows: a host row with a foreign rep, a zone row whose rep is outside the zone, and a
/// flood of reps for one zone against MaxRepsPerZone.
class AstrolabeForgedRowsTestCase : public TestCase
{
  public:
    AstrolabeForgedRowsTestCase()
        : TestCase("forged rows are refused or bounded")
    {
    }

  private:
    static void Forge(Ptr<Node> from, Ipv4Address to)
    {
        Ptr<Socket> s = Socket::CreateSocket(from, UdpSocketFactory::GetTypeId());
        s->Bind();
        AstrolabeHeader h;
        h.SetType(AstrolabeHeader::ROWS);
        h.SetSender("/dc0/pod00/rack00/host09");
        const int64_t future = int64_t{1} << 60;
        AstrolabeHeader::RowBlock leaf;
        leaf.zone = "/dc0/pod00/rack00";
        leaf.rows.emplace_back("/dc0/pod00/rack00/host01", "/evil", future);
        h.GetRows().push_back(leaf);
        AstrolabeHeader::RowBlock pod;
        pod.zone = "/dc0/pod00";
        pod.rows.emplace_back("/dc0/pod00/rack01", "/dc0/pod01/rack00/host00", future);
        for (int i = 0; i < 20; ++i)
        {
            // issued now: well formed (a row from beyond every clock is refused outright)
            pod.rows.emplace_back("/dc0/pod00/rack01",
                                  "/dc0/pod00/rack01/fake" + std::to_string(i),
                                  Simulator::Now().GetMicroSeconds());
        }
        h.GetRows().push_back(pod);
        Ptr<Packet> p = Create<Packet>();
        p->AddHeader(h);
        s->SendTo(p, 0, InetSocketAddress(to, 5405));
    }

    static void CheckReps(Ptr<AstrolabeAgent> a, uint32_t* maxSeen)
    {
        *maxSeen = std::max(*maxSeen, a->GetNReps("/dc0/pod00", "/dc0/pod00/rack01"));
    }

    void DoRun() override
    {
        Scenario s(6);
        Ptr<AstrolabeAgent> a0 = s.Agent(0);
        a0->SetAttribute("MaxRepsPerZone", UintegerValue(3));
        std::set<std::string> bad;   // rows stored with an impossible (id, rep)
        std::set<std::string> fakes; // forged but well-formed reps stored
        a0->TraceConnectWithoutContext("RowChanged",
                                       MakeBoundCallback(
                                           +[](std::set<std::string>* b,
                                               std::set<std::string>* f,
                                               const std::string&,
                                               const astrolabe::Row& r) {
                                               if (r.GetRep() == "/evil" ||
                                                   (r.GetId() == "/dc0/pod00/rack01" &&
                                                    r.GetRep() == "/dc0/pod01/rack00/host00"))
                                               {
                                                   b->insert(r.GetId() + " " + r.GetRep());
                                               }
                                               if (r.GetRep().find("fake") != std::string::npos)
                                               {
                                                   f->insert(r.GetRep());
                                               }
                                           },
                                           &bad,
                                           &fakes));
        uint32_t maxSeen = 0;
        for (double t = 1; t < 40; t += 0.5)
        {
            Simulator::Schedule(Seconds(t), &CheckReps, a0, &maxSeen);
        }
        Simulator::Schedule(Seconds(5), &Forge, s.dc.GetHost(1), s.dc.GetHostAddress(0));
        Simulator::Schedule(Seconds(5.01), &CheckReps, a0, &maxSeen);
        Simulator::Stop(Seconds(40));
        Simulator::Run();
        NS_TEST_ASSERT_MSG_EQ(bad.size(), 0, "a row with an impossible rep was stored");
        NS_TEST_ASSERT_MSG_EQ(fakes.size(), 20, "well-formed reps are accepted in turn");
        NS_TEST_ASSERT_MSG_EQ(maxSeen, 3, "reps of /dc0/pod00/rack01 held at agent 0");
        NS_TEST_ASSERT_MSG_LT_OR_EQ(s.Agent(1)->GetNReps("/dc0/pod00", "/dc0/pod00/rack01"),
                                    4,
                                    "one rep per rack host at an unattacked agent");
        for (uint32_t i = 0; i < s.N(); ++i)
        {
            NS_TEST_ASSERT_MSG_EQ(s.Agent(i)->GetAggregate("/", "nmembers").GetInt(),
                                  24,
                                  "converges again once the forged rows expire");
        }
        Simulator::Destroy();
    }
};

/// The same run number gives the same history; another one a different history.
class AstrolabeDeterminismTestCase : public TestCase
{
  public:
    AstrolabeDeterminismTestCase()
        : TestCase("same RngRun, same history")
    {
    }

  private:
    static std::string History(uint32_t run)
    {
        Scenario s(run);
        std::ostringstream os;
        for (uint32_t i = 0; i < s.N(); ++i)
        {
            s.Agent(i)->TraceConnectWithoutContext("AggregateChanged",
                                                   MakeBoundCallback(
                                                       +[](std::ostringstream* o,
                                                           const std::string& zone,
                                                           const std::string& attr,
                                                           const astrolabe::Value& v) {
                                                           *o << Simulator::Now().GetNanoSeconds()
                                                              << " " << zone << " " << attr << " "
                                                              << v.ToString() << "\n";
                                                       },
                                                       &os));
        }
        Simulator::Stop(Seconds(20));
        Simulator::Run();
        os << s.stats.GetTotalTxBytes();
        Simulator::Destroy();
        return os.str();
    }

    void DoRun() override
    {
        std::string a = History(5);
        std::string b = History(5);
        std::string c = History(6);
        NS_TEST_ASSERT_MSG_EQ((a.size() > 1000), true, "a non-trivial history");
        NS_TEST_ASSERT_MSG_EQ((a == b), true, "same run, same history");
        NS_TEST_ASSERT_MSG_EQ((a == c), false, "another run differs");
    }
};

/// The helper names hosts and picks seeds from their addresses as the topology helpers did.
class AstrolabeHelperTestCase : public TestCase
{
  public:
    AstrolabeHelperTestCase()
        : TestCase("helper: paths and seeds from addresses, Install(node), AssignStreams(nodes)")
    {
    }

  private:
    void DoRun() override
    {
        {
            // one datacenter of two pods; two seeds
            DatacenterTopologyHelper dc;
            dc.SetHostsPerRack(2);
            dc.SetRacksPerPod(2);
            dc.SetPods(2);
            dc.SetSpinesPerPod(1);
            dc.Install();
            AstrolabeHelper astro;
            astro.SetPodLevel(true);
            astro.SetSeedsPerDatacenter(2);
            ApplicationContainer apps = astro.Install(dc.GetHosts());
            NS_TEST_ASSERT_MSG_EQ(apps.GetN(), dc.GetNHosts(), "an agent per host");
            for (uint32_t i = 0; i < apps.GetN(); ++i)
            {
                Ptr<AstrolabeAgent> a = DynamicCast<AstrolabeAgent>(apps.Get(i));
                NS_TEST_ASSERT_MSG_EQ(a->GetZonePath(), dc.GetHostPath(i), "path of host " << i);
                NS_TEST_ASSERT_MSG_EQ(
                    (a->GetSeeds() ==
                     std::vector<Ipv4Address>{dc.GetHostAddress(0), dc.GetHostAddress(1)}),
                    true,
                    "the first two hosts are the seeds");
                NS_TEST_ASSERT_MSG_EQ(AstrolabeHelper::GetAgent(dc.GetHost(i)), a, "GetAgent");
            }
            NS_TEST_ASSERT_MSG_EQ(astro.AssignStreams(dc.GetHosts(), 10),
                                  static_cast<int64_t>(2 * apps.GetN()),
                                  "two streams per agent");
            // one node, with the seeds given
            DatacenterTopologyHelper other;
            other.SetHostsPerRack(1);
            other.SetRacksPerPod(1);
            other.SetDatacenterIndex(4);
            other.Install();
            astro.SetPodLevel(false);
            astro.SetSeeds({dc.GetHostAddress(3)});
            ApplicationContainer one = astro.Install(other.GetHost(0));
            Ptr<AstrolabeAgent> a = DynamicCast<AstrolabeAgent>(one.Get(0));
            NS_TEST_ASSERT_MSG_EQ(a->GetZonePath(), "/dc4/rack00/host00", "");
            NS_TEST_ASSERT_MSG_EQ(a->GetSeeds().size(), 1U, "");
            NS_TEST_ASSERT_MSG_EQ(a->GetSeeds()[0], dc.GetHostAddress(3), "");
            Simulator::Destroy();
        }
        {
            // three datacenters: one seed each
            DatacenterTopologyHelper tmpl;
            tmpl.SetHostsPerRack(2);
            tmpl.SetRacksPerPod(2);
            tmpl.SetSpinesPerPod(1);
            WanTopologyHelper wan;
            wan.SetDatacenters(3);
            wan.SetDatacenterTemplate(tmpl);
            wan.Install();
            AstrolabeHelper astro;
            ApplicationContainer apps = astro.Install(wan.GetHosts());
            std::vector<Ipv4Address> seeds;
            for (uint32_t i = 0; i < wan.GetNHosts(); i += 4)
            {
                seeds.push_back(wan.GetHostAddress(i));
            }
            for (uint32_t i = 0; i < apps.GetN(); ++i)
            {
                Ptr<AstrolabeAgent> a = DynamicCast<AstrolabeAgent>(apps.Get(i));
                NS_TEST_ASSERT_MSG_EQ(a->GetZonePath(), wan.GetHostPath(i), "path of host " << i);
                NS_TEST_ASSERT_MSG_EQ((a->GetSeeds() == seeds), true, "a seed per datacenter");
            }
            Simulator::Destroy();
        }
    }
};

/// A hostile but well-formed member, lying every round: a host whose agent has stopped keeps a
/// plain UDP socket and sends every honest agent, each gossip interval for 30 s, ROWS with (a)
/// every honest host's row of the victim's rack, issued 2^60 (it would outrank the real rows
/// for good), (b) 20 made-up representatives of each rack zone of the victim's pod claiming
/// nmembers 1000, issued now, and (c) 20 new AFCs. Honest agents must keep their bounds, refuse
/// (a), and be back to the true aggregates within T_fail (+ a few rounds) after the lies stop.
class AstrolabeHostileMemberTestCase : public TestCase
{
  public:
    AstrolabeHostileMemberTestCase()
        : TestCase("hostile member lying every round: future rows refused, reps and AFCs "
                   "bounded, aggregates correct")
    {
    }

  private:
    static constexpr uint32_t kLiar = 5;

    struct Seen
    {
        uint32_t maxReps{0};
        uint32_t maxAfcs{0};
        uint64_t futureRows{0}; //!< rows stored with issued 2^60
        int64_t maxCount{0};    //!< the largest root nmembers an honest agent showed
        Time lastWrong;         //!< the last time an honest agent's root count was not 23
    };

    static void CheckCount(const Scenario* sc, Seen* seen)
    {
        for (uint32_t v = 0; v < sc->N(); ++v)
        {
            astrolabe::Value c = sc->Agent(v)->GetAggregate("/", "nmembers");
            if (v != kLiar && (c.IsNull() || c.GetInt() != int64_t(sc->N() - 1)))
            {
                seen->lastWrong = Simulator::Now();
            }
        }
    }

    static void Lie(Ptr<Socket> s, const Scenario* sc, uint32_t round)
    {
        const int64_t future = int64_t{1} << 60;
        for (uint32_t v = 0; v < sc->N(); ++v)
        {
            if (v == kLiar)
            {
                continue;
            }
            Ptr<AstrolabeAgent> victim = sc->Agent(v);
            std::vector<std::string> zones = victim->GetAncestors(); // "/", /dc0, pod, rack
            AstrolabeHeader h;
            h.SetType(AstrolabeHeader::ROWS);
            h.SetSender(sc->Agent(kLiar)->GetZonePath());
            AstrolabeHeader::RowBlock leaf;
            leaf.zone = zones.back();
            for (const astrolabe::Row& r : victim->GetZoneTable(leaf.zone))
            {
                astrolabe::Row forged = r;
                forged.SetIssued(future);
                forged.Set("load", astrolabe::Value(1000.0));
                leaf.rows.push_back(forged);
            }
            h.GetRows().push_back(leaf);
            AstrolabeHeader::RowBlock pod;
            pod.zone = zones[zones.size() - 2];
            for (const astrolabe::Row& r : victim->GetZoneTable(pod.zone))
            {
                for (uint32_t k = 0; k < 20; ++k)
                {
                    astrolabe::Row forged = r;
                    forged.SetRep(r.GetId() + "/fake" + std::to_string(round) + "x" +
                                  std::to_string(k));
                    forged.SetIssued(int64_t(Simulator::Now().GetMicroSeconds()));
                    forged.Set("nmembers", astrolabe::Value(int64_t{1000}));
                    pod.rows.push_back(forged);
                }
            }
            h.GetRows().push_back(pod);
            for (uint32_t k = 0; k < 20; ++k)
            {
                astrolabe::Afc afc;
                astrolabe::SqlError err;
                const std::string name = "flood" + std::to_string(round) + "x" + std::to_string(k);
                NS_ABORT_MSG_IF(!afc.Init(name,
                                          "SELECT COUNT(*) AS " + name,
                                          int64_t(Simulator::Now().GetMicroSeconds()),
                                          0,
                                          0,
                                          "/evil",
                                          err),
                                err.ToString());
                h.GetAfcs().push_back(afc);
            }
            Ptr<Packet> p = Create<Packet>();
            p->AddHeader(h);
            s->SendTo(p, 0, InetSocketAddress(sc->dc.GetHostAddress(v), 5405));
        }
    }

    static void Sample(const Scenario* sc, Seen* seen)
    {
        for (uint32_t v = 0; v < sc->N(); ++v)
        {
            if (v == kLiar)
            {
                continue;
            }
            Ptr<AstrolabeAgent> a = sc->Agent(v);
            seen->maxAfcs = std::max<uint32_t>(seen->maxAfcs, a->GetAfcs().size());
            std::vector<std::string> zones = a->GetAncestors();
            const std::string pod = zones[zones.size() - 2];
            for (const astrolabe::Row& r : a->GetZoneTable(pod))
            {
                seen->maxReps = std::max(seen->maxReps, a->GetNReps(pod, r.GetId()));
            }
            for (const astrolabe::Row& r : a->GetZoneTable(zones.back()))
            {
                seen->futureRows += r.GetIssued() >= (int64_t{1} << 60);
            }
            astrolabe::Value count = a->GetAggregate("/", "nmembers");
            seen->maxCount = std::max(seen->maxCount, count.IsNull() ? 0 : count.GetInt());
        }
    }

    void DoRun() override
    {
        Scenario s(31);
        s.apps.Get(kLiar)->SetStopTime(Seconds(0.5));
        Ptr<Socket> sock = Socket::CreateSocket(s.dc.GetHost(kLiar), UdpSocketFactory::GetTypeId());
        sock->Bind();
        Seen seen;
        const uint32_t lies = 30; // every gossip interval from 5 s to 34 s
        for (uint32_t r = 0; r < lies; ++r)
        {
            Simulator::Schedule(Seconds(5 + r), &AstrolabeHostileMemberTestCase::Lie, sock, &s, r);
            Simulator::Schedule(Seconds(5.5 + r),
                                &AstrolabeHostileMemberTestCase::Sample,
                                &s,
                                &seen);
        }
        // The forged reps stop being refreshed at 35 s: they are removed T_fail later.
        const Time tfail = s.Agent(0)->GetFailTimeout();
        const Time end = Seconds(5 + lies) + tfail + 8 * kInterval;
        for (Time t = Seconds(5 + lies); t < end; t += MilliSeconds(100))
        {
            Simulator::Schedule(t, &AstrolabeHostileMemberTestCase::CheckCount, &s, &seen);
        }
        Simulator::Stop(end);
        Simulator::Run();
        const uint32_t maxReps = 16; // MaxRepsPerZone's default
        const uint32_t maxAfcs = 16; // MaxAfcs's default
        NS_TEST_ASSERT_MSG_EQ(seen.futureRows, 0, "rows issued 2^60 refused");
        NS_TEST_ASSERT_MSG_LT_OR_EQ(seen.maxReps, maxReps, "reps per zone within MaxRepsPerZone");
        NS_TEST_ASSERT_MSG_GT(seen.maxReps, 2, "the forged reps were acted upon");
        NS_TEST_ASSERT_MSG_LT_OR_EQ(seen.maxAfcs, maxAfcs + 1, "AFCs within MaxAfcs (+ system)");
        // GAP (documented, not asserted): rows are not signed here (the paper signs them), so
        // while the lies go on, a made-up rep's copy of a rack row counts; measured (RngRun 31):
        // root nmembers up to 2016 at honest agents, against 23.
        NS_TEST_ASSERT_MSG_GT(seen.maxCount, 0, "the root count was sampled");
        // Bounded in time: once the lies stop, every honest agent counts the 23 honest hosts
        // again (the liar's own row has expired too).
        for (uint32_t v = 0; v < s.N(); ++v)
        {
            if (v != kLiar)
            {
                NS_TEST_ASSERT_MSG_EQ(s.Agent(v)->GetAggregate("/", "nmembers").GetInt(),
                                      int64_t(s.N() - 1),
                                      "agent " << v << " counts the honest hosts again");
            }
        }
        // Measured (RngRun 31): the last wrong count 3.8 s after the last lie (T_fail is 6 s).
        NS_TEST_ASSERT_MSG_LT_OR_EQ(seen.lastWrong,
                                    Seconds(5 + lies - 1) + tfail + 2 * kInterval,
                                    "true counts within T_fail + 2 rounds of the last lie");
        Simulator::Destroy();
    }
};

/**
 * A WAN partition cuts one datacenter off for 300 s, then heals. The WAN links of the isolated
 * datacenter's gateway get a receive error model that drops every packet while the partition
 * lasts (both ends, so nothing crosses in either direction); routes and agents are untouched.
 * During the partition each side's root rows of the other side are not refreshed and expire after
 * T_fail, so root nmembers and AVG(load) come to reflect only that side; after the heal the
 * representatives reach the other side again (a seed when alone at the root) and every agent
 * returns to the global values.
 */
class AstrolabeWanPartitionTestCase : public TestCase
{
  public:
    /**
     * \param racks racks per datacenter (3 datacenters, one pod each)
     * \param hostsPerRack hosts per rack
     * \param runs RngRun 1..runs
     * \param settleRounds bound on rounds, past T_fail after the cut, until both sides show their
     *        own values everywhere
     * \param healRounds bound on rounds after the heal until every agent shows the global values
     */
    AstrolabeWanPartitionTestCase(uint32_t racks,
                                  uint32_t hostsPerRack,
                                  uint32_t runs,
                                  double settleRounds,
                                  double healRounds)
        : TestCase(Name(racks, hostsPerRack, runs)),
          m_racks(racks),
          m_hostsPerRack(hostsPerRack),
          m_runs(runs),
          m_settleRounds(settleRounds),
          m_healRounds(healRounds)
    {
    }

  private:
    static std::string Name(uint32_t racks, uint32_t hostsPerRack, uint32_t runs)
    {
        std::ostringstream os;
        os << "WAN partition of one datacenter for 300 s and heal (3 dc x " << racks << " x "
           << hostsPerRack << " hosts, " << runs << (runs == 1 ? " run)" : " runs)");
        return os.str();
    }

    void DoRun() override
    {
        for (uint32_t run = 1; run <= m_runs; ++run)
        {
            RunOnce(run);
        }
    }

    void RunOnce(uint32_t run)
    {
        gossip_test::RngRun rng(run, 7);
        const Time interval = Seconds(5); // as in examples/astrolabe-wan.cc
        const Time cutAt = Seconds(150);
        const Time healAt = cutAt + Seconds(300);
        const Time stopAt = healAt + Seconds(250);
        const uint32_t dark = 2; // the isolated datacenter

        DatacenterTopologyHelper tmpl;
        tmpl.SetHostsPerRack(m_hostsPerRack);
        tmpl.SetRacksPerPod(m_racks);
        tmpl.SetSpinesPerPod(2);
        WanTopologyHelper wan;
        wan.SetDatacenters(3);
        wan.SetDatacenterTemplate(tmpl);
        wan.Install();
        Ipv4Address group("239.255.0.11");
        wan.EnableMulticast(group, DatacenterTopologyHelper::RACK);

        // the cut: drop everything received on either end of the isolated gateway's WAN links
        Ptr<Node> gw = wan.GetGateways().Get(dark);
        std::vector<Ptr<RateErrorModel>> cut;
        uint64_t cutDrops = 0;
        for (uint32_t i = 0; i < wan.GetWanDevices().GetN(); ++i)
        {
            Ptr<NetDevice> d = wan.GetWanDevices().Get(i);
            Ptr<Channel> ch = d->GetChannel();
            Ptr<NetDevice> peer = ch->GetDevice(0) == d ? ch->GetDevice(1) : ch->GetDevice(0);
            if (d->GetNode() != gw && peer->GetNode() != gw)
            {
                continue;
            }
            Ptr<RateErrorModel> em = CreateObject<RateErrorModel>();
            em->SetUnit(RateErrorModel::ERROR_UNIT_PACKET);
            em->SetRate(1.0);
            em->Disable();
            d->SetAttribute("ReceiveErrorModel", PointerValue(em));
            d->TraceConnectWithoutContext("PhyRxDrop",
                                          MakeBoundCallback(
                                              +[](uint64_t* c, Ptr<const Packet>) { ++*c; },
                                              &cutDrops));
            cut.push_back(em);
        }
        GossipSchedule(cutAt, [&cut]() {
            for (auto& em : cut)
            {
                em->Enable();
            }
        });
        GossipSchedule(healAt, [&cut]() {
            for (auto& em : cut)
            {
                em->Disable();
            }
        });

        AstrolabeHelper astro;
        astro.SetAttribute("GossipInterval", TimeValue(interval));
        astro.SetAttribute("MulticastGroup", Ipv4AddressValue(group));
        astro.SetAttribute("MaxClockOffset", TimeValue(Seconds(3600)));
        ApplicationContainer apps = astro.Install(wan.GetHosts()); // seeds: a host per dc
        astro.AssignStreams(wan.GetHosts(), 100);
        const uint32_t n = apps.GetN();
        // known loads: dc^2 + 0.1 x (host in rack), so no side's average is the global one
        std::vector<bool> isolated(n);
        uint32_t nIso = 0;
        double sumIso = 0;
        double sumAll = 0;
        for (uint32_t i = 0; i < n; ++i)
        {
            const uint32_t dc = wan.GetHostDatacenter(i);
            const double load = dc * dc + 0.1 * (i % m_hostsPerRack);
            apps.Get(i)->SetAttribute("Load", DoubleValue(load));
            isolated[i] = dc == dark;
            nIso += isolated[i] ? 1 : 0;
            sumIso += isolated[i] ? load : 0;
            sumAll += load;
        }
        const uint32_t nRest = n - nIso;
        const double avgAll = sumAll / n;
        const double avgIso = sumIso / nIso;
        const double avgRest = (sumAll - sumIso) / nRest;
        apps.Start(Seconds(0));
        Simulator::Schedule(Seconds(0.5),
                            &Install,
                            DynamicCast<AstrolabeAgent>(apps.Get(0)),
                            "load",
                            "SELECT AVG(load) AS load");
        AstrolabeStatsHelper stats;
        stats.Attach(apps);
        stats.TrackAggregate("/", "nmembers");
        stats.TrackAggregate("/", "load");
        Time tfail;
        GossipSchedule(cutAt, [&tfail, &apps]() {
            tfail = DynamicCast<AstrolabeAgent>(apps.Get(0))->GetFailTimeout();
        });
        Simulator::Stop(stopAt);
        Simulator::Run();

        // expected (nmembers, AVG(load)) of agent i at time t
        auto expected = [&](uint32_t i, Time t) {
            if (t >= cutAt && t < healAt)
            {
                return isolated[i] ? std::make_pair(nIso, avgIso) : std::make_pair(nRest, avgRest);
            }
            return std::make_pair(n, avgAll);
        };
        auto matches =
            [&](uint32_t i, Time t, const astrolabe::Value& nm, const astrolabe::Value& l) {
                auto e = expected(i, t);
                return nm.IsNumber() && nm.GetInt() == e.first && l.IsNumber() &&
                       std::fabs(l.GetDouble() - e.second) < 1e-6;
            };
        // the latest time in [from, to) at which some agent did not show its expected values,
        // sampled every 0.1 s (from if none did)
        auto lastWrong = [&](Time from, Time to, uint32_t* wrongAtEnd) {
            Time last = from;
            for (Time t = from; t < to; t += MilliSeconds(100))
            {
                auto nm = stats.ValuesAt("/", "nmembers", t);
                auto l = stats.ValuesAt("/", "load", t);
                uint32_t wrong = 0;
                for (uint32_t i = 0; i < n; ++i)
                {
                    wrong += matches(i, t, nm[i], l[i]) ? 0 : 1;
                }
                if (wrong > 0)
                {
                    last = t + MilliSeconds(100);
                }
                *wrongAtEnd = wrong;
            }
            return last;
        };
        uint32_t wrongBeforeCut = 0;
        uint32_t wrongBeforeHeal = 0;
        uint32_t wrongAtStop = 0;
        const Time converged = lastWrong(Seconds(0), cutAt, &wrongBeforeCut);
        const Time settled = lastWrong(cutAt, healAt, &wrongBeforeHeal);
        const Time healed = lastWrong(healAt, stopAt, &wrongAtStop);
        // how long each side kept the other side's stale rows (nmembers still n)
        auto stillAll = stats.FirstSatisfied(
            "/",
            "nmembers",
            [n](const astrolabe::Value& v) { return v.GetInt() != static_cast<int64_t>(n); },
            cutAt);
        double firstDrop = 1e9;
        for (const auto& t : stillAll)
        {
            if (!t.IsNegative())
            {
                firstDrop = std::min(firstDrop, (t - cutAt).GetSeconds());
            }
        }
        const double r = interval.GetSeconds();
        const double convergedS = converged.GetSeconds();
        const double settleS = (settled - cutAt).GetSeconds();
        const double healS = (healed - healAt).GetSeconds();
        Simulator::Destroy();

        std::cout << "astrolabe WAN partition (run " << run << ", " << n << " agents, dc" << dark
                  << " = " << nIso << " hosts cut off " << cutAt.GetSeconds() << "-"
                  << healAt.GetSeconds() << " s, T_fail " << tfail.GetSeconds()
                  << " s): converged after " << convergedS / r << " rounds; first root count "
                  << "change " << firstDrop << " s after the cut; both sides show only their "
                  << "side (" << nIso << ", " << avgIso << " / " << nRest << ", " << avgRest
                  << ") from " << settleS << " s (" << settleS / r
                  << " rounds) after the cut; global (" << n << ", " << avgAll
                  << ") everywhere from " << healS << " s (" << healS / r
                  << " rounds) after the heal; " << cutDrops << " WAN packets dropped" << std::endl;

        NS_TEST_ASSERT_MSG_GT(cutDrops, 0, "the cut dropped nothing");
        NS_TEST_ASSERT_MSG_EQ(wrongBeforeCut, 0, "not converged before the cut");
        NS_TEST_ASSERT_MSG_EQ(wrongBeforeHeal, 0, "sides not settled before the heal");
        NS_TEST_ASSERT_MSG_EQ(wrongAtStop, 0, "global values not back at the end");
        // stale rows are kept until they expire: nothing changes for most of T_fail
        NS_TEST_ASSERT_MSG_GT(firstDrop, 0.8 * tfail.GetSeconds(), "stale rows dropped too early");
        NS_TEST_ASSERT_MSG_LT((settleS - tfail.GetSeconds()) / r,
                              m_settleRounds,
                              "sides settled too slowly after T_fail");
        NS_TEST_ASSERT_MSG_LT(healS / r, m_healRounds, "healed too slowly");
    }

    uint32_t m_racks;
    uint32_t m_hostsPerRack;
    uint32_t m_runs;
    double m_settleRounds;
    double m_healRounds;
};

class AstrolabeTestSuite : public TestSuite
{
  public:
    AstrolabeTestSuite()
        : TestSuite("gossip-astrolabe")
    {
        AddTestCase(new AstrolabeConvergenceTestCase);
        AddTestCase(new AstrolabeFailureTestCase);
        AddTestCase(new AstrolabeReElectionTestCase);
        AddTestCase(new AstrolabeReElectionTestCase(true));
        AddTestCase(new AstrolabeScaleMembershipTestCase);
        AddTestCase(new AstrolabeRuntimeAfcTestCase);
        AddTestCase(new AstrolabeAfcReplaceAndExpiryTestCase);
        AddTestCase(new AstrolabeBoundsTestCase);
        AddTestCase(new AstrolabeMalformedTestCase);
        AddTestCase(new AstrolabeAfcLimitsTestCase);
        AddTestCase(new AstrolabeForgedRowsTestCase);
        AddTestCase(new AstrolabeHostileMemberTestCase);
        AddTestCase(new AstrolabeDeterminismTestCase);
        AddTestCase(new AstrolabeHelperTestCase);
        // bounds: 8 rounds past T_fail to settle, 8 rounds to heal (measured: at most 3.9 and
        // 3.8 rounds over RngRun 1..10 in both sizes)
        AddTestCase(new AstrolabeWanPartitionTestCase(2, 3, 1, 8, 8));
        AddTestCase(new AstrolabeWanPartitionTestCase(3, 4, 10, 8, 8),
                    gossip::compat::TAKES_FOREVER);
    }
};

static AstrolabeTestSuite g_astrolabeTestSuite;
