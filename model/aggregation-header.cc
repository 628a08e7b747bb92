/*
 * SPDX-License-Identifier: GPL-2.0-only
 */
#include "aggregation-header.h"

#include <cstring>

namespace ns3
{

NS_OBJECT_ENSURE_REGISTERED(AggregationHeader);

namespace
{
void
WriteDouble(Buffer::Iterator& i, double d)
{
    uint64_t bits;
    std::memcpy(&bits, &d, sizeof(bits));
    i.WriteHtonU64(bits);
}

double
ReadDouble(Buffer::Iterator& i)
{
    uint64_t bits = i.ReadNtohU64();
    double d;
    std::memcpy(&d, &bits, sizeof(d));
    return d;
}

const uint32_t kTreeSize = 4 + 4 + 4 + 1 + 4 + 4;
const uint32_t kPartialSize = 4 + 8 + 8 + 4 + 8 + 4 + 1 + 4;
const uint32_t kEntrySize = 8 + 4;
} // namespace

TypeId
AggregationHeader::GetTypeId()
{
    static TypeId tid = TypeId("ns3::AggregationHeader")
                            .SetParent<Header>()
                            .SetGroupName("Gossip")
                            .AddConstructor<AggregationHeader>();
    return tid;
}

TypeId
AggregationHeader::GetInstanceTypeId() const
{
    return GetTypeId();
}

bool
AggregationHeader::IsValid() const
{
    return m_valid;
}

AggregationHeader::Type
AggregationHeader::GetType() const
{
    return m_type;
}

void
AggregationHeader::SetType(Type t)
{
    m_type = t;
}

uint32_t
AggregationHeader::GetSerializedSize() const
{
    switch (m_type)
    {
    case TREE_FLOOD:
    case TREE_QUERY:
        return kMinSize + kTreeSize;
    case TREE_ECHO:
        return kMinSize + 8 + kPartialSize;
    case TREE_NACK:
        return kMinSize + 8;
    case PUSH_SUM:
        return kMinSize + 4 + 8 + 8 + 4;
    case NAIVE_AVG:
        return kMinSize + 4 + 8;
    case TOP_C:
        return kMinSize + 4 + 2 + kEntrySize * (largest.size() + smallest.size());
    }
    return kMinSize;
}

void
AggregationHeader::Serialize(Buffer::Iterator i) const
{
    i.WriteU8(kVersion);
    i.WriteU8(m_type);
    switch (m_type)
    {
    case TREE_FLOOD:
    case TREE_QUERY:
        i.WriteHtonU32(queryId);
        i.WriteHtonU32(treeId);
        i.WriteHtonU32(budgetUs);
        i.WriteU8(function);
        i.WriteHtonU32(round);
        i.WriteHtonU32(root);
        break;
    case TREE_ECHO:
        i.WriteHtonU32(queryId);
        i.WriteHtonU32(treeId);
        i.WriteHtonU32(partial.count);
        WriteDouble(i, partial.sum);
        WriteDouble(i, partial.min);
        i.WriteHtonU32(partial.argmin);
        WriteDouble(i, partial.max);
        i.WriteHtonU32(partial.argmax);
        i.WriteU8(partial.partial ? 1 : 0);
        i.WriteHtonU32(partial.missing);
        break;
    case TREE_NACK:
        i.WriteHtonU32(queryId);
        i.WriteHtonU32(treeId);
        break;
    case PUSH_SUM:
        i.WriteHtonU32(round);
        WriteDouble(i, s);
        WriteDouble(i, w);
        i.WriteHtonU32(seq);
        break;
    case NAIVE_AVG:
        i.WriteHtonU32(round);
        WriteDouble(i, value);
        break;
    case TOP_C:
        i.WriteHtonU32(round);
        i.WriteU8(largest.size());
        i.WriteU8(smallest.size());
        for (const auto* list : {&largest, &smallest})
        {
            for (const auto& e : *list)
            {
                WriteDouble(i, e.value);
                i.WriteHtonU32(e.node);
            }
        }
        break;
    }
}

uint32_t
AggregationHeader::Deserialize(Buffer::Iterator start)
{
    Buffer::Iterator i = start;
    m_valid = false;
    uint32_t avail = i.GetRemainingSize();
    if (avail < kMinSize)
    {
        return 0;
    }
    uint8_t version = i.ReadU8();
    uint8_t type = i.ReadU8();
    avail -= kMinSize;
    if (version != kVersion || type < TREE_FLOOD || type > TOP_C)
    {
        return kMinSize;
    }
    m_type = Type(type);
    if (m_type == TOP_C)
    {
        largest.clear(); // the entry count is read below
        smallest.clear();
    }
    uint32_t need = GetSerializedSize() - kMinSize; // fixed part (TOP_C: before the entries)
    if (avail < need)
    {
        return kMinSize;
    }
    switch (m_type)
    {
    case TREE_FLOOD:
    case TREE_QUERY:
        queryId = i.ReadNtohU32();
        treeId = i.ReadNtohU32();
        budgetUs = i.ReadNtohU32();
        function = i.ReadU8();
        round = i.ReadNtohU32();
        root = i.ReadNtohU32();
        if (function > uint8_t(AggregationFunction::MAX))
        {
            return i.GetDistanceFrom(start);
        }
        break;
    case TREE_ECHO:
        queryId = i.ReadNtohU32();
        treeId = i.ReadNtohU32();
        partial.count = i.ReadNtohU32();
        partial.sum = ReadDouble(i);
        partial.min = ReadDouble(i);
        partial.argmin = i.ReadNtohU32();
        partial.max = ReadDouble(i);
        partial.argmax = i.ReadNtohU32();
        partial.partial = i.ReadU8() != 0;
        partial.missing = i.ReadNtohU32();
        break;
    case TREE_NACK:
        queryId = i.ReadNtohU32();
        treeId = i.ReadNtohU32();
        break;
    case PUSH_SUM:
        round = i.ReadNtohU32();
        s = ReadDouble(i);
        w = ReadDouble(i);
        seq = i.ReadNtohU32();
        break;
    case NAIVE_AVG:
        round = i.ReadNtohU32();
        value = ReadDouble(i);
        break;
    case TOP_C: {
        // need was computed with the current (stale) list sizes: re-check the fixed part.
        if (avail < 4 + 2)
        {
            return kMinSize;
        }
        round = i.ReadNtohU32();
        uint32_t nl = i.ReadU8();
        uint32_t ns = i.ReadU8();
        if (avail - 6 < kEntrySize * (nl + ns))
        {
            return i.GetDistanceFrom(start);
        }
        largest.resize(nl);
        smallest.resize(ns);
        for (auto* list : {&largest, &smallest})
        {
            for (auto& e : *list)
            {
                e.value = ReadDouble(i);
                e.node = i.ReadNtohU32();
            }
        }
        break;
    }
    }
    m_valid = true;
    return i.GetDistanceFrom(start);
}

void
AggregationHeader::Print(std::ostream& os) const
{
    static const char* names[] = {"?",
                                  "TREE_FLOOD",
                                  "TREE_QUERY",
                                  "TREE_ECHO",
                                  "TREE_NACK",
                                  "PUSH_SUM",
                                  "NAIVE_AVG",
                                  "TOP_C"};
    os << "Aggregation v" << int(kVersion) << " " << names[m_type <= TOP_C ? m_type : 0];
    if (!m_valid)
    {
        os << " (malformed)";
        return;
    }
    switch (m_type)
    {
    case TREE_FLOOD:
    case TREE_QUERY:
        os << " query=" << queryId << " tree=" << treeId << " budget=" << budgetUs
           << "us hops=" << round << " root=" << Ipv4Address(root);
        break;
    case TREE_ECHO:
        os << " query=" << queryId << " tree=" << treeId << " count=" << partial.count
           << " sum=" << partial.sum << " min=" << partial.min << "@" << partial.argmin
           << " max=" << partial.max << "@" << partial.argmax
           << (partial.partial ? " PARTIAL missing=" + std::to_string(partial.missing) : "");
        break;
    case TREE_NACK:
        os << " query=" << queryId << " tree=" << treeId;
        break;
    case PUSH_SUM:
        os << " round=" << round << " s=" << s << " w=" << w << " seq=" << seq;
        break;
    case NAIVE_AVG:
        os << " round=" << round << " value=" << value;
        break;
    case TOP_C:
        os << " round=" << round << " largest=" << largest.size()
           << " smallest=" << smallest.size();
        break;
    }
}

} // namespace ns3
