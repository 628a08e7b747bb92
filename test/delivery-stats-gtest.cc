/*
 * SPDX-License-Identifier: GPL-2.0-only
 */
#include "gossip-logic-test.h"

#include "ns3/gossip-delivery-stats.h"

using namespace ns3;

TEST(GossipDeliveryStats, FractionsHistogramAndCrashes)
{
    GossipDeliveryStats s;
    s.SetMembers({1, 2, 3, 4});
    s.RecordBroadcast(1, 0, Seconds(1));
    s.RecordBroadcast(1, 1, Seconds(2));
    for (uint32_t n : {2, 3, 4})
    {
        s.RecordDelivery(n, 1, 0, Seconds(1) + MilliSeconds(10 * n));
    }
    s.RecordDelivery(2, 1, 0, Seconds(3)); // a duplicate
    EXPECT_DOUBLE_EQ(s.GetDeliveryFraction(1, 0), 1.0);
    EXPECT_DOUBLE_EQ(s.GetDeliveryFraction(1, 1), 0.25); // only the origin
    EXPECT_EQ(s.GetDuplicateDeliveries(), 1U);
    EXPECT_DOUBLE_EQ(s.GetFullyDeliveredFraction(), 0.5);
    auto h = s.GetFractionHistogram(4);
    ASSERT_EQ(h.size(), 4U);
    EXPECT_EQ(h[1], 1U); // 0.25 falls in [0.25, 0.5)
    EXPECT_EQ(h[3], 1U); // 1.0 in the last bin
    EXPECT_EQ(s.GetLatencyPercentile(0.0), MilliSeconds(20));
    EXPECT_EQ(s.GetLatencyPercentile(1.0), MilliSeconds(40));
    s.MarkCrashed(4);
    EXPECT_EQ(s.GetLiveMembers(), 3U);
    EXPECT_DOUBLE_EQ(s.GetDeliveryFraction(1, 1), 1.0 / 3);
}

TEST(GossipDeliveryStats, OverheadRates)
{
    GossipDeliveryStats s;
    s.SetMembers({1, 2});
    s.SetWindow(Seconds(0), Seconds(10));
    for (int i = 0; i < 40; ++i)
    {
        s.RecordTx(1, 100);
    }
    EXPECT_DOUBLE_EQ(s.GetTxPacketsPerNodePerSecond(), 2.0);
    EXPECT_DOUBLE_EQ(s.GetTxBytesPerNodePerSecond(), 200.0);
}

TEST(GossipDeliveryStats, TxCountedOnlyInsideTheWindow)
{
    GossipDeliveryStats s;
    s.SetMembers({1, 2});
    s.SetWindow(Seconds(10), Seconds(20));
    for (int i = 0; i < 30; ++i)
    {
        s.RecordTx(1, 100, Seconds(i)); // 0..29 s: 11 of them inside [10, 20]
    }
    EXPECT_EQ(s.GetTxPackets(), 11u);
    EXPECT_EQ(s.GetTxBytes(), 1100u);
    EXPECT_DOUBLE_EQ(s.GetTxPacketsPerNodePerSecond(), 11.0 / 2 / 10);

    GossipDeliveryStats all; // no window: everything counts
    all.RecordTx(1, 100, Seconds(5));
    all.RecordTx(1, 100, Seconds(50));
    EXPECT_EQ(all.GetTxPackets(), 2u);
}

TEST(GossipDeliveryStats, UnknownMessagesAreIgnored)
{
    GossipDeliveryStats s;
    s.SetMembers({1, 2});
    s.RecordDelivery(2, 9, 9, Seconds(1));
    EXPECT_EQ(s.GetMessages(), 0U);
    EXPECT_DOUBLE_EQ(s.GetDeliveryFraction(9, 9), 0.0);
}
