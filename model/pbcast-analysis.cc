/*
 * SPDX-License-Identifier: GPL-2.0-only
 */
#include "pbcast-analysis.h"

#include <cmath>
#include <limits>

namespace ns3
{

std::vector<double>
PbcastAnalysis::DeliveryDistribution(uint32_t n,
                                     double beta,
                                     double epsilon,
                                     double tau,
                                     uint32_t rounds)
{
    std::vector<double> pi(n + 1, 0.0);
    if (n == 0)
    {
        return pi;
    }
    pi[1] = 1.0;
    if (n == 1)
    {
        return pi;
    }
    double p = std::min(1.0, beta / (n - 1)) * (1 - epsilon) * (1 - tau);
    double logQ = std::log1p(-std::min(p, 1.0 - 1e-15));
    const double ninf = -std::numeric_limits<double>::infinity();
    for (uint32_t t = 0; t < rounds; ++t)
    {
        std::vector<double> next(n + 1, 0.0);
        for (uint32_t i = 1; i <= n; ++i)
        {
            if (pi[i] <= 0)
            {
                continue;
            }
            double logQi = i * logQ;                    // log q^i
            double logA = std::log(-std::expm1(logQi)); // log(1 - q^i)
            double logPi = std::log(pi[i]);
            for (uint32_t j = i; j <= n; ++j)
            {
                uint32_t m = j - i;
                double v = std::lgamma(n - i + 1.0) - std::lgamma(m + 1.0) -
                           std::lgamma(n - j + 1.0) + (m ? m * logA : 0.0) +
                           (n - j ? (n - j) * logQi : 0.0);
                if (v > ninf)
                {
                    next[j] += std::exp(logPi + v);
                }
            }
        }
        pi.swap(next);
    }
    return pi;
}

double
PbcastAnalysis::FailureProbability(const std::vector<double>& pi, double lo, double hi)
{
    double n = pi.size() - 1;
    double sum = 0;
    for (size_t k = 0; k < pi.size(); ++k)
    {
        if (k > lo * n && k < hi * n)
        {
            sum += pi[k];
        }
    }
    return sum;
}

} // namespace ns3
