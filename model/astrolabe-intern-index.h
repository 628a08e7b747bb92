/*
 * SPDX-License-Identifier: GPL-2.0-only
 */
#ifndef ASTROLABE_INTERN_INDEX_H
#define ASTROLABE_INTERN_INDEX_H

#include <cstddef>
#include <functional>
#include <string_view>
#include <vector>

namespace ns3
{
namespace astrolabe
{

/**
 * \ingroup gossip
 * \brief text -> the one shared entry that holds it: the index behind interned names and the
 * attribute pool, which every decoded datagram consults once per name and row.
 *
 * Open addressing with linear probing over one array of (hash, entry) slots. A lookup touches
 * one slot and then, on a hash match, the entry's text; std::unordered_map walked a bucket, a
 * node before the match and the node, each a cache miss once the index outgrows the caches
 * (10,000 agents intern tens of thousands of names and pool more attribute lists), and that
 * walk was 13 % of an Astrolabe run's cycles. Boost 1.74 has no flat hash map
 * (unordered_flat_map came in 1.81). Entries are not owned, and the index is never iterated,
 * so its order cannot leak into a simulation.
 *
 * \tparam Entry what is indexed
 * \tparam TextOf a function object: std::string_view (const Entry&), the entry's text
 */
template <typename Entry, typename TextOf>
class InternIndex
{
  public:
    static size_t Hash(std::string_view text)
    {
        return std::hash<std::string_view>()(text);
    }

    /// The entry that holds text, or nullptr.
    Entry* Find(std::string_view text, size_t hash) const
    {
        if (m_slots.empty())
        {
            return nullptr;
        }
        for (size_t i = hash & m_mask;; i = (i + 1) & m_mask)
        {
            const Slot& s = m_slots[i];
            if (s.entry == nullptr)
            {
                return nullptr;
            }
            if (s.hash == hash && TextOf()(*s.entry) == text)
            {
                return s.entry;
            }
        }
    }

    /// Adds an entry whose text is not in the index yet.
    void Insert(Entry* entry, size_t hash)
    {
        if (2 * (m_size + 1) > m_slots.size())
        {
            Grow();
        }
        Place(entry, hash);
        ++m_size;
    }

    /// Takes out an entry (nothing if it is not in the index).
    void Erase(const Entry* entry, size_t hash)
    {
        if (m_slots.empty())
        {
            return;
        }
        size_t i = hash & m_mask;
        while (m_slots[i].entry != entry)
        {
            if (m_slots[i].entry == nullptr)
            {
                return;
            }
            i = (i + 1) & m_mask;
        }
        // Backward shift: move later entries of the probe run into the hole, so that no
        // lookup stops early at it (no tombstones to clean up).
        for (size_t j = (i + 1) & m_mask; m_slots[j].entry != nullptr; j = (j + 1) & m_mask)
        {
            const size_t home = m_slots[j].hash & m_mask;
            // j's entry may fill the hole at i unless its home lies cyclically in (i, j]
            const bool homeAfterHole = i <= j ? (i < home && home <= j) : (i < home || home <= j);
            if (!homeAfterHole)
            {
                m_slots[i] = m_slots[j];
                i = j;
            }
        }
        m_slots[i] = Slot();
        --m_size;
    }

    size_t size() const
    {
        return m_size;
    }

  private:
    struct Slot
    {
        size_t hash = 0;
        Entry* entry = nullptr;
    };

    void Place(Entry* entry, size_t hash)
    {
        size_t i = hash & m_mask;
        while (m_slots[i].entry != nullptr)
        {
            i = (i + 1) & m_mask;
        }
        m_slots[i] = Slot{hash, entry};
    }

    void Grow()
    {
        std::vector<Slot> old(m_slots.empty() ? 1024 : 2 * m_slots.size());
        old.swap(m_slots);
        m_mask = m_slots.size() - 1;
        for (const Slot& s : old)
        {
            if (s.entry != nullptr)
            {
                Place(s.entry, s.hash);
            }
        }
    }

    std::vector<Slot> m_slots;
    size_t m_mask = 0;
    size_t m_size = 0;
};

} // namespace astrolabe
} // namespace ns3

#endif /* ASTROLABE_INTERN_INDEX_H */
