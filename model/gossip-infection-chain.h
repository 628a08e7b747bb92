/*
 * SPDX-License-Identifier: GPL-2.0-only
 */
#ifndef GOSSIP_INFECTION_CHAIN_H
#define GOSSIP_INFECTION_CHAIN_H

#include <cstdint>
#include <vector>

namespace ns3
{
namespace gossip
{

/**
 * \ingroup gossip
 * \brief The binomial infection chain of the gossip analyses: Bimodal Multicast's recurrence
 * (Birman et al., ACM TOCS 1999, Sec. 5) and lpbcast's (Eugster et al., ACM TOCS 2003, Sec. 4)
 * are the same chain, computed here once.
 *
 * n processes, one of which holds the message at round 0. In every synchronous round each
 * holder gossips to `fanout` of the other n - 1 processes chosen uniformly; a gossip is lost with
 * probability `loss` (the papers' epsilon) and its target is down with probability `crash`
 * (tau). An uninfected process is therefore missed by one holder with probability
 * q = 1 - p, p = min(1, fanout / (n - 1)) (1 - loss) (1 - crash): the chance of being
 * *contacted* is capped at 1 (a holder cannot contact the same process twice in a round) before
 * loss and crashes apply. With i holders, the newly infected are Binomial(n - i, 1 - q^i).
 *
 * Edge cases, decided once: n = 0 gives an empty distribution; n = 1 is always complete;
 * fanout >= n - 1 contacts everybody (p = (1 - loss)(1 - crash)); loss = 1 or crash = 1 (or
 * fanout = 0) never spreads; p = 1 infects everybody in one round, exactly. Probabilities are
 * combined in log space, so tails down to about 1e-300 survive.
 */
class InfectionChain
{
  public:
    InfectionChain(uint32_t n, uint32_t fanout, double loss, double crash);

    /// The probability that one holder infects one given uninfected process in a round.
    double GetP() const;

    /// P[s_r = k] for r = 0..rounds and k = 0..n (s_0 = 1; element [r][k]).
    std::vector<std::vector<double>> Distribution(uint32_t rounds) const;
    /// P[s_rounds = k], k = 0..n: the distribution after `rounds` rounds.
    std::vector<double> After(uint32_t rounds) const;
    /// E[s_r] for r = 0..rounds.
    std::vector<double> Expected(uint32_t rounds) const;

    /// P{lo * n < k < hi * n} of a distribution pi (k = 0..n): "some but not most".
    static double FailureProbability(const std::vector<double>& pi, double lo, double hi);

  private:
    uint32_t m_n;
    double m_p;
};

} // namespace gossip
} // namespace ns3

#endif /* GOSSIP_INFECTION_CHAIN_H */
