/*
 * SPDX-License-Identifier: GPL-2.0-only
 */
#include "gossip-logic-test.h"

#include "ns3/pbcast-analysis.h"

#include <cmath>
#include <numeric>

using namespace ns3;

TEST(PbcastAnalysis, TwoProcessesOneRound)
{
    // n = 2: the other process is infected with p = beta (1-eps)(1-tau).
    auto pi = PbcastAnalysis::DeliveryDistribution(2, 1, 0.1, 0.0, 1);
    ASSERT_EQ(pi.size(), 3U);
    EXPECT_NEAR(pi[2], 0.9, 1e-12);
    EXPECT_NEAR(pi[1], 0.1, 1e-12);
    // Two rounds: still missed only if both attempts fail.
    pi = PbcastAnalysis::DeliveryDistribution(2, 1, 0.1, 0.0, 2);
    EXPECT_NEAR(pi[1], 0.01, 1e-12);
}

TEST(PbcastAnalysis, DistributionSumsToOneAndIsMonotoneInRounds)
{
    double lastFull = -1;
    for (uint32_t t : {0, 2, 5, 10, 20})
    {
        auto pi = PbcastAnalysis::DeliveryDistribution(50, 1, 0.05, 0.001, t);
        EXPECT_NEAR(std::accumulate(pi.begin(), pi.end(), 0.0), 1.0, 1e-9) << t;
        EXPECT_EQ(pi[0], 0.0);
        EXPECT_GE(pi[50], lastFull); // more rounds, more likely everyone has it
        lastFull = pi[50];
    }
    // Expected growth matches E[s'] = i + (n-i)(1-q^i) for one round from the sender.
    auto one = PbcastAnalysis::DeliveryDistribution(50, 2, 0.05, 0.0, 1);
    double mean = 0;
    for (size_t k = 0; k < one.size(); ++k)
    {
        mean += k * one[k];
    }
    double p = 2.0 / 49 * 0.95;
    EXPECT_NEAR(mean, 1 + 49 * p, 1e-9);
}

TEST(PbcastAnalysis, TailsSurviveInLogSpace)
{
    auto pi = PbcastAnalysis::DeliveryDistribution(50, 2, 0.05, 0.001, 10);
    EXPECT_GT(pi[1], 0.0);   // tiny but not underflowed
    EXPECT_LT(pi[1], 1e-6);  // the lower mode is rare
    EXPECT_GT(pi[50], 0.99); // the upper mode dominates
    double fail = PbcastAnalysis::FailureProbability(pi, 0.1, 0.9);
    EXPECT_GT(fail, 0.0);
    EXPECT_LT(fail, 1e-3);
    // A larger fanout makes the failure band rarer.
    auto pi3 = PbcastAnalysis::DeliveryDistribution(50, 3, 0.05, 0.001, 10);
    EXPECT_LT(PbcastAnalysis::FailureProbability(pi3, 0.1, 0.9), fail);
}
