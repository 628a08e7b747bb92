/*
 * SPDX-License-Identifier: GPL-2.0-only
 *
 * GoogleTest for lpbcast::EventBuffer: the bound, random purging, age-based purging (SRDS
 * 2001) against a reference implementation, ages.
 */
#include "gossip-logic-test.h"
#include "lpbcast-test-rng.h"

#include "ns3/lpbcast-event-buffer.h"

#include <map>
#include <random>
#include <set>

using namespace ns3;
using namespace ns3::lpbcast;
using namespace ns3::lpbcast::test;

TEST(LpbcastEventBuffer, RandomPurgingBounds)
{
    TestRng rng(6);
    EventBuffer b(30, EventBuffer::RANDOM_PURGING, 5);
    for (uint32_t i = 1; i <= 100; ++i)
    {
        b.Add(Ev(i % 7, i));
    }
    auto removed = b.Purge(rng.Fn());
    EXPECT_EQ(b.GetSize(), 30u);
    EXPECT_EQ(removed.size(), 70u);
}

namespace
{
// The straightforward age-based purge (rescan everything per victim): the reference that the
// single-pass implementation must match exactly, victim for victim.
std::vector<GossipMessageId>
ReferenceAgePurge(std::vector<Event>& ev, uint32_t max, uint32_t longAgo)
{
    std::vector<GossipMessageId> removed;
    while (ev.size() > max)
    {
        std::map<uint32_t, uint64_t> newest;
        for (const auto& e : ev)
        {
            newest[e.id.sender] = std::max(newest[e.id.sender], e.id.seq);
        }
        int victim = -1;
        uint32_t victimLag = 0;
        for (uint32_t i = 0; i < ev.size(); ++i)
        {
            uint32_t lag = newest[ev[i].id.sender] - ev[i].id.seq;
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
} // namespace

TEST(LpbcastEventBuffer, AgePurgingMatchesReference)
{
    std::mt19937 gen(4242);
    TestRng rng(1);
    for (int trial = 0; trial < 300; ++trial)
    {
        const uint32_t max = 1 + gen() % 20;
        const uint32_t longAgo = gen() % 8;
        EventBuffer buf(max, EventBuffer::AGE_PURGING, longAgo);
        std::vector<Event> ref;
        std::set<GossipMessageId> used;
        const uint32_t n = gen() % 60;
        for (uint32_t k = 0; k < n; ++k)
        {
            Event e;
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
    EventBuffer buf(10, EventBuffer::AGE_PURGING, 5);
    for (uint32_t s = 1; s <= 50000; ++s)
    {
        buf.Add(Event{{1 + s % 3, s}, s % 7, {}});
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
    EventBuffer b(4, EventBuffer::AGE_PURGING, 5);
    b.Add(Ev(1, 1, 0));  // out of date: source 1 has seq 10 (10-1 > 5)
    b.Add(Ev(1, 10, 9)); // old but not out of date
    b.Add(Ev(2, 3, 1));
    b.Add(Ev(2, 7, 2)); // 7-3 = 4 <= LONG_AGO: not out of date
    b.Add(Ev(3, 1, 4));
    b.Add(Ev(4, 1, 0));
    auto removed = b.Purge(rng.Fn());
    ASSERT_EQ(removed.size(), 2u);
    EXPECT_EQ(removed[0], (GossipMessageId{1, 1})) << "out-of-date event goes first";
    EXPECT_EQ(removed[1], (GossipMessageId{1, 10})) << "then the largest age";
    EXPECT_EQ(b.GetSize(), 4u);
    EXPECT_TRUE(b.Contains({4, 1}));
    // Ages merge to the maximum and grow per round.
    EXPECT_TRUE(b.MergeAge({4, 1}, 6));
    b.IncrementAges();
    b.Add(Ev(5, 1, 0));
    removed = b.Purge(rng.Fn());
    ASSERT_EQ(removed.size(), 1u);
    EXPECT_EQ(removed[0], (GossipMessageId{4, 1}));
    EXPECT_EQ(b.RemoveAged(3), 2u); // ages: (2,3) 2, (2,7) 3, (3,1) 5, (5,1) 0
    EXPECT_EQ(b.GetSize(), 2u);
}
