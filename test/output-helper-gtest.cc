/*
 * SPDX-License-Identifier: GPL-2.0-only
 */
#include "../examples/gossip-example-support.h"
#include "gossip-logic-test.h"

#include <string>
#include <unistd.h>
#include <vector>

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

namespace
{
/// Runs GossipOptions over a command line given as words (argv[0] included).
struct Options
{
    uint32_t hosts{1000};
    double loss{0.02};
    bool agents{false};
    Time period{Seconds(5)};
    std::string metric{"Fabric"};
    std::vector<uint32_t> sizes{1000, 10000};
    Ipv4Address group{"225.0.0.1"};
    std::string prefix{"results"};

    void Parse(std::vector<std::string> words)
    {
        GossipOptions o(__FILE__, "test");
        o.Add("hosts", "hosts", hosts, 1U, 390625U);
        o.Add("loss", "loss", loss, 0.0, 0.5);
        o.Add("agents", "agents", agents);
        o.Add("period", "period", period, MilliSeconds(1), Hours(1));
        o.AddChoice("metric", "metric", metric, {"Fabric", "Rtt"});
        o.AddList("sizes", "sizes", sizes, 4U, 400000U);
        o.Add("group", "group", group, true);
        o.AddPrefix(prefix);
        std::vector<char*> argv;
        for (auto& w : words)
        {
            argv.push_back(w.data());
        }
        o.Parse(argv.size(), argv.data());
    }
};
} // namespace

TEST(GossipOptions, ValidValuesAreRead)
{
    Options o;
    o.Parse({"x",
             "--hosts=390625",
             "--loss=0.5",
             "--agents",
             "--period=100ms",
             "--metric=Rtt",
             "--sizes=4,17",
             "--group=239.1.2.3",
             "--prefix=/tmp/x"});
    EXPECT_EQ(o.hosts, 390625U);
    EXPECT_DOUBLE_EQ(o.loss, 0.5);
    EXPECT_TRUE(o.agents);
    EXPECT_EQ(o.period, MilliSeconds(100));
    EXPECT_EQ(o.metric, "Rtt");
    EXPECT_EQ(o.sizes, (std::vector<uint32_t>{4, 17}));
    EXPECT_EQ(o.group, Ipv4Address("239.1.2.3"));
    EXPECT_EQ(o.prefix, "/tmp/x");
    Options d;
    d.Parse({"x", "--agents=false"});
    EXPECT_FALSE(d.agents);
    EXPECT_EQ(d.hosts, 1000U); // untouched when not given
}

TEST(GossipOptions, EveryBadValueIsOneLineAndExitCodeOne)
{
    // out of range, negative (never wrapped), not a number, empty
    EXPECT_DEATH(Options().Parse({"x", "--hosts=0"}),
                 "^error: --hosts=0 is invalid: allowed an integer 1\\.\\.390625\n$");
    EXPECT_DEATH(Options().Parse({"x", "--hosts=-3"}), "^error: --hosts=-3 is invalid");
    EXPECT_DEATH(Options().Parse({"x", "--hosts=abc"}), "^error: --hosts=abc is invalid");
    EXPECT_DEATH(Options().Parse({"x", "--hosts="}), "^error: --hosts= is invalid");
    EXPECT_DEATH(Options().Parse({"x", "--hosts=3x"}), "^error: --hosts=3x is invalid");
    EXPECT_DEATH(Options().Parse({"x", "--loss=nan"}), "^error: --loss=nan is invalid");
    EXPECT_DEATH(Options().Parse({"x", "--loss=0.6"}), "allowed a number 0\\.\\.0\\.5");
    EXPECT_DEATH(Options().Parse({"x", "--agents=maybe"}), "allowed true or false");
    EXPECT_DEATH(Options().Parse({"x", "--period=0s"}), "^error: --period=0s is invalid");
    EXPECT_DEATH(Options().Parse({"x", "--period=five"}), "^error: --period=five is invalid");
    EXPECT_DEATH(Options().Parse({"x", "--metric=Hops"}), "allowed one of Fabric, Rtt");
    EXPECT_DEATH(Options().Parse({"x", "--sizes=4,,5"}), "^error: --sizes=4,,5 is invalid");
    EXPECT_DEATH(Options().Parse({"x", "--sizes=4,5,"}), "^error: --sizes=4,5, is invalid");
    EXPECT_DEATH(Options().Parse({"x", "--group=10.0.0.1"}), "multicast address");
    EXPECT_DEATH(Options().Parse({"x", "--group=300.1.1.1"}), "^error: --group=300.1.1.1");
    EXPECT_DEATH(Options().Parse({"x", "--prefix=/no/such/dir/r"}), "writable directory");
}
