/*
 * SPDX-License-Identifier: GPL-2.0-only
 */
#include "lpbcast-infection-chain.h"

#include <algorithm>
#include <cmath>

namespace ns3
{
namespace lpbcast
{

InfectionChain::InfectionChain(uint32_t n, uint32_t fanout, double loss, double crash)
    : m_n(n),
      m_p(n > 1 ? double(fanout) * (1 - loss) * (1 - crash) / (n - 1) : 0.0)
{
    m_p = std::min(1.0, m_p);
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
    const double q = 1.0 - m_p;
    for (uint32_t r = 0; r < rounds; ++r)
    {
        for (uint32_t i = 1; i <= n; ++i)
        {
            const double pi = dist[r][i];
            if (pi < 1e-300)
            {
                continue;
            }
            // New infections: Binomial(n - i, 1 - q^i).
            const uint32_t m = n - i;
            const double x = 1.0 - std::pow(q, i);
            if (m == 0 || x <= 0.0)
            {
                dist[r + 1][i] += pi;
                continue;
            }
            if (x >= 1.0)
            {
                dist[r + 1][n] += pi;
                continue;
            }
            const double lx = std::log(x);
            const double l1x = std::log1p(-x);
            for (uint32_t k = 0; k <= m; ++k)
            {
                double lp = std::lgamma(m + 1.0) - std::lgamma(k + 1.0) - std::lgamma(m - k + 1.0) +
                            k * lx + (m - k) * l1x;
                dist[r + 1][i + k] += pi * std::exp(lp);
            }
        }
    }
    return dist;
}

std::vector<double>
InfectionChain::Expected(uint32_t rounds) const
{
    std::vector<double> out;
    for (const auto& d : Distribution(rounds))
    {
        double e = 0;
        for (uint32_t i = 0; i < d.size(); ++i)
        {
            e += i * d[i];
        }
        out.push_back(e);
    }
    return out;
}

} // namespace lpbcast
} // namespace ns3
