/*
 * SPDX-License-Identifier: GPL-2.0-only
 */
#ifndef ASTROLABE_HEADER_H
#define ASTROLABE_HEADER_H

#include "astrolabe-sql.h"
#include "astrolabe-value.h"

#include "ns3/header.h"

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
 * Deserialize() copies the remaining bytes and parses them with bounds checks: a truncated or
 * garbage datagram leaves IsValid() false and never reads past the end.
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

    struct DigestEntry
    {
        AstrolabeName id;
        AstrolabeName rep;
        int64_t issued;
    };

    /// The digest of one table, named by the zone whose children it lists.
    struct DigestTable
    {
        std::string zone;
        std::vector<DigestEntry> entries;
    };

    struct RowBlock
    {
        std::string zone;
        std::vector<AstrolabeRow> rows;
    };

    struct Request
    {
        std::string zone;
        AstrolabeName id;
        AstrolabeName rep;
    };

    struct AfcDigest
    {
        std::string name;
        int64_t issued;
        std::string issuer;
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
    std::vector<AstrolabeAfc>& GetAfcs();
    const std::vector<AstrolabeAfc>& GetAfcs() const;
    /// Names of AFCs the sender wants.
    std::vector<std::string>& GetAfcRequests();
    const std::vector<std::string>& GetAfcRequests() const;

    /// Wire bytes (encoded on demand).
    std::vector<uint8_t> Encode() const;
    /// Parse wire bytes. \return false (with GetError()) if malformed.
    bool Decode(const uint8_t* data, uint32_t size);

    /// Wire size of one digest entry / one row with its framing, for size budgeting.
    static uint32_t DigestEntrySize(const DigestEntry& e);
    static uint32_t RowSize(const AstrolabeRow& r);
    static std::string TypeName(Type t);

  private:
    Type m_type{GOSSIP};
    std::string m_sender;
    bool m_valid{true};
    std::string m_error;
    std::vector<DigestTable> m_digests;
    std::vector<RowBlock> m_rows;
    std::vector<Request> m_requests;
    std::vector<AfcDigest> m_afcDigests;
    std::vector<AstrolabeAfc> m_afcs;
    std::vector<std::string> m_afcRequests;
    /// Encoding cached by GetSerializedSize() for the Serialize() that follows it in
    /// Packet::AddHeader; every non-const accessor drops it.
    mutable std::vector<uint8_t> m_encoded;
    mutable bool m_encodedValid{false};
};

} // namespace ns3

#endif /* ASTROLABE_HEADER_H */
