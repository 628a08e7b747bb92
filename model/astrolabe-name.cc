/*
 * SPDX-License-Identifier: GPL-2.0-only
 */
#include "astrolabe-name.h"

#include "astrolabe-intern-index.h"

#include <iterator>
#include <limits>
#include <set>
#include <string_view>

namespace ns3
{
namespace astrolabe
{

namespace
{
/// The entry's text, for the index
struct TextOfRep
{
    template <typename Rep>
    std::string_view operator()(const Rep& rep) const
    {
        return rep.text;
    }
};

/// Every interned rep in text order: where a new one's order label goes.
struct ByText
{
    template <typename Rep>
    bool operator()(const Rep* a, const Rep* b) const
    {
        return a->text < b->text;
    }
};

template <typename Rep>
std::set<Rep*, ByText>&
Ranks()
{
    static auto* ranks = new std::set<Rep*, ByText>(); // never destroyed, as Names()
    return *ranks;
}

/// text -> its one shared representation
template <typename Rep>
InternIndex<Rep, TextOfRep>&
Names()
{
    // never destroyed: names may be released during static destruction
    static auto* names = new InternIndex<Rep, TextOfRep>();
    return *names;
}
} // namespace

Name::Rep*
Name::Intern(const std::string& text)
{
    auto& names = Names<Rep>();
    const size_t hash = names.Hash(text);
    if (Rep* rep = names.Find(text, hash))
    {
        ++rep->refs;
        return rep;
    }
    Rep* rep = new Rep{text, 1, 0};
    names.Insert(rep, hash);
    Rank(rep);
    return rep;
}

void
Name::Rank(Rep* rep)
{
    auto& ranks = Ranks<Rep>();
    auto it = ranks.insert(rep).first;
    // labels run strictly between 0 and the maximum, so both ends always have room
    const uint64_t below = it == ranks.begin() ? 0 : (*std::prev(it))->order;
    const auto next = std::next(it);
    const uint64_t above =
        next == ranks.end() ? std::numeric_limits<uint64_t>::max() : (*next)->order;
    if (above - below > 1)
    {
        rep->order = below + (above - below) / 2;
        return;
    }
    // No room between the neighbours (halving ran out after some 60 names in one gap):
    // spread every label evenly again. Order is kept, so no container's order changes.
    const uint64_t step = std::numeric_limits<uint64_t>::max() / (ranks.size() + 1);
    uint64_t label = 0;
    for (Rep* r : ranks)
    {
        label += step;
        r->order = label;
    }
}

void
Name::Forget(Rep* rep)
{
    auto& names = Names<Rep>();
    names.Erase(rep, names.Hash(rep->text));
    Ranks<Rep>().erase(rep);
    delete rep;
}

Name::Name()
    : m_rep(Intern(std::string()))
{
}

Name::Name(const std::string& text)
    : m_rep(Intern(text))
{
}

Name::Name(const char* text)
    : m_rep(Intern(std::string(text)))
{
}

size_t
Name::GetNInterned()
{
    return Names<Rep>().size();
}

} // namespace astrolabe
} // namespace ns3
