/*
 * SPDX-License-Identifier: GPL-2.0-only
 */
#ifndef ASTROLABE_EXCHANGE_H
#define ASTROLABE_EXCHANGE_H

#include "astrolabe-afc-table.h"
#include "astrolabe-header.h"
#include "astrolabe-mib.h"

#include "ns3/ipv4-address.h"

#include <cstdint>
#include <vector>

namespace ns3
{
namespace astrolabe
{

/**
 * \ingroup gossip
 * \brief The gossip exchange of the paper's Section 4.1 as pure functions of an agent's MIB and
 * AFCs at one moment: the GOSSIP a representative sends, the REPLY its partner answers with, and
 * the ROWS that answer the partner's requests. Nothing here changes the MIB (merging what
 * arrives is Mib::MergeRows and AfcTable::Accept); every datagram stays within maxMessage bytes,
 * what does not fit waiting for a later round. The only random draws, through rng, are the start
 * of a digest table cut short (Gossip) and of a class of fresher rows cut short (Reply).
 */
class Exchange
{
  public:
    /**
     * \param now the agent's clock (us)
     * \param live how long a copy counts as live after it last advanced here (us)
     * \param maxMessage the bound on a datagram's payload (bytes)
     * \param maxClockOffset the bound on how far agents' clocks differ (us), with which
     *        `issued` of different reps' copies can be compared (Table::kNoClockBound: never)
     */
    Exchange(const Mib& mib,
             const AfcTable& afcs,
             int64_t now,
             int64_t live,
             uint32_t maxMessage,
             int64_t maxClockOffset = Table::kNoClockBound);

    /**
     * The digest entries of table `level`, sorted by zone id: the copy our view uses for every
     * child zone (ours, for our own zone, when we are its representative) and the other live
     * copies, so that a partner whose view picked another rep's copy still finds the same key.
     */
    std::vector<AstrolabeHeader::DigestEntry> DigestOf(uint32_t level) const;

    /**
     * The GOSSIP a representative at `level` sends: the AFC digest, then the digests of the
     * tables from `level` up to the root. A digest too big for the datagram lists only the
     * view's copy of every zone; if that is still too big, every table gets a fair share of the
     * room, and a table cut short starts at a random child (one rng draw).
     */
    AstrolabeHeader Gossip(uint32_t level, const Rng& rng) const;

    /**
     * The REPLY to a GOSSIP from `from`: the AFCs it lacks or holds older, the names of those it
     * has newer; requests for the rows it has fresher (in at most half of the room); then the
     * rows it lacks, round-robin across the tables: our recent copies of its own zone from reps
     * that do not know it, zones it did not list, our view's copy of zones it lists only with
     * other copies when ours is live or certainly issued after all of theirs (a gossiper left
     * with a former representative's copy gets a current one), then our fresher copies (one rng
     * draw per class of more than one fresher copy, for where it starts).
     *
     * When the requests do not all fit, the tables take turns and each asks first for the
     * copies furthest ahead of our newest copy of the zone. When the rows do not all fit, each
     * table sends the zones the gossiper did not list (from a random one: one more rng draw),
     * then one copy per zone, furthest ahead of the gossiper's newest copy first, then the rest.
     */
    AstrolabeHeader Reply(const AstrolabeHeader& gossip, Ipv4Address from, const Rng& rng) const;

    /// The ROWS (and AFCs) a REPLY requested, as far as they fit.
    AstrolabeHeader Rows(const AstrolabeHeader& reply) const;

  private:
    /// DigestOf(level) in two parts, unsorted: the view's copies (ours for our own zone when
    /// we publish it) into `out`, the other live copies into `others`.
    void DigestParts(uint32_t level,
                     std::vector<AstrolabeHeader::DigestEntry>& out,
                     std::vector<AstrolabeHeader::DigestEntry>& others) const;
    /// An empty datagram of this type from us, and the room left in it.
    AstrolabeHeader Start(AstrolabeHeader::Type type, uint32_t& budget) const;
    void FillAfcDigest(AstrolabeHeader& h, uint32_t& budget) const;
    void FillDigest(AstrolabeHeader& h, uint32_t fromLevel, uint32_t& budget, const Rng& rng) const;
    /// Add a row of table `zone` if it fits (in the last block, or a new one).
    static bool AddRow(AstrolabeHeader& h, const std::string& zone, const Row& r, uint32_t& budget);

    const Mib& m_mib;
    const AfcTable& m_afcs;
    int64_t m_now;
    int64_t m_live;
    uint32_t m_maxMessage;
    int64_t m_maxClockOffset;
};

} // namespace astrolabe
} // namespace ns3

#endif /* ASTROLABE_EXCHANGE_H */
