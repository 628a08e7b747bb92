/*
 * SPDX-License-Identifier: GPL-2.0-only
 *
 * Astrolabe's MIB without a simulator: the zone structure of a path, the own row, the bottom-up
 * recomputation with the AFCs and the representative election it implies, the rules for rows
 * merged from a datagram (who may speak for a zone, the bounds on children and reps), T_fail
 * with tombstones, and which copies may be sent.
 */
#include "gossip-logic-test.h"

#include "ns3/astrolabe-afc-table.h"
#include "ns3/astrolabe-header.h"
#include "ns3/astrolabe-mib.h"

#include <string>
#include <vector>

using namespace ns3;
using namespace ns3::astrolabe;

namespace
{
/// The MIB of the agent on /dc0/r1/h1 (address 10.0.1.1) with load `load`, started at time 0.
struct Agent
{
    Mib mib;
    AfcTable afcs;

    explicit Agent(const std::string& path = "/dc0/r1/h1",
                   Ipv4Address address = Ipv4Address("10.0.1.1"),
                   double load = 1.0)
    {
        std::string error;
        EXPECT_TRUE(afcs.InstallSystem(1, true, error)) << error;
        mib.SetPath(path);
        mib.SetAddress(address);
        Row& own = mib.GetOwnRow();
        own.Set("load", Value(load));
        own.Set("nmembers", Value(int64_t{1}));
        own.Set("depth", Value(int64_t{0}));
        own.Set("contacts", Value(AddressSet{address}));
        own.Set("servers", Value(AddressSet{address}));
        mib.RefreshOwnRow(0);
    }

    /// Recompute at now with the AFCs, collecting the changes.
    std::vector<std::string> Recompute(int64_t now)
    {
        std::vector<std::string> changed;
        mib.Recompute(
            now,
            1000,
            [this, now](const Name& zone, const std::vector<const Row*>& rows) {
                return afcs.Aggregate(zone,
                                      mib.GetPath(),
                                      now,
                                      rows,
                                      nullptr,
                                      1024,
                                      [](const std::string&, const std::string&) {});
            },
            [&changed](const std::string& zone, const std::string& attr, const Value& v) {
                changed.push_back(zone + "." + attr + "=" + v.ToString());
            });
        return changed;
    }
};

/// A host row of rep = id, with a load and a contact.
Row
Host(const std::string& id, double load, int64_t issued, Ipv4Address contact)
{
    Row r(id, id, issued);
    r.Set("load", Value(load));
    r.Set("nmembers", Value(int64_t{1}));
    r.Set("contacts", Value(AddressSet{contact}));
    return r;
}

/// Merge one block, returning the rows that changed the table.
uint32_t
Merge(Mib& mib,
      const std::string& zone,
      const std::vector<Row>& rows,
      int64_t now,
      uint32_t maxChildren = 64,
      uint32_t maxReps = 16)
{
    uint32_t changed = 0;
    mib.MergeRows({{zone, rows}},
                  now,
                  maxChildren,
                  maxReps,
                  [&changed](const std::string&, const Row&) { ++changed; });
    return changed;
}
} // namespace

TEST(AstrolabeMib, ZonesOfAPath)
{
    Mib mib;
    mib.SetPath("/dc0/r1/h1");
    EXPECT_EQ(mib.GetNLevels(), 3U);
    EXPECT_EQ(mib.GetAncestors(), (std::vector<std::string>{"/", "/dc0", "/dc0/r1"}));
    EXPECT_EQ(mib.GetZone(0), "/");
    EXPECT_EQ(mib.GetZone(3), "/dc0/r1/h1");
    EXPECT_EQ(mib.LevelOfZone("/dc0/r1"), 2);
    EXPECT_EQ(mib.LevelOfZone("/dc1"), -1);
    EXPECT_EQ(mib.GetOwnRow().GetId(), "/dc0/r1/h1");
    EXPECT_EQ(mib.GetOwnRow().GetRep(), "/dc0/r1/h1");
    EXPECT_TRUE(mib.IsContact(2)); // everybody speaks for its own host
}

TEST(AstrolabeMib, RecomputeBottomUpElectsTheLeastLoaded)
{
    Agent a;
    std::vector<std::string> changed = a.Recompute(0);
    // alone: it represents every ancestor zone, and counts one member everywhere
    EXPECT_TRUE(a.mib.IsContact(0));
    EXPECT_TRUE(a.mib.IsContact(1));
    ASSERT_NE(a.mib.FindComputedRow("/"), nullptr);
    EXPECT_EQ(a.mib.FindComputedRow("/")->GetNMembers(), 1);
    EXPECT_EQ(a.mib.FindComputedRow("/")->Get("depth"), Value(int64_t{3}));
    EXPECT_FALSE(changed.empty());
    EXPECT_EQ(changed.front(), "/dc0/r1.contacts={10.0.1.1}"); // the deepest level first
    // the zone rows are the copies in the tables above
    EXPECT_EQ(a.mib.GetZoneTable("/dc0", 0, 1000).size(), 1U);
    EXPECT_EQ(a.mib.GetZoneTable("/dc0", 0, 1000)[0].GetId(), "/dc0/r1");
    EXPECT_TRUE(a.Recompute(0).empty()); // nothing changed, nothing reported
    // a less loaded rack mate: it is elected (k = 1), we are no longer a contact of the rack
    EXPECT_EQ(Merge(a.mib, "/dc0/r1", {Host("/dc0/r1/h2", 0.5, 1, Ipv4Address("10.0.1.2"))}, 1),
              1U);
    changed = a.Recompute(1);
    EXPECT_FALSE(a.mib.IsContact(1));
    EXPECT_FALSE(a.mib.IsContact(0));
    EXPECT_EQ(a.mib.FindComputedRow("/dc0/r1")->GetNMembers(), 2);
    EXPECT_EQ(a.mib.FindComputedRow("/")->GetNMembers(), 2);
    EXPECT_NE(std::find(changed.begin(), changed.end(), "/dc0/r1.contacts={10.0.1.2}"),
              changed.end());
    // our copy of our rack's row may be sent only while we represent it
    EXPECT_FALSE(a.mib.Publishable(1, {"/dc0/r1", "/dc0/r1/h1"}));
    EXPECT_TRUE(a.mib.Publishable(2, {"/dc0/r1/h1", "/dc0/r1/h1"}));
    EXPECT_TRUE(a.mib.Publishable(1, {"/dc0/r2", "/dc0/r2/h1"}));
    // rows of the view, of an ancestor, and our own
    Row row;
    EXPECT_TRUE(a.mib.GetZoneRow("/dc0/r1/h2", row, 1, 1000));
    EXPECT_EQ(row.Get("load"), Value(0.5));
    EXPECT_TRUE(a.mib.GetZoneRow("/dc0", row, 1, 1000));
    EXPECT_EQ(row.GetNMembers(), 2);
    EXPECT_TRUE(a.mib.GetZoneRow("/dc0/r1/h1", row, 1, 1000));
    EXPECT_FALSE(a.mib.GetZoneRow("/dc9/r1", row, 1, 1000));
}

TEST(AstrolabeMib, MergeRefusesRowsNobodyMaySpeakFor)
{
    Agent a;
    const Ipv4Address x("10.0.9.9");
    // not a child of the table's zone, a table we do not share, our own row echoed back
    EXPECT_EQ(Merge(a.mib, "/dc0/r1", {Host("/dc0/r2/h1", 1, 1, x)}, 1), 0U);
    EXPECT_EQ(Merge(a.mib, "/dc0/r1", {Host("/dc0/r1/h2/x", 1, 1, x)}, 1), 0U);
    EXPECT_EQ(Merge(a.mib, "/dc7", {Host("/dc7/r1", 1, 1, x)}, 1), 0U);
    EXPECT_EQ(Merge(a.mib, "/dc0/r1", {Host("/dc0/r1/h1", 1, 99, x)}, 1), 0U);
    // a host speaks only for itself
    Row forged = Host("/dc0/r1/h2", 1, 1, x);
    forged.SetRep("/dc0/r1/h3");
    EXPECT_EQ(Merge(a.mib, "/dc0/r1", {forged}, 1), 0U);
    // a zone only through a host inside it
    Row zone("/dc0/r2", "/dc0/r3/h1", 1);
    EXPECT_EQ(Merge(a.mib, "/dc0", {zone}, 1), 0U);
    zone.SetRep("/dc0/r2");
    EXPECT_EQ(Merge(a.mib, "/dc0", {zone}, 1), 0U);
    zone.SetRep("/dc0/r2/h5");
    EXPECT_EQ(Merge(a.mib, "/dc0", {zone}, 1), 1U);
    EXPECT_EQ(Merge(a.mib, "/dc0", {zone}, 2), 0U); // not newer
    EXPECT_EQ(a.mib.GetNReps("/dc0", "/dc0/r2"), 1U);
}

TEST(AstrolabeMib, MergeRefusesRowsFromTheFuture)
{
    // A row issued after the latest time any honest clock can show would outrank its rep's
    // real rows for good: it is refused; one issued up to that time is taken.
    Agent a;
    const Ipv4Address x("10.0.9.9");
    uint32_t changed = 0;
    auto sink = [&changed](const std::string&, const Row&) { ++changed; };
    a.mib.MergeRows({{"/dc0/r1", {Host("/dc0/r1/h2", 1, 1001, x)}}}, 1, 64, 16, sink, 1000);
    EXPECT_EQ(changed, 0U);
    a.mib.MergeRows({{"/dc0/r1", {Host("/dc0/r1/h2", 1, 1000, x)}}}, 1, 64, 16, sink, 1000);
    EXPECT_EQ(changed, 1U);
    // and then the real, later rows of that host still win
    a.mib.MergeRows({{"/dc0/r1", {Host("/dc0/r1/h2", 2, 1500, x)}}}, 2, 64, 16, sink, 2000);
    EXPECT_EQ(changed, 2U);
}

TEST(AstrolabeMib, MergeRefusesRowsWithMistypedProtocolColumns)
{
    // One string load among numbers would make MIN(load) in the system AFC fail, and with it
    // this agent's whole rack row (nmembers, contacts): such a row is refused at the door.
    Agent a;
    const Ipv4Address x("10.0.9.9");
    Row bad = Host("/dc0/r1/h2", 1, 1, x);
    bad.Set("load", Value("busy"));
    EXPECT_EQ(Merge(a.mib, "/dc0/r1", {bad}, 1), 0U);
    bad = Host("/dc0/r1/h2", 1, 1, x);
    bad.Set("nmembers", Value("many"));
    EXPECT_EQ(Merge(a.mib, "/dc0/r1", {bad}, 1), 0U);
    EXPECT_EQ(Merge(a.mib, "/dc0/r1", {Host("/dc0/r1/h2", 1, 1, x)}, 1), 1U);
    a.Recompute(1);
    EXPECT_EQ(a.mib.FindComputedRow("/dc0/r1")->GetNMembers(), 2);
    EXPECT_EQ(a.mib.FindComputedRow("/dc0/r1")->Get("load"), Value(1.0));
}

TEST(AstrolabeMib, MergeKeepsTheBoundsOnChildrenAndReps)
{
    Agent a;
    std::vector<Row> hosts;
    for (int i = 2; i < 6; ++i)
    {
        hosts.push_back(Host("/dc0/r1/h" + std::to_string(i), 1, 1, Ipv4Address("10.0.1.9")));
    }
    // our own host and two more: the table is full at 3 children
    EXPECT_EQ(Merge(a.mib, "/dc0/r1", hosts, 1, 3), 2U);
    EXPECT_EQ(a.mib.GetTable(2).GetNZones(), 3U);
    // at most two reps of one zone: a third evicts the stalest
    std::vector<Row> reps;
    for (int i = 0; i < 3; ++i)
    {
        reps.push_back(Row("/dc0/r2", "/dc0/r2/h" + std::to_string(i), 1));
    }
    EXPECT_EQ(Merge(a.mib, "/dc0", {reps[0]}, 1, 64, 2), 1U);
    EXPECT_EQ(Merge(a.mib, "/dc0", {reps[1]}, 2, 64, 2), 1U);
    EXPECT_EQ(Merge(a.mib, "/dc0", {reps[2]}, 3, 64, 2), 1U);
    EXPECT_EQ(a.mib.GetNReps("/dc0", "/dc0/r2"), 2U);
    EXPECT_EQ(a.mib.GetTable(1).Find({"/dc0/r2", "/dc0/r2/h0"}), nullptr);
}

TEST(AstrolabeMib, ExpireRowsAfterTFailWithTombstones)
{
    Agent a;
    const Ipv4Address x("10.0.1.2");
    EXPECT_EQ(Merge(a.mib, "/dc0/r1", {Host("/dc0/r1/h2", 1, 5, x)}, 10), 1U);
    std::vector<std::string> expired;
    auto sink = [&expired](const std::string& zone, const Row& r) {
        expired.push_back(zone + " " + r.GetId());
    };
    a.mib.RefreshOwnRow(100);
    a.mib.ExpireRows(100, 100, 1000, sink); // 90 since h2 advanced: kept
    EXPECT_TRUE(expired.empty());
    a.mib.RefreshOwnRow(111);
    a.mib.ExpireRows(111, 100, 1000, sink);
    EXPECT_EQ(expired, std::vector<std::string>{"/dc0/r1 /dc0/r1/h2"});
    EXPECT_EQ(a.mib.GetTable(2).GetNEntries(), 1U); // our own row stays: it is refreshed
    // a stale copy gossiped back is refused; a newer one is the host alive again
    EXPECT_EQ(Merge(a.mib, "/dc0/r1", {Host("/dc0/r1/h2", 1, 5, x)}, 112), 0U);
    EXPECT_EQ(Merge(a.mib, "/dc0/r1", {Host("/dc0/r1/h2", 1, 6, x)}, 113), 1U);
}
