/*
 * SPDX-License-Identifier: GPL-2.0-only
 *
 * GoogleTest for lpbcast::EventIds: compaction per origin, the bound, no re-delivery, the
 * digest, and Missing against hostile digests.
 */
#include "gossip-logic-test.h"

#include "ns3/buffer.h"
#include "ns3/gossip-digest.h"
#include "ns3/lpbcast-event-ids.h"

#include <vector>

using namespace ns3;
using namespace ns3::lpbcast;

TEST(GossipMessageIds, CompactsAndNeverRedelivers)
{
    EventIds ids(3);
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

TEST(GossipMessageIds, MissingAndDigest)
{
    EventIds mine(10);
    mine.Insert({1, 1});
    mine.Insert({1, 3});
    GossipDigest remote;
    remote.AddRange(1, 1, 4);
    remote.Add(1, 6);
    remote.Add(1, 9);
    auto miss = mine.Missing(remote, 100);
    std::vector<GossipMessageId> want{{1, 2}, {1, 4}, {1, 6}, {1, 9}};
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
    EventIds small(1);
    small.Insert({1, 5});
    small.Insert({1, 7}); // absorbs 5: gives up 1..4
    EXPECT_EQ(small.GetLastInSequence(1), 5u);
    EXPECT_EQ(small.GetSkipped(), 4u);
    EXPECT_EQ(small.Missing(remote, 100), (std::vector<GossipMessageId>{{1, 6}, {1, 9}}));
}

// A well-formed digest off the wire may hold an interval ending at UINT64_MAX. Missing used to
// loop with a 64-bit counter up to the interval's end: it wrapped to 0 and never stopped (then
// exhausted memory). It must return only 32-bit ids, and at most maxOut of them.
TEST(GossipMessageIds, MissingHostileDigestTerminatesAndIsBounded)
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

    EventIds mine(10);
    // The window hangs below the claimed (absurd) highest id: no valid id is in it.
    EXPECT_TRUE(mine.Missing(decoded, 60, 240).empty());
    EXPECT_TRUE(mine.Missing(decoded, UINT32_MAX, 240).empty());
    // The top of the 32-bit range is handled without wrapping.
    GossipDigest top;
    top.AddRange(9, uint64_t(UINT32_MAX) - 2, UINT32_MAX);
    top.AddRange(10, 1, UINT32_MAX);
    auto miss = mine.Missing(top, 10, 240);
    std::vector<GossipMessageId> want{{9, UINT32_MAX - 2}, {9, UINT32_MAX - 1}, {9, UINT32_MAX}};
    for (uint32_t s = UINT32_MAX - 9; s != 0; ++s)
    {
        want.push_back({10, s});
    }
    EXPECT_EQ(miss, want);
    // A whole 32-bit history is not materialised: the cap stops it.
    miss = mine.Missing(top, UINT32_MAX, 240);
    ASSERT_EQ(miss.size(), 240u);
    EXPECT_EQ(miss.back(), (GossipMessageId{10, 237}));
}

TEST(GossipMessageIds, MissingRespectsTheCap)
{
    GossipDigest remote;
    remote.AddRange(1, 1, 100000);
    remote.AddRange(2, 1, 100000);
    EventIds mine(10);
    EXPECT_EQ(mine.Missing(remote, 100000, 240).size(), 240u);
    EXPECT_EQ(mine.Missing(remote, 50, 240).size(), 100u); // window per origin, under the cap
    EXPECT_TRUE(mine.Missing(remote, 50, 0).empty());
}

TEST(GossipMessageIds, QueueStaysBoundedBehindALastingGap)
{
    // Origin 1 has a gap at 1 that never fills, so its id 2 stays "later" at the queue's front;
    // origin 2's ids arrive out of order (each pair swapped) and are compacted at once. The
    // compacted ids behind the front must not pile up.
    lpbcast::EventIds ids(60);
    ids.Insert({1, 2});
    for (uint32_t s = 1; s < 100000; s += 2)
    {
        ids.Insert({2, s + 1});
        ids.Insert({2, s});
    }
    EXPECT_EQ(ids.GetLastInSequence(2), 100000U);
    EXPECT_EQ(ids.GetLaterCount(), 1U);
    EXPECT_LE(ids.GetQueued(), 2U * 60 + 64 + 1);
    EXPECT_TRUE(ids.Contains({1, 2}));
    EXPECT_FALSE(ids.Contains({1, 1}));
}
