/*
 * SPDX-License-Identifier: GPL-2.0-only
 */
#include "astrolabe-header.h"

#include <cstring>
#include <sstream>

namespace ns3
{

NS_OBJECT_ENSURE_REGISTERED(AstrolabeHeader);

namespace
{
/// Append-only big-endian writer.
struct Writer
{
    std::vector<uint8_t> b;

    void U8(uint8_t v)
    {
        b.push_back(v);
    }

    void U16(uint16_t v)
    {
        U8(v >> 8);
        U8(v & 0xff);
    }

    void U32(uint32_t v)
    {
        U16(v >> 16);
        U16(v & 0xffff);
    }

    void I64(int64_t v)
    {
        uint64_t u = static_cast<uint64_t>(v);
        U32(u >> 32);
        U32(u & 0xffffffffULL);
    }

    void Str8(const std::string& s)
    {
        U8(static_cast<uint8_t>(std::min<size_t>(s.size(), 255)));
        b.insert(b.end(), s.begin(), s.begin() + std::min<size_t>(s.size(), 255));
    }

    void Str16(const std::string& s)
    {
        U16(static_cast<uint16_t>(std::min<size_t>(s.size(), 65535)));
        b.insert(b.end(), s.begin(), s.begin() + std::min<size_t>(s.size(), 65535));
    }

    void Value(const AstrolabeValue& v)
    {
        U8(v.GetType());
        switch (v.GetType())
        {
        case AstrolabeValue::NIL:
            break;
        case AstrolabeValue::INT:
            I64(v.GetInt());
            break;
        case AstrolabeValue::DOUBLE: {
            double d = v.GetDouble();
            uint64_t u;
            std::memcpy(&u, &d, 8);
            I64(static_cast<int64_t>(u));
            break;
        }
        case AstrolabeValue::STRING:
            Str16(v.GetString());
            break;
        case AstrolabeValue::BOOL:
            U8(v.GetBool() ? 1 : 0);
            break;
        case AstrolabeValue::ADDRESSES: {
            const auto& a = v.GetAddresses();
            size_t n = std::min<size_t>(a.size(), 255);
            U8(n);
            for (size_t i = 0; i < n; ++i)
            {
                U32(a[i].Get());
            }
            break;
        }
        }
    }

    void Row(const AstrolabeRow& r)
    {
        Str16(r.GetId());
        Str16(r.GetRep());
        I64(r.GetIssued());
        const auto& attrs = r.GetAttributes();
        size_t n = std::min<size_t>(attrs.size(), 255);
        U8(n);
        size_t i = 0;
        for (const auto& kv : attrs)
        {
            if (i++ == n)
            {
                break;
            }
            Str8(kv.first);
            Value(kv.second);
        }
    }
};

/// Bounds-checked reader: every read fails softly past the end.
struct Reader
{
    const uint8_t* p;
    uint32_t n;
    uint32_t off{0};
    bool ok{true};

    bool Need(uint32_t k)
    {
        if (!ok || n - off < k)
        {
            ok = false;
            return false;
        }
        return true;
    }

    uint8_t U8()
    {
        return Need(1) ? p[off++] : 0;
    }

    uint16_t U16()
    {
        uint16_t hi = U8();
        return (hi << 8) | U8();
    }

    uint32_t U32()
    {
        uint32_t hi = U16();
        return (hi << 16) | U16();
    }

    int64_t I64()
    {
        uint64_t hi = U32();
        return static_cast<int64_t>((hi << 32) | U32());
    }

    std::string Bytes(uint32_t len)
    {
        if (!Need(len))
        {
            return "";
        }
        std::string s(reinterpret_cast<const char*>(p + off), len);
        off += len;
        return s;
    }

    std::string Str8()
    {
        return Bytes(U8());
    }

    std::string Str16()
    {
        return Bytes(U16());
    }

    AstrolabeValue Value()
    {
        uint8_t t = U8();
        switch (t)
        {
        case AstrolabeValue::NIL:
            return AstrolabeValue();
        case AstrolabeValue::INT:
            return AstrolabeValue(I64());
        case AstrolabeValue::DOUBLE: {
            uint64_t u = static_cast<uint64_t>(I64());
            double d;
            std::memcpy(&d, &u, 8);
            return AstrolabeValue(d);
        }
        case AstrolabeValue::STRING:
            return AstrolabeValue(Str16());
        case AstrolabeValue::BOOL: {
            uint8_t b = U8();
            if (b > 1)
            {
                ok = false;
            }
            return AstrolabeValue(b == 1);
        }
        case AstrolabeValue::ADDRESSES: {
            uint8_t k = U8();
            if (!Need(4U * k))
            {
                return AstrolabeValue();
            }
            AstrolabeAddressSet a;
            for (uint8_t i = 0; i < k; ++i)
            {
                a.push_back(Ipv4Address(U32()));
            }
            return AstrolabeValue(a);
        }
        default:
            ok = false;
            return AstrolabeValue();
        }
    }

    /// Offset just past the attribute list that starts here (count byte first), without
    /// decoding it; n + 1 if it runs past the end or has an unknown type.
    uint32_t AttributesEnd() const
    {
        Reader s = *this;
        uint8_t k = s.U8();
        for (uint8_t i = 0; i < k && s.ok; ++i)
        {
            uint8_t nameLen = s.U8();
            if (s.Need(nameLen))
            {
                s.off += nameLen;
            }
            uint8_t t = s.U8();
            uint32_t len = 0;
            switch (t)
            {
            case AstrolabeValue::NIL:
                break;
            case AstrolabeValue::INT:
            case AstrolabeValue::DOUBLE:
                len = 8;
                break;
            case AstrolabeValue::STRING:
                len = s.U16();
                break;
            case AstrolabeValue::BOOL:
                len = 1;
                break;
            case AstrolabeValue::ADDRESSES:
                len = 4U * s.U8();
                break;
            default:
                s.ok = false;
            }
            if (s.Need(len))
            {
                s.off += len;
            }
        }
        return s.ok ? s.off : n + 1;
    }

    AstrolabeRow Row()
    {
        AstrolabeRow r;
        r.SetId(Str16());
        r.SetRep(Str16());
        r.SetIssued(I64());
        // Agents hold many copies of the same attributes (see AstrolabeAttributePool): reuse
        // the map decoded before from the same bytes instead of decoding it again.
        uint32_t end = AttributesEnd();
        std::string_view wire;
        if (ok && end <= n)
        {
            wire = std::string_view(reinterpret_cast<const char*>(p + off), end - off);
            if (auto shared = AstrolabeAttributePool::Find(wire))
            {
                off = end;
                r.ShareAttributes(std::move(shared));
                ok = ok && !r.GetId().empty() && !r.GetRep().empty();
                return r;
            }
        }
        AstrolabeRow::Attributes attrs;
        uint8_t k = U8();
        for (uint8_t i = 0; i < k && ok; ++i)
        {
            std::string name = Str8();
            AstrolabeValue v = Value();
            if (name.empty() || AstrolabeRow::IsKeyAttribute(name))
            {
                ok = false;
            }
            attrs[name] = v;
        }
        if (r.GetId().empty() || r.GetRep().empty())
        {
            ok = false;
        }
        if (ok && end == off)
        {
            r.ShareAttributes(AstrolabeAttributePool::Insert(wire, std::move(attrs)));
        }
        else if (ok)
        {
            r.ShareAttributes(std::make_shared<AstrolabeRow::Attributes>(std::move(attrs)));
        }
        return r;
    }
};

/// Counts are bounded by the bytes left (each element takes at least `minBytes`).
bool
PlausibleCount(Reader& r, uint32_t count, uint32_t minBytes)
{
    if (static_cast<uint64_t>(count) * minBytes > r.n - r.off)
    {
        r.ok = false;
    }
    return r.ok;
}
} // namespace

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

std::vector<uint8_t>
AstrolabeHeader::Encode() const
{
    Writer w;
    w.U8(VERSION);
    w.U8(m_type);
    w.Str16(m_sender);
    w.U16(m_digests.size());
    for (const auto& d : m_digests)
    {
        w.Str16(d.zone);
        w.U16(d.entries.size());
        for (const auto& e : d.entries)
        {
            w.Str16(e.id);
            w.Str16(e.rep);
            w.I64(e.issued);
        }
    }
    w.U16(m_rows.size());
    for (const auto& rb : m_rows)
    {
        w.Str16(rb.zone);
        w.U16(rb.rows.size());
        for (const auto& r : rb.rows)
        {
            w.Row(r);
        }
    }
    w.U16(m_requests.size());
    for (const auto& q : m_requests)
    {
        w.Str16(q.zone);
        w.Str16(q.id);
        w.Str16(q.rep);
    }
    w.U8(m_afcDigests.size());
    for (const auto& a : m_afcDigests)
    {
        w.Str8(a.name);
        w.I64(a.issued);
        w.Str16(a.issuer);
    }
    w.U8(m_afcs.size());
    for (const auto& a : m_afcs)
    {
        w.Str8(a.GetName());
        w.Str16(a.GetText());
        w.I64(a.GetIssued());
        w.I64(a.GetExpires());
        w.U32(a.GetMaxOutputBytes());
        w.Str16(a.GetIssuer());
    }
    w.U8(m_afcRequests.size());
    for (const auto& a : m_afcRequests)
    {
        w.Str8(a);
    }
    return w.b;
}

bool
AstrolabeHeader::Decode(const uint8_t* data, uint32_t size)
{
    *this = AstrolabeHeader();
    Reader r{data, size};
    auto fail = [this](const std::string& why) {
        m_valid = false;
        m_error = why;
        return false;
    };
    uint8_t version = r.U8();
    uint8_t type = r.U8();
    if (!r.ok)
    {
        return fail("shorter than 2 bytes");
    }
    if (version != VERSION)
    {
        return fail("version " + std::to_string(version));
    }
    if (type < GOSSIP || type > ROWS)
    {
        return fail("type " + std::to_string(type));
    }
    m_type = static_cast<Type>(type);
    m_sender = r.Str16();
    uint16_t nd = r.U16();
    if (PlausibleCount(r, nd, 4))
    {
        for (uint16_t i = 0; i < nd && r.ok; ++i)
        {
            DigestTable d;
            d.zone = r.Str16();
            uint16_t ne = r.U16();
            if (!PlausibleCount(r, ne, 12))
            {
                break;
            }
            for (uint16_t j = 0; j < ne && r.ok; ++j)
            {
                DigestEntry e;
                e.id = r.Str16();
                e.rep = r.Str16();
                e.issued = r.I64();
                d.entries.push_back(e);
            }
            m_digests.push_back(d);
        }
    }
    uint16_t nr = r.U16();
    if (PlausibleCount(r, nr, 4))
    {
        for (uint16_t i = 0; i < nr && r.ok; ++i)
        {
            RowBlock rb;
            rb.zone = r.Str16();
            uint16_t k = r.U16();
            if (!PlausibleCount(r, k, 13))
            {
                break;
            }
            for (uint16_t j = 0; j < k && r.ok; ++j)
            {
                rb.rows.push_back(r.Row());
            }
            m_rows.push_back(rb);
        }
    }
    uint16_t nq = r.U16();
    if (PlausibleCount(r, nq, 6))
    {
        for (uint16_t i = 0; i < nq && r.ok; ++i)
        {
            Request q;
            q.zone = r.Str16();
            q.id = r.Str16();
            q.rep = r.Str16();
            m_requests.push_back(q);
        }
    }
    uint8_t nad = r.U8();
    for (uint8_t i = 0; i < nad && r.ok; ++i)
    {
        AfcDigest a;
        a.name = r.Str8();
        a.issued = r.I64();
        a.issuer = r.Str16();
        m_afcDigests.push_back(a);
    }
    uint8_t na = r.U8();
    for (uint8_t i = 0; i < na && r.ok; ++i)
    {
        std::string name = r.Str8();
        std::string text = r.Str16();
        int64_t issued = r.I64();
        int64_t expires = r.I64();
        uint32_t cap = r.U32();
        std::string issuer = r.Str16();
        if (!r.ok)
        {
            break;
        }
        // Bound the text before parsing it: it comes from an untrusted sender.
        if (text.size() > AstrolabeQuery::MAX_TEXT)
        {
            return fail("AFC '" + name + "' text of " + std::to_string(text.size()) +
                        " bytes exceeds " + std::to_string(AstrolabeQuery::MAX_TEXT));
        }
        AstrolabeAfc afc;
        AstrolabeSqlError err;
        if (!afc.Init(name, text, issued, expires, cap, issuer, err))
        {
            return fail("AFC '" + name + "' does not parse: " + err.ToString());
        }
        m_afcs.push_back(afc);
    }
    uint8_t nar = r.U8();
    for (uint8_t i = 0; i < nar && r.ok; ++i)
    {
        m_afcRequests.push_back(r.Str8());
    }
    if (!r.ok)
    {
        return fail("truncated or inconsistent at byte " + std::to_string(r.off));
    }
    if (r.off != size)
    {
        return fail(std::to_string(size - r.off) + " trailing bytes");
    }
    if (m_sender.empty())
    {
        return fail("empty sender");
    }
    return true;
}

uint32_t
AstrolabeHeader::GetSerializedSize() const
{
    if (!m_encodedValid)
    {
        m_encoded = Encode();
        m_encodedValid = true;
    }
    return m_encoded.size();
}

void
AstrolabeHeader::Serialize(Buffer::Iterator start) const
{
    if (!m_encodedValid)
    {
        m_encoded = Encode();
        m_encodedValid = true;
    }
    start.Write(m_encoded.data(), m_encoded.size());
}

uint32_t
AstrolabeHeader::Deserialize(Buffer::Iterator start)
{
    uint32_t n = start.GetRemainingSize();
    std::vector<uint8_t> b(n);
    if (n > 0)
    {
        start.Read(b.data(), n);
    }
    Decode(b.data(), n);
    return n;
}

void
AstrolabeHeader::SetType(Type t)
{
    m_encodedValid = false;
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
    m_encodedValid = false;
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
    m_encodedValid = false;
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
    m_encodedValid = false;
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
    m_encodedValid = false;
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
    m_encodedValid = false;
    return m_afcDigests;
}

const std::vector<AstrolabeHeader::AfcDigest>&
AstrolabeHeader::GetAfcDigests() const
{
    return m_afcDigests;
}

std::vector<AstrolabeAfc>&
AstrolabeHeader::GetAfcs()
{
    m_encodedValid = false;
    return m_afcs;
}

const std::vector<AstrolabeAfc>&
AstrolabeHeader::GetAfcs() const
{
    return m_afcs;
}

std::vector<std::string>&
AstrolabeHeader::GetAfcRequests()
{
    m_encodedValid = false;
    return m_afcRequests;
}

const std::vector<std::string>&
AstrolabeHeader::GetAfcRequests() const
{
    return m_afcRequests;
}

uint32_t
AstrolabeHeader::DigestEntrySize(const DigestEntry& e)
{
    return 2 + e.id.size() + 2 + e.rep.size() + 8;
}

uint32_t
AstrolabeHeader::RowSize(const AstrolabeRow& r)
{
    return r.GetSerializedSize();
}

} // namespace ns3
