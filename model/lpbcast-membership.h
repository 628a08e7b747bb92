/*
 * SPDX-License-Identifier: GPL-2.0-only
 */
#ifndef LPBCAST_MEMBERSHIP_H
#define LPBCAST_MEMBERSHIP_H

#include "lpbcast-rng.h"

#include <cstdint>
#include <map>
#include <utility>
#include <vector>

namespace ns3
{
namespace lpbcast
{

/**
 * \ingroup gossip
 * \brief lpbcast's partial view (size l) with `subs` and timestamped `unSubs` (TOCS Fig. 2).
 *
 * Processes are identified by their IPv4 address as a uint32. The view never contains the
 * process itself. Overflow of the view or of subs evicts a random entry (TOCS) or, with
 * frequency-based purging, an entry heard about more often than K times the average (so
 * well-known processes leave first and views stay uniform). Unsubscriptions are timestamped by
 * their issuer and expire after a timeout; while one is held its process is not re-admitted into
 * the view or subs.
 */
class Membership
{
  public:
    /// How the view and subs evict when they overflow.
    enum Purging
    {
        RANDOM_MEMBERSHIP,   //!< a random entry (TOCS)
        FREQUENCY_MEMBERSHIP //!< a random entry heard of more than K times the average
    };

    /// Bounds of the membership buffers.
    struct Limits
    {
        uint32_t view{15};   //!< l
        uint32_t subs{15};   //!< |subs|m
        uint32_t unSubs{15}; //!< |unSubs|m
        Purging purging{RANDOM_MEMBERSHIP};
        double frequencyK{1.0}; //!< frequency-based purging coefficient
    };

    /// Process 0 with the default limits (Configure before use).
    Membership();
    /// Process self with the default limits.
    explicit Membership(uint32_t self);
    Membership(uint32_t self, Limits limits);
    void Configure(uint32_t self, Limits limits);
    uint32_t GetSelf() const;

    /// Add a process known at start-up (bootstrap contacts). Ignores self and duplicates.
    void AddToView(uint32_t id, const Rng& rng);
    /**
     * Apply the membership part of a received gossip (TOCS Fig. 2, steps 1-2).
     * \param subs the gossip's subs (the sender includes itself)
     * \param unSubs (process, issue timestamp in ns) pairs
     * \param nowNs the receiver's clock, used to drop already expired unsubscriptions
     * \param timeoutNs unsubscription lifetime
     * \param rng the random choices of eviction
     */
    void HandleGossip(const std::vector<uint32_t>& subs,
                      const std::vector<std::pair<uint32_t, int64_t>>& unSubs,
                      int64_t nowNs,
                      int64_t timeoutNs,
                      const Rng& rng);
    /// Forget unsubscriptions older than the timeout. \return how many expired.
    uint32_t ExpireUnSubs(int64_t nowNs, int64_t timeoutNs);
    /**
     * Whether an unsubscription issued at issuedNs (off the wire: any value) has expired at
     * nowNs. Compared without subtracting issuedNs, which could overflow; nowNs and timeoutNs
     * are >= 0.
     */
    static bool IsExpired(int64_t issuedNs, int64_t nowNs, int64_t timeoutNs);
    /// This process leaves: its own unsubscription to gossip.
    void AddUnSub(uint32_t id, int64_t timestampNs, const Rng& rng);
    /// Remove a process from view and subs (e.g. a failed peer). \return true if it was in view.
    bool Remove(uint32_t id);
    /// F distinct random view members (all of them if the view is smaller).
    std::vector<uint32_t> SelectTargets(uint32_t fanout, const Rng& rng) const;
    /// A random view member, or self if the view is empty.
    uint32_t RandomMember(const Rng& rng) const;

    const std::vector<uint32_t>& GetView() const;
    const std::vector<uint32_t>& GetSubs() const;
    const std::map<uint32_t, int64_t>& GetUnSubs() const;
    bool InView(uint32_t id) const;
    /**
     * How often id was heard of in gossips, plus the eviction picks that spared it
     * (frequency-based purging), since it last entered view or subs; 0 when in neither.
     */
    uint32_t GetFrequency(uint32_t id) const;

  private:
    void AddSub(uint32_t id);
    uint32_t EvictIndex(const std::vector<uint32_t>& from, const Rng& rng);
    void TrimView(const Rng& rng);
    void TrimSubs(const Rng& rng);

    uint32_t m_self;
    Limits m_limits;
    std::vector<uint32_t> m_view;
    std::vector<uint32_t> m_subs;
    std::map<uint32_t, int64_t> m_unSubs;
    std::map<uint32_t, uint32_t> m_frequency; //!< of the processes in view or subs only
};

} // namespace lpbcast
} // namespace ns3

#endif /* LPBCAST_MEMBERSHIP_H */
