/*
 * SPDX-License-Identifier: GPL-2.0-only
 *
 * GoogleTest for the lpbcast wire header: round trips of every type (as ns-3's aodv tests do:
 * AddHeader, RemoveHeader returns the size, the copy compares equal), truncation at every
 * length, and random garbage never crashes and is reported invalid (or parses exactly).
 */
#include "gossip-logic-test.h"

#include "ns3/buffer.h"
#include "ns3/lpbcast-header.h"
#include "ns3/packet.h"

#include <random>
#include <sstream>

using namespace ns3;

namespace
{
LpbcastHeader
SampleGossip()
{
    LpbcastHeader h;
    h.SetType(LpbcastHeader::GOSSIP);
    for (uint32_t i = 1; i <= 3; ++i)
    {
        lpbcast::Event e;
        e.id = {0x0a000001 + i, i * 7};
        e.age = i;
        e.payload.assign(10 * i, uint8_t(i));
        h.events.push_back(e);
    }
    h.eventIds.AddRange(0x0a000002, 1, 18);
    h.eventIds.Add(0x0a000003, 11);
    h.subs = {0x0a000101, 0x0a000102};
    h.unSubs = {{0x0a000201, 123456789}};
    return h;
}

LpbcastHeader
RoundTrip(const LpbcastHeader& h, uint32_t& size)
{
    Ptr<Packet> p = Create<Packet>();
    p->AddHeader(h);
    size = p->GetSize();
    LpbcastHeader out;
    EXPECT_EQ(p->RemoveHeader(out), size) << "Deserialize reads the whole header";
    EXPECT_EQ(p->GetSize(), 0u);
    return out;
}
} // namespace

TEST(LpbcastHeader, GossipRoundTrip)
{
    LpbcastHeader h = SampleGossip();
    uint32_t size = 0;
    LpbcastHeader out = RoundTrip(h, size);
    EXPECT_EQ(size, h.GetSerializedSize());
    ASSERT_TRUE(out.IsValid()) << out.GetError();
    EXPECT_EQ(out.GetType(), LpbcastHeader::GOSSIP);
    ASSERT_EQ(out.events.size(), 3u);
    for (uint32_t i = 0; i < 3; ++i)
    {
        EXPECT_EQ(out.events[i].id, h.events[i].id);
        EXPECT_EQ(out.events[i].age, h.events[i].age);
        EXPECT_EQ(out.events[i].payload, h.events[i].payload);
    }
    EXPECT_TRUE(out.eventIds == h.eventIds);
    EXPECT_EQ(out.subs, h.subs);
    EXPECT_EQ(out.unSubs, h.unSubs);
    EXPECT_EQ(out, h);
    std::ostringstream os;
    os << out;
    EXPECT_NE(os.str().find("GOSSIP"), std::string::npos);
    EXPECT_NE(os.str().find("10.0.0.2#7/age1"), std::string::npos) << os.str();
    EXPECT_NE(os.str().find("10.0.2.1@123456789ns"), std::string::npos) << os.str();
}

TEST(LpbcastHeader, OtherTypesRoundTrip)
{
    LpbcastHeader req;
    req.SetType(LpbcastHeader::RETRIEVE_REQUEST);
    req.wanted = {{1, 2}, {3, 4}};
    uint32_t size = 0;
    LpbcastHeader out = RoundTrip(req, size);
    ASSERT_TRUE(out.IsValid());
    EXPECT_EQ(out.wanted, req.wanted);
    EXPECT_EQ(out, req);
    EXPECT_EQ(size, 2u + 2 + 2 * 8);

    LpbcastHeader rep = SampleGossip();
    rep.SetType(LpbcastHeader::RETRIEVE_REPLY);
    out = RoundTrip(rep, size);
    ASSERT_TRUE(out.IsValid());
    EXPECT_EQ(out.GetType(), LpbcastHeader::RETRIEVE_REPLY);
    EXPECT_EQ(out.events.size(), 3u);
    EXPECT_EQ(out, rep);
    EXPECT_EQ(size, 2u + 2 + 3 * 12 + 60);

    LpbcastHeader probe;
    probe.SetType(LpbcastHeader::PROBE_REPLY);
    probe.nonce = 77;
    probe.sentNs = 1234567;
    out = RoundTrip(probe, size);
    ASSERT_TRUE(out.IsValid());
    EXPECT_EQ(out.nonce, 77u);
    EXPECT_EQ(out.sentNs, 1234567);
    EXPECT_EQ(out, probe);
    EXPECT_EQ(size, 2u + 4 + 8);
    probe.SetType(LpbcastHeader::PROBE);
    out = RoundTrip(probe, size);
    EXPECT_EQ(out, probe);
    EXPECT_NE(out.GetType(), LpbcastHeader::PROBE_REPLY);
}

// Equality covers what the type carries on the wire, so a changed field makes a difference.
TEST(LpbcastHeader, EqualityFollowsTheWireFields)
{
    LpbcastHeader a = SampleGossip();
    LpbcastHeader b = SampleGossip();
    EXPECT_EQ(a, b);
    b.events[1].age += 1;
    EXPECT_NE(a, b);
    b = SampleGossip();
    b.eventIds.Add(0x0a000003, 12);
    EXPECT_NE(a, b);
    b = SampleGossip();
    b.unSubs[0].second += 1;
    EXPECT_NE(a, b);
    b = SampleGossip();
    b.SetType(LpbcastHeader::RETRIEVE_REPLY);
    EXPECT_NE(a, b);
    // A probe does not carry events: they do not count.
    LpbcastHeader p;
    p.SetType(LpbcastHeader::PROBE);
    p.nonce = 5;
    LpbcastHeader q = p;
    q.events = SampleGossip().events;
    EXPECT_EQ(p, q);
    q.sentNs = 1;
    EXPECT_NE(p, q);
}

// A malformed datagram: Deserialize returns 0, the header is invalid with a reason, and it
// prints as such.
TEST(LpbcastHeader, MalformedReturnsZeroWithAReason)
{
    std::vector<uint8_t> bytes{LpbcastHeader::VERSION, 9}; // no such type
    Buffer buffer;
    buffer.AddAtStart(bytes.size());
    buffer.Begin().Write(bytes.data(), bytes.size());
    LpbcastHeader h;
    EXPECT_EQ(h.Deserialize(buffer.Begin()), 0u);
    EXPECT_FALSE(h.IsValid());
    EXPECT_EQ(h.GetError(), "unknown type");
    bytes = {2, LpbcastHeader::GOSSIP}; // unknown version
    buffer = Buffer();
    buffer.AddAtStart(bytes.size());
    buffer.Begin().Write(bytes.data(), bytes.size());
    EXPECT_EQ(h.Deserialize(buffer.Begin()), 0u);
    EXPECT_EQ(h.GetError(), "unknown version");
    std::ostringstream os;
    os << h;
    EXPECT_NE(os.str().find("MALFORMED(unknown version)"), std::string::npos) << os.str();
    // An event with sequence number 0 is refused.
    LpbcastHeader r;
    r.SetType(LpbcastHeader::RETRIEVE_REPLY);
    r.events.push_back(lpbcast::Event{{0x0a000001, 0}, 0, {}});
    Ptr<Packet> p = Create<Packet>();
    p->AddHeader(r);
    EXPECT_EQ(p->PeekHeader(h), 0u);
    EXPECT_FALSE(h.IsValid());
    EXPECT_EQ(h.GetError(), "event seq 0");
    EXPECT_TRUE(h.events.empty());
    // A digest that does not fill its length is refused.
    LpbcastHeader g = SampleGossip();
    p = Create<Packet>();
    p->AddHeader(g);
    std::vector<uint8_t> wire(p->GetSize());
    p->CopyData(wire.data(), wire.size());
    const uint32_t at = 2 + 2 + 3 * 12 + 60; // the digest length field
    ASSERT_EQ((wire[at] << 8 | wire[at + 1]), int(g.eventIds.GetSerializedSize()));
    wire[at + 1] += 1;
    wire.insert(wire.begin() + at + 2 + g.eventIds.GetSerializedSize(), 0);
    Ptr<Packet> bad = Create<Packet>(wire.data(), wire.size());
    EXPECT_EQ(bad->PeekHeader(h), 0u);
    EXPECT_FALSE(h.IsValid());
    EXPECT_EQ(h.GetError(), "bad digest: trailing bytes");
}

TEST(LpbcastHeader, EveryTruncationIsInvalid)
{
    LpbcastHeader h = SampleGossip();
    Ptr<Packet> p = Create<Packet>();
    p->AddHeader(h);
    for (uint32_t len = 0; len < p->GetSize(); ++len)
    {
        Ptr<Packet> cut = p->CreateFragment(0, len);
        LpbcastHeader out;
        cut->PeekHeader(out);
        EXPECT_FALSE(out.IsValid()) << "length " << len;
        EXPECT_TRUE(out.events.empty());
    }
    // Trailing bytes are rejected too.
    Ptr<Packet> longer = p->Copy();
    longer->AddAtEnd(Create<Packet>(3));
    LpbcastHeader out;
    longer->PeekHeader(out);
    EXPECT_FALSE(out.IsValid());
}

TEST(LpbcastHeader, RandomGarbageNeverCrashes)
{
    std::mt19937 gen(42);
    uint32_t valid = 0;
    for (uint32_t k = 0; k < 20000; ++k)
    {
        std::vector<uint8_t> bytes(gen() % 64);
        for (auto& b : bytes)
        {
            b = gen();
        }
        if (!bytes.empty() && (k % 2) == 0)
        {
            bytes[0] = LpbcastHeader::VERSION; // get past the version check half the time
            if (bytes.size() > 1)
            {
                bytes[1] = 1 + gen() % 5;
            }
        }
        Ptr<Packet> p = Create<Packet>(bytes.data(), bytes.size());
        LpbcastHeader h;
        p->PeekHeader(h);
        if (h.IsValid())
        {
            ++valid;
            EXPECT_EQ(h.GetSerializedSize(), bytes.size()); // exact parse, nothing left over
        }
        std::ostringstream os;
        h.Print(os);
    }
    EXPECT_LT(valid, 20000u);
}

// The digest's length is a 16-bit field: with a large MaxEventIds a digest of isolated ids grew
// past it, the length wrapped and every receiver dropped the gossip. FitGossip must make the
// whole gossip one datagram that decodes, keeping the newest ids and some events.
TEST(LpbcastHeader, FitGossipCapsALargeDigest)
{
    LpbcastHeader h;
    h.SetType(LpbcastHeader::GOSSIP);
    const uint32_t origins = 5;
    const uint32_t perOrigin = 20000;
    for (uint32_t o = 1; o <= origins; ++o)
    {
        for (uint32_t k = 1; k <= perOrigin; ++k)
        {
            h.eventIds.Add(o, 2 * k); // isolated: one interval each
        }
    }
    for (uint32_t i = 1; i <= 30; ++i)
    {
        lpbcast::Event e;
        e.id = {1, 2 * i};
        e.payload.assign(1000, uint8_t(i));
        h.events.push_back(e);
    }
    h.subs = {7, 8, 9};
    ASSERT_GT(h.eventIds.GetSerializedSize(), 65535u) << "the case must overflow the field";
    ASSERT_TRUE(h.FitGossip());
    EXPECT_LE(h.GetSerializedSize(), LpbcastHeader::MAX_DATAGRAM);
    EXPECT_LE(h.eventIds.GetSerializedSize(), 65535u);
    EXPECT_EQ(h.events.size(), 30u) << "events fit once the digest is capped";
    for (uint32_t o = 1; o <= origins; ++o)
    {
        EXPECT_TRUE(h.eventIds.Contains(o, 2 * perOrigin)) << "newest id of " << o << " dropped";
        EXPECT_FALSE(h.eventIds.Contains(o, 2)) << "oldest id of " << o << " kept";
    }
    uint32_t size = 0;
    LpbcastHeader out = RoundTrip(h, size);
    ASSERT_TRUE(out.IsValid()) << out.GetError();
    EXPECT_EQ(out.eventIds, h.eventIds);
    EXPECT_EQ(out.events.size(), 30u);
    EXPECT_EQ(out.subs, h.subs);

    // Events alone too large: the oldest-arrived go, the newest stays.
    LpbcastHeader big;
    big.SetType(LpbcastHeader::GOSSIP);
    for (uint32_t i = 1; i <= 10; ++i)
    {
        lpbcast::Event e;
        e.id = {2, i};
        e.payload.assign(10000, 0);
        big.events.push_back(e);
    }
    ASSERT_TRUE(big.FitGossip());
    EXPECT_LE(big.GetSerializedSize(), LpbcastHeader::MAX_DATAGRAM);
    ASSERT_FALSE(big.events.empty());
    EXPECT_EQ(big.events.back().id.seq, 10u);
    // Already small: untouched.
    LpbcastHeader small = SampleGossip();
    const uint32_t before = small.GetSerializedSize();
    ASSERT_TRUE(small.FitGossip());
    EXPECT_EQ(small.GetSerializedSize(), before);
}
