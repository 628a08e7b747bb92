/*
 * SPDX-License-Identifier: GPL-2.0-only
 */
#ifndef LPBCAST_EVENT_BUFFER_H
#define LPBCAST_EVENT_BUFFER_H

#include "lpbcast-event.h"
#include "lpbcast-rng.h"

#include <cstdint>
#include <vector>

namespace ns3
{
namespace lpbcast
{

/**
 * \ingroup gossip
 * \brief lpbcast's `events` buffer with random (TOCS) or age-based (Kouznetsov et al., SRDS
 * 2001) purging.
 */
class EventBuffer
{
  public:
    /// How the buffer is brought back to its bound.
    enum Purging
    {
        RANDOM_PURGING, //!< remove random events until the bound holds
        AGE_PURGING     //!< out-of-date events first (LONG_AGO), then the oldest (largest age)
    };

    EventBuffer(uint32_t max = 30, Purging purging = RANDOM_PURGING, uint32_t longAgo = 5);
    void Configure(uint32_t max, Purging purging, uint32_t longAgo);

    bool Contains(const GossipMessageId& id) const;
    /// Add an event (not checked against the bound: call Purge()).
    void Add(const Event& e);
    /// Age-based variant: a copy arrived again; keep the larger age. \return true if buffered.
    bool MergeAge(const GossipMessageId& id, uint32_t age);
    /// Enforce the bound. \return the ids removed, in removal order.
    std::vector<GossipMessageId> Purge(const Rng& rng);
    /// Increment every event's age (once per gossip round).
    void IncrementAges();
    /// Remove events with age >= maxAge (0: never). \return how many were removed.
    uint32_t RemoveAged(uint32_t maxAge);
    void Clear();
    /// The events, in arrival order.
    const std::vector<Event>& Get() const;
    uint32_t GetSize() const;

  private:
    uint32_t m_max;
    Purging m_purging;
    uint32_t m_longAgo;
    std::vector<Event> m_events; //!< in arrival order
};

} // namespace lpbcast
} // namespace ns3

#endif /* LPBCAST_EVENT_BUFFER_H */
