/*
 * SPDX-License-Identifier: GPL-2.0-only
 */
#ifndef LPBCAST_OVERLAY_H
#define LPBCAST_OVERLAY_H

#include <cstdint>
#include <functional>
#include <map>
#include <set>
#include <vector>

namespace ns3
{
namespace lpbcast
{

/**
 * \ingroup gossip
 * \brief One member's small-world overlay state: candidates, measured RTTs, near and
 * long-range peers.
 *
 * The small-world peer overlay of the lecture's lpbcast variation: each member gossips with c
 * near peers (lowest measured round-trip time) plus a few long-range peers drawn Kleinberg-style
 * with probability proportional to d^-r. Pure logic: the application measures RTTs with real
 * UDP probes and feeds them in, and passes the distance of the long-range draw as a function
 * (measured RTTs, or a distance its installer gives), so the overlay knows nothing of the
 * network's topology or address plan.
 */
class Overlay
{
  public:
    struct Params
    {
        uint32_t nearPeers{3};    //!< c
        uint32_t longRange{2};    //!< long-range peers
        double exponent{2.0};     //!< r in P ~ d^-r (0: uniform)
        uint32_t missesToFail{2}; //!< unanswered probes before a peer counts as failed
    };

    void Configure(uint32_t self, const Params& params);
    /// A member heard of (bootstrap or subscription). Ignores self and failed members.
    void AddCandidate(uint32_t id);
    /// A member that left: forget it (it may come back later as a new candidate).
    void RemoveCandidate(uint32_t id);
    /// A probe reply arrived: the RTT, and proof that the member is alive.
    void SetRtt(uint32_t id, double rttSeconds);
    /**
     * A probe went unanswered. \return true if the member is now considered failed (it is then
     * removed from the candidates and the peers, and the caller should Repair()).
     */
    bool Miss(uint32_t id);
    /// Candidates to probe now: unmeasured ones first, then the current peers; at most max.
    std::vector<uint32_t> ToProbe(uint32_t max) const;
    /**
     * Choose the c near peers (lowest RTT among measured candidates) and top up the long-range
     * peers to the wanted number, keeping existing live ones (Kleinberg's links are persistent).
     * \param distance distance to a candidate (> 0); candidates with a negative distance (e.g.
     *        not yet measured) are not drawn.
     */
    void Repair(const std::function<double(uint32_t)>& distance,
                const std::function<double()>& uniform01);

    std::vector<uint32_t> GetPeers() const; //!< near then long-range
    const std::vector<uint32_t>& GetNear() const;
    const std::vector<uint32_t>& GetLongRange() const;
    bool HasRtt(uint32_t id) const;
    double GetRtt(uint32_t id) const;
    uint32_t GetCandidateCount() const;
    uint32_t GetSelf() const;

    /**
     * Draw k distinct items from candidates with probability proportional to distance^-r
     * (sequentially, without replacement). r = 0 is uniform.
     */
    static std::vector<uint32_t> DrawLongRange(const std::vector<uint32_t>& candidates,
                                               const std::vector<double>& distances,
                                               uint32_t k,
                                               double r,
                                               const std::function<double()>& uniform01);

  private:
    uint32_t m_self{0};
    Params m_params;
    std::set<uint32_t> m_candidates;
    std::map<uint32_t, double> m_rtt;
    std::map<uint32_t, uint32_t> m_misses;
    std::vector<uint32_t> m_near;
    std::vector<uint32_t> m_long;
    uint32_t m_drawBasis{0}; //!< drawable candidates at the last full draw
};

} // namespace lpbcast
} // namespace ns3

#endif /* LPBCAST_OVERLAY_H */
