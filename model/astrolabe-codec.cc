/*
 * SPDX-License-Identifier: GPL-2.0-only
 */
#include "astrolabe-codec.h"

#include <string_view>

namespace ns3
{
namespace astrolabe
{

namespace
{
/**
 * The bytes an attribute list takes from where r stands (its count byte) to its end, found
 * without decoding it (r is a copy); 0 with the copy failed if it runs past the end or has an
 * unknown type.
 */
uint32_t
AttributesLength(gossip::WireReader s)
{
    const uint32_t start = s.GetConsumed();
    const uint8_t k = s.U8();
    for (uint8_t i = 0; i < k && s.Ok(); ++i)
    {
        s.Skip(s.U8()); // the name
        const uint8_t t = s.U8();
        uint32_t len = 0;
        switch (t)
        {
        case Value::NIL:
            break;
        case Value::INT:
        case Value::DOUBLE:
            len = 8;
            break;
        case Value::STRING:
            len = s.U16();
            break;
        case Value::BOOL:
            len = 1;
            break;
        case Value::ADDRESSES:
            len = 4U * s.U8();
            break;
        default:
            s.Fail("unknown value type");
        }
        s.Skip(len);
    }
    return s.Ok() ? s.GetConsumed() - start : 0;
}
} // namespace

std::string
Codec::ReadStr8(gossip::WireReader& r)
{
    std::string s;
    r.Chars(s, r.U8());
    return s;
}

std::string
Codec::ReadStr16(gossip::WireReader& r)
{
    std::string s;
    r.Chars(s, r.U16());
    return s;
}

Name
Codec::ReadName16(gossip::WireReader& r)
{
    static std::string text; // the simulator is single-threaded
    text.clear();            // a short read leaves it empty, as ReadStr16's
    r.Chars(text, r.U16());
    return Name(text);
}

Value
Codec::ReadValue(gossip::WireReader& r)
{
    const uint8_t t = r.U8();
    switch (t)
    {
    case Value::NIL:
        return Value();
    case Value::INT:
        return Value(r.I64());
    case Value::DOUBLE:
        return Value(r.Double());
    case Value::STRING:
        return Value(ReadStr16(r));
    case Value::BOOL: {
        const uint8_t b = r.U8();
        if (b > 1)
        {
            r.Fail("bool value " + std::to_string(b));
        }
        return Value(b == 1);
    }
    case Value::ADDRESSES: {
        const uint8_t k = r.U8();
        if (!r.Need(4U * k, "address set"))
        {
            return Value();
        }
        AddressSet a;
        for (uint8_t i = 0; i < k; ++i)
        {
            a.push_back(Ipv4Address(r.U32()));
        }
        return Value(a);
    }
    default:
        r.Fail("value type " + std::to_string(t));
        return Value();
    }
}

Row
Codec::ReadRow(gossip::WireReader& r)
{
    Row row;
    row.SetId(ReadName16(r));
    row.SetRep(ReadName16(r));
    row.SetIssued(r.I64());
    // Agents hold many copies of the same attributes (see AttributePool): reuse the map decoded
    // before from the same bytes instead of decoding it again. The bytes are copied into one
    // buffer that every decode reuses (the simulator is single-threaded).
    static std::string wire;
    const uint32_t length = r.Ok() ? AttributesLength(r) : 0;
    if (length > 0)
    {
        gossip::WireReader look = r;
        look.Chars(wire, length);
        if (auto shared = AttributePool::Find(wire))
        {
            r.Skip(length);
            row.ShareAttributes(std::move(shared));
            if (row.GetId().empty() || row.GetRep().empty())
            {
                r.Fail("row without id or rep");
            }
            return row;
        }
    }
    const uint32_t start = r.GetConsumed();
    Row::Attributes attrs;
    const uint8_t k = r.U8();
    for (uint8_t i = 0; i < k && r.Ok(); ++i)
    {
        std::string name = ReadStr8(r);
        Value v = ReadValue(r);
        if (name.empty() || Row::IsKeyAttribute(name))
        {
            r.Fail("row attribute '" + name + "'");
        }
        attrs[name] = v;
    }
    if (row.GetId().empty() || row.GetRep().empty())
    {
        r.Fail("row without id or rep");
    }
    if (r.Ok() && length > 0 && r.GetConsumed() - start == length)
    {
        row.ShareAttributes(AttributePool::Insert(wire, std::move(attrs)));
    }
    else if (r.Ok())
    {
        row.ShareAttributes(std::make_shared<Row::Attributes>(std::move(attrs)));
    }
    return row;
}

bool
Codec::ReadAfc(gossip::WireReader& r, Afc& afc)
{
    const std::string name = ReadStr8(r);
    const std::string text = ReadStr16(r);
    const int64_t issued = r.I64();
    const int64_t expires = r.I64();
    const uint32_t cap = r.U32();
    const std::string issuer = ReadStr16(r);
    if (!r.Ok())
    {
        return false;
    }
    // Bound the text before parsing it: it comes from an untrusted sender.
    if (text.size() > Query::MAX_TEXT)
    {
        return r.Fail("AFC '" + name + "' text of " + std::to_string(text.size()) +
                      " bytes exceeds " + std::to_string(Query::MAX_TEXT));
    }
    SqlError err;
    if (!afc.Init(name, text, issued, expires, cap, issuer, err))
    {
        return r.Fail("AFC '" + name + "' does not parse: " + err.ToString());
    }
    return true;
}

} // namespace astrolabe
} // namespace ns3
