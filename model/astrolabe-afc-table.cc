/*
 * SPDX-License-Identifier: GPL-2.0-only
 */
#include "astrolabe-afc-table.h"

#include "astrolabe-codec.h"

namespace ns3
{
namespace astrolabe
{

void
AfcTable::SetMaxAfcs(uint32_t n)
{
    m_maxAfcs = n;
}

uint32_t
AfcTable::GetMaxAfcs() const
{
    return m_maxAfcs;
}

bool
AfcTable::InstallSystem(uint32_t k, bool electByLoad, std::string& error)
{
    if (m_afcs.find("system") != m_afcs.end())
    {
        return true;
    }
    SqlError err;
    if (!m_system.Init("system", Afc::SystemAfcText(k, electByLoad), 0, 0, 0, "", err))
    {
        error = err.ToString();
        return false;
    }
    m_afcs["system"] = m_system;
    return true;
}

std::string
AfcTable::Refuse(const std::string& name, const Afc* afc) const
{
    // the built-in system AFC (issued 0) elects representatives; anyone could beat issued 0
    if (name == "system")
    {
        return "the name 'system' is reserved for the built-in AFC";
    }
    if (afc && afc->IsValid())
    {
        // user AFCs run after the system AFC and may recompute nmembers (and user columns),
        // but contacts/servers/depth drive the protocol itself (id/rep/issued: refused by Parse)
        for (const auto& out : afc->GetQuery().GetOutputNames())
        {
            if (out == "contacts" || out == "servers" || out == "depth")
            {
                return "AFC '" + name + "' may not define the reserved column '" + out + "'";
            }
        }
    }
    if (m_afcs.find(name) == m_afcs.end() && GetNUser() >= m_maxAfcs)
    {
        return "AFC '" + name + "' dropped: MaxAfcs (" + std::to_string(m_maxAfcs) + ") reached";
    }
    return "";
}

bool
AfcTable::Prepare(const std::string& name,
                  const std::string& text,
                  int64_t now,
                  int64_t expires,
                  uint32_t maxOutputBytes,
                  const std::string& issuer,
                  uint32_t maxSize,
                  Afc& afc,
                  std::string& error) const
{
    std::string why = Refuse(name, nullptr);
    if (!why.empty())
    {
        error = why;
        return false;
    }
    // issued must beat the AFC it replaces even if our clock is behind the issuer's
    int64_t issued = now;
    auto it = m_afcs.find(name);
    if (it != m_afcs.end() && it->second.GetIssued() >= issued)
    {
        issued = it->second.GetIssued() + 1;
    }
    SqlError err;
    if (!afc.Init(name, text, issued, expires, maxOutputBytes, issuer, err))
    {
        error = err.ToString();
        return false;
    }
    if (Codec::Size(afc) > maxSize)
    {
        error = "AFC '" + name + "' is too large to gossip";
        return false;
    }
    why = Refuse(name, &afc);
    if (!why.empty())
    {
        error = why;
        return false;
    }
    return true;
}

AfcTable::Outcome
AfcTable::Accept(const Afc& afc, int64_t now, std::string& why, int64_t latestIssued)
{
    if (!afc.IsValid() || (afc.GetExpires() != 0 && now > afc.GetExpires()))
    {
        return Outcome::IGNORED;
    }
    auto it = m_afcs.find(afc.GetName());
    if (it != m_afcs.end() && !afc.Supersedes(it->second))
    {
        return Outcome::IGNORED;
    }
    why = Refuse(afc.GetName(), &afc);
    if (!why.empty())
    {
        return Outcome::REFUSED;
    }
    if (afc.GetIssued() > latestIssued)
    {
        // It would supersede every later version from its issuer for good.
        why = "issued " + std::to_string(afc.GetIssued()) + " us is ahead of every clock (latest " +
              std::to_string(latestIssued) + " us)";
        return Outcome::REFUSED;
    }
    m_afcs[afc.GetName()] = afc;
    return Outcome::INSTALLED;
}

void
AfcTable::Expire(int64_t now, const std::function<void(const std::string&)>& expired)
{
    for (auto it = m_afcs.begin(); it != m_afcs.end();)
    {
        if (it->second.GetExpires() != 0 && now > it->second.GetExpires())
        {
            expired(it->first);
            it = m_afcs.erase(it);
        }
        else
        {
            ++it;
        }
    }
    if (m_system.IsValid() && m_afcs.find("system") == m_afcs.end())
    {
        m_afcs["system"] = m_system;
    }
}

Row
AfcTable::Aggregate(const Name& zone,
                    const Name& rep,
                    int64_t issued,
                    const std::vector<const Row*>& rows,
                    const Rng& rng,
                    uint32_t defaultCap,
                    const ErrorSink& error) const
{
    Row out(zone, rep, issued);
    std::vector<const Afc*> order;
    order.push_back(&m_afcs.at("system"));
    for (const auto& kv : m_afcs)
    {
        if (kv.first != "system")
        {
            order.push_back(&kv.second);
        }
    }
    for (const Afc* afc : order)
    {
        Query::Outputs values;
        std::string err;
        if (!afc->GetQuery().Evaluate(rows, rng, values, err))
        {
            error(afc->GetName(), err);
            continue;
        }
        uint32_t size = 0;
        std::string mistyped;
        for (const auto& kv : values)
        {
            size += Codec::AttributeSize(kv.first, kv.second);
            if (mistyped.empty() && !Row::HasProtocolType(kv.first, kv.second))
            {
                mistyped = kv.first.str() + " = " + kv.second.ToString();
            }
        }
        if (!mistyped.empty())
        {
            error(afc->GetName(),
                  "output " + mistyped + " has the wrong type for a column the protocol reads");
            continue;
        }
        // cap 0 means "the default", not "unbounded": an AFC from anywhere must not be able to
        // bloat every row it is evaluated into (the system AFC is ours and exempt)
        uint32_t cap = afc->GetMaxOutputBytes() > 0 ? afc->GetMaxOutputBytes()
                       : afc->GetName() == "system" ? 0
                                                    : defaultCap;
        if (cap > 0 && size > cap)
        {
            error(afc->GetName(),
                  "output of " + std::to_string(size) + " bytes exceeds the cap of " +
                      std::to_string(cap));
            continue;
        }
        for (const auto& kv : values)
        {
            out.Set(kv.first, kv.second);
        }
    }
    return out;
}

const Afc*
AfcTable::Find(const std::string& name) const
{
    auto it = m_afcs.find(name);
    return it == m_afcs.end() ? nullptr : &it->second;
}

const std::map<std::string, Afc>&
AfcTable::GetAll() const
{
    return m_afcs;
}

uint32_t
AfcTable::GetNUser() const
{
    return static_cast<uint32_t>(m_afcs.size() - m_afcs.count("system"));
}

} // namespace astrolabe
} // namespace ns3
