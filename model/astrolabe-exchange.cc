/*
 * SPDX-License-Identifier: GPL-2.0-only
 */
#include "astrolabe-exchange.h"

#include "astrolabe-path.h"

#include <algorithm>
#include <cstdint>
#include <iterator>
#include <numeric>
#include <set>
#include <unordered_set>
#include <utility>

namespace ns3
{
namespace astrolabe
{

namespace
{
/// a - b, saturated: `issued` in a digest comes off the wire and may be anything.
int64_t
Gap(int64_t a, int64_t b)
{
    if (b > 0 && a < INT64_MIN + b)
    {
        return INT64_MIN;
    }
    if (b < 0 && a > INT64_MAX + b)
    {
        return INT64_MAX;
    }
    return a - b;
}

/**
 * Lists take turns to put their next item into the room: list i offers items 0, 1, ... of
 * size(i, j) bytes, and a list whose next item does not fit is closed (its share is used up:
 * the rest waits). \return the (list, item) taken, in order; `room` keeps what is left.
 */
template <typename Size>
std::vector<std::pair<size_t, size_t>>
TakeTurns(const std::vector<size_t>& lengths, Size size, uint32_t& room)
{
    std::vector<std::pair<size_t, size_t>> taken;
    std::vector<size_t> next(lengths.size(), 0);
    std::vector<bool> closed(lengths.size(), false);
    for (bool progress = true; progress;)
    {
        progress = false;
        for (size_t i = 0; i < lengths.size(); ++i)
        {
            if (closed[i] || next[i] >= lengths[i])
            {
                continue;
            }
            const uint32_t need = size(i, next[i]);
            if (need > room)
            {
                closed[i] = true;
                continue;
            }
            room -= need;
            taken.emplace_back(i, next[i]++);
            progress = true;
        }
    }
    return taken;
}

/// A digest table's entries in the order they are sent: by zone id.
void
SortById(std::vector<AstrolabeHeader::DigestEntry>& entries)
{
    std::sort(entries.begin(), entries.end(), [](const auto& a, const auto& b) {
        return a.id < b.id;
    });
}

/// (zone identity, issued) of the copies a digest table lists, sorted: a zone's latest last.
using ListedIssued = std::vector<std::pair<const void*, int64_t>>;

/// The latest `issued` listed for zone `id` (INT64_MIN: not listed).
int64_t
LatestListed(const ListedIssued& listed, const Name& id)
{
    auto end = std::upper_bound(listed.begin(),
                                listed.end(),
                                std::make_pair(id.Identity(), INT64_MAX),
                                std::less<>());
    return end == listed.begin() || std::prev(end)->first != id.Identity() ? INT64_MIN
                                                                           : std::prev(end)->second;
}
} // namespace

Exchange::Exchange(const Mib& mib,
                   const AfcTable& afcs,
                   int64_t now,
                   int64_t live,
                   uint32_t maxMessage,
                   int64_t maxClockOffset)
    : m_mib(mib),
      m_afcs(afcs),
      m_now(now),
      m_live(live),
      m_maxMessage(maxMessage),
      m_maxClockOffset(maxClockOffset)
{
}

AstrolabeHeader
Exchange::Start(AstrolabeHeader::Type type, uint32_t& budget) const
{
    AstrolabeHeader h;
    h.SetType(type);
    h.SetSender(m_mib.GetPath());
    budget = m_maxMessage - AstrolabeHeader::OverheadSize(m_mib.GetPath());
    return h;
}

void
Exchange::FillAfcDigest(AstrolabeHeader& h, uint32_t& budget) const
{
    for (const auto& kv : m_afcs.GetAll())
    {
        AstrolabeHeader::AfcDigest d{kv.first, kv.second.GetIssued(), kv.second.GetIssuer()};
        uint32_t sz = AstrolabeHeader::AfcDigestSize(d);
        if (sz > budget)
        {
            break;
        }
        budget -= sz;
        h.GetAfcDigests().push_back(d);
    }
}

std::vector<AstrolabeHeader::DigestEntry>
Exchange::DigestOf(uint32_t level) const
{
    std::vector<AstrolabeHeader::DigestEntry> out;
    std::vector<AstrolabeHeader::DigestEntry> others;
    DigestParts(level, out, others);
    out.insert(out.end(), others.begin(), others.end());
    SortById(out);
    return out;
}

void
Exchange::DigestParts(uint32_t level,
                      std::vector<AstrolabeHeader::DigestEntry>& out,
                      std::vector<AstrolabeHeader::DigestEntry>& others) const
{
    // (id, rep, issued) of the copy our view uses for every child zone (ours, for our own zone,
    // when we are its representative), and of the other live copies: a partner whose view picked
    // another rep's copy still finds the same key. Copies that are not live are left out: the
    // rows every agent publishes at start-up, when it elects itself everywhere, used to fill the
    // datagram and cut the upper tables off for tens of rounds.
    const Table& table = m_mib.GetTable(level);
    const Name& self = m_mib.GetPath();
    const Name& own = m_mib.GetZone(level + 1);
    const Table::Entry* mine = table.Find({own, self});
    const bool publishMine = mine && m_mib.Publishable(level, {own, self});
    bool ownListed = false;
    // the view's copies that are listed as such, in table order (our own copy stands in for
    // the view's copy of our own zone)
    std::vector<const Table::Item*> listed;
    for (const Table::Item* item : table.GetViewItems(m_now, m_live, self))
    {
        if (item->first.first == own && publishMine)
        {
            out.push_back({own, self, mine->row.GetIssued()});
            ownListed = true;
            continue;
        }
        out.push_back({item->first.first, item->first.second, item->second.row.GetIssued()});
        listed.push_back(item);
    }
    if (!ownListed && publishMine)
    {
        out.push_back({own, self, mine->row.GetIssued()});
    }
    size_t next = 0; // both walks are in table order
    for (const auto& kv : table.GetEntries())
    {
        if (next < listed.size() && listed[next] == &kv)
        {
            ++next;
            continue;
        }
        if (kv.first.second != self && kv.second.IsLive(m_now, m_live))
        {
            others.push_back({kv.first.first, kv.first.second, kv.second.row.GetIssued()});
        }
    }
}

void
Exchange::FillDigest(AstrolabeHeader& h, uint32_t fromLevel, uint32_t& budget, const Rng& rng) const
{
    std::vector<std::vector<AstrolabeHeader::DigestEntry>> tables;
    std::vector<std::vector<AstrolabeHeader::DigestEntry>> others;
    std::vector<uint32_t> need;       // per table, its view's copies
    std::vector<uint32_t> needOthers; // per table, the other live copies
    uint32_t total = 0;
    for (uint32_t l = fromLevel + 1; l-- > 0;)
    {
        DigestParts(l, tables.emplace_back(), others.emplace_back());
        uint32_t n = AstrolabeHeader::BlockSize(m_mib.GetZone(l));
        for (const auto& e : tables.back())
        {
            n += AstrolabeHeader::DigestEntrySize(e);
        }
        uint32_t o = 0;
        for (const auto& e : others.back())
        {
            o += AstrolabeHeader::DigestEntrySize(e);
        }
        need.push_back(n);
        needOthers.push_back(o);
        total += n + o;
    }
    // Too big: one copy per zone, the one our view uses. With k representatives per zone every
    // copy is listed k times over, and a cut-short list leaves most zones unlisted, for which
    // the partner then sends its copy whether or not it is newer (at 100,000 hosts, 50 x 3
    // copies in each of two tables: a digest listed a third of the zones). The partner still
    // finds our copy of each zone, and sends its own when newer.
    const bool viewOnly = total > budget;
    total = 0;
    for (size_t i = 0; i < tables.size(); ++i)
    {
        if (!viewOnly)
        {
            tables[i].insert(tables[i].end(), others[i].begin(), others[i].end());
            need[i] += needOthers[i];
        }
        SortById(tables[i]);
        total += need[i];
    }
    // Too big (many or long zone names): every table gets a fair share of the room, and a table
    // cut short starts at a random child, so that truncation does not starve the same zones.
    std::vector<uint32_t> share(need.size(), 0);
    if (total <= budget)
    {
        share = need;
    }
    else
    {
        uint32_t left = budget;
        std::vector<size_t> open(need.size());
        std::iota(open.begin(), open.end(), 0);
        while (!open.empty())
        {
            uint32_t fair = left / open.size();
            std::vector<size_t> still;
            for (size_t i : open)
            {
                if (need[i] <= fair)
                {
                    share[i] = need[i];
                    left -= need[i];
                }
                else
                {
                    still.push_back(i);
                }
            }
            if (still.size() == open.size())
            {
                for (size_t i : still)
                {
                    share[i] = fair;
                }
                left -= fair * still.size();
                break;
            }
            open = still;
        }
    }
    for (size_t i = 0; i < tables.size(); ++i)
    {
        uint32_t l = fromLevel - i;
        AstrolabeHeader::DigestTable d;
        d.zone = m_mib.GetZone(l);
        uint32_t room = share[i];
        const uint32_t framing = AstrolabeHeader::BlockSize(d.zone);
        if (framing > room)
        {
            continue;
        }
        room -= framing;
        const auto& entries = tables[i];
        size_t first = share[i] < need[i] && !entries.empty() ? rng(entries.size()) : 0;
        for (size_t j = 0; j < entries.size(); ++j)
        {
            const auto& e = entries[(first + j) % entries.size()];
            uint32_t sz = AstrolabeHeader::DigestEntrySize(e);
            if (sz > room)
            {
                break; // truncated: the rest waits for a later round
            }
            room -= sz;
            d.entries.push_back(e);
        }
        budget -= share[i] - room;
        h.GetDigests().push_back(d);
    }
}

AstrolabeHeader
Exchange::Gossip(uint32_t level, const Rng& rng) const
{
    uint32_t budget = 0;
    AstrolabeHeader h = Start(AstrolabeHeader::GOSSIP, budget);
    FillAfcDigest(h, budget);
    FillDigest(h, level, budget, rng);
    return h;
}

bool
Exchange::AddRow(AstrolabeHeader& h, const std::string& zone, const Row& r, uint32_t& budget)
{
    auto& blocks = h.GetRows();
    uint32_t need = AstrolabeHeader::RowSize(r);
    bool newBlock = blocks.empty() || blocks.back().zone != zone;
    if (newBlock)
    {
        need += AstrolabeHeader::BlockSize(zone);
    }
    if (need > budget)
    {
        return false;
    }
    budget -= need;
    if (newBlock)
    {
        blocks.push_back({zone, {}});
    }
    blocks.back().rows.push_back(r);
    return true;
}

AstrolabeHeader
Exchange::Reply(const AstrolabeHeader& h, Ipv4Address from, const Rng& rng) const
{
    uint32_t budget = 0;
    AstrolabeHeader reply = Start(AstrolabeHeader::REPLY, budget);
    const Name& self = m_mib.GetPath();

    // AFCs first: they are few, and a new one changes everybody's rows
    std::set<std::string> theirAfcs;
    for (const auto& d : h.GetAfcDigests())
    {
        theirAfcs.insert(d.name);
        if (d.name == "system")
        {
            continue; // built in everywhere, never exchanged
        }
        const Afc* mine = m_afcs.Find(d.name);
        if (!mine && m_afcs.GetNUser() >= m_afcs.GetMaxAfcs())
        {
            continue; // full: do not ask for what we would drop
        }
        bool theirsNewer = !mine || d.issued > mine->GetIssued() ||
                           (d.issued == mine->GetIssued() && d.issuer > mine->GetIssuer());
        bool mineNewer = mine && (mine->GetIssued() > d.issued ||
                                  (mine->GetIssued() == d.issued && mine->GetIssuer() > d.issuer));
        if (theirsNewer && budget > AstrolabeHeader::AfcRequestSize(d.name))
        {
            reply.GetAfcRequests().push_back(d.name);
            budget -= AstrolabeHeader::AfcRequestSize(d.name);
        }
        else if (mineNewer && AstrolabeHeader::AfcSize(*mine) <= budget)
        {
            reply.GetAfcs().push_back(*mine);
            budget -= AstrolabeHeader::AfcSize(*mine);
        }
    }
    for (const auto& kv : m_afcs.GetAll())
    {
        if (kv.first != "system" && !theirAfcs.count(kv.first) &&
            AstrolabeHeader::AfcSize(kv.second) <= budget)
        {
            reply.GetAfcs().push_back(kv.second);
            budget -= AstrolabeHeader::AfcSize(kv.second);
        }
    }

    // Requests may use half of the room; rows then share what is left round-robin across the
    // tables, so that a full datagram does not always starve the same (upper) levels.
    uint32_t requestRoom = budget / 2;
    std::vector<std::pair<std::string, std::vector<const Row*>>> candidates;
    // Per table, for a reply cut short (see below): where its unlisted zones are among its
    // candidates.
    std::vector<std::pair<size_t, size_t>> unlistedSpans;
    // Per table, the table and the requests we would make, each with the `issued` the gossiper
    // listed (ordered by it only if they do not all fit).
    std::vector<std::pair<const Table*, std::vector<std::pair<int64_t, AstrolabeHeader::Request>>>>
        requestsOf;
    uint32_t requestsSize = 0;
    // Per table, (zone, issued) of every copy the gossiper listed, sorted (see LatestListed).
    std::vector<ListedIssued> listedIssuedOf;
    const std::vector<std::string> senderParts = SplitPath(h.GetSender());
    for (const auto& d : h.GetDigests())
    {
        int l = m_mib.LevelOfZone(d.zone);
        if (l < 0)
        {
            continue; // a table we do not share
        }
        const Table& table = m_mib.GetTable(l);
        candidates.push_back({d.zone, {}});
        requestsOf.emplace_back(&table,
                                std::vector<std::pair<int64_t, AstrolabeHeader::Request>>());
        // What the gossiper lacks goes first: zones it did not list, and copies that may merge
        // a split zone. Then the fresher copies our view uses, then the other reps' fresher
        // copies: representatives re-issue their rows every round, so in a big table nearly
        // every copy is fresher here and they do not all fit.
        std::vector<const Row*> rows;
        std::vector<const Row*> fresherView;
        std::vector<const Row*> fresherOther;
        // membership tests below, by identity: sorted vectors of pointers
        std::vector<const Table::Entry*> viewEntries;
        for (const Table::Item* item : table.GetViewItems(m_now, m_live, self))
        {
            viewEntries.push_back(&item->second);
        }
        std::sort(viewEntries.begin(), viewEntries.end(), std::less<>());
        auto inView = [&viewEntries](const Table::Entry* e) {
            return e &&
                   std::binary_search(viewEntries.begin(), viewEntries.end(), e, std::less<>());
        };
        std::vector<const void*> listedIds;
        std::vector<std::pair<const void*, const void*>> listedKeyIds;
        ListedIssued& listedIssued = listedIssuedOf.emplace_back();
        const bool clocksBounded = m_maxClockOffset != Table::kNoClockBound;
        for (const auto& e : d.entries)
        {
            listedIds.push_back(e.id.Identity());
            listedKeyIds.emplace_back(e.id.Identity(), e.rep.Identity());
            listedIssued.emplace_back(e.id.Identity(), e.issued);
        }
        std::sort(listedIds.begin(), listedIds.end(), std::less<>());
        std::sort(listedIssued.begin(), listedIssued.end(), std::less<>());
        // Ours was issued after every copy of the zone they list, whatever the clocks' offsets
        // (never, where clocks are not bounded).
        auto newerThanListed = [this, clocksBounded, &listedIssued](const Name& id,
                                                                    int64_t issued) {
            const int64_t theirs = LatestListed(listedIssued, id);
            return clocksBounded && theirs != INT64_MIN && issued > theirs &&
                   uint64_t(issued) - uint64_t(theirs) > uint64_t(m_maxClockOffset);
        };
        std::sort(listedKeyIds.begin(), listedKeyIds.end(), std::less<>());
        auto isListed = [&listedIds](const Name& id) {
            return std::binary_search(listedIds.begin(),
                                      listedIds.end(),
                                      id.Identity(),
                                      std::less<>());
        };
        auto isListedKey = [&listedKeyIds](const Table::Key& k) {
            return std::binary_search(listedKeyIds.begin(),
                                      listedKeyIds.end(),
                                      std::make_pair(k.first.Identity(), k.second.Identity()),
                                      std::less<>());
        };
        // The gossiper's own child zone in this table, when it is not ours (the level the
        // exchange is about). Our recent copies of it from reps that do not list the gossiper
        // as a contact may come from a group of that zone which the gossiper's group does not
        // know: they are what lets the two groups find each other (see AstrolabeAgent::Round).
        std::string senderZone = senderParts.size() > static_cast<size_t>(l) + 1
                                     ? PathPrefix(senderParts, l + 1)
                                     : std::string();
        if (!senderZone.empty() && senderZone != m_mib.GetZone(l + 1))
        {
            for (auto it = table.GetEntries().lower_bound({senderZone, ""});
                 it != table.GetEntries().end() && it->first.first == senderZone;
                 ++it)
            {
                const auto& contacts = it->second.row.GetContacts();
                if (!isListedKey(it->first) && m_now - it->second.lastUpdate <= m_live &&
                    std::find(contacts.begin(), contacts.end(), from) == contacts.end())
                {
                    rows.push_back(&it->second.row);
                }
            }
        }
        for (const auto& e : d.entries)
        {
            Table::Key key{e.id, e.rep};
            const Table::Entry* mine = table.Find(key);
            if (e.rep != self && // we are the authority on our own rows
                ((!mine && !table.IsDead(key, e.issued)) ||
                 (mine && mine->row.GetIssued() < e.issued)))
            {
                AstrolabeHeader::Request q{d.zone, e.id, e.rep};
                requestsSize += AstrolabeHeader::RequestSize(q);
                requestsOf.back().second.emplace_back(e.issued, std::move(q));
            }
            else if (mine && mine->row.GetIssued() > e.issued && m_mib.Publishable(l, key))
            {
                bool ours = key.second == self && key.first == m_mib.GetZone(l + 1);
                (ours || inView(mine) ? fresherView : fresherOther).push_back(&mine->row);
            }
        }
        // Child zones they did not list: our view's copy (their digest may have been cut short).
        // Zones they list only with copies other than the live one our view uses: that copy.
        // Their copies may be start-up rows of agents that are not representatives and never
        // advance; we may hold those as dead and so never answer about them, and they would
        // keep an outdated row until T_fail. (At N = 625, b = 25, most root rows stayed at
        // nmembers 1 for 40 s.)
        const size_t firstUnlisted = rows.size();
        for (const auto& e : DigestOf(l))
        {
            Table::Key key{e.id, e.rep};
            const Table::Entry* mine = table.Find(key);
            if (!isListed(e.id))
            {
                rows.push_back(&mine->row);
            }
            else if (!isListedKey(key) && (key.second == self || inView(mine)) &&
                     (mine->IsLive(m_now, m_live) || newerThanListed(e.id, e.issued)))
            {
                rows.push_back(&mine->row);
            }
        }
        const size_t firstFresher = rows.size();
        // A class cut short starts at a random row, so that the same zones are not always
        // the ones left out (their rows would then age at every agent but their own).
        for (auto* cls : {&fresherView, &fresherOther})
        {
            if (cls->size() > 1)
            {
                std::rotate(cls->begin(), cls->begin() + rng(cls->size()), cls->end());
            }
            rows.insert(rows.end(), cls->begin(), cls->end());
        }
        candidates.back().second = std::move(rows);
        unlistedSpans.emplace_back(firstUnlisted, firstFresher);
    }
    if (requestsSize <= requestRoom)
    {
        for (auto& [table, reqs] : requestsOf)
        {
            for (auto& [issued, q] : reqs)
            {
                reply.GetRequests().push_back(std::move(q));
            }
        }
        budget -= requestsSize;
    }
    else
    {
        // Cut short: the tables take turns, so that the lower tables' requests (listed first)
        // do not use up the room, and each table asks first for the copies furthest ahead of
        // ours (at 100,000 hosts the 40 rows of the rack table used to leave the pod rows none).
        for (size_t i = 0; i < requestsOf.size(); ++i)
        {
            auto& [table, reqs] = requestsOf[i];
            // by how much newer their copy is than our newest of the zone (INT64_MAX: none)
            for (auto& [issued, q] : reqs)
            {
                const int64_t ours = table->GetNewestIssued(q.id);
                issued = ours == INT64_MIN ? INT64_MAX : Gap(issued, ours);
            }
            std::stable_sort(reqs.begin(), reqs.end(), [](const auto& a, const auto& b) {
                return a.first > b.first;
            });
        }
        std::vector<size_t> lengths;
        for (const auto& [table, reqs] : requestsOf)
        {
            lengths.push_back(reqs.size());
        }
        const uint32_t room = requestRoom;
        for (auto [i, j] : TakeTurns(
                 lengths,
                 [&requestsOf](size_t i, size_t j) {
                     return AstrolabeHeader::RequestSize(requestsOf[i].second[j].second);
                 },
                 requestRoom))
        {
            reply.GetRequests().push_back(std::move(requestsOf[i].second[j].second));
        }
        budget -= room - requestRoom;
    }
    // Rows share the room round-robin across the tables. \return how many of each it takes.
    auto fill = [&candidates](uint32_t room) {
        std::vector<size_t> lengths;
        for (const auto& [zone, rows] : candidates)
        {
            lengths.push_back(rows.size());
        }
        std::vector<size_t> taken(candidates.size(), 0);
        for (auto [i, j] : TakeTurns(
                 lengths,
                 [&candidates](size_t i, size_t j) {
                     const auto& [zone, rows] = candidates[i];
                     return AstrolabeHeader::RowSize(*rows[j]) +
                            (j == 0 ? AstrolabeHeader::BlockSize(zone) : 0);
                 },
                 room))
        {
            ++taken[i];
        }
        return taken;
    };
    std::vector<size_t> taken = fill(budget);
    bool cutShort = false;
    for (size_t i = 0; i < candidates.size(); ++i)
    {
        cutShort = cutShort || taken[i] < candidates[i].second.size();
    }
    if (cutShort)
    {
        // Cut short, the order decides what waits. In name order the unlisted zones at the end
        // of a big table never fitted; among the rest, copies many rounds ahead of the
        // gossiper's waited among hundreds only a round ahead, and a zone's k copies (one per
        // representative) took k places. At 10,000 hosts in 50 pods of 50 racks the root
        // COUNT's last agents waited 10 more rounds for stale copies of the last pods
        // (aggregation-compare --hostsPerRack=4 --diagnose); at 100,000 every agent's pod rows
        // were 5 to 10 rounds old. So, per table after the rows that may merge a split zone:
        // the zones the gossiper did not list (from a random one), then one copy per zone, the
        // zones furthest ahead of the gossiper's newest copy first, then the rest.
        for (size_t i = 0; i < candidates.size(); ++i)
        {
            auto& rows = candidates[i].second;
            auto [from, to] = unlistedSpans[i];
            if (to - from > 1)
            {
                std::rotate(rows.begin() + from,
                            rows.begin() + from + rng(to - from),
                            rows.begin() + to);
            }
            const ListedIssued& theirs = listedIssuedOf[i];
            // (0, 0) unlisted; (1, gap) ahead of their newest copy by gap; (2, gap) not ahead
            auto rank = [&theirs](const Row* r) -> std::pair<int, int64_t> {
                const int64_t latest = LatestListed(theirs, r->GetIdName());
                if (latest == INT64_MIN)
                {
                    return {0, 0};
                }
                const int64_t gap = Gap(r->GetIssued(), latest);
                return {gap > 0 ? 1 : 2, gap};
            };
            std::vector<std::pair<std::pair<int, int64_t>, const Row*>> ranked;
            for (size_t j = from; j < rows.size(); ++j)
            {
                ranked.emplace_back(rank(rows[j]), rows[j]);
            }
            // by class, then furthest ahead first
            std::stable_sort(ranked.begin(), ranked.end(), [](const auto& a, const auto& b) {
                return a.first.first != b.first.first ? a.first.first < b.first.first
                                                      : a.first.second > b.first.second;
            });
            std::unordered_set<const void*> zonesTaken;
            std::vector<const Row*> more; // further copies of a zone, and copies not ahead
            rows.resize(from);
            for (const auto& [key, r] : ranked)
            {
                const void* zone = r->GetIdName().Identity();
                if (key.first < 2 && zonesTaken.insert(zone).second)
                {
                    rows.push_back(r);
                }
                else
                {
                    more.push_back(r);
                }
            }
            rows.insert(rows.end(), more.begin(), more.end());
        }
        taken = fill(budget);
    }
    for (size_t i = 0; i < candidates.size(); ++i)
    {
        if (taken[i] > 0)
        {
            AstrolabeHeader::RowBlock block;
            block.zone = candidates[i].first;
            for (size_t j = 0; j < taken[i]; ++j)
            {
                block.rows.push_back(*candidates[i].second[j]);
            }
            reply.GetRows().push_back(block);
        }
    }
    return reply;
}

AstrolabeHeader
Exchange::Rows(const AstrolabeHeader& h) const
{
    uint32_t budget = 0;
    AstrolabeHeader rows = Start(AstrolabeHeader::ROWS, budget);
    for (const auto& name : h.GetAfcRequests())
    {
        const Afc* afc = m_afcs.Find(name);
        if (afc && AstrolabeHeader::AfcSize(*afc) <= budget)
        {
            rows.GetAfcs().push_back(*afc);
            budget -= AstrolabeHeader::AfcSize(*afc);
        }
    }
    for (const auto& q : h.GetRequests())
    {
        int l = m_mib.LevelOfZone(q.zone);
        if (l < 0)
        {
            continue;
        }
        Table::Key key{q.id, q.rep};
        const Table::Entry* e = m_mib.GetTable(l).Find(key);
        if (e && m_mib.Publishable(l, key))
        {
            AddRow(rows, q.zone, e->row, budget);
        }
    }
    return rows;
}

} // namespace astrolabe
} // namespace ns3
