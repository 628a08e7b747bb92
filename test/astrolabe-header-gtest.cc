/*
 * SPDX-License-Identifier: GPL-2.0-only
 *
 * AstrolabeHeader: round trips of every message type and field (as ns-3's aodv tests its
 * headers), the sizes the agent budgets with, every truncation and random bytes rejected, and
 * AFC texts from the wire bounded before they are parsed.
 */
#include "astrolabe-gtest-support.h"
#include "gossip-logic-test.h"

#include "ns3/astrolabe-afc.h"
#include "ns3/astrolabe-header.h"
#include "ns3/astrolabe-value.h"
#include "ns3/packet.h"

#include <algorithm>
#include <sstream>
#include <string>
#include <vector>

using namespace ns3;
using namespace ns3::astrolabe;
using ns3::astrolabe_test::HostRow;

namespace
{

/// "SELECT ((((1)))) AS m" with `depth` parentheses.
std::string
DeepQuery(uint32_t depth)
{
    return "SELECT " + std::string(depth, '(') + "1" + std::string(depth, ')') + " AS m";
}

/**
 * The wire bytes of a GOSSIP header carrying an AFC whose text is `text`. The API refuses to
 * build such an AFC, so encode a harmless AFC and splice the text (and its 16-bit big-endian
 * length) into the encoding.
 */
std::vector<uint8_t>
HeaderWithAfcText(const std::string& text)
{
    const std::string benign = "SELECT 1 AS placeholder";
    Afc afc;
    SqlError err;
    EXPECT_TRUE(afc.Init("evil", benign, 5, 0, 100, "h1", err)) << err.ToString();
    AstrolabeHeader h;
    h.SetType(AstrolabeHeader::GOSSIP);
    h.SetSender("/dc0/r1/h1");
    h.GetAfcs().push_back(afc);
    Ptr<Packet> p = Create<Packet>();
    p->AddHeader(h);
    std::vector<uint8_t> bytes(p->GetSize());
    p->CopyData(bytes.data(), bytes.size());
    auto at = std::search(bytes.begin(), bytes.end(), benign.begin(), benign.end());
    EXPECT_TRUE(at != bytes.end() && at - bytes.begin() >= 2);
    if (at == bytes.end() || at - bytes.begin() < 2)
    {
        return bytes;
    }
    size_t pos = at - bytes.begin();
    bytes[pos - 2] = static_cast<uint8_t>(text.size() >> 8);
    bytes[pos - 1] = static_cast<uint8_t>(text.size() & 0xff);
    bytes.erase(bytes.begin() + pos, bytes.begin() + pos + benign.size());
    bytes.insert(bytes.begin() + pos, text.begin(), text.end());
    return bytes;
}
} // namespace

TEST(AstrolabeHeader, DeeplyNestedAfcFromTheWireIsMalformed)
{
    for (uint32_t depth : {10000U, 5000U})
    {
        std::vector<uint8_t> bytes = HeaderWithAfcText(DeepQuery(depth));
        Ptr<Packet> p = Create<Packet>(bytes.data(), bytes.size());
        AstrolabeHeader x;
        p->RemoveHeader(x);
        EXPECT_FALSE(x.IsValid()) << depth;
        std::ostringstream printed;
        x.Print(printed);
        EXPECT_NE(printed.str().find("MALFORMED"), std::string::npos) << printed.str();
        EXPECT_NE(printed.str().find(depth == 10000 ? "exceeds" : "nesting"), std::string::npos)
            << printed.str().substr(0, 300);
    }
    // the patching itself is sound: a harmless text of the same shape decodes
    std::vector<uint8_t> ok = HeaderWithAfcText(DeepQuery(10));
    Ptr<Packet> p = Create<Packet>(ok.data(), ok.size());
    AstrolabeHeader x;
    p->RemoveHeader(x);
    ASSERT_TRUE(x.IsValid());
    EXPECT_EQ(x.GetAfcs().at(0).GetText(), DeepQuery(10));
}

TEST(AstrolabeHeader, RoundTripAndGarbage)
{
    AstrolabeHeader h;
    h.SetType(AstrolabeHeader::GOSSIP);
    h.SetSender("/dc0/r1/h1");
    AstrolabeHeader::DigestTable d;
    d.zone = "/dc0";
    d.entries.push_back({"/dc0/r1", "/dc0/r1/h1", 1234});
    h.GetDigests().push_back(d);
    AstrolabeHeader::RowBlock rb;
    rb.zone = "/dc0";
    rb.rows.push_back(HostRow("/dc0/r1", 0.5, 77));
    h.GetRows().push_back(rb);
    Afc afc;
    SqlError err;
    ASSERT_TRUE(afc.Init("q", "SELECT MAX(load) AS m", 5, 0, 100, "h1", err));
    h.GetAfcs().push_back(afc);
    Ptr<Packet> p = Create<Packet>();
    p->AddHeader(h);
    AstrolabeHeader back;
    p->RemoveHeader(back);
    ASSERT_TRUE(back.IsValid());
    EXPECT_EQ(back.GetSender(), "/dc0/r1/h1");
    ASSERT_EQ(back.GetDigests().size(), 1U);
    EXPECT_EQ(back.GetDigests()[0].entries[0].issued, 1234);
    ASSERT_EQ(back.GetRows().size(), 1U);
    EXPECT_EQ(back.GetRows()[0].rows[0].ToString(), rb.rows[0].ToString());
    ASSERT_EQ(back.GetAfcs().size(), 1U);
    EXPECT_EQ(back.GetAfcs()[0].GetText(), "SELECT MAX(load) AS m");
    std::ostringstream printed;
    back.Print(printed);
    EXPECT_NE(printed.str().find("Astrolabe v1 GOSSIP from /dc0/r1/h1"), std::string::npos)
        << printed.str();
    EXPECT_NE(printed.str().find("(/dc0/r1,/dc0/r1/h1,1234)"), std::string::npos);

    // random bytes and every truncation are rejected, never a crash
    std::vector<uint8_t> bytes(p->GetSize() + 0);
    Ptr<Packet> q = Create<Packet>();
    q->AddHeader(h);
    bytes.resize(q->GetSize());
    q->CopyData(bytes.data(), bytes.size());
    for (size_t cut = 0; cut < bytes.size(); ++cut)
    {
        Ptr<Packet> t = Create<Packet>(bytes.data(), cut);
        AstrolabeHeader x;
        t->RemoveHeader(x);
        EXPECT_FALSE(x.IsValid()) << "truncated at " << cut;
        std::ostringstream bad;
        x.Print(bad);
        EXPECT_NE(bad.str().find("MALFORMED"), std::string::npos);
    }
    uint32_t seed = 12345;
    for (int i = 0; i < 2000; ++i)
    {
        std::vector<uint8_t> junk(1 + i % 300);
        for (auto& c : junk)
        {
            seed = seed * 1103515245 + 12345;
            c = static_cast<uint8_t>(seed >> 16);
        }
        if (i % 2 == 0 && junk.size() > 2)
        {
            junk[0] = AstrolabeHeader::VERSION; // get past the version check
            junk[1] = 1 + i % 3;
        }
        Ptr<Packet> t = Create<Packet>(junk.data(), junk.size());
        AstrolabeHeader x;
        t->RemoveHeader(x);
        (void)x.IsValid();
    }
}

namespace
{
/// A header of this type with something in every list, and values of every type.
AstrolabeHeader
FullHeader(AstrolabeHeader::Type type)
{
    AstrolabeHeader h;
    h.SetType(type);
    h.SetSender("/dc0/r1/h1");
    h.GetDigests().push_back({"/dc0/r1", {{"/dc0/r1/h1", "/dc0/r1/h1", 42}}});
    h.GetDigests().push_back({"/", {{"/dc0", "/dc0/r1/h2", -7}, {"/dc1", "/dc1/r0/h0", 0}}});
    Row r("/dc0/r1/h2", "/dc0/r1/h2", 1234567890123);
    r.Set("i", Value(int64_t{-3}));
    r.Set("d", Value(2.5));
    r.Set("s", Value("text"));
    r.Set("b", Value(true));
    r.Set("a", Value(AddressSet{Ipv4Address("10.0.1.2"), Ipv4Address("10.0.1.3")}));
    r.Set("nil", Value());
    h.GetRows().push_back({"/dc0/r1", {r, HostRow("/dc0/r1/h3", 0.25, 9)}});
    h.GetRows().push_back({"/", {Row("/dc1", "/dc1/r0/h0", 5)}});
    h.GetRequests().push_back({"/dc0/r1", "/dc0/r1/h4", "/dc0/r1/h4"});
    h.GetAfcDigests().push_back({"load", 99, "/dc0/r1/h1"});
    Afc afc;
    SqlError err;
    EXPECT_TRUE(afc.Init("avg", "SELECT AVG(load) AS load", 5, 77, 100, "/dc0/r1/h1", err));
    h.GetAfcs().push_back(afc);
    h.GetAfcRequests().push_back("min");
    return h;
}
} // namespace

TEST(AstrolabeHeader, RoundTripOfEveryTypeAndField)
{
    for (auto type : {AstrolabeHeader::GOSSIP, AstrolabeHeader::REPLY, AstrolabeHeader::ROWS})
    {
        AstrolabeHeader h = FullHeader(type);
        Ptr<Packet> p = Create<Packet>();
        p->AddHeader(h);
        EXPECT_EQ(p->GetSize(), h.GetSerializedSize());
        AstrolabeHeader back;
        EXPECT_EQ(p->RemoveHeader(back), h.GetSerializedSize());
        EXPECT_EQ(p->GetSize(), 0U);
        ASSERT_TRUE(back.IsValid()) << back.GetError();
        EXPECT_TRUE(back == h);
        EXPECT_EQ(back.GetType(), type);
        EXPECT_EQ(back.GetSender(), "/dc0/r1/h1");
        ASSERT_EQ(back.GetRows().size(), 2U);
        const Row& r = back.GetRows()[0].rows[0];
        EXPECT_EQ(r.GetIssued(), 1234567890123);
        EXPECT_EQ(r.Get("i"), Value(int64_t{-3}));
        EXPECT_EQ(r.Get("d"), Value(2.5));
        EXPECT_EQ(r.Get("s"), Value("text"));
        EXPECT_EQ(r.Get("b"), Value(true));
        EXPECT_EQ(r.Get("a").GetAddresses().size(), 2U);
        EXPECT_TRUE(r.Has("nil"));
        EXPECT_EQ(back.GetAfcs().at(0).GetExpires(), 77);
        EXPECT_EQ(back.GetAfcs().at(0).GetMaxOutputBytes(), 100U);
        EXPECT_EQ(back.GetAfcRequests().at(0), "min");
        // operator<< is Print()
        std::ostringstream a;
        std::ostringstream b;
        a << back;
        back.Print(b);
        EXPECT_EQ(a.str(), b.str());
        EXPECT_NE(a.str().find(AstrolabeHeader::TypeName(type) + " from /dc0/r1/h1"),
                  std::string::npos)
            << a.str();
    }
    // == sees every field
    AstrolabeHeader x = FullHeader(AstrolabeHeader::REPLY);
    AstrolabeHeader y = FullHeader(AstrolabeHeader::REPLY);
    EXPECT_TRUE(x == y);
    y.GetRows()[0].rows[1].SetIssued(10);
    EXPECT_TRUE(x != y);
    y = FullHeader(AstrolabeHeader::REPLY);
    y.GetAfcRequests().clear();
    EXPECT_TRUE(x != y);
    y = FullHeader(AstrolabeHeader::ROWS);
    EXPECT_TRUE(x != y);
}

TEST(AstrolabeHeader, BudgetSizesAreTheEncodedSizes)
{
    // each size the agent budgets with is what the element adds to the datagram
    AstrolabeHeader h;
    h.SetType(AstrolabeHeader::REPLY);
    h.SetSender("/dc0/r1/h1");
    uint32_t size = h.GetSerializedSize();
    EXPECT_EQ(AstrolabeHeader::OverheadSize("/dc0/r1/h1"), size);
    EXPECT_EQ(size, 13U + 10U); // version, type, sender, five counts (the agent's old Overhead)
    AstrolabeHeader::DigestEntry e{"/dc0/r1/h2", "/dc0/r1/h2", 5};
    h.GetDigests().push_back({"/dc0/r1", {e}});
    EXPECT_EQ(h.GetSerializedSize(),
              size + AstrolabeHeader::BlockSize("/dc0/r1") + AstrolabeHeader::DigestEntrySize(e));
    EXPECT_EQ(AstrolabeHeader::BlockSize("/dc0/r1"), 4U + 7U);
    size = h.GetSerializedSize();
    Row r = HostRow("/dc0/r1/h2", 0.5, 3);
    h.GetRows().push_back({"/dc0/r1", {r}});
    EXPECT_EQ(h.GetSerializedSize(),
              size + AstrolabeHeader::BlockSize("/dc0/r1") + AstrolabeHeader::RowSize(r));
    size = h.GetSerializedSize();
    AstrolabeHeader::Request q{"/dc0/r1", "/dc0/r1/h3", "/dc0/r1/h3"};
    h.GetRequests().push_back(q);
    EXPECT_EQ(h.GetSerializedSize(), size + AstrolabeHeader::RequestSize(q));
    EXPECT_EQ(AstrolabeHeader::RequestSize(q), 6U + 7U + 10U + 10U);
    size = h.GetSerializedSize();
    AstrolabeHeader::AfcDigest d{"load", 1, "/dc0/r1/h1"};
    h.GetAfcDigests().push_back(d);
    EXPECT_EQ(h.GetSerializedSize(), size + AstrolabeHeader::AfcDigestSize(d));
    EXPECT_EQ(AstrolabeHeader::AfcDigestSize(d), 1U + 4U + 8U + 2U + 10U);
    size = h.GetSerializedSize();
    Afc afc;
    SqlError err;
    ASSERT_TRUE(afc.Init("avg", "SELECT AVG(load) AS load", 5, 0, 100, "/dc0/r1/h1", err));
    h.GetAfcs().push_back(afc);
    EXPECT_EQ(h.GetSerializedSize(), size + AstrolabeHeader::AfcSize(afc));
    EXPECT_EQ(AstrolabeHeader::AfcSize(afc), 1U + 3U + 2U + 24U + 8U + 8U + 4U + 2U + 10U);
    size = h.GetSerializedSize();
    h.GetAfcRequests().push_back("min");
    EXPECT_EQ(h.GetSerializedSize(), size + AstrolabeHeader::AfcRequestSize("min"));
    // the least an element takes, which bounds the counts a decoder accepts
    EXPECT_EQ(AstrolabeHeader::BlockSize(""), 4U);
    EXPECT_EQ(AstrolabeHeader::DigestEntrySize({"", "", 0}), 12U);
    EXPECT_EQ(AstrolabeHeader::RowSize(Row()), 13U);
    EXPECT_EQ(AstrolabeHeader::RequestSize({"", "", ""}), 6U);
}

TEST(AstrolabeHeader, DeserializeReturnsZeroAndTheReasonWhenMalformed)
{
    AstrolabeHeader h = FullHeader(AstrolabeHeader::ROWS);
    Ptr<Packet> p = Create<Packet>();
    p->AddHeader(h);
    std::vector<uint8_t> bytes(p->GetSize());
    p->CopyData(bytes.data(), bytes.size());
    auto decode = [](std::vector<uint8_t> b, uint32_t& consumed) {
        Ptr<Packet> q = Create<Packet>(b.data(), b.size());
        AstrolabeHeader x;
        consumed = q->RemoveHeader(x);
        return x;
    };
    uint32_t consumed = 1;
    // one byte more: trailing bytes are an error (a datagram is one header)
    std::vector<uint8_t> longer = bytes;
    longer.push_back(0);
    AstrolabeHeader x = decode(longer, consumed);
    EXPECT_FALSE(x.IsValid());
    EXPECT_EQ(consumed, 0U);
    EXPECT_NE(x.GetError().find("trailing"), std::string::npos) << x.GetError();
    // the wrong version, an unknown type
    std::vector<uint8_t> bad = bytes;
    bad[0] = 2;
    x = decode(bad, consumed);
    EXPECT_FALSE(x.IsValid());
    EXPECT_EQ(consumed, 0U);
    EXPECT_EQ(x.GetError(), "version 2");
    bad = bytes;
    bad[1] = 9;
    EXPECT_EQ(decode(bad, consumed).GetError(), "type 9");
    // an empty sender
    AstrolabeHeader anon;
    anon.SetType(AstrolabeHeader::GOSSIP);
    Ptr<Packet> ap = Create<Packet>();
    ap->AddHeader(anon);
    std::vector<uint8_t> ab(ap->GetSize());
    ap->CopyData(ab.data(), ab.size());
    EXPECT_EQ(decode(ab, consumed).GetError(), "empty sender");
    // a bool that is neither 0 nor 1, a row attribute named like a key
    AstrolabeHeader flag;
    flag.SetType(AstrolabeHeader::ROWS);
    flag.SetSender("/z/h0");
    Row r("/z/h1", "/z/h1", 1);
    r.Set("up", Value(true));
    flag.GetRows().push_back({"/z", {r}});
    Ptr<Packet> fp = Create<Packet>();
    fp->AddHeader(flag);
    std::vector<uint8_t> fb(fp->GetSize());
    fp->CopyData(fb.data(), fb.size());
    const std::string up = "up";
    auto at = std::search(fb.begin(), fb.end(), up.begin(), up.end()) - fb.begin();
    ASSERT_EQ(fb[at + 2], Value::BOOL);
    fb[at + 3] = 2;
    EXPECT_NE(decode(fb, consumed).GetError().find("bool"), std::string::npos);
    fb[at + 3] = 1;
    fb[at] = 'i';
    fb[at + 1] = 'd';
    EXPECT_NE(decode(fb, consumed).GetError().find("'id'"), std::string::npos);
    fb[at] = 'u';
    fb[at + 1] = 'p';
    EXPECT_TRUE(decode(fb, consumed).IsValid());
    EXPECT_EQ(consumed, fb.size());
}
