/*
 * SPDX-License-Identifier: GPL-2.0-only
 *
 * Pure logic of lpbcast (Eugster et al., ACM TOCS 21(4), 2003) and of its age-based purging
 * (Kouznetsov et al., SRDS 2001): the partial view and the bounded buffers, without any ns-3
 * simulator dependency so that it can be unit-tested on its own.
 */
#ifndef LPBCAST_STATE_H
#define LPBCAST_STATE_H

#include "ns3/gossip-digest.h"

#include <cstdint>
#include <deque>
#include <functional>
#include <map>
#include <set>
#include <vector>

namespace ns3
{

/**
 * \ingroup gossip
 * Uniform random integer in [0, n), n > 0. The application passes an ns-3 random variable, the
 * unit tests a seeded std::mt19937, so every random choice below is reproducible.
 */
using LpbcastRng = std::function<uint32_t(uint32_t n)>;

/// Identifies an event: the originating process and its per-origin sequence number (from 1).
struct LpbcastEventId
{
    uint32_t origin{0};
    uint32_t seq{0};

    bool operator<(const LpbcastEventId& o) const
    {
        return origin < o.origin || (origin == o.origin && seq < o.seq);
    }

    bool operator==(const LpbcastEventId& o) const
    {
        return origin == o.origin && seq == o.seq;
    }
};

/// An event notification as carried in `events`.
struct LpbcastEvent
{
    LpbcastEventId id;
    uint32_t age{0};              //!< rounds it has been gossiped (SRDS 2001 "age")
    std::vector<uint8_t> payload; //!< application data
};

/**
 * \ingroup gossip
 * \brief The `eventIds` buffer, compacted per origin, on top of the shared GossipDigest.
 *
 * For each origin the digest holds the ids delivered in sequence as one interval (the "last id
 * delivered in sequence") plus the later ids delivered out of order. Only the later ids count
 * against the bound |eventIds|m: when there are more, the oldest later id (FIFO, as TOCS
 * truncates eventIds) is absorbed by raising its origin's floor past it, which gives up on the
 * gap below it. Ids below the floor still count as known, so a bounded buffer never re-delivers
 * an event, and the digest on the wire stays small ("1-18 from X; 14, 16, 22-71 from Z").
 */
class LpbcastEventIds
{
  public:
    explicit LpbcastEventIds(uint32_t maxLater = 60);
    void SetMaxLater(uint32_t maxLater);

    /// Known: delivered, or below the floor (given up).
    bool Contains(const LpbcastEventId& id) const;
    /// Record a delivered id. \return true if it was new.
    bool Insert(const LpbcastEventId& id);
    /// Highest seq such that every seq up to it is known (0 if none).
    uint32_t GetLastInSequence(uint32_t origin) const;
    /// Number of out-of-order ids held (the bounded part).
    uint32_t GetLaterCount() const;
    /// Ids given up on when the bound forced compaction over a gap.
    uint64_t GetSkipped() const;
    /// The digest to put in a gossip message.
    const GossipDigest& GetDigest() const;
    /**
     * Ids a remote digest holds that this buffer lacks (above both floors), per origin at most
     * the newest window ids: a newcomer does not chase the whole history.
     */
    std::vector<LpbcastEventId> Missing(const GossipDigest& remote, uint32_t window) const;

  private:
    uint32_t LaterOf(uint32_t origin) const;

    uint32_t m_maxLater;
    GossipDigest m_digest;
    std::deque<LpbcastEventId> m_fifo; //!< later ids in insertion order (may hold stale ones)
    uint32_t m_laterCount{0};
    uint64_t m_skipped{0};
};

/**
 * \ingroup gossip
 * \brief The `events` buffer with random (TOCS) or age-based (SRDS 2001) purging.
 */
class LpbcastEventBuffer
{
  public:
    enum Purging
    {
        RANDOM_PURGING, //!< remove random events until the bound holds
        AGE_PURGING     //!< out-of-date events first (LONG_AGO), then the oldest (largest age)
    };

    LpbcastEventBuffer(uint32_t max = 30, Purging purging = RANDOM_PURGING, uint32_t longAgo = 5);
    void Configure(uint32_t max, Purging purging, uint32_t longAgo);

    bool Contains(const LpbcastEventId& id) const;
    /// Add an event (not checked against the bound: call Purge()).
    void Add(const LpbcastEvent& e);
    /// Age-based variant: a copy arrived again; keep the larger age. \return true if buffered.
    bool MergeAge(const LpbcastEventId& id, uint32_t age);
    /// Enforce the bound. \return the ids removed, in removal order.
    std::vector<LpbcastEventId> Purge(const LpbcastRng& rng);
    /// Increment every event's age (once per gossip round).
    void IncrementAges();
    /// Remove events with age >= maxAge (0: never). \return how many were removed.
    uint32_t RemoveAged(uint32_t maxAge);
    void Clear();
    const std::vector<LpbcastEvent>& Get() const;
    uint32_t GetSize() const;

  private:
    uint32_t m_max;
    Purging m_purging;
    uint32_t m_longAgo;
    std::vector<LpbcastEvent> m_events; //!< in arrival order
};

/// Membership purging: random eviction (TOCS) or frequency-based eviction.
enum LpbcastMembershipPurging
{
    LPBCAST_RANDOM_MEMBERSHIP,
    LPBCAST_FREQUENCY_MEMBERSHIP
};

/// Bounds of the membership buffers.
struct LpbcastMembershipLimits
{
    uint32_t view{15};   //!< l
    uint32_t subs{15};   //!< |subs|m
    uint32_t unSubs{15}; //!< |unSubs|m
    LpbcastMembershipPurging purging{LPBCAST_RANDOM_MEMBERSHIP};
    double frequencyK{1.0}; //!< frequency-based purging coefficient
};

/**
 * \ingroup gossip
 * \brief The partial view (size l) with `subs` and timestamped `unSubs`.
 *
 * The view never contains the process itself. Overflow of the view or of subs evicts a random
 * entry (TOCS) or, with frequency-based purging, an entry heard about more often than K times
 * the average (so well-known processes leave first and views stay uniform). Unsubscriptions are
 * timestamped by their issuer and expire after a timeout; while one is held its process is not
 * re-admitted into the view or subs.
 */
class LpbcastMembership
{
  public:
    static constexpr LpbcastMembershipPurging RANDOM_MEMBERSHIP = LPBCAST_RANDOM_MEMBERSHIP;
    static constexpr LpbcastMembershipPurging FREQUENCY_MEMBERSHIP = LPBCAST_FREQUENCY_MEMBERSHIP;

    using Limits = LpbcastMembershipLimits;

    LpbcastMembership(uint32_t self = 0, Limits limits = Limits());
    void Configure(uint32_t self, Limits limits);
    uint32_t GetSelf() const;

    /// Add a process known at start-up (bootstrap contacts). Ignores self and duplicates.
    void AddToView(uint32_t id, const LpbcastRng& rng);
    /**
     * Apply the membership part of a received gossip (TOCS Fig. 2, steps 1-2).
     * \param subs the gossip's subs (the sender includes itself)
     * \param unSubs (process, issue timestamp in ns) pairs
     * \param nowNs the receiver's clock, used to drop already expired unsubscriptions
     * \param timeoutNs unsubscription lifetime
     */
    void HandleGossip(const std::vector<uint32_t>& subs,
                      const std::vector<std::pair<uint32_t, int64_t>>& unSubs,
                      int64_t nowNs,
                      int64_t timeoutNs,
                      const LpbcastRng& rng);
    /// Forget unsubscriptions older than the timeout. \return how many expired.
    uint32_t ExpireUnSubs(int64_t nowNs, int64_t timeoutNs);
    /// This process leaves: its own unsubscription to gossip.
    void AddUnSub(uint32_t id, int64_t timestampNs, const LpbcastRng& rng);
    /// Remove a process from view and subs (e.g. a failed peer). \return true if it was in view.
    bool Remove(uint32_t id);
    /// F distinct random view members (all of them if the view is smaller).
    std::vector<uint32_t> SelectTargets(uint32_t fanout, const LpbcastRng& rng) const;
    /// A random view member, or self if the view is empty.
    uint32_t RandomMember(const LpbcastRng& rng) const;

    const std::vector<uint32_t>& GetView() const;
    const std::vector<uint32_t>& GetSubs() const;
    const std::map<uint32_t, int64_t>& GetUnSubs() const;
    bool InView(uint32_t id) const;
    /// How often id was heard of in gossips (frequency-based purging).
    uint32_t GetFrequency(uint32_t id) const;

  private:
    void AddSub(uint32_t id);
    uint32_t EvictIndex(const std::vector<uint32_t>& from, const LpbcastRng& rng);
    void TrimView(const LpbcastRng& rng);
    void TrimSubs(const LpbcastRng& rng);

    uint32_t m_self;
    Limits m_limits;
    std::vector<uint32_t> m_view;
    std::vector<uint32_t> m_subs;
    std::map<uint32_t, int64_t> m_unSubs;
    std::map<uint32_t, uint32_t> m_frequency;
};

/**
 * \ingroup gossip
 * \brief retrieveBuf: ids seen in digests but not delivered, and whom to ask when.
 *
 * After k rounds the gossip sender that advertised the id is asked; r rounds later a random view
 * member; r rounds after that the originator; after another r rounds the id is given up.
 */
class LpbcastRetrieval
{
  public:
    /// A retrieve request to send.
    struct Request
    {
        uint32_t target;
        LpbcastEventId id;
        uint32_t stage; //!< 1 gossip sender, 2 random view member, 3 originator
    };

    LpbcastRetrieval(uint32_t k = 3, uint32_t r = 2, uint32_t max = 240);
    void Configure(uint32_t k, uint32_t r, uint32_t max);
    /// Note a missing id advertised by sender in round. \return false if known or full.
    bool Add(const LpbcastEventId& id, uint32_t round, uint32_t sender);
    /// The id arrived (by gossip or reply).
    void Remove(const LpbcastEventId& id);
    /**
     * Requests due in this round. Entries whose id has been delivered meanwhile are dropped.
     * \param delivered whether an id is already delivered
     * \param randomMember a random view member
     */
    std::vector<Request> Due(uint32_t round,
                             const std::function<bool(const LpbcastEventId&)>& delivered,
                             const std::function<uint32_t()>& randomMember);
    uint32_t GetSize() const;
    uint64_t GetGivenUp() const;

  private:
    struct Entry
    {
        uint32_t firstRound;
        uint32_t sender;
        uint32_t stage{0};
        uint32_t askedRound{0};
    };

    uint32_t m_k;
    uint32_t m_r;
    uint32_t m_max;
    std::map<LpbcastEventId, Entry> m_entries;
    uint64_t m_givenUp{0};
};

/**
 * \ingroup gossip
 * \brief The analysis of TOCS §4: number of infected processes per round as a Markov chain.
 *
 * With p = F(1-eps)(1-tau)/(n-1) the probability that one infected process infects a given
 * susceptible one in a round and q = 1-p, P[s_{r+1} = j | s_r = i] = C(n-i, j-i) (1-q^i)^(j-i)
 * q^(i(n-j)): each of the n-i susceptible processes is infected independently with 1-q^i.
 */
class LpbcastInfectionChain
{
  public:
    LpbcastInfectionChain(uint32_t n, uint32_t fanout, double loss, double crash);
    double GetP() const;
    /// Distribution of s_r for r = 0..rounds (s_0 = 1). Element [r][i] = P[s_r = i].
    std::vector<std::vector<double>> Distribution(uint32_t rounds) const;
    /// E[s_r] for r = 0..rounds.
    std::vector<double> Expected(uint32_t rounds) const;

  private:
    uint32_t m_n;
    double m_p;
};

} // namespace ns3

#endif /* LPBCAST_STATE_H */
