/*
 * SPDX-License-Identifier: GPL-2.0-only
 *
 * aggregation::Partial: combining the aggregates of subtrees (COUNT, SUM, MIN, MAX with their
 * nodes), the functions selected from them, and the finiteness check of received aggregates.
 */
#include "gossip-logic-test.h"

#include "ns3/aggregation-partial.h"

#include <cmath>
#include <vector>

using namespace ns3;
using namespace ns3::aggregation;

TEST(AggregationPartial, CombineIsOrderIndependent)
{
    std::vector<double> v = {3.5, -1.0, 7.25, 7.25, 0.0, -1.0};
    Partial fwd;
    Partial rev;
    for (uint32_t i = 0; i < v.size(); ++i)
    {
        fwd.Combine(Partial::FromValue(v[i], i));
        rev.Combine(Partial::FromValue(v[v.size() - 1 - i], v.size() - 1 - i));
    }
    // a tree-shaped combination: ((0,1),(2,(3,4,5)))
    Partial a = Partial::FromValue(v[0], 0);
    a.Combine(Partial::FromValue(v[1], 1));
    Partial b = Partial::FromValue(v[3], 3);
    b.Combine(Partial::FromValue(v[4], 4));
    b.Combine(Partial::FromValue(v[5], 5));
    Partial c = Partial::FromValue(v[2], 2);
    c.Combine(b);
    a.Combine(c);
    EXPECT_EQ(fwd, rev);
    EXPECT_EQ(fwd, a);
    EXPECT_EQ(fwd.count, 6u);
    EXPECT_DOUBLE_EQ(fwd.sum, 16.0);
    EXPECT_DOUBLE_EQ(fwd.min, -1.0);
    EXPECT_EQ(fwd.argmin, 1u); // tie between 1 and 5: lowest id
    EXPECT_DOUBLE_EQ(fwd.max, 7.25);
    EXPECT_EQ(fwd.argmax, 2u);
    EXPECT_DOUBLE_EQ(fwd.Average(), 16.0 / 6);
    EXPECT_DOUBLE_EQ(fwd.Select(Function::COUNT), 6.0);
    EXPECT_FALSE(fwd.partial);
}

TEST(AggregationPartial, EmptyAndPartialPropagate)
{
    Partial empty;
    EXPECT_TRUE(std::isnan(empty.Average()));
    Partial p = Partial::FromValue(2.0, 9);
    Partial q = Partial::FromValue(5.0, 4);
    q.partial = true;
    q.missing = 2;
    p.Combine(empty); // an empty subtree changes nothing
    EXPECT_EQ(p, Partial::FromValue(2.0, 9));
    p.Combine(q);
    EXPECT_TRUE(p.partial);
    EXPECT_EQ(p.missing, 2u);
    EXPECT_EQ(p.count, 2u);
    EXPECT_NE(p, q);
}

TEST(AggregationPartial, SelectAndNames)
{
    Partial p = Partial::FromValue(4.0, 1);
    p.Combine(Partial::FromValue(1.0, 2));
    EXPECT_DOUBLE_EQ(p.Select(Function::COUNT), 2.0);
    EXPECT_DOUBLE_EQ(p.Select(Function::SUM), 5.0);
    EXPECT_DOUBLE_EQ(p.Select(Function::AVG), 2.5);
    EXPECT_DOUBLE_EQ(p.Select(Function::MIN), 1.0);
    EXPECT_DOUBLE_EQ(p.Select(Function::MAX), 4.0);
    EXPECT_EQ(FunctionName(Function::COUNT), "COUNT");
    EXPECT_EQ(FunctionName(Function::AVG), "AVG");
    EXPECT_EQ(FunctionName(Function::MAX), "MAX");
}

TEST(AggregationPartial, FinitenessCheck)
{
    Partial p = Partial::FromValue(2.0, 1);
    EXPECT_TRUE(p.IsFinite());
    Partial q = p;
    q.sum = std::nan("");
    EXPECT_FALSE(q.IsFinite());
    q = p;
    q.max = INFINITY;
    EXPECT_FALSE(q.IsFinite());
    EXPECT_FALSE(Partial{}.IsFinite()); // empty: min = +inf
}
