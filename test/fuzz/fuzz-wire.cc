/*
 * SPDX-License-Identifier: GPL-2.0-only
 *
 * libFuzzer target: one wire format, chosen at build time (GOSSIP_FUZZ_HEADER = the Header
 * class). Arbitrary bytes must decode or be refused without a crash, UB or leak; whatever
 * decodes must survive a round trip (encode, decode again: the same header, the same bytes).
 */
#include "ns3/aggregation-header.h"
#include "ns3/astrolabe-header.h"
#include "ns3/lpbcast-header.h"
#include "ns3/packet.h"
#include "ns3/pbcast-header.h"
#include "ns3/pbcast-rmcast-header.h"

#include <cstdint>
#include <cstdlib>
#include <vector>

using namespace ns3;

extern "C" int
LLVMFuzzerTestOneInput(const uint8_t* data, size_t size)
{
    if (size > 65507)
    {
        return 0; // no UDP datagram is larger
    }
    Ptr<Packet> p = Create<Packet>(data, size);
    GOSSIP_FUZZ_HEADER h;
    p->RemoveHeader(h);
    if (!h.IsValid())
    {
        return 0;
    }
    Ptr<Packet> again = Create<Packet>();
    again->AddHeader(h);
    std::vector<uint8_t> first(again->GetSize());
    again->CopyData(first.data(), first.size());
    GOSSIP_FUZZ_HEADER back;
    again->RemoveHeader(back);
    if (!back.IsValid() || !(back == h))
    {
        std::abort(); // what decodes must encode to something that decodes the same
    }
    Ptr<Packet> third = Create<Packet>();
    third->AddHeader(back);
    std::vector<uint8_t> second(third->GetSize());
    third->CopyData(second.data(), second.size());
    if (first != second)
    {
        std::abort();
    }
    return 0;
}
