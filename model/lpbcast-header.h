/*
 * SPDX-License-Identifier: GPL-2.0-only
 */
#ifndef LPBCAST_HEADER_H
#define LPBCAST_HEADER_H

#include "gossip-digest.h"
#include "gossip-message-id.h"
#include "gossip-wire.h"
#include "lpbcast-event.h"

#include "ns3/header.h"

#include <ostream>
#include <string>
#include <utility>
#include <vector>

namespace ns3
{

/**
 * \ingroup gossip
 * \brief The one lpbcast datagram header: a version byte, a type byte and the body of the type.
 *
 * - GOSSIP: events (origin, seq, age, payload), eventIds (a GossipDigest behind a 16-bit
 *   length), subs, unSubs (process, issue time). The gossip sender is the datagram's source
 *   address.
 * - RETRIEVE_REQUEST: event ids wanted; RETRIEVE_REPLY: the events.
 * - PROBE / PROBE_REPLY: the small-world overlay's RTT probe (nonce and send time, echoed).
 *
 * Integers are big-endian and of fixed width (gossip-wire.h): counts and lengths 16 bits,
 * processes (IPv4 addresses) and sequence numbers 32 bits, times 64 bits. Deserialize never
 * reads past the bytes present and bounds every count: a bad datagram returns 0 and leaves
 * IsValid() false, GetError() the reason and the parsed content empty, so receivers can drop and
 * count it.
 */
class LpbcastHeader : public Header
{
  public:
    enum Type : uint8_t
    {
        GOSSIP = 1,
        RETRIEVE_REQUEST = 2,
        RETRIEVE_REPLY = 3,
        PROBE = 4,
        PROBE_REPLY = 5
    };

    static constexpr uint8_t VERSION = 1;
    /// Limits on decode, so garbage cannot make us allocate without bound.
    static constexpr uint32_t MAX_ITEMS = 4096;
    /// Largest UDP payload over IPv4: a gossip must fit one datagram.
    static constexpr uint32_t MAX_DATAGRAM = 65507;

    LpbcastHeader();
    static TypeId GetTypeId();
    TypeId GetInstanceTypeId() const override;
    void Print(std::ostream& os) const override;
    uint32_t GetSerializedSize() const override;
    void Serialize(Buffer::Iterator start) const override;
    /// \return the bytes read (the whole datagram), or 0 if it is malformed (then !IsValid()).
    uint32_t Deserialize(Buffer::Iterator start) override;

    void SetType(Type t);
    Type GetType() const;
    /// False after Deserialize of a malformed datagram.
    bool IsValid() const;
    /// Why the last Deserialize failed ("" if it did not).
    const std::string& GetError() const;

    // GOSSIP and RETRIEVE_REPLY
    std::vector<lpbcast::Event> events;
    // GOSSIP
    GossipDigest eventIds;
    std::vector<uint32_t> subs;
    std::vector<std::pair<uint32_t, int64_t>> unSubs;
    // RETRIEVE_REQUEST
    std::vector<GossipMessageId> wanted;
    // PROBE and PROBE_REPLY
    uint32_t nonce{0};
    int64_t sentNs{0};

    /**
     * Make a GOSSIP fit maxBytes (and its digest the 16-bit length field): first the digest's
     * oldest intervals go (retrieval only chases the newest ids) until it takes at most half of
     * the budget, then the oldest-arrived events, then the digest again.
     * \return whether it fits now (false only if subs/unSubs alone are too large).
     */
    bool FitGossip(uint32_t maxBytes = MAX_DATAGRAM);

    /// "a.b.c.d" for a process id.
    static std::string IdToString(uint32_t id);

    /// Same type and validity, and the same content in the fields the type carries on the wire.
    bool operator==(const LpbcastHeader& o) const;
    bool operator!=(const LpbcastHeader& o) const;

  private:
    template <typename W>
    void Encode(W& w) const;
    bool Decode(gossip::WireReader& r);
    void ClearContent();

    Type m_type{GOSSIP};
    bool m_valid{true};
    std::string m_error;
};

/// Print (as Header::Print).
std::ostream& operator<<(std::ostream& os, const LpbcastHeader& h);

} // namespace ns3

#endif /* LPBCAST_HEADER_H */
