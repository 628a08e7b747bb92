/*
 * SPDX-License-Identifier: GPL-2.0-only
 */
#ifndef LPBCAST_TEST_RNG_H
#define LPBCAST_TEST_RNG_H

#include "ns3/lpbcast-event.h"
#include "ns3/lpbcast-rng.h"

#include <random>

namespace ns3
{
namespace lpbcast
{
namespace test
{

/// A seeded std::mt19937 as the lpbcast::Rng of the plain classes' unit tests.
struct TestRng
{
    explicit TestRng(uint32_t seed)
        : gen(seed)
    {
    }

    Rng Fn()
    {
        return
            [this](uint32_t n) { return std::uniform_int_distribution<uint32_t>(0, n - 1)(gen); };
    }

    std::mt19937 gen;
};

/// An event of origin, seq and age, without payload.
inline Event
Ev(uint32_t origin, uint32_t seq, uint32_t age = 0)
{
    Event e;
    e.id = {origin, seq};
    e.age = age;
    return e;
}

} // namespace test
} // namespace lpbcast
} // namespace ns3

#endif /* LPBCAST_TEST_RNG_H */
