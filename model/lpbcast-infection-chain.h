/*
 * SPDX-License-Identifier: GPL-2.0-only
 */
#ifndef LPBCAST_INFECTION_CHAIN_H
#define LPBCAST_INFECTION_CHAIN_H

#include <cstdint>
#include <vector>

namespace ns3
{
namespace lpbcast
{

/**
 * \ingroup gossip
 * \brief The analysis of TOCS §4: number of infected processes per round as a Markov chain.
 *
 * With p = F(1-eps)(1-tau)/(n-1) the probability that one infected process infects a given
 * susceptible one in a round and q = 1-p, P[s_{r+1} = j | s_r = i] = C(n-i, j-i) (1-q^i)^(j-i)
 * q^(i(n-j)): each of the n-i susceptible processes is infected independently with 1-q^i.
 */
class InfectionChain
{
  public:
    InfectionChain(uint32_t n, uint32_t fanout, double loss, double crash);
    double GetP() const;
    /// Distribution of s_r for r = 0..rounds (s_0 = 1). Element [r][i] = P[s_r = i].
    std::vector<std::vector<double>> Distribution(uint32_t rounds) const;
    /// E[s_r] for r = 0..rounds.
    std::vector<double> Expected(uint32_t rounds) const;

  private:
    uint32_t m_n;
    double m_p;
};

} // namespace lpbcast
} // namespace ns3

#endif /* LPBCAST_INFECTION_CHAIN_H */
