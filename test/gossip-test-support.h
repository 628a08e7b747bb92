/*
 * SPDX-License-Identifier: GPL-2.0-only
 *
 * What the module's ns-3 test suites share.
 */
#ifndef GOSSIP_TEST_SUPPORT_H
#define GOSSIP_TEST_SUPPORT_H

// Under AddressSanitizer malloc is ASan's: the heap in use is asked from it.
#if defined(__SANITIZE_ADDRESS__)
#define GOSSIP_TEST_ASAN 1
#elif defined(__has_feature)
#if __has_feature(address_sanitizer)
#define GOSSIP_TEST_ASAN 1
#endif
#endif
#ifdef GOSSIP_TEST_ASAN
#include <cstddef>
// From ASan's runtime (clang's sanitizer/allocator_interface.h, which GCC does not ship).
extern "C" size_t __sanitizer_get_current_allocated_bytes();
#endif

#include "ns3/gossip-message-id.h"
#include "ns3/nstime.h"
#include "ns3/packet.h"
#include "ns3/rng-seed-manager.h"

#include <cstdint>
#include <fstream>
#if defined(__GLIBC__)
#include <malloc.h>
#endif
#include <map>
#include <sstream>
#include <string>
#include <utility>
#include <vector>

namespace ns3
{
namespace gossip_test
{

/**
 * Bytes of heap this process has allocated and not freed (0 where it cannot be asked). Unlike
 * the resident set, it does not count memory the allocator keeps after a free, nor ASan's
 * quarantine and shadow, so it shows a leak or growth byte for byte in any build.
 */
inline uint64_t
HeapInUseBytes()
{
#if defined(GOSSIP_TEST_ASAN)
    return __sanitizer_get_current_allocated_bytes();
#elif defined(__GLIBC__) && (__GLIBC__ > 2 || (__GLIBC__ == 2 && __GLIBC_MINOR__ >= 33))
    struct mallinfo2 mi = mallinfo2();
    return mi.uordblks + mi.hblkhd; // in use from the arena, and in mmapped chunks
#else
    return 0;
#endif
}

/**
 * Fills ns-3's packet-buffer cache so that it no longer grows. Buffer keeps up to 1,001 freed
 * buffers for reuse (src/network/model/buffer.cc), each at least as large as the largest buffer
 * seen so far; over several runs that cache fills, and the heap grows by a few kB a run without
 * any leak (ns-3.43 and 3.48 grew 5 kB a pbcast run). Once it holds 1,001 buffers larger than
 * any the scenario asks for, every later buffer is either taken from it and given back, or
 * smaller than the cache's size and freed, so the heap in use between runs is flat.
 */
inline void
FillPacketBufferCache(uint32_t bytes = 16 * 1024)
{
    const std::vector<uint8_t> payload(bytes); // real bytes: a zero-sized packet holds no buffer
    std::vector<Ptr<Packet>> held;
    for (int i = 0; i < 1100; ++i)
    {
        held.push_back(Create<Packet>(payload.data(), bytes));
    }
}

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

/**
 * The bookkeeping of a soak test: per member the intervals it was up (or subscribed), per
 * message who delivered it until it is checked, and what was owed and missed. A message is
 * forgotten once checked, so the test's own memory does not grow with the run.
 */
class SoakLedger
{
  public:
    /// n members, each up from 0 to end unless SetUp says otherwise.
    void Reset(uint32_t n, Time end)
    {
        m_up.assign(n, {{Seconds(0), end}});
    }

    /// Member i's up intervals, [from, to) each, replacing the default.
    void SetUp(uint32_t i, std::vector<std::pair<Time, Time>> intervals)
    {
        m_up[i] = std::move(intervals);
    }

    /// Whether member i was up without a break from a to b.
    bool UpThroughout(uint32_t i, Time a, Time b) const
    {
        for (const auto& iv : m_up[i])
        {
            if (iv.first <= a && b <= iv.second)
            {
                return true;
            }
        }
        return false;
    }

    void Sent(const GossipMessageId& id)
    {
        m_delivered[id].assign(m_up.size(), false);
        ++m_messages;
    }

    void Delivered(uint32_t i, const GossipMessageId& id)
    {
        auto it = m_delivered.find(id);
        if (it != m_delivered.end())
        {
            it->second[i] = true;
        }
    }

    /**
     * id, sent at `sent` by member `origin`, is owed to every other member up from
     * sent - before to sent + after; record those that did not deliver it, then forget it.
     */
    void Check(const GossipMessageId& id, Time sent, uint32_t origin, Time before, Time after)
    {
        const std::vector<bool>& got = m_delivered[id];
        for (uint32_t i = 0; i < got.size(); ++i)
        {
            if (i == origin || !UpThroughout(i, sent - before, sent + after))
            {
                continue;
            }
            ++m_owed;
            if (!got[i])
            {
                std::ostringstream m;
                m << id << " sent " << sent.GetSeconds() << " s, member " << i;
                m_missed.push_back(m.str());
            }
        }
        m_delivered.erase(id);
    }

    uint64_t GetMessages() const
    {
        return m_messages;
    }

    uint64_t GetOwed() const
    {
        return m_owed;
    }

    const std::vector<std::string>& GetMissed() const
    {
        return m_missed;
    }

    /// This process's resident memory in kB (0 where /proc is missing).
    static uint64_t RssKb()
    {
        std::ifstream statm("/proc/self/statm");
        uint64_t pages = 0;
        uint64_t resident = 0;
        statm >> pages >> resident;
        return resident * 4; // 4 kB pages
    }

  private:
    std::vector<std::vector<std::pair<Time, Time>>> m_up;
    std::map<GossipMessageId, std::vector<bool>> m_delivered;
    uint64_t m_messages{0};
    uint64_t m_owed{0};
    std::vector<std::string> m_missed;
};

} // namespace gossip_test
} // namespace ns3

#endif /* GOSSIP_TEST_SUPPORT_H */
