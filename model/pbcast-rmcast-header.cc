/*
 * SPDX-License-Identifier: GPL-2.0-only
 */
#include "pbcast-rmcast-header.h"

namespace ns3
{

NS_OBJECT_ENSURE_REGISTERED(PbcastRmcastHeader);

TypeId
PbcastRmcastHeader::GetTypeId()
{
    static TypeId tid = TypeId("ns3::PbcastRmcastHeader")
                            .SetParent<Header>()
                            .SetGroupName("Gossip")
                            .AddConstructor<PbcastRmcastHeader>();
    return tid;
}

TypeId
PbcastRmcastHeader::GetInstanceTypeId() const
{
    return GetTypeId();
}

void
PbcastRmcastHeader::Print(std::ostream& os) const
{
    if (!m_valid)
    {
        os << "rmcast MALFORMED";
        return;
    }
    const char* names[] = {"?", "DATA", "ACK", "NACK"};
    os << "rmcast v" << unsigned(VERSION) << " " << names[type] << " seq=" << seq
       << " value=" << value;
}

template <typename W>
void
PbcastRmcastHeader::Encode(W& w) const
{
    w.U8(VERSION);
    w.U8(type);
    w.U64(seq);
    w.U64(value);
    w.I64(sentNs);
}

uint32_t
PbcastRmcastHeader::GetSerializedSize() const
{
    gossip::WireSizer w;
    Encode(w);
    return w.GetSize();
}

void
PbcastRmcastHeader::Serialize(Buffer::Iterator it) const
{
    gossip::WireWriter w(it);
    Encode(w);
}

uint32_t
PbcastRmcastHeader::Deserialize(Buffer::Iterator it)
{
    m_valid = false;
    gossip::WireReader r(it, it.GetRemainingSize());
    uint8_t v = r.U8();
    uint8_t t = r.U8();
    if (r.Ok() && (v != VERSION || t < DATA || t > NACK))
    {
        r.Fail("rmcast: unknown version or type");
    }
    uint64_t s = r.U64();
    uint64_t x = r.U64();
    int64_t sent = r.I64();
    if (!r.Ok())
    {
        m_error = r.GetError();
        return 0;
    }
    m_error.clear();
    type = static_cast<MessageType>(t);
    seq = s;
    value = x;
    sentNs = sent;
    m_valid = true;
    return r.GetConsumed();
}

bool
PbcastRmcastHeader::IsValid() const
{
    return m_valid;
}

const std::string&
PbcastRmcastHeader::GetError() const
{
    return m_error;
}

bool
PbcastRmcastHeader::operator==(const PbcastRmcastHeader& o) const
{
    if (!m_valid || !o.m_valid)
    {
        return m_valid == o.m_valid;
    }
    return type == o.type && seq == o.seq && value == o.value && sentNs == o.sentNs;
}

bool
PbcastRmcastHeader::operator!=(const PbcastRmcastHeader& o) const
{
    return !(*this == o);
}

std::ostream&
operator<<(std::ostream& os, const PbcastRmcastHeader& h)
{
    h.Print(os);
    return os;
}

} // namespace ns3
