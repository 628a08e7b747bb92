/*
 * SPDX-License-Identifier: GPL-2.0-only
 */
#ifndef ASTROLABE_AFC_H
#define ASTROLABE_AFC_H

#include "astrolabe-sql.h"

#include <cstdint>
#include <memory>
#include <string>

namespace ns3
{
namespace astrolabe
{

/**
 * \ingroup gossip
 * \brief An aggregation function certificate: a named query with `issued`, optional expiry and
 * an output-size cap. When two AFCs of the same name meet, the one with the larger issued wins
 * (ties: the larger issuer, then text, so every agent picks the same one).
 */
class Afc
{
  public:
    Afc() = default;
    /**
     * \param expires issuer-clock time (us) after which the AFC is dropped; 0 = never
     * \param maxOutputBytes cap on the size of what it adds to a row (0: MaxMessageSize / 8)
     * \param[out] error set when the text does not parse
     * \return true if it parsed
     */
    bool Init(const std::string& name,
              const std::string& text,
              int64_t issued,
              int64_t expires,
              uint32_t maxOutputBytes,
              const std::string& issuer,
              SqlError& error);

    const std::string& GetName() const;
    const std::string& GetText() const;
    int64_t GetIssued() const;
    int64_t GetExpires() const;
    uint32_t GetMaxOutputBytes() const;
    const std::string& GetIssuer() const;
    const Query& GetQuery() const;
    bool IsValid() const;
    /// True if this one should replace `other` of the same name.
    bool Supersedes(const Afc& other) const;
    /// Same name, text, issued, expiry, output cap and issuer.
    bool operator==(const Afc& o) const;
    bool operator!=(const Afc& o) const;

    /**
     * The query parsed from `text`, shared with every other AFC of the same text (parsed once).
     * \return null, with `error` set, if it does not parse
     */
    static std::shared_ptr<const Query> ParseShared(const std::string& text, SqlError& error);

    /**
     * The built-in system AFC (name "system"): the paper's SUM(nmembers), MAX(depth)+1 and
     * FIRST(k, contacts/servers).
     * \param electByLoad true: the child rows are ordered by `load` (nulls last) so that FIRST
     *        picks the k least-loaded representatives, and the zone's `load` is MIN(load) of
     *        its children, so the ordering works at every level and the first contact of every
     *        zone is its least-loaded host; false: rows in zone-name order, no zone `load`
     */
    static std::string SystemAfcText(uint32_t k = 3, bool electByLoad = true);

  private:
    std::string m_name;
    std::string m_text;
    int64_t m_issued{0};
    int64_t m_expires{0};
    uint32_t m_maxOutputBytes{0};
    std::string m_issuer;
    std::shared_ptr<const Query> m_query; //!< shared by every AFC of the same text
};

} // namespace astrolabe
} // namespace ns3

#endif /* ASTROLABE_AFC_H */
