/*
 * SPDX-License-Identifier: GPL-2.0-only
 *
 * Push-sum mass (aggregation::PushSumState) and the running sums of loss-tolerant push-sum
 * (aggregation::RunningSumLedger): conservation, convergence in a pure model, lost, reordered,
 * duplicated and forged datagrams. No Simulator is involved.
 */
#include "gossip-logic-test.h"

#include "ns3/aggregation-push-sum.h"
#include "ns3/aggregation-running-sum.h"

#include <cmath>
#include <random>
#include <vector>

using namespace ns3;
using namespace ns3::aggregation;

TEST(AggregationPushSum, MassIsConservedAndErrorFallsBelowOnePercent)
{
    const uint32_t n = 1000;
    std::mt19937 gen(7);
    std::uniform_real_distribution<double> load(0.0, 4.0);
    std::vector<PushSumState> st(n);
    double truth = 0;
    for (uint32_t i = 0; i < n; ++i)
    {
        double x = load(gen);
        truth += x;
        st[i] = PushSumState(x, 1.0);
    }
    truth /= n;
    const double eps = 0.01;
    // Kempe et al.: O(log N + log 1/eps) rounds; allow twice the sum of the two logs.
    const uint32_t bound = std::ceil(2 * (std::log2(n) + std::log2(1 / eps)));
    uint32_t reached = 0;
    for (uint32_t r = 1; r <= 60 && reached == 0; ++r)
    {
        std::vector<Mass> inbox(n);
        for (uint32_t i = 0; i < n; ++i)
        {
            Mass half = st[i].TakeHalf();
            uint32_t j = std::uniform_int_distribution<uint32_t>(0, n - 2)(gen);
            j += j >= i;
            inbox[j].s += half.s;
            inbox[j].w += half.w;
        }
        double sw = 0;
        double ss = 0;
        double err = 0;
        for (uint32_t i = 0; i < n; ++i)
        {
            st[i].Absorb(inbox[i]);
            sw += st[i].GetW();
            ss += st[i].GetS();
            err = std::max(err, std::abs(st[i].Estimate() - truth) / truth);
        }
        ASSERT_NEAR(sw, n, 1e-9) << "weight not conserved in round " << r;
        ASSERT_NEAR(ss, truth * n, 1e-9 * n) << "sum not conserved in round " << r;
        if (err < eps)
        {
            reached = r;
        }
    }
    EXPECT_GT(reached, 0u) << "push-sum did not reach 1% in 60 rounds";
    EXPECT_LE(reached, bound);
}

TEST(AggregationPushSum, NoEstimateWithoutWeight)
{
    PushSumState s(1.0, 0.0);
    EXPECT_TRUE(std::isnan(s.Estimate()));
    s.Absorb({0.5, 0.25});
    EXPECT_DOUBLE_EQ(s.Estimate(), 6.0);
}

TEST(AggregationPushSum, TakeHalfKeepsTheOtherHalf)
{
    PushSumState s(3.0, 1.0);
    Mass half = s.TakeHalf();
    EXPECT_DOUBLE_EQ(half.s, 1.5);
    EXPECT_DOUBLE_EQ(half.w, 0.5);
    EXPECT_DOUBLE_EQ(s.GetS(), 1.5);
    EXPECT_DOUBLE_EQ(s.GetW(), 0.5);
    EXPECT_DOUBLE_EQ(s.Estimate(), 3.0); // halving does not move the estimate
}

TEST(AggregationRunningSum, LostDatagramOnlyDelaysMass)
{
    RunningSumLedger sender;
    RunningSumLedger receiver;
    PushSumState at(0, 0);
    auto [t1, s1] = sender.AddSent(42, {1.0, 0.5});
    auto [t2, s2] = sender.AddSent(42, {2.0, 0.25});
    auto [t3, s3] = sender.AddSent(42, {4.0, 0.125});
    (void)t1;
    (void)s1;                               // datagram 1 is lost
    at.Absorb(receiver.Receive(7, t3, s3)); // 3 overtakes 2
    at.Absorb(receiver.Receive(7, t2, s2)); // 2 is stale now: ignored
    at.Absorb(receiver.Receive(7, t3, s3)); // duplicate: ignored
    EXPECT_DOUBLE_EQ(at.GetS(), 7.0);
    EXPECT_DOUBLE_EQ(at.GetW(), 0.875);
    EXPECT_DOUBLE_EQ(sender.GetSent(42).s, 7.0);
    EXPECT_DOUBLE_EQ(receiver.GetReceived(7).w, 0.875);
}

TEST(AggregationRunningSum, HugeSequenceJumpIsRejectedAndDoesNotPinThePeer)
{
    RunningSumLedger in;
    EXPECT_DOUBLE_EQ(in.Receive(4, {1.0, 0.5}, 1).w, 0.5);
    // A forged seq = UINT32_MAX would make every later real datagram look stale.
    EXPECT_TRUE(in.IsImplausible(4, UINT32_MAX));
    Mass forged = in.Receive(4, {100.0, 100.0}, UINT32_MAX);
    EXPECT_EQ(forged.s, 0.0);
    EXPECT_EQ(forged.w, 0.0);
    EXPECT_TRUE(in.IsImplausible(9, RunningSumLedger::MAX_SEQ_JUMP + 1)); // a first datagram too
    EXPECT_FALSE(in.IsImplausible(9, RunningSumLedger::MAX_SEQ_JUMP));
    EXPECT_FALSE(in.IsImplausible(4, 2));
    EXPECT_FALSE(in.IsImplausible(4, 1)); // stale is not implausible: Receive ignores it
    Mass next = in.Receive(4, {1.5, 0.75}, 2);
    EXPECT_DOUBLE_EQ(next.s, 0.5);
    EXPECT_DOUBLE_EQ(next.w, 0.25);
    EXPECT_DOUBLE_EQ(in.GetReceived(4).w, 0.75);
}
