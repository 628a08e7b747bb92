/*
 * SPDX-License-Identifier: GPL-2.0-only
 */
#ifndef LPBCAST_RNG_H
#define LPBCAST_RNG_H

#include <cstdint>
#include <functional>

namespace ns3
{
namespace lpbcast
{

/**
 * \ingroup gossip
 * Uniform random integer in [0, n), n > 0. The application passes its ns-3 random variable, the
 * unit tests a seeded std::mt19937, so every random choice of lpbcast's state is reproducible.
 */
using Rng = std::function<uint32_t(uint32_t n)>;

} // namespace lpbcast
} // namespace ns3

#endif /* LPBCAST_RNG_H */
