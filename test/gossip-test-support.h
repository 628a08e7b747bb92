/*
 * SPDX-License-Identifier: GPL-2.0-only
 *
 * What the module's ns-3 test suites share.
 */
#ifndef GOSSIP_TEST_SUPPORT_H
#define GOSSIP_TEST_SUPPORT_H

#include "ns3/rng-seed-manager.h"

#include <cstdint>

namespace ns3
{
namespace gossip_test
{

/**
 * Pins the global RngSeed and RngRun for a scenario and restores what they were when it ends,
 * so a case never changes what later cases and suites in the same process run with (ns-3 before
 * 3.42 does not reset them between cases).
 */
class RngRun
{
  public:
    /// Keep the current seed and run; restore them at the end of the scope.
    RngRun()
        : m_seed(RngSeedManager::GetSeed()),
          m_run(RngSeedManager::GetRun())
    {
    }

    /// Pin seed and run for the scope.
    RngRun(uint64_t run, uint32_t seed = 1)
        : RngRun()
    {
        RngSeedManager::SetSeed(seed);
        RngSeedManager::SetRun(run);
    }

    ~RngRun()
    {
        RngSeedManager::SetSeed(m_seed);
        RngSeedManager::SetRun(m_run);
    }

    RngRun(const RngRun&) = delete;
    RngRun& operator=(const RngRun&) = delete;

  private:
    uint32_t m_seed;
    uint64_t m_run;
};

} // namespace gossip_test
} // namespace ns3

#endif /* GOSSIP_TEST_SUPPORT_H */
