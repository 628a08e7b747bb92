/*
 * SPDX-License-Identifier: GPL-2.0-only
 *
 * AggregationHeader: round trips of every message type (as ns-3's aodv tests do: add to a
 * packet, take it off again, compare with operator== and the sizes), truncated and random bytes,
 * and what a malformed header says. The exact bytes are in gossip-wire-gtest.cc.
 */
#include "gossip-logic-test.h"

#include "ns3/aggregation-header.h"
#include "ns3/packet.h"

#include <cmath>
#include <random>
#include <sstream>
#include <vector>

using namespace ns3;

namespace
{
/// Add h to a packet, peek and remove it again: \return what came back.
AggregationHeader
RoundTrip(const AggregationHeader& h)
{
    Ptr<Packet> p = Create<Packet>();
    p->AddHeader(h);
    EXPECT_EQ(p->GetSize(), h.GetSerializedSize());
    AggregationHeader peeked;
    EXPECT_EQ(p->PeekHeader(peeked), h.GetSerializedSize());
    AggregationHeader removed;
    EXPECT_EQ(p->RemoveHeader(removed), h.GetSerializedSize());
    EXPECT_EQ(p->GetSize(), 0u);
    EXPECT_EQ(peeked, removed);
    return removed;
}

std::vector<AggregationHeader>
OneOfEach()
{
    std::vector<AggregationHeader> all;
    AggregationHeader flood;
    flood.SetType(AggregationHeader::TREE_FLOOD);
    flood.queryId = 3;
    flood.treeId = 3;
    flood.budgetUs = 5000;
    flood.function = uint8_t(aggregation::Function::MAX);
    flood.round = 2;
    flood.root = Ipv4Address("10.1.2.3").Get();
    all.push_back(flood);
    AggregationHeader query = flood;
    query.SetType(AggregationHeader::TREE_QUERY);
    query.queryId = 4;
    all.push_back(query);
    AggregationHeader echo;
    echo.SetType(AggregationHeader::TREE_ECHO);
    echo.queryId = 77;
    echo.treeId = 5;
    echo.partial = aggregation::Partial::FromValue(2.5, 12);
    echo.partial.Combine(aggregation::Partial::FromValue(-1.25, 3));
    echo.partial.partial = true;
    echo.partial.missing = 3;
    all.push_back(echo);
    AggregationHeader nack;
    nack.SetType(AggregationHeader::TREE_NACK);
    nack.queryId = 9;
    nack.treeId = 8;
    all.push_back(nack);
    AggregationHeader sum;
    sum.SetType(AggregationHeader::PUSH_SUM);
    sum.round = 12;
    sum.s = 0.125;
    sum.w = 3.0;
    sum.seq = 9;
    all.push_back(sum);
    AggregationHeader naive;
    naive.SetType(AggregationHeader::NAIVE_AVG);
    naive.round = 1;
    naive.value = -7.5;
    all.push_back(naive);
    AggregationHeader top;
    top.SetType(AggregationHeader::TOP_C);
    top.round = 4;
    top.largest = {{9.0, 1}, {8.0, 2}};
    top.smallest = {{0.5, 3}};
    all.push_back(top);
    return all;
}
} // namespace

TEST(AggregationHeader, RoundTripsEveryType)
{
    for (const AggregationHeader& h : OneOfEach())
    {
        AggregationHeader back = RoundTrip(h);
        ASSERT_TRUE(back.IsValid()) << AggregationHeader::TypeName(h.GetType());
        EXPECT_EQ(back.GetError(), "");
        EXPECT_EQ(back, h) << "sent " << h << ", got " << back;
    }
}

TEST(AggregationHeader, SizesFollowTheType)
{
    std::vector<uint32_t> sizes;
    for (const AggregationHeader& h : OneOfEach())
    {
        sizes.push_back(h.GetSerializedSize());
    }
    // FLOOD, QUERY, ECHO, NACK, PUSH_SUM, NAIVE_AVG, TOP_C (2 + 1 entries of 12 bytes)
    std::vector<uint32_t> want = {23, 23, 51, 10, 26, 14, 2 + 6 + 3 * 12};
    EXPECT_EQ(sizes, want);
}

TEST(AggregationHeader, EqualityLooksAtTheTypesFields)
{
    std::vector<AggregationHeader> all = OneOfEach();
    AggregationHeader echo = all[2];
    AggregationHeader other = echo;
    other.s = 42; // not a field of TREE_ECHO
    EXPECT_EQ(echo, other);
    other.partial.missing = 4;
    EXPECT_NE(echo, other);
    AggregationHeader top = all[6];
    AggregationHeader shorter = top;
    shorter.smallest.clear();
    EXPECT_NE(top, shorter);
    EXPECT_NE(all[0], all[1]); // same fields, another type
}

TEST(AggregationHeader, PrintsItsFields)
{
    std::ostringstream os;
    os << OneOfEach()[0];
    EXPECT_EQ(os.str(),
              "Aggregation v1 TREE_FLOOD query=3 tree=3 budget=5000us hops=2 root=10.1.2.3");
    std::ostringstream ps;
    ps << OneOfEach()[4];
    EXPECT_EQ(ps.str(), "Aggregation v1 PUSH_SUM round=12 s=0.125 w=3 seq=9");
}

TEST(AggregationHeader, TruncatedAndRandomBytesAreRejectedWithoutCrash)
{
    for (const AggregationHeader& h : OneOfEach())
    {
        Ptr<Packet> full = Create<Packet>();
        full->AddHeader(h);
        for (uint32_t len = 0; len < full->GetSize(); ++len)
        {
            Ptr<Packet> cut = full->CreateFragment(0, len);
            AggregationHeader r;
            EXPECT_EQ(cut->PeekHeader(r), 0u);
            EXPECT_FALSE(r.IsValid())
                << "accepted a " << len << "-byte " << AggregationHeader::TypeName(h.GetType());
            EXPECT_NE(r.GetError(), "");
        }
    }
    std::mt19937 gen(11);
    uint32_t accepted = 0;
    for (uint32_t k = 0; k < 5000; ++k)
    {
        std::vector<uint8_t> bytes(gen() % 64);
        for (auto& b : bytes)
        {
            b = gen() & 0xff;
        }
        if (bytes.size() >= 2 && k % 2 == 0)
        {
            bytes[0] = AggregationHeader::VERSION; // get past the version check half the time
            bytes[1] = 1 + gen() % 7;
        }
        Ptr<Packet> p = Create<Packet>(bytes.data(), bytes.size());
        AggregationHeader r;
        uint32_t used = p->PeekHeader(r);
        EXPECT_LE(used, p->GetSize());
        EXPECT_EQ(used > 0, r.IsValid());
        accepted += r.IsValid();
    }
    EXPECT_GT(accepted, 0u); // long enough random packets with a good type do parse
}

TEST(AggregationHeader, MalformedHeadersSayWhy)
{
    auto parse = [](std::vector<uint8_t> bytes) {
        Ptr<Packet> p = Create<Packet>(bytes.data(), bytes.size());
        AggregationHeader h;
        p->PeekHeader(h);
        return h;
    };
    AggregationHeader wrongVersion = parse({9, 1, 0, 0, 0, 0});
    EXPECT_FALSE(wrongVersion.IsValid());
    EXPECT_EQ(wrongVersion.GetError(), "aggregation: unknown version or type");
    EXPECT_FALSE(parse({1, 8}).IsValid()); // no type 8
    // a flood asking for function 5 (there are 0..4)
    AggregationHeader flood = OneOfEach()[0];
    flood.function = 5;
    Ptr<Packet> p = Create<Packet>();
    p->AddHeader(flood);
    AggregationHeader back;
    EXPECT_EQ(p->PeekHeader(back), 0u);
    EXPECT_EQ(back.GetError(), "aggregation: unknown function");
    std::ostringstream os;
    os << back;
    EXPECT_EQ(os.str(), "Aggregation v1 TREE_FLOOD (malformed)");
    // bytes after the fields are not read
    Ptr<Packet> longer = Create<Packet>(5);
    longer->AddHeader(OneOfEach()[3]);
    AggregationHeader nack;
    EXPECT_EQ(longer->PeekHeader(nack), 10u);
    EXPECT_TRUE(nack.IsValid());
}
