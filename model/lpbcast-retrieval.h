/*
 * SPDX-License-Identifier: GPL-2.0-only
 */
#ifndef LPBCAST_RETRIEVAL_H
#define LPBCAST_RETRIEVAL_H

#include "gossip-message-id.h"

#include <cstdint>
#include <functional>
#include <map>
#include <vector>

namespace ns3
{
namespace lpbcast
{

/**
 * \ingroup gossip
 * \brief lpbcast's retrieveBuf: ids seen in digests but not delivered, and whom to ask when.
 *
 * After k rounds the gossip sender that advertised the id is asked; r rounds later a random view
 * member; r rounds after that the originator; after another r rounds the id is given up.
 */
class Retrieval
{
  public:
    /// A retrieve request to send.
    struct Request
    {
        uint32_t target;    //!< the process to ask (IPv4 address as a uint32)
        GossipMessageId id; //!< the event wanted
        uint32_t stage;     //!< 1 gossip sender, 2 random view member, 3 originator
    };

    Retrieval(uint32_t k = 3, uint32_t r = 2, uint32_t max = 240);
    void Configure(uint32_t k, uint32_t r, uint32_t max);
    /// Note a missing id advertised by sender in round. \return false if known or full.
    bool Add(const GossipMessageId& id, uint32_t round, uint32_t sender);
    /// The id arrived (by gossip or reply).
    void Remove(const GossipMessageId& id);
    /**
     * Requests due in this round. Entries whose id has been delivered meanwhile are dropped.
     * \param round the current round
     * \param delivered whether an id is already delivered
     * \param randomMember a random view member
     * \return the requests, in id order
     */
    std::vector<Request> Due(uint32_t round,
                             const std::function<bool(const GossipMessageId&)>& delivered,
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
    std::map<GossipMessageId, Entry> m_entries;
    uint64_t m_givenUp{0};
};

} // namespace lpbcast
} // namespace ns3

#endif /* LPBCAST_RETRIEVAL_H */
