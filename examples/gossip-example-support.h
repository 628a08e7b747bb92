/*
 * SPDX-License-Identifier: GPL-2.0-only
 */
#ifndef GOSSIP_EXAMPLE_SUPPORT_H
#define GOSSIP_EXAMPLE_SUPPORT_H

/*
 * What the module's examples share, and what a simulation script of its own may copy: checked
 * command-line values (one message style, exit code 1), comma-separated lists, CSV files with a
 * fixed number format, Gnuplot plots rendered to PNG, and the CSV/plot writers for the
 * statistics classes (the library's statistics compute; they do not write files).
 */

#include "ns3/abort.h"
#include "ns3/astrolabe-helper.h"
#include "ns3/astrolabe-path.h"
#include "ns3/command-line.h"
#include "ns3/datacenter-topology-helper.h"
#include "ns3/gnuplot.h"
#include "ns3/gossip-delivery-stats.h"
#include "ns3/gossip-drop-counter.h"
#include "ns3/gossip-mpi.h"
#include "ns3/gossip-ns3-compat.h"
#include "ns3/ipv4-address.h"
#include "ns3/node-container.h"
#include "ns3/nstime.h"
#include "ns3/point-to-point-helper.h"
#include "ns3/point-to-point-net-device.h"
#include "ns3/wan-topology-helper.h"

#include <algorithm>
#include <cerrno>
#include <chrono>
#include <cmath>
#include <cstdlib>
#include <fstream>
#include <functional>
#include <initializer_list>
#include <iomanip>
#include <iostream>
#include <limits>
#include <memory>
#include <regex>
#include <sstream>
#include <string>
#include <type_traits>
#include <unistd.h>
#include <utility>
#include <vector>

namespace ns3
{

/// Seconds of a steady wall clock, for the benchmarks' and the long runs' timings.
inline double
GossipWallSeconds()
{
    using namespace std::chrono;
    return duration<double>(steady_clock::now().time_since_epoch()).count();
}

/// The value of a "VmHWM:"-style line of /proc/self/status, in kB (0 where there is none).
inline uint64_t
GossipProcStatusKb(const std::string& key)
{
    std::ifstream in("/proc/self/status");
    std::string line;
    while (std::getline(in, line))
    {
        if (line.compare(0, key.size(), key) == 0)
        {
            return std::stoull(line.substr(key.size() + 1));
        }
    }
    return 0;
}

/**
 * \ingroup gossip
 * \brief A CSV file with a header row; numbers are written with fixed precision so that the
 * same --RngRun gives byte-identical files.
 */
class GossipCsvWriter
{
  public:
    GossipCsvWriter() = default;
    /// Open path and write the header. Aborts with a message naming the path if it fails.
    GossipCsvWriter(const std::string& path, std::initializer_list<std::string> columns);
    GossipCsvWriter(const std::string& path, const std::vector<std::string>& columns);
    void Open(const std::string& path, const std::vector<std::string>& columns);

    /// Append one row; each value is streamed, doubles with 6 decimals.
    template <typename... Ts>
    void Row(const Ts&... values)
    {
        std::ostringstream os;
        os.setf(std::ios::fixed);
        os.precision(6);
        bool first = true;
        ((os << (first ? "" : ",") << values, first = false), ...);
        m_out << os.str() << '\n';
        ++m_rows;
    }

    const std::string& GetPath() const;
    uint64_t GetRows() const;

  private:
    std::ofstream m_out;
    std::string m_path;
    uint64_t m_rows{0};
};

/**
 * \ingroup gossip
 * \brief Writes ns-3 Gnuplot plots as a .plt script and, when gnuplot is installed, renders
 * them to PNG.
 */
class GossipPlotHelper
{
  public:
    /**
     * Write prefix.plt for the plot (PNG terminal, output prefix.png) and run gnuplot on it if
     * it is on the PATH.
     * \return true if prefix.png was produced.
     */
    static bool Write(const std::string& prefix, Gnuplot& plot);
    /// \return true if a gnuplot executable is on the PATH.
    static bool GnuplotAvailable();
};

/**
 * \ingroup gossip
 * \brief Checks of the examples' command-line values, before anything runs: a bad value gets
 * "error: --name=value is invalid: allowed ..." instead of an abort deep in an attribute
 * checker (or after a long simulation, for an output directory that does not exist).
 */
class GossipArgCheck
{
  public:
    /// \return ok; if not, print the message for --name=value.
    template <typename T>
    static bool Ok(bool ok, const std::string& name, const T& value, const std::string& allowed)
    {
        if (!ok)
        {
            std::cerr << "error: --" << name << "=" << value << " is invalid: allowed " << allowed
                      << std::endl;
        }
        return ok;
    }

    /// \return whether min <= value <= max; if not, print the message with the range.
    static bool InRange(const std::string& name, Time value, Time min, Time max);
    /// \return whether the directory of prefix exists and is writable; if not, print why.
    static bool OutputPrefix(const std::string& prefix);
};

inline GossipCsvWriter::GossipCsvWriter(const std::string& path,
                                        std::initializer_list<std::string> columns)
{
    Open(path, std::vector<std::string>(columns));
}

inline GossipCsvWriter::GossipCsvWriter(const std::string& path,
                                        const std::vector<std::string>& columns)
{
    Open(path, columns);
}

inline void
GossipCsvWriter::Open(const std::string& path, const std::vector<std::string>& columns)
{
    m_path = path;
    if (!gossip::mpi::IsPrinter())
    {
        return; // under MPI only rank 0 writes; rows go nowhere here
    }
    m_out.open(path, std::ios::out | std::ios::trunc);
    NS_ABORT_MSG_IF(!m_out.is_open(), "cannot write CSV file '" << path << "'");
    for (size_t i = 0; i < columns.size(); ++i)
    {
        m_out << (i ? "," : "") << columns[i];
    }
    m_out << '\n';
}

inline const std::string&
GossipCsvWriter::GetPath() const
{
    return m_path;
}

inline uint64_t
GossipCsvWriter::GetRows() const
{
    return m_rows;
}

inline bool
GossipPlotHelper::GnuplotAvailable()
{
    return std::system("command -v gnuplot >/dev/null 2>&1") == 0;
}

inline bool
GossipPlotHelper::Write(const std::string& prefix, Gnuplot& plot)
{
    if (!gossip::mpi::IsPrinter())
    {
        return false; // under MPI only rank 0 writes
    }
    plot.SetTerminal("png size 1000,650 font \",11\"");
    plot.SetOutputFilename(prefix + ".png");
    std::string script = prefix + ".plt";
    {
        std::ofstream out(script);
        NS_ABORT_MSG_IF(!out.is_open(), "cannot write plot script '" << script << "'");
        plot.GenerateOutput(out);
    }
    if (!GnuplotAvailable())
    {
        std::clog << "gnuplot not found: wrote " << script << " only\n";
        return false;
    }
    std::string cmd = "gnuplot '" + script + "' >/dev/null 2>&1";
    return std::system(cmd.c_str()) == 0;
}

/// Where progress and notes go: stderr, on rank 0 only under MPI (the other ranks' would repeat
/// it).
inline std::ostream&
GossipProgress()
{
    static std::ostream nowhere(nullptr);
    return gossip::mpi::IsPrinter() ? std::cerr : nowhere;
}

namespace support_detail
{
/// A time as a user would type it on the command line: 4000s, 1ms, 10us (not +1.11111h).
inline std::string
Typed(Time t)
{
    int64_t ns = t.GetNanoSeconds();
    int64_t a = ns < 0 ? -ns : ns;
    std::ostringstream os;
    if (a == 0 || a >= 1000000000)
    {
        os << ns / 1e9 << "s";
    }
    else if (a >= 1000000)
    {
        os << ns / 1e6 << "ms";
    }
    else if (a >= 1000)
    {
        os << ns / 1e3 << "us";
    }
    else
    {
        os << ns << "ns";
    }
    return os.str();
}
} // namespace support_detail

/// \ingroup gossip
/// A time as a user would type it on the command line: 4000s, 25ms, 10us (not +25ms).
inline std::string
GossipTimeText(Time t)
{
    return support_detail::Typed(t);
}

inline bool
GossipArgCheck::InRange(const std::string& name, Time value, Time min, Time max)
{
    return Ok(value >= min && value <= max,
              name,
              support_detail::Typed(value),
              support_detail::Typed(min) + " .. " + support_detail::Typed(max));
}

inline bool
GossipArgCheck::OutputPrefix(const std::string& prefix)
{
    std::string dir = ".";
    size_t slash = prefix.rfind('/');
    if (slash != std::string::npos)
    {
        dir = slash == 0 ? "/" : prefix.substr(0, slash);
    }
    return Ok(!prefix.empty() && prefix.back() != '/' && access(dir.c_str(), W_OK | X_OK) == 0,
              "prefix",
              prefix,
              "a file name prefix in an existing, writable directory");
}

/**
 * \ingroup gossip
 * Write pcap traces (prefix-<node>-<device>.pcap) of the point-to-point devices of a few hosts:
 * the first, one in the middle and the last. Open them with utils/wireshark/gossip.lua:
 * `tshark -X lua_script:utils/wireshark/gossip.lua -r prefix-2-0.pcap -V`.
 * \return the node ids traced
 */
inline std::vector<uint32_t>
GossipEnablePcap(const std::string& prefix, const NodeContainer& hosts)
{
    std::vector<uint32_t> picked;
    if (hosts.GetN() == 0)
    {
        return picked;
    }
    std::vector<uint32_t> idx{0, hosts.GetN() / 2, hosts.GetN() - 1};
    idx.erase(std::unique(idx.begin(), idx.end()), idx.end());
    PointToPointHelper p2p;
    for (uint32_t i : idx)
    {
        Ptr<Node> node = hosts.Get(i);
        for (uint32_t d = 0; d < node->GetNDevices(); ++d)
        {
            if (DynamicCast<PointToPointNetDevice>(node->GetDevice(d)))
            {
                p2p.EnablePcap(prefix, node->GetDevice(d), false);
            }
        }
        picked.push_back(node->GetId());
    }
    return picked;
}

/**
 * \ingroup gossip
 * \brief An example's command line, every option checked before the simulation starts.
 *
 * Options are declared with their allowed values; Parse() reads them through ns-3's CommandLine
 * (so --help, --PrintHelp and the general arguments work as usual) and then checks each one.
 * A value that does not parse, is out of range or is empty prints exactly one line,
 * "error: --name=value is invalid: allowed ...", and exits with code 1, before anything else
 * happens. Numbers are read whole ("3x", "-1" for an unsigned option, "nan" are refused), so a
 * negative value never wraps around into a large one.
 */
class GossipOptions
{
  public:
    /// file: __FILE__ (as for CommandLine); usage: the example's one-paragraph description.
    GossipOptions(const std::string& file, const std::string& usage)
        : m_cmd(file)
    {
        m_cmd.Usage(usage);
    }

    /// An integer or floating-point option within [lo, hi].
    template <typename T>
    void Add(const std::string& name, const std::string& help, T& value, T lo, T hi)
    {
        static_assert(std::is_arithmetic_v<T> && !std::is_same_v<T, bool>, "a number");
        std::ostringstream allowed;
        allowed << (std::is_integral_v<T> ? "an integer " : "a number ") << +lo << ".." << +hi;
        T* target = &value;
        Register(name, help, Show(value), allowed.str(), [target, lo, hi](const std::string& text) {
            T v{};
            if (!ParseNumber(text, v) || v < lo || v > hi)
            {
                return false;
            }
            *target = v;
            return true;
        });
    }

    /// A yes/no option: --name, --name=true|false|1|0.
    void Add(const std::string& name, const std::string& help, bool& value)
    {
        bool* target = &value;
        Register(name,
                 help,
                 value ? "true" : "false",
                 "true or false",
                 [target](const std::string& text) {
                     std::string t = text;
                     std::transform(t.begin(), t.end(), t.begin(), [](unsigned char c) {
                         return char(std::tolower(c));
                     });
                     if (t.empty() || t == "true" || t == "1")
                     {
                         *target = true;
                         return true;
                     }
                     if (t == "false" || t == "0")
                     {
                         *target = false;
                         return true;
                     }
                     return false;
                 });
    }

    /// A duration within [lo, hi], written as ns-3 writes times: 5s, 100ms, 10us.
    void Add(const std::string& name, const std::string& help, Time& value, Time lo, Time hi)
    {
        Time* target = &value;
        Register(
            name,
            help,
            support_detail::Typed(value),
            "a time " + support_detail::Typed(lo) + " .. " + support_detail::Typed(hi) +
                " (e.g. 5s, 100ms)",
            [target, lo, hi](const std::string& text) {
                static const std::regex time(
                    R"(^[+]?([0-9]+\.?[0-9]*|\.[0-9]+)([eE][+-]?[0-9]+)?(s|ms|us|ns|min|h)?$)");
                std::smatch m;
                if (!std::regex_match(text, m, time))
                {
                    return false;
                }
                // Far beyond hi (or beyond what a Time holds, about 292 years) before Time
                // converts it: a value that overflowed could wrap into the range.
                const std::string unit = m[3].str();
                const double scale = unit == "h"     ? 3600
                                     : unit == "min" ? 60
                                     : unit == "ms"  ? 1e-3
                                     : unit == "us"  ? 1e-6
                                     : unit == "ns"  ? 1e-9
                                                     : 1;
                const double seconds = std::strtod(text.c_str(), nullptr) * scale;
                if (!std::isfinite(seconds) || seconds > 2 * hi.GetSeconds() + 1)
                {
                    return false;
                }
                Time t(text);
                if (t < lo || t > hi)
                {
                    return false;
                }
                *target = t;
                return true;
            });
    }

    /// A word from a fixed set.
    void AddChoice(const std::string& name,
                   const std::string& help,
                   std::string& value,
                   const std::vector<std::string>& choices)
    {
        std::string allowed = "one of";
        for (size_t i = 0; i < choices.size(); ++i)
        {
            allowed += (i ? ", " : " ") + choices[i];
        }
        std::string* target = &value;
        Register(name, help, value, allowed, [target, choices](const std::string& text) {
            if (std::find(choices.begin(), choices.end(), text) == choices.end())
            {
                return false;
            }
            *target = text;
            return true;
        });
    }

    /// An IPv4 address (optionally required to be multicast).
    void Add(const std::string& name,
             const std::string& help,
             Ipv4Address& value,
             bool multicast = false)
    {
        std::ostringstream def;
        def << value;
        Ipv4Address* target = &value;
        Register(name,
                 help,
                 def.str(),
                 multicast ? "an IPv4 multicast address (224.0.0.0/4)" : "an IPv4 address",
                 [target, multicast](const std::string& text) {
                     static const std::regex dotted(
                         R"(^([0-9]{1,3})\.([0-9]{1,3})\.([0-9]{1,3})\.([0-9]{1,3})$)");
                     std::smatch m;
                     if (!std::regex_match(text, m, dotted))
                     {
                         return false;
                     }
                     for (int i = 1; i <= 4; ++i)
                     {
                         if (std::stoi(m[i].str()) > 255)
                         {
                             return false;
                         }
                     }
                     Ipv4Address a(text.c_str());
                     if (multicast && !a.IsMulticast())
                     {
                         return false;
                     }
                     *target = a;
                     return true;
                 });
    }

    /// A comma-separated list of numbers, each within [lo, hi] (at least one).
    template <typename T>
    void AddList(const std::string& name,
                 const std::string& help,
                 std::vector<T>& values,
                 T lo,
                 T hi)
    {
        std::ostringstream def;
        for (size_t i = 0; i < values.size(); ++i)
        {
            def << (i ? "," : "") << +values[i];
        }
        std::ostringstream allowed;
        allowed << (std::is_integral_v<T> ? "integers " : "numbers ") << +lo << ".." << +hi
                << ", separated by commas";
        std::vector<T>* target = &values;
        Register(name, help, def.str(), allowed.str(), [target, lo, hi](const std::string& text) {
            std::vector<T> out;
            size_t start = 0;
            while (true)
            {
                size_t comma = text.find(',', start);
                T v{};
                if (!ParseNumber(
                        text.substr(start, comma == std::string::npos ? comma : comma - start),
                        v) ||
                    v < lo || v > hi)
                {
                    return false;
                }
                out.push_back(v);
                if (comma == std::string::npos)
                {
                    break;
                }
                start = comma + 1;
            }
            *target = out;
            return true;
        });
    }

    /// --prefix: output files go to <prefix>.csv, ... in an existing, writable directory.
    void AddPrefix(std::string& prefix, const std::string& help = "output file prefix")
    {
        std::string* target = &prefix;
        Register("prefix",
                 help,
                 prefix,
                 "a file name prefix in an existing, writable directory",
                 [target](const std::string& text) {
                     if (!PrefixUsable(text))
                     {
                         return false;
                     }
                     *target = text;
                     return true;
                 });
        m_prefix = &prefix;
    }

    /// --mpi and --nullmsg: run on ns-3's distributed simulator (doc: "Distributed runs").
    void AddMpi(bool& mpi, bool& nullMessage)
    {
        Add("mpi",
            "run on ns-3's distributed (MPI) simulator, under mpiexec -np N; needs an ns-3 "
            "built with --enable-mpi",
            mpi);
        Add("nullmsg",
            "with --mpi: the null-message engine instead of the granted time window",
            nullMessage);
    }

    /**
     * After Parse(), before anything touches the simulator: start MPI if --mpi. Exits with code
     * 1 and a one-line message when this ns-3 cannot, or for --nullmsg without --mpi.
     */
    static void StartMpi(int* argc, char*** argv, bool mpi, bool nullMessage)
    {
        if (!mpi)
        {
            Require(!nullMessage, "nullmsg", "true", "only with --mpi");
            return;
        }
        std::string why = gossip::mpi::WhyUnavailable();
        Require(why.empty(), "mpi", "true", "false only: " + why);
        gossip::mpi::Enable(argc, argv, nullMessage);
        if (!gossip::mpi::IsPrinter())
        {
            std::cout.setstate(std::ios::badbit); // only rank 0 prints results
        }
    }

    /// Read and check the command line; exits with code 1 on the first invalid option.
    void Parse(int argc, char** argv)
    {
        m_cmd.Parse(argc, argv);
        for (const auto& o : m_options)
        {
            if (o->given && !o->check(o->text))
            {
                Fail(o->name, o->text, o->allowed);
            }
        }
        if (m_prefix && !PrefixUsable(*m_prefix))
        {
            Fail("prefix", *m_prefix, "a file name prefix in an existing, writable directory");
        }
    }

    /// A check across options (e.g. a size that must be a multiple of 25): exits with code 1
    /// and the same one-line message if ok is false.
    template <typename T>
    static void Require(bool ok,
                        const std::string& name,
                        const T& value,
                        const std::string& allowed)
    {
        if (!ok)
        {
            std::ostringstream v;
            v << value;
            Fail(name, v.str(), allowed);
        }
    }

  private:
    struct Option
    {
        std::string name;
        std::string allowed;
        std::function<bool(const std::string&)> check;
        std::string text;
        bool given{false};
    };

    template <typename T>
    static std::string Show(const T& v)
    {
        std::ostringstream os;
        os << +v;
        return os.str();
    }

    template <typename T>
    static bool ParseNumber(const std::string& text, T& out)
    {
        if (text.empty() || text.find_first_of(" \t\n") != std::string::npos)
        {
            return false;
        }
        char* end = nullptr;
        errno = 0;
        if constexpr (std::is_integral_v<T>)
        {
            if (std::is_unsigned_v<T> && text[0] == '-')
            {
                return false;
            }
            long long v = std::strtoll(text.c_str(), &end, 10);
            if (*end != '\0' || errno != 0 ||
                v < static_cast<long long>(std::numeric_limits<T>::lowest()) ||
                static_cast<unsigned long long>(v) >
                    static_cast<unsigned long long>(std::numeric_limits<T>::max()))
            {
                return false;
            }
            out = static_cast<T>(v);
        }
        else
        {
            double v = std::strtod(text.c_str(), &end);
            if (*end != '\0' || errno != 0 || !std::isfinite(v))
            {
                return false;
            }
            out = static_cast<T>(v);
        }
        return true;
    }

    static bool PrefixUsable(const std::string& prefix)
    {
        std::string dir = ".";
        size_t slash = prefix.rfind('/');
        if (slash != std::string::npos)
        {
            dir = slash == 0 ? "/" : prefix.substr(0, slash);
        }
        return !prefix.empty() && prefix.back() != '/' && access(dir.c_str(), W_OK | X_OK) == 0;
    }

    [[noreturn]] static void Fail(const std::string& name,
                                  const std::string& value,
                                  const std::string& allowed)
    {
        std::cerr << "error: --" << name << "=" << value << " is invalid: allowed " << allowed
                  << std::endl;
        std::exit(1);
    }

    void Register(const std::string& name,
                  const std::string& help,
                  const std::string& shownDefault,
                  const std::string& allowed,
                  std::function<bool(const std::string&)> check)
    {
        auto o = std::make_shared<Option>();
        o->name = name;
        o->allowed = allowed;
        o->check = std::move(check);
        m_options.push_back(o);
        // The raw text is kept and checked after parsing: ns-3's own parsers would wrap "-3"
        // into a huge unsigned value, or print the whole help for "abc".
        Option* raw = o.get();
        m_cmd.AddValue(name, help, MakeBoundCallback(&GossipOptions::Capture, raw), shownDefault);
    }

    static bool Capture(Option* o, gossip::compat::CommandLineArg text)
    {
        o->text = text;
        o->given = true;
        return true;
    }

    CommandLine m_cmd;
    std::vector<std::shared_ptr<Option>> m_options;
    std::string* m_prefix{nullptr};
};

/**
 * \ingroup gossip
 * Parse a comma-separated list of numbers, each in [lo, hi]. A malformed item, a number out of
 * range, an empty item (as in "1,,2" or "1,2,") or an empty list prints one line,
 * "error: --name=value is invalid: allowed ...", and returns false.
 */
template <typename T>
bool
GossipParseList(const std::string& name, const std::string& text, T lo, T hi, std::vector<T>& out)
{
    static_assert(std::is_arithmetic_v<T>, "a list of numbers");
    out.clear();
    std::ostringstream allowed;
    allowed << (std::is_integral_v<T> ? "integers " : "numbers ") << lo << ".." << hi
            << ", separated by commas";
    size_t start = 0;
    while (true)
    {
        size_t comma = text.find(',', start);
        std::string item =
            text.substr(start, comma == std::string::npos ? std::string::npos : comma - start);
        char* end = nullptr;
        errno = 0;
        T v{};
        bool ok = !item.empty() && item.find_first_of(" \t") == std::string::npos;
        if (ok && std::is_integral_v<T>)
        {
            long long x = std::strtoll(item.c_str(), &end, 10);
            ok = *end == '\0' && errno == 0 && x >= static_cast<long long>(lo) &&
                 x <= static_cast<long long>(hi);
            v = static_cast<T>(x);
        }
        else if (ok)
        {
            double x = std::strtod(item.c_str(), &end);
            ok = *end == '\0' && errno == 0 && std::isfinite(x) && x >= double(lo) &&
                 x <= double(hi);
            v = static_cast<T>(x);
        }
        if (!ok)
        {
            return GossipArgCheck::Ok(false,
                                      name,
                                      text,
                                      allowed.str() + " ('" + item + "' is not one)");
        }
        out.push_back(v);
        if (comma == std::string::npos)
        {
            return true;
        }
        start = comma + 1;
    }
}

/**
 * \ingroup gossip
 * The shape of a fabric of about n hosts with a bounded switch degree, as the examples that take
 * a host count build it: racks of up to rackSize (40) hosts, one pod of up to 64 racks, or
 * pods of 50 racks. n = 1 .. 512,000 fits the address plan (at most 256 pods).
 */
inline void
GossipFabricShape(uint32_t n,
                  uint32_t& hostsPerRack,
                  uint32_t& racks,
                  uint32_t& pods,
                  uint32_t rackSize = 40)
{
    hostsPerRack = std::min<uint32_t>(rackSize, n);
    uint32_t total = (n + hostsPerRack - 1) / hostsPerRack;
    if (total <= 64)
    {
        racks = total;
        pods = 1;
    }
    else
    {
        racks = 50;
        pods = (total + racks - 1) / racks;
    }
}

/**
 * \ingroup gossip
 * Check the fabric the options describe before Install(): at most maxHosts hosts, and whatever
 * DatacenterTopologyHelper::Validate() refuses (e.g. more switch links than the link address
 * range holds). A failure exits with the one-line message for the user's option --name=value
 * (the option that sized the fabric; --spines for too many switch links, if the example has
 * that option), never with the helper's own attribute names.
 */
template <typename T>
void
GossipRequireFabric(const DatacenterTopologyHelper& dc,
                    uint64_t maxHosts,
                    const std::string& name,
                    const T& value,
                    bool spinesIsAnOption = false)
{
    const uint64_t hosts =
        uint64_t(dc.GetHostsPerRack()) * dc.GetRacksPerPod() * uint64_t(dc.GetPods());
    std::ostringstream allowed;
    allowed << "a fabric of at most " << maxHosts << " hosts (this one has " << hosts << ")";
    GossipOptions::Require(hosts <= maxHosts, name, value, allowed.str());
    const std::string err = dc.Validate();
    if (err.empty())
    {
        return;
    }
    // The helper's message names its attributes ("SpinesPerPod=0"): it is shown only when it
    // does not (the link address budget).
    const std::string why = err.find('=') == std::string::npos ? " (" + err + ")" : "";
    if (spinesIsAnOption && err.find("switch links") != std::string::npos)
    {
        GossipOptions::Require(false,
                               "spines",
                               dc.GetSpinesPerPod(),
                               "fewer spines for this fabric" + why);
    }
    if (err.find("Ranks=") != std::string::npos || err.find("core link") != std::string::npos)
    {
        // The partition (--mpi): its message names the ranks, the pods and the lookahead.
        GossipOptions::Require(false, name, value, "a fabric that --mpi can partition: " + err);
    }
    GossipOptions::Require(false, name, value, "a fabric the address plan can hold" + why);
}

/// \ingroup gossip
/// The nodes of a topology by role ("host", "ToR", ...), for counters and reports.
using GossipNodeGroups = std::vector<std::pair<std::string, NodeContainer>>;

/// \ingroup gossip
/// A datacenter's nodes: hosts, ToRs, spines and cores (after Install()).
inline GossipNodeGroups
GossipTopologyNodes(const DatacenterTopologyHelper& dc, const std::string& prefix = "")
{
    return {{prefix + "host", dc.GetHosts()},
            {prefix + "ToR", dc.GetTors()},
            {prefix + "spine", dc.GetSpines()},
            {prefix + "core", dc.GetCores()}};
}

/// \ingroup gossip
/// A WAN's nodes: every datacenter's (named "dc1 ToR", ...), the gateways and the WAN routers.
inline GossipNodeGroups
GossipTopologyNodes(const WanTopologyHelper& wan)
{
    GossipNodeGroups all;
    for (uint32_t d = 0; d < wan.GetNDatacenters(); ++d)
    {
        GossipNodeGroups dc =
            GossipTopologyNodes(wan.GetDatacenter(d), "dc" + std::to_string(d) + " ");
        all.insert(all.end(), dc.begin(), dc.end());
    }
    all.emplace_back("gateway", wan.GetGateways());
    all.emplace_back("WAN router", wan.GetCoreRouters());
    return all;
}

/// \ingroup gossip
/// Count queue drops at every node of the groups. \return the counter (attached).
inline Ptr<GossipDropCounter>
GossipCountDrops(const GossipNodeGroups& groups)
{
    NodeContainer all;
    for (const auto& g : groups)
    {
        all.Add(g.second);
    }
    Ptr<GossipDropCounter> drops = CreateObject<GossipDropCounter>();
    drops->Attach(all);
    return drops;
}

/**
 * \ingroup gossip
 * The drops as one report line: "queue drops: 0", or "queue drops: 37 (device queue 30;
 * traffic control 7), most at ToR 3 (12)" with the node that dropped the most named by its role.
 */
inline std::string
GossipDropReport(const GossipDropCounter& drops, const GossipNodeGroups& groups)
{
    std::ostringstream os;
    os << "queue drops: " << drops.GetTotal();
    if (drops.GetTotal() == 0)
    {
        return os.str();
    }
    const char* sep = " (";
    for (const auto& [place, count] : drops.GetPerPlace())
    {
        os << sep << place << " " << count;
        sep = "; ";
    }
    auto worst = std::max_element(drops.GetPerNode().begin(),
                                  drops.GetPerNode().end(),
                                  [](const auto& a, const auto& b) { return a.second < b.second; });
    std::string role = "node " + std::to_string(worst->first);
    for (const auto& [name, nodes] : groups)
    {
        for (uint32_t i = 0; i < nodes.GetN(); ++i)
        {
            if (nodes.Get(i)->GetId() == worst->first)
            {
                role = name + " " + std::to_string(i);
            }
        }
    }
    os << "), most at " << role << " (" << worst->second << ")";
    return os.str();
}

/**
 * \ingroup gossip
 * Add the complementary CDF of sorted values to d, about `points` points: (x, fraction of the
 * values above x). The last value (fraction 0) and values <= 0 are left out, so every point
 * fits log axes.
 */
inline void
GossipAddCcdf(Gnuplot2dDataset& d, const std::vector<double>& sorted, size_t points)
{
    const size_t step = std::max<size_t>(1, sorted.size() / points);
    for (size_t i = 0; i + 1 < sorted.size(); i += step)
    {
        if (sorted[i] > 0)
        {
            d.Add(sorted[i], 1 - double(i + 1) / sorted.size());
        }
    }
}

/**
 * \ingroup gossip
 * Write prefix-messages.csv (one row per message), prefix-histogram.csv (the bimodal curve),
 * prefix-latency.csv (latency CDF) and the plots prefix-histogram.png, prefix-latency.png.
 * setting: the run's parameters, shown under each plot's title.
 */
inline void
WriteDeliveryResults(const GossipDeliveryStats& stats,
                     const std::string& prefix,
                     const std::string& setting = "",
                     uint32_t bins = 20)
{
    GossipCsvWriter msgs(prefix + "-messages.csv",
                         {"origin", "seq", "sent_s", "delivered", "live_members", "fraction"});
    uint32_t live = stats.GetLiveMembers();
    for (const GossipMessageId& id : stats.GetMessageIds())
    {
        double f = stats.GetDeliveryFraction(id.sender, id.seq);
        msgs.Row(id.sender,
                 id.seq,
                 stats.GetSendTime(id).GetSeconds(),
                 uint32_t(std::lround(f * live)),
                 live,
                 f);
    }
    const std::string sub = setting.empty() ? "" : "\\n" + setting;

    // Only the bins that hold messages are drawn: an empty bin has no place on a log axis.
    std::vector<uint64_t> h = stats.GetFractionHistogram(bins);
    GossipCsvWriter hist(prefix + "-histogram.csv", {"fraction_low", "fraction_high", "messages"});
    Gnuplot2dDataset hd("messages per bin of " + std::to_string(100 / bins) + "% of the members");
    hd.SetStyle(Gnuplot2dDataset::IMPULSES);
    hd.SetExtra("lw 3");
    Gnuplot2dDataset hp2("");
    hp2.SetStyle(Gnuplot2dDataset::POINTS);
    hp2.SetExtra("pt 7 notitle");
    for (uint32_t b = 0; b < h.size(); ++b)
    {
        double lo = double(b) / h.size();
        double hi = double(b + 1) / h.size();
        hist.Row(lo, hi, h[b]);
        if (h[b] > 0)
        {
            hd.Add((lo + hi) / 2, h[b]);
            hp2.Add((lo + hi) / 2, h[b]);
        }
    }
    Gnuplot hp(prefix + "-histogram.png");
    hp.SetTitle("How many members delivered each message (" +
                std::to_string(stats.GetMessageIds().size()) + " messages, " +
                std::to_string(live) + " live members)" + sub);
    hp.SetLegend("fraction of live members that delivered the message",
                 "messages (log scale; empty bins not drawn)");
    hp.AppendExtra("set logscale y");
    hp.AppendExtra("set yrange [0.8:*]");
    hp.AppendExtra("set xrange [0:1.02]");
    hp.AppendExtra("set key top left");
    hp.AddDataset(hd);
    hp.AddDataset(hp2);
    GossipPlotHelper::Write(prefix + "-histogram", hp);

    std::vector<Time> lat = stats.GetSortedLatencies();
    std::vector<double> ms;
    ms.reserve(lat.size());
    for (Time t : lat)
    {
        ms.push_back(t.GetSeconds() * 1000);
    }
    GossipCsvWriter cdf(prefix + "-latency.csv", {"latency_ms", "cdf"});
    const size_t step = std::max<size_t>(1, ms.size() / 500);
    for (size_t i = 0; i < ms.size(); i += step)
    {
        cdf.Row(ms[i], double(i + 1) / ms.size());
    }
    if (!ms.empty())
    {
        cdf.Row(ms.back(), 1.0);
    }
    // Most deliveries come by multicast in microseconds and a few by repair much later: a CDF
    // sits at 1 across the plot. The CCDF on log-log axes shows both groups and the tail.
    Gnuplot2dDataset cd("deliveries later than x");
    cd.SetStyle(Gnuplot2dDataset::LINES);
    GossipAddCcdf(cd, ms, 500);
    Gnuplot cp(prefix + "-latency.png");
    cp.SetTitle("Delivery latency, complementary CDF over " + std::to_string(lat.size()) +
                " deliveries" + sub);
    cp.SetLegend("latency (ms, log scale)", "fraction of deliveries later than x (log scale)");
    cp.AppendExtra("set logscale xy");
    cp.AppendExtra("set format x \"%g\"");
    cp.AppendExtra("set format y \"%g\"");
    cp.AddDataset(cd);
    GossipPlotHelper::Write(prefix + "-latency", cp);
}

/**
 * \ingroup gossip
 * A spreadsheet cell of an Astrolabe table: numbers with two decimals, flags as 0/1, a set of
 * addresses by its first address ("-" if empty), nothing for a missing value.
 */
inline std::string
AstrolabeCell(const astrolabe::Value& v)
{
    std::ostringstream os;
    os << std::fixed << std::setprecision(2);
    switch (v.GetType())
    {
    case astrolabe::Value::DOUBLE:
        os << v.GetDouble();
        return os.str();
    case astrolabe::Value::BOOL:
        return v.GetBool() ? "1" : "0";
    case astrolabe::Value::ADDRESSES:
        if (v.GetAddresses().empty())
        {
            return "-";
        }
        os << v.GetAddresses()[0];
        return os.str();
    case astrolabe::Value::NIL:
        return "";
    default:
        return v.ToString();
    }
}

/**
 * \ingroup gossip
 * Print the table of zone as agent a sees it now, one row per child zone, with the given
 * (attribute, heading) columns; "contacts" (the elected representatives) is shown in full.
 */
inline void
AstrolabePrintZoneTable(std::ostream& os,
                        Ptr<AstrolabeAgent> a,
                        const std::string& zone,
                        const std::vector<std::pair<std::string, std::string>>& cols)
{
    os << "zone " << zone << " as seen by " << a->GetZonePath()
       << " at t=" << Simulator::Now().GetSeconds() << " s\n";
    os << "  " << std::left << std::setw(10) << "Name";
    for (const auto& c : cols)
    {
        os << std::setw(14) << c.second;
    }
    os << "\n";
    for (const auto& row : a->GetZoneTable(zone))
    {
        os << "  " << std::setw(10) << astrolabe::ShortName(row.GetId());
        for (const auto& c : cols)
        {
            const astrolabe::Value v = row.Get(c.first);
            os << std::setw(14) << (c.first == "contacts" ? v.ToString() : AstrolabeCell(v));
        }
        os << "\n";
    }
    os << std::right << std::endl;
}

/**
 * \ingroup gossip
 * How far a change spread: for every agent that counts (counts(i)), the first time at or after
 * `after` at which its value of zone's attr satisfied pred (TrackAggregate it first).
 * \return how many of them did, and the latest of those times in seconds after `after` (0 if
 * none did).
 */
inline std::pair<uint32_t, double>
AstrolabeSpread(const AstrolabeStatsHelper& stats,
                const std::string& zone,
                const std::string& attr,
                std::function<bool(const astrolabe::Value&)> pred,
                Time after,
                std::function<bool(uint32_t)> counts)
{
    std::vector<Time> first = stats.FirstSatisfied(zone, attr, pred, after);
    uint32_t reached = 0;
    double last = 0;
    for (uint32_t i = 0; i < first.size(); ++i)
    {
        if (counts(i) && !first[i].IsNegative())
        {
            ++reached;
            last = std::max(last, (first[i] - after).GetSeconds());
        }
    }
    return {reached, last};
}

/// Per agent: messages and bytes sent and received per second, gossips per level, top
/// representative. Under --mpi a collective call (every rank): another rank's agents are not
/// here, so their zone paths and gossip counts come from their ranks.
inline void
WriteAstrolabeLoadCsv(const AstrolabeStatsHelper& stats, const std::string& path, Time duration)
{
    const uint32_t n = stats.GetNAgents();
    const uint32_t kMaxLevels = 32; // zone depth is bounded far below this by address plans
    // Per agent: levels, top representative, gossips per level (zero for another rank's).
    std::vector<uint64_t> facts(size_t(n) * (2 + kMaxLevels), 0);
    std::string paths; // "index<TAB>path<LF>" of this rank's agents
    for (uint32_t i = 0; i < n; ++i)
    {
        Ptr<AstrolabeAgent> a = stats.GetAgent(i);
        if (!a)
        {
            continue;
        }
        uint64_t* f = &facts[size_t(i) * (2 + kMaxLevels)];
        f[0] = std::min(a->GetNLevels(), kMaxLevels);
        f[1] = a->IsContact(0) ? 1 : 0;
        for (uint32_t l = 0; l < f[0]; ++l)
        {
            f[2 + l] = a->GetGossipsAtLevel(l);
        }
        paths += std::to_string(i) + "\t" + a->GetZonePath() + "\n";
    }
    gossip::mpi::Sum(facts);
    std::vector<uint64_t> chars(paths.begin(), paths.end());
    chars = gossip::mpi::Gather(chars);
    std::vector<std::string> zone(n);
    std::istringstream lines(std::string(chars.begin(), chars.end()));
    for (std::string line; std::getline(lines, line);)
    {
        size_t tab = line.find('\t');
        zone[std::stoul(line.substr(0, tab))] = line.substr(tab + 1);
    }
    uint32_t levels = 0;
    for (uint32_t i = 0; i < n; ++i)
    {
        levels = std::max<uint32_t>(levels, facts[size_t(i) * (2 + kMaxLevels)]);
    }
    std::vector<std::string> cols{"agent",
                                  "zone",
                                  "tx_msgs_per_s",
                                  "tx_bytes_per_s",
                                  "rx_msgs_per_s",
                                  "rx_bytes_per_s"};
    for (uint32_t l = 0; l < levels; ++l)
    {
        cols.push_back("gossips_level" + std::to_string(l));
    }
    cols.push_back("top_representative");
    GossipCsvWriter csv(path, cols);
    double s = duration.GetSeconds();
    NS_ABORT_MSG_IF(s <= 0, "WriteAstrolabeLoadCsv: duration must be > 0");
    for (uint32_t i = 0; i < n; ++i)
    {
        const uint64_t* f = &facts[size_t(i) * (2 + kMaxLevels)];
        std::ostringstream row;
        row.setf(std::ios::fixed);
        row.precision(6);
        row << i << "," << zone[i] << "," << stats.GetTxPackets(i) / s << ","
            << stats.GetTxBytes(i) / s << "," << stats.GetRxPackets(i) / s << ","
            << stats.GetRxBytes(i) / s;
        for (uint32_t l = 0; l < levels; ++l)
        {
            row << "," << f[2 + l];
        }
        row << "," << f[1];
        csv.Row(row.str());
    }
}

/// Over [from, to] every step: agents whose value of zone's attr is within tolerance of truth.
inline void
WriteAstrolabeConvergenceCsv(const AstrolabeStatsHelper& stats,
                             const std::string& path,
                             const std::string& zone,
                             const std::string& attr,
                             double truth,
                             double tolerance,
                             Time from,
                             Time to,
                             Time step)
{
    NS_ABORT_MSG_IF(!step.IsStrictlyPositive(), "WriteAstrolabeConvergenceCsv: step must be > 0");
    GossipCsvWriter csv(path, {"time_s", "agents_within_tolerance", "agents", "max_error"});
    for (Time t = from; t <= to; t += step)
    {
        uint32_t ok = 0;
        double worst = 0;
        for (const auto& v : stats.ValuesAt(zone, attr, t))
        {
            double err = v.IsNumber() ? std::fabs(v.GetDouble() - truth)
                                      : std::numeric_limits<double>::infinity();
            ok += err <= tolerance ? 1 : 0;
            worst = std::max(worst, err);
        }
        csv.Row(t.GetSeconds(), ok, stats.GetNAgents(), worst);
    }
}

} // namespace ns3

#endif /* GOSSIP_EXAMPLE_SUPPORT_H */
