/*
 * SPDX-License-Identifier: GPL-2.0-only
 */
#ifndef GOSSIP_WIRE_H
#define GOSSIP_WIRE_H

#include "ns3/buffer.h"
#include "ns3/ipv4-address.h"

#include <cstdint>
#include <string>
#include <vector>

namespace ns3
{
namespace gossip
{

/**
 * \ingroup gossip
 * \brief The one wire codec under every header of the module.
 *
 * Primitives: big-endian integers (U8 .. U64, I64 as its two's complement), LEB128 varints,
 * doubles as their IEEE-754 bits in a U64, raw bytes, and strings behind a U8 or U16 length.
 *
 * A header writes its fields once, in a member template `Encode(W& w)`, and runs it with a
 * WireSizer for GetSerializedSize, a WireWriter for Serialize, or a WireVectorWriter for an
 * encoding kept in memory, so the size and the bytes can never disagree. Decoding goes through
 * a WireReader, which checks every read against the bytes left and remembers the first failure
 * with its reason: a malformed or truncated datagram is rejected, never read past.
 */
class WireSizer
{
  public:
    void U8(uint8_t)
    {
        m_size += 1;
    }

    void U16(uint16_t)
    {
        m_size += 2;
    }

    void U32(uint32_t)
    {
        m_size += 4;
    }

    /// An IPv4 address as U32; sizing does not read it (Ipv4Address::Get is out of line).
    void Address(const Ipv4Address&)
    {
        m_size += 4;
    }

    void U64(uint64_t)
    {
        m_size += 8;
    }

    void I64(int64_t)
    {
        m_size += 8;
    }

    void Double(double)
    {
        m_size += 8;
    }

    void Varint(uint64_t v)
    {
        m_size += VarintSize(v);
    }

    void Bytes(const uint8_t*, uint32_t n)
    {
        m_size += n;
    }

    /// The size so far.
    uint32_t GetSize() const
    {
        return m_size;
    }

    /// Bytes of the LEB128 form of v (1 to 10).
    static uint32_t VarintSize(uint64_t v);

  private:
    uint32_t m_size{0};
};

/// Writes into an ns-3 Buffer (Header::Serialize), advancing the caller's iterator.
class WireWriter
{
  public:
    explicit WireWriter(Buffer::Iterator& it)
        : m_it(it)
    {
    }

    void U8(uint8_t v)
    {
        m_it.WriteU8(v);
    }

    void U16(uint16_t v)
    {
        m_it.WriteHtonU16(v);
    }

    void U32(uint32_t v)
    {
        m_it.WriteHtonU32(v);
    }

    void Address(const Ipv4Address& a)
    {
        U32(a.Get());
    }

    void U64(uint64_t v)
    {
        m_it.WriteHtonU64(v);
    }

    void I64(int64_t v)
    {
        U64(static_cast<uint64_t>(v));
    }

    void Double(double v);
    void Varint(uint64_t v);

    void Bytes(const uint8_t* data, uint32_t n)
    {
        m_it.Write(data, n);
    }

  private:
    Buffer::Iterator& m_it;
};

/// Writes into a byte vector (an encoding a header keeps, or a test builds by hand).
class WireVectorWriter
{
  public:
    explicit WireVectorWriter(std::vector<uint8_t>& out)
        : m_out(out)
    {
    }

    void U8(uint8_t v)
    {
        m_out.push_back(v);
    }

    void U16(uint16_t v);
    void U32(uint32_t v);
    void U64(uint64_t v);

    void Address(const Ipv4Address& a)
    {
        U32(a.Get());
    }

    void I64(int64_t v)
    {
        U64(static_cast<uint64_t>(v));
    }

    void Double(double v);
    void Varint(uint64_t v);

    void Bytes(const uint8_t* data, uint32_t n)
    {
        m_out.insert(m_out.end(), data, data + n);
    }

  private:
    std::vector<uint8_t>& m_out;
};

/**
 * Bounds-checked reader over an ns-3 Buffer or a byte vector. Every read checks the bytes left;
 * the first failure is kept (Ok() turns false, GetError() says why) and every later read
 * returns 0 without moving. Copy a reader to look ahead.
 */
class WireReader
{
  public:
    /// Read at most size bytes from it.
    WireReader(Buffer::Iterator it, uint32_t size);
    /// Read from [data, data + size); the bytes must outlive the reader.
    WireReader(const uint8_t* data, uint32_t size);

    bool Ok() const
    {
        return m_ok;
    }

    /// The first failure ("" while Ok()).
    const std::string& GetError() const
    {
        return m_error;
    }

    uint32_t GetRemaining() const
    {
        return m_remaining;
    }

    /// Bytes read so far.
    uint32_t GetConsumed() const
    {
        return m_size - m_remaining;
    }

    /// Record a failure (the first one wins). \return false, for `return r.Fail(...)`.
    bool Fail(const std::string& why);
    /// Whether n more bytes are there; fails with "<what>: truncated" if not.
    bool Need(uint32_t n, const char* what = "datagram");

    uint8_t U8();
    uint16_t U16();
    uint32_t U32();
    uint64_t U64();
    int64_t I64();
    double Double(); //!< a NaN fails the read: no sender encodes one
    /// A LEB128 varint of at most 10 bytes that fits 64 bits.
    uint64_t Varint();
    /// n raw bytes into out (resized); false (and failed) if they are not there.
    bool Bytes(std::vector<uint8_t>& out, uint32_t n);
    /// n raw bytes into a string.
    bool Chars(std::string& out, uint32_t n);
    /// Skip n bytes.
    bool Skip(uint32_t n);

    /**
     * A count read as a varint, checked against max and against the bytes left when each item
     * takes at least minBytesEach: garbage cannot make the decoder allocate without bound.
     */
    uint64_t VarintCount(uint64_t max, uint32_t minBytesEach, const char* what);

  private:
    bool Take(uint32_t n);
    uint8_t Byte();

    Buffer::Iterator m_it;
    const uint8_t* m_data{nullptr}; //!< set when reading from memory
    uint32_t m_size;
    uint32_t m_remaining;
    bool m_ok{true};
    std::string m_error;
};

} // namespace gossip
} // namespace ns3

#endif /* GOSSIP_WIRE_H */
