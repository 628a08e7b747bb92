/*
 * SPDX-License-Identifier: GPL-2.0-only
 */
#include "lpbcast-overlay.h"

#include <algorithm>
#include <cmath>

namespace ns3
{
namespace lpbcast
{

void
Overlay::Configure(uint32_t self, const Params& params)
{
    m_self = self;
    m_params = params;
}

uint32_t
Overlay::GetSelf() const
{
    return m_self;
}

void
Overlay::AddCandidate(uint32_t id)
{
    if (id != m_self)
    {
        m_candidates.insert(id);
    }
}

void
Overlay::RemoveCandidate(uint32_t id)
{
    m_candidates.erase(id);
    m_rtt.erase(id);
    m_misses.erase(id);
    m_near.erase(std::remove(m_near.begin(), m_near.end(), id), m_near.end());
    m_long.erase(std::remove(m_long.begin(), m_long.end(), id), m_long.end());
}

void
Overlay::SetRtt(uint32_t id, double rttSeconds)
{
    if (id == m_self)
    {
        return;
    }
    m_candidates.insert(id);
    m_misses.erase(id);
    // Smooth like TCP's SRTT so one queued probe does not reshuffle the near peers.
    auto it = m_rtt.find(id);
    if (it == m_rtt.end())
    {
        m_rtt[id] = rttSeconds;
    }
    else
    {
        it->second = 0.875 * it->second + 0.125 * rttSeconds;
    }
}

bool
Overlay::Miss(uint32_t id)
{
    if (!m_candidates.count(id))
    {
        return false;
    }
    if (++m_misses[id] < m_params.missesToFail)
    {
        return false;
    }
    RemoveCandidate(id);
    return true;
}

std::vector<uint32_t>
Overlay::ToProbe(uint32_t max) const
{
    std::vector<uint32_t> out;
    for (uint32_t c : m_candidates)
    {
        if (out.size() >= max)
        {
            return out;
        }
        if (!m_rtt.count(c))
        {
            out.push_back(c);
        }
    }
    for (uint32_t p : GetPeers())
    {
        if (out.size() >= max)
        {
            break;
        }
        if (std::find(out.begin(), out.end(), p) == out.end())
        {
            out.push_back(p);
        }
    }
    return out;
}

void
Overlay::Repair(const std::function<double(uint32_t)>& distance,
                const std::function<double()>& uniform01)
{
    // Near peers: the c lowest measured RTTs (ties by id, for determinism).
    std::vector<std::pair<double, uint32_t>> measured;
    for (const auto& kv : m_rtt)
    {
        measured.push_back({kv.second, kv.first});
    }
    std::sort(measured.begin(), measured.end());
    m_near.clear();
    for (uint32_t i = 0; i < measured.size() && m_near.size() < m_params.nearPeers; ++i)
    {
        m_near.push_back(measured[i].second);
    }
    // Long-range peers: keep live ones that did not become near, draw the rest. While the
    // drawable set is still growing fast (RTTs of far candidates arrive last), redraw all of
    // them each time it doubles, so early draws are not biased towards whoever answered first.
    auto isNear = [this](uint32_t c) {
        return std::find(m_near.begin(), m_near.end(), c) != m_near.end();
    };
    std::vector<uint32_t> drawable;
    std::vector<double> drawableDist;
    for (uint32_t c : m_candidates)
    {
        double d = isNear(c) ? -1.0 : distance(c);
        if (d > 0)
        {
            drawable.push_back(c);
            drawableDist.push_back(d);
        }
    }
    if (drawable.size() >= 2 * m_drawBasis && drawable.size() > m_drawBasis)
    {
        m_long.clear();
        m_drawBasis = drawable.size();
    }
    std::vector<uint32_t> keep;
    for (uint32_t p : m_long)
    {
        if (m_candidates.count(p) && !isNear(p))
        {
            keep.push_back(p);
        }
    }
    m_long = keep;
    if (m_long.size() >= m_params.longRange)
    {
        return;
    }
    std::vector<uint32_t> pool;
    std::vector<double> dist;
    for (uint32_t i = 0; i < drawable.size(); ++i)
    {
        if (std::find(m_long.begin(), m_long.end(), drawable[i]) == m_long.end())
        {
            pool.push_back(drawable[i]);
            dist.push_back(drawableDist[i]);
        }
    }
    for (uint32_t id : DrawLongRange(pool,
                                     dist,
                                     m_params.longRange - m_long.size(),
                                     m_params.exponent,
                                     uniform01))
    {
        m_long.push_back(id);
    }
}

std::vector<uint32_t>
Overlay::GetPeers() const
{
    std::vector<uint32_t> out = m_near;
    out.insert(out.end(), m_long.begin(), m_long.end());
    return out;
}

const std::vector<uint32_t>&
Overlay::GetNear() const
{
    return m_near;
}

const std::vector<uint32_t>&
Overlay::GetLongRange() const
{
    return m_long;
}

bool
Overlay::HasRtt(uint32_t id) const
{
    return m_rtt.count(id) > 0;
}

double
Overlay::GetRtt(uint32_t id) const
{
    auto it = m_rtt.find(id);
    return it == m_rtt.end() ? -1.0 : it->second;
}

uint32_t
Overlay::GetCandidateCount() const
{
    return m_candidates.size();
}

std::vector<uint32_t>
Overlay::DrawLongRange(const std::vector<uint32_t>& candidates,
                       const std::vector<double>& distances,
                       uint32_t k,
                       double r,
                       const std::function<double()>& uniform01)
{
    std::vector<uint32_t> pool = candidates;
    std::vector<double> w;
    for (double d : distances)
    {
        w.push_back(std::pow(d, -r));
    }
    std::vector<uint32_t> out;
    while (out.size() < k && !pool.empty())
    {
        double total = 0;
        for (double x : w)
        {
            total += x;
        }
        double u = uniform01() * total;
        uint32_t pick = pool.size() - 1;
        for (uint32_t i = 0; i < pool.size(); ++i)
        {
            if (u < w[i])
            {
                pick = i;
                break;
            }
            u -= w[i];
        }
        out.push_back(pool[pick]);
        pool.erase(pool.begin() + pick);
        w.erase(w.begin() + pick);
    }
    return out;
}

} // namespace lpbcast
} // namespace ns3
