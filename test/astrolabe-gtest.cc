/*
 * SPDX-License-Identifier: GPL-2.0-only
 *
 * Pure logic of Astrolabe: typed values, MIB rows and the merge rule, tables with T_fail, the
 * SQL parser (good, bad and ill-typed queries) and evaluator, AFC precedence, and the
 * representative election that the system AFC performs.
 */
#include "gossip-logic-test.h"

#include "ns3/astrolabe-header.h"
#include "ns3/astrolabe-sql.h"
#include "ns3/astrolabe-value.h"
#include "ns3/packet.h"

#include <algorithm>
#include <limits>
#include <set>
#include <sstream>

using namespace ns3;

namespace
{
AstrolabeRow
HostRow(const std::string& id, double load, int64_t issued = 1)
{
    AstrolabeRow r(id, id, issued);
    r.Set("load", AstrolabeValue(load));
    r.Set("nmembers", AstrolabeValue(int64_t{1}));
    r.Set("depth", AstrolabeValue(int64_t{0}));
    return r;
}

std::map<std::string, AstrolabeValue>
RunQuery(const std::string& q, const std::vector<AstrolabeRow>& rows)
{
    AstrolabeQuery query;
    AstrolabeSqlError err;
    EXPECT_TRUE(AstrolabeQuery::Parse(q, query, err)) << q << ": " << err.ToString();
    std::map<std::string, AstrolabeValue> out;
    std::string e;
    EXPECT_TRUE(query.Evaluate(rows, nullptr, out, e)) << e;
    return out;
}

AstrolabeSqlError
Reject(const std::string& q)
{
    AstrolabeQuery query;
    AstrolabeSqlError err;
    EXPECT_FALSE(AstrolabeQuery::Parse(q, query, err)) << "accepted: " << q;
    return err;
}

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
    AstrolabeAfc afc;
    AstrolabeSqlError err;
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

TEST(AstrolabeValue, TypesAndCompare)
{
    EXPECT_EQ(AstrolabeValue(int64_t{3}).GetType(), AstrolabeValue::INT);
    EXPECT_EQ(AstrolabeValue(2.5).GetType(), AstrolabeValue::DOUBLE);
    EXPECT_EQ(AstrolabeValue("x").GetType(), AstrolabeValue::STRING);
    EXPECT_EQ(AstrolabeValue(true).GetType(), AstrolabeValue::BOOL);
    EXPECT_TRUE(AstrolabeValue().IsNull());
    EXPECT_LT(AstrolabeValue::Compare(AstrolabeValue(2), AstrolabeValue(2.5)), 0);
    EXPECT_GT(AstrolabeValue::Compare(AstrolabeValue(), AstrolabeValue(1)), 0); // null last
    AstrolabeAddressSet s{Ipv4Address("10.0.0.1"),
                          Ipv4Address("10.0.0.2"),
                          Ipv4Address("10.0.0.1")};
    EXPECT_EQ(AstrolabeValue(s).GetAddresses().size(), 2U); // a set: duplicates dropped
    EXPECT_EQ(AstrolabeValue(s).ToString(), "{10.0.0.1,10.0.0.2}");
}

TEST(AstrolabeRow, CopiesShareAttributesUntilOneChanges)
{
    AstrolabeRow a("/z/h1", "/z/h1", 1);
    a.Set("load", 0.5);
    a.Set("contacts", AstrolabeAddressSet{Ipv4Address("10.0.0.1")});
    AstrolabeRow b = a;
    b.Set("load", 0.9);
    b.Erase("contacts");
    EXPECT_DOUBLE_EQ(a.Get("load").GetDouble(), 0.5);
    EXPECT_EQ(a.GetContacts().size(), 1u);
    EXPECT_DOUBLE_EQ(b.Get("load").GetDouble(), 0.9);
    EXPECT_TRUE(b.GetContacts().empty());
    EXPECT_FALSE(a.SameContent(b));
    AstrolabeRow c = a;
    c.SetIssued(2);
    EXPECT_TRUE(a.SameContent(c));
    AstrolabeRow empty;
    EXPECT_TRUE(empty.GetAttributes().empty());
    EXPECT_EQ(empty.GetNMembers(), 1);
}

namespace
{
/// The rows of one ROWS datagram, as a receiver decodes them.
std::vector<AstrolabeRow>
DecodeRows(const std::vector<AstrolabeRow>& rows)
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
    return back.GetRows().empty() ? std::vector<AstrolabeRow>{} : back.GetRows()[0].rows;
}
} // namespace

TEST(AstrolabeAttributePool, SameBytesShareOneMapThatNeverChangesInPlace)
{
    size_t before = AstrolabeAttributePool::GetSize();
    {
        // two receivers decode the same row (different issued): one map, pooled
        std::vector<AstrolabeRow> a = DecodeRows({HostRow("/z/h1", 0.5, 1)});
        std::vector<AstrolabeRow> b = DecodeRows({HostRow("/z/h1", 0.5, 2)});
        ASSERT_EQ(a.size(), 1U);
        ASSERT_EQ(b.size(), 1U);
        EXPECT_EQ(&a[0].GetAttributes(), &b[0].GetAttributes());
        EXPECT_EQ(b[0].GetIssued(), 2);
        EXPECT_EQ(AstrolabeAttributePool::GetSize(), before + 1);
        // other attributes: another map
        std::vector<AstrolabeRow> c = DecodeRows({HostRow("/z/h1", 0.7, 3)});
        EXPECT_NE(&a[0].GetAttributes(), &c[0].GetAttributes());
        EXPECT_EQ(AstrolabeAttributePool::GetSize(), before + 2);
        // a change copies: the other copy and the pooled map keep their values
        a[0].Set("load", 0.9);
        EXPECT_DOUBLE_EQ(a[0].Get("load").GetDouble(), 0.9);
        EXPECT_DOUBLE_EQ(b[0].Get("load").GetDouble(), 0.5);
        std::vector<AstrolabeRow> d = DecodeRows({HostRow("/z/h1", 0.5, 4)});
        EXPECT_EQ(&d[0].GetAttributes(), &b[0].GetAttributes());
        EXPECT_DOUBLE_EQ(d[0].Get("load").GetDouble(), 0.5);
        // even the last holder of a pooled map copies before a change
        b.clear();
        d[0].Erase("depth");
        EXPECT_FALSE(d[0].Has("depth"));
        std::vector<AstrolabeRow> e = DecodeRows({HostRow("/z/h1", 0.5, 5)});
        EXPECT_TRUE(e[0].Has("depth"));
    }
    // maps leave the pool with their last row
    EXPECT_EQ(AstrolabeAttributePool::GetSize(), before);
}

TEST(AstrolabeRow, MergeComparesIssuedOnlyWithinTheSameRep)
{
    AstrolabeTable t;
    AstrolabeRow a("/dc0/r1", "/dc0/r1/h1", 100);
    a.Set("load", AstrolabeValue(1.0));
    EXPECT_TRUE(t.Merge(a, 0));
    AstrolabeRow older = a;
    older.SetIssued(50);
    older.Set("load", AstrolabeValue(9.0));
    EXPECT_FALSE(t.Merge(older, 1)); // same rep, older: ignored
    AstrolabeRow newer = a;
    newer.SetIssued(101);
    newer.Set("load", AstrolabeValue(2.0));
    EXPECT_TRUE(t.Merge(newer, 2));
    // another rep of the same zone with a much smaller clock: a separate entry, not "older"
    AstrolabeRow otherRep("/dc0/r1", "/dc0/r1/h2", 3);
    otherRep.Set("load", AstrolabeValue(5.0));
    EXPECT_TRUE(t.Merge(otherRep, 3));
    EXPECT_EQ(t.GetNEntries(), 2U);
    EXPECT_EQ(t.GetNZones(), 1U);
    // a copy only heard of (never seen advancing here) may be a former rep's stale row still
    // passed around: the view keeps the copy that did advance here
    auto view = t.GetView();
    ASSERT_EQ(view.size(), 1U);
    EXPECT_EQ(view[0].GetRep(), "/dc0/r1/h1");
    // once the other rep advances too, both are live: the one that advanced here most recently
    AstrolabeRow otherNewer = otherRep;
    otherNewer.SetIssued(4);
    EXPECT_TRUE(t.Merge(otherNewer, 4));
    view = t.GetView();
    ASSERT_EQ(view.size(), 1U);
    EXPECT_EQ(view[0].GetRep(), "/dc0/r1/h2");
    // h1 advances at 5, a third rep's copy is first heard of at 6: at time 7 (live window 5)
    // the copy only heard of does not win over the live one, though it is more recent
    AstrolabeRow h1Later = newer;
    h1Later.SetIssued(102);
    EXPECT_TRUE(t.Merge(h1Later, 5));
    EXPECT_TRUE(t.Merge(AstrolabeRow("/dc0/r1", "/dc0/r1/h3", 1), 6));
    view = t.GetView(7, 5);
    ASSERT_EQ(view.size(), 1U);
    EXPECT_EQ(view[0].GetRep(), "/dc0/r1/h1");
    // at time 11 only h3 was updated within the window, and it never advanced: no copy is
    // live, so the one updated most recently
    view = t.GetView(11, 3);
    EXPECT_EQ(view[0].GetRep(), "/dc0/r1/h3");
    // the view's keys can leave out a rep (the digest lists our own copy separately)
    auto keys = t.GetViewKeys(7, 5, "/dc0/r1/h1");
    ASSERT_EQ(keys.size(), 1U);
    EXPECT_EQ(keys[0].second, "/dc0/r1/h2"); // live (advanced at 4), h3 is not
    EXPECT_FALSE(AstrolabeRow::IsNewer(otherRep, a));
}

TEST(AstrolabeRow, ExpiryAndTombstones)
{
    AstrolabeTable t;
    t.Merge(HostRow("/a/h1", 1, 10), 0);
    t.Merge(HostRow("/a/h2", 1, 10), 0);
    t.Merge(HostRow("/a/h2", 1, 20), 50);
    auto removed = t.Expire(100, 60);
    ASSERT_EQ(removed.size(), 1U);
    EXPECT_EQ(removed[0].first, "/a/h1");
    EXPECT_FALSE(t.Merge(HostRow("/a/h1", 1, 10), 101)); // stale copy gossiped back
    EXPECT_TRUE(t.Merge(HostRow("/a/h1", 1, 11), 102));  // the host is alive again
}

TEST(AstrolabeTable, SupersededCopiesGoAndDoNotComeBack)
{
    AstrolabeTable t;
    // zone /z/a: a start-up row of a non-representative (h9) and the live rep's copy (h0)
    t.Merge(AstrolabeRow("/z/a", "/z/a/h9", 5), 0);
    t.Merge(AstrolabeRow("/z/a", "/z/a/h0", 7), 1);
    t.Merge(AstrolabeRow("/z/a", "/z/a/h0", 8), 10);
    // zone /z/b: one old copy, the only one there is
    t.Merge(AstrolabeRow("/z/b", "/z/b/h0", 3), 0);
    EXPECT_TRUE(t.ExpireSuperseded(4, 5).empty()); // within the grace period
    auto removed = t.ExpireSuperseded(12, 5);
    ASSERT_EQ(removed.size(), 1U);
    EXPECT_EQ(removed[0], AstrolabeTable::Key("/z/a", "/z/a/h9"));
    EXPECT_NE(t.Find({"/z/b", "/z/b/h0"}), nullptr); // nothing fresher: kept (T_fail decides)
    EXPECT_NE(t.Find({"/z/a", "/z/a/h0"}), nullptr);
    EXPECT_FALSE(t.Merge(AstrolabeRow("/z/a", "/z/a/h9", 5), 13)); // passed around: refused
    EXPECT_TRUE(t.Merge(AstrolabeRow("/z/a", "/z/a/h9", 6), 14));  // h9 issues again: back
}

TEST(AstrolabeTable, EvictStalestKeepsTheBoundAndOwnRow)
{
    AstrolabeTable t;
    for (int i = 0; i < 5; ++i)
    {
        AstrolabeRow r("/z/a", "/z/a/h" + std::to_string(i), 100 - i);
        t.Merge(r, 10 + (i + 2) % 5); // h3 updated least recently (t=10), then h4 (11)
    }
    t.Merge(AstrolabeRow("/z/b", "/z/b/h0", 1), 0);
    EXPECT_EQ(t.GetNReps("/z/a"), 5U);
    EXPECT_TRUE(t.EvictStalest("/z/a", "/z/a/h9"));
    EXPECT_EQ(t.GetNReps("/z/a"), 4U);
    EXPECT_EQ(t.Find({"/z/a", "/z/a/h3"}), nullptr);
    EXPECT_TRUE(t.EvictStalest("/z/a", "/z/a/h4")); // keep h4: h0 (12) goes
    EXPECT_NE(t.Find({"/z/a", "/z/a/h4"}), nullptr);
    EXPECT_EQ(t.Find({"/z/a", "/z/a/h0"}), nullptr);
    EXPECT_EQ(t.GetNReps("/z/b"), 1U); // another zone untouched
    EXPECT_TRUE(t.HasZone("/z/a"));
    EXPECT_FALSE(t.EvictStalest("/z/c", ""));
    EXPECT_TRUE(t.EvictStalest("/z/b", ""));
    EXPECT_FALSE(t.HasZone("/z/b"));
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
    size_t before = AstrolabeName::GetNInterned();
    {
        AstrolabeName a("/dc0/rack07");
        AstrolabeName b(std::string("/dc0/rack07"));
        AstrolabeName c("/dc0/rack10");
        EXPECT_EQ(a, b);
        EXPECT_EQ(&a.str(), &b.str()); // one shared string
        EXPECT_NE(a, c);
        EXPECT_TRUE(a < c); // ordered like the strings
        EXPECT_FALSE(c < a);
        EXPECT_TRUE(AstrolabeName() < a);
        EXPECT_EQ(a, std::string("/dc0/rack07"));
        EXPECT_EQ(AstrolabeName::GetNInterned(), before + 2);
        AstrolabeName moved(std::move(c));
        EXPECT_EQ(moved, std::string("/dc0/rack10"));
        b = moved;
        EXPECT_EQ(b, moved);
    }
    EXPECT_EQ(AstrolabeName::GetNInterned(), before);
}

TEST(AstrolabeSql, SystemAfcAggregates)
{
    std::vector<AstrolabeRow> rows;
    for (int i = 0; i < 4; ++i)
    {
        AstrolabeRow r = HostRow("/z/h" + std::to_string(i), 4.0 - i);
        r.Set("contacts",
              AstrolabeValue(
                  AstrolabeAddressSet{Ipv4Address(("10.0.0." + std::to_string(i + 1)).c_str())}));
        r.Set("servers", AstrolabeValue(AstrolabeAddressSet{}));
        rows.push_back(r);
    }
    auto out = RunQuery(AstrolabeAfc::SystemAfcText(2), rows);
    EXPECT_EQ(out["nmembers"], AstrolabeValue(int64_t{4}));
    EXPECT_EQ(out["depth"], AstrolabeValue(int64_t{1}));
    // representatives: the two lowest loads (h3 has 1.0 at 10.0.0.4, h2 has 2.0 at 10.0.0.3)
    EXPECT_EQ(out["contacts"].ToString(), "{10.0.0.4,10.0.0.3}");
    // re-election when loads change
    rows[0].Set("load", AstrolabeValue(0.0));
    out = RunQuery(AstrolabeAfc::SystemAfcText(2), rows);
    EXPECT_EQ(out["contacts"].ToString(), "{10.0.0.1,10.0.0.4}");
    // a failed representative's row is gone: the next one is elected
    rows.erase(rows.begin());
    out = RunQuery(AstrolabeAfc::SystemAfcText(1), rows);
    EXPECT_EQ(out["contacts"].ToString(), "{10.0.0.4}");
}

TEST(AstrolabeSql, AvgIsWeightedByNMembers)
{
    AstrolabeRow a("/x/a", "r", 1);
    a.Set("load", AstrolabeValue(1.0));
    a.Set("nmembers", AstrolabeValue(int64_t{3}));
    AstrolabeRow b("/x/b", "r", 1);
    b.Set("load", AstrolabeValue(5.0));
    b.Set("nmembers", AstrolabeValue(int64_t{1}));
    auto out = RunQuery("SELECT AVG(load) AS load, SUM(nmembers) AS n, COUNT(*) AS c", {a, b});
    EXPECT_DOUBLE_EQ(out["load"].GetDouble(), 2.0); // (3*1 + 1*5) / 4, not (1+5)/2
    EXPECT_EQ(out["n"], AstrolabeValue(int64_t{4}));
    EXPECT_EQ(out["c"], AstrolabeValue(int64_t{2}));
}

TEST(AstrolabeSql, ExpressionsWhereOrderLimit)
{
    std::vector<AstrolabeRow> rows;
    for (int i = 0; i < 5; ++i)
    {
        AstrolabeRow r = HostRow("/z/h" + std::to_string(i), i * 1.5);
        r.Set("slow", AstrolabeValue(i == 3));
        r.Set("name", AstrolabeValue("h" + std::to_string(i)));
        rows.push_back(r);
    }
    auto out =
        RunQuery("select min(load) as lo, MAX(load) * 2 + 1 AS hi2, OR(slow) AS warn, "
                 "AND(slow) AS all_slow, SUM(load) / COUNT(load) AS mean, -MIN(load) AS neg, "
                 "MAX(name) AS last, COUNT(*) > 3 AS many WHERE load >= 1.5 AND NOT (name = 'h4')",
                 rows);
    EXPECT_DOUBLE_EQ(out["lo"].GetDouble(), 1.5);
    EXPECT_DOUBLE_EQ(out["hi2"].GetDouble(), 4.5 * 2 + 1);
    EXPECT_EQ(out["warn"], AstrolabeValue(true));
    EXPECT_EQ(out["all_slow"], AstrolabeValue(false));
    EXPECT_DOUBLE_EQ(out["mean"].GetDouble(), (1.5 + 3.0 + 4.5) / 3);
    EXPECT_DOUBLE_EQ(out["neg"].GetDouble(), -1.5);
    EXPECT_EQ(out["last"], AstrolabeValue("h3"));
    EXPECT_EQ(out["many"], AstrolabeValue(false));
    out = RunQuery("SELECT SUM(load) AS top2 ORDER BY load DESC LIMIT 2", rows);
    EXPECT_DOUBLE_EQ(out["top2"].GetDouble(), 6.0 + 4.5);
    out = RunQuery("SELECT COUNT(*) AS c, 7 % 3 AS m, 1 + 2 * 3 AS p, (1 + 2) * 3 AS q LIMIT 0",
                   rows);
    EXPECT_EQ(out["c"], AstrolabeValue(int64_t{0}));
    EXPECT_EQ(out["m"], AstrolabeValue(int64_t{1}));
    EXPECT_EQ(out["p"], AstrolabeValue(int64_t{7}));
    EXPECT_EQ(out["q"], AstrolabeValue(int64_t{9}));
    // attributes missing in some rows are nulls and skipped
    rows[0].Erase("load");
    out = RunQuery("SELECT COUNT(load) AS c, MIN(load) AS lo", rows);
    EXPECT_EQ(out["c"], AstrolabeValue(int64_t{4}));
    EXPECT_DOUBLE_EQ(out["lo"].GetDouble(), 1.5);
}

TEST(AstrolabeSql, RandomUsesTheGivenStream)
{
    std::vector<AstrolabeRow> rows;
    for (int i = 0; i < 6; ++i)
    {
        AstrolabeRow r("/z/h" + std::to_string(i), "r", 1);
        r.Set("contacts",
              AstrolabeValue(
                  AstrolabeAddressSet{Ipv4Address(("10.0.0." + std::to_string(i + 1)).c_str())}));
        rows.push_back(r);
    }
    AstrolabeQuery q;
    AstrolabeSqlError err;
    ASSERT_TRUE(AstrolabeQuery::Parse("SELECT RANDOM(2, contacts) AS c", q, err));
    EXPECT_TRUE(q.UsesRandom());
    auto draw = [&](int64_t stream) {
        Ptr<UniformRandomVariable> rng = CreateObject<UniformRandomVariable>();
        rng->SetStream(stream);
        std::map<std::string, AstrolabeValue> out;
        std::string e;
        EXPECT_TRUE(q.Evaluate(rows, rng, out, e)) << e;
        return out["c"].ToString();
    };
    EXPECT_EQ(draw(5), draw(5)); // deterministic for a stream
    std::set<std::string> seen;
    for (int s = 0; s < 20; ++s)
    {
        seen.insert(draw(s));
    }
    EXPECT_GT(seen.size(), 3U); // and actually random across streams
}

TEST(AstrolabeSql, BadQueriesPointAtTheToken)
{
    auto e = Reject("SELECT MIN(load) load");
    EXPECT_EQ(e.token, "load");
    EXPECT_EQ(e.position, 17U);
    e = Reject("SELECT MIN(load) AS m FROM zone");
    EXPECT_EQ(e.token, "FROM");
    EXPECT_EQ(e.position, 22U);
    e = Reject("SELEC MIN(load) AS m");
    EXPECT_EQ(e.position, 0U);
    e = Reject("SELECT MIN(load AS m");
    EXPECT_EQ(e.token, "AS");
    e = Reject("SELECT MIN(load) AS m,");
    EXPECT_EQ(e.token, ",");
    e = Reject("SELECT FIRST(contacts) AS c");
    EXPECT_EQ(e.token, "FIRST");
    e = Reject("SELECT COUNT(*) AS c WHERE");
    EXPECT_EQ(e.token, "<end>");
    e = Reject("SELECT SUM(x) AS s ORDER load");
    EXPECT_EQ(e.token, "load");
    e = Reject("SELECT 'abc AS s");
    EXPECT_NE(e.message, "");
    EXPECT_NE(e.ToString().find("error at"), std::string::npos);
}

TEST(AstrolabeSql, DeepNestingIsRejectedNotACrash)
{
    const std::vector<AstrolabeRow> rows{HostRow("/z/a", 0.5)};
    // moderate nesting is fine
    auto out = RunQuery(DeepQuery(40), rows);
    EXPECT_EQ(out["m"].GetInt(), 1);
    // 10,000 parentheses: beyond the text bound, refused before parsing
    auto e = Reject(DeepQuery(10000));
    EXPECT_NE(e.message.find("longer than"), std::string::npos) << e.ToString();
    // 5,000 parentheses fit the text bound: the nesting check names the first '(' too many
    e = Reject(DeepQuery(5000));
    EXPECT_NE(e.message.find("nesting deeper than 64"), std::string::npos) << e.ToString();
    EXPECT_EQ(e.position, 7U + AstrolabeQuery::MAX_NESTING);
    EXPECT_EQ(e.token, "(");
    e = Reject(DeepQuery(AstrolabeQuery::MAX_NESTING + 1));
    EXPECT_EQ(e.position, 7U + AstrolabeQuery::MAX_NESTING);
    EXPECT_TRUE(RunQuery(DeepQuery(AstrolabeQuery::MAX_NESTING), rows).count("m"));
    // unary chains recurse as deeply as parentheses
    e = Reject("SELECT " + std::string(10000, '-') + "1 AS m");
    EXPECT_NE(e.message.find("unary '-'"), std::string::npos) << e.ToString();
    std::string nots;
    for (int i = 0; i < 3000; ++i)
    {
        nots += "NOT ";
    }
    e = Reject("SELECT " + nots + "true AS m");
    EXPECT_NE(e.message.find("NOT"), std::string::npos) << e.ToString();
    EXPECT_EQ(e.token, "NOT");
    // parentheses and unary operators add up
    std::string mixed;
    for (int i = 0; i < 40; ++i)
    {
        mixed += "-(";
    }
    e = Reject("SELECT " + mixed + "1" + std::string(40, ')') + " AS m");
    EXPECT_NE(e.message.find("nesting"), std::string::npos) << e.ToString();
    // a '-' after an operand is binary and does not nest
    EXPECT_EQ(RunQuery("SELECT 5 - 1 - 1 AS m WHERE 1 - 1 = 0", rows)["m"].GetInt(), 3);
    // a long flat chain parses iteratively but builds a deep tree: bounded too
    std::string chain = "1";
    for (int i = 0; i < 5000; ++i)
    {
        chain += "+1";
    }
    e = Reject("SELECT " + chain + " AS m");
    EXPECT_NE(e.message.find("deeper than 256"), std::string::npos) << e.ToString();
    std::string shortChain = "1";
    for (int i = 0; i < 100; ++i)
    {
        shortChain += "+1";
    }
    EXPECT_EQ(RunQuery("SELECT " + shortChain + " AS m", rows)["m"].GetInt(), 101);
    // quoted text is not counted
    EXPECT_EQ(RunQuery("SELECT '" + std::string(200, '(') + "' AS m", rows)["m"].GetString(),
              std::string(200, '('));
}

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

TEST(AstrolabeSql, TypeErrors)
{
    auto e = Reject("SELECT 1 + 'x' AS y");
    EXPECT_EQ(e.token, "+");
    EXPECT_NE(e.message.find("type error"), std::string::npos);
    e = Reject("SELECT SUM('a') AS s");
    EXPECT_EQ(e.token, "SUM");
    e = Reject("SELECT load AS l");
    EXPECT_EQ(e.token, "load"); // attribute outside an aggregate
    e = Reject("SELECT MIN(MAX(load)) AS l");
    EXPECT_EQ(e.token, "MAX");
    e = Reject("SELECT COUNT(*) AS c WHERE 3");
    EXPECT_EQ(e.token, "3");
    e = Reject("SELECT COUNT(*) AS c WHERE MIN(load) > 1");
    e = Reject("SELECT OR(1) AS c");
    e = Reject("SELECT COUNT(*) AS issued"); // system-maintained
    // type errors that only the data can reveal
    AstrolabeQuery q;
    AstrolabeSqlError err;
    ASSERT_TRUE(AstrolabeQuery::Parse("SELECT SUM(name) AS s", q, err));
    AstrolabeRow r("/z/h", "r", 1);
    r.Set("name", AstrolabeValue("bob"));
    std::map<std::string, AstrolabeValue> out;
    std::string msg;
    EXPECT_FALSE(q.Evaluate({r}, nullptr, out, msg));
    EXPECT_NE(msg.find("/z/h"), std::string::npos);
}

TEST(AstrolabeAfc, NewerSameNameWinsAndKeysAreProtected)
{
    AstrolabeAfc a;
    AstrolabeAfc b;
    AstrolabeSqlError err;
    ASSERT_TRUE(a.Init("load", "SELECT AVG(load) AS load", 10, 0, 256, "h1", err));
    ASSERT_TRUE(b.Init("load", "SELECT MIN(load) AS load", 20, 0, 256, "h2", err));
    EXPECT_TRUE(b.Supersedes(a));
    EXPECT_FALSE(a.Supersedes(b));
    AstrolabeAfc c;
    // user AFCs run after the system AFC and may recompute its columns (the aggregation
    // baselines use exactly this query), but never the keys
    EXPECT_TRUE(
        c.Init("mine", "SELECT SUM(nmembers) AS nmembers, AVG(load) AS load", 1, 0, 0, "h1", err));
    EXPECT_FALSE(c.Init("mine", "SELECT COUNT(*) AS rep", 1, 0, 0, "h1", err));
    EXPECT_EQ(err.token, "rep");
    EXPECT_TRUE(c.Init("system", AstrolabeAfc::SystemAfcText(1), 1, 0, 0, "h1", err));
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
    AstrolabeAfc afc;
    AstrolabeSqlError err;
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
