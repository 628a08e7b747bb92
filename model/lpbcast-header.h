/*
 * SPDX-License-Identifier: GPL-2.0-only
 */
#ifndef LPBCAST_HEADER_H
#define LPBCAST_HEADER_H

#include "ns3/gossip-digest.h"
#include "ns3/header.h"
#include "ns3/lpbcast-state.h"

#include <string>
#include <utility>
#include <vector>

namespace ns3
{

/**
 * \ingroup gossip
 * \brief The one lpbcast datagram header: a version byte, a type byte and the body of the type.
 *
 * - GOSSIP: events (origin, seq, age, payload), eventIds (a GossipDigest), subs, unSubs
 *   (process, issue time). The gossip sender is the datagram's source address.
 * - RETRIEVE_REQUEST: event ids wanted; RETRIEVE_REPLY: the events.
 * - PROBE / PROBE_REPLY: the small-world overlay's RTT probe (nonce and send time, echoed).
 *
 * Processes are identified by their IPv4 address as a uint32. Deserialize never reads past the
 * bytes present and bounds every count; a bad datagram leaves IsValid() false (and the parsed
 * content empty) instead of crashing, so receivers can drop and count it.
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

    static const uint8_t VERSION = 1;
    /// Limits on decode, so garbage cannot make us allocate without bound.
    static const uint32_t MAX_ITEMS = 4096;

    LpbcastHeader();
    static TypeId GetTypeId();
    TypeId GetInstanceTypeId() const override;
    void Print(std::ostream& os) const override;
    uint32_t GetSerializedSize() const override;
    void Serialize(Buffer::Iterator start) const override;
    uint32_t Deserialize(Buffer::Iterator start) override;

    void SetType(Type t);
    Type GetType() const;
    /// False after Deserialize of a malformed datagram.
    bool IsValid() const;
    /// Why the last Deserialize failed ("" if it did not).
    const std::string& GetError() const;

    // GOSSIP and RETRIEVE_REPLY
    std::vector<LpbcastEvent> events;
    // GOSSIP
    GossipDigest eventIds;
    std::vector<uint32_t> subs;
    std::vector<std::pair<uint32_t, int64_t>> unSubs;
    // RETRIEVE_REQUEST
    std::vector<LpbcastEventId> wanted;
    // PROBE and PROBE_REPLY
    uint32_t nonce{0};
    int64_t sentNs{0};

    /// "a.b.c.d" for a process id.
    static std::string IdToString(uint32_t id);

  private:
    bool Fail(const char* why);

    Type m_type{GOSSIP};
    bool m_valid{true};
    std::string m_error;
};

} // namespace ns3

#endif /* LPBCAST_HEADER_H */
