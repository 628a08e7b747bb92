/*
 * SPDX-License-Identifier: GPL-2.0-only
 */
#include "pbcast-header.h"

namespace ns3
{

NS_OBJECT_ENSURE_REGISTERED(PbcastHeader);

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

namespace
{
uint32_t
MembersSize(const std::vector<PbcastMemberEntry>& members)
{
    uint32_t size = GossipDigest::VarintSize(members.size());
    for (const auto& m : members)
    {
        size += GossipDigest::VarintSize(m.id) + 4 + GossipDigest::VarintSize(m.datacenter) +
                GossipDigest::VarintSize(m.heartbeat);
    }
    return size;
}
} // namespace

uint32_t
PbcastHeader::GetSerializedSize() const
{
    uint32_t size = 3; // version, type, flags
    switch (m_type)
    {
    case DATA:
    case RETRANS:
        size += GossipDigest::VarintSize(m_origin) + GossipDigest::VarintSize(m_seq) +
                GossipDigest::VarintSize(static_cast<uint64_t>(m_sentNs));
        break;
    case GOSSIP:
        size += GossipDigest::VarintSize(m_source) + GossipDigest::VarintSize(m_round) +
                GossipDigest::VarintSize(m_datacenter) + m_digest.GetSerializedSize() +
                MembersSize(m_members);
        break;
    case SOLICIT:
        size += GossipDigest::VarintSize(m_source) + GossipDigest::VarintSize(m_round) +
                GossipDigest::VarintSize(m_datacenter) + m_digest.GetSerializedSize();
        break;
    case JOIN:
        size += GossipDigest::VarintSize(m_source) + GossipDigest::VarintSize(m_datacenter) +
                MembersSize(m_members);
        break;
    }
    return size;
}

void
PbcastHeader::Serialize(Buffer::Iterator it) const
{
    it.WriteU8(VERSION);
    it.WriteU8(m_type);
    it.WriteU8(m_flags);
    auto writeMembers = [&it](const std::vector<PbcastMemberEntry>& members) {
        GossipDigest::WriteVarint(it, members.size());
        for (const auto& m : members)
        {
            GossipDigest::WriteVarint(it, m.id);
            it.WriteHtonU32(m.address.Get());
            GossipDigest::WriteVarint(it, m.datacenter);
            GossipDigest::WriteVarint(it, m.heartbeat);
        }
    };
    switch (m_type)
    {
    case DATA:
    case RETRANS:
        GossipDigest::WriteVarint(it, m_origin);
        GossipDigest::WriteVarint(it, m_seq);
        GossipDigest::WriteVarint(it, static_cast<uint64_t>(m_sentNs));
        break;
    case GOSSIP:
        GossipDigest::WriteVarint(it, m_source);
        GossipDigest::WriteVarint(it, m_round);
        GossipDigest::WriteVarint(it, m_datacenter);
        m_digest.Serialize(it);
        writeMembers(m_members);
        break;
    case SOLICIT:
        GossipDigest::WriteVarint(it, m_source);
        GossipDigest::WriteVarint(it, m_round);
        GossipDigest::WriteVarint(it, m_datacenter);
        m_digest.Serialize(it);
        break;
    case JOIN:
        GossipDigest::WriteVarint(it, m_source);
        GossipDigest::WriteVarint(it, m_datacenter);
        writeMembers(m_members);
        break;
    }
}

uint32_t
PbcastHeader::Deserialize(Buffer::Iterator it)
{
    const uint32_t available = it.GetRemainingSize();
    uint32_t remaining = available;
    m_valid = false;
    m_digest.Clear();
    m_members.clear();
    if (remaining < 3)
    {
        return 0;
    }
    uint8_t version = it.ReadU8();
    uint8_t type = it.ReadU8();
    m_flags = it.ReadU8();
    remaining -= 3;
    if (version != VERSION || type < DATA || type > JOIN)
    {
        return 0;
    }
    m_type = static_cast<MessageType>(type);
    uint64_t v1;
    uint64_t v2;
    uint64_t v3;
    auto readU32 = [&](uint64_t& v) {
        return GossipDigest::ReadVarint(it, remaining, v) && v <= 0xffffffffULL;
    };
    auto readDigest = [&]() {
        uint32_t n = m_digest.Deserialize(it, remaining);
        if (n == 0)
        {
            return false;
        }
        remaining -= n;
        return true;
    };
    auto readMembers = [&]() {
        uint64_t n;
        // Each entry takes at least 7 bytes: reject impossible counts before reserving.
        if (!GossipDigest::ReadVarint(it, remaining, n) || n > MAX_MEMBERS || n * 7 > remaining)
        {
            return false;
        }
        m_members.reserve(n);
        for (uint64_t i = 0; i < n; ++i)
        {
            PbcastMemberEntry e;
            uint64_t id;
            uint64_t dc;
            if (!readU32(id) || remaining < 4)
            {
                return false;
            }
            e.id = static_cast<GossipSenderId>(id);
            e.address = Ipv4Address(it.ReadNtohU32());
            remaining -= 4;
            if (!readU32(dc) || !GossipDigest::ReadVarint(it, remaining, e.heartbeat))
            {
                return false;
            }
            e.datacenter = static_cast<uint32_t>(dc);
            m_members.push_back(e);
        }
        return true;
    };
    bool ok = false;
    switch (m_type)
    {
    case DATA:
    case RETRANS:
        ok = readU32(v1) && GossipDigest::ReadVarint(it, remaining, v2) &&
             GossipDigest::ReadVarint(it, remaining, v3) && v3 <= uint64_t(INT64_MAX);
        if (ok)
        {
            m_origin = static_cast<GossipSenderId>(v1);
            m_seq = v2;
            m_sentNs = static_cast<int64_t>(v3);
        }
        break;
    case GOSSIP:
    case SOLICIT:
        ok = readU32(v1) && GossipDigest::ReadVarint(it, remaining, v2) && readU32(v3);
        if (ok)
        {
            m_source = static_cast<GossipSenderId>(v1);
            m_round = v2;
            m_datacenter = static_cast<uint32_t>(v3);
            ok = readDigest() && (m_type == SOLICIT || readMembers());
        }
        break;
    case JOIN:
        ok = readU32(v1) && readU32(v3);
        if (ok)
        {
            m_source = static_cast<GossipSenderId>(v1);
            m_datacenter = static_cast<uint32_t>(v3);
            ok = readMembers();
        }
        break;
    }
    if (!ok)
    {
        m_digest.Clear();
        m_members.clear();
        return 0;
    }
    m_valid = true;
    return available - remaining;
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
PbcastHeader::SetMembers(const std::vector<PbcastMemberEntry>& m)
{
    m_members = m;
}

const std::vector<PbcastMemberEntry>&
PbcastHeader::GetMembers() const
{
    return m_members;
}

} // namespace ns3
