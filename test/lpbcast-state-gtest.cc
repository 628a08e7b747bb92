/*
 * SPDX-License-Identifier: GPL-2.0-only
 *
 * GoogleTest for lpbcast's pure logic: view bounds and self-exclusion, buffer bounds, random and
 * age-based purging, frequency-based membership purging, unsubscriptions, retrieval schedule,
 * compacted eventIds and the infection Markov chain.
 */
#include "gossip-logic-test.h"

#include "ns3/lpbcast-state.h"
#include "ns3/pbcast-analysis.h"

#include <cmath>
#include <map>
#include <random>
#include <set>

using namespace ns3;

namespace
{
struct TestRng
{
    explicit TestRng(uint32_t seed)
        : gen(seed)
    {
    }

    LpbcastRng Fn()
    {
        return
            [this](uint32_t n) { return std::uniform_int_distribution<uint32_t>(0, n - 1)(gen); };
    }

    std::mt19937 gen;
};

LpbcastEvent
Ev(uint32_t origin, uint32_t seq, uint32_t age = 0)
{
    LpbcastEvent e;
    e.id = {origin, seq};
    e.age = age;
    return e;
}
} // namespace

TEST(LpbcastMembership, ViewBoundedAndNeverContainsSelf)
{
    TestRng rng(1);
    LpbcastMembership::Limits lim;
    lim.view = 10;
    lim.subs = 7;
    LpbcastMembership m(5, lim);
    for (uint32_t round = 0; round < 50; ++round)
    {
        std::vector<uint32_t> subs;
        for (uint32_t k = 0; k < 6; ++k)
        {
            subs.push_back(rng.Fn()(40));
        }
        subs.push_back(5); // self, as some gossips will carry it
        m.HandleGossip(subs, {}, 0, 1000, rng.Fn());
        EXPECT_LE(m.GetView().size(), 10u);
        EXPECT_LE(m.GetSubs().size(), 7u);
        EXPECT_FALSE(m.InView(5));
        std::set<uint32_t> unique(m.GetView().begin(), m.GetView().end());
        EXPECT_EQ(unique.size(), m.GetView().size()) << "duplicate in view";
    }
    EXPECT_EQ(m.GetView().size(), 10u);
    m.AddToView(5, rng.Fn());
    EXPECT_FALSE(m.InView(5));
}

TEST(LpbcastMembership, TargetsAreDistinctViewMembers)
{
    TestRng rng(2);
    LpbcastMembership m(0);
    for (uint32_t i = 1; i <= 15; ++i)
    {
        m.AddToView(i, rng.Fn());
    }
    auto t = m.SelectTargets(4, rng.Fn());
    ASSERT_EQ(t.size(), 4u);
    std::set<uint32_t> s(t.begin(), t.end());
    EXPECT_EQ(s.size(), 4u);
    for (uint32_t x : t)
    {
        EXPECT_TRUE(m.InView(x));
    }
    EXPECT_EQ(m.SelectTargets(40, rng.Fn()).size(), 15u);
}

TEST(LpbcastMembership, UnsubscriptionsHonouredAndExpire)
{
    TestRng rng(3);
    LpbcastMembership m(0);
    for (uint32_t i = 1; i <= 10; ++i)
    {
        m.AddToView(i, rng.Fn());
    }
    ASSERT_TRUE(m.InView(4));
    const int64_t timeout = 1000;
    m.HandleGossip({}, {{4, 100}}, 150, timeout, rng.Fn());
    EXPECT_FALSE(m.InView(4));
    EXPECT_EQ(m.GetUnSubs().count(4), 1u);
    // A stale subscription of 4 (still circulating) must not bring it back.
    m.HandleGossip({4}, {}, 200, timeout, rng.Fn());
    EXPECT_FALSE(m.InView(4));
    // An unsubscription that is already expired when it arrives is ignored.
    m.HandleGossip({}, {{7, 100}}, 100 + timeout + 1, timeout, rng.Fn());
    EXPECT_TRUE(m.InView(7));
    // After expiry, 4 may re-subscribe (a leave then a join).
    EXPECT_EQ(m.ExpireUnSubs(100 + timeout + 1, timeout), 1u);
    EXPECT_EQ(m.GetUnSubs().count(4), 0u);
    m.HandleGossip({4}, {}, 2000, timeout, rng.Fn());
    EXPECT_TRUE(m.InView(4));
}

TEST(LpbcastMembership, UnSubsBounded)
{
    TestRng rng(4);
    LpbcastMembership::Limits lim;
    lim.unSubs = 5;
    LpbcastMembership m(0, lim);
    std::vector<std::pair<uint32_t, int64_t>> u;
    for (uint32_t i = 1; i <= 20; ++i)
    {
        u.push_back({i, 10});
    }
    m.HandleGossip({}, u, 10, 1000, rng.Fn());
    EXPECT_EQ(m.GetUnSubs().size(), 5u);
}

// With a large K no entry exceeds K times the average: eviction used to keep drawing (and
// raising counters) for ~K x sum picks, growing geometrically from one eviction to the next.
// It must now take at most |from| picks, and the counters stay small.
TEST(LpbcastMembership, FrequencyPurgingLargeKIsBounded)
{
    TestRng base(9);
    uint64_t calls = 0;
    LpbcastRng counting = [&base, &calls](uint32_t n) {
        ++calls;
        return base.Fn()(n);
    };
    LpbcastMembership::Limits lim;
    lim.view = 5;
    lim.subs = 5;
    lim.purging = LpbcastMembership::FREQUENCY_MEMBERSHIP;
    lim.frequencyK = 100.0;
    LpbcastMembership m(0, lim);
    uint32_t next = 1;
    const uint32_t gossips = 200;
    for (uint32_t g = 0; g < gossips; ++g)
    {
        m.HandleGossip({next, next + 1, next + 2, 1}, {}, 0, 1000, counting);
        next += 3;
        ASSERT_LE(m.GetView().size(), 5u);
        ASSERT_LE(m.GetSubs().size(), 5u);
    }
    // Per gossip the view (at most 5 + 4) loses at most 4 entries, subs (at most 5 + 4 + 4)
    // at most 8; each eviction takes at most as many picks as there are entries.
    EXPECT_LE(calls, uint64_t(gossips) * (4 * 9 + 8 * 13));
    uint32_t maxFreq = 0;
    for (uint32_t id = 1; id < next; ++id)
    {
        maxFreq = std::max(maxFreq, m.GetFrequency(id));
    }
    EXPECT_LT(maxFreq, 10000u) << "frequency counters blew up";
}

TEST(LpbcastMembership, FrequencyPurgingEvictsWellKnownProcesses)
{
    // Process 1 is heard of in every gossip, the others once each. With frequency-based
    // purging the evicted entries are mostly the well-known one; with random purging it is
    // evicted about as often as any other.
    uint32_t freqEvictions = 0;
    uint32_t randomEvictions = 0;
    for (int mode = 0; mode < 2; ++mode)
    {
        TestRng rng(5);
        LpbcastMembership::Limits lim;
        lim.view = 5;
        lim.purging = mode == 0 ? LpbcastMembership::FREQUENCY_MEMBERSHIP
                                : LpbcastMembership::RANDOM_MEMBERSHIP;
        uint32_t evicted1 = 0;
        uint32_t next = 100;
        for (uint32_t round = 0; round < 400; ++round)
        {
            LpbcastMembership m(0, lim);
            for (uint32_t k = 0; k < 4; ++k)
            {
                m.HandleGossip({1, next++}, {}, 0, 1000, rng.Fn());
            }
            // view is full with 1 (heard 4 times) and four others (once); a newcomer forces an
            // eviction
            if (!m.InView(1))
            {
                continue;
            }
            m.HandleGossip({next++}, {}, 0, 1000, rng.Fn());
            evicted1 += m.InView(1) ? 0 : 1;
        }
        (mode == 0 ? freqEvictions : randomEvictions) = evicted1;
    }
    EXPECT_GT(freqEvictions, 2 * randomEvictions);
    EXPECT_GT(randomEvictions, 20u); // about 1/6 of 400
}

TEST(LpbcastEventBuffer, RandomPurgingBounds)
{
    TestRng rng(6);
    LpbcastEventBuffer b(30, LpbcastEventBuffer::RANDOM_PURGING, 5);
    for (uint32_t i = 1; i <= 100; ++i)
    {
        b.Add(Ev(i % 7, i));
    }
    auto removed = b.Purge(rng.Fn());
    EXPECT_EQ(b.GetSize(), 30u);
    EXPECT_EQ(removed.size(), 70u);
}

// The straightforward age-based purge (rescan everything per victim): the reference that the
// single-pass implementation must match exactly, victim for victim.
std::vector<LpbcastEventId>
ReferenceAgePurge(std::vector<LpbcastEvent>& ev, uint32_t max, uint32_t longAgo)
{
    std::vector<LpbcastEventId> removed;
    while (ev.size() > max)
    {
        std::map<uint32_t, uint32_t> newest;
        for (const auto& e : ev)
        {
            newest[e.id.origin] = std::max(newest[e.id.origin], e.id.seq);
        }
        int victim = -1;
        uint32_t victimLag = 0;
        for (uint32_t i = 0; i < ev.size(); ++i)
        {
            uint32_t lag = newest[ev[i].id.origin] - ev[i].id.seq;
            if (lag > longAgo && lag > victimLag)
            {
                victim = i;
                victimLag = lag;
            }
        }
        if (victim < 0)
        {
            break;
        }
        removed.push_back(ev[victim].id);
        ev.erase(ev.begin() + victim);
    }
    while (ev.size() > max)
    {
        uint32_t victim = 0;
        for (uint32_t i = 1; i < ev.size(); ++i)
        {
            if (ev[i].age > ev[victim].age)
            {
                victim = i;
            }
        }
        removed.push_back(ev[victim].id);
        ev.erase(ev.begin() + victim);
    }
    return removed;
}

TEST(LpbcastEventBuffer, AgePurgingMatchesReference)
{
    std::mt19937 gen(4242);
    TestRng rng(1);
    for (int trial = 0; trial < 300; ++trial)
    {
        const uint32_t max = 1 + gen() % 20;
        const uint32_t longAgo = gen() % 8;
        LpbcastEventBuffer buf(max, LpbcastEventBuffer::AGE_PURGING, longAgo);
        std::vector<LpbcastEvent> ref;
        std::set<LpbcastEventId> used;
        const uint32_t n = gen() % 60;
        for (uint32_t k = 0; k < n; ++k)
        {
            LpbcastEvent e;
            e.id = {1 + uint32_t(gen() % 4), 1 + uint32_t(gen() % 40)};
            if (!used.insert(e.id).second)
            {
                continue;
            }
            e.age = gen() % 6;
            buf.Add(e);
            ref.push_back(e);
        }
        auto got = buf.Purge(rng.Fn());
        auto want = ReferenceAgePurge(ref, max, longAgo);
        ASSERT_EQ(got, want) << "trial " << trial;
        ASSERT_EQ(buf.GetSize(), ref.size());
        for (uint32_t i = 0; i < ref.size(); ++i)
        {
            ASSERT_EQ(buf.Get()[i].id, ref[i].id) << "order kept, trial " << trial;
        }
    }
}

// A large overflow is purged in one pass (the per-victim rescan was quadratic).
TEST(LpbcastEventBuffer, AgePurgingLargeOverflow)
{
    TestRng rng(2);
    LpbcastEventBuffer buf(10, LpbcastEventBuffer::AGE_PURGING, 5);
    for (uint32_t s = 1; s <= 50000; ++s)
    {
        buf.Add(LpbcastEvent{{1 + s % 3, s}, s % 7, {}});
    }
    auto removed = buf.Purge(rng.Fn());
    EXPECT_EQ(removed.size(), 50000u - 10u);
    ASSERT_EQ(buf.GetSize(), 10u);
    for (const auto& e : buf.Get())
    {
        EXPECT_GT(e.id.seq, 50000u - 20u) << "an out-of-date event survived";
    }
}

TEST(LpbcastEventBuffer, AgePurgingDropsOutOfDateThenOldest)
{
    TestRng rng(7);
    LpbcastEventBuffer b(4, LpbcastEventBuffer::AGE_PURGING, 5);
    b.Add(Ev(1, 1, 0));  // out of date: source 1 has seq 10 (10-1 > 5)
    b.Add(Ev(1, 10, 9)); // old but not out of date
    b.Add(Ev(2, 3, 1));
    b.Add(Ev(2, 7, 2)); // 7-3 = 4 <= LONG_AGO: not out of date
    b.Add(Ev(3, 1, 4));
    b.Add(Ev(4, 1, 0));
    auto removed = b.Purge(rng.Fn());
    ASSERT_EQ(removed.size(), 2u);
    EXPECT_EQ(removed[0], (LpbcastEventId{1, 1})) << "out-of-date event goes first";
    EXPECT_EQ(removed[1], (LpbcastEventId{1, 10})) << "then the largest age";
    EXPECT_EQ(b.GetSize(), 4u);
    EXPECT_TRUE(b.Contains({4, 1}));
    // Ages merge to the maximum and grow per round.
    EXPECT_TRUE(b.MergeAge({4, 1}, 6));
    b.IncrementAges();
    b.Add(Ev(5, 1, 0));
    removed = b.Purge(rng.Fn());
    ASSERT_EQ(removed.size(), 1u);
    EXPECT_EQ(removed[0], (LpbcastEventId{4, 1}));
    EXPECT_EQ(b.RemoveAged(3), 2u); // ages: (2,3) 2, (2,7) 3, (3,1) 5, (5,1) 0
    EXPECT_EQ(b.GetSize(), 2u);
}

TEST(LpbcastEventIds, CompactsAndNeverRedelivers)
{
    LpbcastEventIds ids(3);
    EXPECT_TRUE(ids.Insert({9, 1}));
    EXPECT_TRUE(ids.Insert({9, 2}));
    EXPECT_FALSE(ids.Insert({9, 2}));
    EXPECT_EQ(ids.GetLastInSequence(9), 2u);
    EXPECT_TRUE(ids.Insert({9, 5}));
    EXPECT_TRUE(ids.Insert({9, 4}));
    EXPECT_EQ(ids.GetLaterCount(), 2u);
    EXPECT_TRUE(ids.Insert({9, 3})); // fills the gap: compacts 3,4,5
    EXPECT_EQ(ids.GetLastInSequence(9), 5u);
    EXPECT_EQ(ids.GetLaterCount(), 0u);
    // Exceed the bound with gaps: the oldest later id is absorbed, its gap given up.
    for (uint32_t s : {8u, 10u, 12u, 14u})
    {
        EXPECT_TRUE(ids.Insert({9, s}));
    }
    EXPECT_LE(ids.GetLaterCount(), 3u);
    EXPECT_EQ(ids.GetLastInSequence(9), 8u);
    EXPECT_EQ(ids.GetSkipped(), 2u); // 6 and 7
    // Everything ever inserted is still "contained": a late copy is not delivered twice.
    for (uint32_t s : {1u, 2u, 3u, 4u, 5u, 8u, 10u, 12u, 14u})
    {
        EXPECT_TRUE(ids.Contains({9, s})) << s;
        EXPECT_FALSE(ids.Insert({9, s})) << s;
    }
    EXPECT_FALSE(ids.Contains({9, 11}));
}

TEST(LpbcastEventIds, MissingAndDigest)
{
    LpbcastEventIds mine(10);
    mine.Insert({1, 1});
    mine.Insert({1, 3});
    GossipDigest remote;
    remote.AddRange(1, 1, 4);
    remote.Add(1, 6);
    remote.Add(1, 9);
    auto miss = mine.Missing(remote, 100);
    std::vector<LpbcastEventId> want{{1, 2}, {1, 4}, {1, 6}, {1, 9}};
    EXPECT_EQ(miss, want);
    // Window: only the newest ids are chased.
    want = {{1, 6}, {1, 9}};
    EXPECT_EQ(mine.Missing(remote, 4), want);
    // The in-sequence run is one interval on the wire.
    EXPECT_EQ(mine.GetDigest().GetIntervalCount(), 2u);
    mine.Insert({1, 2});
    EXPECT_EQ(mine.GetDigest().GetIntervalCount(), 1u);
    EXPECT_EQ(mine.GetLastInSequence(1), 3u);
    // Ids given up (below the floor) are not chased again.
    LpbcastEventIds small(1);
    small.Insert({1, 5});
    small.Insert({1, 7}); // absorbs 5: gives up 1..4
    EXPECT_EQ(small.GetLastInSequence(1), 5u);
    EXPECT_EQ(small.GetSkipped(), 4u);
    EXPECT_EQ(small.Missing(remote, 100), (std::vector<LpbcastEventId>{{1, 6}, {1, 9}}));
}

// A well-formed digest off the wire may hold an interval ending at UINT64_MAX. Missing used to
// loop with a 64-bit counter up to the interval's end: it wrapped to 0 and never stopped (then
// exhausted memory). It must return only 32-bit ids, and at most maxOut of them.
TEST(LpbcastEventIds, MissingHostileDigestTerminatesAndIsBounded)
{
    GossipDigest hostile;
    hostile.AddRange(7, uint64_t(UINT32_MAX) - 2, UINT64_MAX);
    hostile.AddRange(8, 1, UINT64_MAX);
    // Through the wire codec, as a receiver sees it.
    Buffer buf;
    buf.AddAtStart(hostile.GetSerializedSize());
    Buffer::Iterator w = buf.Begin();
    hostile.Serialize(w);
    GossipDigest decoded;
    Buffer::Iterator r = buf.Begin();
    ASSERT_EQ(decoded.Deserialize(r, buf.GetSize()), hostile.GetSerializedSize());
    ASSERT_EQ(decoded, hostile);

    LpbcastEventIds mine(10);
    // The window hangs below the claimed (absurd) highest id: no valid id is in it.
    EXPECT_TRUE(mine.Missing(decoded, 60, 240).empty());
    EXPECT_TRUE(mine.Missing(decoded, UINT32_MAX, 240).empty());
    // The top of the 32-bit range is handled without wrapping.
    GossipDigest top;
    top.AddRange(9, uint64_t(UINT32_MAX) - 2, UINT32_MAX);
    top.AddRange(10, 1, UINT32_MAX);
    auto miss = mine.Missing(top, 10, 240);
    std::vector<LpbcastEventId> want{{9, UINT32_MAX - 2}, {9, UINT32_MAX - 1}, {9, UINT32_MAX}};
    for (uint32_t s = UINT32_MAX - 9; s != 0; ++s)
    {
        want.push_back({10, s});
    }
    EXPECT_EQ(miss, want);
    // A whole 32-bit history is not materialised: the cap stops it.
    miss = mine.Missing(top, UINT32_MAX, 240);
    ASSERT_EQ(miss.size(), 240u);
    EXPECT_EQ(miss.back(), (LpbcastEventId{10, 237}));
}

TEST(LpbcastEventIds, MissingRespectsTheCap)
{
    GossipDigest remote;
    remote.AddRange(1, 1, 100000);
    remote.AddRange(2, 1, 100000);
    LpbcastEventIds mine(10);
    EXPECT_EQ(mine.Missing(remote, 100000, 240).size(), 240u);
    EXPECT_EQ(mine.Missing(remote, 50, 240).size(), 100u); // window per origin, under the cap
    EXPECT_TRUE(mine.Missing(remote, 50, 0).empty());
}

TEST(LpbcastRetrieval, ScheduleSenderThenViewMemberThenOriginator)
{
    const uint32_t k = 3;
    const uint32_t r = 2;
    LpbcastRetrieval rb(k, r, 100);
    LpbcastEventId id{77, 4};
    ASSERT_TRUE(rb.Add(id, 10, 55));
    EXPECT_FALSE(rb.Add(id, 11, 56));
    auto never = [](const LpbcastEventId&) { return false; };
    auto member = []() { return 66u; };
    std::vector<std::pair<uint32_t, uint32_t>> asked; // (round, target)
    for (uint32_t round = 10; round < 30; ++round)
    {
        for (auto& q : rb.Due(round, never, member))
        {
            EXPECT_EQ(q.id, id);
            asked.push_back({round, q.target});
        }
    }
    std::vector<std::pair<uint32_t, uint32_t>> want{{13, 55}, {15, 66}, {17, 77}};
    EXPECT_EQ(asked, want);
    EXPECT_EQ(rb.GetSize(), 0u);
    EXPECT_EQ(rb.GetGivenUp(), 1u);
    // Delivered meanwhile: nothing is asked.
    rb.Add({1, 1}, 0, 2);
    EXPECT_TRUE(rb.Due(
                      5,
                      [](const LpbcastEventId&) { return true; },
                      member)
                    .empty());
    EXPECT_EQ(rb.GetSize(), 0u);
}

TEST(LpbcastInfectionChain, MatchesDirectSimulationOfTheChain)
{
    const uint32_t n = 125;
    LpbcastInfectionChain chain(n, 3, 0.05, 0.01);
    EXPECT_NEAR(chain.GetP(), 3 * 0.95 * 0.99 / 124, 1e-12);
    auto e = chain.Expected(15);
    auto d = chain.Distribution(15);
    for (const auto& row : d)
    {
        double s = 0;
        for (double x : row)
        {
            s += x;
        }
        EXPECT_NEAR(s, 1.0, 1e-9);
    }
    EXPECT_DOUBLE_EQ(e[0], 1.0);
    for (uint32_t r = 1; r < e.size(); ++r)
    {
        EXPECT_GE(e[r], e[r - 1]);
    }
    // Monte-Carlo of the model itself: each susceptible infected w.p. 1-(1-p)^i per round.
    std::mt19937 gen(11);
    std::uniform_real_distribution<double> u(0, 1);
    const uint32_t runs = 2000;
    std::vector<double> mean(16, 0);
    for (uint32_t k = 0; k < runs; ++k)
    {
        uint32_t i = 1;
        mean[0] += 1;
        for (uint32_t r = 1; r <= 15; ++r)
        {
            double x = 1 - std::pow(1 - chain.GetP(), i);
            uint32_t add = 0;
            for (uint32_t s = 0; s < n - i; ++s)
            {
                add += u(gen) < x;
            }
            i += add;
            mean[r] += i;
        }
    }
    for (uint32_t r = 0; r <= 15; ++r)
    {
        EXPECT_NEAR(mean[r] / runs, e[r], 0.03 * n) << "round " << r;
    }
    EXPECT_GT(e[15], 0.99 * n);
}

TEST(LpbcastInfectionChain, AgreesWithPbcastAnalysis)
{
    // pbcast's analysis (model/pbcast-analysis.h) implements the same chain independently, in
    // log space: the two must give the same distribution.
    const uint32_t n = 125;
    LpbcastInfectionChain chain(n, 3, 0.05, 0.01);
    auto dist = chain.Distribution(10);
    for (uint32_t r = 1; r <= 10; ++r)
    {
        std::vector<double> pi = PbcastAnalysis::DeliveryDistribution(n, 3, 0.05, 0.01, r);
        ASSERT_EQ(pi.size(), n + 1);
        for (uint32_t k = 0; k <= n; ++k)
        {
            EXPECT_NEAR(pi[k], dist[r][k], 1e-9) << "round " << r << " k " << k;
        }
    }
}
