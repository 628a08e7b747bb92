/*
 * SPDX-License-Identifier: GPL-2.0-only
 *
 * GoogleTest for lpbcast::Archive: FIFO bound, no duplicates, ages reset, capacity 0.
 */
#include "gossip-logic-test.h"
#include "lpbcast-test-rng.h"

#include "ns3/lpbcast-archive.h"

using namespace ns3;
using namespace ns3::lpbcast;
using namespace ns3::lpbcast::test;

TEST(LpbcastArchive, KeepsTheNewestUpToItsCapacity)
{
    Archive a(3);
    for (uint32_t s = 1; s <= 5; ++s)
    {
        a.Add(Ev(7, s, s));
    }
    EXPECT_EQ(a.GetSize(), 3u);
    EXPECT_EQ(a.Find({7, 1}), nullptr);
    EXPECT_EQ(a.Find({7, 2}), nullptr);
    ASSERT_NE(a.Find({7, 5}), nullptr);
    EXPECT_EQ(a.Find({7, 5})->age, 0u) << "kept with age 0, as when it was broadcast";
    // A known id is not stored again, and does not count as a new arrival.
    a.Add(Ev(7, 3, 9));
    EXPECT_EQ(a.GetSize(), 3u);
    a.Add(Ev(8, 1));
    EXPECT_EQ(a.Find({7, 3}), nullptr) << "the oldest arrival goes first";
    EXPECT_NE(a.Find({7, 4}), nullptr);
}

TEST(LpbcastArchive, CapacityZeroKeepsNothing)
{
    Archive a(0);
    a.Add(Ev(1, 1));
    EXPECT_EQ(a.GetSize(), 0u);
    EXPECT_EQ(a.Find({1, 1}), nullptr);
    a.SetCapacity(2);
    a.Add(Ev(1, 1));
    a.Add(Ev(1, 2));
    a.Add(Ev(1, 3));
    EXPECT_EQ(a.GetSize(), 2u);
}
