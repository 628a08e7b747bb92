/*
 * SPDX-License-Identifier: GPL-2.0-only
 */
#include "astrolabe-header.h"

#include "astrolabe-codec.h"

#include <string>
#include <utility>

namespace ns3
{

NS_OBJECT_ENSURE_REGISTERED(AstrolabeHeader);

AstrolabeHeader::AstrolabeHeader() = default;

TypeId
AstrolabeHeader::GetTypeId()
{
    static TypeId tid = TypeId("ns3::AstrolabeHeader")
                            .SetParent<Header>()
                            .SetGroupName("Gossip")
                            .AddConstructor<AstrolabeHeader>();
    return tid;
}

TypeId
AstrolabeHeader::GetInstanceTypeId() const
{
    return GetTypeId();
}

std::string
AstrolabeHeader::TypeName(Type t)
{
    switch (t)
    {
    case GOSSIP:
        return "GOSSIP";
    case REPLY:
        return "REPLY";
    case ROWS:
        return "ROWS";
    }
    return "UNKNOWN";
}

void
AstrolabeHeader::Print(std::ostream& os) const
{
    if (!m_valid)
    {
        os << "Astrolabe MALFORMED (" << m_error << ")";
        return;
    }
    os << "Astrolabe v" << int(VERSION) << " " << TypeName(m_type) << " from " << m_sender;
    for (const auto& d : m_digests)
    {
        os << " digest[" << d.zone << ":";
        for (const auto& e : d.entries)
        {
            os << " (" << e.id << "," << e.rep << "," << e.issued << ")";
        }
        os << "]";
    }
    for (const auto& rb : m_rows)
    {
        os << " rows[" << rb.zone << ":";
        for (const auto& r : rb.rows)
        {
            os << " " << r.ToString();
        }
        os << "]";
    }
    for (const auto& q : m_requests)
    {
        os << " want(" << q.zone << "," << q.id << "," << q.rep << ")";
    }
    for (const auto& a : m_afcDigests)
    {
        os << " afc-digest(" << a.name << "," << a.issued << ")";
    }
    for (const auto& a : m_afcs)
    {
        os << " afc(" << a.GetName() << ": " << a.GetText() << ")";
    }
    for (const auto& a : m_afcRequests)
    {
        os << " want-afc(" << a << ")";
    }
}

template <typename W>
void
AstrolabeHeader::EncodeEntry(W& w, const DigestEntry& e)
{
    astrolabe::Codec::Str16(w, e.id);
    astrolabe::Codec::Str16(w, e.rep);
    w.I64(e.issued);
}

template <typename W>
void
AstrolabeHeader::EncodeRequest(W& w, const Request& q)
{
    astrolabe::Codec::Str16(w, q.zone);
    astrolabe::Codec::Str16(w, q.id);
    astrolabe::Codec::Str16(w, q.rep);
}

template <typename W>
void
AstrolabeHeader::EncodeAfcDigest(W& w, const AfcDigest& a)
{
    astrolabe::Codec::Str8(w, a.name);
    w.I64(a.issued);
    astrolabe::Codec::Str16(w, a.issuer);
}

template <typename W>
void
AstrolabeHeader::Encode(W& w) const
{
    using astrolabe::Codec;
    w.U8(VERSION);
    w.U8(m_type);
    Codec::Str16(w, m_sender);
    w.U16(static_cast<uint16_t>(m_digests.size()));
    for (const auto& d : m_digests)
    {
        Codec::Str16(w, d.zone);
        w.U16(static_cast<uint16_t>(d.entries.size()));
        for (const auto& e : d.entries)
        {
            EncodeEntry(w, e);
        }
    }
    w.U16(static_cast<uint16_t>(m_rows.size()));
    for (const auto& rb : m_rows)
    {
        Codec::Str16(w, rb.zone);
        w.U16(static_cast<uint16_t>(rb.rows.size()));
        for (const auto& r : rb.rows)
        {
            Codec::Encode(w, r);
        }
    }
    w.U16(static_cast<uint16_t>(m_requests.size()));
    for (const auto& q : m_requests)
    {
        EncodeRequest(w, q);
    }
    w.U8(static_cast<uint8_t>(m_afcDigests.size()));
    for (const auto& a : m_afcDigests)
    {
        EncodeAfcDigest(w, a);
    }
    w.U8(static_cast<uint8_t>(m_afcs.size()));
    for (const auto& a : m_afcs)
    {
        Codec::Encode(w, a);
    }
    w.U8(static_cast<uint8_t>(m_afcRequests.size()));
    for (const auto& a : m_afcRequests)
    {
        Codec::Str8(w, a);
    }
}

uint32_t
AstrolabeHeader::GetSerializedSize() const
{
    gossip::WireSizer w;
    Encode(w);
    return w.GetSize();
}

void
AstrolabeHeader::Serialize(Buffer::Iterator start) const
{
    gossip::WireWriter w(start);
    Encode(w);
}

bool
AstrolabeHeader::Decode(gossip::WireReader& r)
{
    using astrolabe::Codec;
    if (r.GetRemaining() < 2)
    {
        return r.Fail("shorter than 2 bytes");
    }
    const uint8_t version = r.U8();
    const uint8_t type = r.U8();
    if (version != VERSION)
    {
        return r.Fail("version " + std::to_string(version));
    }
    if (type < GOSSIP || type > ROWS)
    {
        return r.Fail("type " + std::to_string(type));
    }
    m_type = static_cast<Type>(type);
    m_sender = Codec::ReadStr16(r);
    // the least each element takes: its encoding with empty strings and lists
    static const uint32_t minBlock = BlockSize("");
    static const uint32_t minEntry = DigestEntrySize({"", "", 0});
    static const uint32_t minRow = RowSize(astrolabe::Row());
    static const uint32_t minRequest = RequestSize({"", "", ""});
    const uint16_t nd = Count16(r, minBlock, "digest tables");
    for (uint16_t i = 0; i < nd && r.Ok(); ++i)
    {
        DigestTable d;
        d.zone = Codec::ReadStr16(r);
        const uint16_t ne = Count16(r, minEntry, "digest entries");
        d.entries.reserve(ne); // bounded by the bytes left (Count16)
        for (uint16_t j = 0; j < ne && r.Ok(); ++j)
        {
            DigestEntry e;
            e.id = Codec::ReadName16(r);
            e.rep = Codec::ReadName16(r);
            e.issued = r.I64();
            d.entries.push_back(std::move(e));
        }
        m_digests.push_back(std::move(d));
    }
    const uint16_t nr = Count16(r, minBlock, "row blocks");
    for (uint16_t i = 0; i < nr && r.Ok(); ++i)
    {
        RowBlock rb;
        rb.zone = Codec::ReadStr16(r);
        const uint16_t k = Count16(r, minRow, "rows");
        rb.rows.reserve(k);
        for (uint16_t j = 0; j < k && r.Ok(); ++j)
        {
            rb.rows.push_back(Codec::ReadRow(r));
        }
        m_rows.push_back(std::move(rb));
    }
    const uint16_t nq = Count16(r, minRequest, "requests");
    for (uint16_t i = 0; i < nq && r.Ok(); ++i)
    {
        Request q;
        q.zone = Codec::ReadStr16(r);
        q.id = Codec::ReadName16(r);
        q.rep = Codec::ReadName16(r);
        m_requests.push_back(std::move(q));
    }
    const uint8_t nad = r.U8();
    for (uint8_t i = 0; i < nad && r.Ok(); ++i)
    {
        AfcDigest a;
        a.name = Codec::ReadStr8(r);
        a.issued = r.I64();
        a.issuer = Codec::ReadStr16(r);
        m_afcDigests.push_back(a);
    }
    const uint8_t na = r.U8();
    for (uint8_t i = 0; i < na && r.Ok(); ++i)
    {
        astrolabe::Afc afc;
        if (Codec::ReadAfc(r, afc))
        {
            m_afcs.push_back(afc);
        }
    }
    const uint8_t nar = r.U8();
    for (uint8_t i = 0; i < nar && r.Ok(); ++i)
    {
        m_afcRequests.push_back(Codec::ReadStr8(r));
    }
    if (r.Ok() && r.GetRemaining() > 0)
    {
        r.Fail(std::to_string(r.GetRemaining()) + " trailing bytes");
    }
    if (r.Ok() && m_sender.empty())
    {
        r.Fail("empty sender");
    }
    return r.Ok();
}

uint32_t
AstrolabeHeader::Deserialize(Buffer::Iterator start)
{
    *this = AstrolabeHeader();
    // The whole datagram is one header. Decoded from a copy in memory: rows look their
    // attribute bytes up in the attribute pool.
    const uint32_t n = start.GetRemainingSize();
    std::vector<uint8_t> bytes(n);
    if (n > 0)
    {
        start.Read(bytes.data(), n);
    }
    gossip::WireReader r(bytes.data(), n);
    if (!Decode(r))
    {
        *this = AstrolabeHeader();
        m_valid = false;
        m_error = r.GetError();
        return 0;
    }
    return r.GetConsumed();
}

void
AstrolabeHeader::SetType(Type t)
{
    m_type = t;
}

AstrolabeHeader::Type
AstrolabeHeader::GetType() const
{
    return m_type;
}

void
AstrolabeHeader::SetSender(const std::string& id)
{
    m_sender = id;
}

const std::string&
AstrolabeHeader::GetSender() const
{
    return m_sender;
}

bool
AstrolabeHeader::IsValid() const
{
    return m_valid;
}

const std::string&
AstrolabeHeader::GetError() const
{
    return m_error;
}

std::vector<AstrolabeHeader::DigestTable>&
AstrolabeHeader::GetDigests()
{
    return m_digests;
}

const std::vector<AstrolabeHeader::DigestTable>&
AstrolabeHeader::GetDigests() const
{
    return m_digests;
}

std::vector<AstrolabeHeader::RowBlock>&
AstrolabeHeader::GetRows()
{
    return m_rows;
}

const std::vector<AstrolabeHeader::RowBlock>&
AstrolabeHeader::GetRows() const
{
    return m_rows;
}

std::vector<AstrolabeHeader::Request>&
AstrolabeHeader::GetRequests()
{
    return m_requests;
}

const std::vector<AstrolabeHeader::Request>&
AstrolabeHeader::GetRequests() const
{
    return m_requests;
}

std::vector<AstrolabeHeader::AfcDigest>&
AstrolabeHeader::GetAfcDigests()
{
    return m_afcDigests;
}

const std::vector<AstrolabeHeader::AfcDigest>&
AstrolabeHeader::GetAfcDigests() const
{
    return m_afcDigests;
}

std::vector<astrolabe::Afc>&
AstrolabeHeader::GetAfcs()
{
    return m_afcs;
}

const std::vector<astrolabe::Afc>&
AstrolabeHeader::GetAfcs() const
{
    return m_afcs;
}

std::vector<std::string>&
AstrolabeHeader::GetAfcRequests()
{
    return m_afcRequests;
}

const std::vector<std::string>&
AstrolabeHeader::GetAfcRequests() const
{
    return m_afcRequests;
}

uint16_t
AstrolabeHeader::Count16(gossip::WireReader& r, uint32_t minBytesEach, const char* what)
{
    const uint16_t n = r.U16();
    // each element takes at least minBytesEach: garbage cannot make the decoder loop for long
    if (r.Ok() && static_cast<uint64_t>(n) * minBytesEach > r.GetRemaining())
    {
        r.Fail(std::string(what) + ": count " + std::to_string(n) + " exceeds the bytes left");
    }
    return r.Ok() ? n : 0;
}

uint32_t
AstrolabeHeader::OverheadSize(const std::string& sender)
{
    AstrolabeHeader h;
    h.SetSender(sender);
    return h.GetSerializedSize();
}

uint32_t
AstrolabeHeader::BlockSize(const std::string& zone)
{
    gossip::WireSizer w;
    astrolabe::Codec::Str16(w, zone);
    w.U16(0);
    return w.GetSize();
}

uint32_t
AstrolabeHeader::DigestEntrySize(const DigestEntry& e)
{
    gossip::WireSizer w;
    EncodeEntry(w, e);
    return w.GetSize();
}

uint32_t
AstrolabeHeader::RowSize(const astrolabe::Row& r)
{
    return astrolabe::Codec::Size(r);
}

uint32_t
AstrolabeHeader::RequestSize(const Request& q)
{
    gossip::WireSizer w;
    EncodeRequest(w, q);
    return w.GetSize();
}

uint32_t
AstrolabeHeader::AfcDigestSize(const AfcDigest& d)
{
    gossip::WireSizer w;
    EncodeAfcDigest(w, d);
    return w.GetSize();
}

uint32_t
AstrolabeHeader::AfcSize(const astrolabe::Afc& a)
{
    return astrolabe::Codec::Size(a);
}

uint32_t
AstrolabeHeader::AfcRequestSize(const std::string& name)
{
    return astrolabe::Codec::Str8Size(name);
}

bool
AstrolabeHeader::DigestEntry::operator==(const DigestEntry& o) const
{
    return id == o.id && rep == o.rep && issued == o.issued;
}

bool
AstrolabeHeader::DigestTable::operator==(const DigestTable& o) const
{
    return zone == o.zone && entries == o.entries;
}

bool
AstrolabeHeader::RowBlock::operator==(const RowBlock& o) const
{
    return zone == o.zone && rows == o.rows;
}

bool
AstrolabeHeader::Request::operator==(const Request& o) const
{
    return zone == o.zone && id == o.id && rep == o.rep;
}

bool
AstrolabeHeader::AfcDigest::operator==(const AfcDigest& o) const
{
    return name == o.name && issued == o.issued && issuer == o.issuer;
}

bool
AstrolabeHeader::operator==(const AstrolabeHeader& o) const
{
    return m_type == o.m_type && m_sender == o.m_sender && m_valid == o.m_valid &&
           m_error == o.m_error && m_digests == o.m_digests && m_rows == o.m_rows &&
           m_requests == o.m_requests && m_afcDigests == o.m_afcDigests && m_afcs == o.m_afcs &&
           m_afcRequests == o.m_afcRequests;
}

bool
AstrolabeHeader::operator!=(const AstrolabeHeader& o) const
{
    return !(*this == o);
}

std::ostream&
operator<<(std::ostream& os, const AstrolabeHeader& h)
{
    h.Print(os);
    return os;
}

} // namespace ns3
