/*
 * SPDX-License-Identifier: GPL-2.0-only
 *
 * libFuzzer target: Astrolabe's SQL, as it arrives in an AFC from the network. Arbitrary text
 * must parse and type-check, or be refused with an error, and whatever parses must evaluate
 * (or report a run-time type error) over a small table of rows of every value type.
 */
#include "ns3/astrolabe-sql.h"
#include "ns3/astrolabe-value.h"
#include "ns3/ipv4-address.h"

#include <cstdint>
#include <map>
#include <string>
#include <vector>

using namespace ns3;
using namespace ns3::astrolabe;

namespace
{
std::vector<Row>
Table()
{
    std::vector<Row> rows;
    const char* names[] = {"swift", "falcon", "cardinal"};
    for (int i = 0; i < 3; ++i)
    {
        Row r(std::string("/sf/") + names[i], std::string("/sf/") + names[i], 100 + i);
        r.Set("load", Value(0.5 + i));
        r.Set("nmembers", Value(int64_t{1 + i}));
        r.Set("name", Value(std::string(names[i])));
        r.Set("weblogic", Value(i % 2 == 0));
        r.Set("contacts", Value(AddressSet{Ipv4Address(0x0a000001 + i)}));
        if (i == 1)
        {
            r.Set("missing", Value()); // a null
        }
        rows.push_back(r);
    }
    return rows;
}
} // namespace

extern "C" int
LLVMFuzzerTestOneInput(const uint8_t* data, size_t size)
{
    static const std::vector<Row> rows = Table();
    std::string text(reinterpret_cast<const char*>(data), size);
    Query q;
    SqlError err;
    if (!Query::Parse(text, q, err))
    {
        return 0;
    }
    uint32_t state = 7;
    Rng rng = [&state](uint32_t n) {
        state = state * 1103515245u + 12345u;
        return n ? (state >> 8) % n : 0;
    };
    std::map<std::string, Value> out;
    std::string error;
    q.Evaluate(rows, rng, out, error);
    std::vector<const Row*> pointers;
    for (const Row& r : rows)
    {
        pointers.push_back(&r);
    }
    Query::Outputs outputs;
    q.Evaluate(pointers, rng, outputs, error);
    return 0;
}
