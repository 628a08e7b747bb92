/*
 * SPDX-License-Identifier: GPL-2.0-only
 */
#include "../examples/gossip-example-support.h"
#include "gossip-logic-test.h"

#include <unistd.h>

using namespace ns3;

TEST(GossipArgCheck, BadValuesAreNamedWithWhatIsAllowed)
{
    testing::internal::CaptureStderr();
    EXPECT_FALSE(GossipArgCheck::Ok(false, "c", 0, "1..255"));
    EXPECT_EQ(testing::internal::GetCapturedStderr(), "error: --c=0 is invalid: allowed 1..255\n");

    testing::internal::CaptureStderr();
    EXPECT_TRUE(GossipArgCheck::Ok(true, "c", 3, "1..255"));
    EXPECT_EQ(testing::internal::GetCapturedStderr(), "");
}

TEST(GossipArgCheck, TimesAreShownAsTyped)
{
    testing::internal::CaptureStderr();
    EXPECT_FALSE(GossipArgCheck::InRange("period", Seconds(4000), MilliSeconds(1), Hours(1)));
    EXPECT_EQ(testing::internal::GetCapturedStderr(),
              "error: --period=4000s is invalid: allowed 1ms .. 3600s\n");

    testing::internal::CaptureStderr();
    EXPECT_FALSE(GossipArgCheck::InRange("jitter", MicroSeconds(-1), Seconds(0), Seconds(10)));
    EXPECT_FALSE(GossipArgCheck::InRange("unit", NanoSeconds(1), MicroSeconds(10), Hours(1)));
    EXPECT_EQ(testing::internal::GetCapturedStderr(),
              "error: --jitter=-1us is invalid: allowed 0s .. 10s\n"
              "error: --unit=1ns is invalid: allowed 10us .. 3600s\n");

    EXPECT_TRUE(GossipArgCheck::InRange("period", MilliSeconds(1), MilliSeconds(1), Hours(1)));
    EXPECT_TRUE(GossipArgCheck::InRange("period", Hours(1), MilliSeconds(1), Hours(1)));
}

TEST(GossipArgCheck, OutputPrefixNeedsAWritableDirectory)
{
    testing::internal::CaptureStderr();
    EXPECT_EQ(GossipArgCheck::OutputPrefix("results"), access(".", W_OK | X_OK) == 0);
    EXPECT_TRUE(GossipArgCheck::OutputPrefix("/tmp/results"));
    EXPECT_EQ(testing::internal::GetCapturedStderr(), "");

    testing::internal::CaptureStderr();
    EXPECT_FALSE(GossipArgCheck::OutputPrefix("/no/such/dir/results"));
    EXPECT_FALSE(GossipArgCheck::OutputPrefix("/tmp/"));
    EXPECT_FALSE(GossipArgCheck::OutputPrefix(""));
    std::string err = testing::internal::GetCapturedStderr();
    EXPECT_NE(err.find("--prefix=/no/such/dir/results is invalid"), std::string::npos);
    EXPECT_NE(err.find("--prefix=/tmp/ is invalid"), std::string::npos);
}
