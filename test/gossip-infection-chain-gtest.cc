/*
 * SPDX-License-Identifier: GPL-2.0-only
 *
 * The one infection chain (gossip-infection-chain.h) of pbcast's and lpbcast's analyses: closed
 * forms for small cases, the chain against a Monte-Carlo run of the same model, and every edge
 * case (fanout >= n - 1, loss 0 and 1, crash 0 and 1, p = 1, n = 0 and 1).
 */
#include "gossip-logic-test.h"

#include "ns3/gossip-infection-chain.h"

#include <cmath>
#include <numeric>
#include <random>
#include <vector>

using namespace ns3::gossip;

namespace
{
double
Sum(const std::vector<double>& v)
{
    return std::accumulate(v.begin(), v.end(), 0.0);
}
} // namespace

TEST(InfectionChain, TwoProcessesInClosedForm)
{
    // n = 2: the other process is infected with p = fanout (1 - loss)(1 - crash) per round.
    InfectionChain c(2, 1, 0.1, 0.0);
    EXPECT_NEAR(c.GetP(), 0.9, 1e-15);
    auto one = c.After(1);
    ASSERT_EQ(one.size(), 3U);
    EXPECT_NEAR(one[2], 0.9, 1e-12);
    EXPECT_NEAR(one[1], 0.1, 1e-12);
    EXPECT_NEAR(c.After(2)[1], 0.01, 1e-12); // missed only if both attempts fail
}

TEST(InfectionChain, DistributionSumsToOneAndGrows)
{
    InfectionChain c(50, 1, 0.05, 0.001);
    auto d = c.Distribution(20);
    double lastFull = -1;
    for (uint32_t r = 0; r <= 20; ++r)
    {
        EXPECT_NEAR(Sum(d[r]), 1.0, 1e-9) << r;
        EXPECT_EQ(d[r][0], 0.0); // the sender always has it
        EXPECT_GE(d[r][50], lastFull);
        lastFull = d[r][50];
    }
    // One round from the sender: E[s_1] = 1 + (n - 1) p.
    InfectionChain two(50, 2, 0.05, 0.0);
    EXPECT_NEAR(two.Expected(1)[1], 1 + 49 * (2.0 / 49 * 0.95), 1e-9);
}

TEST(InfectionChain, TailsSurviveInLogSpace)
{
    auto pi = InfectionChain(50, 2, 0.05, 0.001).After(10);
    EXPECT_GT(pi[1], 0.0);   // tiny but not underflowed
    EXPECT_LT(pi[1], 1e-6);  // the lower mode is rare
    EXPECT_GT(pi[50], 0.99); // the upper mode dominates
    double fail = InfectionChain::FailureProbability(pi, 0.1, 0.9);
    EXPECT_GT(fail, 0.0);
    EXPECT_LT(fail, 1e-3);
    auto pi3 = InfectionChain(50, 3, 0.05, 0.001).After(10);
    EXPECT_LT(InfectionChain::FailureProbability(pi3, 0.1, 0.9), fail);
}

TEST(InfectionChain, MatchesADirectSimulationOfTheModel)
{
    const uint32_t n = 125;
    InfectionChain chain(n, 3, 0.05, 0.01);
    EXPECT_NEAR(chain.GetP(), 3 * 0.95 * 0.99 / 124, 1e-12);
    auto e = chain.Expected(15);
    std::mt19937 gen(11);
    std::uniform_real_distribution<double> u(0, 1);
    const uint32_t runs = 2000;
    std::vector<double> mean(16, 0);
    for (uint32_t k = 0; k < runs; ++k)
    {
        uint32_t i = 1;
        mean[0] += 1;
        for (uint32_t r = 1; r <= 15; ++r)
        {
            double x = 1 - std::pow(1 - chain.GetP(), i);
            uint32_t add = 0;
            for (uint32_t s = 0; s < n - i; ++s)
            {
                add += u(gen) < x;
            }
            i += add;
            mean[r] += i;
        }
    }
    for (uint32_t r = 0; r <= 15; ++r)
    {
        // 2,000 runs: the standard error of the mean is below 0.5 process at every round.
        EXPECT_NEAR(mean[r] / runs, e[r], 2.0) << "round " << r;
    }
    EXPECT_GT(e[15], 0.99 * n);
}

TEST(InfectionChain, FanoutAtLeastNMinusOneContactsEverybodyThenLossApplies)
{
    // The contact probability is capped at 1 before loss and crashes: with fanout >= n - 1 every
    // process is contacted, and a loss of 0.2 still loses a fifth of the gossips.
    for (uint32_t fanout : {9U, 10U, 100U})
    {
        InfectionChain c(10, fanout, 0.2, 0.0);
        EXPECT_DOUBLE_EQ(c.GetP(), 0.8) << fanout;
        auto one = c.After(1);
        // Binomial(9, 0.8) new infections: all nine with 0.8^9.
        EXPECT_NEAR(one[10], std::pow(0.8, 9), 1e-12) << fanout;
        EXPECT_NEAR(one[1], std::pow(0.2, 9), 1e-15) << fanout;
    }
}

TEST(InfectionChain, NoLossNoCrashAndFullFanoutInfectsEverybodyInOneRound)
{
    InfectionChain c(20, 19, 0.0, 0.0);
    EXPECT_DOUBLE_EQ(c.GetP(), 1.0);
    auto d = c.Distribution(3);
    EXPECT_EQ(d[1][20], 1.0); // exactly, not 1 - 1e-15
    EXPECT_EQ(d[3][20], 1.0);
    EXPECT_EQ(Sum(d[1]), 1.0);
}

TEST(InfectionChain, TotalLossOrCrashOrNoFanoutNeverSpreads)
{
    for (const auto& c : {InfectionChain(30, 3, 1.0, 0.0),
                          InfectionChain(30, 3, 0.0, 1.0),
                          InfectionChain(30, 0, 0.0, 0.0)})
    {
        EXPECT_EQ(c.GetP(), 0.0);
        auto d = c.Distribution(5);
        EXPECT_EQ(d[5][1], 1.0);
        EXPECT_EQ(c.Expected(5)[5], 1.0);
    }
}

TEST(InfectionChain, NoCrashesIsTheLossOnlyChain)
{
    // crash = 0 and loss = 0: p = fanout / (n - 1), and the chain is a plain epidemic.
    InfectionChain c(40, 2, 0.0, 0.0);
    EXPECT_DOUBLE_EQ(c.GetP(), 2.0 / 39);
    InfectionChain lossy(40, 2, 0.1, 0.0);
    EXPECT_LT(lossy.Expected(5)[5], c.Expected(5)[5]);
    InfectionChain crashy(40, 2, 0.0, 0.1);
    EXPECT_NEAR(crashy.GetP(), lossy.GetP(), 1e-15); // loss and crash act alike on one gossip
}

TEST(InfectionChain, DegenerateGroups)
{
    EXPECT_EQ(InfectionChain(0, 3, 0.1, 0.1).After(4), std::vector<double>{0.0});
    auto one = InfectionChain(1, 3, 0.1, 0.1).Distribution(4);
    for (const auto& row : one)
    {
        EXPECT_EQ(row, (std::vector<double>{0.0, 1.0}));
    }
    EXPECT_EQ(InfectionChain(1, 3, 0.1, 0.1).GetP(), 0.0);
}
