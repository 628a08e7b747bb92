/*
 * SPDX-License-Identifier: GPL-2.0-only
 */
#ifndef ASTROLABE_HEADER_H
#define ASTROLABE_HEADER_H

#include "astrolabe-afc.h"
#include "astrolabe-value.h"
#include "gossip-wire.h"

#include "ns3/header.h"

#include <ostream>
#include <string>
#include <vector>

namespace ns3
{

/**
 * \ingroup gossip
 * \brief The one Astrolabe datagram: version and type bytes, the sender's agent id, then
 * digests, rows, requests and AFCs (any of them may be empty).
 *
 * - GOSSIP: the gossiper's digest of (id, rep, issued) per table from the chosen level up to
 *   the root, plus its AFC digest (and rows it pushes when it has spare room).
 * - REPLY: the rows the recipient has fresher, requests for the rows it lacks, newer AFCs, and
 *   the names of AFCs it wants.
 * - ROWS: the rows that were requested (and requested AFCs).
 *
 * The fields are encoded once, on the module's codec (gossip-wire.h, astrolabe::Codec for values,
 * rows and AFCs): the same Encode() gives GetSerializedSize() and Serialize(), and the size
 * functions below give the agent's budgets. Deserialize() reads the whole datagram with a
 * bounds-checked WireReader: it returns the bytes read, or 0 with IsValid() false and the reason
 * in GetError() for a truncated or garbage datagram (never reading past its end).
 */
class AstrolabeHeader : public Header
{
  public:
    static constexpr uint8_t VERSION = 1;

    enum Type : uint8_t
    {
        GOSSIP = 1,
        REPLY = 2,
        ROWS = 3
    };

    /// One copy of a child zone's row: (zone, rep) and its `issued`.
    struct DigestEntry
    {
        astrolabe::Name id;
        astrolabe::Name rep;
        int64_t issued;

        bool operator==(const DigestEntry& o) const;
    };

    /// The digest of one table, named by the zone whose children it lists.
    struct DigestTable
    {
        std::string zone;
        std::vector<DigestEntry> entries;

        bool operator==(const DigestTable& o) const;
    };

    /// Rows of one table, named by its zone.
    struct RowBlock
    {
        std::string zone;
        std::vector<astrolabe::Row> rows;

        bool operator==(const RowBlock& o) const;
    };

    /// A request for one copy of a row of table `zone`.
    struct Request
    {
        std::string zone;
        astrolabe::Name id;
        astrolabe::Name rep;

        bool operator==(const Request& o) const;
    };

    /// An AFC by its name, issued and issuer.
    struct AfcDigest
    {
        std::string name;
        int64_t issued;
        std::string issuer;

        bool operator==(const AfcDigest& o) const;
    };

    AstrolabeHeader();
    static TypeId GetTypeId();
    TypeId GetInstanceTypeId() const override;
    void Print(std::ostream& os) const override;
    uint32_t GetSerializedSize() const override;
    void Serialize(Buffer::Iterator start) const override;
    uint32_t Deserialize(Buffer::Iterator start) override;

    void SetType(Type t);
    Type GetType() const;
    void SetSender(const std::string& id);
    const std::string& GetSender() const;
    /// False after Deserialize() of a malformed datagram; the reason is in GetError().
    bool IsValid() const;
    const std::string& GetError() const;

    std::vector<DigestTable>& GetDigests();
    const std::vector<DigestTable>& GetDigests() const;
    std::vector<RowBlock>& GetRows();
    const std::vector<RowBlock>& GetRows() const;
    std::vector<Request>& GetRequests();
    const std::vector<Request>& GetRequests() const;
    std::vector<AfcDigest>& GetAfcDigests();
    const std::vector<AfcDigest>& GetAfcDigests() const;
    std::vector<astrolabe::Afc>& GetAfcs();
    const std::vector<astrolabe::Afc>& GetAfcs() const;
    /// Names of AFCs the sender wants.
    std::vector<std::string>& GetAfcRequests();
    const std::vector<std::string>& GetAfcRequests() const;

    /// Same type, sender, validity and contents.
    bool operator==(const AstrolabeHeader& o) const;
    bool operator!=(const AstrolabeHeader& o) const;

    // Wire sizes, for the budgets that keep a datagram within MaxMessageSize.
    /// A datagram from `sender` with nothing in it (type, sender and six empty lists).
    static uint32_t OverheadSize(const std::string& sender);
    /// The framing of a digest table or row block of `zone` (zone and count).
    static uint32_t BlockSize(const std::string& zone);
    static uint32_t DigestEntrySize(const DigestEntry& e);
    static uint32_t RowSize(const astrolabe::Row& r);
    static uint32_t RequestSize(const Request& q);
    static uint32_t AfcDigestSize(const AfcDigest& d);
    static uint32_t AfcSize(const astrolabe::Afc& a);
    static uint32_t AfcRequestSize(const std::string& name);
    static std::string TypeName(Type t);

  private:
    template <typename W>
    void Encode(W& w) const;
    template <typename W>
    static void EncodeEntry(W& w, const DigestEntry& e);
    template <typename W>
    static void EncodeRequest(W& w, const Request& q);
    template <typename W>
    static void EncodeAfcDigest(W& w, const AfcDigest& a);
    bool Decode(gossip::WireReader& r);
    /// A U16 count of elements of at least minBytesEach: fails r if they cannot fit.
    static uint16_t Count16(gossip::WireReader& r, uint32_t minBytesEach, const char* what);

    Type m_type{GOSSIP};
    std::string m_sender;
    bool m_valid{true};
    std::string m_error;
    std::vector<DigestTable> m_digests;
    std::vector<RowBlock> m_rows;
    std::vector<Request> m_requests;
    std::vector<AfcDigest> m_afcDigests;
    std::vector<astrolabe::Afc> m_afcs;
    std::vector<std::string> m_afcRequests;
};

/// Print() of the header.
std::ostream& operator<<(std::ostream& os, const AstrolabeHeader& h);

} // namespace ns3

#endif /* ASTROLABE_HEADER_H */
