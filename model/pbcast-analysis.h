/*
 * SPDX-License-Identifier: GPL-2.0-only
 */
#ifndef PBCAST_ANALYSIS_H
#define PBCAST_ANALYSIS_H

#include <cstdint>
#include <vector>

namespace ns3
{

/**
 * \ingroup gossip
 * \brief The Markov-chain analysis of pbcast's gossip (Birman et al. 1999, §5), as reconstructed
 * in the team's notes (the paper's text could not be checked; see doc/pbcast.rst).
 *
 * n processes, one initially infected (the sender); synchronous rounds; each infected process
 * gossips to beta others, each gossip lost with probability epsilon, each process faulty with
 * probability tau. A given infected process infects a given other one in a round with
 * p = beta/(n-1) (1-epsilon)(1-tau), so with i infected an uninfected one stays so with
 * q^i, q = 1-p, and
 *   P[s_{t+1} = j | s_t = i] = C(n-i, j-i) (1-q^i)^(j-i) q^(i (n-j)).
 */
class PbcastAnalysis
{
  public:
    /**
     * \return pi with pi[k] = P{k processes have the message after rounds rounds}, k = 0..n
     * (pi[0] = 0). Computed in log space so tails down to 1e-300 survive.
     */
    static std::vector<double> DeliveryDistribution(uint32_t n,
                                                    double beta,
                                                    double epsilon,
                                                    double tau,
                                                    uint32_t rounds);
    /// P{ lo*n < k < hi*n }: the "some but not most" failure band.
    static double FailureProbability(const std::vector<double>& pi, double lo, double hi);
};

} // namespace ns3

#endif /* PBCAST_ANALYSIS_H */
