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
#include "ns3/gnuplot.h"
#include "ns3/gossip-delivery-stats.h"
#include "ns3/nstime.h"

#include <algorithm>
#include <cerrno>
#include <cmath>
#include <cstdlib>
#include <fstream>
#include <initializer_list>
#include <iostream>
#include <limits>
#include <sstream>
#include <string>
#include <type_traits>
#include <unistd.h>
#include <vector>

namespace ns3
{

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
 * Write prefix-messages.csv (one row per message), prefix-histogram.csv (the bimodal curve),
 * prefix-latency.csv (latency CDF) and the plots prefix-histogram.png, prefix-latency.png.
 */
inline void
WriteDeliveryResults(const GossipDeliveryStats& stats,
                     const std::string& prefix,
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

    std::vector<uint64_t> h = stats.GetFractionHistogram(bins);
    GossipCsvWriter hist(prefix + "-histogram.csv", {"fraction_low", "fraction_high", "messages"});
    Gnuplot2dDataset hd("messages");
    hd.SetStyle(Gnuplot2dDataset::IMPULSES);
    for (uint32_t b = 0; b < h.size(); ++b)
    {
        double lo = double(b) / h.size();
        double hi = double(b + 1) / h.size();
        hist.Row(lo, hi, h[b]);
        hd.Add((lo + hi) / 2, h[b] > 0 ? h[b] : 0.5);
    }
    Gnuplot hp(prefix + "-histogram.png");
    hp.SetTitle("Fraction of live members that delivered each message");
    hp.SetLegend("fraction of members that delivered", "messages (log scale; 0 drawn as 0.5)");
    hp.AppendExtra("set logscale y");
    hp.AppendExtra("set xrange [0:1.02]");
    hp.AddDataset(hd);
    GossipPlotHelper::Write(prefix + "-histogram", hp);

    std::vector<Time> lat = stats.GetSortedLatencies();
    GossipCsvWriter cdf(prefix + "-latency.csv", {"latency_ms", "cdf"});
    Gnuplot2dDataset cd("deliveries");
    cd.SetStyle(Gnuplot2dDataset::LINES);
    size_t step = std::max<size_t>(1, lat.size() / 500);
    for (size_t i = 0; i < lat.size(); i += step)
    {
        double ms = lat[i].GetSeconds() * 1000;
        double c = double(i + 1) / lat.size();
        cdf.Row(ms, c);
        cd.Add(ms, c);
    }
    if (!lat.empty())
    {
        cdf.Row(lat.back().GetSeconds() * 1000, 1.0);
        cd.Add(lat.back().GetSeconds() * 1000, 1.0);
    }
    Gnuplot cp(prefix + "-latency.png");
    cp.SetTitle("Delivery latency (CDF over all deliveries)");
    cp.SetLegend("latency (ms)", "fraction of deliveries");
    cp.AddDataset(cd);
    GossipPlotHelper::Write(prefix + "-latency", cp);
}

/// Per agent: messages and bytes sent and received per second, gossips per level, top
/// representative.
inline void
WriteAstrolabeLoadCsv(const AstrolabeStatsHelper& stats, const std::string& path, Time duration)
{
    uint32_t levels = 0;
    for (uint32_t i = 0; i < stats.GetNAgents(); ++i)
    {
        levels = std::max(levels, stats.GetAgent(i)->GetNLevels());
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
    for (uint32_t i = 0; i < stats.GetNAgents(); ++i)
    {
        std::ostringstream row;
        row.setf(std::ios::fixed);
        row.precision(6);
        row << i << "," << stats.GetAgent(i)->GetZonePath() << "," << stats.GetTxPackets(i) / s
            << "," << stats.GetTxBytes(i) / s << "," << stats.GetRxPackets(i) / s << ","
            << stats.GetRxBytes(i) / s;
        for (uint32_t l = 0; l < levels; ++l)
        {
            row << "," << stats.GetAgent(i)->GetGossipsAtLevel(l);
        }
        row << "," << (stats.GetAgent(i)->IsContact(0) ? 1 : 0);
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
