/*
 * SPDX-License-Identifier: GPL-2.0-only
 */
#ifndef LPBCAST_ARCHIVE_H
#define LPBCAST_ARCHIVE_H

#include "gossip-message-id.h"
#include "lpbcast-event.h"

#include <cstdint>
#include <deque>
#include <map>

namespace ns3
{
namespace lpbcast
{

/**
 * \ingroup gossip
 * \brief The delivered events a process keeps to answer retrieve requests: at most a capacity
 * of them, first in first out, each stored with age 0.
 */
class Archive
{
  public:
    explicit Archive(uint32_t capacity = 1000);
    /// Keep at most capacity events (0: keep none); applies from the next Add.
    void SetCapacity(uint32_t capacity);
    /// Keep a delivered event (a known id is not stored twice), dropping the oldest beyond the
    /// capacity.
    void Add(const Event& e);
    /// The event of id, or nullptr if it is not (or no longer) kept.
    const Event* Find(const GossipMessageId& id) const;
    uint32_t GetSize() const;

  private:
    uint32_t m_capacity;
    std::map<GossipMessageId, Event> m_events;
    std::deque<GossipMessageId> m_order; //!< ids in arrival order
};

} // namespace lpbcast
} // namespace ns3

#endif /* LPBCAST_ARCHIVE_H */
