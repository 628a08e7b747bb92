/*
 * SPDX-License-Identifier: GPL-2.0-only
 */
#include "pbcast-header.h"

namespace ns3
{

NS_OBJECT_ENSURE_REGISTERED(PbcastHeader);

namespace pbcast
{

std::ostream&
operator<<(std::ostream& os, const MemberEntry& e)
{
    return os << e.id << "@" << e.address << " dc=" << e.datacenter << " hb=" << e.heartbeat;
}

} // namespace pbcast

PbcastHeader::PbcastHeader() = default;

TypeId
PbcastHeader::GetTypeId()
{
    static TypeId tid = TypeId("ns3::PbcastHeader")
                            .SetParent<Header>()
                            .SetGroupName("Gossip")
                            .AddConstructor<PbcastHeader>();
    return tid;
}

TypeId
PbcastHeader::GetInstanceTypeId() const
{
    return GetTypeId();
}

const char*
PbcastHeader::TypeName(uint8_t type)
{
    switch (type)
    {
    case DATA:
        return "DATA";
    case RETRANS:
        return "RETRANS";
    case GOSSIP:
        return "GOSSIP";
    case SOLICIT:
        return "SOLICIT";
    case JOIN:
        return "JOIN";
    default:
        return "UNKNOWN";
    }
}

template <typename W>
void
PbcastHeader::Encode(W& w) const
{
    w.U8(VERSION);
    w.U8(m_type);
    w.U8(m_flags);
    auto members = [&w](const std::vector<pbcast::MemberEntry>& entries) {
        w.Varint(entries.size());
        for (const auto& m : entries)
        {
            w.Varint(m.id);
            w.Address(m.address);
            w.Varint(m.datacenter);
            w.Varint(m.heartbeat);
        }
    };
    switch (m_type)
    {
    case DATA:
    case RETRANS:
        w.Varint(m_origin);
        w.Varint(m_seq);
        w.Varint(static_cast<uint64_t>(m_sentNs));
        break;
    case GOSSIP:
    case SOLICIT:
        w.Varint(m_source);
        w.Varint(m_round);
        w.Varint(m_datacenter);
        m_digest.Encode(w);
        if (m_type == GOSSIP)
        {
            members(m_members);
        }
        break;
    case JOIN:
        w.Varint(m_source);
        w.Varint(m_datacenter);
        members(m_members);
        break;
    }
}

uint32_t
PbcastHeader::GetSerializedSize() const
{
    gossip::WireSizer w;
    Encode(w);
    return w.GetSize();
}

void
PbcastHeader::Serialize(Buffer::Iterator it) const
{
    gossip::WireWriter w(it);
    Encode(w);
}

bool
PbcastHeader::Decode(gossip::WireReader& r)
{
    auto u32 = [&r](const char* what) {
        uint64_t v = r.Varint();
        if (v > 0xffffffffULL)
        {
            r.Fail(std::string(what) + " above 32 bits");
        }
        return static_cast<uint32_t>(v);
    };
    auto members = [&]() {
        // Each entry takes at least 7 bytes: impossible counts are refused before reserving.
        uint64_t n = r.VarintCount(MAX_MEMBERS, 7, "members");
        m_members.reserve(n);
        for (uint64_t i = 0; r.Ok() && i < n; ++i)
        {
            pbcast::MemberEntry e;
            e.id = u32("member id");
            e.address = Ipv4Address(r.U32());
            e.datacenter = u32("member datacenter");
            e.heartbeat = r.Varint();
            m_members.push_back(e);
        }
    };
    uint8_t version = r.U8();
    uint8_t type = r.U8();
    m_flags = r.U8();
    if (r.Ok() && (version != VERSION || type < DATA || type > JOIN))
    {
        return r.Fail("pbcast: unknown version or type");
    }
    m_type = static_cast<MessageType>(type);
    switch (m_type)
    {
    case DATA:
    case RETRANS: {
        m_origin = u32("origin");
        m_seq = r.Varint();
        uint64_t sent = r.Varint();
        if (sent > uint64_t(INT64_MAX))
        {
            r.Fail("send time above 63 bits");
        }
        m_sentNs = static_cast<int64_t>(sent);
        break;
    }
    case GOSSIP:
    case SOLICIT:
        m_source = u32("source");
        m_round = r.Varint();
        m_datacenter = u32("datacenter");
        if (r.Ok() && m_digest.Decode(r) && m_type == GOSSIP)
        {
            members();
        }
        break;
    case JOIN:
        m_source = u32("source");
        m_datacenter = u32("datacenter");
        if (r.Ok())
        {
            members();
        }
        break;
    }
    return r.Ok();
}

uint32_t
PbcastHeader::Deserialize(Buffer::Iterator it)
{
    m_valid = false;
    m_error.clear();
    m_digest.Clear();
    m_members.clear();
    gossip::WireReader r(it, it.GetRemainingSize());
    if (!Decode(r))
    {
        m_error = r.GetError();
        m_digest.Clear();
        m_members.clear();
        return 0;
    }
    m_valid = true;
    return r.GetConsumed();
}

void
PbcastHeader::Print(std::ostream& os) const
{
    if (!m_valid)
    {
        os << "pbcast MALFORMED";
        return;
    }
    os << "pbcast v" << unsigned(VERSION) << " " << TypeName(m_type);
    switch (m_type)
    {
    case DATA:
    case RETRANS:
        os << " msg=" << m_origin << ":" << m_seq << " sent=" << m_sentNs << "ns"
           << ((m_flags & FLAG_MULTICAST) ? " multicast" : " unicast");
        break;
    case GOSSIP:
    case SOLICIT:
        os << " from=" << m_source << " dc=" << m_datacenter
           << ((m_type == SOLICIT && (m_flags & FLAG_TIMED)) ? " sent=" : " round=") << m_round
           << (m_type == SOLICIT && (m_flags & FLAG_TIMED) ? "ns {" : " {")

           << m_digest.ToString() << "}";
        if (m_type == GOSSIP)
        {
            os << " members=" << m_members.size();
        }
        break;
    case JOIN:
        os << " from=" << m_source << " dc=" << m_datacenter << " members=" << m_members.size()
           << ((m_flags & FLAG_REPLY) ? " reply" : "");
        break;
    }
}

bool
PbcastHeader::IsValid() const
{
    return m_valid;
}

const std::string&
PbcastHeader::GetError() const
{
    return m_error;
}

bool
PbcastHeader::operator==(const PbcastHeader& o) const
{
    if (!m_valid || !o.m_valid)
    {
        return m_valid == o.m_valid;
    }
    std::vector<uint8_t> mine;
    std::vector<uint8_t> theirs;
    gossip::WireVectorWriter a(mine);
    gossip::WireVectorWriter b(theirs);
    Encode(a);
    o.Encode(b);
    return mine == theirs;
}

bool
PbcastHeader::operator!=(const PbcastHeader& o) const
{
    return !(*this == o);
}

std::ostream&
operator<<(std::ostream& os, const PbcastHeader& h)
{
    h.Print(os);
    return os;
}

void
PbcastHeader::SetType(MessageType t)
{
    m_type = t;
}

PbcastHeader::MessageType
PbcastHeader::GetType() const
{
    return m_type;
}

void
PbcastHeader::SetFlags(uint8_t f)
{
    m_flags = f;
}

uint8_t
PbcastHeader::GetFlags() const
{
    return m_flags;
}

void
PbcastHeader::SetMessage(GossipSenderId origin, uint64_t seq, Time sent)
{
    m_origin = origin;
    m_seq = seq;
    m_sentNs = std::max<int64_t>(0, sent.GetNanoSeconds());
}

GossipSenderId
PbcastHeader::GetOrigin() const
{
    return m_origin;
}

uint64_t
PbcastHeader::GetSeq() const
{
    return m_seq;
}

Time
PbcastHeader::GetSendTime() const
{
    return NanoSeconds(m_sentNs);
}

void
PbcastHeader::SetSource(GossipSenderId id, uint32_t datacenter)
{
    m_source = id;
    m_datacenter = datacenter;
}

GossipSenderId
PbcastHeader::GetSource() const
{
    return m_source;
}

uint32_t
PbcastHeader::GetDatacenter() const
{
    return m_datacenter;
}

void
PbcastHeader::SetRound(uint64_t round)
{
    m_round = round;
}

uint64_t
PbcastHeader::GetRound() const
{
    return m_round;
}

void
PbcastHeader::SetDigest(const GossipDigest& d)
{
    m_digest = d;
}

const GossipDigest&
PbcastHeader::GetDigest() const
{
    return m_digest;
}

void
PbcastHeader::SetMembers(const std::vector<pbcast::MemberEntry>& m)
{
    m_members = m;
}

const std::vector<pbcast::MemberEntry>&
PbcastHeader::GetMembers() const
{
    return m_members;
}

} // namespace ns3
