/*
 * SPDX-License-Identifier: GPL-2.0-only
 */
#include "gossip-output-helper.h"

#include "ns3/abort.h"
#include "ns3/log.h"

#include <cstdlib>
#include <unistd.h>

namespace ns3
{

NS_LOG_COMPONENT_DEFINE("GossipOutputHelper");

GossipCsvWriter::GossipCsvWriter(const std::string& path,
                                 std::initializer_list<std::string> columns)
{
    Open(path, std::vector<std::string>(columns));
}

GossipCsvWriter::GossipCsvWriter(const std::string& path, const std::vector<std::string>& columns)
{
    Open(path, columns);
}

void
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

const std::string&
GossipCsvWriter::GetPath() const
{
    return m_path;
}

uint64_t
GossipCsvWriter::GetRows() const
{
    return m_rows;
}

bool
GossipPlotHelper::GnuplotAvailable()
{
    return std::system("command -v gnuplot >/dev/null 2>&1") == 0;
}

bool
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
        NS_LOG_WARN("gnuplot not found: wrote " << script << " only");
        return false;
    }
    std::string cmd = "gnuplot '" + script + "' >/dev/null 2>&1";
    return std::system(cmd.c_str()) == 0;
}

namespace
{
/// A time as a user would type it on the command line: 4000s, 1ms, 10us (not +1.11111h).
std::string
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
} // namespace

bool
GossipArgCheck::InRange(const std::string& name, Time value, Time min, Time max)
{
    return Ok(value >= min && value <= max, name, Typed(value), Typed(min) + " .. " + Typed(max));
}

bool
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

} // namespace ns3
