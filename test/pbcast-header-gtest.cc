/*
 * SPDX-License-Identifier: GPL-2.0-only
 */
#include "gossip-logic-test.h"

#include "ns3/packet.h"
#include "ns3/pbcast-header.h"
#include "ns3/pbcast-rmcast-header.h"

#include <random>
#include <sstream>

using namespace ns3;

namespace
{
PbcastHeader
RoundTrip(const PbcastHeader& h, uint32_t payload = 0)
{
    Ptr<Packet> p = Create<Packet>(payload);
    p->AddHeader(h);
    PbcastHeader out;
    uint32_t n = p->PeekHeader(out);
    EXPECT_EQ(n, h.GetSerializedSize());
    EXPECT_TRUE(out.IsValid());
    p->RemoveAtStart(n);
    EXPECT_EQ(p->GetSize(), payload);
    return out;
}

std::vector<uint8_t>
Bytes(const PbcastHeader& h)
{
    Ptr<Packet> p = Create<Packet>();
    p->AddHeader(h);
    std::vector<uint8_t> b(p->GetSize());
    p->CopyData(b.data(), b.size());
    return b;
}

std::string
Printed(const PbcastHeader& h)
{
    std::ostringstream os;
    h.Print(os);
    return os.str();
}

PbcastHeader
SampleGossip()
{
    PbcastHeader h;
    h.SetType(PbcastHeader::GOSSIP);
    h.SetSource(42, 2);
    h.SetRound(1234);
    GossipDigest d;
    d.AddRange(1, 1, 18);
    d.Add(2, 11);
    h.SetDigest(d);
    h.SetMembers({{7, Ipv4Address("10.0.1.2"), 0, 99}, {8, Ipv4Address("11.0.3.4"), 1, 5}});
    return h;
}
} // namespace

TEST(PbcastHeader, DataRoundTrip)
{
    for (auto type : {PbcastHeader::DATA, PbcastHeader::RETRANS})
    {
        PbcastHeader h;
        h.SetType(type);
        h.SetFlags(PbcastHeader::FLAG_MULTICAST);
        h.SetMessage(17, 123456789ULL, MilliSeconds(1500));
        PbcastHeader out = RoundTrip(h, 1024);
        EXPECT_EQ(out.GetType(), type);
        EXPECT_EQ(out.GetOrigin(), 17U);
        EXPECT_EQ(out.GetSeq(), 123456789ULL);
        EXPECT_EQ(out.GetSendTime(), MilliSeconds(1500));
        EXPECT_EQ(out.GetFlags(), PbcastHeader::FLAG_MULTICAST);
    }
    PbcastHeader h;
    h.SetMessage(3, 9, Seconds(2));
    EXPECT_EQ(Printed(h), "pbcast v1 DATA msg=3:9 sent=2000000000ns unicast");
}

TEST(PbcastHeader, GossipSolicitJoinRoundTrip)
{
    PbcastHeader g = SampleGossip();
    PbcastHeader out = RoundTrip(g);
    EXPECT_EQ(out.GetType(), PbcastHeader::GOSSIP);
    EXPECT_EQ(out.GetSource(), 42U);
    EXPECT_EQ(out.GetDatacenter(), 2U);
    EXPECT_EQ(out.GetRound(), 1234U);
    EXPECT_TRUE(out.GetDigest() == g.GetDigest());
    ASSERT_EQ(out.GetMembers().size(), 2U);
    EXPECT_EQ(out.GetMembers()[1].address, Ipv4Address("11.0.3.4"));
    EXPECT_EQ(out.GetMembers()[1].datacenter, 1U);
    EXPECT_EQ(out.GetMembers()[0].heartbeat, 99U);
    EXPECT_EQ(Printed(out),
              "pbcast v1 GOSSIP from=42 dc=2 round=1234 {1-18 from 1; 11 from 2} "
              "members=2");

    PbcastHeader s;
    s.SetType(PbcastHeader::SOLICIT);
    s.SetSource(5, 0);
    s.SetRound(77);
    GossipDigest want;
    want.Add(1, 19);
    want.Add(1, 20);
    s.SetDigest(want);
    PbcastHeader so = RoundTrip(s);
    EXPECT_EQ(so.GetRound(), 77U);
    EXPECT_EQ(so.GetDigest().ToString(), "19-20 from 1");

    PbcastHeader j;
    j.SetType(PbcastHeader::JOIN);
    j.SetFlags(PbcastHeader::FLAG_REPLY);
    j.SetSource(9, 1);
    j.SetMembers({{9, Ipv4Address("10.0.0.9"), 1, 0}});
    PbcastHeader jo = RoundTrip(j);
    EXPECT_EQ(jo.GetType(), PbcastHeader::JOIN);
    EXPECT_EQ(jo.GetFlags(), PbcastHeader::FLAG_REPLY);
    EXPECT_EQ(jo.GetMembers().size(), 1U);
}

TEST(PbcastHeader, EqualityAndPrinting)
{
    // As ns-3's aodv header tests: every type survives a trip through a packet unchanged.
    PbcastHeader data;
    data.SetType(PbcastHeader::RETRANS);
    data.SetFlags(PbcastHeader::FLAG_RELAY);
    data.SetMessage(4, 99, MicroSeconds(7));
    PbcastHeader solicit;
    solicit.SetType(PbcastHeader::SOLICIT);
    solicit.SetFlags(PbcastHeader::FLAG_TIMED);
    solicit.SetSource(3, 1);
    solicit.SetRound(123456789);
    GossipDigest d;
    d.AddRange(4, 90, 99);
    solicit.SetDigest(d);
    PbcastHeader join;
    join.SetType(PbcastHeader::JOIN);
    join.SetSource(9, 1);
    join.SetMembers({{9, Ipv4Address("11.0.0.9"), 1, 3}});
    for (const PbcastHeader& h : {data, SampleGossip(), solicit, join})
    {
        PbcastHeader out = RoundTrip(h, 17);
        EXPECT_TRUE(out == h) << h;
        EXPECT_FALSE(out != h);
        std::ostringstream os;
        os << out;
        EXPECT_EQ(os.str(), Printed(h));
    }
    // Any field on the wire makes a difference; a field another type does not carry does not.
    PbcastHeader other = data;
    other.SetMessage(4, 100, MicroSeconds(7));
    EXPECT_TRUE(other != data);
    other = data;
    other.SetFlags(0);
    EXPECT_TRUE(other != data);
    other = data;
    other.SetRound(5); // not part of a RETRANS
    EXPECT_TRUE(other == data);
    PbcastHeader g = SampleGossip();
    std::vector<pbcast::MemberEntry> m = g.GetMembers();
    m[1].heartbeat++;
    g.SetMembers(m);
    EXPECT_TRUE(g != SampleGossip());
    EXPECT_TRUE(m[1] != SampleGossip().GetMembers()[1]);
    std::ostringstream os;
    os << m[0];
    EXPECT_EQ(os.str(), "7@10.0.1.2 dc=0 hb=99");
    // Invalid headers are equal to each other and to no valid one.
    auto bytes = Bytes(SampleGossip());
    Ptr<Packet> p = Create<Packet>(bytes.data(), 5);
    PbcastHeader bad1;
    PbcastHeader bad2;
    EXPECT_EQ(p->PeekHeader(bad1), 0U);
    EXPECT_EQ(p->PeekHeader(bad2), 0U);
    EXPECT_TRUE(bad1 == bad2);
    EXPECT_TRUE(bad1 != SampleGossip());
    EXPECT_NE(bad1.GetError(), "");
    EXPECT_EQ(SampleGossip().GetError(), "");
}

TEST(PbcastHeader, TruncatedPacketsAreInvalid)
{
    for (const auto& bytes : {Bytes(SampleGossip()), Bytes(PbcastHeader())})
    {
        for (size_t len = 0; len < bytes.size(); ++len)
        {
            Ptr<Packet> p = Create<Packet>(bytes.data(), len);
            PbcastHeader h;
            uint32_t n = p->PeekHeader(h);
            EXPECT_EQ(n, 0U) << "prefix of " << len << " bytes accepted";
            EXPECT_FALSE(h.IsValid());
            EXPECT_EQ(Printed(h), "pbcast MALFORMED");
        }
    }
}

TEST(PbcastHeader, GarbageNeverCrashes)
{
    std::mt19937 rng(7);
    uint32_t accepted = 0;
    for (int trial = 0; trial < 20000; ++trial)
    {
        std::vector<uint8_t> b(rng() % 80);
        for (auto& x : b)
        {
            x = static_cast<uint8_t>(rng());
        }
        if (!b.empty() && trial % 2)
        {
            b[0] = PbcastHeader::VERSION; // get past the version check half of the time
            if (b.size() > 1)
            {
                b[1] = 1 + rng() % 5;
            }
        }
        Ptr<Packet> p = Create<Packet>(b.data(), b.size());
        PbcastHeader h;
        uint32_t n = p->PeekHeader(h);
        EXPECT_LE(n, b.size());
        EXPECT_EQ(n > 0, h.IsValid());
        accepted += n > 0;
    }
    // Some well-formed-by-chance DATA headers are expected; most garbage is rejected.
    EXPECT_LT(accepted, 20000U);
    // A wrong version is rejected even if the rest is fine.
    auto good = Bytes(SampleGossip());
    good[0] = 2;
    Ptr<Packet> p = Create<Packet>(good.data(), good.size());
    PbcastHeader h;
    EXPECT_EQ(p->PeekHeader(h), 0U);
}

TEST(PbcastRmcastHeader, RoundTripAndTruncation)
{
    PbcastRmcastHeader h;
    h.type = PbcastRmcastHeader::NACK;
    h.seq = 12;
    h.value = 40;
    h.sentNs = 5;
    Ptr<Packet> p = Create<Packet>(100);
    p->AddHeader(h);
    PbcastRmcastHeader out;
    ASSERT_EQ(p->PeekHeader(out), PbcastRmcastHeader::SIZE);
    EXPECT_TRUE(out.IsValid());
    EXPECT_EQ(out.type, PbcastRmcastHeader::NACK);
    EXPECT_EQ(out.seq, 12U);
    EXPECT_EQ(out.value, 40U);
    EXPECT_EQ(out.sentNs, 5);
    std::vector<uint8_t> b(p->GetSize());
    p->CopyData(b.data(), b.size());
    for (uint32_t len = 0; len < PbcastRmcastHeader::SIZE; ++len)
    {
        Ptr<Packet> t = Create<Packet>(b.data(), len);
        PbcastRmcastHeader x;
        EXPECT_EQ(t->PeekHeader(x), 0U);
        EXPECT_FALSE(x.IsValid());
    }
    b[1] = 9; // unknown type
    Ptr<Packet> g = Create<Packet>(b.data(), b.size());
    PbcastRmcastHeader y;
    EXPECT_EQ(g->PeekHeader(y), 0U);
    EXPECT_NE(y.GetError(), "");
}

TEST(PbcastRmcastHeader, EqualityAndPrinting)
{
    for (auto type : {PbcastRmcastHeader::DATA, PbcastRmcastHeader::ACK, PbcastRmcastHeader::NACK})
    {
        PbcastRmcastHeader h;
        h.type = type;
        h.seq = 1ULL << 40;
        h.value = 3;
        h.sentNs = -5; // any int64 survives
        EXPECT_EQ(h.GetSerializedSize(), PbcastRmcastHeader::SIZE);
        Ptr<Packet> p = Create<Packet>(7);
        p->AddHeader(h);
        PbcastRmcastHeader out;
        EXPECT_EQ(p->RemoveHeader(out), PbcastRmcastHeader::SIZE);
        EXPECT_EQ(p->GetSize(), 7U);
        EXPECT_TRUE(out == h) << h;
        EXPECT_EQ(out.GetError(), "");
        std::ostringstream a;
        std::ostringstream b;
        a << out;
        h.Print(b);
        EXPECT_EQ(a.str(), b.str());
        PbcastRmcastHeader other = h;
        other.value++;
        EXPECT_TRUE(other != h);
    }
    PbcastRmcastHeader ack;
    ack.type = PbcastRmcastHeader::ACK;
    ack.seq = 4;
    std::ostringstream os;
    os << ack;
    EXPECT_EQ(os.str(), "rmcast v1 ACK seq=4 value=0");
    // A failed decode keeps the fields, and invalid headers compare equal.
    Ptr<Packet> shortPacket = Create<Packet>(3);
    PbcastRmcastHeader x = ack;
    PbcastRmcastHeader y;
    EXPECT_EQ(shortPacket->PeekHeader(x), 0U);
    EXPECT_EQ(shortPacket->PeekHeader(y), 0U);
    EXPECT_EQ(x.seq, 4U);
    EXPECT_TRUE(x == y);
    EXPECT_TRUE(x != ack);
}
