/*
 * SPDX-License-Identifier: GPL-2.0-only
 */
#include "gossip-logic-test.h"

#include "ns3/gossip-digest.h"

#include <random>

using namespace ns3;

namespace
{
GossipDigest
LectureExample()
{
    // "1-18 from X; 11 from Y; 14, 16, 22-71 from Z" with X=1, Y=2, Z=3.
    GossipDigest d;
    d.AddRange(1, 1, 18);
    d.Add(2, 11);
    d.Add(3, 14);
    d.Add(3, 16);
    d.AddRange(3, 22, 71);
    return d;
}

GossipDigest
RoundTrip(const GossipDigest& d, uint32_t* size = nullptr)
{
    Buffer b;
    b.AddAtStart(d.GetSerializedSize());
    Buffer::Iterator w = b.Begin();
    d.Serialize(w);
    Buffer::Iterator r = b.Begin();
    GossipDigest out;
    uint32_t n = out.Deserialize(r, b.GetSize());
    if (size)
    {
        *size = n;
    }
    return out;
}
} // namespace

TEST(GossipDigest, LectureExampleIsCompact)
{
    GossipDigest d = LectureExample();
    EXPECT_EQ(d.ToString(), "1-18 from 1; 11 from 2; 14, 16, 22-71 from 3");
    EXPECT_EQ(d.GetCount(), 18U + 1U + 2U + 50U);
    EXPECT_EQ(d.GetIntervalCount(), 5U);
    EXPECT_TRUE(d.Contains(3, 16));
    EXPECT_FALSE(d.Contains(3, 15));
    EXPECT_FALSE(d.Contains(9, 1));
    uint64_t hi = 0;
    ASSERT_TRUE(d.GetHighest(3, hi));
    EXPECT_EQ(hi, 71U);
    // A long contiguous run costs a few bytes, not one per message.
    GossipDigest big;
    big.AddRange(7, 0, 1000000);
    EXPECT_LE(big.GetSerializedSize(), 8U);
}

TEST(GossipDigest, SerializationRoundTrip)
{
    GossipDigest d = LectureExample();
    d.SetFloor(4, 100);
    d.AddRange(4, 120, 130);
    d.Add(0xffffffffU, 0xfffffffffffffff0ULL);
    uint32_t n = 0;
    GossipDigest back = RoundTrip(d, &n);
    EXPECT_EQ(n, d.GetSerializedSize());
    EXPECT_TRUE(back == d);
    EXPECT_EQ(back.ToString(), d.ToString());
    GossipDigest empty;
    EXPECT_TRUE(RoundTrip(empty) == empty);
}

TEST(GossipDigest, BothWaysDifference)
{
    GossipDigest mine = LectureExample();
    GossipDigest yours;
    yours.AddRange(1, 1, 20); // has 19, 20 that I lack
    yours.AddRange(3, 14, 16);
    yours.AddRange(3, 22, 60);
    yours.Add(5, 1); // a sender I have never heard of
    GossipDigest iHave = mine.Minus(yours);
    GossipDigest pleaseSend = yours.Minus(mine);
    EXPECT_EQ(iHave.ToString(), "11 from 2; 61-71 from 3");
    EXPECT_EQ(pleaseSend.ToString(), "19-20 from 1; 15 from 3; 1 from 5");
}

TEST(GossipDigest, FloorsBoundTheWindow)
{
    GossipDigest mine;
    mine.AddRange(1, 1, 50);
    GossipDigest yours;
    yours.SetFloor(1, 40); // garbage collected below 40
    yours.AddRange(1, 45, 50);
    // I must not offer 1-39 (outside your window) but do offer 40-44.
    EXPECT_EQ(mine.Minus(yours).ToString(), "40-44 from 1 [>=40]");
    // A floor drops what is below it and never goes down.
    mine.SetFloor(1, 10);
    EXPECT_FALSE(mine.Contains(1, 9));
    EXPECT_TRUE(mine.Contains(1, 10));
    mine.SetFloor(1, 5);
    EXPECT_EQ(mine.GetFloor(1), 10U);
    mine.Add(1, 3); // below the floor: ignored
    EXPECT_FALSE(mine.Contains(1, 3));
    mine.Remove(1, 20);
    EXPECT_EQ(mine.ToString(), "10-19, 21-50 from 1 [>=10]");
}

TEST(GossipDigest, MostRecentFirstWithCap)
{
    GossipDigest d;
    d.AddRange(1, 1, 5);
    d.Add(2, 7);
    d.Add(2, 3);
    auto all = d.MostRecentFirst(100);
    ASSERT_EQ(all.size(), 7U);
    // Senders take turns, each from its highest number down.
    std::vector<std::pair<uint32_t, uint64_t>>
        expect{{1, 5}, {2, 7}, {1, 4}, {2, 3}, {1, 3}, {1, 2}, {1, 1}};
    for (size_t i = 0; i < expect.size(); ++i)
    {
        EXPECT_EQ(all[i].sender, expect[i].first) << i;
        EXPECT_EQ(all[i].seq, expect[i].second) << i;
    }
    auto capped = d.MostRecentFirst(3);
    ASSERT_EQ(capped.size(), 3U);
    EXPECT_EQ(capped[2].seq, 4U);
    EXPECT_TRUE(d.MostRecentFirst(0).empty());
    // The paper's cap: 100 requests out of a large gap.
    GossipDigest gap;
    gap.AddRange(9, 1, 1000);
    auto req = gap.MostRecentFirst(100);
    ASSERT_EQ(req.size(), 100U);
    EXPECT_EQ(req.front().seq, 1000U);
    EXPECT_EQ(req.back().seq, 901U);
}

TEST(GossipDigest, TruncateOldestKeepsRecentIntervals)
{
    GossipDigest d;
    for (uint64_t s = 0; s < 20; s += 2)
    {
        d.Add(1, s); // 10 singleton intervals 0,2,...,18
    }
    d.TruncateOldest(3);
    EXPECT_EQ(d.ToString(), "14, 16, 18 from 1 [>=14]");
    d.TruncateOldest(0);
    EXPECT_TRUE(d.IsEmpty());
    EXPECT_EQ(d.GetFloor(1), 19U);
}

TEST(GossipDigest, TruncatedAndGarbageBytesAreRejected)
{
    GossipDigest d = LectureExample();
    Buffer b;
    b.AddAtStart(d.GetSerializedSize());
    Buffer::Iterator w = b.Begin();
    d.Serialize(w);
    // Every strict prefix is either rejected or decodes to fewer bytes than given.
    for (uint32_t len = 0; len < b.GetSize(); ++len)
    {
        Buffer::Iterator r = b.Begin();
        GossipDigest out;
        uint32_t n = out.Deserialize(r, len);
        EXPECT_LE(n, len);
        if (n == 0)
        {
            EXPECT_TRUE(out.IsEmpty());
        }
    }
    // Random bytes never crash and never read past the limit.
    std::mt19937 rng(12345);
    uint32_t accepted = 0;
    for (int trial = 0; trial < 5000; ++trial)
    {
        uint32_t len = rng() % 64;
        Buffer g;
        g.AddAtStart(len);
        Buffer::Iterator gw = g.Begin();
        for (uint32_t i = 0; i < len; ++i)
        {
            gw.WriteU8(static_cast<uint8_t>(rng()));
        }
        Buffer::Iterator r = g.Begin();
        GossipDigest out;
        uint32_t n = out.Deserialize(r, len);
        EXPECT_LE(n, len);
        accepted += n > 0;
    }
    EXPECT_LT(accepted, 5000U);
    // A huge claimed count is rejected before any allocation.
    std::vector<uint8_t> h;
    gossip::WireVectorWriter hw(h);
    hw.Varint(1);          // one sender
    hw.Varint(1);          // id
    hw.Varint(0);          // floor
    hw.Varint(1000000000); // intervals
    h.resize(12);
    gossip::WireReader hr(h.data(), h.size());
    GossipDigest out;
    EXPECT_FALSE(out.Decode(hr));
    EXPECT_EQ(hr.GetError(), "digest: interval count exceeds the limit or the bytes left");
    EXPECT_TRUE(out.IsEmpty());
}
