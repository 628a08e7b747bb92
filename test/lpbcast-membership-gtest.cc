/*
 * SPDX-License-Identifier: GPL-2.0-only
 *
 * GoogleTest for lpbcast::Membership: view bounds and self-exclusion, distinct targets,
 * unsubscriptions honoured and expiring, the unSubs bound, frequency-based purging.
 */
#include "gossip-logic-test.h"
#include "lpbcast-test-rng.h"

#include "ns3/lpbcast-membership.h"

#include <algorithm>
#include <cstdint>
#include <set>

using namespace ns3;
using namespace ns3::lpbcast;
using namespace ns3::lpbcast::test;

TEST(LpbcastMembership, ViewBoundedAndNeverContainsSelf)
{
    TestRng rng(1);
    Membership::Limits lim;
    lim.view = 10;
    lim.subs = 7;
    Membership m(5, lim);
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
    Membership m(0);
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
    Membership m(0);
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
    Membership::Limits lim;
    lim.unSubs = 5;
    Membership m(0, lim);
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
    Rng counting = [&base, &calls](uint32_t n) {
        ++calls;
        return base.Fn()(n);
    };
    Membership::Limits lim;
    lim.view = 5;
    lim.subs = 5;
    lim.purging = Membership::FREQUENCY_MEMBERSHIP;
    lim.frequencyK = 100.0;
    Membership m(0, lim);
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
        Membership::Limits lim;
        lim.view = 5;
        lim.purging = mode == 0 ? Membership::FREQUENCY_MEMBERSHIP : Membership::RANDOM_MEMBERSHIP;
        uint32_t evicted1 = 0;
        uint32_t next = 100;
        for (uint32_t round = 0; round < 400; ++round)
        {
            Membership m(0, lim);
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

TEST(LpbcastMembership, FrequencyCountsLiveOnlyWhileTheEntryIsHeld)
{
    // A count belongs to the view or subs entry: a process that left both starts afresh when
    // heard of again, an unsubscribed one loses its count, and the counts stay bounded.
    TestRng rng(3);
    Membership::Limits lim;
    lim.view = 3;
    lim.subs = 3;
    lim.purging = Membership::FREQUENCY_MEMBERSHIP;
    Membership m(0, lim);
    for (int i = 0; i < 50; ++i)
    {
        m.HandleGossip({7}, {}, 0, 1000, rng.Fn());
    }
    EXPECT_EQ(m.GetFrequency(7), 50u);
    // many newcomers push 7 out of view and subs sooner or later
    uint32_t next = 100;
    while (m.InView(7) || std::count(m.GetSubs().begin(), m.GetSubs().end(), 7u) > 0)
    {
        m.HandleGossip({next, next + 1}, {}, 0, 1000, rng.Fn());
        next += 2;
        ASSERT_LT(next, 10000u) << "7 was never evicted";
    }
    EXPECT_EQ(m.GetFrequency(7), 0u);
    m.HandleGossip({7}, {}, 0, 1000, rng.Fn());
    // 1 for this hearing plus the eviction picks that spared it (at most one per entry of view
    // and of subs): not 51, the old count went with the entry
    EXPECT_GE(m.GetFrequency(7), 1u);
    EXPECT_LE(m.GetFrequency(7), 1u + 4 + 4);
    // only processes held in view or subs have a count
    for (uint32_t id = 100; id < next; ++id)
    {
        const bool held =
            m.InView(id) || std::count(m.GetSubs().begin(), m.GetSubs().end(), id) > 0;
        if (!held)
        {
            EXPECT_EQ(m.GetFrequency(id), 0u) << id;
        }
    }
    // an unsubscription removes the entry and its count
    ASSERT_TRUE(m.InView(7));
    m.HandleGossip({}, {{7, 500}}, 500, 1000, rng.Fn());
    EXPECT_FALSE(m.InView(7));
    EXPECT_EQ(m.GetFrequency(7), 0u);
}

TEST(LpbcastMembership, UnsubscriptionTimestampsFromTheWireCannotOverflow)
{
    // Found by fuzz-receive (UBSan): "now - timestamp" overflowed for a timestamp near
    // INT64_MIN. Far past is expired, far future is held, and nothing is undefined.
    TestRng rng(1);
    Membership m(1, Membership::Limits());
    m.HandleGossip({}, {{4, INT64_MIN + 5}, {5, INT64_MAX}}, 1000, 100, rng.Fn());
    EXPECT_EQ(m.GetUnSubs().count(4), 0u);
    EXPECT_EQ(m.GetUnSubs().count(5), 1u);
    EXPECT_EQ(m.ExpireUnSubs(INT64_MAX - 1, 100), 0u);
}
