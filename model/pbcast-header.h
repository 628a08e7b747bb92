/*
 * SPDX-License-Identifier: GPL-2.0-only
 */
#ifndef PBCAST_HEADER_H
#define PBCAST_HEADER_H

#include "gossip-digest.h"
#include "gossip-wire.h"

#include "ns3/header.h"
#include "ns3/ipv4-address.h"
#include "ns3/nstime.h"

#include <ostream>
#include <string>
#include <vector>

namespace ns3
{
namespace pbcast
{

/**
 * \ingroup gossip
 * \brief One row of pbcast's membership table as it travels in gossip.
 */
struct MemberEntry
{
    GossipSenderId id{0};   //!< node id
    Ipv4Address address;    //!< where to reach it (unicast)
    uint32_t datacenter{0}; //!< datacenter index (remote requesters get a local re-multicast)
    uint64_t heartbeat{0};  //!< grows while the member is alive (its round counter)

    bool operator==(const MemberEntry& o) const
    {
        return id == o.id && address == o.address && datacenter == o.datacenter &&
               heartbeat == o.heartbeat;
    }

    bool operator!=(const MemberEntry& o) const
    {
        return !(*this == o);
    }
};

/// "id@address dc=d hb=h"
std::ostream& operator<<(std::ostream& os, const MemberEntry& e);

} // namespace pbcast

/**
 * \ingroup gossip
 * \brief The wire format of Bimodal Multicast: a common header with a version and a type byte.
 *
 * Layout (integers after the first two bytes are LEB128 varints, see GossipDigest):
 * - DATA / RETRANS: origin, seq, send time (ns), flags; the application payload follows.
 * - GOSSIP: gossiper id, gossiper round, datacenter, digest, membership entries.
 * - SOLICIT: requester id, the round named (the gossiper's), datacenter, wanted messages as
 *   a digest (served most-recent-first).
 * - JOIN: the joiner's entry and the entries it knows; the seed answers with a JOIN carrying
 *   its table (flag REPLY).
 *
 * Deserialize never reads past the bytes available: it returns 0 and leaves IsValid() false for
 * truncated or garbage input (GetError() says why). Use PeekHeader and then
 * Packet::RemoveAtStart, so a bad packet never reaches the packet metadata code.
 *
 * Two headers are equal (operator==) when both are invalid, or both are valid and encode to the
 * same bytes; operator<< prints what Print() does.
 */
class PbcastHeader : public Header
{
  public:
    enum MessageType : uint8_t
    {
        DATA = 1,    //!< phase-1 multicast (or 1:1 unicast) of a message
        RETRANS = 2, //!< phase-2 retransmission (unicast or multicast)
        GOSSIP = 3,  //!< round digest + membership sample
        SOLICIT = 4, //!< "please send N, N'" naming the gossiper's round
        JOIN = 5     //!< bootstrap through a seed
    };

    /// Flags of DATA/RETRANS, JOIN and SOLICIT.
    enum Flags : uint8_t
    {
        FLAG_MULTICAST = 1, //!< this copy was sent by IP multicast
        FLAG_REPLY = 2,     //!< JOIN: this is the seed's answer
        FLAG_RELAY = 4,     //!< RETRANS to a remote datacenter: re-multicast it there
        FLAG_TIMED = 8      //!< SOLICIT to a source: the round field is the send time in ns
    };

    static constexpr uint8_t VERSION = 1;
    /// Entries of a membership list accepted on decode.
    static constexpr uint32_t MAX_MEMBERS = 4096;

    PbcastHeader();

    static TypeId GetTypeId();
    TypeId GetInstanceTypeId() const override;
    void Print(std::ostream& os) const override;
    uint32_t GetSerializedSize() const override;
    void Serialize(Buffer::Iterator start) const override;
    uint32_t Deserialize(Buffer::Iterator start) override;

    /// False after Deserialize of a truncated, unknown-version or garbage packet.
    bool IsValid() const;
    /// Why the last Deserialize failed ("" after a successful one).
    const std::string& GetError() const;
    /// Same validity and, if valid, the same bytes on the wire.
    bool operator==(const PbcastHeader& o) const;
    bool operator!=(const PbcastHeader& o) const;
    static const char* TypeName(uint8_t type);

    void SetType(MessageType t);
    MessageType GetType() const;
    void SetFlags(uint8_t f);
    uint8_t GetFlags() const;

    // DATA / RETRANS
    void SetMessage(GossipSenderId origin, uint64_t seq, Time sent);
    GossipSenderId GetOrigin() const;
    uint64_t GetSeq() const;
    Time GetSendTime() const;

    // GOSSIP / SOLICIT / JOIN: who sent it
    void SetSource(GossipSenderId id, uint32_t datacenter);
    GossipSenderId GetSource() const;
    uint32_t GetDatacenter() const;
    /// GOSSIP: the gossiper's round; SOLICIT: the round the request names.
    void SetRound(uint64_t round);
    uint64_t GetRound() const;
    void SetDigest(const GossipDigest& d);
    const GossipDigest& GetDigest() const;
    void SetMembers(const std::vector<pbcast::MemberEntry>& m);
    const std::vector<pbcast::MemberEntry>& GetMembers() const;

  private:
    template <typename W>
    void Encode(W& w) const;
    bool Decode(gossip::WireReader& r);

    MessageType m_type{DATA};
    uint8_t m_flags{0};
    bool m_valid{true};
    GossipSenderId m_origin{0};
    uint64_t m_seq{0};
    int64_t m_sentNs{0};
    GossipSenderId m_source{0};
    uint32_t m_datacenter{0};
    uint64_t m_round{0};
    GossipDigest m_digest;
    std::vector<pbcast::MemberEntry> m_members;
    std::string m_error;
};

/// The header as Print() writes it.
std::ostream& operator<<(std::ostream& os, const PbcastHeader& h);

} // namespace ns3

#endif /* PBCAST_HEADER_H */
