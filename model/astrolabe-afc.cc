/*
 * SPDX-License-Identifier: GPL-2.0-only
 */
#include "astrolabe-afc.h"

#include <sstream>
#include <unordered_map>

namespace ns3
{
namespace astrolabe
{

bool
Afc::Init(const std::string& name,
          const std::string& text,
          int64_t issued,
          int64_t expires,
          uint32_t maxOutputBytes,
          const std::string& issuer,
          SqlError& error)
{
    m_name = name;
    m_text = text;
    m_issued = issued;
    m_expires = expires;
    m_maxOutputBytes = maxOutputBytes;
    m_issuer = issuer;
    if (name.empty() || name.size() > 64)
    {
        error = SqlError{0, name, "AFC name must be 1..64 characters"};
        m_query.reset();
        return false;
    }
    m_query = ParseShared(text, error);
    return m_query != nullptr;
}

namespace
{
/// query text -> the query parsed from it, while some AFC holds it
using QueryCache = std::unordered_map<std::string, std::weak_ptr<const Query>>;

QueryCache&
Queries()
{
    static QueryCache* cache = new QueryCache(); // never destroyed, like its users may not be
    return *cache;
}

/// Takes a query out of the cache with its last AFC.
struct QueryDeleter
{
    std::string text;

    void operator()(const Query* q) const
    {
        auto it = Queries().find(text);
        if (it != Queries().end() && it->second.expired())
        {
            Queries().erase(it);
        }
        delete q;
    }
};
} // namespace

std::shared_ptr<const Query>
Afc::ParseShared(const std::string& text, SqlError& error)
{
    // Every agent holds the same few AFCs, and every gossip that carries one is decoded and
    // its text checked: parse each text once and share the (immutable) result.
    auto it = Queries().find(text);
    if (it != Queries().end())
    {
        if (auto q = it->second.lock())
        {
            return q;
        }
    }
    auto* parsed = new Query();
    if (!Query::Parse(text, *parsed, error))
    {
        delete parsed;
        return nullptr;
    }
    std::shared_ptr<const Query> q(parsed, QueryDeleter{text});
    Queries()[text] = q;
    return q;
}

const std::string&
Afc::GetName() const
{
    return m_name;
}

const std::string&
Afc::GetText() const
{
    return m_text;
}

int64_t
Afc::GetIssued() const
{
    return m_issued;
}

int64_t
Afc::GetExpires() const
{
    return m_expires;
}

uint32_t
Afc::GetMaxOutputBytes() const
{
    return m_maxOutputBytes;
}

const std::string&
Afc::GetIssuer() const
{
    return m_issuer;
}

const Query&
Afc::GetQuery() const
{
    static const Query empty;
    return m_query ? *m_query : empty;
}

bool
Afc::IsValid() const
{
    return m_query != nullptr;
}

bool
Afc::Supersedes(const Afc& other) const
{
    if (m_issued != other.m_issued)
    {
        return m_issued > other.m_issued;
    }
    if (m_issuer != other.m_issuer)
    {
        return m_issuer > other.m_issuer;
    }
    return m_text > other.m_text;
}

bool
Afc::operator==(const Afc& o) const
{
    return m_name == o.m_name && m_text == o.m_text && m_issued == o.m_issued &&
           m_expires == o.m_expires && m_maxOutputBytes == o.m_maxOutputBytes &&
           m_issuer == o.m_issuer;
}

bool
Afc::operator!=(const Afc& o) const
{
    return !(*this == o);
}

std::string
Afc::SystemAfcText(uint32_t k, bool electByLoad)
{
    std::ostringstream os;
    os << "SELECT SUM(nmembers) AS nmembers, MAX(depth)+1 AS depth, "
       << (electByLoad ? "MIN(load) AS load, " : "") << "FIRST(" << k
       << ", contacts) AS contacts, FIRST(" << k << ", servers) AS servers"
       << (electByLoad ? " ORDER BY load" : "");
    return os.str();
}

} // namespace astrolabe
} // namespace ns3
