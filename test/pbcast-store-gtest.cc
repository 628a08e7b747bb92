/*
 * SPDX-License-Identifier: GPL-2.0-only
 *
 * pbcast::Store: garbage collection, retransmission order and the per-round byte budget.
 */
#include "gossip-logic-test.h"

#include "ns3/pbcast-store.h"

using namespace ns3;

namespace
{
Ptr<const Packet>
Payload(uint32_t size)
{
    return Create<Packet>(size);
}
} // namespace

TEST(PbcastStore, CollectsAfterStaleRounds)
{
    pbcast::Store s;
    s.Add({1, 0}, Payload(10), Seconds(0), 1);
    s.Add({1, 1}, Payload(10), Seconds(0), 3);
    s.Add({2, 5}, Payload(10), Seconds(0), 3);
    EXPECT_EQ(s.GetSize(), 3u);
    EXPECT_TRUE(s.Collect(21, 20).empty()); // stored in round 1: kept through round 21
    std::vector<GossipMessageId> gone = s.Collect(22, 20);
    ASSERT_EQ(gone.size(), 1u);
    EXPECT_EQ(gone[0].sender, 1u);
    EXPECT_EQ(gone[0].seq, 0u);
    EXPECT_EQ(s.Find({1, 0}), nullptr);
    uint64_t lowest = 0;
    ASSERT_TRUE(s.GetLowest(1, lowest));
    EXPECT_EQ(lowest, 1u);
    EXPECT_EQ(s.Collect(100, 20).size(), 2u);
    EXPECT_EQ(s.GetSize(), 0u);
    EXPECT_FALSE(s.GetLowest(1, lowest));
}

TEST(PbcastStore, AddKeepsTheFirstCopy)
{
    pbcast::Store s;
    s.Add({1, 0}, Payload(10), Seconds(1), 1).requests = 4;
    pbcast::Store::Entry& e = s.Add({1, 0}, Payload(99), Seconds(2), 5);
    EXPECT_EQ(e.payload->GetSize(), 10u);
    EXPECT_EQ(e.requests, 4u);
    EXPECT_EQ(s.Collect(22, 20).size(), 1u); // collected by the first store round
}

TEST(PbcastStore, ServesMostRecentFirstWithinTheBudget)
{
    pbcast::Store s;
    for (uint64_t q = 0; q < 10; ++q)
    {
        s.Add({1, q}, Payload(200), Seconds(0), 1);
    }
    GossipDigest wanted;
    wanted.AddRange(1, 0, 9);
    wanted.Add(1, 50); // not buffered: skipped, not charged
    std::vector<uint64_t> sent;
    auto send = [&](const GossipMessageId& id, pbcast::Store::Entry& e) {
        sent.push_back(id.seq);
        return e.payload->GetSize() + 100;
    };
    s.NewRound();
    s.Serve(wanted, 100, 100, 1000, send); // 300 B each: three fit in 1000
    EXPECT_EQ(sent, (std::vector<uint64_t>{9, 8, 7}));
    EXPECT_EQ(s.GetBytesThisRound(), 900u);
    s.Serve(wanted, 100, 100, 1000, send); // nothing more fits this round
    EXPECT_EQ(sent.size(), 3u);
    s.NewRound();
    sent.clear();
    // cap: at most 3 considered, the unbuffered 50 among them (most recent first).
    s.Serve(wanted, 3, 100, 1000, send);
    EXPECT_EQ(sent, (std::vector<uint64_t>{9, 8}));
}

TEST(PbcastStore, SuppressedSendsAreNotCharged)
{
    pbcast::Store s;
    for (uint64_t q = 0; q < 5; ++q)
    {
        s.Add({1, q}, Payload(200), Seconds(0), 1);
    }
    GossipDigest wanted;
    wanted.AddRange(1, 0, 4);
    std::vector<uint64_t> sent;
    // Messages 4 and 3 are suppressed (e.g. sent to this member last round): charged 0.
    s.Serve(wanted, 100, 100, 700, [&](const GossipMessageId& id, pbcast::Store::Entry& e) {
        if (id.seq >= 3)
        {
            return 0u;
        }
        sent.push_back(id.seq);
        return e.payload->GetSize() + 100;
    });
    EXPECT_EQ(sent, (std::vector<uint64_t>{2, 1}));
    EXPECT_EQ(s.GetBytesThisRound(), 600u);
    EXPECT_FALSE(s.Fits(101, 700));
    EXPECT_TRUE(s.Fits(100, 700));
}
