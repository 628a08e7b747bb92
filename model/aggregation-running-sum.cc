/*
 * SPDX-License-Identifier: GPL-2.0-only
 */
#include "aggregation-running-sum.h"

namespace ns3
{
namespace aggregation
{

std::pair<Mass, uint32_t>
RunningSumLedger::AddSent(uint32_t peer, const Mass& m)
{
    Out& o = m_out[peer];
    o.total.s += m.s;
    o.total.w += m.w;
    ++o.seq;
    return {o.total, o.seq};
}

Mass
RunningSumLedger::GetSent(uint32_t peer) const
{
    auto it = m_out.find(peer);
    return it == m_out.end() ? Mass{} : it->second.total;
}

Mass
RunningSumLedger::Receive(uint32_t peer, const Mass& totals, uint32_t seq)
{
    if (IsImplausible(peer, seq))
    {
        return {};
    }
    In& in = m_in[peer];
    if (in.any && seq <= in.seq)
    {
        return {}; // duplicate or reordered: already applied
    }
    Mass delta{totals.s - in.total.s, totals.w - in.total.w};
    in.total = totals;
    in.seq = seq;
    in.any = true;
    return delta;
}

bool
RunningSumLedger::IsImplausible(uint32_t peer, uint32_t seq) const
{
    auto it = m_in.find(peer);
    uint32_t last = it == m_in.end() ? 0 : it->second.seq;
    return seq > last && seq - last > MAX_SEQ_JUMP;
}

Mass
RunningSumLedger::GetReceived(uint32_t peer) const
{
    auto it = m_in.find(peer);
    return it == m_in.end() ? Mass{} : it->second.total;
}

} // namespace aggregation
} // namespace ns3
