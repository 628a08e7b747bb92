/*
 * SPDX-License-Identifier: GPL-2.0-only
 */
#include "gossip-infection-chain.h"

#include <algorithm>
#include <cmath>
#include <limits>

namespace ns3
{
namespace gossip
{

InfectionChain::InfectionChain(uint32_t n, uint32_t fanout, double loss, double crash)
    : m_n(n),
      m_p(n > 1 ? std::min(1.0, double(fanout) / (n - 1)) * (1 - loss) * (1 - crash) : 0.0)
{
}

double
InfectionChain::GetP() const
{
    return m_p;
}

std::vector<std::vector<double>>
InfectionChain::Distribution(uint32_t rounds) const
{
    const uint32_t n = m_n;
    std::vector<std::vector<double>> dist(rounds + 1, std::vector<double>(n + 1, 0.0));
    if (n == 0)
    {
        return dist;
    }
    dist[0][1] = 1.0;
    const double ninf = -std::numeric_limits<double>::infinity();
    const double logQ = m_p < 1.0 ? std::log1p(-m_p) : ninf; // log q
    for (uint32_t r = 0; r < rounds; ++r)
    {
        const std::vector<double>& pi = dist[r];
        std::vector<double>& next = dist[r + 1];
        for (uint32_t i = 1; i <= n; ++i)
        {
            if (pi[i] <= 0)
            {
                continue;
            }
            if (i == n || m_p <= 0.0)
            {
                next[i] += pi[i]; // nobody left, or nobody can be reached
                continue;
            }
            if (m_p >= 1.0)
            {
                next[n] += pi[i]; // every uninfected process is reached
                continue;
            }
            const double logQi = i * logQ;                    // log q^i
            const double logA = std::log(-std::expm1(logQi)); // log(1 - q^i)
            const double logPi = std::log(pi[i]);
            for (uint32_t j = i; j <= n; ++j)
            {
                const uint32_t m = j - i; // newly infected, of n - i
                const double v = std::lgamma(n - i + 1.0) - std::lgamma(m + 1.0) -
                                 std::lgamma(n - j + 1.0) + (m ? m * logA : 0.0) +
                                 (n - j ? (n - j) * logQi : 0.0);
                if (v > ninf)
                {
                    next[j] += std::exp(logPi + v);
                }
            }
        }
    }
    return dist;
}

std::vector<double>
InfectionChain::After(uint32_t rounds) const
{
    return Distribution(rounds).back();
}

std::vector<double>
InfectionChain::Expected(uint32_t rounds) const
{
    std::vector<double> out;
    for (const auto& d : Distribution(rounds))
    {
        double e = 0;
        for (uint32_t k = 0; k < d.size(); ++k)
        {
            e += k * d[k];
        }
        out.push_back(e);
    }
    return out;
}

double
InfectionChain::FailureProbability(const std::vector<double>& pi, double lo, double hi)
{
    const double n = pi.size() - 1;
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

} // namespace gossip
} // namespace ns3
