/*
 * SPDX-License-Identifier: GPL-2.0-only
 *
 * The logic tests run under ./test.py through test/gossip-logic-test.h, which maps GoogleTest's
 * macros onto ns-3 TestCases. This suite checks that mapping itself: every kind of failed check
 * must be reported, passing checks must not be, and ASSERT_* must stop the test.
 */
#include "gossip-logic-test.h"

#include "ns3/test.h"

#include <cstdlib>
#include <string>
#include <vector>

namespace ns3
{
namespace gossip_test
{

/// Collects failures instead of reporting them to ns-3.
class FailureRecorder : public FailureSink
{
  public:
    void Fail(const std::string& what, const std::string& message, const char*, int) override
    {
        failures.push_back(what + (message.empty() ? "" : " | " + message));
    }

    std::vector<std::string> failures;
};

/// Checks that pass and checks that fail, in the order the test below expects the failures.
static void
MixedChecks()
{
    EXPECT_EQ(1, 2) << "context " << 7;
    EXPECT_EQ(3u, 3);
    EXPECT_NE(-1, 1u);
    EXPECT_LT(2, 1);
    EXPECT_GE(2.0, 2.0);
    EXPECT_NEAR(1.0, 1.5, 0.1);
    EXPECT_DOUBLE_EQ(0.1 + 0.2, 0.3);
    EXPECT_DOUBLE_EQ(1.0, 1.0001);
    EXPECT_TRUE(false);
    EXPECT_FALSE(false);
    EXPECT_EQ(std::string("a"), "b");
    EXPECT_DEATH(std::abort(), "");
    EXPECT_DEATH((void)0, "never");
    testing::internal::CaptureStderr();
    std::fputs("captured", stderr);
    EXPECT_EQ(testing::internal::GetCapturedStderr(), "captured");
    ASSERT_TRUE(true);
    ASSERT_EQ(4, 5);
    EXPECT_TRUE(false) << "not reached: ASSERT_EQ returned";
}

/// Every failed check of MixedChecks is reported once, with its values, and nothing else is.
class LogicShimTestCase : public TestCase
{
  public:
    LogicShimTestCase()
        : TestCase("GoogleTest-style checks report exactly the failed ones")
    {
    }

  private:
    void DoRun() override
    {
        FailureRecorder recorder;
        FailureSink* saved = CurrentSink();
        CurrentSink() = &recorder;
        MixedChecks();
        CurrentSink() = saved;

        const std::vector<std::string> expected{
            "expected 1 == 2, got 1 vs 2 | context 7",
            "expected 2 < 1, got 2 vs 1",
            "expected |1.0 - 1.5| <= 0.1, got 1 vs 1.5 (difference 0.5)",
            "expected 1.0 ~= 1.0001, got 1 vs 1.0001",
            "expected false to be true",
            "expected std::string(\"a\") == \"b\", got a vs b",
            "expected (void)0 to die, but it returned",
            "expected 4 == 5, got 4 vs 5",
        };
        NS_TEST_ASSERT_MSG_EQ(recorder.failures.size(), expected.size(), "failures reported");
        for (size_t i = 0; i < expected.size(); ++i)
        {
            NS_TEST_EXPECT_MSG_EQ(recorder.failures[i], expected[i], "failure " << i);
        }
    }
};

/// The suite.
class LogicShimTestSuite : public TestSuite
{
  public:
    LogicShimTestSuite()
        : TestSuite("gossip-logic-shim")
    {
        AddTestCase(new LogicShimTestCase);
    }
};

static LogicShimTestSuite g_logicShimTestSuite; //!< registers the suite

} // namespace gossip_test
} // namespace ns3
