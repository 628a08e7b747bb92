/*
 * SPDX-License-Identifier: GPL-2.0-only
 */
#ifndef ASTROLABE_AFC_TABLE_H
#define ASTROLABE_AFC_TABLE_H

#include "astrolabe-afc.h"
#include "astrolabe-value.h"

#include <cstdint>
#include <functional>
#include <map>
#include <string>
#include <vector>

namespace ns3
{
namespace astrolabe
{

/**
 * \ingroup gossip
 * \brief The AFCs an agent holds, by name: the built-in "system" AFC (built once, when the agent
 * starts) and at most MaxAfcs user AFCs, installed here or heard of in gossip.
 *
 * A received AFC replaces the one of the same name only if it supersedes it (Afc::Supersedes);
 * the name "system", the columns contacts, servers and depth, and new names beyond the bound are
 * refused. Every round the AFCs evaluate a zone's child rows into the zone's row: the system
 * AFC first, then the user AFCs in name order. Time is the agent's clock in microseconds.
 */
class AfcTable
{
  public:
    /// What Accept() did with an AFC.
    enum class Outcome
    {
        IGNORED,  //!< not valid, expired, or not newer than the one held
        REFUSED,  //!< see Refuse(); the reason is given
        INSTALLED //!< installed (new, or replacing an older one of the same name)
    };

    /// Called with (AFC name, why) when an AFC fails on the data or exceeds its output cap.
    using ErrorSink = std::function<void(const std::string&, const std::string&)>;

    /// The bound on user AFCs (besides "system").
    void SetMaxAfcs(uint32_t n);
    uint32_t GetMaxAfcs() const;

    /**
     * Install the built-in system AFC for k representatives, unless it is already there.
     * \param electByLoad see Afc::SystemAfcText
     * \param[out] error why its text did not parse (it always does)
     * \return false if it could not be built
     */
    bool InstallSystem(uint32_t k, bool electByLoad, std::string& error);

    /// Why an AFC of this name (and query, if given) must not be installed; empty if it may.
    std::string Refuse(const std::string& name, const Afc* afc) const;

    /**
     * An AFC to install here at local time now (us): its issued beats the one of the same name
     * held here even if this clock is behind the issuer's.
     * \param expires local time it expires at (0: never)
     * \param maxSize largest wire size of an AFC that may be gossiped
     * \param[out] afc the AFC, when it returns true
     * \param[out] error why it may not be installed
     */
    bool Prepare(const std::string& name,
                 const std::string& text,
                 int64_t now,
                 int64_t expires,
                 uint32_t maxOutputBytes,
                 const std::string& issuer,
                 uint32_t maxSize,
                 Afc& afc,
                 std::string& error) const;

    /**
     * Accept an AFC installed here or heard of in gossip, at local time now (us).
     * \param[out] why the reason, when REFUSED
     */
    Outcome Accept(const Afc& afc, int64_t now, std::string& why, int64_t latestIssued = INT64_MAX);

    /// Drop the AFCs expired at now (us), calling expired(name) for each before it goes.
    void Expire(int64_t now, const std::function<void(const std::string&)>& expired);

    /**
     * The row of zone as rep computes it at issued: every AFC run over the zone's child rows,
     * the system AFC first, then the others in name order. An AFC that fails on the data, or
     * whose outputs take more than its cap (0: defaultCap; the system AFC is exempt), adds
     * nothing and is reported to error.
     * \param rng what RANDOM() draws from
     */
    Row Aggregate(const Name& zone,
                  const Name& rep,
                  int64_t issued,
                  const std::vector<const Row*>& rows,
                  const Rng& rng,
                  uint32_t defaultCap,
                  const ErrorSink& error) const;

    /// The AFC of this name, or null.
    const Afc* Find(const std::string& name) const;
    /// Every AFC, by name ("system" included).
    const std::map<std::string, Afc>& GetAll() const;
    /// AFCs other than "system".
    uint32_t GetNUser() const;

  private:
    std::map<std::string, Afc> m_afcs;
    Afc m_system; //!< the built-in AFC, built once
    uint32_t m_maxAfcs{16};
};

} // namespace astrolabe
} // namespace ns3

#endif /* ASTROLABE_AFC_TABLE_H */
