/*
 * SPDX-License-Identifier: GPL-2.0-only
 */
#include "astrolabe-name.h"

#include <string_view>
#include <unordered_map>

namespace ns3
{
namespace astrolabe
{

namespace
{
/// text -> its one shared representation (the view points into the representation)
template <typename Rep>
std::unordered_map<std::string_view, Rep*>&
Names()
{
    // never destroyed: names may be released during static destruction
    static auto* names = new std::unordered_map<std::string_view, Rep*>();
    return *names;
}
} // namespace

Name::Rep*
Name::Intern(const std::string& text)
{
    auto& names = Names<Rep>();
    auto it = names.find(std::string_view(text));
    if (it != names.end())
    {
        ++it->second->refs;
        return it->second;
    }
    Rep* rep = new Rep{text, 1};
    names.emplace(std::string_view(rep->text), rep);
    return rep;
}

void
Name::Release(Rep* rep)
{
    if (--rep->refs == 0)
    {
        Names<Rep>().erase(std::string_view(rep->text));
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
