/*
 * SPDX-License-Identifier: GPL-2.0-only
 *
 * GoogleTest for lpbcast::InfectionChain (TOCS §4): against a Monte-Carlo run of the same
 * model, and against pbcast's independent implementation of the chain.
 */
#include "gossip-logic-test.h"

#include "ns3/lpbcast-infection-chain.h"
#include "ns3/pbcast-analysis.h"

#include <cmath>
#include <random>
#include <vector>

using namespace ns3;
using namespace ns3::lpbcast;

TEST(LpbcastInfectionChain, MatchesDirectSimulationOfTheChain)
{
    const uint32_t n = 125;
    InfectionChain chain(n, 3, 0.05, 0.01);
    EXPECT_NEAR(chain.GetP(), 3 * 0.95 * 0.99 / 124, 1e-12);
    auto e = chain.Expected(15);
    auto d = chain.Distribution(15);
    for (const auto& row : d)
    {
        double s = 0;
        for (double x : row)
        {
            s += x;
        }
        EXPECT_NEAR(s, 1.0, 1e-9);
    }
    EXPECT_DOUBLE_EQ(e[0], 1.0);
    for (uint32_t r = 1; r < e.size(); ++r)
    {
        EXPECT_GE(e[r], e[r - 1]);
    }
    // Monte-Carlo of the model itself: each susceptible infected w.p. 1-(1-p)^i per round.
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
        EXPECT_NEAR(mean[r] / runs, e[r], 0.03 * n) << "round " << r;
    }
    EXPECT_GT(e[15], 0.99 * n);
}

TEST(LpbcastInfectionChain, AgreesWithPbcastAnalysis)
{
    // pbcast's analysis (model/pbcast-analysis.h) implements the same chain independently, in
    // log space: the two must give the same distribution.
    const uint32_t n = 125;
    InfectionChain chain(n, 3, 0.05, 0.01);
    auto dist = chain.Distribution(10);
    for (uint32_t r = 1; r <= 10; ++r)
    {
        std::vector<double> pi = PbcastAnalysis::DeliveryDistribution(n, 3, 0.05, 0.01, r);
        ASSERT_EQ(pi.size(), n + 1);
        for (uint32_t k = 0; k <= n; ++k)
        {
            EXPECT_NEAR(pi[k], dist[r][k], 1e-9) << "round " << r << " k " << k;
        }
    }
}
