/*
 * SPDX-License-Identifier: GPL-2.0-only
 *
 * Astrolabe's values, rows, interned names, zone paths and the attribute pool (rows decoded
 * from the same bytes share one map).
 */
#include "astrolabe-gtest-support.h"
#include "gossip-logic-test.h"

#include "ns3/astrolabe-header.h"
#include "ns3/astrolabe-intern-index.h"
#include "ns3/astrolabe-name.h"
#include "ns3/astrolabe-path.h"
#include "ns3/astrolabe-value.h"
#include "ns3/packet.h"

#include <limits>
#include <map>
#include <memory>
#include <string>
#include <vector>

using namespace ns3;
using namespace ns3::astrolabe;
using ns3::astrolabe_test::HostRow;

namespace
{

/// The rows of one ROWS datagram, as a receiver decodes them.
std::vector<Row>
DecodeRows(const std::vector<Row>& rows)
{
    AstrolabeHeader h;
    h.SetType(AstrolabeHeader::ROWS);
    h.SetSender("/z/h0");
    h.GetRows().push_back({"/z", rows});
    Ptr<Packet> p = Create<Packet>();
    p->AddHeader(h);
    AstrolabeHeader back;
    p->RemoveHeader(back);
    EXPECT_TRUE(back.IsValid());
    return back.GetRows().empty() ? std::vector<Row>{} : back.GetRows()[0].rows;
}
} // namespace

TEST(AstrolabeValue, TypesAndCompare)
{
    EXPECT_EQ(Value(int64_t{3}).GetType(), Value::INT);
    EXPECT_EQ(Value(2.5).GetType(), Value::DOUBLE);
    EXPECT_EQ(Value("x").GetType(), Value::STRING);
    EXPECT_EQ(Value(true).GetType(), Value::BOOL);
    EXPECT_TRUE(Value().IsNull());
    EXPECT_LT(Value::Compare(Value(2), Value(2.5)), 0);
    EXPECT_GT(Value::Compare(Value(), Value(1)), 0); // null last
    AddressSet s{Ipv4Address("10.0.0.1"), Ipv4Address("10.0.0.2"), Ipv4Address("10.0.0.1")};
    EXPECT_EQ(Value(s).GetAddresses().size(), 2U); // a set: duplicates dropped
    EXPECT_EQ(Value(s).ToString(), "{10.0.0.1,10.0.0.2}");
}

// A NaN (inf - inf in an AFC) is a missing value: the wire refuses NaN, so a row carrying one
// would get its whole datagram dropped by every receiver.
TEST(AstrolabeValue, NaNIsTheMissingValue)
{
    EXPECT_TRUE(Value(std::numeric_limits<double>::quiet_NaN()).IsNull());
    EXPECT_EQ(Value(std::numeric_limits<double>::infinity()).GetType(), Value::DOUBLE);
}

TEST(AstrolabeRow, CopiesShareAttributesUntilOneChanges)
{
    Row a("/z/h1", "/z/h1", 1);
    a.Set("load", 0.5);
    a.Set("contacts", AddressSet{Ipv4Address("10.0.0.1")});
    Row b = a;
    b.Set("load", 0.9);
    b.Erase("contacts");
    EXPECT_DOUBLE_EQ(a.Get("load").GetDouble(), 0.5);
    EXPECT_EQ(a.GetContacts().size(), 1u);
    EXPECT_DOUBLE_EQ(b.Get("load").GetDouble(), 0.9);
    EXPECT_TRUE(b.GetContacts().empty());
    EXPECT_FALSE(a.SameContent(b));
    Row c = a;
    c.SetIssued(2);
    EXPECT_TRUE(a.SameContent(c));
    Row empty;
    EXPECT_TRUE(empty.GetAttributes().empty());
    EXPECT_EQ(empty.GetNMembers(), 1);
}

TEST(AstrolabeRow, ProtocolColumnsHaveFixedTypes)
{
    EXPECT_TRUE(Row::HasProtocolType("load", Value(1.5)));
    EXPECT_TRUE(Row::HasProtocolType("load", Value(int64_t{2})));
    EXPECT_TRUE(Row::HasProtocolType("load", Value()));
    EXPECT_FALSE(Row::HasProtocolType("load", Value("busy")));
    EXPECT_FALSE(Row::HasProtocolType("load", Value(true)));
    EXPECT_TRUE(Row::HasProtocolType("nmembers", Value(int64_t{3})));
    EXPECT_FALSE(Row::HasProtocolType("nmembers", Value(3.0)));
    EXPECT_FALSE(Row::HasProtocolType("depth", Value("x")));
    EXPECT_TRUE(Row::HasProtocolType("contacts", Value(AddressSet{})));
    EXPECT_FALSE(Row::HasProtocolType("servers", Value(int64_t{1})));
    EXPECT_TRUE(Row::HasProtocolType("anything", Value("x"))); // user columns: any type
    Row r("/z/h1", "/z/h1", 1);
    r.Set("load", Value(0.5));
    r.Set("name", Value("web"));
    EXPECT_TRUE(r.HasProtocolTypes());
    r.Set("load", Value("0.5"));
    EXPECT_FALSE(r.HasProtocolTypes());
}

TEST(AstrolabeAttributePool, SameBytesShareOneMapThatNeverChangesInPlace)
{
    size_t before = AttributePool::GetSize();
    {
        // two receivers decode the same row (different issued): one map, pooled
        std::vector<Row> a = DecodeRows({HostRow("/z/h1", 0.5, 1)});
        std::vector<Row> b = DecodeRows({HostRow("/z/h1", 0.5, 2)});
        ASSERT_EQ(a.size(), 1U);
        ASSERT_EQ(b.size(), 1U);
        EXPECT_EQ(&a[0].GetAttributes(), &b[0].GetAttributes());
        EXPECT_EQ(b[0].GetIssued(), 2);
        EXPECT_EQ(AttributePool::GetSize(), before + 1);
        // other attributes: another map
        std::vector<Row> c = DecodeRows({HostRow("/z/h1", 0.7, 3)});
        EXPECT_NE(&a[0].GetAttributes(), &c[0].GetAttributes());
        EXPECT_EQ(AttributePool::GetSize(), before + 2);
        // a change copies: the other copy and the pooled map keep their values
        a[0].Set("load", 0.9);
        EXPECT_DOUBLE_EQ(a[0].Get("load").GetDouble(), 0.9);
        EXPECT_DOUBLE_EQ(b[0].Get("load").GetDouble(), 0.5);
        std::vector<Row> d = DecodeRows({HostRow("/z/h1", 0.5, 4)});
        EXPECT_EQ(&d[0].GetAttributes(), &b[0].GetAttributes());
        EXPECT_DOUBLE_EQ(d[0].Get("load").GetDouble(), 0.5);
        // even the last holder of a pooled map copies before a change
        b.clear();
        d[0].Erase("depth");
        EXPECT_FALSE(d[0].Has("depth"));
        std::vector<Row> e = DecodeRows({HostRow("/z/h1", 0.5, 5)});
        EXPECT_TRUE(e[0].Has("depth"));
    }
    // maps leave the pool with their last row
    EXPECT_EQ(AttributePool::GetSize(), before);
}

TEST(AstrolabePath, SplitAndValidate)
{
    auto p = astrolabe::SplitPath("/dc0/rack07/host12");
    ASSERT_EQ(p.size(), 3U);
    EXPECT_EQ(astrolabe::PathPrefix(p, 2), "/dc0/rack07");
    EXPECT_EQ(astrolabe::PathPrefix(p, 0), "/");
    EXPECT_EQ(astrolabe::ShortName("/dc0/rack07/host12"), "host12");
    EXPECT_EQ(astrolabe::ValidatePath("/dc0/rack07/host12"), "");
    EXPECT_NE(astrolabe::ValidatePath("dc0/x"), "");
    EXPECT_NE(astrolabe::ValidatePath("/dc0//x"), "");
    EXPECT_NE(astrolabe::ValidatePath("/dc 0"), "");
}

TEST(AstrolabePath, DepthAndPrefixAgreeWithSplitPath)
{
    // the allocation-free checks on received rows must decide exactly as SplitPath/PathPrefix
    const std::vector<std::string> paths{"/",
                                         "",
                                         "/a",
                                         "/a/b",
                                         "a/b",
                                         "/a//b",
                                         "//a/b/",
                                         "/dc0/pod01/rack07/host12",
                                         "/dc0/pod01",
                                         "/dc0/pod0",
                                         "/dc0/pod011/x",
                                         "/a/b/c/d/e"};
    for (const auto& p : paths)
    {
        auto parts = astrolabe::SplitPath(p);
        EXPECT_EQ(astrolabe::PathDepth(p), parts.size()) << p;
        for (size_t d = 0; d <= parts.size(); ++d)
        {
            for (const auto& t : paths)
            {
                EXPECT_EQ(astrolabe::PathPrefixIs(p, d, t), astrolabe::PathPrefix(parts, d) == t)
                    << p << " depth " << d << " vs " << t;
            }
        }
    }
}

TEST(AstrolabeName, InternedOrderedByTextAndReleased)
{
    size_t before = Name::GetNInterned();
    {
        Name a("/dc0/rack07");
        Name b(std::string("/dc0/rack07"));
        Name c("/dc0/rack10");
        EXPECT_EQ(a, b);
        EXPECT_EQ(&a.str(), &b.str()); // one shared string
        EXPECT_NE(a, c);
        EXPECT_TRUE(a < c); // ordered like the strings
        EXPECT_FALSE(c < a);
        EXPECT_TRUE(Name() < a);
        EXPECT_EQ(a, std::string("/dc0/rack07"));
        EXPECT_EQ(Name::GetNInterned(), before + 2);
        Name moved(std::move(c));
        EXPECT_EQ(moved, std::string("/dc0/rack10"));
        b = moved;
        EXPECT_EQ(b, moved);
    }
    EXPECT_EQ(Name::GetNInterned(), before);
}

// Names compare by an order label, not their text. Each new name here falls between the last
// two, so the halving runs out of room and every label is spread again, several times; order
// must agree with the text throughout, also for names interned again after release.
TEST(AstrolabeName, OrderAgreesWithTheTextWhenLabelsRunOut)
{
    std::vector<Name> names{Name("/a"), Name("/b")};
    std::string low = "/a";
    for (int i = 0; i < 200; ++i)
    {
        low += "a"; // "/aa..." sorts after "/a" and before "/b" and every earlier one
        names.emplace_back(low);
    }
    {
        std::vector<Name> transient;
        for (int i = 0; i < 50; ++i)
        {
            transient.emplace_back("/a" + std::string(i + 1, 'a') + "b");
        }
        names.insert(names.end(), transient.begin(), transient.begin() + 10);
    } // forty of them released
    names.emplace_back("/aab");
    names.emplace_back("/0");
    for (const Name& a : names)
    {
        for (const Name& b : names)
        {
            ASSERT_EQ(a < b, a.str() < b.str()) << a << " vs " << b;
        }
    }
}

namespace
{
struct TextOfString
{
    std::string_view operator()(const std::string& s) const
    {
        return s;
    }
};
} // namespace

// Every entry hashes to one of four values, so probe runs are long, wrap past the end of
// the slots and interleave; erasing from the middle of a run must keep every other entry
// reachable (the backward shift), and growing must keep all of them.
TEST(AstrolabeInternIndex, CollidingEntriesStayReachableThroughErasesAndGrowth)
{
    InternIndex<std::string, TextOfString> index;
    std::map<std::string, std::unique_ptr<std::string>> held;
    auto hashOf = [](const std::string& s) { return (size_t{1} << 13) - 2 + s.size() % 4; };
    for (int i = 0; i < 3000; ++i)
    {
        auto text = std::make_unique<std::string>("zone" + std::to_string(i));
        ASSERT_EQ(index.Find(*text, hashOf(*text)), nullptr);
        index.Insert(text.get(), hashOf(*text));
        held[*text] = std::move(text);
    }
    EXPECT_EQ(index.size(), 3000U);
    // take out every third, then every entry left must still be found, and no erased one
    size_t n = 0;
    for (auto it = held.begin(); it != held.end();)
    {
        if (n++ % 3 == 0)
        {
            index.Erase(it->second.get(), hashOf(it->first));
            EXPECT_EQ(index.Find(it->first, hashOf(it->first)), nullptr) << it->first;
            it = held.erase(it);
        }
        else
        {
            ++it;
        }
    }
    EXPECT_EQ(index.size(), held.size());
    for (const auto& [text, entry] : held)
    {
        EXPECT_EQ(index.Find(text, hashOf(text)), entry.get()) << text;
    }
    // the same text under another hash is another key; erasing what is absent does nothing
    const std::string& some = held.begin()->first;
    EXPECT_EQ(index.Find(some, hashOf(some) + 1), nullptr);
    std::string absent("absent");
    index.Erase(&absent, hashOf(absent));
    EXPECT_EQ(index.size(), held.size());
}
