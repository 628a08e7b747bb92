/*
 * SPDX-License-Identifier: GPL-2.0-only
 *
 * Astrolabe's tables: the merge rule (issued compared only within a rep), the view (live copies
 * first), T_fail and tombstones, superseded copies and copies that arrive late, and the bound
 * on reps per zone.
 */
#include "astrolabe-gtest-support.h"
#include "gossip-logic-test.h"

#include "ns3/astrolabe-table.h"

#include <string>
#include <vector>

using namespace ns3;
using namespace ns3::astrolabe;
using ns3::astrolabe_test::HostRow;

TEST(AstrolabeRow, MergeComparesIssuedOnlyWithinTheSameRep)
{
    Table t;
    Row a("/dc0/r1", "/dc0/r1/h1", 100);
    a.Set("load", Value(1.0));
    EXPECT_TRUE(t.Merge(a, 0));
    Row older = a;
    older.SetIssued(50);
    older.Set("load", Value(9.0));
    EXPECT_FALSE(t.Merge(older, 1)); // same rep, older: ignored
    Row newer = a;
    newer.SetIssued(101);
    newer.Set("load", Value(2.0));
    EXPECT_TRUE(t.Merge(newer, 2));
    // another rep of the same zone with a much smaller clock: a separate entry, not "older"
    Row otherRep("/dc0/r1", "/dc0/r1/h2", 3);
    otherRep.Set("load", Value(5.0));
    EXPECT_TRUE(t.Merge(otherRep, 3));
    EXPECT_EQ(t.GetNEntries(), 2U);
    EXPECT_EQ(t.GetNZones(), 1U);
    // a copy only heard of (never seen advancing here) may be a former rep's stale row still
    // passed around: the view keeps the copy that did advance here
    auto view = t.GetView();
    ASSERT_EQ(view.size(), 1U);
    EXPECT_EQ(view[0].GetRep(), "/dc0/r1/h1");
    // once the other rep advances too, both are live: the one that advanced here most recently
    Row otherNewer = otherRep;
    otherNewer.SetIssued(4);
    EXPECT_TRUE(t.Merge(otherNewer, 4));
    view = t.GetView();
    ASSERT_EQ(view.size(), 1U);
    EXPECT_EQ(view[0].GetRep(), "/dc0/r1/h2");
    // h1 advances at 5, a third rep's copy is first heard of at 6: at time 7 (live window 5)
    // the copy only heard of does not win over the live one, though it is more recent
    Row h1Later = newer;
    h1Later.SetIssued(102);
    EXPECT_TRUE(t.Merge(h1Later, 5));
    EXPECT_TRUE(t.Merge(Row("/dc0/r1", "/dc0/r1/h3", 1), 6));
    view = t.GetView(7, 5);
    ASSERT_EQ(view.size(), 1U);
    EXPECT_EQ(view[0].GetRep(), "/dc0/r1/h1");
    // at time 11 only h3 was updated within the window, and it never advanced: no copy is
    // live, so the one updated most recently
    view = t.GetView(11, 3);
    EXPECT_EQ(view[0].GetRep(), "/dc0/r1/h3");
    // the view's keys can leave out a rep (the digest lists our own copy separately)
    auto keys = t.GetViewKeys(7, 5, "/dc0/r1/h1");
    ASSERT_EQ(keys.size(), 1U);
    EXPECT_EQ(keys[0].second, "/dc0/r1/h2"); // live (advanced at 4), h3 is not
    EXPECT_FALSE(Row::IsNewer(otherRep, a));
}

TEST(AstrolabeRow, ExpiryAndTombstones)
{
    Table t;
    t.Merge(HostRow("/a/h1", 1, 10), 0);
    t.Merge(HostRow("/a/h2", 1, 10), 0);
    t.Merge(HostRow("/a/h2", 1, 20), 50);
    auto removed = t.Expire(100, 60);
    ASSERT_EQ(removed.size(), 1U);
    EXPECT_EQ(removed[0].first, "/a/h1");
    EXPECT_FALSE(t.Merge(HostRow("/a/h1", 1, 10), 101)); // stale copy gossiped back
    EXPECT_TRUE(t.Merge(HostRow("/a/h1", 1, 11), 102));  // the host is alive again
}

TEST(AstrolabeTable, SupersededCopiesGoAndDoNotComeBack)
{
    Table t;
    // zone /z/a: a start-up row of a non-representative (h9) and the live rep's copy (h0)
    t.Merge(Row("/z/a", "/z/a/h9", 5), 0);
    t.Merge(Row("/z/a", "/z/a/h0", 7), 1);
    t.Merge(Row("/z/a", "/z/a/h0", 8), 10);
    // zone /z/b: one old copy, the only one there is
    t.Merge(Row("/z/b", "/z/b/h0", 3), 0);
    EXPECT_TRUE(t.ExpireSuperseded(4, 5).empty()); // within the grace period
    auto removed = t.ExpireSuperseded(12, 5);
    ASSERT_EQ(removed.size(), 1U);
    EXPECT_EQ(removed[0], Table::Key("/z/a", "/z/a/h9"));
    EXPECT_NE(t.Find({"/z/b", "/z/b/h0"}), nullptr); // nothing fresher: kept (T_fail decides)
    EXPECT_NE(t.Find({"/z/a", "/z/a/h0"}), nullptr);
    EXPECT_FALSE(t.Merge(Row("/z/a", "/z/a/h9", 5), 13)); // passed around: refused
    EXPECT_TRUE(t.Merge(Row("/z/a", "/z/a/h9", 6), 14));  // h9 issues again: back
}

TEST(AstrolabeTable, ACopyArrivingLateDoesNotLookNew)
{
    // /z/a's rep h0 issues every 10; h9 published one start-up row at 5 and then learned it is
    // no representative. Clocks differ by at most 2.
    const int64_t offset = 2;
    Table t;
    t.Merge(Row("/z/a", "/z/a/h0", 100), 101, offset);
    // h9's start-up row reaches us only now: it counts from when it can have been issued (7),
    // not from its arrival, so the view keeps h0's copy, and it is superseded at once
    EXPECT_TRUE(t.Merge(Row("/z/a", "/z/a/h9", 5), 104, offset));
    EXPECT_EQ(t.Find({"/z/a", "/z/a/h9"})->lastUpdate, 7);
    EXPECT_EQ(t.Find({"/z/a", "/z/a/h0"})->lastUpdate,
              101); // issued + offset is later than its arrival
    auto view = t.GetViewKeys(104, 1000);
    ASSERT_EQ(view.size(), 1U);
    EXPECT_EQ(view[0], Table::Key("/z/a", "/z/a/h0"));
    auto removed = t.ExpireSuperseded(104, 30);
    ASSERT_EQ(removed.size(), 1U);
    EXPECT_EQ(removed[0], Table::Key("/z/a", "/z/a/h9"));
    // older than T_fail on arrival: expired at the next check
    t.Merge(Row("/z/b", "/z/b/h0", 1), 104, offset);
    EXPECT_EQ(t.Expire(104, 50).size(), 1U);
    // a copy from a clock up to `offset` ahead counts from its arrival, never from the future
    t.Merge(Row("/z/c", "/z/c/h0", 105), 104, offset);
    EXPECT_EQ(t.Find({"/z/c", "/z/c/h0"})->lastUpdate, 104);
    // a newer version that took long to arrive counts from its issue too
    EXPECT_TRUE(t.Merge(Row("/z/a", "/z/a/h0", 110), 150, offset));
    EXPECT_EQ(t.Find({"/z/a", "/z/a/h0"})->lastUpdate, 112);
    // without a bound on the clocks, arrival is all there is
    t.Merge(Row("/z/d", "/z/d/h0", 5), 104);
    EXPECT_EQ(t.Find({"/z/d", "/z/d/h0"})->lastUpdate, 104);
}

TEST(AstrolabeTable, EvictStalestKeepsTheBoundAndOwnRow)
{
    Table t;
    for (int i = 0; i < 5; ++i)
    {
        Row r("/z/a", "/z/a/h" + std::to_string(i), 100 - i);
        t.Merge(r, 10 + (i + 2) % 5); // h3 updated least recently (t=10), then h4 (11)
    }
    t.Merge(Row("/z/b", "/z/b/h0", 1), 0);
    EXPECT_EQ(t.GetNReps("/z/a"), 5U);
    EXPECT_TRUE(t.EvictStalest("/z/a", "/z/a/h9"));
    EXPECT_EQ(t.GetNReps("/z/a"), 4U);
    EXPECT_EQ(t.Find({"/z/a", "/z/a/h3"}), nullptr);
    EXPECT_TRUE(t.EvictStalest("/z/a", "/z/a/h4")); // keep h4: h0 (12) goes
    EXPECT_NE(t.Find({"/z/a", "/z/a/h4"}), nullptr);
    EXPECT_EQ(t.Find({"/z/a", "/z/a/h0"}), nullptr);
    EXPECT_EQ(t.GetNReps("/z/b"), 1U); // another zone untouched
    EXPECT_TRUE(t.HasZone("/z/a"));
    EXPECT_FALSE(t.EvictStalest("/z/c", ""));
    EXPECT_TRUE(t.EvictStalest("/z/b", ""));
    EXPECT_FALSE(t.HasZone("/z/b"));
}
