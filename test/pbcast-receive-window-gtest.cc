/*
 * SPDX-License-Identifier: GPL-2.0-only
 *
 * pbcast::ReceiveWindow: admission and first contact, gaps, FIFO delivery, digests from peers,
 * request selection, giving up and the floor.
 */
#include "gossip-logic-test.h"

#include "ns3/pbcast-receive-window.h"

#include <set>
#include <string>
#include <vector>

using namespace ns3;
using pbcast::ReceiveWindow;

namespace
{
/// A window for member 0 and what its sinks saw, in order.
struct Fixture
{
    ReceiveWindow w;
    std::vector<std::string> events;

    explicit Fixture(bool fifo = false, uint32_t firstContactWindow = 100)
    {
        w.Configure(
            0,
            fifo,
            firstContactWindow,
            [this](GossipSenderId o, uint64_t s, Time, Ptr<const Packet>) {
                events.push_back("deliver " + std::to_string(o) + ":" + std::to_string(s));
            },
            [this](GossipSenderId o, uint64_t s) {
                events.push_back("giveup " + std::to_string(o) + ":" + std::to_string(s));
            });
    }

    /// Admit and release, as the application's Accept does. \return whether it was new.
    bool Receive(GossipSenderId o, uint64_t s, uint64_t round = 1)
    {
        if (!w.Admit(o, s, round))
        {
            return false;
        }
        w.Release(o, s, Seconds(0), Create<Packet>(10));
        return true;
    }
};

bool
Anyone(GossipSenderId)
{
    return true;
}
} // namespace

TEST(PbcastReceiveWindow, AdmitsOnceAndNeverItsOwn)
{
    Fixture f;
    EXPECT_TRUE(f.Receive(7, 0));
    EXPECT_FALSE(f.Receive(7, 0)); // duplicate
    EXPECT_FALSE(f.Receive(0, 3)); // own
    f.w.AddOwn(3);
    EXPECT_TRUE(f.w.GetKnown().Contains(0, 3));
    EXPECT_TRUE(f.w.IsAnchored(7));
    EXPECT_FALSE(f.w.IsAnchored(8));
    ASSERT_EQ(f.events.size(), 1U);
    EXPECT_EQ(f.events[0], "deliver 7:0");
}

TEST(PbcastReceiveWindow, FirstContactWindowAndGaps)
{
    Fixture f(false, 5);
    // First message heard from 7 is number 20: 15..19 count as missing, older is history.
    EXPECT_TRUE(f.Receive(7, 20));
    EXPECT_EQ(f.w.GetKnown().GetFloor(7), 15U);
    EXPECT_EQ(f.w.GetMissingCount(), 5U);
    EXPECT_TRUE(f.w.IsMissing({7, 15}));
    EXPECT_FALSE(f.w.IsMissing({7, 14}));
    EXPECT_FALSE(f.Receive(7, 10)); // below the floor of an anchored sender
    // A jump above the highest notes the numbers in between.
    EXPECT_TRUE(f.Receive(7, 23));
    EXPECT_EQ(f.w.GetMissingCount(), 7U);
    EXPECT_TRUE(f.Receive(7, 21)); // a missing one arrives
    EXPECT_EQ(f.w.GetMissingCount(), 6U);
    EXPECT_FALSE(f.w.IsMissing({7, 21}));
}

TEST(PbcastReceiveWindow, FifoHoldsUntilTheGapCloses)
{
    Fixture f(true);
    EXPECT_TRUE(f.Receive(7, 0));
    EXPECT_TRUE(f.Receive(7, 2));
    EXPECT_TRUE(f.Receive(7, 3));
    ASSERT_EQ(f.events.size(), 1U); // 2 and 3 wait for 1
    EXPECT_TRUE(f.Receive(7, 1));
    std::vector<std::string> want{"deliver 7:0", "deliver 7:1", "deliver 7:2", "deliver 7:3"};
    EXPECT_EQ(f.events, want);
}

TEST(PbcastReceiveWindow, GiveUpSkipsTheGapInFifoOrder)
{
    Fixture f(true);
    f.Receive(7, 0, 1);
    f.Receive(7, 2, 1); // 1 noticed missing in round 1
    std::set<GossipSenderId> touched;
    f.w.ExpireMissing(21, 20, touched); // 1 + 20 < 21 is false: still sought
    EXPECT_TRUE(touched.empty());
    f.w.ExpireMissing(22, 20, touched);
    EXPECT_EQ(touched, std::set<GossipSenderId>{7});
    std::vector<std::string> want{"deliver 7:0", "giveup 7:1", "deliver 7:2"};
    EXPECT_EQ(f.events, want);
    EXPECT_EQ(f.w.GetMissingCount(), 0U);
    EXPECT_FALSE(f.w.GetKnown().Contains(7, 1)); // given up is not held: not offered
    EXPECT_FALSE(f.w.IsMissing({7, 1}));         // nor sought again
    // Nothing left below 3 (the store holds nothing): the floor moves past all of it.
    f.w.AdvanceFloor(7, false, 0);
    EXPECT_EQ(f.w.GetKnown().GetFloor(7), 3U);
    // A buffered message keeps the floor at it.
    Fixture g;
    g.Receive(7, 0);
    g.Receive(7, 1);
    g.w.AdvanceFloor(7, true, 1);
    EXPECT_EQ(g.w.GetKnown().GetFloor(7), 1U);
}

TEST(PbcastReceiveWindow, DigestOnlyForKnownSendersAndWithinBudget)
{
    Fixture f(false, 100);
    GossipDigest theirs;
    theirs.AddRange(7, 0, 9);
    theirs.AddRange(8, 0, 9);
    theirs.AddRange(0, 0, 9); // my own messages: never sought
    f.w.NoteAdvertised(theirs, 100, 1, [](GossipSenderId id) { return id == 7; });
    EXPECT_EQ(f.w.GetMissingCount(), 10U);
    EXPECT_TRUE(f.w.IsMissing({7, 9}));
    EXPECT_FALSE(f.w.IsMissing({8, 9}));
    // A budget bounds the new entries of one digest, newest first.
    Fixture g;
    g.w.NoteAdvertised(theirs, 4, 1, &Anyone);
    EXPECT_EQ(g.w.GetMissingCount(), 4U);
    EXPECT_TRUE(g.w.IsMissing({7, 9}));
    EXPECT_FALSE(g.w.IsMissing({7, 5}));
    // A claim far above what this member has opens at most the first-contact window.
    Fixture h(false, 5);
    h.Receive(7, 0);
    GossipDigest lie;
    lie.Add(7, 1000000);
    h.w.NoteAdvertised(lie, 100, 1, &Anyone);
    EXPECT_EQ(h.w.GetMissingCount(), 6U); // 1..6
    EXPECT_TRUE(h.w.IsMissing({7, 6}));
    EXPECT_FALSE(h.w.IsMissing({7, 7}));
}

TEST(PbcastReceiveWindow, RequestsMostRecentFirstNotTooOften)
{
    Fixture f;
    GossipDigest theirs;
    theirs.AddRange(7, 0, 9);
    f.w.NoteAdvertised(theirs, 100, 1, &Anyone);
    std::vector<GossipMessageId> r = f.w.SelectRequests(theirs, 3, 2, 1, &Anyone);
    ASSERT_EQ(r.size(), 3U);
    EXPECT_EQ(r[0], (GossipMessageId{7, 9}));
    EXPECT_EQ(r[1], (GossipMessageId{7, 8}));
    EXPECT_EQ(r[2], (GossipMessageId{7, 7}));
    // Within RequestWait rounds the same ones are skipped.
    r = f.w.SelectRequests(theirs, 3, 2, 3, &Anyone);
    ASSERT_EQ(r.size(), 3U);
    EXPECT_EQ(r[0], (GossipMessageId{7, 6}));
    // Later they may be asked for again.
    r = f.w.SelectRequests(theirs, 1, 2, 4, &Anyone);
    ASSERT_EQ(r.size(), 1U);
    EXPECT_EQ(r[0], (GossipMessageId{7, 9}));
    // Only what is missing, only from known senders.
    EXPECT_TRUE(f.w.SelectRequests(theirs, 3, 2, 10, [](GossipSenderId) { return false; }).empty());
    // Pruned requests may be asked for at once.
    f.w.PruneRequested(100, 2);
    r = f.w.SelectRequests(theirs, 10, 2, 100, &Anyone);
    EXPECT_EQ(r.size(), 10U);
}

TEST(PbcastReceiveWindow, OwnMessageReanchorsAWindowLearntFromPeers)
{
    Fixture f(false, 5);
    GossipDigest lie;
    lie.SetFloor(7, 1000);
    lie.Add(7, 1000);
    f.w.NoteAdvertised(lie, 100, 1, &Anyone);
    EXPECT_EQ(f.w.GetKnown().GetFloor(7), 995U);
    // The sender's own message 3 is better evidence than the peer's claim.
    EXPECT_TRUE(f.Receive(7, 3));
    EXPECT_EQ(f.w.GetKnown().GetFloor(7), 0U);
    EXPECT_FALSE(f.w.IsMissing({7, 999}));
    EXPECT_TRUE(f.w.IsMissing({7, 2}));
    f.w.Clear();
    EXPECT_EQ(f.w.GetMissingCount(), 0U);
    EXPECT_TRUE(f.w.GetKnown().IsEmpty());
}

TEST(PbcastReceiveWindow, NumbersClaimedBeforeTheyWereSentAreStillAccepted)
{
    // A peer claims 1..6 of sender 7 before 7 sent them; they are sought, then given up.
    for (bool fifo : {false, true})
    {
        Fixture f(fifo, 5);
        f.Receive(7, 0, 1);
        GossipDigest lie;
        lie.Add(7, 1000000);
        f.w.NoteAdvertised(lie, 100, 1, &Anyone);
        EXPECT_EQ(f.w.GetMissingCount(), 6U) << "fifo " << fifo; // 1..6: the window above 0
        std::set<GossipSenderId> touched;
        f.w.ExpireMissing(22, 20, touched);
        f.w.AdvanceFloor(7, true, 0);
        EXPECT_EQ(f.w.GetMissingCount(), 0U);
        EXPECT_FALSE(f.w.GetKnown().Contains(7, 3)) << "a given-up number is not offered";
        // The lie again: the given-up numbers are not sought again, only the next window.
        f.w.NoteAdvertised(lie, 100, 23, &Anyone);
        EXPECT_FALSE(f.w.IsMissing({7, 3}));
        // The real messages come: every one is delivered, in order with FIFO.
        for (uint64_t s = 1; s <= 6; ++s)
        {
            EXPECT_TRUE(f.Receive(7, s, 24)) << "fifo " << fifo << " seq " << s;
        }
        std::vector<std::string> want{"deliver 7:0"};
        for (int s = 6; s >= 1; --s) // noticed newest first, so given up in that order
        {
            want.push_back("giveup 7:" + std::to_string(s));
        }
        for (int s = 1; s <= 6; ++s)
        {
            want.push_back("deliver 7:" + std::to_string(s));
        }
        EXPECT_EQ(f.events, want) << "fifo " << fifo;
        // The floor follows what was really received, not the claim.
        f.w.AdvanceFloor(7, false, 0);
        EXPECT_EQ(f.w.GetKnown().GetFloor(7), 7U);
    }
}

TEST(PbcastReceiveWindow, FifoSkipsAGivenUpGapOnceALaterMessageArrived)
{
    Fixture f(true, 5);
    f.Receive(7, 0, 1);
    f.Receive(7, 2, 1); // 1 noticed missing
    std::set<GossipSenderId> touched;
    f.w.ExpireMissing(22, 20, touched);
    // 1 arriving after delivery passed it is refused (FIFO order already moved on).
    EXPECT_FALSE(f.Receive(7, 1, 23));
    std::vector<std::string> want{"deliver 7:0", "giveup 7:1", "deliver 7:2"};
    EXPECT_EQ(f.events, want);
}

TEST(PbcastReceiveWindow, AnEmptyWindowStillCapsAClaim)
{
    // Everything of sender 7 is below its floor (window empty): a claim far above still opens
    // at most the first-contact window, and the floor never jumps to the claim.
    Fixture f(false, 5);
    f.Receive(7, 0, 1);
    f.w.AdvanceFloor(7, false, 0);
    ASSERT_EQ(f.w.GetKnown().GetFloor(7), 1U);
    ASSERT_TRUE(f.w.GetKnown().Get(7).empty());
    GossipDigest lie;
    lie.Add(7, 1000000000000ULL);
    f.w.NoteAdvertised(lie, 100, 2, &Anyone);
    EXPECT_EQ(f.w.GetMissingCount(), 6U); // 1..6
    EXPECT_FALSE(f.w.IsMissing({7, 1000000000000ULL}));
    std::set<GossipSenderId> touched;
    f.w.ExpireMissing(30, 20, touched);
    f.w.AdvanceFloor(7, false, 0);
    EXPECT_EQ(f.w.GetKnown().GetFloor(7), 1U);
    EXPECT_TRUE(f.Receive(7, 1, 31));
}
