/*
 * SPDX-License-Identifier: GPL-2.0-only
 */
#include "gossip-wire.h"

#include <cmath>
#include <cstring>

namespace ns3
{
namespace gossip
{

namespace
{
uint64_t
DoubleBits(double v)
{
    uint64_t bits;
    std::memcpy(&bits, &v, sizeof bits);
    return bits;
}

double
BitsDouble(uint64_t bits)
{
    double v;
    std::memcpy(&v, &bits, sizeof v);
    return v;
}
} // namespace

uint32_t
WireSizer::VarintSize(uint64_t v)
{
    uint32_t n = 1;
    while (v >= 0x80)
    {
        v >>= 7;
        ++n;
    }
    return n;
}

void
WireWriter::Double(double v)
{
    U64(DoubleBits(v));
}

void
WireWriter::Varint(uint64_t v)
{
    while (v >= 0x80)
    {
        m_it.WriteU8(static_cast<uint8_t>(v & 0x7f) | 0x80);
        v >>= 7;
    }
    m_it.WriteU8(static_cast<uint8_t>(v));
}

void
WireVectorWriter::U16(uint16_t v)
{
    m_out.push_back(static_cast<uint8_t>(v >> 8));
    m_out.push_back(static_cast<uint8_t>(v));
}

void
WireVectorWriter::U32(uint32_t v)
{
    U16(static_cast<uint16_t>(v >> 16));
    U16(static_cast<uint16_t>(v));
}

void
WireVectorWriter::U64(uint64_t v)
{
    U32(static_cast<uint32_t>(v >> 32));
    U32(static_cast<uint32_t>(v));
}

void
WireVectorWriter::Double(double v)
{
    U64(DoubleBits(v));
}

void
WireVectorWriter::Varint(uint64_t v)
{
    while (v >= 0x80)
    {
        m_out.push_back(static_cast<uint8_t>(v & 0x7f) | 0x80);
        v >>= 7;
    }
    m_out.push_back(static_cast<uint8_t>(v));
}

WireReader::WireReader(Buffer::Iterator it, uint32_t size)
    : m_it(it),
      m_size(size),
      m_remaining(size)
{
}

WireReader::WireReader(const uint8_t* data, uint32_t size)
    : m_data(data),
      m_size(size),
      m_remaining(size)
{
}

bool
WireReader::Fail(const std::string& why)
{
    if (m_ok)
    {
        m_ok = false;
        m_error = why;
    }
    return false;
}

bool
WireReader::Need(uint32_t n, const char* what)
{
    if (!m_ok)
    {
        return false;
    }
    if (n > m_remaining)
    {
        return Fail(std::string(what) + ": truncated");
    }
    return true;
}

bool
WireReader::Take(uint32_t n)
{
    return Need(n);
}

uint8_t
WireReader::Byte()
{
    --m_remaining;
    if (m_data)
    {
        return m_data[m_size - m_remaining - 1];
    }
    return m_it.ReadU8();
}

uint8_t
WireReader::U8()
{
    return Take(1) ? Byte() : 0;
}

uint16_t
WireReader::U16()
{
    if (!Take(2))
    {
        return 0;
    }
    uint16_t hi = Byte();
    return static_cast<uint16_t>((hi << 8) | Byte());
}

uint32_t
WireReader::U32()
{
    if (!Take(4))
    {
        return 0;
    }
    uint32_t v = 0;
    for (int i = 0; i < 4; ++i)
    {
        v = (v << 8) | Byte();
    }
    return v;
}

uint64_t
WireReader::U64()
{
    if (!Take(8))
    {
        return 0;
    }
    uint64_t v = 0;
    for (int i = 0; i < 8; ++i)
    {
        v = (v << 8) | Byte();
    }
    return v;
}

int64_t
WireReader::I64()
{
    return static_cast<int64_t>(U64());
}

double
WireReader::Double()
{
    const double v = BitsDouble(U64());
    // No sender encodes NaN; one from the wire would poison every aggregate it reaches (and
    // is not equal to itself, so it would not even survive a round trip).
    if (std::isnan(v))
    {
        Fail("NaN where a number was expected");
        return 0;
    }
    return v;
}

uint64_t
WireReader::Varint()
{
    if (!m_ok)
    {
        return 0;
    }
    uint64_t v = 0;
    for (uint32_t shift = 0; shift < 64; shift += 7)
    {
        if (m_remaining == 0)
        {
            Fail("varint: truncated");
            return 0;
        }
        uint8_t b = Byte();
        if (shift == 63 && (b & 0x7e))
        {
            Fail("varint: overflows 64 bits");
            return 0;
        }
        v |= static_cast<uint64_t>(b & 0x7f) << shift;
        if (!(b & 0x80))
        {
            return v;
        }
    }
    Fail("varint: longer than 10 bytes");
    return 0;
}

bool
WireReader::Bytes(std::vector<uint8_t>& out, uint32_t n)
{
    if (!Take(n))
    {
        return false;
    }
    out.resize(n);
    if (m_data)
    {
        std::memcpy(out.data(), m_data + (m_size - m_remaining), n);
        m_remaining -= n;
    }
    else
    {
        m_it.Read(out.data(), n);
        m_remaining -= n;
    }
    return true;
}

bool
WireReader::Chars(std::string& out, uint32_t n)
{
    if (!Take(n))
    {
        return false;
    }
    out.resize(n);
    if (m_data)
    {
        std::memcpy(out.data(), m_data + (m_size - m_remaining), n);
    }
    else
    {
        m_it.Read(reinterpret_cast<uint8_t*>(out.data()), n);
    }
    m_remaining -= n;
    return true;
}

bool
WireReader::Skip(uint32_t n)
{
    if (!Take(n))
    {
        return false;
    }
    if (!m_data)
    {
        m_it.Next(n);
    }
    m_remaining -= n;
    return true;
}

uint64_t
WireReader::VarintCount(uint64_t max, uint32_t minBytesEach, const char* what)
{
    uint64_t n = Varint();
    if (!m_ok)
    {
        return 0;
    }
    if (n > max)
    {
        Fail(std::string(what) + ": count " + std::to_string(n) + " above " + std::to_string(max));
        return 0;
    }
    if (minBytesEach > 0 && n > m_remaining / minBytesEach)
    {
        Fail(std::string(what) + ": count " + std::to_string(n) + " exceeds the bytes left");
        return 0;
    }
    return n;
}

} // namespace gossip
} // namespace ns3
