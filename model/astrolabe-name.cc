/*
 * SPDX-License-Identifier: GPL-2.0-only
 */
#include "astrolabe-name.h"

#include "astrolabe-intern-index.h"

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
    Rep* rep = new Rep{text, 1};
    names.Insert(rep, hash);
    return rep;
}

void
Name::Release(Rep* rep)
{
    if (--rep->refs == 0)
    {
        auto& names = Names<Rep>();
        names.Erase(rep, names.Hash(rep->text));
        delete rep;
    }
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

Name::Name(const Name& o)
    : m_rep(o.m_rep)
{
    ++m_rep->refs;
}

Name::Name(Name&& o) noexcept
    : m_rep(o.m_rep)
{
    ++m_rep->refs; // o stays a valid name
}

Name&
Name::operator=(const Name& o)
{
    if (m_rep != o.m_rep)
    {
        ++o.m_rep->refs;
        Release(m_rep);
        m_rep = o.m_rep;
    }
    return *this;
}

Name&
Name::operator=(Name&& o) noexcept
{
    std::swap(m_rep, o.m_rep);
    return *this;
}

Name::~Name()
{
    Release(m_rep);
}

size_t
Name::GetNInterned()
{
    return Names<Rep>().size();
}

} // namespace astrolabe
} // namespace ns3
