/*
 * SPDX-License-Identifier: GPL-2.0-only
 */
#include "aggregation-membership.h"

#include <algorithm>
#include <set>

namespace ns3
{
namespace aggregation
{

std::shared_ptr<const std::vector<Ipv4Address>>
Deduplicate(std::shared_ptr<const std::vector<Ipv4Address>> members)
{
    static std::weak_ptr<const std::vector<Ipv4Address>> lastIn;
    static std::shared_ptr<const std::vector<Ipv4Address>> lastOut;
    if (!members)
    {
        return members;
    }
    if (!lastIn.expired() && lastIn.lock() == members)
    {
        return lastOut;
    }
    std::set<uint32_t> seen;
    auto out = std::make_shared<std::vector<Ipv4Address>>();
    out->reserve(members->size());
    for (const auto& a : *members)
    {
        if (seen.insert(a.Get()).second)
        {
            out->push_back(a);
        }
    }
    lastIn = members;
    lastOut = out->size() == members->size() ? members : out;
    return lastOut;
}

uint32_t
CountOthers(const std::vector<Ipv4Address>& members, Ipv4Address self)
{
    return std::count_if(members.begin(), members.end(), [self](const Ipv4Address& a) {
        return a != self;
    });
}

} // namespace aggregation
} // namespace ns3
