/*
 * SPDX-License-Identifier: GPL-2.0-only
 */
#ifndef AGGREGATION_PARTIAL_H
#define AGGREGATION_PARTIAL_H

#include <cstdint>
#include <limits>
#include <string>

namespace ns3
{
namespace aggregation
{

/// Which aggregate a query asks for (all are computed; this selects what is reported).
enum class Function : uint8_t
{
    COUNT = 0,
    SUM = 1,
    AVG = 2,
    MIN = 3,
    MAX = 4
};

/// \return "COUNT", "SUM", ...
std::string FunctionName(Function f);

/**
 * \ingroup gossip
 * \brief The aggregate of a subtree: COUNT, SUM, MIN, MAX with the node that holds them.
 *
 * AVG is SUM / COUNT at the root, as in the lecture ("have the leaves report their value and the
 * parent compute the sum, then divide by the count"). Combining is associative and commutative,
 * so the result does not depend on the tree's shape. Ties for MIN/MAX go to the lowest node id,
 * which keeps runs deterministic.
 */
struct Partial
{
    uint32_t count{0};                                     //!< nodes covered
    double sum{0.0};                                       //!< sum of their values
    double min{std::numeric_limits<double>::infinity()};   //!< smallest value
    uint32_t argmin{std::numeric_limits<uint32_t>::max()}; //!< node with the smallest value
    double max{-std::numeric_limits<double>::infinity()};  //!< largest value
    uint32_t argmax{std::numeric_limits<uint32_t>::max()}; //!< node with the largest value
    bool partial{false};                                   //!< some subtree did not answer in time
    uint32_t missing{0}; //!< how many neighbours/children did not answer (lower bound)

    /// The aggregate of one node.
    static Partial FromValue(double value, uint32_t node);
    /// Fold another subtree's aggregate into this one.
    void Combine(const Partial& other);
    /// SUM / COUNT, or NaN when nothing was counted.
    double Average() const;
    /// \return the named function's value.
    double Select(Function f) const;
    /// \return true if every double is finite (a real subtree has count >= 1, so min/max too).
    bool IsFinite() const;
    bool operator==(const Partial& o) const;
    bool operator!=(const Partial& o) const;
};

} // namespace aggregation
} // namespace ns3

#endif /* AGGREGATION_PARTIAL_H */
