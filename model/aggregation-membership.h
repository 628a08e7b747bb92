/*
 * SPDX-License-Identifier: GPL-2.0-only
 */
#ifndef AGGREGATION_MEMBERSHIP_H
#define AGGREGATION_MEMBERSHIP_H

#include "ns3/ipv4-address.h"

#include <cstdint>
#include <memory>
#include <vector>

namespace ns3
{
namespace aggregation
{

/**
 * \ingroup gossip
 * \return members without repeated addresses (first occurrence kept), or the same pointer when
 * there are none. Random peer selection loops until it draws a distinct peer, so a list of
 * repeats must not reach it. The applications of one install share one list: the last answer is
 * cached, so N applications cost one pass, not N.
 */
std::shared_ptr<const std::vector<Ipv4Address>> Deduplicate(
    std::shared_ptr<const std::vector<Ipv4Address>> members);

/// \ingroup gossip \return how many members differ from self.
uint32_t CountOthers(const std::vector<Ipv4Address>& members, Ipv4Address self);

} // namespace aggregation
} // namespace ns3

#endif /* AGGREGATION_MEMBERSHIP_H */
