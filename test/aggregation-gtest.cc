/*
 * SPDX-License-Identifier: GPL-2.0-only
 *
 * Pure logic of the aggregation baselines: combining partial aggregates, push-sum mass
 * arithmetic, running sums under loss, top-c merging, overlays, the information-flow model and
 * the wire format. No Simulator is involved.
 */
#include "gossip-logic-test.h"

#include "ns3/aggregation-header.h"
#include "ns3/aggregation-logic.h"
#include "ns3/packet.h"

#include <cmath>
#include <numeric>
#include <random>

using namespace ns3;

TEST(AggregationPartial, CombineIsOrderIndependent)
{
    std::vector<double> v = {3.5, -1.0, 7.25, 7.25, 0.0, -1.0};
    AggregationPartial fwd;
    AggregationPartial rev;
    for (uint32_t i = 0; i < v.size(); ++i)
    {
        fwd.Combine(AggregationPartial::FromValue(v[i], i));
        rev.Combine(AggregationPartial::FromValue(v[v.size() - 1 - i], v.size() - 1 - i));
    }
    // a tree-shaped combination: ((0,1),(2,(3,4,5)))
    AggregationPartial a = AggregationPartial::FromValue(v[0], 0);
    a.Combine(AggregationPartial::FromValue(v[1], 1));
    AggregationPartial b = AggregationPartial::FromValue(v[3], 3);
    b.Combine(AggregationPartial::FromValue(v[4], 4));
    b.Combine(AggregationPartial::FromValue(v[5], 5));
    AggregationPartial c = AggregationPartial::FromValue(v[2], 2);
    c.Combine(b);
    a.Combine(c);
    EXPECT_EQ(fwd, rev);
    EXPECT_EQ(fwd, a);
    EXPECT_EQ(fwd.count, 6u);
    EXPECT_DOUBLE_EQ(fwd.sum, 16.0);
    EXPECT_DOUBLE_EQ(fwd.min, -1.0);
    EXPECT_EQ(fwd.argmin, 1u); // tie between 1 and 5: lowest id
    EXPECT_DOUBLE_EQ(fwd.max, 7.25);
    EXPECT_EQ(fwd.argmax, 2u);
    EXPECT_DOUBLE_EQ(fwd.Average(), 16.0 / 6);
    EXPECT_DOUBLE_EQ(AggregationSelect(fwd, AggregationFunction::COUNT), 6.0);
    EXPECT_FALSE(fwd.partial);
}

TEST(AggregationPartial, EmptyAndPartialPropagate)
{
    AggregationPartial empty;
    EXPECT_TRUE(std::isnan(empty.Average()));
    AggregationPartial p = AggregationPartial::FromValue(2.0, 9);
    AggregationPartial q = AggregationPartial::FromValue(5.0, 4);
    q.partial = true;
    q.missing = 2;
    p.Combine(empty); // an empty subtree changes nothing
    EXPECT_EQ(p, AggregationPartial::FromValue(2.0, 9));
    p.Combine(q);
    EXPECT_TRUE(p.partial);
    EXPECT_EQ(p.missing, 2u);
    EXPECT_EQ(p.count, 2u);
}

TEST(PushSum, MassIsConservedAndErrorFallsBelowOnePercent)
{
    const uint32_t n = 1000;
    std::mt19937 gen(7);
    std::uniform_real_distribution<double> load(0.0, 4.0);
    std::vector<PushSumState> st(n);
    double truth = 0;
    for (uint32_t i = 0; i < n; ++i)
    {
        double x = load(gen);
        truth += x;
        st[i] = PushSumState(x, 1.0);
    }
    truth /= n;
    const double eps = 0.01;
    // Kempe et al.: O(log N + log 1/eps) rounds; allow twice the sum of the two logs.
    const uint32_t bound = std::ceil(2 * (std::log2(n) + std::log2(1 / eps)));
    uint32_t reached = 0;
    for (uint32_t r = 1; r <= 60 && reached == 0; ++r)
    {
        std::vector<PushSumMass> inbox(n);
        for (uint32_t i = 0; i < n; ++i)
        {
            PushSumMass half = st[i].TakeHalf();
            uint32_t j = std::uniform_int_distribution<uint32_t>(0, n - 2)(gen);
            j += j >= i;
            inbox[j].s += half.s;
            inbox[j].w += half.w;
        }
        double sw = 0;
        double ss = 0;
        double err = 0;
        for (uint32_t i = 0; i < n; ++i)
        {
            st[i].Absorb(inbox[i]);
            sw += st[i].GetW();
            ss += st[i].GetS();
            err = std::max(err, std::abs(st[i].Estimate() - truth) / truth);
        }
        ASSERT_NEAR(sw, n, 1e-9) << "weight not conserved in round " << r;
        ASSERT_NEAR(ss, truth * n, 1e-9 * n) << "sum not conserved in round " << r;
        if (err < eps)
        {
            reached = r;
        }
    }
    EXPECT_GT(reached, 0u) << "push-sum did not reach 1% in 60 rounds";
    EXPECT_LE(reached, bound);
}

TEST(PushSum, NoEstimateWithoutWeight)
{
    PushSumState s(1.0, 0.0);
    EXPECT_TRUE(std::isnan(s.Estimate()));
    s.Absorb({0.5, 0.25});
    EXPECT_DOUBLE_EQ(s.Estimate(), 6.0);
}

TEST(RunningSum, LostDatagramOnlyDelaysMass)
{
    RunningSumLedger sender;
    RunningSumLedger receiver;
    PushSumState at(0, 0);
    auto [t1, s1] = sender.AddSent(42, {1.0, 0.5});
    auto [t2, s2] = sender.AddSent(42, {2.0, 0.25});
    auto [t3, s3] = sender.AddSent(42, {4.0, 0.125});
    (void)t1;
    (void)s1;                               // datagram 1 is lost
    at.Absorb(receiver.Receive(7, t3, s3)); // 3 overtakes 2
    at.Absorb(receiver.Receive(7, t2, s2)); // 2 is stale now: ignored
    at.Absorb(receiver.Receive(7, t3, s3)); // duplicate: ignored
    EXPECT_DOUBLE_EQ(at.GetS(), 7.0);
    EXPECT_DOUBLE_EQ(at.GetW(), 0.875);
    EXPECT_DOUBLE_EQ(sender.GetSent(42).s, 7.0);
    EXPECT_DOUBLE_EQ(receiver.GetReceived(7).w, 0.875);
}

TEST(TopC, MergeKeepsBestDistinctNodes)
{
    std::vector<TopCEntry> mine = {{5.0, 1}, {3.0, 2}};
    std::vector<TopCEntry> theirs = {{9.0, 7}, {5.0, 1}, {4.0, 3}, {1.0, 8}};
    EXPECT_TRUE(TopCMerge::Merge(mine, theirs, 3, true));
    std::vector<TopCEntry> want = {{9.0, 7}, {5.0, 1}, {4.0, 3}};
    EXPECT_EQ(mine, want);
    EXPECT_FALSE(TopCMerge::Merge(mine, theirs, 3, true)); // idempotent
    std::vector<TopCEntry> low = {{5.0, 1}};
    TopCMerge::Merge(low, theirs, 2, false);
    std::vector<TopCEntry> wantLow = {{1.0, 8}, {4.0, 3}};
    EXPECT_EQ(low, wantLow);
}

TEST(TopC, GossipOrderDoesNotMatter)
{
    std::mt19937 gen(3);
    std::vector<TopCEntry> all;
    for (uint32_t i = 0; i < 50; ++i)
    {
        all.push_back({double(gen() % 20), i});
    }
    std::vector<TopCEntry> a;
    std::vector<TopCEntry> b;
    for (uint32_t i = 0; i < 50; ++i)
    {
        TopCMerge::Merge(a, {all[i]}, 4, true);
        TopCMerge::Merge(b, {all[49 - i]}, 4, true);
    }
    EXPECT_EQ(a, b);
    EXPECT_EQ(a.size(), 4u);
}

TEST(Overlay, SymmetricConnectedWithExpectedDegree)
{
    Ptr<UniformRandomVariable> rng = CreateObject<UniformRandomVariable>();
    rng->SetStream(5);
    auto g = AggregationOverlay::Build(400, 40, 2, 2, rng);
    EXPECT_TRUE(AggregationOverlay::IsSymmetric(g));
    EXPECT_TRUE(AggregationOverlay::IsConnected(g));
    for (const auto& l : g)
    {
        EXPECT_GE(l.size(), 2u);
        EXPECT_LE(l.size(), 6u);
    }
    EXPECT_GT(AggregationOverlay::EdgeCount(g), 400u * 5 / 2);
    auto rackOnly = AggregationOverlay::Build(80, 40, 2, 0, rng);
    EXPECT_FALSE(AggregationOverlay::IsConnected(rackOnly)); // two separate rack rings
    EXPECT_EQ(AggregationOverlay::EdgeCount(rackOnly), 80u);
}

TEST(InfoFlow, LectureSixteenNodeTree)
{
    using F = AggregationInfoFlow;
    // The lecture's level-1, 2, 3 representatives: A C E G I K M O / B F J N / D L.
    std::string l1;
    std::string l2;
    std::string l3;
    for (uint32_t b = 0; b < 16; b += 2)
    {
        l1 += F::Name(F::Representative(F::DREADFUL, b, 1));
    }
    for (uint32_t b = 0; b < 16; b += 4)
    {
        l2 += F::Name(F::Representative(F::DREADFUL, b, 2));
    }
    for (uint32_t b = 0; b < 16; b += 8)
    {
        l3 += F::Name(F::Representative(F::DREADFUL, b, 3));
    }
    EXPECT_EQ(l1, "ACEGIKMO");
    EXPECT_EQ(l2, "BFJN");
    EXPECT_EQ(l3, "DL");
    auto dreadful = F::Build(F::DREADFUL, 16);
    std::string path;
    for (uint32_t v : F::Path(dreadful, 7, 15))
    {
        path += (path.empty() ? "" : "-") + F::Name(v);
    }
    EXPECT_EQ(path, "H-G-E-F-B-A-C-D-L-K-I-J-N-M-O-P");
    EXPECT_EQ(F::Diameter(dreadful), 15u);
    auto astro = F::Build(F::ASTROLABE, 16);
    EXPECT_EQ(F::Path(astro, 7, 15).size() - 1, 7u);
    EXPECT_EQ(F::Diameter(astro), 7u);
}

TEST(InfoFlow, LinearVersusLogarithmic)
{
    using F = AggregationInfoFlow;
    for (uint32_t k = 1; k <= 12; ++k)
    {
        uint32_t n = 1U << k;
        EXPECT_EQ(F::Diameter(F::Build(F::DREADFUL, n)), n - 1) << "n=" << n;
        EXPECT_EQ(F::Diameter(F::Build(F::ASTROLABE, n)), 2 * k - 1) << "n=" << n;
    }
    EXPECT_FALSE(F::IsValidSize(12));
    EXPECT_TRUE(F::IsValidSize(16));
}

TEST(AggregationHeader, RoundTripsEveryType)
{
    AggregationHeader h;
    h.SetType(AggregationHeader::TREE_ECHO);
    h.queryId = 77;
    h.treeId = 5;
    h.partial = AggregationPartial::FromValue(2.5, 12);
    h.partial.partial = true;
    h.partial.missing = 3;
    Ptr<Packet> p = Create<Packet>();
    p->AddHeader(h);
    AggregationHeader r;
    p->PeekHeader(r);
    ASSERT_TRUE(r.IsValid());
    EXPECT_EQ(r.GetType(), AggregationHeader::TREE_ECHO);
    EXPECT_EQ(r.queryId, 77u);
    EXPECT_EQ(r.partial, h.partial);

    AggregationHeader t;
    t.SetType(AggregationHeader::TOP_C);
    t.round = 4;
    t.largest = {{9.0, 1}, {8.0, 2}};
    t.smallest = {{0.5, 3}};
    Ptr<Packet> q = Create<Packet>();
    q->AddHeader(t);
    EXPECT_EQ(q->GetSize(), 2u + 6 + 3 * 12);
    AggregationHeader u;
    q->PeekHeader(u);
    ASSERT_TRUE(u.IsValid());
    EXPECT_EQ(u.largest, t.largest);
    EXPECT_EQ(u.smallest, t.smallest);

    AggregationHeader ps;
    ps.SetType(AggregationHeader::PUSH_SUM);
    ps.s = 0.125;
    ps.w = 3.0;
    ps.seq = 9;
    Ptr<Packet> z = Create<Packet>();
    z->AddHeader(ps);
    AggregationHeader back;
    z->PeekHeader(back);
    ASSERT_TRUE(back.IsValid());
    EXPECT_DOUBLE_EQ(back.s, 0.125);
    EXPECT_DOUBLE_EQ(back.w, 3.0);
    EXPECT_EQ(back.seq, 9u);
}

TEST(AggregationHeader, TruncatedAndRandomBytesAreRejectedWithoutCrash)
{
    AggregationHeader h;
    h.SetType(AggregationHeader::TREE_ECHO);
    Ptr<Packet> full = Create<Packet>();
    full->AddHeader(h);
    for (uint32_t len = 0; len < full->GetSize(); ++len)
    {
        Ptr<Packet> cut = full->CreateFragment(0, len);
        AggregationHeader r;
        if (cut->GetSize() >= AggregationHeader::kMinSize)
        {
            cut->PeekHeader(r);
            EXPECT_FALSE(r.IsValid()) << "accepted a " << len << "-byte echo";
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
            bytes[0] = AggregationHeader::kVersion; // get past the version check half the time
            bytes[1] = 1 + gen() % 7;
        }
        Ptr<Packet> p = Create<Packet>(bytes.data(), bytes.size());
        if (p->GetSize() < AggregationHeader::kMinSize)
        {
            continue;
        }
        AggregationHeader r;
        p->PeekHeader(r);
        accepted += r.IsValid();
    }
    EXPECT_GT(accepted, 0u); // long enough random packets with a good type do parse
}

TEST(TopC, NonFiniteValuesAreDetectedAndNeverMerged)
{
    const double nan = std::nan("");
    std::vector<TopCEntry> bad = {{1.0, 1}, {nan, 2}, {3.0, 3}};
    EXPECT_FALSE(TopCMerge::AllFinite(bad));
    EXPECT_FALSE(TopCMerge::AllFinite({{INFINITY, 4}}));
    EXPECT_TRUE(TopCMerge::AllFinite({{1.0, 1}, {-2.0, 2}}));
    // Even a caller that forgets the check keeps a NaN out of the list (sort stays defined).
    std::vector<TopCEntry> mine = {{2.0, 7}};
    TopCMerge::Merge(mine, bad, 3, true);
    ASSERT_EQ(mine.size(), 3u);
    for (const auto& e : mine)
    {
        EXPECT_FALSE(std::isnan(e.value));
    }
    EXPECT_EQ(mine[0].node, 3u);
}

TEST(AggregationPartial, FinitenessCheck)
{
    AggregationPartial p = AggregationPartial::FromValue(2.0, 1);
    EXPECT_TRUE(AggregationPartialIsFinite(p));
    AggregationPartial q = p;
    q.sum = std::nan("");
    EXPECT_FALSE(AggregationPartialIsFinite(q));
    q = p;
    q.max = INFINITY;
    EXPECT_FALSE(AggregationPartialIsFinite(q));
    EXPECT_FALSE(AggregationPartialIsFinite(AggregationPartial{})); // empty: min = +inf
}

TEST(RunningSum, HugeSequenceJumpIsRejectedAndDoesNotPinThePeer)
{
    RunningSumLedger in;
    EXPECT_DOUBLE_EQ(in.Receive(4, {1.0, 0.5}, 1).w, 0.5);
    // A forged seq = UINT32_MAX would make every later real datagram look stale.
    EXPECT_TRUE(in.IsImplausible(4, UINT32_MAX));
    PushSumMass forged = in.Receive(4, {100.0, 100.0}, UINT32_MAX);
    EXPECT_EQ(forged.s, 0.0);
    EXPECT_EQ(forged.w, 0.0);
    EXPECT_TRUE(in.IsImplausible(9, (1U << 31) + 1)); // a first datagram too
    EXPECT_FALSE(in.IsImplausible(9, 1U << 31));
    EXPECT_FALSE(in.IsImplausible(4, 2));
    EXPECT_FALSE(in.IsImplausible(4, 1)); // stale is not implausible: Receive ignores it
    PushSumMass next = in.Receive(4, {1.5, 0.75}, 2);
    EXPECT_DOUBLE_EQ(next.s, 0.5);
    EXPECT_DOUBLE_EQ(next.w, 0.25);
    EXPECT_DOUBLE_EQ(in.GetReceived(4).w, 0.75);
}

TEST(Membership, DuplicatesAreRemovedAndOthersCounted)
{
    Ipv4Address a("10.0.0.1");
    Ipv4Address b("10.0.0.2");
    auto dup =
        std::make_shared<const std::vector<Ipv4Address>>(std::vector<Ipv4Address>{a, a, b, a, b});
    auto d = AggregationDeduplicate(dup);
    ASSERT_EQ(d->size(), 2u);
    EXPECT_EQ((*d)[0], a);
    EXPECT_EQ((*d)[1], b);
    EXPECT_EQ(AggregationDeduplicate(dup), d); // cached for the next app of the same helper
    auto clean = std::make_shared<const std::vector<Ipv4Address>>(std::vector<Ipv4Address>{a, b});
    EXPECT_EQ(AggregationDeduplicate(clean), clean); // no copy when nothing repeats
    EXPECT_EQ(AggregationCountOthers(*d, a), 1u);
    auto selfOnly = AggregationDeduplicate(
        std::make_shared<const std::vector<Ipv4Address>>(std::vector<Ipv4Address>{a, a, a}));
    EXPECT_EQ(AggregationCountOthers(*selfOnly, a), 0u);
}

TEST(AggregationHeader, FloodCarriesItsRoot)
{
    AggregationHeader h;
    h.SetType(AggregationHeader::TREE_FLOOD);
    h.queryId = 3;
    h.treeId = 3;
    h.root = Ipv4Address("10.1.2.3").Get();
    Ptr<Packet> p = Create<Packet>();
    p->AddHeader(h);
    AggregationHeader r;
    p->PeekHeader(r);
    ASSERT_TRUE(r.IsValid());
    EXPECT_EQ(r.root, h.root);
    EXPECT_EQ(r.treeId, 3u);
}
