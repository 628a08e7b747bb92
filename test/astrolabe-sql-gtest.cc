/*
 * SPDX-License-Identifier: GPL-2.0-only
 *
 * Astrolabe's SQL subset: the parser (good, bad, ill-typed and too deeply nested queries, with
 * the offending token) and the evaluator (the system AFC's election, weighted AVG, WHERE,
 * ORDER BY, LIMIT, nulls, RANDOM from the given draws).
 */
#include "astrolabe-gtest-support.h"
#include "gossip-logic-test.h"

#include "ns3/astrolabe-afc.h"
#include "ns3/astrolabe-sql.h"
#include "ns3/astrolabe-value.h"

#include <map>
#include <random>
#include <set>
#include <string>
#include <vector>

using namespace ns3;
using namespace ns3::astrolabe;
using ns3::astrolabe_test::HostRow;

namespace
{

std::map<std::string, Value>
RunQuery(const std::string& q, const std::vector<Row>& rows)
{
    Query query;
    SqlError err;
    EXPECT_TRUE(Query::Parse(q, query, err)) << q << ": " << err.ToString();
    std::map<std::string, Value> out;
    std::string e;
    EXPECT_TRUE(query.Evaluate(rows, nullptr, out, e)) << e;
    return out;
}

SqlError
Reject(const std::string& q)
{
    Query query;
    SqlError err;
    EXPECT_FALSE(Query::Parse(q, query, err)) << "accepted: " << q;
    return err;
}

/// "SELECT ((((1)))) AS m" with `depth` parentheses.
std::string
DeepQuery(uint32_t depth)
{
    return "SELECT " + std::string(depth, '(') + "1" + std::string(depth, ')') + " AS m";
}

} // namespace

TEST(AstrolabeSql, SystemAfcAggregates)
{
    std::vector<Row> rows;
    for (int i = 0; i < 4; ++i)
    {
        Row r = HostRow("/z/h" + std::to_string(i), 4.0 - i);
        r.Set("contacts",
              Value(AddressSet{Ipv4Address(("10.0.0." + std::to_string(i + 1)).c_str())}));
        r.Set("servers", Value(AddressSet{}));
        rows.push_back(r);
    }
    auto out = RunQuery(Afc::SystemAfcText(2), rows);
    EXPECT_EQ(out["nmembers"], Value(int64_t{4}));
    EXPECT_EQ(out["depth"], Value(int64_t{1}));
    // representatives: the two lowest loads (h3 has 1.0 at 10.0.0.4, h2 has 2.0 at 10.0.0.3)
    EXPECT_EQ(out["contacts"].ToString(), "{10.0.0.4,10.0.0.3}");
    EXPECT_EQ(out["load"], Value(1.0)); // the zone's load: its least-loaded child's
    // re-election when loads change
    rows[0].Set("load", Value(0.0));
    out = RunQuery(Afc::SystemAfcText(2), rows);
    EXPECT_EQ(out["contacts"].ToString(), "{10.0.0.1,10.0.0.4}");
    EXPECT_EQ(out["load"], Value(0.0));
    // by name: the first two in zone order whatever the loads, and no zone load
    out = RunQuery(Afc::SystemAfcText(2, false), rows);
    EXPECT_EQ(out["contacts"].ToString(), "{10.0.0.1,10.0.0.2}");
    EXPECT_EQ(out.count("load"), 0U);
    // a failed representative's row is gone: the next one is elected
    rows.erase(rows.begin());
    out = RunQuery(Afc::SystemAfcText(1), rows);
    EXPECT_EQ(out["contacts"].ToString(), "{10.0.0.4}");
}

TEST(AstrolabeSql, SystemAfcElectsTheLeastLoadedHostAtEveryLevel)
{
    // Two levels: racks r0..r2 with host loads {5, 9}, {7, 2}, {3, 8}. Each rack row is the
    // system AFC over its hosts; the pod row is the system AFC over the rack rows. With MIN as
    // the zone load, the pod's first contact is the least-loaded host of the pod (load 2), not
    // the first rack's and not the one of the rack with the lowest average (r2: 5.5 < 6).
    const double loads[3][2] = {{5, 9}, {7, 2}, {3, 8}};
    std::vector<Row> racks;
    for (int r = 0; r < 3; ++r)
    {
        std::vector<Row> hosts;
        for (int h = 0; h < 2; ++h)
        {
            Row host = HostRow("/p/r" + std::to_string(r) + "/h" + std::to_string(h), loads[r][h]);
            host.Set("contacts",
                     Value(AddressSet{Ipv4Address(
                         ("10.0." + std::to_string(r) + "." + std::to_string(h + 1)).c_str())}));
            hosts.push_back(host);
        }
        Row rack("/p/r" + std::to_string(r), "/p/r" + std::to_string(r) + "/h0", 1);
        for (const auto& [name, v] : RunQuery(Afc::SystemAfcText(1), hosts))
        {
            rack.Set(name, v);
        }
        racks.push_back(rack);
    }
    auto pod = RunQuery(Afc::SystemAfcText(1), racks);
    EXPECT_EQ(pod["contacts"].ToString(), "{10.0.1.2}");
    EXPECT_EQ(pod["load"], Value(2.0));
    EXPECT_EQ(pod["nmembers"], Value(int64_t{6}));
    // by name, the first rack's first host
    EXPECT_EQ(RunQuery(Afc::SystemAfcText(1, false), racks)["contacts"].ToString(), "{10.0.0.1}");
}

TEST(AstrolabeSql, AvgIsWeightedByNMembers)
{
    Row a("/x/a", "r", 1);
    a.Set("load", Value(1.0));
    a.Set("nmembers", Value(int64_t{3}));
    Row b("/x/b", "r", 1);
    b.Set("load", Value(5.0));
    b.Set("nmembers", Value(int64_t{1}));
    auto out = RunQuery("SELECT AVG(load) AS load, SUM(nmembers) AS n, COUNT(*) AS c", {a, b});
    EXPECT_DOUBLE_EQ(out["load"].GetDouble(), 2.0); // (3*1 + 1*5) / 4, not (1+5)/2
    EXPECT_EQ(out["n"], Value(int64_t{4}));
    EXPECT_EQ(out["c"], Value(int64_t{2}));
}

// Lab 6's exercise (doc/labs/lab6.rst): count the busy hosts of a zone.
TEST(AstrolabeSql, LabSixBusyCount)
{
    Row a("/x/a", "r", 1);
    a.Set("load", Value(2.5));
    Row b("/x/b", "r", 1);
    b.Set("load", Value(1.0));
    Row c("/x/c", "r", 1);
    c.Set("load", Value(3.0));
    auto out = RunQuery("SELECT COUNT(*) AS busy WHERE load > 2", {a, b, c});
    EXPECT_EQ(out["busy"], Value(int64_t{2}));
}

TEST(AstrolabeSql, ExpressionsWhereOrderLimit)
{
    std::vector<Row> rows;
    for (int i = 0; i < 5; ++i)
    {
        Row r = HostRow("/z/h" + std::to_string(i), i * 1.5);
        r.Set("slow", Value(i == 3));
        r.Set("name", Value("h" + std::to_string(i)));
        rows.push_back(r);
    }
    auto out =
        RunQuery("select min(load) as lo, MAX(load) * 2 + 1 AS hi2, OR(slow) AS warn, "
                 "AND(slow) AS all_slow, SUM(load) / COUNT(load) AS mean, -MIN(load) AS neg, "
                 "MAX(name) AS last, COUNT(*) > 3 AS many WHERE load >= 1.5 AND NOT (name = 'h4')",
                 rows);
    EXPECT_DOUBLE_EQ(out["lo"].GetDouble(), 1.5);
    EXPECT_DOUBLE_EQ(out["hi2"].GetDouble(), 4.5 * 2 + 1);
    EXPECT_EQ(out["warn"], Value(true));
    EXPECT_EQ(out["all_slow"], Value(false));
    EXPECT_DOUBLE_EQ(out["mean"].GetDouble(), (1.5 + 3.0 + 4.5) / 3);
    EXPECT_DOUBLE_EQ(out["neg"].GetDouble(), -1.5);
    EXPECT_EQ(out["last"], Value("h3"));
    EXPECT_EQ(out["many"], Value(false));
    out = RunQuery("SELECT SUM(load) AS top2 ORDER BY load DESC LIMIT 2", rows);
    EXPECT_DOUBLE_EQ(out["top2"].GetDouble(), 6.0 + 4.5);
    out = RunQuery("SELECT COUNT(*) AS c, 7 % 3 AS m, 1 + 2 * 3 AS p, (1 + 2) * 3 AS q LIMIT 0",
                   rows);
    EXPECT_EQ(out["c"], Value(int64_t{0}));
    EXPECT_EQ(out["m"], Value(int64_t{1}));
    EXPECT_EQ(out["p"], Value(int64_t{7}));
    EXPECT_EQ(out["q"], Value(int64_t{9}));
    // attributes missing in some rows are nulls and skipped
    rows[0].Erase("load");
    out = RunQuery("SELECT COUNT(load) AS c, MIN(load) AS lo", rows);
    EXPECT_EQ(out["c"], Value(int64_t{4}));
    EXPECT_DOUBLE_EQ(out["lo"].GetDouble(), 1.5);
}

TEST(AstrolabeSql, IntegerOverflowBecomesADouble)
{
    // Signed overflow is undefined behaviour in C++: results that leave 64 bits are doubles.
    std::vector<Row> rows;
    for (int i = 0; i < 3; ++i)
    {
        Row r = HostRow("/z/h" + std::to_string(i), 1);
        r.Set("big", Value(int64_t{INT64_MAX}));
        rows.push_back(r);
    }
    auto out = RunQuery("SELECT SUM(big) AS s, MAX(big) * 4 AS m, MAX(big) + 1 AS p, "
                        "-MAX(big) - 2 AS n, -(-MAX(big) - 1) AS neg, (-MAX(big) - 1) % -1 AS r, "
                        "AVG(1555555555555555555555555555555555555555555555555555555555555.) "
                        "AS a",
                        rows);
    EXPECT_EQ(out["s"].GetType(), Value::DOUBLE);
    EXPECT_DOUBLE_EQ(out["s"].GetDouble(), 3 * 9223372036854775807.0);
    EXPECT_EQ(out["m"].GetType(), Value::DOUBLE);
    EXPECT_EQ(out["p"].GetType(), Value::DOUBLE);
    EXPECT_EQ(out["n"].GetType(), Value::DOUBLE);
    EXPECT_EQ(out["neg"].GetType(), Value::DOUBLE); // -INT64_MIN
    EXPECT_EQ(out["r"], Value(int64_t{0}));         // INT64_MIN % -1
    EXPECT_EQ(out["a"].GetType(), Value::DOUBLE);
    // a double beyond int64_t's range saturates where an integer is wanted
    EXPECT_EQ(Value(1e300).GetInt(), INT64_MAX);
    EXPECT_EQ(Value(-1e300).GetInt(), INT64_MIN);
    out = RunQuery("SELECT SUM(nmembers) AS s", rows); // no overflow: stays an integer
    EXPECT_EQ(out["s"], Value(int64_t{3}));
}

TEST(AstrolabeSql, RandomUsesTheGivenStream)
{
    std::vector<Row> rows;
    for (int i = 0; i < 6; ++i)
    {
        Row r("/z/h" + std::to_string(i), "r", 1);
        r.Set("contacts",
              Value(AddressSet{Ipv4Address(("10.0.0." + std::to_string(i + 1)).c_str())}));
        rows.push_back(r);
    }
    Query q;
    SqlError err;
    ASSERT_TRUE(Query::Parse("SELECT RANDOM(2, contacts) AS c", q, err));
    EXPECT_TRUE(q.UsesRandom());
    auto draw = [&](uint32_t seed) {
        std::mt19937 gen(seed);
        std::vector<uint32_t> asked; // the n of every draw
        Rng rng = [&gen, &asked](uint32_t n) {
            asked.push_back(n);
            return std::uniform_int_distribution<uint32_t>(0, n - 1)(gen);
        };
        std::map<std::string, Value> out;
        std::string e;
        EXPECT_TRUE(q.Evaluate(rows, rng, out, e)) << e;
        // a partial Fisher-Yates: one draw over the 6 addresses, one over the 5 left
        EXPECT_EQ(asked, (std::vector<uint32_t>{6, 5}));
        EXPECT_EQ(out["c"].GetAddresses().size(), 2U);
        return out["c"].ToString();
    };
    EXPECT_EQ(draw(5), draw(5)); // deterministic for the same draws
    std::set<std::string> seen;
    for (uint32_t s = 0; s < 20; ++s)
    {
        seen.insert(draw(s));
    }
    EXPECT_GT(seen.size(), 3U); // and actually random across them
    // without draws, RANDOM is an evaluation error, not a crash
    std::map<std::string, Value> out;
    std::string e;
    EXPECT_FALSE(q.Evaluate(rows, nullptr, out, e));
    EXPECT_NE(e.find("RANDOM"), std::string::npos);
}

// Found by test/fuzz (fuzz-astrolabe-sql, fuzz-astrolabe-header): a byte outside ASCII reached
// Spirit's character classes, whose assertion aborts a debug build.
TEST(AstrolabeSql, BytesOutsideAsciiAreASyntaxError)
{
    auto e = Reject("SELECT CO\xd5NT(*) AS busy WHERE load > 2");
    EXPECT_EQ(e.position, 9U);
    EXPECT_NE(e.message.find("outside ASCII"), std::string::npos) << e.message;
    e = Reject("SELECT 'caf\xc3\xa9' AS s");
    EXPECT_EQ(e.position, 11U);
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
    const std::vector<Row> rows{HostRow("/z/a", 0.5)};
    // moderate nesting is fine
    auto out = RunQuery(DeepQuery(40), rows);
    EXPECT_EQ(out["m"].GetInt(), 1);
    // 10,000 parentheses: beyond the text bound, refused before parsing
    auto e = Reject(DeepQuery(10000));
    EXPECT_NE(e.message.find("longer than"), std::string::npos) << e.ToString();
    // 5,000 parentheses fit the text bound: the nesting check names the first '(' too many
    e = Reject(DeepQuery(5000));
    EXPECT_NE(e.message.find("nesting deeper than 64"), std::string::npos) << e.ToString();
    EXPECT_EQ(e.position, 7U + Query::MAX_NESTING);
    EXPECT_EQ(e.token, "(");
    e = Reject(DeepQuery(Query::MAX_NESTING + 1));
    EXPECT_EQ(e.position, 7U + Query::MAX_NESTING);
    EXPECT_TRUE(RunQuery(DeepQuery(Query::MAX_NESTING), rows).count("m"));
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
    Query q;
    SqlError err;
    ASSERT_TRUE(Query::Parse("SELECT SUM(name) AS s", q, err));
    Row r("/z/h", "r", 1);
    r.Set("name", Value("bob"));
    std::map<std::string, Value> out;
    std::string msg;
    EXPECT_FALSE(q.Evaluate({r}, nullptr, out, msg));
    EXPECT_NE(msg.find("/z/h"), std::string::npos);
}
