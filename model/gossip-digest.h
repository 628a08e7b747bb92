/*
 * SPDX-License-Identifier: GPL-2.0-only
 */
#ifndef GOSSIP_DIGEST_H
#define GOSSIP_DIGEST_H

#include "gossip-message-id.h"
#include "gossip-wire.h"

#include "ns3/buffer.h"

#include <boost/icl/interval_set.hpp>
#include <cstdint>
#include <map>
#include <string>
#include <vector>

namespace ns3
{

/**
 * \ingroup gossip
 * \brief Per-sender sets of sequence numbers, kept as Boost.ICL interval sets.
 *
 * This is the compact digest of the lecture: "1-18 from X; 11 from Y; 14, 16, 22-71 from Z".
 * Each sender also has a floor: numbers below it are outside the digest's window (garbage
 * collected, or given up), so they are neither offered nor requested. That keeps a digest
 * bounded even when holes were given up long ago.
 *
 * The wire form uses LEB128 varints, intervals delta-coded from the floor, so a contiguous run
 * costs a few bytes whatever its length. Deserialize checks every count and length against the
 * bytes available and never reads past them.
 */
class GossipDigest
{
  public:
    typedef boost::icl::interval_set<uint64_t> SeqSet;

    /// Add one sequence number (ignored if below the sender's floor).
    void Add(GossipSenderId sender, uint64_t seq);
    /// Add the closed range [lo, hi] (clipped to the floor).
    void AddRange(GossipSenderId sender, uint64_t lo, uint64_t hi);
    /// Remove one sequence number.
    void Remove(GossipSenderId sender, uint64_t seq);
    bool Contains(GossipSenderId sender, uint64_t seq) const;

    /**
     * Raise the sender's floor: numbers below it are dropped and no longer part of the digest.
     * A floor never goes down. Creates the sender's entry if needed.
     */
    void SetFloor(GossipSenderId sender, uint64_t floor);
    /// \return the sender's floor (0 if unknown).
    uint64_t GetFloor(GossipSenderId sender) const;

    /// \return the senders present (with a floor or numbers), ascending.
    std::vector<GossipSenderId> GetSenders() const;
    /// \return the numbers of a sender (empty if unknown).
    const SeqSet& Get(GossipSenderId sender) const;
    /// \return the highest number of a sender, or false if it has none.
    bool GetHighest(GossipSenderId sender, uint64_t& highest) const;
    /// Total count of sequence numbers.
    uint64_t GetCount() const;
    /// Total count of intervals (what the wire size grows with).
    uint64_t GetIntervalCount() const;
    bool IsEmpty() const;
    void Clear();
    /// Forget a sender entirely (its numbers and its floor).
    void Erase(GossipSenderId sender);

    /**
     * What this digest holds that other lacks, inside both windows (at or above both floors).
     * Called both ways this gives "I have M that you lack" and "please send N".
     */
    GossipDigest Minus(const GossipDigest& other) const;

    /**
     * The numbers in most-recent-first order, at most cap of them. Senders take turns (highest
     * remaining number of each sender in ascending sender order) so one busy sender does not
     * starve the others; within a sender numbers go from high to low, as Ensemble's pbcast does
     * ("the last msg likely cause retrans").
     */
    std::vector<GossipMessageId> MostRecentFirst(uint32_t cap) const;

    /**
     * Keep at most maxIntervals intervals per sender, dropping the oldest (lowest) ones and
     * raising the floor past them, so a digest fits a datagram whatever the history.
     */
    void TruncateOldest(uint32_t maxIntervals);

    /// "1-18 from 3; 11 from 4; 14, 16, 22-71 from 7" (floors shown as "[>=f]" when non-zero).
    std::string ToString() const;

    // ---- wire form (the module's codec, gossip-wire.h) ----
    /// Write the digest with any codec writer (WireSizer, WireWriter, WireVectorWriter).
    template <typename W>
    void Encode(W& w) const;
    /**
     * Read a digest written by Encode. On bytes that are not a valid digest the reader fails
     * with the reason and this digest is left empty.
     * \return r.Ok()
     */
    bool Decode(gossip::WireReader& r);

    uint32_t GetSerializedSize() const;
    void Serialize(Buffer::Iterator& it) const;
    /**
     * Read a digest written by Serialize from at most maxBytes bytes.
     * \return the bytes consumed, or 0 if the bytes are not a valid digest (this digest is then
     * left empty).
     */
    uint32_t Deserialize(Buffer::Iterator& it, uint32_t maxBytes);

    bool operator==(const GossipDigest& o) const;

    /// Limits enforced on decode so garbage cannot make us allocate without bound.
    static constexpr uint32_t MAX_SENDERS = 65535;
    static constexpr uint32_t MAX_INTERVALS = 65535;

  private:
    struct Entry
    {
        uint64_t floor{0};
        SeqSet seqs;
    };

    std::map<GossipSenderId, Entry> m_entries;
};

/// "1-18 from 3; 11 from 4" (ToString).
std::ostream& operator<<(std::ostream& os, const GossipDigest& d);

template <typename W>
void
GossipDigest::Encode(W& w) const
{
    // Intervals delta-coded from the floor: a contiguous run costs a few bytes.
    w.Varint(m_entries.size());
    for (const auto& kv : m_entries)
    {
        w.Varint(kv.first);
        w.Varint(kv.second.floor);
        w.Varint(boost::icl::interval_count(kv.second.seqs));
        uint64_t cursor = kv.second.floor;
        for (const auto& iv : kv.second.seqs)
        {
            uint64_t lo = boost::icl::first(iv);
            uint64_t hi = boost::icl::last(iv);
            w.Varint(lo - cursor);
            w.Varint(hi - lo);
            cursor = hi + 1;
        }
    }
}

} // namespace ns3

#endif /* GOSSIP_DIGEST_H */
