/*
 * SPDX-License-Identifier: GPL-2.0-only
 *
 * The module's wire codec (gossip-wire.h) and the exact bytes of every message type. The
 * golden bytes were written by the encoders before they moved onto the one codec: a change of a
 * wire format must show here (and in utils/wireshark/gossip.lua), never slip through a
 * round trip that reads back what it wrote.
 */
#include "gossip-logic-test.h"

#include "ns3/aggregation-header.h"
#include "ns3/astrolabe-header.h"
#include "ns3/astrolabe-sql.h"
#include "ns3/gossip-wire.h"
#include "ns3/lpbcast-header.h"
#include "ns3/packet.h"
#include "ns3/pbcast-header.h"
#include "ns3/pbcast-rmcast-header.h"

#include <cmath>
#include <limits>
#include <string>
#include <vector>

using namespace ns3;
using namespace ns3::gossip;

namespace
{
std::string
Hex(const Header& h)
{
    Ptr<Packet> p = Create<Packet>();
    p->AddHeader(h);
    std::vector<uint8_t> b(p->GetSize());
    p->CopyData(b.data(), b.size());
    static const char* digits = "0123456789abcdef";
    std::string s;
    for (uint8_t c : b)
    {
        s += digits[c >> 4];
        s += digits[c & 15];
    }
    return s;
}

GossipDigest
SampleDigest()
{
    GossipDigest d;
    d.AddRange(3, 1, 18);
    d.Add(4, 11);
    d.Add(7, 14);
    d.Add(7, 16);
    d.AddRange(7, 22, 71);
    d.SetFloor(9, 300);
    d.Add(9, 1000000);
    return d;
}
} // namespace

TEST(GossipWire, IntegersAreBigEndianAndVarintsLeb128)
{
    std::vector<uint8_t> out;
    WireVectorWriter w(out);
    w.U8(0x01);
    w.U16(0x0203);
    w.U32(0x04050607);
    w.U64(0x08090a0b0c0d0e0fULL);
    w.I64(-2);
    w.Varint(300);
    w.Double(1.5);
    const std::vector<uint8_t> expected{0x01, 0x02, 0x03, 0x04, 0x05, 0x06, 0x07, 0x08, 0x09,
                                        0x0a, 0x0b, 0x0c, 0x0d, 0x0e, 0x0f, 0xff, 0xff, 0xff,
                                        0xff, 0xff, 0xff, 0xff, 0xfe, 0xac, 0x02, 0x3f, 0xf8,
                                        0x00, 0x00, 0x00, 0x00, 0x00, 0x00};
    EXPECT_EQ(out, expected);
    WireSizer size;
    size.U8(0);
    size.U16(0);
    size.U32(0);
    size.U64(0);
    size.I64(0);
    size.Varint(300);
    size.Double(0);
    EXPECT_EQ(size.GetSize(), out.size());

    WireReader r(out.data(), out.size());
    EXPECT_EQ(r.U8(), 0x01);
    EXPECT_EQ(r.U16(), 0x0203);
    EXPECT_EQ(r.U32(), 0x04050607U);
    EXPECT_EQ(r.U64(), 0x08090a0b0c0d0e0fULL);
    EXPECT_EQ(r.I64(), -2);
    EXPECT_EQ(r.Varint(), 300U);
    EXPECT_DOUBLE_EQ(r.Double(), 1.5);
    EXPECT_TRUE(r.Ok());
    EXPECT_EQ(r.GetRemaining(), 0U);
}

TEST(GossipWire, BufferAndVectorWritersWriteTheSameBytes)
{
    std::vector<uint8_t> vec;
    WireVectorWriter v(vec);
    Buffer buffer;
    buffer.AddAtStart(26);
    Buffer::Iterator it = buffer.Begin();
    WireWriter b(it);
    for (uint64_t x :
         {uint64_t{0}, uint64_t{127}, uint64_t{128}, std::numeric_limits<uint64_t>::max()})
    {
        v.Varint(x);
        b.Varint(x);
    }
    v.Double(-0.0);
    b.Double(-0.0);
    v.U32(7);
    b.U32(7);
    ASSERT_EQ(vec.size(), 26U);
    std::vector<uint8_t> fromBuffer(26);
    buffer.CopyData(fromBuffer.data(), fromBuffer.size());
    EXPECT_EQ(vec, fromBuffer);
    // the writer advanced the caller's iterator
    EXPECT_EQ(it.GetDistanceFrom(buffer.Begin()), 26U);
    WireReader r(buffer.Begin(), buffer.GetSize());
    EXPECT_EQ(r.Varint(), 0U);
    EXPECT_EQ(r.Varint(), 127U);
    EXPECT_EQ(r.Varint(), 128U);
    EXPECT_EQ(r.Varint(), std::numeric_limits<uint64_t>::max());
    EXPECT_TRUE(std::signbit(r.Double()));
    EXPECT_EQ(r.U32(), 7U);
    EXPECT_TRUE(r.Ok());
}

TEST(GossipWire, TruncationAndOverflowAreRefusedWithTheirReason)
{
    const std::vector<uint8_t> two{0x00, 0x01};
    WireReader r(two.data(), two.size());
    EXPECT_EQ(r.U32(), 0U);
    EXPECT_FALSE(r.Ok());
    EXPECT_EQ(r.GetError(), "datagram: truncated");
    EXPECT_EQ(r.U8(), 0U); // after a failure nothing moves
    EXPECT_EQ(r.GetRemaining(), 2U);

    std::vector<uint8_t> eleven(11, 0x80);
    WireReader tooLong(eleven.data(), eleven.size());
    tooLong.Varint();
    EXPECT_FALSE(tooLong.Ok());

    std::vector<uint8_t> overflow(9, 0xff);
    overflow.push_back(0x02); // the 64th bit and one more
    WireReader big(overflow.data(), overflow.size());
    big.Varint();
    EXPECT_EQ(big.GetError(), "varint: overflows 64 bits");

    const std::vector<uint8_t> unfinished{0x80, 0x80};
    WireReader cut(unfinished.data(), unfinished.size());
    cut.Varint();
    EXPECT_EQ(cut.GetError(), "varint: truncated");

    // a count that the remaining bytes cannot hold is refused before anything is allocated
    const std::vector<uint8_t> count{0x64, 0x00, 0x00}; // 100 items, 2 bytes left
    WireReader c(count.data(), count.size());
    EXPECT_EQ(c.VarintCount(1000, 2, "items"), 0U);
    EXPECT_EQ(c.GetError(), "items: count 100 exceeds the bytes left");
    WireReader c2(count.data(), count.size());
    EXPECT_EQ(c2.VarintCount(50, 0, "items"), 0U);
    EXPECT_EQ(c2.GetError(), "items: count 100 above 50");
}

// Found by test/fuzz (fuzz-aggregation-header): a NaN decoded, and since NaN != NaN the header
// did not survive a round trip; in push-sum it would poison every estimate it reached.
TEST(GossipWire, NaNIsRefusedInfinityIsKept)
{
    std::vector<uint8_t> bytes;
    WireVectorWriter w(bytes);
    w.Double(std::numeric_limits<double>::infinity());
    w.Double(std::numeric_limits<double>::quiet_NaN());
    WireReader r(bytes.data(), bytes.size());
    EXPECT_EQ(r.Double(), std::numeric_limits<double>::infinity());
    EXPECT_TRUE(r.Ok());
    r.Double();
    EXPECT_FALSE(r.Ok());
    EXPECT_EQ(r.GetError(), "NaN where a number was expected");

    AggregationHeader h;
    h.SetType(AggregationHeader::PUSH_SUM);
    h.s = std::numeric_limits<double>::quiet_NaN();
    h.w = 1;
    Ptr<Packet> p = Create<Packet>();
    p->AddHeader(h);
    AggregationHeader back;
    p->RemoveHeader(back);
    EXPECT_FALSE(back.IsValid());
}

TEST(GossipWire, LookAheadWithACopy)
{
    const std::vector<uint8_t> bytes{0x05, 0x06};
    WireReader r(bytes.data(), bytes.size());
    WireReader peek = r;
    EXPECT_EQ(peek.U8(), 5U);
    EXPECT_EQ(peek.U8(), 6U);
    EXPECT_EQ(r.U8(), 5U);
    EXPECT_EQ(r.GetConsumed(), 1U);
}

TEST(GossipWireGolden, PbcastData)
{
    PbcastHeader h;
    h.SetType(PbcastHeader::DATA);
    h.SetFlags(PbcastHeader::FLAG_MULTICAST);
    h.SetMessage(42, 123456789, NanoSeconds(987654321));
    EXPECT_EQ(Hex(h), "0101012a959aef3ab1d1f9d603");
}

TEST(GossipWireGolden, PbcastGossip)
{
    GossipDigest d = SampleDigest();
    PbcastHeader h;
    h.SetType(PbcastHeader::GOSSIP);
    h.SetSource(5, 2);
    h.SetRound(77);
    h.SetDigest(d);
    std::vector<pbcast::MemberEntry> m;
    m.push_back({1, Ipv4Address("10.0.1.2"), 0, 5});
    m.push_back({300, Ipv4Address("10.1.2.3"), 1, 1ull << 40});
    h.SetMembers(m);
    EXPECT_EQ(Hex(h),
              "010300054d020403000101110400010b000700030e000100053109ac020194823d0002010a0001020005"
              "ac020a01020301808080808020");
}

TEST(GossipWireGolden, PbcastSolicit)
{
    GossipDigest d = SampleDigest();
    PbcastHeader h;
    h.SetType(PbcastHeader::SOLICIT);
    h.SetFlags(PbcastHeader::FLAG_TIMED);
    h.SetSource(6, 0);
    h.SetRound(99);
    h.SetDigest(d);
    EXPECT_EQ(Hex(h), "0104080663000403000101110400010b000700030e000100053109ac020194823d00");
}

TEST(GossipWireGolden, PbcastJoin)
{
    PbcastHeader h;
    h.SetType(PbcastHeader::JOIN);
    h.SetFlags(PbcastHeader::FLAG_REPLY);
    h.SetSource(7, 3);
    std::vector<pbcast::MemberEntry> m;
    m.push_back({2, Ipv4Address("10.0.0.9"), 3, 0});
    h.SetMembers(m);
    EXPECT_EQ(Hex(h), "010502070301020a0000090300");
}

TEST(GossipWireGolden, RmcastNack)
{
    PbcastRmcastHeader h;
    h.type = PbcastRmcastHeader::NACK;
    h.seq = 17;
    h.value = 23;
    h.sentNs = 123456789;
    EXPECT_EQ(Hex(h), "01030000000000000011000000000000001700000000075bcd15");
}

TEST(GossipWireGolden, LpbcastGossip)
{
    GossipDigest d = SampleDigest();
    LpbcastHeader h;
    h.SetType(LpbcastHeader::GOSSIP);
    lpbcast::Event e;
    e.id = {167772417u, 5};
    e.age = 3;
    e.payload = {1, 2, 3, 4};
    h.events.push_back(e);
    h.eventIds = d;
    h.subs = {167772418u, 167772419u};
    h.unSubs = {{167772420u, 5000000000LL}};
    EXPECT_EQ(Hex(h),
              "010100010a000101000000050003000401020304001c0403000101110400010b000700030e0001000531"
              "09ac020194823d0000020a0001020a00010300010a000104000000012a05f200");
}

TEST(GossipWireGolden, LpbcastRequest)
{
    LpbcastHeader h;
    h.SetType(LpbcastHeader::RETRIEVE_REQUEST);
    h.wanted = {{167772417u, 7}, {167772418u, 9}};
    EXPECT_EQ(Hex(h), "010200020a000101000000070a00010200000009");
}

TEST(GossipWireGolden, LpbcastProbe)
{
    LpbcastHeader h;
    h.SetType(LpbcastHeader::PROBE);
    h.nonce = 77;
    h.sentNs = 1234567;
    EXPECT_EQ(Hex(h), "01040000004d000000000012d687");
}

TEST(GossipWireGolden, AggregationEcho)
{
    AggregationHeader h;
    h.SetType(AggregationHeader::TREE_ECHO);
    h.queryId = 3;
    h.treeId = 4;
    h.budgetUs = 5000;
    h.function = 2;
    h.root = 167772417u;
    h.round = 6;
    h.partial = aggregation::Partial::FromValue(2.5, 9);
    h.partial.partial = true;
    h.partial.missing = 2;
    EXPECT_EQ(Hex(h),
              "010300000003000000040000000140040000000000004004000000000000000000094004000000000000"
              "000000090100000002");
}

TEST(GossipWireGolden, AggregationFlood)
{
    AggregationHeader h;
    h.SetType(AggregationHeader::TREE_FLOOD);
    h.queryId = 3;
    h.treeId = 4;
    h.budgetUs = 5000;
    h.function = 2;
    h.root = 167772417u;
    h.round = 6;
    EXPECT_EQ(Hex(h), "010100000003000000040000138802000000060a000101");
}

TEST(GossipWireGolden, AggregationPushsum)
{
    AggregationHeader h;
    h.SetType(AggregationHeader::PUSH_SUM);
    h.round = 8;
    h.s = 1.5;
    h.w = 0.25;
    h.seq = 11;
    EXPECT_EQ(Hex(h), "0105000000083ff80000000000003fd00000000000000000000b");
}

TEST(GossipWireGolden, AggregationNaive)
{
    AggregationHeader h;
    h.SetType(AggregationHeader::NAIVE_AVG);
    h.round = 8;
    h.value = -3.75;
    EXPECT_EQ(Hex(h), "010600000008c00e000000000000");
}

TEST(GossipWireGolden, AggregationTopc)
{
    AggregationHeader h;
    h.SetType(AggregationHeader::TOP_C);
    h.round = 8;
    h.largest = {{9.5, 3}, {8.0, 1}};
    h.smallest = {{0.5, 7}};
    EXPECT_EQ(
        Hex(h),
        "01070000000802014023000000000000000000034020000000000000000000013fe000000000000000000007");
}

TEST(GossipWireGolden, AstrolabeGossip)
{
    AstrolabeHeader h;
    h.SetType(AstrolabeHeader::GOSSIP);
    h.SetSender("/dc0/r1/h1");
    h.GetDigests().push_back(
        {"/dc0/r1",
         {{astrolabe::Name("/dc0/r1/h1"), astrolabe::Name("/dc0/r1/h1"), 42},
          {astrolabe::Name("/dc0/r1/h2"), astrolabe::Name("/dc0/r1/h2"), -7}}});
    h.GetAfcDigests().push_back({"load", 99, "/dc0/r1/h1"});
    EXPECT_EQ(Hex(h),
              "0101000a2f6463302f72312f6831000100072f6463302f72310002000a2f6463302f72312f6831000a2f"
              "6463302f72312f6831000000000000002a000a2f6463302f72312f6832000a2f6463302f72312f6832ff"
              "fffffffffffff90000000001046c6f61640000000000000063000a2f6463302f72312f68310000");
}

TEST(GossipWireGolden, AstrolabeRows)
{
    AstrolabeHeader h;
    h.SetType(AstrolabeHeader::ROWS);
    h.SetSender("/z/h0");
    astrolabe::Row r("/z/h1", "/z/h1", 5);
    r.Set("load", astrolabe::Value(0.5));
    r.Set("n", astrolabe::Value(int64_t{3}));
    r.Set("name", astrolabe::Value("bob"));
    r.Set("up", astrolabe::Value(true));
    r.Set("contacts", astrolabe::Value(astrolabe::AddressSet{Ipv4Address("10.0.0.1")}));
    h.GetRows().push_back({"/z", {r}});
    astrolabe::Afc afc;
    astrolabe::SqlError err;
    afc.Init("avg", "SELECT AVG(load) AS load", 5, 0, 100, "/z/h1", err);
    h.GetAfcs().push_back(afc);
    h.GetRequests().push_back({"/z", astrolabe::Name("/z/h2"), astrolabe::Name("/z/h2")});
    h.GetAfcRequests().push_back("min");
    EXPECT_EQ(Hex(h),
              "010300052f7a2f68300000000100022f7a000100052f7a2f683100052f7a2f6831000000000000000505"
              "08636f6e746163747305010a000001046c6f6164023fe0000000000000016e010000000000000003046e"
              "616d65030003626f620275700401000100022f7a00052f7a2f683200052f7a2f68320001036176670018"
              "53454c45435420415647286c6f616429204153206c6f6164000000000000000500000000000000000000"
              "006400052f7a2f683101036d696e");
}
