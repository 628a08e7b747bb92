/*
 * SPDX-License-Identifier: GPL-2.0-only
 */
#ifndef ASTROLABE_CODEC_H
#define ASTROLABE_CODEC_H

#include "astrolabe-afc.h"
#include "astrolabe-value.h"
#include "gossip-wire.h"

#include <algorithm>
#include <cstdint>
#include <string>

namespace ns3
{
namespace astrolabe
{

/**
 * \ingroup gossip
 * \brief Astrolabe's wire forms of strings, values, rows and AFCs, on the module's one codec
 * (gossip-wire.h). AstrolabeHeader lays them out in a datagram; the agent's size budgets ask
 * Size() (a WireSizer run of the same Encode), so a budget can never disagree with the bytes.
 *
 * - strings: a U8 (names) or U16 (paths, texts) length, then the bytes; longer strings are cut
 *   at 255 / 65535 bytes;
 * - values: a type byte (Value::Type), then INT as I64, DOUBLE as its IEEE-754 bits, STRING as
 *   a U16 string, BOOL as one byte (0 or 1), ADDRESSES as a U8 count and U32 addresses (at most
 *   255);
 * - rows: id and rep (U16 strings), issued (I64), a U8 attribute count, then (U8 name, value)
 *   pairs in name order (at most 255);
 * - AFCs: name (U8), text (U16), issued (I64), expires (I64), output cap (U32), issuer (U16).
 */
class Codec
{
  public:
    template <typename W>
    static void Str8(W& w, const std::string& s)
    {
        const uint8_t n = static_cast<uint8_t>(std::min<size_t>(s.size(), 255));
        w.U8(n);
        w.Bytes(reinterpret_cast<const uint8_t*>(s.data()), n);
    }

    template <typename W>
    static void Str16(W& w, const std::string& s)
    {
        const uint16_t n = static_cast<uint16_t>(std::min<size_t>(s.size(), 65535));
        w.U16(n);
        w.Bytes(reinterpret_cast<const uint8_t*>(s.data()), n);
    }

    template <typename W>
    static void Encode(W& w, const Value& v)
    {
        w.U8(v.GetType());
        switch (v.GetType())
        {
        case Value::NIL:
            break;
        case Value::INT:
            w.I64(v.GetInt());
            break;
        case Value::DOUBLE:
            w.Double(v.GetDouble());
            break;
        case Value::STRING:
            Str16(w, v.GetString());
            break;
        case Value::BOOL:
            w.U8(v.GetBool() ? 1 : 0);
            break;
        case Value::ADDRESSES: {
            const auto& a = v.GetAddresses();
            const size_t n = std::min<size_t>(a.size(), 255);
            w.U8(static_cast<uint8_t>(n));
            for (size_t i = 0; i < n; ++i)
            {
                w.Address(a[i]);
            }
            break;
        }
        }
    }

    /// One attribute of a row: its name, then its value.
    template <typename W>
    static void EncodeAttribute(W& w, const Name& name, const Value& v)
    {
        Str8(w, name);
        Encode(w, v);
    }

    template <typename W>
    static void Encode(W& w, const Row& r)
    {
        Str16(w, r.GetId());
        Str16(w, r.GetRep());
        w.I64(r.GetIssued());
        const auto& attrs = r.GetAttributes();
        const size_t n = std::min<size_t>(attrs.size(), 255);
        w.U8(static_cast<uint8_t>(n));
        size_t i = 0;
        for (const auto& kv : attrs)
        {
            if (i++ == n)
            {
                break;
            }
            EncodeAttribute(w, kv.first, kv.second);
        }
    }

    template <typename W>
    static void Encode(W& w, const Afc& a)
    {
        Str8(w, a.GetName());
        Str16(w, a.GetText());
        w.I64(a.GetIssued());
        w.I64(a.GetExpires());
        w.U32(a.GetMaxOutputBytes());
        Str16(w, a.GetIssuer());
    }

    /// Wire bytes of anything Encode() writes.
    template <typename T>
    static uint32_t Size(const T& x)
    {
        gossip::WireSizer s;
        Encode(s, x);
        return s.GetSize();
    }

    /// Wire bytes of one attribute (what an AFC adds to a row).
    static uint32_t AttributeSize(const Name& name, const Value& v)
    {
        gossip::WireSizer s;
        EncodeAttribute(s, name, v);
        return s.GetSize();
    }

    /// Wire bytes of a U8 string (an AFC name, e.g. in a request).
    static uint32_t Str8Size(const std::string& s)
    {
        gossip::WireSizer w;
        Str8(w, s);
        return w.GetSize();
    }

    static std::string ReadStr8(gossip::WireReader& r);
    static std::string ReadStr16(gossip::WireReader& r);
    /// ReadStr16 as an interned Name: the text goes through one reused buffer, so a name
    /// already known (almost every one) costs a lookup and no allocation.
    static Name ReadName16(gossip::WireReader& r);
    /// A value; an unknown type or a bool other than 0 / 1 fails the reader.
    static Value ReadValue(gossip::WireReader& r);
    /**
     * A row. Its id and rep must not be empty, nor an attribute name, which must not be one of
     * the keys (id, rep, issued). Rows decoded from the same attribute bytes share one map
     * (AttributePool): a known encoding is not parsed again.
     */
    static Row ReadRow(gossip::WireReader& r);
    /**
     * An AFC: its text is bounded (Query::MAX_TEXT) before it is parsed, and must parse.
     * \return false (the reader failed, with the reason) if not
     */
    static bool ReadAfc(gossip::WireReader& r, Afc& afc);
};

} // namespace astrolabe
} // namespace ns3

#endif /* ASTROLABE_CODEC_H */
