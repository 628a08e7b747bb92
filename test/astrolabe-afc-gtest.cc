/*
 * SPDX-License-Identifier: GPL-2.0-only
 *
 * Astrolabe's AFCs: precedence between AFCs of the same name, protected names and columns, and
 * the AFC table (the built-in system AFC, install, refuse, accept, expire, aggregate).
 */
#include "astrolabe-gtest-support.h"
#include "gossip-logic-test.h"

#include "ns3/astrolabe-afc-table.h"
#include "ns3/astrolabe-afc.h"

#include <string>
#include <vector>

using namespace ns3;
using namespace ns3::astrolabe;
using ns3::astrolabe_test::HostRow;

TEST(AstrolabeAfc, NewerSameNameWinsAndKeysAreProtected)
{
    Afc a;
    Afc b;
    SqlError err;
    ASSERT_TRUE(a.Init("load", "SELECT AVG(load) AS load", 10, 0, 256, "h1", err));
    ASSERT_TRUE(b.Init("load", "SELECT MIN(load) AS load", 20, 0, 256, "h2", err));
    EXPECT_TRUE(b.Supersedes(a));
    EXPECT_FALSE(a.Supersedes(b));
    Afc c;
    // user AFCs run after the system AFC and may recompute its columns (the aggregation
    // baselines use exactly this query), but never the keys
    EXPECT_TRUE(
        c.Init("mine", "SELECT SUM(nmembers) AS nmembers, AVG(load) AS load", 1, 0, 0, "h1", err));
    EXPECT_FALSE(c.Init("mine", "SELECT COUNT(*) AS rep", 1, 0, 0, "h1", err));
    EXPECT_EQ(err.token, "rep");
    EXPECT_TRUE(c.Init("system", Afc::SystemAfcText(1), 1, 0, 0, "h1", err));
}

TEST(AstrolabeAfcTable, SystemAfcIsBuiltOnceAndReserved)
{
    AfcTable t;
    std::string error;
    ASSERT_TRUE(t.InstallSystem(3, true, error)) << error;
    ASSERT_NE(t.Find("system"), nullptr);
    EXPECT_EQ(t.Find("system")->GetText(), Afc::SystemAfcText(3));
    EXPECT_EQ(t.GetNUser(), 0U);
    // already there: a second call changes nothing (not even k)
    ASSERT_TRUE(t.InstallSystem(1, true, error));
    EXPECT_EQ(t.Find("system")->GetText(), Afc::SystemAfcText(3));
    EXPECT_NE(t.Refuse("system", nullptr), "");
    // a "system" from the network, however new, is refused
    Afc forged;
    SqlError err;
    ASSERT_TRUE(forged.Init("system", Afc::SystemAfcText(1), 1000, 0, 0, "/z/h1", err));
    std::string why;
    EXPECT_EQ(t.Accept(forged, 0, why), AfcTable::Outcome::REFUSED);
    EXPECT_NE(why.find("reserved"), std::string::npos);
    // it never expires, and comes back if it was ever gone
    uint32_t expired = 0;
    t.Expire(1000000, [&expired](const std::string&) { ++expired; });
    EXPECT_EQ(expired, 0U);
    EXPECT_NE(t.Find("system"), nullptr);
}

TEST(AstrolabeAfcTable, PrepareAcceptAndExpire)
{
    AfcTable t;
    std::string error;
    ASSERT_TRUE(t.InstallSystem(3, true, error));
    t.SetMaxAfcs(2);
    Afc a;
    // issued is our clock, expiry as given
    ASSERT_TRUE(t.Prepare("avg", "SELECT AVG(load) AS load", 100, 500, 0, "/z/h1", 1024, a, error))
        << error;
    EXPECT_EQ(a.GetIssued(), 100);
    EXPECT_EQ(a.GetExpires(), 500);
    std::string why;
    EXPECT_EQ(t.Accept(a, 100, why), AfcTable::Outcome::INSTALLED);
    EXPECT_EQ(t.GetNUser(), 1U);
    // the same again is not newer; a replacement beats it even with a clock behind
    EXPECT_EQ(t.Accept(a, 100, why), AfcTable::Outcome::IGNORED);
    Afc b;
    ASSERT_TRUE(t.Prepare("avg", "SELECT MIN(load) AS load", 50, 0, 0, "/z/h1", 1024, b, error));
    EXPECT_EQ(b.GetIssued(), 101);
    EXPECT_EQ(t.Accept(b, 120, why), AfcTable::Outcome::INSTALLED);
    EXPECT_EQ(t.Find("avg")->GetText(), "SELECT MIN(load) AS load");
    // one issued beyond the latest honest clock would supersede every later version: refused
    Afc future;
    ASSERT_TRUE(
        t.Prepare("avg", "SELECT MAX(load) AS load", 5000, 0, 0, "/z/h2", 1024, future, error));
    EXPECT_EQ(t.Accept(future, 120, why, 4000), AfcTable::Outcome::REFUSED);
    EXPECT_NE(why.find("ahead of every clock"), std::string::npos) << why;
    EXPECT_EQ(t.Find("avg")->GetText(), "SELECT MIN(load) AS load");
    // refused: reserved columns, a text that does not parse, one too large to gossip
    Afc c;
    EXPECT_FALSE(t.Prepare("c", "SELECT COUNT(*) AS depth", 1, 0, 0, "/z/h1", 1024, c, error));
    EXPECT_NE(error.find("reserved column"), std::string::npos);
    EXPECT_FALSE(t.Prepare("c", "SELECT COUNT(* AS n", 1, 0, 0, "/z/h1", 1024, c, error));
    EXPECT_NE(error.find("error at"), std::string::npos);
    EXPECT_FALSE(t.Prepare("c", "SELECT COUNT(*) AS n", 1, 0, 0, "/z/h1", 20, c, error));
    EXPECT_NE(error.find("too large"), std::string::npos);
    // the bound on user AFCs: a second name fits, a third does not (locally or from the wire)
    ASSERT_TRUE(t.Prepare("n", "SELECT COUNT(*) AS n", 1, 0, 0, "/z/h1", 1024, c, error));
    EXPECT_EQ(t.Accept(c, 1, why), AfcTable::Outcome::INSTALLED);
    Afc d;
    EXPECT_FALSE(t.Prepare("m", "SELECT COUNT(*) AS m", 1, 0, 0, "/z/h1", 1024, d, error));
    EXPECT_NE(error.find("MaxAfcs"), std::string::npos);
    SqlError err;
    ASSERT_TRUE(d.Init("m", "SELECT COUNT(*) AS m", 1, 0, 0, "/z/h2", err));
    EXPECT_EQ(t.Accept(d, 1, why), AfcTable::Outcome::REFUSED);
    // expired AFCs are ignored when heard of, and dropped when their time comes
    Afc old;
    ASSERT_TRUE(old.Init("n", "SELECT COUNT(*) AS n", 2, 10, 0, "/z/h2", err));
    EXPECT_EQ(t.Accept(old, 11, why), AfcTable::Outcome::IGNORED);
    std::vector<std::string> expired;
    t.Expire(500, [&expired](const std::string& name) { expired.push_back(name); });
    EXPECT_TRUE(expired.empty()); // "avg" was replaced by one that never expires
    EXPECT_EQ(t.GetAll().size(), 3U);
}

TEST(AstrolabeAfcTable, AggregateRunsSystemFirstThenByNameWithinTheCap)
{
    AfcTable t;
    std::string error;
    ASSERT_TRUE(t.InstallSystem(2, true, error));
    std::vector<Row> rows;
    for (int i = 0; i < 3; ++i)
    {
        Row r = HostRow("/z/h" + std::to_string(i), 3.0 - i);
        r.Set("contacts",
              Value(AddressSet{Ipv4Address(("10.0.0." + std::to_string(i + 1)).c_str())}));
        r.Set("name", Value("host" + std::to_string(i)));
        rows.push_back(r);
    }
    std::vector<const Row*> ptrs;
    for (const auto& r : rows)
    {
        ptrs.push_back(&r);
    }
    std::string why;
    Afc a;
    Afc b;
    SqlError err;
    // "a" recomputes nmembers after the system AFC; "b" fails on the data
    ASSERT_TRUE(a.Init("a", "SELECT SUM(nmembers) * 10 AS nmembers", 1, 0, 0, "/z/h0", err));
    ASSERT_TRUE(b.Init("b", "SELECT SUM(name) AS s", 1, 0, 0, "/z/h0", err));
    EXPECT_EQ(t.Accept(a, 0, why), AfcTable::Outcome::INSTALLED);
    EXPECT_EQ(t.Accept(b, 0, why), AfcTable::Outcome::INSTALLED);
    std::vector<std::pair<std::string, std::string>> errors;
    auto sink = [&errors](const std::string& name, const std::string& e) {
        errors.emplace_back(name, e);
    };
    Row out = t.Aggregate("/z", "/z/h0", 77, ptrs, nullptr, 1000, sink);
    EXPECT_EQ(out.GetId(), "/z");
    EXPECT_EQ(out.GetRep(), "/z/h0");
    EXPECT_EQ(out.GetIssued(), 77);
    EXPECT_EQ(out.Get("nmembers"), Value(int64_t{30}));
    EXPECT_EQ(out.Get("depth"), Value(int64_t{1}));
    EXPECT_EQ(out.GetContacts().size(), 2U); // the two least loaded
    EXPECT_EQ(out.GetContacts()[0], Ipv4Address("10.0.0.3"));
    EXPECT_FALSE(out.Has("s"));
    ASSERT_EQ(errors.size(), 1U);
    EXPECT_EQ(errors[0].first, "b");
    // an output cap of 0 is the default cap (not "unbounded"); the system AFC is exempt
    errors.clear();
    out = t.Aggregate("/z", "/z/h0", 78, ptrs, nullptr, 8, sink);
    EXPECT_EQ(out.Get("nmembers"), Value(int64_t{3})); // "a" took 18 bytes: over 8
    EXPECT_EQ(out.GetContacts().size(), 2U);
    ASSERT_EQ(errors.size(), 2U);
    EXPECT_EQ(errors[0].first, "a");
    EXPECT_NE(errors[0].second.find("exceeds the cap of 8"), std::string::npos);
}

TEST(AstrolabeAfcTable, AUserAfcMayNotGiveAProtocolColumnTheWrongType)
{
    // A user AFC may recompute `load` (the lecture's AVG(load) AS load) but not make it a
    // string: the next level's election sorts and takes the MIN of it.
    AfcTable t;
    std::string error;
    ASSERT_TRUE(t.InstallSystem(1, true, error));
    std::vector<Row> rows{HostRow("/z/h0", 4.0), HostRow("/z/h1", 2.0)};
    std::vector<const Row*> ptrs{&rows[0], &rows[1]};
    Afc avg;
    Afc bad;
    SqlError err;
    std::string why;
    ASSERT_TRUE(avg.Init("avg", "SELECT AVG(load) AS load", 1, 0, 0, "/z/h0", err));
    ASSERT_TRUE(bad.Init("bad", "SELECT 'high' AS load", 1, 0, 0, "/z/h0", err));
    EXPECT_EQ(t.Accept(avg, 0, why), AfcTable::Outcome::INSTALLED);
    EXPECT_EQ(t.Accept(bad, 0, why), AfcTable::Outcome::INSTALLED);
    std::vector<std::pair<std::string, std::string>> errors;
    Row out = t.Aggregate(
        "/z",
        "/z/h0",
        1,
        ptrs,
        nullptr,
        1000,
        [&errors](const std::string& name, const std::string& e) { errors.emplace_back(name, e); });
    EXPECT_EQ(out.Get("load"), Value(3.0)); // AVG replaced the system AFC's MIN (2.0)
    ASSERT_EQ(errors.size(), 1U);
    EXPECT_EQ(errors[0].first, "bad");
    EXPECT_NE(errors[0].second.find("load = 'high'"), std::string::npos) << errors[0].second;
}
