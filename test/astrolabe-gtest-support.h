/*
 * SPDX-License-Identifier: GPL-2.0-only
 */
#ifndef ASTROLABE_GTEST_SUPPORT_H
#define ASTROLABE_GTEST_SUPPORT_H

// Fixtures shared by the Astrolabe logic tests.

#include "ns3/astrolabe-value.h"

#include <cstdint>
#include <string>

namespace ns3
{
namespace astrolabe_test
{

/// A host row with load, nmembers 1 and depth 0.
inline astrolabe::Row
HostRow(const std::string& id, double load, int64_t issued = 1)
{
    astrolabe::Row r(id, id, issued);
    r.Set("load", astrolabe::Value(load));
    r.Set("nmembers", astrolabe::Value(int64_t{1}));
    r.Set("depth", astrolabe::Value(int64_t{0}));
    return r;
}

} // namespace astrolabe_test
} // namespace ns3

#endif // ASTROLABE_GTEST_SUPPORT_H
