/*
 * SPDX-License-Identifier: GPL-2.0-only
 */
#include "gossip-digest.h"

#include <limits>
#include <sstream>

namespace ns3
{

namespace
{
typedef boost::icl::interval_set<uint64_t>::interval_type SeqInterval;

SeqInterval
Closed(uint64_t lo, uint64_t hi)
{
    return boost::icl::interval<uint64_t>::closed(lo, hi);
}

const GossipDigest::SeqSet&
EmptySet()
{
    static const GossipDigest::SeqSet empty;
    return empty;
}
} // namespace

void
GossipDigest::Add(GossipSenderId sender, uint64_t seq)
{
    Entry& e = m_entries[sender];
    if (seq >= e.floor)
    {
        e.seqs.add(seq);
    }
}

void
GossipDigest::AddRange(GossipSenderId sender, uint64_t lo, uint64_t hi)
{
    Entry& e = m_entries[sender];
    lo = std::max(lo, e.floor);
    if (lo <= hi)
    {
        e.seqs.add(Closed(lo, hi));
    }
}

void
GossipDigest::Remove(GossipSenderId sender, uint64_t seq)
{
    auto it = m_entries.find(sender);
    if (it != m_entries.end())
    {
        it->second.seqs.subtract(seq);
    }
}

bool
GossipDigest::Contains(GossipSenderId sender, uint64_t seq) const
{
    auto it = m_entries.find(sender);
    return it != m_entries.end() && boost::icl::contains(it->second.seqs, seq);
}

void
GossipDigest::SetFloor(GossipSenderId sender, uint64_t floor)
{
    Entry& e = m_entries[sender];
    if (floor <= e.floor)
    {
        return;
    }
    e.floor = floor;
    e.seqs.erase(Closed(0, floor - 1));
}

uint64_t
GossipDigest::GetFloor(GossipSenderId sender) const
{
    auto it = m_entries.find(sender);
    return it == m_entries.end() ? 0 : it->second.floor;
}

std::vector<GossipSenderId>
GossipDigest::GetSenders() const
{
    std::vector<GossipSenderId> v;
    v.reserve(m_entries.size());
    for (const auto& kv : m_entries)
    {
        v.push_back(kv.first);
    }
    return v;
}

const GossipDigest::SeqSet&
GossipDigest::Get(GossipSenderId sender) const
{
    auto it = m_entries.find(sender);
    return it == m_entries.end() ? EmptySet() : it->second.seqs;
}

bool
GossipDigest::GetHighest(GossipSenderId sender, uint64_t& highest) const
{
    auto it = m_entries.find(sender);
    if (it == m_entries.end() || it->second.seqs.empty())
    {
        return false;
    }
    highest = boost::icl::last(*it->second.seqs.rbegin());
    return true;
}

uint64_t
GossipDigest::GetCount() const
{
    uint64_t n = 0;
    for (const auto& kv : m_entries)
    {
        n += boost::icl::cardinality(kv.second.seqs);
    }
    return n;
}

uint64_t
GossipDigest::GetIntervalCount() const
{
    uint64_t n = 0;
    for (const auto& kv : m_entries)
    {
        n += boost::icl::interval_count(kv.second.seqs);
    }
    return n;
}

bool
GossipDigest::IsEmpty() const
{
    for (const auto& kv : m_entries)
    {
        if (!kv.second.seqs.empty())
        {
            return false;
        }
    }
    return true;
}

void
GossipDigest::Clear()
{
    m_entries.clear();
}

void
GossipDigest::Erase(GossipSenderId sender)
{
    m_entries.erase(sender);
}

GossipDigest
GossipDigest::Minus(const GossipDigest& other) const
{
    GossipDigest d;
    for (const auto& kv : m_entries)
    {
        uint64_t floor = std::max(kv.second.floor, other.GetFloor(kv.first));
        SeqSet s = kv.second.seqs - other.Get(kv.first);
        if (floor > 0)
        {
            s.erase(Closed(0, floor - 1));
        }
        if (!s.empty())
        {
            Entry& e = d.m_entries[kv.first];
            e.floor = floor;
            e.seqs = std::move(s);
        }
    }
    return d;
}

std::vector<GossipMessageId>
GossipDigest::MostRecentFirst(uint32_t cap) const
{
    struct Cursor
    {
        GossipSenderId sender;
        SeqSet::const_reverse_iterator it;
        SeqSet::const_reverse_iterator end;
        uint64_t next; // next number to emit within *it
    };

    std::vector<Cursor> cursors;
    for (const auto& kv : m_entries)
    {
        if (!kv.second.seqs.empty())
        {
            auto it = kv.second.seqs.rbegin();
            cursors.push_back({kv.first, it, kv.second.seqs.rend(), boost::icl::last(*it)});
        }
    }
    std::vector<GossipMessageId> out;
    while (out.size() < cap && !cursors.empty())
    {
        for (auto c = cursors.begin(); c != cursors.end() && out.size() < cap;)
        {
            out.push_back({c->sender, c->next});
            if (c->next > boost::icl::first(*c->it))
            {
                --c->next;
            }
            else if (++c->it != c->end)
            {
                c->next = boost::icl::last(*c->it);
            }
            else
            {
                c = cursors.erase(c);
                continue;
            }
            ++c;
        }
    }
    return out;
}

void
GossipDigest::TruncateOldest(uint32_t maxIntervals)
{
    for (auto& kv : m_entries)
    {
        SeqSet& s = kv.second.seqs;
        size_t n = boost::icl::interval_count(s);
        if (n <= maxIntervals)
        {
            continue;
        }
        // The first kept interval starts the new window.
        uint64_t floor;
        if (maxIntervals == 0)
        {
            floor = boost::icl::last(*s.rbegin()) + 1;
        }
        else
        {
            auto it = s.begin();
            std::advance(it, n - maxIntervals);
            floor = boost::icl::first(*it);
        }
        kv.second.floor = std::max(kv.second.floor, floor);
        s.erase(Closed(0, kv.second.floor - 1));
    }
}

std::string
GossipDigest::ToString() const
{
    std::ostringstream os;
    bool firstSender = true;
    for (const auto& kv : m_entries)
    {
        os << (firstSender ? "" : "; ");
        firstSender = false;
        bool first = true;
        for (const auto& iv : kv.second.seqs)
        {
            uint64_t lo = boost::icl::first(iv);
            uint64_t hi = boost::icl::last(iv);
            os << (first ? "" : ", ") << lo;
            if (hi > lo)
            {
                os << "-" << hi;
            }
            first = false;
        }
        if (first)
        {
            os << "none";
        }
        os << " from " << kv.first;
        if (kv.second.floor > 0)
        {
            os << " [>=" << kv.second.floor << "]";
        }
    }
    return os.str();
}

uint32_t
GossipDigest::GetSerializedSize() const
{
    gossip::WireSizer w;
    Encode(w);
    return w.GetSize();
}

void
GossipDigest::Serialize(Buffer::Iterator& it) const
{
    gossip::WireWriter w(it);
    Encode(w);
}

bool
GossipDigest::Decode(gossip::WireReader& r)
{
    m_entries.clear();
    const uint64_t maxSeq = std::numeric_limits<uint64_t>::max();
    uint64_t nSenders = r.VarintCount(MAX_SENDERS, 0, "digest senders");
    for (uint64_t s = 0; r.Ok() && s < nSenders; ++s)
    {
        uint64_t id = r.Varint();
        uint64_t floor = r.Varint();
        uint64_t nIntervals = r.Varint();
        if (!r.Ok())
        {
            break;
        }
        if (id > std::numeric_limits<GossipSenderId>::max())
        {
            r.Fail("digest: sender id above 32 bits");
            break;
        }
        // Each interval takes at least two bytes.
        if (nIntervals > MAX_INTERVALS || nIntervals * 2 > r.GetRemaining())
        {
            r.Fail("digest: interval count exceeds the limit or the bytes left");
            break;
        }
        if (m_entries.count(static_cast<GossipSenderId>(id)))
        {
            r.Fail("digest: sender listed twice");
            break;
        }
        Entry& e = m_entries[static_cast<GossipSenderId>(id)];
        e.floor = floor;
        uint64_t cursor = floor;
        for (uint64_t i = 0; i < nIntervals; ++i)
        {
            uint64_t gap = r.Varint();
            uint64_t len = r.Varint();
            if (!r.Ok())
            {
                break;
            }
            if (gap > maxSeq - cursor || len > maxSeq - cursor - gap)
            {
                r.Fail("digest: interval beyond 64 bits");
                break;
            }
            uint64_t lo = cursor + gap;
            uint64_t hi = lo + len;
            e.seqs.add(Closed(lo, hi));
            if (hi == maxSeq && i + 1 < nIntervals)
            {
                r.Fail("digest: interval after the highest number");
                break;
            }
            cursor = hi + 1;
        }
    }
    if (!r.Ok())
    {
        m_entries.clear();
    }
    return r.Ok();
}

uint32_t
GossipDigest::Deserialize(Buffer::Iterator& it, uint32_t maxBytes)
{
    gossip::WireReader r(it, maxBytes);
    if (!Decode(r))
    {
        return 0;
    }
    it.Next(r.GetConsumed());
    return r.GetConsumed();
}

std::ostream&
operator<<(std::ostream& os, const GossipDigest& d)
{
    return os << d.ToString();
}

bool
GossipDigest::operator==(const GossipDigest& o) const
{
    if (m_entries.size() != o.m_entries.size())
    {
        return false;
    }
    for (auto a = m_entries.begin(), b = o.m_entries.begin(); a != m_entries.end(); ++a, ++b)
    {
        if (a->first != b->first || a->second.floor != b->second.floor ||
            !(a->second.seqs == b->second.seqs))
        {
            return false;
        }
    }
    return true;
}

} // namespace ns3
