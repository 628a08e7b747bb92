/*
 * SPDX-License-Identifier: GPL-2.0-only
 *
 * Astrolabe's gossip exchange as pure functions, between two agents' MIBs without a simulator:
 * the digest, the push-pull of rows and AFCs (GOSSIP, REPLY, ROWS), the datagram bound with a
 * digest cut short, the random draws the exchange makes (which and how many), a stale copy
 * replaced by one certainly issued later, and what goes first when a datagram is cut short (the
 * view's copies in a digest; requests and rows furthest ahead, one row per zone).
 */
#include "gossip-logic-test.h"

#include "ns3/astrolabe-afc-table.h"
#include "ns3/astrolabe-exchange.h"
#include "ns3/astrolabe-header.h"
#include "ns3/astrolabe-mib.h"

#include <string>
#include <vector>

using namespace ns3;
using namespace ns3::astrolabe;

namespace
{
/// An agent's MIB and AFCs, started at time 0 and recomputed.
struct Agent
{
    Mib mib;
    AfcTable afcs;

    Agent(const std::string& path, Ipv4Address address, double load)
    {
        std::string error;
        EXPECT_TRUE(afcs.InstallSystem(3, true, error)) << error;
        mib.SetPath(path);
        mib.SetAddress(address);
        Row& own = mib.GetOwnRow();
        own.Set("load", Value(load));
        own.Set("nmembers", Value(int64_t{1}));
        own.Set("depth", Value(int64_t{0}));
        own.Set("contacts", Value(AddressSet{address}));
        own.Set("servers", Value(AddressSet{address}));
        Round(0);
    }

    /// What a round does to the MIB: refresh the own row, recompute.
    void Round(int64_t now)
    {
        mib.RefreshOwnRow(now);
        mib.Recompute(
            now,
            kLive,
            [this, now](const Name& zone, const std::vector<const Row*>& rows) {
                return afcs.Aggregate(zone,
                                      mib.GetPath(),
                                      now,
                                      rows,
                                      nullptr,
                                      1024,
                                      [](const std::string&, const std::string&) {});
            },
            [](const std::string&, const std::string&, const Value&) {});
    }

    /// Take in what a datagram carries, as the agent does before it answers.
    void Receive(const AstrolabeHeader& h, int64_t now)
    {
        mib.MergeRows(h.GetRows(), now, 64, 16, [](const std::string&, const Row&) {});
        for (const auto& afc : h.GetAfcs())
        {
            std::string why;
            afcs.Accept(afc, now, why);
        }
    }

    Exchange At(int64_t now,
                uint32_t maxMessage = 8192,
                int64_t maxClockOffset = Table::kNoClockBound) const
    {
        return Exchange(mib, afcs, now, kLive, maxMessage, maxClockOffset);
    }

    static constexpr int64_t kLive = 3000000;
};

/// Draws recorded as the n asked for; each returns `pick` (or n - 1 if smaller).
struct Draws
{
    std::vector<uint32_t> asked;
    uint32_t pick{0};

    Rng Fn()
    {
        return [this](uint32_t n) {
            asked.push_back(n);
            return std::min(pick, n - 1);
        };
    }
};

/// The encoded size of a header.
uint32_t
WireSize(const AstrolabeHeader& h)
{
    return h.GetSerializedSize();
}
} // namespace

TEST(AstrolabeExchange, PushPullBetweenRackMates)
{
    Agent a("/dc0/r1/h1", Ipv4Address("10.0.1.1"), 1.0);
    Agent b("/dc0/r1/h2", Ipv4Address("10.0.1.2"), 2.0);
    Draws draws;
    // a gossips at the rack level: digests of the rack's table and every table above it
    AstrolabeHeader gossip = a.At(10).Gossip(2, draws.Fn());
    EXPECT_EQ(gossip.GetType(), AstrolabeHeader::GOSSIP);
    EXPECT_EQ(gossip.GetSender(), "/dc0/r1/h1");
    ASSERT_EQ(gossip.GetDigests().size(), 3U);
    EXPECT_EQ(gossip.GetDigests()[0].zone, "/dc0/r1");
    EXPECT_EQ(gossip.GetDigests()[2].zone, "/");
    ASSERT_EQ(gossip.GetDigests()[0].entries.size(), 1U);
    EXPECT_EQ(gossip.GetDigests()[0].entries[0].id, "/dc0/r1/h1");
    ASSERT_EQ(gossip.GetAfcDigests().size(), 1U); // the system AFC, never exchanged itself
    EXPECT_TRUE(draws.asked.empty());             // everything fit: no draw
    // b lacks a's rows (its host row, and its copies of the rack's and the datacenter's rows):
    // it requests them, and sends its own (a did not list them)
    b.Receive(gossip, 11);
    AstrolabeHeader reply = b.At(11).Reply(gossip, Ipv4Address("10.0.1.1"), draws.Fn());
    EXPECT_EQ(reply.GetType(), AstrolabeHeader::REPLY);
    ASSERT_EQ(reply.GetRequests().size(), 3U);
    EXPECT_EQ(reply.GetRequests()[0].id, "/dc0/r1/h1");
    EXPECT_EQ(reply.GetRequests()[2].id, "/dc0");
    EXPECT_EQ(reply.GetRows().size(), 3U);
    ASSERT_FALSE(reply.GetRows().empty());
    EXPECT_EQ(reply.GetRows()[0].zone, "/dc0/r1");
    EXPECT_EQ(reply.GetRows()[0].rows[0].GetId(), "/dc0/r1/h2");
    EXPECT_TRUE(reply.GetAfcs().empty());
    // a merges b's row and answers the request with its own row
    a.Receive(reply, 12);
    EXPECT_NE(a.mib.GetTable(2).Find({"/dc0/r1/h2", "/dc0/r1/h2"}), nullptr);
    AstrolabeHeader rows = a.At(12).Rows(reply);
    EXPECT_EQ(rows.GetType(), AstrolabeHeader::ROWS);
    ASSERT_EQ(rows.GetRows().size(), 3U);
    EXPECT_EQ(rows.GetRows()[0].rows.at(0).GetId(), "/dc0/r1/h1");
    b.Receive(rows, 13);
    a.Round(20);
    b.Round(20);
    // both now count the rack's two hosts
    EXPECT_EQ(a.mib.FindComputedRow("/")->GetNMembers(), 2);
    EXPECT_EQ(b.mib.FindComputedRow("/")->GetNMembers(), 2);
    // the digest lists each child zone once, sorted by id
    auto digest = b.At(20).DigestOf(2);
    ASSERT_EQ(digest.size(), 2U);
    EXPECT_TRUE(digest[0].id < digest[1].id);
}

TEST(AstrolabeExchange, AfcsTravelBothWays)
{
    Agent a("/dc0/r1/h1", Ipv4Address("10.0.1.1"), 1.0);
    Agent b("/dc0/r1/h2", Ipv4Address("10.0.1.2"), 2.0);
    Afc mine;
    Afc theirs;
    std::string error;
    std::string why;
    ASSERT_TRUE(
        a.afcs
            .Prepare("avg", "SELECT AVG(load) AS load", 5, 0, 0, "/dc0/r1/h1", 2048, mine, error));
    a.afcs.Accept(mine, 5, why);
    ASSERT_TRUE(
        b.afcs
            .Prepare("max", "SELECT MAX(load) AS top", 5, 0, 0, "/dc0/r1/h2", 2048, theirs, error));
    b.afcs.Accept(theirs, 5, why);
    Draws draws;
    AstrolabeHeader gossip = a.At(10).Gossip(2, draws.Fn());
    ASSERT_EQ(gossip.GetAfcDigests().size(), 2U);
    // b asks for "avg" and pushes "max", which a did not list
    AstrolabeHeader reply = b.At(10).Reply(gossip, Ipv4Address("10.0.1.1"), draws.Fn());
    EXPECT_EQ(reply.GetAfcRequests(), std::vector<std::string>{"avg"});
    ASSERT_EQ(reply.GetAfcs().size(), 1U);
    EXPECT_EQ(reply.GetAfcs()[0].GetName(), "max");
    AstrolabeHeader rows = a.At(10).Rows(reply);
    ASSERT_EQ(rows.GetAfcs().size(), 1U);
    EXPECT_EQ(rows.GetAfcs()[0].GetName(), "avg");
}

TEST(AstrolabeExchange, DatagramsStayWithinTheBoundAndCutDigestsDraw)
{
    Agent a("/dc0/r1/h1", Ipv4Address("10.0.1.1"), 1.0);
    // a crowded rack: 60 hosts (about 1.5 KB of digest entries)
    std::vector<Row> hosts;
    for (int i = 2; i < 62; ++i)
    {
        std::string id = "/dc0/r1/h" + std::to_string(i);
        Row r(id, id, 1);
        r.Set("load", Value(double(i)));
        r.Set("contacts", Value(AddressSet{Ipv4Address(0x0a000100 + i)}));
        hosts.push_back(r);
    }
    a.mib.MergeRows({{"/dc0/r1", hosts}}, 1, 64, 16, [](const std::string&, const Row&) {});
    hosts.clear();
    for (int i = 2; i < 62; ++i)
    {
        std::string id = "/dc0/r1/h" + std::to_string(i);
        hosts.push_back(Row(id, id, 2)); // advanced: live
    }
    a.mib.MergeRows({{"/dc0/r1", hosts}}, 2, 64, 16, [](const std::string&, const Row&) {});
    a.Round(3);
    Draws draws;
    draws.pick = 7;
    AstrolabeHeader gossip = a.At(3, 512).Gossip(2, draws.Fn());
    EXPECT_LE(WireSize(gossip), 512U);
    // the rack's table was cut: one draw over its 61 entries picks where it starts
    EXPECT_EQ(draws.asked, std::vector<uint32_t>{61});
    const auto& rack = gossip.GetDigests().at(0);
    EXPECT_EQ(rack.zone, "/dc0/r1");
    ASSERT_FALSE(rack.entries.empty());
    EXPECT_LT(rack.entries.size(), 61U);
    EXPECT_EQ(rack.entries[0].id, a.At(3).DigestOf(2)[7].id);
    // the tables above still got their share
    EXPECT_EQ(gossip.GetDigests().size(), 3U);
    // a partner that knows none of them replies within the bound too
    Agent b("/dc0/r1/h0", Ipv4Address("10.0.1.100"), 0.5);
    AstrolabeHeader full = a.At(3).Gossip(2, draws.Fn());
    AstrolabeHeader reply = b.At(4, 512).Reply(full, Ipv4Address("10.0.1.1"), draws.Fn());
    EXPECT_LE(WireSize(reply), 512U);
    EXPECT_FALSE(reply.GetRequests().empty());
}

TEST(AstrolabeExchange, AGossiperLeftWithAFormerRepsCopyGetsACurrentOne)
{
    // Rack-mates a and b hold the other datacenter's row /dc0 from different reps: a only a
    // start-up row (issued at 5 by h5, which then learned it is no representative), b the
    // current rep h9's copy (issued at 100). Neither copy has advanced where it is held, so
    // neither is live.
    Agent a("/dc1/r1/h1", Ipv4Address("10.1.1.1"), 1.0);
    Agent b("/dc1/r1/h2", Ipv4Address("10.1.1.2"), 2.0);
    Row startup("/dc0", "/dc0/r5/h5", 5);
    startup.Set("nmembers", Value(int64_t{1}));
    Row current("/dc0", "/dc0/r1/h9", 100);
    current.Set("nmembers", Value(int64_t{40}));
    auto ignore = [](const std::string&, const Row&) {};
    a.mib.MergeRows({{"/", {startup}}}, 6, 64, 16, ignore);
    b.mib.MergeRows({{"/", {current}}}, 101, 64, 16, ignore);
    Draws draws;
    AstrolabeHeader gossip = a.At(110).Gossip(2, draws.Fn());
    auto carriesCurrent = [](const AstrolabeHeader& reply) {
        for (const auto& block : reply.GetRows())
        {
            for (const auto& r : block.rows)
            {
                if (block.zone == "/" && r.GetId() == "/dc0" && r.GetRep() == "/dc0/r1/h9")
                {
                    return true;
                }
            }
        }
        return false;
    };
    // With clocks within 10 us of each other, b's copy was certainly issued after a's: sent.
    EXPECT_TRUE(
        carriesCurrent(b.At(110, 8192, 10).Reply(gossip, Ipv4Address("10.1.1.1"), draws.Fn())));
    // Not when the clocks may differ by more than the 95 us between them, nor with no bound.
    EXPECT_FALSE(
        carriesCurrent(b.At(110, 8192, 95).Reply(gossip, Ipv4Address("10.1.1.1"), draws.Fn())));
    EXPECT_FALSE(carriesCurrent(b.At(110).Reply(gossip, Ipv4Address("10.1.1.1"), draws.Fn())));
    // a's view then takes the current copy: it arrives with the later issue time
    AstrolabeHeader reply = b.At(110, 8192, 10).Reply(gossip, Ipv4Address("10.1.1.1"), draws.Fn());
    a.mib.MergeRows(reply.GetRows(), 111, 64, 16, ignore, INT64_MAX, 10);
    for (const Row& r : a.mib.GetZoneTable("/", 112, Agent::kLive))
    {
        if (r.GetId() == "/dc0")
        {
            EXPECT_EQ(r.GetRep(), "/dc0/r1/h9");
            EXPECT_EQ(r.GetNMembers(), 40);
        }
    }
}

namespace
{
/// Copies of the datacenters /dc10../dc49 in the root table, one per rep h1..h3 of each.
/// \param issued (zone index 10..49, rep 1..3) -> issue time of that copy
template <typename Issued>
void
MergeDatacenters(Agent& agent, int64_t now, Issued issued, int onlyRep = 0)
{
    for (int rep = 1; rep <= 3; ++rep)
    {
        if (onlyRep != 0 && rep != onlyRep)
        {
            continue;
        }
        std::vector<Row> rows;
        for (int i = 10; i < 50; ++i)
        {
            std::string id = "/dc" + std::to_string(i);
            Row r(id, id + "/r1/h" + std::to_string(rep), issued(i, rep));
            r.Set("nmembers", Value(int64_t{1}));
            r.Set("contacts", Value(AddressSet{Ipv4Address(0x0b000000 + i * 16 + rep)}));
            rows.push_back(r);
        }
        agent.mib.MergeRows({{"/", rows}}, now, 64, 16, [](const std::string&, const Row&) {});
    }
}
} // namespace

TEST(AstrolabeExchange, ADigestCutShortListsTheViewsCopyOfEveryZone)
{
    Agent a("/dc0/r1/h1", Ipv4Address("10.0.1.1"), 1.0);
    // 40 zones with three live copies each (advanced); the view uses rep h2's, updated last
    MergeDatacenters(a, 1, [](int, int) { return 1; });
    MergeDatacenters(a, 2, [](int, int) { return 2; });
    MergeDatacenters(
        a,
        3,
        [](int, int) { return 3; },
        2);
    Draws draws;
    auto rootDigest = [](const AstrolabeHeader& h) {
        for (const auto& d : h.GetDigests())
        {
            if (d.zone == "/")
            {
                return d.entries;
            }
        }
        return std::vector<AstrolabeHeader::DigestEntry>();
    };
    // room for all: every live copy (3 x 40, and our own /dc0)
    EXPECT_EQ(rootDigest(a.At(4).Gossip(2, draws.Fn())).size(), 121U);
    // room for about a third: one copy per zone, the view's, and no draw (it all fits)
    draws.asked.clear();
    AstrolabeHeader cut = a.At(4, 1400).Gossip(2, draws.Fn());
    EXPECT_LE(WireSize(cut), 1400U);
    auto entries = rootDigest(cut);
    ASSERT_EQ(entries.size(), 41U);
    EXPECT_TRUE(draws.asked.empty());
    for (const auto& e : entries)
    {
        if (e.id != "/dc0")
        {
            EXPECT_EQ(e.rep, e.id.str() + "/r1/h2");
            EXPECT_EQ(e.issued, 3);
        }
    }
}

TEST(AstrolabeExchange, RequestsCutShortTakeTurnsAndAskForTheFurthestAheadFirst)
{
    // a's rack of 60 hosts and its 40 datacenters, each copy newer than b's: b requests them
    Agent a("/dc0/r1/h1", Ipv4Address("10.0.1.1"), 1.0);
    std::vector<Row> hosts;
    for (int i = 2; i < 62; ++i)
    {
        std::string id = "/dc0/r1/h" + std::to_string(i);
        hosts.push_back(Row(id, id, 1));
    }
    a.mib.MergeRows({{"/dc0/r1", hosts}}, 1, 64, 16, [](const std::string&, const Row&) {});
    // zone /dcNN's copies issued at 100 + 10 NN: the later the zone, the further ahead of b
    MergeDatacenters(a, 2, [](int i, int) { return 100 + 10 * i; });
    Agent b("/dc0/r1/h0", Ipv4Address("10.0.1.100"), 0.5);
    MergeDatacenters(b, 2, [](int, int) { return 50; });
    Draws draws;
    AstrolabeHeader gossip = a.At(3).Gossip(2, draws.Fn());
    // room for all requests: every copy a lists (its view's: none is live) that b lacks or
    // holds older
    AstrolabeHeader all = b.At(4).Reply(gossip, Ipv4Address("10.0.1.1"), draws.Fn());
    ASSERT_GE(all.GetRequests().size(), 60U + 40U);
    // room for a few dozen: the rack's requests (listed first) no longer take it all
    AstrolabeHeader cut = b.At(4, 2048).Reply(gossip, Ipv4Address("10.0.1.1"), draws.Fn());
    EXPECT_LE(WireSize(cut), 2048U);
    std::vector<std::string> root;
    size_t rack = 0;
    for (const auto& q : cut.GetRequests())
    {
        if (q.zone == "/")
        {
            root.push_back(q.id);
        }
        else if (q.zone == "/dc0/r1")
        {
            ++rack;
        }
    }
    EXPECT_GT(rack, 0U);
    ASSERT_GE(root.size(), 3U);
    // among the datacenters, the copies furthest ahead of b's first
    EXPECT_EQ(root[0], "/dc49");
    EXPECT_EQ(root[1], "/dc48");
    EXPECT_EQ(root[2], "/dc47");
    EXPECT_LT(root.size(), 40U);
}

TEST(AstrolabeExchange, RowsCutShortSendOneCopyPerZoneFurthestAheadFirst)
{
    // a holds old live copies of every datacenter from its three reps (issued 10), and lists
    // them all; b holds all three, issued 100 + 10 NN - rep: every one fresher, more than fit
    Agent a("/dc0/r1/h1", Ipv4Address("10.0.1.1"), 1.0);
    MergeDatacenters(a, 1, [](int, int) { return 5; });
    MergeDatacenters(a, 2, [](int, int) { return 10; });
    Agent b("/dc0/r1/h2", Ipv4Address("10.0.1.2"), 2.0);
    MergeDatacenters(b, 2, [](int i, int rep) { return 90 + 10 * i - rep; });
    MergeDatacenters(b, 3, [](int i, int rep) { return 100 + 10 * i - rep; });
    Draws draws;
    AstrolabeHeader gossip = a.At(3).Gossip(2, draws.Fn());
    AstrolabeHeader reply = b.At(4, 3000).Reply(gossip, Ipv4Address("10.0.1.1"), draws.Fn());
    EXPECT_LE(WireSize(reply), 3000U);
    std::vector<Row> root;
    for (const auto& block : reply.GetRows())
    {
        if (block.zone == "/")
        {
            root = block.rows;
        }
    }
    ASSERT_GE(root.size(), 5U);
    ASSERT_LT(root.size(), 120U); // cut short
    // one copy per zone, the zones furthest ahead of a's copy first: /dc49, /dc48, ...
    for (size_t j = 0; j < std::min<size_t>(root.size(), 40); ++j)
    {
        EXPECT_EQ(root[j].GetId(), "/dc" + std::to_string(49 - j));
    }
}

TEST(AstrolabeExchange, ExtremeIssuedTimesInADigestCutShortAreOrderedWithoutOverflow)
{
    // `issued` in a digest comes off the wire: the gaps to ours saturate (UBSan checks this)
    Agent b("/dc0/r1/h2", Ipv4Address("10.0.1.2"), 2.0);
    MergeDatacenters(b, 2, [](int i, int rep) { return 100 + 10 * i - rep; });
    AstrolabeHeader gossip;
    gossip.SetType(AstrolabeHeader::GOSSIP);
    gossip.SetSender("/dc0/r1/h1");
    AstrolabeHeader::DigestTable root;
    root.zone = "/";
    for (int i = 10; i < 50; ++i)
    {
        std::string id = "/dc" + std::to_string(i);
        // odd zones listed far in the past (our copies are ahead by more than INT64_MAX), even
        // ones far in the future (their copy is ahead of ours by more than INT64_MAX)
        root.entries.push_back({id, id + "/r1/h1", i % 2 ? INT64_MIN : INT64_MAX});
        // and a copy we lack, issued as early as can be: still a request, the least needed
        root.entries.push_back({id, id + "/r1/h9", INT64_MIN});
    }
    gossip.GetDigests().push_back(root);
    Draws draws;
    AstrolabeHeader reply = b.At(4, 1500).Reply(gossip, Ipv4Address("10.0.1.1"), draws.Fn());
    EXPECT_LE(WireSize(reply), 1500U);
    ASSERT_FALSE(reply.GetRows().empty());
    // after our own zone /dc0 (which it did not list), our copies of the odd zones, furthest
    // ahead, go first
    const auto& rows = reply.GetRows().front().rows;
    ASSERT_GE(rows.size(), 2U);
    EXPECT_EQ(rows[0].GetId(), "/dc0");
    EXPECT_EQ(std::stoi(rows[1].GetId().substr(3)) % 2, 1);
    // requests: first for the even zones' h1 copies (theirs are newer), then for the copies we
    // lack, issued at INT64_MIN (as far as they fit)
    const auto& requests = reply.GetRequests();
    ASSERT_GE(requests.size(), 20U);
    for (size_t j = 0; j < requests.size(); ++j)
    {
        const std::string rep = requests[j].rep.str();
        EXPECT_EQ(rep.substr(rep.size() - 2), j < 20 ? "h1" : "h9") << j;
        if (j < 20)
        {
            EXPECT_EQ(std::stoi(requests[j].id.str().substr(3)) % 2, 0);
        }
    }
    EXPECT_LT(requests.size(), 60U); // cut short
}
