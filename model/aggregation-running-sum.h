/*
 * SPDX-License-Identifier: GPL-2.0-only
 */
#ifndef AGGREGATION_RUNNING_SUM_H
#define AGGREGATION_RUNNING_SUM_H

#include "aggregation-push-sum.h"

#include <cstdint>
#include <map>
#include <utility>

namespace ns3
{
namespace aggregation
{

/**
 * \ingroup gossip
 * \brief Running sums for loss-tolerant push-sum ("robust ratio consensus").
 *
 * A sender keeps, per out-neighbour, the total mass it ever sent (σ) and a sequence number, and
 * sends the totals rather than the increment. A receiver keeps the last totals it applied (ρ)
 * per in-neighbour and adds σ − ρ. A lost datagram only delays mass: the next one carries it.
 * Reordered (older) datagrams are recognised by their sequence number and ignored.
 */
class RunningSumLedger
{
  public:
    /// Largest accepted sequence-number jump.
    static constexpr uint32_t MAX_SEQ_JUMP = 1U << 31;

    /// Add m to the totals towards peer. \return the new totals and their sequence number.
    std::pair<Mass, uint32_t> AddSent(uint32_t peer, const Mass& m);
    /// Totals last sent to peer (zero if none).
    Mass GetSent(uint32_t peer) const;
    /**
     * Apply totals received from peer.
     * \return the mass to add to the local state (zero for stale or duplicate datagrams).
     */
    Mass Receive(uint32_t peer, const Mass& totals, uint32_t seq);
    /**
     * \return true if seq is implausible for peer: a jump of more than 2^31 past the last applied
     * one. Such a datagram would make every later real one look stale and pin the peer; Receive
     * ignores it, and the caller drops it as malformed.
     */
    bool IsImplausible(uint32_t peer, uint32_t seq) const;
    /// Totals applied from peer so far (zero if none).
    Mass GetReceived(uint32_t peer) const;

  private:
    /// Per out-neighbour: totals sent and the last sequence number.
    struct Out
    {
        Mass total;
        uint32_t seq{0};
    };

    /// Per in-neighbour: totals applied and their sequence number.
    struct In
    {
        Mass total;
        uint32_t seq{0};
        bool any{false};
    };

    std::map<uint32_t, Out> m_out;
    std::map<uint32_t, In> m_in;
};

} // namespace aggregation
} // namespace ns3

#endif /* AGGREGATION_RUNNING_SUM_H */
