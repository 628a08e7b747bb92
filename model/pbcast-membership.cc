/*
 * SPDX-License-Identifier: GPL-2.0-only
 */
#include "pbcast-membership.h"

#include "ns3/abort.h"

#include <algorithm>
#include <type_traits>
#include <unordered_map>

namespace ns3
{
namespace pbcast
{

void
Membership::Configure(GossipSenderId self,
                      uint32_t datacenter,
                      uint32_t partialView,
                      Time failTimeout,
                      Time removeTimeout)
{
    m_self = self;
    m_datacenter = datacenter;
    m_partialView = partialView;
    m_failTimeout = failTimeout;
    m_removeTimeout = removeTimeout;
}

void
Membership::AddSeed(GossipSenderId id, Ipv4Address address, uint32_t datacenter)
{
    m_seeds.push_back({id, address, datacenter});
}

void
Membership::Start(Time now)
{
    m_joined = true;
    for (const auto& s : m_seeds)
    {
        if (s.id != m_self)
        {
            HeardFrom(s.id, s.address, s.datacenter, 0, now);
            m_joined = false;
        }
    }
}

void
Membership::Reset()
{
    m_joined = false;
    m_members.clear();
    m_removed.clear();
    m_liveIds.clear();
    m_liveRemote = 0;
    m_knownRemote = 0;
    m_view.clear();
    m_viewDirty = false;
}

bool
Membership::IsJoined() const
{
    return m_joined;
}

void
Membership::SetJoined()
{
    m_joined = true;
}

std::vector<Ipv4Address>
Membership::GetSeedAddresses() const
{
    std::vector<Ipv4Address> out;
    for (const auto& s : m_seeds)
    {
        if (s.id != m_self)
        {
            out.push_back(s.address);
        }
    }
    return out;
}

void
Membership::Merge(const std::vector<MemberEntry>& entries, Time now)
{
    // Exactly HeardFrom for each entry in turn, but new members are inserted in one sorted merge
    // at the end, into storage sized to fit: a JOIN reply brings a hundred at once, and one
    // insertion each (a move of the tail, and doubling capacity) was most of a member's memory.
    std::vector<Entry> fresh;
    for (const auto& e : entries)
    {
        if (e.id == m_self)
        {
            continue;
        }
        auto it = Lower(e.id);
        if (it != m_members.end() && it->id == e.id)
        {
            HeardFrom(e.id, e.address, e.datacenter, e.heartbeat, now);
            continue;
        }
        auto f =
            std::find_if(fresh.begin(), fresh.end(), [&e](const Entry& x) { return x.id == e.id; });
        if (f != fresh.end())
        {
            if (e.heartbeat > f->heartbeat) // a second entry for a member new in this list
            {
                f->heartbeat = e.heartbeat;
                f->updated = now.GetTimeStep();
                f->contact = InternContact(e.id, e.address, e.datacenter);
            }
            continue;
        }
        if (!ForgetTombstone(e.id, e.heartbeat))
        {
            continue;
        }
        fresh.push_back(MakeEntry(e.id, e.address, e.datacenter, e.heartbeat, now));
    }
    if (fresh.empty())
    {
        return;
    }
    std::sort(fresh.begin(), fresh.end(), [](const Entry& a, const Entry& b) {
        return a.id < b.id;
    });
    for (const Entry& e : fresh)
    {
        m_knownRemote += IsRemoteEntry(e);
        m_liveRemote += IsRemoteEntry(e);
    }
    MergeBack(m_members, fresh, [](const Entry& e) { return e.id; });
    MergeBack(m_liveIds, fresh, [](GossipSenderId id) { return id; });
}

template <typename T, typename Key>
void
Membership::MergeBack(std::vector<T>& into, const std::vector<Entry>& fresh, Key key)
{
    // Grow by an eighth beyond what is needed (not double, as push_back would): members keep
    // this storage for the whole run. Then merge from the back, in place, with no buffer.
    const size_t old = into.size();
    const size_t need = old + fresh.size();
    if (into.capacity() < need)
    {
        into.reserve(need + need / 8);
    }
    into.resize(need);
    size_t i = old;
    size_t j = fresh.size();
    size_t k = need;
    while (j > 0)
    {
        if (i > 0 && key(into[i - 1]) > fresh[j - 1].id)
        {
            into[--k] = into[--i];
        }
        else
        {
            --j;
            --k;
            if constexpr (std::is_same_v<T, Entry>)
            {
                into[k] = fresh[j];
            }
            else
            {
                into[k] = fresh[j].id;
            }
        }
    }
}

bool
Membership::ForgetTombstone(GossipSenderId id, uint64_t heartbeat)
{
    auto r = m_removed.find(id);
    if (r != m_removed.end())
    {
        if (heartbeat <= r->second.first)
        {
            return false; // stale news of a removed member
        }
        m_removed.erase(r); // it came back
    }
    return true;
}

Membership::Entry
Membership::MakeEntry(GossipSenderId id,
                      Ipv4Address address,
                      uint32_t datacenter,
                      uint64_t heartbeat,
                      Time now)
{
    Entry e;
    e.heartbeat = heartbeat;
    e.updated = now.GetTimeStep();
    e.id = id;
    e.contact = InternContact(id, address, datacenter);
    e.failed = 0;
    return e;
}

namespace
{
/// The process-wide (address, datacenter) pairs, and each pair's index in it. Never shrinks:
/// it holds one pair per address a member has learnt (plus any from bad packets).
struct ContactTable
{
    std::vector<std::pair<Ipv4Address, uint32_t>> pairs;
    std::unordered_map<uint64_t, uint32_t> index;
    /// id -> 1 + the pair last interned for it (0: none), for ids below kDirectIds. Ids are
    /// node ids, so almost every lookup is one array read instead of a hash-table walk.
    std::vector<uint32_t> byId;
};

/// Ids with a slot in ContactTable::byId (16 MB at most; larger ids, which only bad packets
/// carry in practice, use the hash table alone).
constexpr GossipSenderId kDirectIds = 1U << 22;

ContactTable&
Contacts()
{
    static ContactTable* table = new ContactTable(); // never destroyed, like the members
    return *table;
}
} // namespace

uint32_t
Membership::InternContact(GossipSenderId id, Ipv4Address address, uint32_t datacenter)
{
    ContactTable& t = Contacts();
    if (id < t.byId.size() && t.byId[id] != 0)
    {
        const uint32_t k = t.byId[id] - 1;
        if (t.pairs[k].first == address && t.pairs[k].second == datacenter)
        {
            return k;
        }
    }
    const uint64_t key = (uint64_t(address.Get()) << 32) | datacenter;
    auto it = t.index.find(key);
    uint32_t k;
    if (it != t.index.end())
    {
        k = it->second;
    }
    else
    {
        NS_ABORT_MSG_IF(t.pairs.size() >= (1U << 31), "pbcast: too many distinct member addresses");
        k = t.pairs.size();
        t.pairs.emplace_back(address, datacenter);
        t.index.emplace(key, k);
    }
    if (id < kDirectIds)
    {
        if (id >= t.byId.size())
        {
            t.byId.resize(id + 1, 0);
        }
        t.byId[id] = k + 1;
    }
    return k;
}

const std::pair<Ipv4Address, uint32_t>&
Membership::ContactOf(const Entry& e)
{
    return Contacts().pairs[e.contact];
}

bool
Membership::IdLess(const Entry& e, GossipSenderId id)
{
    return e.id < id;
}

std::vector<Membership::Entry>::iterator
Membership::Lower(GossipSenderId id)
{
    return std::lower_bound(m_members.begin(), m_members.end(), id, IdLess);
}

std::vector<Membership::Entry>::const_iterator
Membership::Lower(GossipSenderId id) const
{
    return std::lower_bound(m_members.begin(), m_members.end(), id, IdLess);
}

const Membership::Entry*
Membership::FindEntry(GossipSenderId id) const
{
    auto it = Lower(id);
    return (it != m_members.end() && it->id == id) ? &*it : nullptr;
}

bool
Membership::IsRemoteEntry(const Entry& e) const
{
    return ContactOf(e).second != m_datacenter;
}

void
Membership::HeardFrom(GossipSenderId id,
                      Ipv4Address address,
                      uint32_t datacenter,
                      uint64_t heartbeat,
                      Time now)
{
    auto it = Lower(id);
    if (it == m_members.end() || it->id != id)
    {
        if (!ForgetTombstone(id, heartbeat))
        {
            return;
        }
        const Entry e = MakeEntry(id, address, datacenter, heartbeat, now);
        m_members.insert(it, e);
        m_knownRemote += IsRemoteEntry(e);
        AddLive(e);
        return;
    }
    Entry& m = *it;
    if (heartbeat > m.heartbeat)
    {
        const auto& was = ContactOf(m);
        if (was.first != address || was.second != datacenter)
        {
            // Only the remote counts can change: the id, and so its place, stays.
            const int wasRemote = IsRemoteEntry(m);
            m.contact = InternContact(id, address, datacenter);
            const int delta = int(IsRemoteEntry(m)) - wasRemote;
            m_knownRemote += delta;
            m_liveRemote += m.failed ? 0 : delta;
        }
        if (m.failed)
        {
            m.failed = 0;
            AddLive(m);
        }
        m.heartbeat = heartbeat;
        m.updated = now.GetTimeStep();
    }
}

void
Membership::AddLive(const Entry& e)
{
    m_liveIds.insert(std::lower_bound(m_liveIds.begin(), m_liveIds.end(), e.id), e.id);
    m_liveRemote += IsRemoteEntry(e);
}

void
Membership::RemoveLive(const Entry& e)
{
    auto it = std::lower_bound(m_liveIds.begin(), m_liveIds.end(), e.id);
    if (it != m_liveIds.end() && *it == e.id)
    {
        m_liveIds.erase(it);
        m_liveRemote -= IsRemoteEntry(e);
    }
}

std::vector<Membership::FailureEvent>
Membership::CheckFailures(Time now)
{
    std::vector<FailureEvent> events;
    // One pass that keeps the survivors in place (ascending ids, as the events come).
    auto out = m_members.begin();
    for (auto it = m_members.begin(); it != m_members.end(); ++it)
    {
        Entry& m = *it;
        const Time updated = TimeStep(m.updated);
        if (!m.failed && now - updated > m_failTimeout)
        {
            events.push_back({m.id, false});
            RemoveLive(m);
            m.failed = 1;
            m_viewDirty = true;
        }
        if (m.failed && now - updated > m_removeTimeout)
        {
            // Keep membership bounded; a tombstone stops stale samples from reviving it.
            events.push_back({m.id, true});
            m_removed[m.id] = {m.heartbeat, now};
            m_knownRemote -= IsRemoteEntry(m);
            m_viewDirty = true;
            continue;
        }
        *out++ = m;
    }
    m_members.erase(out, m_members.end());
    // Tombstones outlive any stale sample still circulating (members stop gossiping a member
    // once they see it failed), then go too.
    for (auto it = m_removed.begin(); it != m_removed.end();)
    {
        it = (now - it->second.second > m_removeTimeout) ? m_removed.erase(it) : std::next(it);
    }
    return events;
}

const std::vector<GossipSenderId>&
Membership::LiveIds()
{
    // The live list is kept up to date as members come and go; only the partial view is pruned
    // here, lazily, so that a member failed and revived since the last call stays in it.
    if (m_viewDirty)
    {
        m_viewDirty = false;
        if (m_partialView > 0)
        {
            m_view.erase(std::remove_if(m_view.begin(),
                                        m_view.end(),
                                        [this](GossipSenderId v) {
                                            const Entry* e = FindEntry(v);
                                            return !e || e->failed;
                                        }),
                         m_view.end());
        }
    }
    return m_liveIds;
}

uint32_t
Membership::GetLiveRemote() const
{
    return m_liveRemote;
}

std::vector<GossipSenderId>
Membership::PickTargets(uint32_t n, const Rng& rng)
{
    const std::vector<GossipSenderId>& live = LiveIds();
    const std::vector<GossipSenderId>* pool = &live;
    if (m_partialView > 0)
    {
        // Top the view up with random live members not in it yet.
        uint32_t want = std::min<uint32_t>(m_partialView, live.size());
        for (uint32_t tries = 0; m_view.size() < want && tries < 4 * want; ++tries)
        {
            GossipSenderId c = live[rng(live.size())];
            if (std::find(m_view.begin(), m_view.end(), c) == m_view.end())
            {
                m_view.push_back(c);
            }
        }
        pool = &m_view;
    }
    std::vector<GossipSenderId> out;
    if (pool->empty())
    {
        return out;
    }
    n = std::min<uint32_t>(n, pool->size());
    while (out.size() < n)
    {
        GossipSenderId c = (*pool)[rng(pool->size())];
        if (std::find(out.begin(), out.end(), c) == out.end())
        {
            out.push_back(c);
        }
    }
    return out;
}

std::vector<GossipSenderId>
Membership::PickEach(uint32_t n, const std::function<double()>& uniform)
{
    const std::vector<GossipSenderId>& live = LiveIds();
    const std::vector<GossipSenderId>& pool = m_partialView > 0 ? m_view : live;
    std::vector<GossipSenderId> out;
    if (pool.empty())
    {
        return out;
    }
    const double p = std::min(1.0, double(n) / pool.size());
    for (GossipSenderId c : pool)
    {
        if (uniform() < p)
        {
            out.push_back(c);
        }
    }
    return out;
}

std::vector<MemberEntry>
Membership::Sample(uint32_t n, const MemberEntry& self, const Rng& rng)
{
    std::vector<MemberEntry> out{self};
    const std::vector<GossipSenderId>& live = LiveIds();
    if (live.empty() || n <= 1)
    {
        return out;
    }
    // A small vector, not a set: the sample is a few entries, drawn every round.
    std::vector<GossipSenderId> chosen;
    uint32_t want = std::min<uint32_t>(n - 1, live.size());
    if (want == live.size())
    {
        chosen = live;
    }
    while (chosen.size() < want)
    {
        GossipSenderId c = live[rng(live.size())];
        if (std::find(chosen.begin(), chosen.end(), c) == chosen.end())
        {
            chosen.push_back(c);
        }
    }
    std::sort(chosen.begin(), chosen.end());
    out.reserve(1 + chosen.size());
    for (GossipSenderId id : chosen)
    {
        const Entry& m = *FindEntry(id);
        const auto& contact = ContactOf(m);
        MemberEntry e;
        e.id = id;
        e.address = contact.first;
        e.datacenter = contact.second;
        e.heartbeat = m.heartbeat;
        out.push_back(e);
    }
    return out;
}

std::optional<Membership::Member>
Membership::Find(GossipSenderId id) const
{
    const Entry* e = FindEntry(id);
    if (!e)
    {
        return std::nullopt;
    }
    const auto& contact = ContactOf(*e);
    Member m;
    m.address = contact.first;
    m.datacenter = contact.second;
    m.heartbeat = e->heartbeat;
    m.updated = TimeStep(e->updated);
    m.failed = e->failed;
    return m;
}

Ipv4Address
Membership::GetAddress(GossipSenderId id) const
{
    return ContactOf(*FindEntry(id)).first;
}

bool
Membership::Contains(GossipSenderId id) const
{
    return FindEntry(id) != nullptr;
}

bool
Membership::IsLive(GossipSenderId id) const
{
    const Entry* e = FindEntry(id);
    return e && !e->failed;
}

bool
Membership::IsRemote(Ipv4Address address) const
{
    if (m_knownRemote == 0)
    {
        return false; // no member of another datacenter is known: skip the scan
    }
    for (const Entry& e : m_members)
    {
        const auto& contact = ContactOf(e);
        if (contact.first == address)
        {
            return contact.second != m_datacenter;
        }
    }
    return false;
}

uint32_t
Membership::GetLiveCount() const
{
    return m_liveIds.size();
}

uint32_t
Membership::GetKnownCount() const
{
    return m_members.size();
}

} // namespace pbcast
} // namespace ns3
