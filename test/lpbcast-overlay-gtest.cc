/*
 * SPDX-License-Identifier: GPL-2.0-only
 *
 * GoogleTest for lpbcast::Overlay, the small-world overlay: degree, the d^-r distance law of
 * the long-range draw, connectivity and the small-world shape (short diameter, clustering kept),
 * repair.
 */
#include "gossip-logic-test.h"

#include "ns3/lpbcast-overlay-metrics.h"
#include "ns3/lpbcast-overlay.h"

#include <cmath>
#include <random>
#include <set>

using namespace ns3;
using namespace ns3::lpbcast;

namespace
{
/// n members on a ring; "RTT" = ring distance, so near peers are ring neighbours.
std::map<uint32_t, std::vector<uint32_t>>
BuildRing(uint32_t n, uint32_t c, uint32_t k, double r, uint32_t seed)
{
    std::mt19937 gen(seed);
    std::uniform_real_distribution<double> u(0, 1);
    auto uniform01 = [&]() { return u(gen); };
    auto ringDist = [n](uint32_t a, uint32_t b) {
        uint32_t d = a > b ? a - b : b - a;
        return double(std::min(d, n - d));
    };
    std::map<uint32_t, std::vector<uint32_t>> peers;
    for (uint32_t i = 0; i < n; ++i)
    {
        Overlay o;
        Overlay::Params p;
        p.nearPeers = c;
        p.longRange = k;
        p.exponent = r;
        o.Configure(i, p);
        for (uint32_t j = 0; j < n; ++j)
        {
            // jitter breaks ties between the two neighbours at equal distance
            o.SetRtt(j, ringDist(i, j) + 0.001 * ((j + n - i) % n > n / 2));
        }
        o.Repair([&](uint32_t j) { return ringDist(i, j); }, uniform01);
        peers[i] = o.GetPeers();
    }
    return peers;
}
} // namespace

TEST(LpbcastOverlay, DegreeNoSelfDistinct)
{
    auto peers = BuildRing(200, 4, 2, 1.0, 1);
    for (const auto& kv : peers)
    {
        ASSERT_EQ(kv.second.size(), 6u);
        std::set<uint32_t> s(kv.second.begin(), kv.second.end());
        EXPECT_EQ(s.size(), 6u);
        EXPECT_EQ(s.count(kv.first), 0u);
    }
    auto m = OverlayMetrics::Analyze(peers);
    EXPECT_EQ(m.vertices, 200u);
    EXPECT_GE(m.minDegree, 6u);
    EXPECT_GE(m.meanDegree, 6.0);
}

TEST(LpbcastOverlay, LongRangeDrawFollowsPowerLaw)
{
    std::mt19937 gen(3);
    std::uniform_real_distribution<double> u(0, 1);
    auto uniform01 = [&]() { return u(gen); };
    std::vector<uint32_t> ids;
    std::vector<double> dist;
    for (uint32_t d = 1; d <= 16; ++d)
    {
        ids.push_back(d);
        dist.push_back(d);
    }
    for (double r : {0.0, 1.0, 2.0})
    {
        std::vector<double> count(17, 0);
        const uint32_t draws = 200000;
        for (uint32_t k = 0; k < draws; ++k)
        {
            count[Overlay::DrawLongRange(ids, dist, 1, r, uniform01)[0]] += 1;
        }
        // Least-squares slope of log(frequency) against log(distance) estimates -r.
        double sx = 0, sy = 0, sxx = 0, sxy = 0;
        for (uint32_t d = 1; d <= 16; ++d)
        {
            ASSERT_GT(count[d], 0) << "r=" << r << " d=" << d;
            double x = std::log(d);
            double y = std::log(count[d] / draws);
            sx += x;
            sy += y;
            sxx += x * x;
            sxy += x * y;
        }
        double slope = (16 * sxy - sx * sy) / (16 * sxx - sx * sx);
        EXPECT_NEAR(slope, -r, 0.05) << "r=" << r;
    }
    // Without replacement: k distinct picks.
    auto picks = Overlay::DrawLongRange(ids, dist, 16, 2.0, uniform01);
    EXPECT_EQ(std::set<uint32_t>(picks.begin(), picks.end()).size(), 16u);
}

TEST(LpbcastOverlay, ConnectedSmallDiameterClusteringKept)
{
    const uint32_t n = 400;
    auto lattice = BuildRing(n, 4, 0, 1.0, 5);
    auto small = BuildRing(n, 4, 2, 1.0, 5);
    auto random = BuildRing(n, 0, 6, 0.0, 5);
    auto ml = OverlayMetrics::Analyze(lattice);
    auto ms = OverlayMetrics::Analyze(small);
    auto mr = OverlayMetrics::Analyze(random);
    EXPECT_EQ(ml.components, 1u);
    EXPECT_EQ(ms.components, 1u);
    EXPECT_EQ(ml.diameter, n / 4); // ring lattice, 2 neighbours each side
    EXPECT_NEAR(ml.clustering, 0.5, 1e-9);
    // Small world (Watts-Strogatz / Kleinberg): diameter collapses, clustering stays far above
    // that of a random graph with the same degree.
    EXPECT_LT(ms.diameter, ml.diameter / 5);
    EXPECT_LT(ms.diameter, 15u);
    EXPECT_GT(ms.clustering, 2 * mr.clustering);
    EXPECT_GT(ms.clustering, 0.15);
}

TEST(LpbcastOverlay, FailedPeerIsReplaced)
{
    std::mt19937 gen(9);
    std::uniform_real_distribution<double> u(0, 1);
    auto uniform01 = [&]() { return u(gen); };
    Overlay o;
    Overlay::Params p;
    p.nearPeers = 2;
    p.longRange = 2;
    p.missesToFail = 2;
    o.Configure(0, p);
    for (uint32_t j = 1; j <= 20; ++j)
    {
        o.SetRtt(j, j * 1e-4);
    }
    auto dist = [&](uint32_t j) { return o.GetRtt(j) * 1e6; };
    o.Repair(dist, uniform01);
    EXPECT_EQ(o.GetNear(), (std::vector<uint32_t>{1, 2}));
    ASSERT_EQ(o.GetLongRange().size(), 2u);
    uint32_t lr = o.GetLongRange()[0];
    EXPECT_FALSE(o.Miss(1));
    EXPECT_TRUE(o.Miss(1)); // second miss: failed
    EXPECT_FALSE(o.Miss(lr));
    EXPECT_TRUE(o.Miss(lr));
    o.Repair(dist, uniform01);
    EXPECT_EQ(o.GetNear(), (std::vector<uint32_t>{2, 3}));
    EXPECT_EQ(o.GetLongRange().size(), 2u);
    for (uint32_t x : o.GetPeers())
    {
        EXPECT_NE(x, 1u);
        EXPECT_NE(x, lr);
    }
    // A reply in between resets the miss count.
    EXPECT_FALSE(o.Miss(2));
    o.SetRtt(2, 2e-4);
    EXPECT_FALSE(o.Miss(2));
    EXPECT_EQ(o.GetCandidateCount(), 18u);
}
