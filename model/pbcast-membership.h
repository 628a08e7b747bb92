/*
 * SPDX-License-Identifier: GPL-2.0-only
 */
#ifndef PBCAST_MEMBERSHIP_H
#define PBCAST_MEMBERSHIP_H

#include "gossip-message-id.h"
#include "pbcast-header.h"

#include "ns3/ipv4-address.h"
#include "ns3/nstime.h"

#include <cstdint>
#include <functional>
#include <map>
#include <optional>
#include <utility>
#include <vector>

namespace ns3
{
namespace pbcast
{

/**
 * \ingroup gossip
 * Uniform random integer in [0, n), n > 0. PbcastApplication binds it to its random variable as
 * `rng->GetInteger(0, n - 1)`, the unit tests to a seeded std::mt19937, so every choice below is
 * reproducible and draws exactly what the application drew before these classes existed.
 */
using Rng = std::function<uint32_t(uint32_t n)>;

/**
 * \ingroup gossip
 * \brief pbcast's membership: who is in the group, heartbeats and failure detection, the seeds a
 * member joins through, and the random choices among live members (gossip targets, the partial
 * view, the membership sample each gossip carries).
 *
 * A plain class: no simulator, no sockets. The time is passed in and the randomness comes from
 * an Rng, so it can be tested on its own.
 *
 * Each member's heartbeat is its round number. A member whose heartbeat has not advanced for
 * the fail timeout is failed (no longer chosen); after the remove timeout it is removed, with a
 * tombstone (kept another remove timeout) so that stale samples do not bring it back. A newer
 * heartbeat revives a failed or removed member.
 */
class Membership
{
  public:
    /// What this member knows about another one.
    struct Member
    {
        Ipv4Address address;
        uint32_t datacenter{0};
        uint64_t heartbeat{0};
        Time updated; //!< when the heartbeat last advanced
        bool failed{false};
    };

    /// One change made by CheckFailures, in the order it was made.
    struct FailureEvent
    {
        GossipSenderId id{0};
        bool removed{false}; //!< false: suspected (now failed); true: removed
    };

    /**
     * Set who this member is and the rules (before Start).
     * \param self this member's id
     * \param datacenter this member's datacenter
     * \param partialView gossip within a random view of this many live members (0: all)
     * \param failTimeout heartbeat age after which a member is failed
     * \param removeTimeout heartbeat age after which a failed member is removed
     */
    void Configure(GossipSenderId self,
                   uint32_t datacenter,
                   uint32_t partialView,
                   Time failTimeout,
                   Time removeTimeout);

    /// A member contacted with JOIN at start (may be this member itself: then it is skipped).
    void AddSeed(GossipSenderId id, Ipv4Address address, uint32_t datacenter);
    /**
     * Start: every seed but this member is known from now (heartbeat 0); the member counts as
     * joined only if there is no such seed.
     */
    void Start(Time now);
    /// Forget everything learnt (members, tombstones, view, joined): a restarted process.
    /// Configuration and seeds stay.
    void Reset();
    /// Whether a seed answered a JOIN, or any gossip arrived.
    bool IsJoined() const;
    void SetJoined();
    /// The seeds to send JOIN to while not joined (this member excluded), in the order added.
    std::vector<Ipv4Address> GetSeedAddresses() const;

    /// News of a member: learnt if new (unless a newer tombstone says it was removed), refreshed
    /// if the heartbeat is higher.
    void HeardFrom(GossipSenderId id,
                   Ipv4Address address,
                   uint32_t datacenter,
                   uint64_t heartbeat,
                   Time now);
    /// HeardFrom for each entry of a membership list, this member's own entry skipped.
    void Merge(const std::vector<MemberEntry>& entries, Time now);
    /// Fail and remove members whose heartbeat is too old, expire old tombstones.
    /// \return what changed, in order.
    std::vector<FailureEvent> CheckFailures(Time now);

    /**
     * The live (not failed) members, ascending. Also drops members failed or removed since the
     * last call from the partial view.
     */
    const std::vector<GossipSenderId>& LiveIds();
    /// Live members in another datacenter.
    uint32_t GetLiveRemote() const;
    /**
     * Up to n distinct gossip targets drawn from the live members or, with a partial view, from
     * the view after topping it up with random live members (at most 4 tries per missing slot).
     */
    std::vector<GossipSenderId> PickTargets(uint32_t n, const Rng& rng);
    /**
     * Gossip targets as the analysis models them: each member of the pool (live members, or the
     * partial view) independently with probability min(1, n / pool size), so n on average.
     * \param uniform a draw from U(0, 1)
     */
    std::vector<GossipSenderId> PickEach(uint32_t n, const std::function<double()>& uniform);
    /**
     * A membership sample of at most n entries: self first, then n-1 distinct random live
     * members (all of them if there are no more), ascending by id.
     */
    std::vector<MemberEntry> Sample(uint32_t n, const MemberEntry& self, const Rng& rng);

    /// \return the member, or nothing if unknown (removed members are unknown).
    std::optional<Member> Find(GossipSenderId id) const;
    /// \return a known member's address (the member must be known).
    Ipv4Address GetAddress(GossipSenderId id) const;
    /// Whether the member is known (failed or not).
    bool Contains(GossipSenderId id) const;
    /// Whether the member is known and not failed.
    bool IsLive(GossipSenderId id) const;
    /// Whether address belongs to a known member of another datacenter.
    bool IsRemote(Ipv4Address address) const;
    /// Known members that are not failed.
    uint32_t GetLiveCount() const;
    /// Known members, failed ones not yet removed included.
    uint32_t GetKnownCount() const;

  private:
    struct Seed
    {
        GossipSenderId id;
        Ipv4Address address;
        uint32_t datacenter;
    };

    GossipSenderId m_self{0};
    uint32_t m_datacenter{0};
    uint32_t m_partialView{0};
    Time m_failTimeout;
    Time m_removeTimeout;

    std::vector<Seed> m_seeds;
    bool m_joined{false};

    /**
     * A known member, 24 bytes: every member of a large group holds hundreds to thousands of
     * these (pbcast's full membership is N^2 of them in all). Its address and datacenter are an
     * index into Contacts(), a process-wide intern table of the (address, datacenter) pairs
     * members have learnt: the same few pairs per member recur at every member.
     */
    struct Entry
    {
        uint64_t heartbeat;
        int64_t updated; //!< Time::GetTimeStep() of when the heartbeat last advanced
        GossipSenderId id;
        uint32_t contact : 31; //!< index into Contacts()
        uint32_t failed : 1;
    };

    /// The interned (address, datacenter) pairs and their index.
    static uint32_t InternContact(GossipSenderId id, Ipv4Address address, uint32_t datacenter);
    static const std::pair<Ipv4Address, uint32_t>& ContactOf(const Entry& e);
    static bool IdLess(const Entry& e, GossipSenderId id);
    std::vector<Entry>::iterator Lower(GossipSenderId id);
    std::vector<Entry>::const_iterator Lower(GossipSenderId id) const;
    const Entry* FindEntry(GossipSenderId id) const;
    /// \return false if a tombstone says this is stale news of a removed member; else true,
    /// and the tombstone (if any) is gone.
    bool ForgetTombstone(GossipSenderId id, uint64_t heartbeat);
    /// Merge new members (sorted by id, none already in `into`) into a sorted array.
    template <typename T, typename Key>
    static void MergeBack(std::vector<T>& into, const std::vector<Entry>& fresh, Key key);
    static Entry MakeEntry(GossipSenderId id,
                           Ipv4Address address,
                           uint32_t datacenter,
                           uint64_t heartbeat,
                           Time now);
    bool IsRemoteEntry(const Entry& e) const;

    std::vector<Entry> m_members; //!< ascending by id
    uint32_t m_knownRemote{0};    //!< known members (failed too) in other datacenters
    /// Removed members: heartbeat at removal and when, so stale gossip does not revive them.
    std::map<GossipSenderId, std::pair<uint64_t, Time>> m_removed;
    /// Add to / remove from m_liveIds and m_liveRemote (kept in step with m_members, because
    /// rebuilding them from the map each round was most of a large group's cost).
    void AddLive(const Entry& e);
    void RemoveLive(const Entry& e);

    std::vector<GossipSenderId> m_liveIds; //!< ascending
    uint32_t m_liveRemote{0};              //!< live members in other datacenters
    bool m_viewDirty{false};               //!< a member failed or was removed since LiveIds()
    std::vector<GossipSenderId> m_view;    //!< partial view (partialView > 0)
};

} // namespace pbcast
} // namespace ns3

#endif /* PBCAST_MEMBERSHIP_H */
