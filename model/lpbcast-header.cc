/*
 * SPDX-License-Identifier: GPL-2.0-only
 */
#include "lpbcast-header.h"

#include "ns3/abort.h"
#include "ns3/ipv4-address.h"

#include <algorithm>
#include <limits>
#include <sstream>

namespace ns3
{

NS_OBJECT_ENSURE_REGISTERED(LpbcastHeader);

namespace
{
/// Largest number of intervals any sender of the digest has.
uint32_t
MaxIntervalsPerSender(const GossipDigest& d)
{
    size_t most = 0;
    for (GossipSenderId s : d.GetSenders())
    {
        most = std::max(most, boost::icl::interval_count(d.Get(s)));
    }
    return most;
}

/// Drop the digest's oldest intervals until it is at most budget bytes (or has none left).
void
ShrinkDigest(GossipDigest& d, uint32_t budget)
{
    uint32_t keep = MaxIntervalsPerSender(d);
    while (d.GetSerializedSize() > budget && keep > 0)
    {
        keep = keep > 8 ? keep - keep / 4 : keep - 1;
        d.TruncateOldest(keep);
    }
}
} // namespace

LpbcastHeader::LpbcastHeader() = default;

TypeId
LpbcastHeader::GetTypeId()
{
    static TypeId tid = TypeId("ns3::LpbcastHeader")
                            .SetParent<Header>()
                            .SetGroupName("Gossip")
                            .AddConstructor<LpbcastHeader>();
    return tid;
}

TypeId
LpbcastHeader::GetInstanceTypeId() const
{
    return GetTypeId();
}

void
LpbcastHeader::SetType(Type t)
{
    m_type = t;
}

LpbcastHeader::Type
LpbcastHeader::GetType() const
{
    return m_type;
}

bool
LpbcastHeader::IsValid() const
{
    return m_valid;
}

const std::string&
LpbcastHeader::GetError() const
{
    return m_error;
}

std::string
LpbcastHeader::IdToString(uint32_t id)
{
    std::ostringstream os;
    Ipv4Address(id).Print(os);
    return os.str();
}

template <typename W>
void
LpbcastHeader::Encode(W& w) const
{
    w.U8(VERSION);
    w.U8(m_type);
    auto writeEvents = [&w](const std::vector<lpbcast::Event>& list) {
        w.U16(list.size());
        for (const auto& e : list)
        {
            w.U32(e.id.sender);
            w.U32(static_cast<uint32_t>(e.id.seq));
            w.U16(std::min<uint32_t>(e.age, 0xffff));
            w.U16(e.payload.size());
            if (!e.payload.empty())
            {
                w.Bytes(e.payload.data(), e.payload.size());
            }
        }
    };
    switch (m_type)
    {
    case GOSSIP:
        writeEvents(events);
        w.U16(eventIds.GetSerializedSize());
        eventIds.Encode(w);
        w.U16(subs.size());
        for (uint32_t s : subs)
        {
            w.U32(s);
        }
        w.U16(unSubs.size());
        for (const auto& u : unSubs)
        {
            w.U32(u.first);
            w.I64(u.second);
        }
        break;
    case RETRIEVE_REQUEST:
        w.U16(wanted.size());
        for (const auto& id : wanted)
        {
            w.U32(id.sender);
            w.U32(static_cast<uint32_t>(id.seq));
        }
        break;
    case RETRIEVE_REPLY:
        writeEvents(events);
        break;
    case PROBE:
    case PROBE_REPLY:
        w.U32(nonce);
        w.I64(sentNs);
        break;
    }
}

uint32_t
LpbcastHeader::GetSerializedSize() const
{
    gossip::WireSizer w;
    Encode(w);
    return w.GetSize();
}

void
LpbcastHeader::Serialize(Buffer::Iterator it) const
{
    // The counts are 16-bit on the wire: a silent wrap would make every receiver drop it.
    NS_ABORT_MSG_IF(m_type == GOSSIP && (eventIds.GetSerializedSize() > 0xffff ||
                                         subs.size() > 0xffff || unSubs.size() > 0xffff),
                    "lpbcast gossip too large for its 16-bit length fields (digest "
                        << eventIds.GetSerializedSize() << " bytes, " << subs.size() << " subs, "
                        << unSubs.size() << " unSubs): call FitGossip()");
    gossip::WireWriter w(it);
    Encode(w);
}

bool
LpbcastHeader::FitGossip(uint32_t maxBytes)
{
    const uint32_t lengthField = std::numeric_limits<uint16_t>::max();
    if (GetSerializedSize() > maxBytes || eventIds.GetSerializedSize() > lengthField)
    {
        ShrinkDigest(eventIds, std::min(lengthField, maxBytes / 2));
    }
    while (!events.empty() && GetSerializedSize() > maxBytes)
    {
        events.erase(events.begin());
    }
    if (GetSerializedSize() > maxBytes)
    {
        ShrinkDigest(eventIds, 0);
    }
    return GetSerializedSize() <= maxBytes && eventIds.GetSerializedSize() <= lengthField &&
           subs.size() <= lengthField && unSubs.size() <= lengthField;
}

bool
LpbcastHeader::Decode(gossip::WireReader& r)
{
    auto readEvents = [this, &r]() {
        if (!r.Need(2, "event count"))
        {
            return false;
        }
        const uint32_t n = r.U16();
        if (n > MAX_ITEMS)
        {
            return r.Fail("too many events");
        }
        for (uint32_t i = 0; i < n; ++i)
        {
            if (!r.Need(12, "event")) // origin, seq, age, payload length
            {
                return false;
            }
            lpbcast::Event e;
            e.id.sender = r.U32();
            e.id.seq = r.U32();
            e.age = r.U16();
            const uint32_t len = r.U16();
            if (e.id.seq == 0)
            {
                return r.Fail("event seq 0");
            }
            if (!r.Need(len, "event payload") || !r.Bytes(e.payload, len))
            {
                return false;
            }
            events.push_back(std::move(e));
        }
        return true;
    };
    // A count of 16 bits, within MAX_ITEMS, whose items of size bytes each are all there.
    auto readCount = [&r](uint32_t size, const char* what) -> uint32_t {
        if (!r.Need(2, what))
        {
            return 0;
        }
        const uint32_t n = r.U16();
        if (n > MAX_ITEMS)
        {
            r.Fail(std::string(what) + ": more than the limit");
            return 0;
        }
        r.Need(size * n, what);
        return r.Ok() ? n : 0;
    };

    if (!r.Need(2, "version and type"))
    {
        return false;
    }
    const uint8_t version = r.U8();
    const uint8_t type = r.U8();
    if (version != VERSION)
    {
        return r.Fail("unknown version");
    }
    if (type < GOSSIP || type > PROBE_REPLY)
    {
        return r.Fail("unknown type");
    }
    m_type = Type(type);
    switch (m_type)
    {
    case GOSSIP: {
        if (!readEvents() || !r.Need(2, "digest length"))
        {
            break;
        }
        // The digest, read within its own length (it must fill it exactly).
        const uint32_t length = r.U16();
        std::vector<uint8_t> digest;
        if (!r.Need(length, "digest") || !r.Bytes(digest, length))
        {
            break;
        }
        if (length > 0)
        {
            gossip::WireReader d(digest.data(), length);
            if (!eventIds.Decode(d) || d.GetRemaining() != 0)
            {
                r.Fail("bad digest" +
                       (d.Ok() ? std::string(": trailing bytes") : ": " + d.GetError()));
                break;
            }
        }
        const uint32_t ns = readCount(4, "subs");
        for (uint32_t i = 0; i < ns; ++i)
        {
            subs.push_back(r.U32());
        }
        const uint32_t nu = readCount(12, "unSubs");
        for (uint32_t i = 0; i < nu; ++i)
        {
            const uint32_t id = r.U32();
            unSubs.push_back({id, r.I64()});
        }
        break;
    }
    case RETRIEVE_REQUEST: {
        const uint32_t n = readCount(8, "request");
        for (uint32_t i = 0; i < n; ++i)
        {
            GossipMessageId id;
            id.sender = r.U32();
            id.seq = r.U32();
            wanted.push_back(id);
        }
        break;
    }
    case RETRIEVE_REPLY:
        readEvents();
        break;
    case PROBE:
    case PROBE_REPLY:
        if (r.Need(12, "probe"))
        {
            nonce = r.U32();
            sentNs = r.I64();
        }
        break;
    }
    if (r.Ok() && r.GetRemaining() != 0)
    {
        r.Fail("trailing bytes");
    }
    return r.Ok();
}

void
LpbcastHeader::ClearContent()
{
    events.clear();
    eventIds.Clear();
    subs.clear();
    unSubs.clear();
    wanted.clear();
}

uint32_t
LpbcastHeader::Deserialize(Buffer::Iterator start)
{
    m_valid = false;
    m_error.clear();
    ClearContent();
    gossip::WireReader r(start, start.GetRemainingSize());
    if (!Decode(r))
    {
        m_error = r.GetError();
        ClearContent();
        return 0;
    }
    m_valid = true;
    return r.GetConsumed();
}

bool
LpbcastHeader::operator==(const LpbcastHeader& o) const
{
    if (m_type != o.m_type || m_valid != o.m_valid || m_error != o.m_error)
    {
        return false;
    }
    switch (m_type)
    {
    case GOSSIP:
        return events == o.events && eventIds == o.eventIds && subs == o.subs && unSubs == o.unSubs;
    case RETRIEVE_REQUEST:
        return wanted == o.wanted;
    case RETRIEVE_REPLY:
        return events == o.events;
    case PROBE:
    case PROBE_REPLY:
        return nonce == o.nonce && sentNs == o.sentNs;
    }
    return true;
}

bool
LpbcastHeader::operator!=(const LpbcastHeader& o) const
{
    return !(*this == o);
}

void
LpbcastHeader::Print(std::ostream& os) const
{
    static const char* names[] =
        {"?", "GOSSIP", "RETRIEVE_REQUEST", "RETRIEVE_REPLY", "PROBE", "PROBE_REPLY"};
    os << "lpbcast v" << int(VERSION) << " " << names[m_type <= PROBE_REPLY ? m_type : 0];
    if (!m_valid)
    {
        os << " MALFORMED(" << m_error << ")";
        return;
    }
    auto printEvents = [&]() {
        os << " events=[";
        for (size_t i = 0; i < events.size(); ++i)
        {
            os << (i ? " " : "") << IdToString(events[i].id.sender) << "#" << events[i].id.seq
               << "/age" << events[i].age;
        }
        os << "]";
    };
    switch (m_type)
    {
    case GOSSIP:
        printEvents();
        os << " eventIds={" << eventIds.ToString() << "} subs=[";
        for (size_t i = 0; i < subs.size(); ++i)
        {
            os << (i ? " " : "") << IdToString(subs[i]);
        }
        os << "] unSubs=[";
        for (size_t i = 0; i < unSubs.size(); ++i)
        {
            os << (i ? " " : "") << IdToString(unSubs[i].first) << "@" << unSubs[i].second << "ns";
        }
        os << "]";
        break;
    case RETRIEVE_REQUEST:
        os << " wanted=[";
        for (size_t i = 0; i < wanted.size(); ++i)
        {
            os << (i ? " " : "") << IdToString(wanted[i].sender) << "#" << wanted[i].seq;
        }
        os << "]";
        break;
    case RETRIEVE_REPLY:
        printEvents();
        break;
    case PROBE:
    case PROBE_REPLY:
        os << " nonce=" << nonce << " sent=" << sentNs << "ns";
        break;
    }
}

std::ostream&
operator<<(std::ostream& os, const LpbcastHeader& h)
{
    h.Print(os);
    return os;
}

} // namespace ns3
