/*
 * SPDX-License-Identifier: GPL-2.0-only
 */
#include "aggregation-push-sum.h"

#include <cmath>

namespace ns3
{
namespace aggregation
{

PushSumState::PushSumState(double s, double w)
    : m_s(s),
      m_w(w)
{
}

Mass
PushSumState::TakeHalf()
{
    m_s /= 2;
    m_w /= 2;
    return {m_s, m_w};
}

void
PushSumState::Absorb(const Mass& m)
{
    m_s += m.s;
    m_w += m.w;
}

double
PushSumState::Estimate() const
{
    return m_w > 0 ? m_s / m_w : std::nan("");
}

double
PushSumState::GetS() const
{
    return m_s;
}

double
PushSumState::GetW() const
{
    return m_w;
}

} // namespace aggregation
} // namespace ns3
