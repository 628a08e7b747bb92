/*
 * SPDX-License-Identifier: GPL-2.0-only
 */
#ifndef GOSSIP_OUTPUT_HELPER_H
#define GOSSIP_OUTPUT_HELPER_H

#include "ns3/gnuplot.h"
#include "ns3/nstime.h"

#include <fstream>
#include <initializer_list>
#include <iostream>
#include <sstream>
#include <string>
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

} // namespace ns3

#endif /* GOSSIP_OUTPUT_HELPER_H */
