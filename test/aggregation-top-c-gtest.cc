/*
 * SPDX-License-Identifier: GPL-2.0-only
 *
 * aggregation::TopCMerge: the c best distinct nodes, idempotent and order independent, and no
 * NaN ever merged.
 */
#include "gossip-logic-test.h"

#include "ns3/aggregation-top-c.h"

#include <cmath>
#include <random>
#include <sstream>
#include <vector>

using namespace ns3;
using namespace ns3::aggregation;

TEST(AggregationTopC, MergeKeepsBestDistinctNodes)
{
    std::vector<TopCEntry> mine = {{5.0, 1}, {3.0, 2}};
    std::vector<TopCEntry> theirs = {{9.0, 7}, {5.0, 1}, {4.0, 3}, {1.0, 8}};
    EXPECT_TRUE(TopCMerge::Merge(mine, theirs, 3, true));
    std::vector<TopCEntry> want = {{9.0, 7}, {5.0, 1}, {4.0, 3}};
    EXPECT_EQ(mine, want);
    EXPECT_FALSE(TopCMerge::Merge(mine, theirs, 3, true)); // idempotent
    std::vector<TopCEntry> low = {{5.0, 1}};
    TopCMerge::Merge(low, theirs, 2, false);
    std::vector<TopCEntry> wantLow = {{1.0, 8}, {4.0, 3}};
    EXPECT_EQ(low, wantLow);
}

TEST(AggregationTopC, GossipOrderDoesNotMatter)
{
    std::mt19937 gen(3);
    std::vector<TopCEntry> all;
    for (uint32_t i = 0; i < 50; ++i)
    {
        all.push_back({double(gen() % 20), i});
    }
    std::vector<TopCEntry> a;
    std::vector<TopCEntry> b;
    for (uint32_t i = 0; i < 50; ++i)
    {
        TopCMerge::Merge(a, {all[i]}, 4, true);
        TopCMerge::Merge(b, {all[49 - i]}, 4, true);
    }
    EXPECT_EQ(a, b);
    EXPECT_EQ(a.size(), 4u);
}

TEST(AggregationTopC, NonFiniteValuesAreDetectedAndNeverMerged)
{
    const double nan = std::nan("");
    std::vector<TopCEntry> bad = {{1.0, 1}, {nan, 2}, {3.0, 3}};
    EXPECT_FALSE(TopCMerge::AllFinite(bad));
    EXPECT_FALSE(TopCMerge::AllFinite({{INFINITY, 4}}));
    EXPECT_TRUE(TopCMerge::AllFinite({{1.0, 1}, {-2.0, 2}}));
    // Even a caller that forgets the check keeps a NaN out of the list (sort stays defined).
    std::vector<TopCEntry> mine = {{2.0, 7}};
    TopCMerge::Merge(mine, bad, 3, true);
    ASSERT_EQ(mine.size(), 3u);
    for (const auto& e : mine)
    {
        EXPECT_FALSE(std::isnan(e.value));
    }
    EXPECT_EQ(mine[0].node, 3u);
}

TEST(AggregationTopC, EntryPrints)
{
    std::ostringstream os;
    os << TopCEntry{2.5, 7};
    EXPECT_EQ(os.str(), "2.5@7");
    EXPECT_NE((TopCEntry{2.5, 7}), (TopCEntry{2.5, 8}));
}
