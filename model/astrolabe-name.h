/*
 * SPDX-License-Identifier: GPL-2.0-only
 */
#ifndef ASTROLABE_NAME_H
#define ASTROLABE_NAME_H

#include <cstdint>
#include <functional>
#include <ostream>
#include <string>
#include <utility>

namespace ns3
{
namespace astrolabe
{

/**
 * \ingroup gossip
 * \brief An interned zone or agent path ("/dc0/rack07/host12").
 *
 * Every agent keys its tables by (zone, rep) paths and copies them into views, digests and
 * replies many times a round; the same few thousand paths recur at every agent. A name is one
 * pointer to a shared, reference-counted string: copies cost no allocation, equality is a
 * pointer comparison, and a table entry keeps 16 bytes of key instead of two strings. Names
 * order by their text, exactly as the strings would, so tables iterate in the same order; the
 * comparison reads one number per name (an order label kept consistent with the text as names
 * are interned), not the texts, whose compares were most of a table lookup's cost.
 * Single-threaded, like the ns-3 simulator.
 */
class Name
{
  public:
    Name(); //!< the empty name
    Name(const std::string& text);
    Name(const char* text);

    // Copies only count references: inline, as tables and views copy names all the time.
    Name(const Name& o)
        : m_rep(o.m_rep)
    {
        ++m_rep->refs;
    }

    Name(Name&& o) noexcept
        : m_rep(o.m_rep)
    {
        ++m_rep->refs; // o stays a valid name
    }

    Name& operator=(const Name& o)
    {
        if (m_rep != o.m_rep)
        {
            ++o.m_rep->refs;
            Release(m_rep);
            m_rep = o.m_rep;
        }
        return *this;
    }

    Name& operator=(Name&& o) noexcept
    {
        std::swap(m_rep, o.m_rep);
        return *this;
    }

    ~Name()
    {
        Release(m_rep);
    }

    const std::string& str() const
    {
        return m_rep->text;
    }

    operator const std::string&() const
    {
        return m_rep->text;
    }

    bool empty() const
    {
        return m_rep->text.empty();
    }

    size_t size() const
    {
        return m_rep->text.size();
    }

    /// Distinct names alive (for tests and memory accounting).
    static size_t GetNInterned();

    /// The identity: equal names, and only they, have the same one.
    const void* Identity() const
    {
        return m_rep;
    }

    /// A hash of the identity (equal names hash equal).
    size_t Hash() const
    {
        return std::hash<const void*>()(m_rep);
    }

    friend bool operator==(const Name& a, const Name& b)
    {
        return a.m_rep == b.m_rep;
    }

    friend bool operator!=(const Name& a, const Name& b)
    {
        return a.m_rep != b.m_rep;
    }

    friend bool operator<(const Name& a, const Name& b)
    {
        return a.m_rep->order < b.m_rep->order;
    }

    friend bool operator>(const Name& a, const Name& b)
    {
        return b < a;
    }

    friend bool operator<=(const Name& a, const Name& b)
    {
        return !(b < a);
    }

    friend bool operator>=(const Name& a, const Name& b)
    {
        return !(a < b);
    }

    friend bool operator==(const Name& a, const std::string& b)
    {
        return a.m_rep->text == b;
    }

    friend bool operator==(const std::string& a, const Name& b)
    {
        return a == b.m_rep->text;
    }

    friend bool operator!=(const Name& a, const std::string& b)
    {
        return a.m_rep->text != b;
    }

    friend bool operator!=(const std::string& a, const Name& b)
    {
        return a != b.m_rep->text;
    }

    friend bool operator==(const Name& a, const char* b)
    {
        return a.m_rep->text == b;
    }

    friend bool operator!=(const Name& a, const char* b)
    {
        return a.m_rep->text != b;
    }

    friend std::ostream& operator<<(std::ostream& os, const Name& n)
    {
        return os << n.m_rep->text;
    }

  private:
    struct Rep
    {
        std::string text;
        uint32_t refs;
        /// the rank of text among the interned names, kept as they come and go (Ranks())
        uint64_t order;
    };

    static Rep* Intern(const std::string& text);

    static void Release(Rep* rep)
    {
        if (--rep->refs == 0)
        {
            Forget(rep);
        }
    }

    /// Takes a rep nobody refers to out of the index and deletes it.
    static void Forget(Rep* rep);
    /// Gives a new rep an order between its neighbours' in text order.
    static void Rank(Rep* rep);

    Rep* m_rep;
};

} // namespace astrolabe
} // namespace ns3

template <>
struct std::hash<ns3::astrolabe::Name>
{
    size_t operator()(const ns3::astrolabe::Name& n) const
    {
        return n.Hash();
    }
};

#endif /* ASTROLABE_NAME_H */
