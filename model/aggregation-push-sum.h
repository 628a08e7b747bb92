/*
 * SPDX-License-Identifier: GPL-2.0-only
 */
#ifndef AGGREGATION_PUSH_SUM_H
#define AGGREGATION_PUSH_SUM_H

namespace ns3
{
namespace aggregation
{

/// \ingroup gossip \brief Push-sum mass: a (sum, weight) pair.
struct Mass
{
    double s{0.0};
    double w{0.0};
};

/**
 * \ingroup gossip
 * \brief Kempe et al.'s push-sum state of one node.
 *
 * Each round the node keeps half of its mass and sends the other half to one target; received
 * mass is added. Σs and Σw over nodes plus messages in flight never change, so s/w converges to
 * Σx/Σw everywhere.
 */
class PushSumState
{
  public:
    PushSumState() = default;
    PushSumState(double s, double w);
    /// Halve the local mass. \return the half to send.
    Mass TakeHalf();
    /// Add received mass.
    void Absorb(const Mass& m);
    /// s / w, or NaN while w == 0 (no estimate yet).
    double Estimate() const;
    double GetS() const;
    double GetW() const;

  private:
    double m_s{0.0};
    double m_w{0.0};
};

} // namespace aggregation
} // namespace ns3

#endif /* AGGREGATION_PUSH_SUM_H */
