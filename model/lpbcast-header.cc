/*
 * SPDX-License-Identifier: GPL-2.0-only
 */
#include "lpbcast-header.h"

#include "ns3/ipv4-address.h"

#include <sstream>

namespace ns3
{

NS_OBJECT_ENSURE_REGISTERED(LpbcastHeader);

namespace
{
const uint32_t kEventFixed = 4 + 4 + 2 + 2; // origin, seq, age, payload length

uint32_t
EventsSize(const std::vector<LpbcastEvent>& events)
{
    uint32_t n = 2;
    for (const auto& e : events)
    {
        n += kEventFixed + e.payload.size();
    }
    return n;
}

void
WriteEvents(Buffer::Iterator& it, const std::vector<LpbcastEvent>& events)
{
    it.WriteHtonU16(events.size());
    for (const auto& e : events)
    {
        it.WriteHtonU32(e.id.origin);
        it.WriteHtonU32(e.id.seq);
        it.WriteHtonU16(std::min<uint32_t>(e.age, 0xffff));
        it.WriteHtonU16(e.payload.size());
        if (!e.payload.empty())
        {
            it.Write(e.payload.data(), e.payload.size());
        }
    }
}
} // namespace

LpbcastHeader::LpbcastHeader()
{
}

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

uint32_t
LpbcastHeader::GetSerializedSize() const
{
    uint32_t n = 2;
    switch (m_type)
    {
    case GOSSIP:
        n += EventsSize(events) + 2 + eventIds.GetSerializedSize() + 2 + 4 * subs.size() + 2 +
             12 * unSubs.size();
        break;
    case RETRIEVE_REQUEST:
        n += 2 + 8 * wanted.size();
        break;
    case RETRIEVE_REPLY:
        n += EventsSize(events);
        break;
    case PROBE:
    case PROBE_REPLY:
        n += 4 + 8;
        break;
    }
    return n;
}

void
LpbcastHeader::Serialize(Buffer::Iterator it) const
{
    it.WriteU8(VERSION);
    it.WriteU8(m_type);
    switch (m_type)
    {
    case GOSSIP:
        WriteEvents(it, events);
        it.WriteHtonU16(eventIds.GetSerializedSize());
        eventIds.Serialize(it);
        it.WriteHtonU16(subs.size());
        for (uint32_t s : subs)
        {
            it.WriteHtonU32(s);
        }
        it.WriteHtonU16(unSubs.size());
        for (const auto& u : unSubs)
        {
            it.WriteHtonU32(u.first);
            it.WriteHtonU64(uint64_t(u.second));
        }
        break;
    case RETRIEVE_REQUEST:
        it.WriteHtonU16(wanted.size());
        for (const auto& w : wanted)
        {
            it.WriteHtonU32(w.origin);
            it.WriteHtonU32(w.seq);
        }
        break;
    case RETRIEVE_REPLY:
        WriteEvents(it, events);
        break;
    case PROBE:
    case PROBE_REPLY:
        it.WriteHtonU32(nonce);
        it.WriteHtonU64(uint64_t(sentNs));
        break;
    }
}

bool
LpbcastHeader::Fail(const char* why)
{
    m_valid = false;
    m_error = why;
    events.clear();
    eventIds.Clear();
    subs.clear();
    unSubs.clear();
    wanted.clear();
    return false;
}

uint32_t
LpbcastHeader::Deserialize(Buffer::Iterator start)
{
    Buffer::Iterator it = start;
    uint32_t left = it.GetRemainingSize();
    const uint32_t total = left;
    m_valid = true;
    m_error.clear();
    events.clear();
    eventIds.Clear();
    subs.clear();
    unSubs.clear();
    wanted.clear();

    // Each lambda checks the bytes left before reading.
    auto need = [&](uint32_t n) {
        if (left < n)
        {
            return false;
        }
        left -= n;
        return true;
    };
    auto readEvents = [&]() {
        if (!need(2))
        {
            return Fail("truncated event count");
        }
        uint32_t n = it.ReadNtohU16();
        if (n > MAX_ITEMS)
        {
            return Fail("too many events");
        }
        for (uint32_t i = 0; i < n; ++i)
        {
            if (!need(kEventFixed))
            {
                return Fail("truncated event");
            }
            LpbcastEvent e;
            e.id.origin = it.ReadNtohU32();
            e.id.seq = it.ReadNtohU32();
            e.age = it.ReadNtohU16();
            uint32_t len = it.ReadNtohU16();
            if (e.id.seq == 0)
            {
                return Fail("event seq 0");
            }
            if (!need(len))
            {
                return Fail("truncated event payload");
            }
            e.payload.resize(len);
            if (len > 0)
            {
                it.Read(e.payload.data(), len);
            }
            events.push_back(std::move(e));
        }
        return true;
    };

    if (!need(2))
    {
        Fail("shorter than the version and type bytes");
        return total;
    }
    uint8_t version = it.ReadU8();
    uint8_t type = it.ReadU8();
    if (version != VERSION)
    {
        Fail("unknown version");
        return total;
    }
    if (type < GOSSIP || type > PROBE_REPLY)
    {
        Fail("unknown type");
        return total;
    }
    m_type = Type(type);
    bool ok = true;
    switch (m_type)
    {
    case GOSSIP: {
        ok = readEvents();
        if (!ok)
        {
            break;
        }
        if (!need(2))
        {
            ok = Fail("truncated digest length");
            break;
        }
        uint32_t dlen = it.ReadNtohU16();
        if (dlen > left)
        {
            ok = Fail("digest longer than the datagram");
            break;
        }
        Buffer::Iterator d = it;
        if (dlen > 0 && eventIds.Deserialize(d, dlen) != dlen)
        {
            ok = Fail("bad digest");
            break;
        }
        it.Next(dlen);
        left -= dlen;
        if (!need(2))
        {
            ok = Fail("truncated subs count");
            break;
        }
        uint32_t ns = it.ReadNtohU16();
        if (ns > MAX_ITEMS || !need(4 * ns))
        {
            ok = Fail("truncated subs");
            break;
        }
        for (uint32_t i = 0; i < ns; ++i)
        {
            subs.push_back(it.ReadNtohU32());
        }
        if (!need(2))
        {
            ok = Fail("truncated unSubs count");
            break;
        }
        uint32_t nu = it.ReadNtohU16();
        if (nu > MAX_ITEMS || !need(12 * nu))
        {
            ok = Fail("truncated unSubs");
            break;
        }
        for (uint32_t i = 0; i < nu; ++i)
        {
            uint32_t id = it.ReadNtohU32();
            int64_t ts = int64_t(it.ReadNtohU64());
            unSubs.push_back({id, ts});
        }
        break;
    }
    case RETRIEVE_REQUEST: {
        if (!need(2))
        {
            ok = Fail("truncated request count");
            break;
        }
        uint32_t n = it.ReadNtohU16();
        if (n > MAX_ITEMS || !need(8 * n))
        {
            ok = Fail("truncated request");
            break;
        }
        for (uint32_t i = 0; i < n; ++i)
        {
            LpbcastEventId w;
            w.origin = it.ReadNtohU32();
            w.seq = it.ReadNtohU32();
            wanted.push_back(w);
        }
        break;
    }
    case RETRIEVE_REPLY:
        ok = readEvents();
        break;
    case PROBE:
    case PROBE_REPLY:
        if (!need(12))
        {
            ok = Fail("truncated probe");
            break;
        }
        nonce = it.ReadNtohU32();
        sentNs = int64_t(it.ReadNtohU64());
        break;
    }
    if (!ok)
    {
        return total;
    }
    if (left != 0)
    {
        Fail("trailing bytes");
        return total;
    }
    return total - left;
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
            os << (i ? " " : "") << IdToString(events[i].id.origin) << "#" << events[i].id.seq
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
            os << (i ? " " : "") << IdToString(wanted[i].origin) << "#" << wanted[i].seq;
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

} // namespace ns3
