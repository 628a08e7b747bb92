/*
 * SPDX-License-Identifier: GPL-2.0-only
 */
#ifndef PBCAST_RMCAST_HEADER_H
#define PBCAST_RMCAST_HEADER_H

#include "gossip-wire.h"

#include "ns3/header.h"

#include <cstdint>
#include <ostream>
#include <string>

namespace ns3
{

/**
 * \ingroup gossip
 * \brief Wire format of the reliable-multicast baseline (PbcastRmcastBaseline): version, type,
 * sequence number, a second number (the cumulative ack, or the end of a NACKed range) and the
 * send time, 26 bytes, big-endian through the module's codec (gossip-wire.h).
 *
 * Deserialize returns 0 and leaves IsValid() false (GetError() says why) for truncated bytes,
 * another version or an unknown type; the fields then keep their previous values. Two headers
 * are equal (operator==) when both are invalid, or both are valid with the same fields;
 * operator<< prints what Print() does.
 */
class PbcastRmcastHeader : public Header
{
  public:
    enum MessageType : uint8_t
    {
        DATA = 1, //!< a message (seq), multicast or retransmitted by unicast
        ACK = 2,  //!< receiver: everything below seq delivered
        NACK = 3  //!< receiver: please resend [seq, value)
    };

    static constexpr uint8_t VERSION = 1;
    static constexpr uint32_t SIZE = 26;

    static TypeId GetTypeId();
    TypeId GetInstanceTypeId() const override;
    void Print(std::ostream& os) const override;
    uint32_t GetSerializedSize() const override;
    void Serialize(Buffer::Iterator start) const override;
    /// \return 0 (and IsValid() false) for truncated or garbage bytes.
    uint32_t Deserialize(Buffer::Iterator start) override;

    bool IsValid() const;
    /// Why the last Deserialize failed ("" after a successful one).
    const std::string& GetError() const;
    bool operator==(const PbcastRmcastHeader& o) const;
    bool operator!=(const PbcastRmcastHeader& o) const;

    MessageType type{DATA};
    uint64_t seq{0};
    uint64_t value{0};
    int64_t sentNs{0};

  private:
    template <typename W>
    void Encode(W& w) const;

    bool m_valid{true};
    std::string m_error;
};

/// The header as Print() writes it.
std::ostream& operator<<(std::ostream& os, const PbcastRmcastHeader& h);

} // namespace ns3

#endif /* PBCAST_RMCAST_HEADER_H */
