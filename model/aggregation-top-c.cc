/*
 * SPDX-License-Identifier: GPL-2.0-only
 */
#include "aggregation-top-c.h"

#include <algorithm>
#include <cmath>
#include <iterator>
#include <set>

namespace ns3
{
namespace aggregation
{

std::ostream&
operator<<(std::ostream& os, const TopCEntry& e)
{
    return os << e.value << "@" << e.node;
}

bool
TopCMerge::Merge(std::vector<TopCEntry>& mine,
                 const std::vector<TopCEntry>& theirs,
                 uint32_t c,
                 bool largest)
{
    std::vector<TopCEntry> all = mine;
    // NaN has no place in a strict weak order (std::sort would be undefined): never merge one.
    std::copy_if(theirs.begin(), theirs.end(), std::back_inserter(all), [](const TopCEntry& e) {
        return !std::isnan(e.value);
    });
    auto better = [largest](const TopCEntry& a, const TopCEntry& b) {
        if (a.value != b.value)
        {
            return largest ? a.value > b.value : a.value < b.value;
        }
        return a.node < b.node;
    };
    std::sort(all.begin(), all.end(), better);
    std::vector<TopCEntry> out;
    std::set<uint32_t> seen;
    for (const auto& e : all)
    {
        if (out.size() >= c)
        {
            break;
        }
        if (seen.insert(e.node).second)
        {
            out.push_back(e);
        }
    }
    bool changed = out != mine;
    mine = std::move(out);
    return changed;
}

bool
TopCMerge::AllFinite(const std::vector<TopCEntry>& entries)
{
    return std::all_of(entries.begin(), entries.end(), [](const TopCEntry& e) {
        return std::isfinite(e.value);
    });
}

} // namespace aggregation
} // namespace ns3
