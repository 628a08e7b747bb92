/*
 * SPDX-License-Identifier: GPL-2.0-only
 */
#ifndef GOSSIP_LOGIC_TEST_H
#define GOSSIP_LOGIC_TEST_H

/*
 * The module's logic tests are written in GoogleTest's syntax (TEST, EXPECT_*, ASSERT_*).
 *
 * - With GOSSIP_WITH_GOOGLETEST defined (the standalone gossip-gtest binary, and the in-tree one
 *   when GoogleTest is installed) they are GoogleTest tests.
 * - Otherwise (the ns-3 test library, so that ./test.py runs them, with or without GoogleTest)
 *   each TEST becomes an ns-3 TestCase of the suite "gossip-logic", and the macros below report
 *   through TestCase::ReportTestFailure. Only the part of GoogleTest the tests use is provided;
 *   anything else fails to compile rather than passing silently.
 */
#ifdef GOSSIP_WITH_GOOGLETEST
#include <gtest/gtest.h>
#else

// Comparisons inside these templates mix signed and unsigned types as GoogleTest's do; the
// warnings would turn into errors in ns-3's debug profile.
#pragma GCC system_header

#include "ns3/test.h"

#include <cmath>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <limits>
#include <regex>
#include <sstream>
#include <string>
#include <sys/wait.h>
#include <type_traits>
#include <unistd.h>
#include <utility>

namespace ns3
{
namespace gossip_test
{

/// Streams a value if it can be streamed (GoogleTest prints what it can, too).
template <typename T, typename = void>
struct Printable : std::false_type
{
};

template <typename T>
struct Printable<T,
                 std::void_t<decltype(std::declval<std::ostream&>() << std::declval<const T&>())>>
    : std::true_type
{
};

template <typename T>
std::string
Show(const T& v)
{
    if constexpr (std::is_same_v<T, std::nullptr_t>)
    {
        return "nullptr";
    }
    else if constexpr (std::is_same_v<T, bool>)
    {
        return v ? "true" : "false";
    }
    else if constexpr (std::is_same_v<T, uint8_t> || std::is_same_v<T, int8_t>)
    {
        return std::to_string(int(v));
    }
    else if constexpr (std::is_enum_v<T>)
    {
        return std::to_string(static_cast<long long>(v));
    }
    else if constexpr (Printable<T>::value)
    {
        std::ostringstream os;
        os.precision(17);
        os << v;
        return os.str();
    }
    else
    {
        return "(a value that cannot be printed)";
    }
}

/// The outcome of one check: success, or the text of the failure.
struct Outcome
{
    bool ok;
    std::string what;

    explicit operator bool() const
    {
        return ok;
    }
};

// The comparisons, spelled here (a system header) so that mixing signed and unsigned operands
// warns no more than GoogleTest does.
#define GOSSIP_LOGIC_OP_(Name, op)                                                                 \
    struct Name                                                                                    \
    {                                                                                              \
        template <typename A, typename B>                                                          \
        bool operator()(const A& a, const B& b) const                                              \
        {                                                                                          \
            return a op b;                                                                         \
        }                                                                                          \
    };
GOSSIP_LOGIC_OP_(Eq, ==)
GOSSIP_LOGIC_OP_(Ne, !=)
GOSSIP_LOGIC_OP_(Lt, <)
GOSSIP_LOGIC_OP_(Le, <=)
GOSSIP_LOGIC_OP_(Gt, >)
GOSSIP_LOGIC_OP_(Ge, >=)
#undef GOSSIP_LOGIC_OP_

template <typename A, typename B, typename Cmp>
Outcome
Compare(const A& a, const B& b, const char* ea, const char* eb, const char* op, Cmp cmp)
{
    if (cmp(a, b))
    {
        return {true, {}};
    }
    return {false,
            std::string("expected ") + ea + " " + op + " " + eb + ", got " + Show(a) + " vs " +
                Show(b)};
}

/// GoogleTest's DOUBLE_EQ: equal within 4 units in the last place.
inline bool
AlmostEqual(double a, double b)
{
    if (std::isnan(a) || std::isnan(b))
    {
        return false;
    }
    if (a == b)
    {
        return true;
    }
    auto key = [](double x) {
        int64_t i;
        std::memcpy(&i, &x, sizeof i);
        return i < 0 ? std::numeric_limits<int64_t>::min() - i : i;
    };
    int64_t ka = key(a);
    int64_t kb = key(b);
    uint64_t ulps = ka > kb ? uint64_t(ka) - uint64_t(kb) : uint64_t(kb) - uint64_t(ka);
    return ulps <= 4;
}

struct DoubleEq
{
    bool operator()(double a, double b) const
    {
        return AlmostEqual(a, b);
    }
};

inline Outcome
Near(double a, double b, double tol, const char* ea, const char* eb, const char* et)
{
    if (std::fabs(a - b) <= tol)
    {
        return {true, {}};
    }
    return {false,
            std::string("expected |") + ea + " - " + eb + "| <= " + et + ", got " + Show(a) +
                " vs " + Show(b) + " (difference " + Show(std::fabs(a - b)) + ")"};
}

inline Outcome
Truth(bool value, bool expected, const char* expr)
{
    if (value == expected)
    {
        return {true, {}};
    }
    return {false, std::string("expected ") + expr + " to be " + (expected ? "true" : "false")};
}

/// The streamed message of a failed check (EXPECT_EQ(a, b) << "context").
class Message
{
  public:
    template <typename T>
    Message& operator<<(const T& v)
    {
        m_text += Show(v);
        return *this;
    }

    const std::string& Text() const
    {
        return m_text;
    }

  private:
    std::string m_text;
};

/// Where the failures of a running logic test go (a TestCase, or the shim's own self-test).
class FailureSink
{
  public:
    virtual ~FailureSink() = default;
    virtual void Fail(const std::string& what,
                      const std::string& message,
                      const char* file,
                      int line) = 0;
};

/// The sink of the logic test that is running (checks may sit in helper functions, as in
/// GoogleTest, so they cannot report through `this`).
inline FailureSink*&
CurrentSink()
{
    static FailureSink* sink = nullptr;
    return sink;
}

/// Reports one failure when a Message is assigned to it (as GoogleTest's AssertHelper does).
class Reporter
{
  public:
    Reporter(const char* file, int line, std::string what)
        : m_sink(CurrentSink()),
          m_file(file),
          m_line(line),
          m_what(std::move(what))
    {
    }

    void operator=(const Message& m) const
    {
        if (m_sink == nullptr)
        {
            std::fprintf(stderr,
                         "%s:%d: a logic check failed outside a test: %s\n",
                         m_file,
                         m_line,
                         m_what.c_str());
            std::abort();
        }
        m_sink->Fail(m_what, m.Text(), m_file, m_line);
    }

  private:
    FailureSink* m_sink;
    const char* m_file;
    int m_line;
    std::string m_what;
};

/// The body of one TEST(suite, name), run as an ns-3 TestCase.
class LogicTestCase : public TestCase, public FailureSink
{
  public:
    explicit LogicTestCase(std::string name)
        : TestCase(std::move(name))
    {
    }

    void Fail(const std::string& what,
              const std::string& message,
              const char* file,
              int line) override
    {
        ReportTestFailure(what, "", "", message, file, line);
    }

    /// The test's statements (TEST's body).
    virtual void Body() = 0;

  private:
    void DoRun() override
    {
        CurrentSink() = this;
        Body();
        CurrentSink() = nullptr;
    }
};

/// The ns-3 suite every TEST joins; created on first use, so registration order does not matter.
class LogicSuite : public TestSuite
{
  public:
    static LogicSuite& Get()
    {
        static LogicSuite suite;
        return suite;
    }

    void Add(TestCase* test)
    {
        AddTestCase(test);
    }

  private:
    LogicSuite()
        : TestSuite("gossip-logic")
    {
    }
};

/// Adds one TEST to the suite (a static instance per TEST).
template <typename T>
struct Registrar
{
    Registrar()
    {
        LogicSuite::Get().Add(new T);
    }
};

/// testing::internal::CaptureStderr / GetCapturedStderr.
class StderrCapture
{
  public:
    static StderrCapture& Get()
    {
        static StderrCapture c;
        return c;
    }

    void Start()
    {
        std::fflush(stderr);
        m_file = std::tmpfile();
        m_saved = dup(fileno(stderr));
        dup2(fileno(m_file), fileno(stderr));
    }

    std::string Stop()
    {
        std::fflush(stderr);
        dup2(m_saved, fileno(stderr));
        close(m_saved);
        std::string text;
        std::rewind(m_file);
        char buf[4096];
        size_t n;
        while ((n = std::fread(buf, 1, sizeof buf, m_file)) > 0)
        {
            text.append(buf, n);
        }
        std::fclose(m_file);
        m_file = nullptr;
        return text;
    }

  private:
    std::FILE* m_file{nullptr};
    int m_saved{-1};
};

/// EXPECT_DEATH: runs the statement in a child process; it must end abnormally (a signal or a
/// non-zero exit) and its stderr must contain a match for the regular expression.
template <typename F>
Outcome
Dies(F statement, const char* pattern, const char* expr)
{
    int fds[2];
    if (pipe(fds) != 0)
    {
        return {false, "EXPECT_DEATH: pipe() failed"};
    }
    std::fflush(nullptr);
    pid_t pid = fork();
    if (pid == 0)
    {
        close(fds[0]);
        dup2(fds[1], fileno(stderr));
        // A statement that calls exit() would otherwise run the static destructors of ns-3's
        // test suites while the runner is active (an assertion in ns-3's debug builds); this
        // handler runs first and leaves with the same status (glibc's on_exit knows it; elsewhere
        // the death tests' statements exit with 1, the options' error status).
#if defined(__GLIBC__)
        on_exit(
            [](int status, void*) {
                std::fflush(nullptr);
                _exit(status);
            },
            nullptr);
#else
        std::atexit([]() {
            std::fflush(nullptr);
            _exit(1);
        });
#endif
        statement();
        std::fflush(nullptr);
        _exit(0);
    }
    close(fds[1]);
    std::string err;
    char buf[4096];
    ssize_t n;
    while ((n = read(fds[0], buf, sizeof buf)) > 0)
    {
        err.append(buf, size_t(n));
    }
    close(fds[0]);
    int status = 0;
    waitpid(pid, &status, 0);
    bool died = !(WIFEXITED(status) && WEXITSTATUS(status) == 0);
    if (!died)
    {
        return {false, std::string("expected ") + expr + " to die, but it returned"};
    }
    if (!std::regex_search(err, std::regex(pattern)))
    {
        return {false,
                std::string("expected ") + expr + " to die with \"" + pattern +
                    "\" on stderr, got: " + err};
    }
    return {true, {}};
}

} // namespace gossip_test
} // namespace ns3

namespace testing
{
namespace internal
{
inline void
CaptureStderr()
{
    ns3::gossip_test::StderrCapture::Get().Start();
}

inline std::string
GetCapturedStderr()
{
    return ns3::gossip_test::StderrCapture::Get().Stop();
}
} // namespace internal
} // namespace testing

#define GOSSIP_LOGIC_CLASS_(suite, name) suite##_##name##_LogicTest

#define TEST(suite, name)                                                                          \
    class GOSSIP_LOGIC_CLASS_(suite, name)                                                         \
        : public ::ns3::gossip_test::LogicTestCase                                                 \
    {                                                                                              \
      public:                                                                                      \
        GOSSIP_LOGIC_CLASS_(suite, name)                                                           \
        ()                                                                                         \
            : LogicTestCase(#suite "." #name)                                                      \
        {                                                                                          \
        }                                                                                          \
        void Body() override;                                                                      \
    };                                                                                             \
    static ::ns3::gossip_test::Registrar<GOSSIP_LOGIC_CLASS_(suite, name)>                         \
        suite##_##name##_registrar;                                                                \
    void GOSSIP_LOGIC_CLASS_(suite, name)::Body()

// `on_failure` is empty for EXPECT_* and `return` for ASSERT_*; the switch keeps a following
// `else` from binding to the hidden `if`, as in GoogleTest.
#define GOSSIP_CHECK_(outcome, on_failure)                                                         \
    switch (0)                                                                                     \
    case 0:                                                                                        \
    default:                                                                                       \
        if (const ::ns3::gossip_test::Outcome gossip_outcome_ = (outcome))                         \
            ;                                                                                      \
        else                                                                                       \
            on_failure ::ns3::gossip_test::Reporter(__FILE__, __LINE__, gossip_outcome_.what) =    \
                ::ns3::gossip_test::Message()

#define GOSSIP_CMP_(a, b, Op, text, on_failure)                                                    \
    GOSSIP_CHECK_(::ns3::gossip_test::Compare((a), (b), #a, #b, text, ::ns3::gossip_test::Op()),   \
                  on_failure)

#define EXPECT_EQ(a, b) GOSSIP_CMP_(a, b, Eq, "==", )
#define EXPECT_NE(a, b) GOSSIP_CMP_(a, b, Ne, "!=", )
#define EXPECT_LT(a, b) GOSSIP_CMP_(a, b, Lt, "<", )
#define EXPECT_LE(a, b) GOSSIP_CMP_(a, b, Le, "<=", )
#define EXPECT_GT(a, b) GOSSIP_CMP_(a, b, Gt, ">", )
#define EXPECT_GE(a, b) GOSSIP_CMP_(a, b, Ge, ">=", )
#define ASSERT_EQ(a, b) GOSSIP_CMP_(a, b, Eq, "==", return )
#define ASSERT_NE(a, b) GOSSIP_CMP_(a, b, Ne, "!=", return )
#define ASSERT_LT(a, b) GOSSIP_CMP_(a, b, Lt, "<", return )
#define ASSERT_LE(a, b) GOSSIP_CMP_(a, b, Le, "<=", return )
#define ASSERT_GT(a, b) GOSSIP_CMP_(a, b, Gt, ">", return )
#define ASSERT_GE(a, b) GOSSIP_CMP_(a, b, Ge, ">=", return )

#define EXPECT_TRUE(c) GOSSIP_CHECK_(::ns3::gossip_test::Truth(bool(c), true, #c), )
#define EXPECT_FALSE(c) GOSSIP_CHECK_(::ns3::gossip_test::Truth(bool(c), false, #c), )
#define ASSERT_TRUE(c) GOSSIP_CHECK_(::ns3::gossip_test::Truth(bool(c), true, #c), return )
#define ASSERT_FALSE(c) GOSSIP_CHECK_(::ns3::gossip_test::Truth(bool(c), false, #c), return )

#define GOSSIP_DOUBLE_EQ_(a, b, on_failure)                                                        \
    GOSSIP_CHECK_(::ns3::gossip_test::Compare(double(a),                                           \
                                              double(b),                                           \
                                              #a,                                                  \
                                              #b,                                                  \
                                              "~=",                                                \
                                              ::ns3::gossip_test::DoubleEq()),                     \
                  on_failure)
#define EXPECT_DOUBLE_EQ(a, b) GOSSIP_DOUBLE_EQ_(a, b, )
#define ASSERT_DOUBLE_EQ(a, b) GOSSIP_DOUBLE_EQ_(a, b, return )

#define EXPECT_NEAR(a, b, tol)                                                                     \
    GOSSIP_CHECK_(::ns3::gossip_test::Near(double(a), double(b), double(tol), #a, #b, #tol), )
#define ASSERT_NEAR(a, b, tol)                                                                     \
    GOSSIP_CHECK_(::ns3::gossip_test::Near(double(a), double(b), double(tol), #a, #b, #tol),       \
                  return )

#define EXPECT_DEATH(statement, pattern)                                                           \
    GOSSIP_CHECK_(::ns3::gossip_test::Dies([&]() { statement; }, pattern, #statement), )

#endif // GOSSIP_WITH_GOOGLETEST

#endif // GOSSIP_LOGIC_TEST_H
