/*
 * SPDX-License-Identifier: GPL-2.0-only
 */
#include "aggregation-partial.h"

#include <cmath>

namespace ns3
{
namespace aggregation
{

std::string
FunctionName(Function f)
{
    switch (f)
    {
    case Function::COUNT:
        return "COUNT";
    case Function::SUM:
        return "SUM";
    case Function::AVG:
        return "AVG";
    case Function::MIN:
        return "MIN";
    case Function::MAX:
        return "MAX";
    }
    return "?";
}

Partial
Partial::FromValue(double value, uint32_t node)
{
    Partial p;
    p.count = 1;
    p.sum = value;
    p.min = value;
    p.argmin = node;
    p.max = value;
    p.argmax = node;
    return p;
}

void
Partial::Combine(const Partial& o)
{
    count += o.count;
    sum += o.sum;
    if (o.count > 0)
    {
        if (o.min < min || (o.min == min && o.argmin < argmin))
        {
            min = o.min;
            argmin = o.argmin;
        }
        if (o.max > max || (o.max == max && o.argmax < argmax))
        {
            max = o.max;
            argmax = o.argmax;
        }
    }
    partial = partial || o.partial;
    missing += o.missing;
}

double
Partial::Average() const
{
    return count == 0 ? std::nan("") : sum / count;
}

double
Partial::Select(Function f) const
{
    switch (f)
    {
    case Function::COUNT:
        return count;
    case Function::SUM:
        return sum;
    case Function::AVG:
        return Average();
    case Function::MIN:
        return min;
    case Function::MAX:
        return max;
    }
    return std::nan("");
}

bool
Partial::IsFinite() const
{
    return std::isfinite(sum) && std::isfinite(min) && std::isfinite(max);
}

bool
Partial::operator==(const Partial& o) const
{
    return count == o.count && sum == o.sum && min == o.min && argmin == o.argmin && max == o.max &&
           argmax == o.argmax && partial == o.partial && missing == o.missing;
}

bool
Partial::operator!=(const Partial& o) const
{
    return !(*this == o);
}

} // namespace aggregation
} // namespace ns3
