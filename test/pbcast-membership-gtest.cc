/*
 * SPDX-License-Identifier: GPL-2.0-only
 *
 * pbcast::Membership: seeds and join, heartbeats, failure detection and removal with
 * tombstones, live ids and the random choices (targets, partial view, membership sample).
 */
#include "gossip-logic-test.h"

#include "ns3/pbcast-membership.h"

#include <algorithm>
#include <random>
#include <set>
#include <vector>

using namespace ns3;
using pbcast::MemberEntry;
using pbcast::Membership;

namespace
{
/// A seeded Rng, and a log of the bounds it was asked for.
struct TestRng
{
    std::mt19937 gen{42};
    std::vector<uint32_t> asked;

    pbcast::Rng Get()
    {
        return [this](uint32_t n) {
            asked.push_back(n);
            return std::uniform_int_distribution<uint32_t>(0, n - 1)(gen);
        };
    }
};

Ipv4Address
Addr(uint32_t i)
{
    return Ipv4Address(0x0a000000 + i);
}

/// self 0 in datacenter 0, fail after 1 s, remove after 2 s.
Membership
Make(uint32_t partialView = 0)
{
    Membership m;
    m.Configure(0, 0, partialView, Seconds(1), Seconds(2));
    return m;
}

MemberEntry
Self()
{
    MemberEntry e;
    e.id = 0;
    e.address = Addr(0);
    e.heartbeat = 7;
    return e;
}
} // namespace

TEST(PbcastMembership, SeedsAndJoin)
{
    Membership m = Make();
    m.AddSeed(0, Addr(0), 0); // itself: skipped
    m.AddSeed(3, Addr(3), 0);
    m.AddSeed(5, Addr(5), 1);
    m.Start(Seconds(0));
    EXPECT_FALSE(m.IsJoined());
    EXPECT_EQ(m.GetKnownCount(), 2U);
    ASSERT_EQ(m.GetSeedAddresses().size(), 2U);
    EXPECT_EQ(m.GetSeedAddresses()[0], Addr(3));
    EXPECT_EQ(m.GetSeedAddresses()[1], Addr(5));
    m.SetJoined();
    EXPECT_TRUE(m.IsJoined());

    Membership alone = Make();
    alone.AddSeed(0, Addr(0), 0);
    alone.Start(Seconds(0));
    EXPECT_TRUE(alone.IsJoined()); // only itself to join through
    EXPECT_EQ(alone.GetKnownCount(), 0U);
}

TEST(PbcastMembership, HeartbeatsRefreshAndMergeSkipsSelf)
{
    Membership m = Make();
    m.HeardFrom(4, Addr(4), 0, 3, Seconds(0));
    m.HeardFrom(4, Addr(40), 1, 2, Seconds(1)); // older heartbeat: ignored
    ASSERT_TRUE(m.Find(4).has_value());
    EXPECT_EQ(m.Find(4)->address, Addr(4));
    EXPECT_EQ(m.Find(4)->heartbeat, 3U);
    EXPECT_EQ(m.Find(4)->updated, Seconds(0));
    m.HeardFrom(4, Addr(40), 1, 5, Seconds(1)); // newer: refreshed, address and dc too
    EXPECT_EQ(m.Find(4)->address, Addr(40));
    EXPECT_EQ(m.Find(4)->datacenter, 1U);
    EXPECT_EQ(m.Find(4)->updated, Seconds(1));

    MemberEntry self = Self();
    MemberEntry other;
    other.id = 9;
    other.address = Addr(9);
    other.heartbeat = 1;
    m.Merge({self, other}, Seconds(2));
    EXPECT_FALSE(m.Contains(0));
    EXPECT_TRUE(m.Contains(9));
    EXPECT_EQ(m.GetKnownCount(), 2U);
    EXPECT_FALSE(m.Find(1).has_value());
}

TEST(PbcastMembership, FailsRemovesAndKeepsTombstones)
{
    Membership m = Make();
    m.HeardFrom(1, Addr(1), 0, 10, Seconds(0));
    m.HeardFrom(2, Addr(2), 0, 10, Seconds(0));
    EXPECT_TRUE(m.CheckFailures(Seconds(1)).empty()); // not more than FailTimeout yet
    m.HeardFrom(2, Addr(2), 0, 11, Seconds(1));
    std::vector<Membership::FailureEvent> e = m.CheckFailures(Seconds(1.5));
    ASSERT_EQ(e.size(), 1U);
    EXPECT_EQ(e[0].id, 1U);
    EXPECT_FALSE(e[0].removed);
    EXPECT_FALSE(m.IsLive(1));
    EXPECT_TRUE(m.Contains(1));
    EXPECT_EQ(m.GetLiveCount(), 1U);
    EXPECT_EQ(m.GetKnownCount(), 2U);
    EXPECT_EQ(m.LiveIds(), std::vector<GossipSenderId>{2});

    // A newer heartbeat revives a failed member.
    m.HeardFrom(1, Addr(1), 0, 11, Seconds(1.6));
    EXPECT_TRUE(m.IsLive(1));
    EXPECT_EQ(m.LiveIds().size(), 2U);

    // Suspected and removed in the same check once past both timeouts, in that order.
    e = m.CheckFailures(Seconds(4));
    ASSERT_EQ(e.size(), 4U);
    EXPECT_EQ(e[0].id, 1U);
    EXPECT_FALSE(e[0].removed);
    EXPECT_EQ(e[1].id, 1U);
    EXPECT_TRUE(e[1].removed);
    EXPECT_EQ(e[2].id, 2U);
    EXPECT_TRUE(e[3].removed);
    EXPECT_EQ(m.GetKnownCount(), 0U);

    // The tombstone refuses stale news, accepts a newer heartbeat.
    m.HeardFrom(1, Addr(1), 0, 11, Seconds(4.5));
    EXPECT_FALSE(m.Contains(1));
    m.HeardFrom(1, Addr(1), 0, 12, Seconds(4.5));
    EXPECT_TRUE(m.Contains(1));
    // Tombstones go after another RemoveTimeout: then even stale news is learnt.
    m.CheckFailures(Seconds(6.5));
    m.HeardFrom(2, Addr(2), 0, 1, Seconds(6.5));
    EXPECT_TRUE(m.Contains(2));
}

/// Merge inserts new members in one batch; it must leave exactly what HeardFrom, entry by
/// entry, leaves: duplicates in one list, tombstones, revivals, self, datacenter changes.
TEST(PbcastMembership, MergeIsHeardFromForEachEntry)
{
    std::mt19937 gen(7);
    Membership batch = Make();
    Membership single = Make();
    for (uint32_t step = 0; step < 400; ++step)
    {
        const Time now = MilliSeconds(100 * step);
        std::vector<MemberEntry> list;
        const uint32_t k = std::uniform_int_distribution<uint32_t>(0, 20)(gen);
        for (uint32_t i = 0; i < k; ++i)
        {
            MemberEntry e;
            e.id = std::uniform_int_distribution<uint32_t>(0, 60)(gen); // 0 is self
            e.address = Addr(e.id + 1000 * std::uniform_int_distribution<uint32_t>(0, 1)(gen));
            e.datacenter = std::uniform_int_distribution<uint32_t>(0, 2)(gen);
            // Members above 40 stop beating after a while: they fail, are removed, and their
            // stale entries keep coming against the tombstones (and the odd newer one revives).
            const uint32_t base = e.id > 40 ? std::min<uint32_t>(step, 60) / 3 : step / 3;
            e.heartbeat = base + std::uniform_int_distribution<uint32_t>(0, 3)(gen);
            list.push_back(e);
        }
        batch.Merge(list, now);
        for (const MemberEntry& e : list)
        {
            if (e.id != 0)
            {
                single.HeardFrom(e.id, e.address, e.datacenter, e.heartbeat, now);
            }
        }
        if (step % 7 == 0) // fail, remove and tombstone some
        {
            const auto a = batch.CheckFailures(now);
            const auto b = single.CheckFailures(now);
            ASSERT_EQ(a.size(), b.size()) << "step " << step;
        }
        ASSERT_EQ(batch.LiveIds(), single.LiveIds()) << "step " << step;
        ASSERT_EQ(batch.GetKnownCount(), single.GetKnownCount()) << "step " << step;
        ASSERT_EQ(batch.GetLiveRemote(), single.GetLiveRemote()) << "step " << step;
        for (GossipSenderId id = 1; id <= 60; ++id)
        {
            const auto a = batch.Find(id);
            const auto b = single.Find(id);
            ASSERT_EQ(a.has_value(), b.has_value()) << "step " << step << " id " << id;
            if (a)
            {
                ASSERT_EQ(a->address, b->address) << "step " << step << " id " << id;
                ASSERT_EQ(a->datacenter, b->datacenter) << "step " << step << " id " << id;
                ASSERT_EQ(a->heartbeat, b->heartbeat) << "step " << step << " id " << id;
                ASSERT_EQ(a->updated, b->updated) << "step " << step << " id " << id;
                ASSERT_EQ(a->failed, b->failed) << "step " << step << " id " << id;
                ASSERT_EQ(batch.IsRemote(a->address), single.IsRemote(b->address));
            }
        }
    }
    EXPECT_GT(batch.GetKnownCount(), 0U);
}

TEST(PbcastMembership, RemoteMembers)
{
    Membership m;
    m.Configure(0, 1, 0, Seconds(1), Seconds(2));
    m.HeardFrom(1, Addr(1), 1, 0, Seconds(0));
    m.HeardFrom(2, Addr(2), 2, 0, Seconds(0));
    m.HeardFrom(3, Addr(3), 3, 0, Seconds(0));
    EXPECT_FALSE(m.IsRemote(Addr(1)));
    EXPECT_TRUE(m.IsRemote(Addr(2)));
    EXPECT_FALSE(m.IsRemote(Addr(99))); // unknown: not a member of another datacenter
    EXPECT_EQ(m.LiveIds().size(), 3U);
    EXPECT_EQ(m.GetLiveRemote(), 2U);
}

TEST(PbcastMembership, PickTargetsDistinctFromLiveMembers)
{
    Membership m = Make();
    TestRng rng;
    EXPECT_TRUE(m.PickTargets(3, rng.Get()).empty());
    EXPECT_TRUE(rng.asked.empty());
    for (uint32_t i = 1; i <= 10; ++i)
    {
        m.HeardFrom(i, Addr(i), 0, 0, Seconds(0));
    }
    for (int trial = 0; trial < 50; ++trial)
    {
        std::vector<GossipSenderId> t = m.PickTargets(3, rng.Get());
        ASSERT_EQ(t.size(), 3U);
        EXPECT_EQ(std::set<GossipSenderId>(t.begin(), t.end()).size(), 3U);
        for (GossipSenderId x : t)
        {
            EXPECT_TRUE(x >= 1 && x <= 10);
        }
    }
    // Every draw is over the 10 live members (GetInteger(0, 9) in the application).
    for (uint32_t n : rng.asked)
    {
        EXPECT_EQ(n, 10U);
    }
    EXPECT_EQ(m.PickTargets(50, rng.Get()).size(), 10U); // capped at the live members
}

TEST(PbcastMembership, PartialViewDropsFailedMembers)
{
    Membership m = Make(3);
    TestRng rng;
    for (uint32_t i = 1; i <= 8; ++i)
    {
        m.HeardFrom(i, Addr(i), 0, 0, Seconds(i == 1 ? 0 : 1));
    }
    std::set<GossipSenderId> seen;
    for (int trial = 0; trial < 40; ++trial)
    {
        for (GossipSenderId x : m.PickTargets(1, rng.Get()))
        {
            seen.insert(x);
        }
    }
    EXPECT_LE(seen.size(), 3U); // only within the view of 3
    // Member 1 fails: it leaves the view, which is topped up again.
    m.CheckFailures(Seconds(1.5));
    seen.clear();
    for (int trial = 0; trial < 40; ++trial)
    {
        for (GossipSenderId x : m.PickTargets(2, rng.Get()))
        {
            seen.insert(x);
        }
    }
    EXPECT_EQ(seen.count(1), 0U);
    EXPECT_LE(seen.size(), 3U);
}

TEST(PbcastMembership, SampleStartsWithSelf)
{
    Membership m = Make();
    TestRng rng;
    std::vector<MemberEntry> s = m.Sample(16, Self(), rng.Get());
    ASSERT_EQ(s.size(), 1U);
    EXPECT_EQ(s[0], Self());
    for (uint32_t i = 1; i <= 5; ++i)
    {
        m.HeardFrom(i, Addr(i), i % 2, 100 + i, Seconds(0));
    }
    // Room for everyone: no draw at all.
    s = m.Sample(16, Self(), rng.Get());
    EXPECT_TRUE(rng.asked.empty());
    ASSERT_EQ(s.size(), 6U);
    for (uint32_t i = 1; i <= 5; ++i)
    {
        EXPECT_EQ(s[i].id, i); // ascending
        EXPECT_EQ(s[i].address, Addr(i));
        EXPECT_EQ(s[i].datacenter, i % 2);
        EXPECT_EQ(s[i].heartbeat, 100U + i);
    }
    // Three of five: distinct, ascending, self first.
    s = m.Sample(4, Self(), rng.Get());
    ASSERT_EQ(s.size(), 4U);
    EXPECT_EQ(s[0].id, 0U);
    EXPECT_TRUE(s[1].id < s[2].id && s[2].id < s[3].id);
    EXPECT_FALSE(rng.asked.empty());
    EXPECT_EQ(m.Sample(1, Self(), rng.Get()).size(), 1U);
}
