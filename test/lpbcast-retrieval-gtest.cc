/*
 * SPDX-License-Identifier: GPL-2.0-only
 *
 * GoogleTest for lpbcast::Retrieval: the retrieval schedule (gossip sender, then a random view
 * member, then the originator, then give up).
 */
#include "gossip-logic-test.h"

#include "ns3/lpbcast-retrieval.h"

#include <utility>
#include <vector>

using namespace ns3;
using namespace ns3::lpbcast;

TEST(LpbcastRetrieval, ScheduleSenderThenViewMemberThenOriginator)
{
    const uint32_t k = 3;
    const uint32_t r = 2;
    Retrieval rb(k, r, 100);
    GossipMessageId id{77, 4};
    ASSERT_TRUE(rb.Add(id, 10, 55));
    EXPECT_FALSE(rb.Add(id, 11, 56));
    auto never = [](const GossipMessageId&) { return false; };
    auto member = []() { return 66u; };
    std::vector<std::pair<uint32_t, uint32_t>> asked; // (round, target)
    for (uint32_t round = 10; round < 30; ++round)
    {
        for (auto& q : rb.Due(round, never, member))
        {
            EXPECT_EQ(q.id, id);
            asked.push_back({round, q.target});
        }
    }
    std::vector<std::pair<uint32_t, uint32_t>> want{{13, 55}, {15, 66}, {17, 77}};
    EXPECT_EQ(asked, want);
    EXPECT_EQ(rb.GetSize(), 0u);
    EXPECT_EQ(rb.GetGivenUp(), 1u);
    // Delivered meanwhile: nothing is asked.
    rb.Add({1, 1}, 0, 2);
    EXPECT_TRUE(rb.Due(
                      5,
                      [](const GossipMessageId&) { return true; },
                      member)
                    .empty());
    EXPECT_EQ(rb.GetSize(), 0u);
}
