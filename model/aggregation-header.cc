/*
 * SPDX-License-Identifier: GPL-2.0-only
 */
#include "aggregation-header.h"

#include "ns3/assert.h"
#include "ns3/ipv4-address.h"

namespace ns3
{

NS_OBJECT_ENSURE_REGISTERED(AggregationHeader);

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

const std::string&
AggregationHeader::GetError() const
{
    return m_error;
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

const char*
AggregationHeader::TypeName(uint8_t type)
{
    switch (type)
    {
    case TREE_FLOOD:
        return "TREE_FLOOD";
    case TREE_QUERY:
        return "TREE_QUERY";
    case TREE_ECHO:
        return "TREE_ECHO";
    case TREE_NACK:
        return "TREE_NACK";
    case PUSH_SUM:
        return "PUSH_SUM";
    case NAIVE_AVG:
        return "NAIVE_AVG";
    case TOP_C:
        return "TOP_C";
    default:
        return "?";
    }
}

template <typename W>
void
AggregationHeader::Encode(W& out) const
{
    out.U8(VERSION);
    out.U8(m_type);
    switch (m_type)
    {
    case TREE_FLOOD:
    case TREE_QUERY:
        out.U32(queryId);
        out.U32(treeId);
        out.U32(budgetUs);
        out.U8(function);
        out.U32(round);
        out.U32(root);
        break;
    case TREE_ECHO:
        out.U32(queryId);
        out.U32(treeId);
        out.U32(partial.count);
        out.Double(partial.sum);
        out.Double(partial.min);
        out.U32(partial.argmin);
        out.Double(partial.max);
        out.U32(partial.argmax);
        out.U8(partial.partial ? 1 : 0);
        out.U32(partial.missing);
        break;
    case TREE_NACK:
        out.U32(queryId);
        out.U32(treeId);
        break;
    case PUSH_SUM:
        out.U32(round);
        out.Double(s);
        out.Double(w);
        out.U32(seq);
        break;
    case NAIVE_AVG:
        out.U32(round);
        out.Double(value);
        break;
    case TOP_C:
        NS_ASSERT_MSG(largest.size() <= MAX_ENTRIES && smallest.size() <= MAX_ENTRIES,
                      "AggregationHeader: a top-c list holds at most 255 entries");
        out.U32(round);
        out.U8(largest.size());
        out.U8(smallest.size());
        for (const auto* list : {&largest, &smallest})
        {
            for (const auto& e : *list)
            {
                out.Double(e.value);
                out.U32(e.node);
            }
        }
        break;
    }
}

uint32_t
AggregationHeader::GetSerializedSize() const
{
    gossip::WireSizer out;
    Encode(out);
    return out.GetSize();
}

void
AggregationHeader::Serialize(Buffer::Iterator it) const
{
    gossip::WireWriter out(it);
    Encode(out);
}

bool
AggregationHeader::Decode(gossip::WireReader& r)
{
    uint8_t version = r.U8();
    uint8_t type = r.U8();
    if (!r.Ok())
    {
        return false;
    }
    if (version != VERSION || type < TREE_FLOOD || type > TOP_C)
    {
        return r.Fail("aggregation: unknown version or type");
    }
    m_type = static_cast<Type>(type);
    switch (m_type)
    {
    case TREE_FLOOD:
    case TREE_QUERY:
        queryId = r.U32();
        treeId = r.U32();
        budgetUs = r.U32();
        function = r.U8();
        round = r.U32();
        root = r.U32();
        if (r.Ok() && function > uint8_t(aggregation::Function::MAX))
        {
            return r.Fail("aggregation: unknown function");
        }
        break;
    case TREE_ECHO:
        queryId = r.U32();
        treeId = r.U32();
        partial.count = r.U32();
        partial.sum = r.Double();
        partial.min = r.Double();
        partial.argmin = r.U32();
        partial.max = r.Double();
        partial.argmax = r.U32();
        partial.partial = r.U8() != 0;
        partial.missing = r.U32();
        break;
    case TREE_NACK:
        queryId = r.U32();
        treeId = r.U32();
        break;
    case PUSH_SUM:
        round = r.U32();
        s = r.Double();
        w = r.Double();
        seq = r.U32();
        break;
    case NAIVE_AVG:
        round = r.U32();
        value = r.Double();
        break;
    case TOP_C:
        round = r.U32();
        largest.resize(r.U8());
        smallest.resize(r.U8());
        for (auto* list : {&largest, &smallest})
        {
            for (auto& e : *list)
            {
                e.value = r.Double();
                e.node = r.U32();
            }
        }
        break;
    }
    return r.Ok();
}

uint32_t
AggregationHeader::Deserialize(Buffer::Iterator start)
{
    m_valid = false;
    m_error.clear();
    largest.clear();
    smallest.clear();
    gossip::WireReader r(start, start.GetRemainingSize());
    if (!Decode(r))
    {
        m_error = r.GetError();
        largest.clear();
        smallest.clear();
        return 0;
    }
    m_valid = true;
    return r.GetConsumed();
}

void
AggregationHeader::Print(std::ostream& os) const
{
    os << "Aggregation v" << int(VERSION) << " " << TypeName(m_type);
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

bool
AggregationHeader::operator==(const AggregationHeader& o) const
{
    if (m_type != o.m_type || m_valid != o.m_valid)
    {
        return false;
    }
    switch (m_type)
    {
    case TREE_FLOOD:
    case TREE_QUERY:
        return queryId == o.queryId && treeId == o.treeId && budgetUs == o.budgetUs &&
               function == o.function && round == o.round && root == o.root;
    case TREE_ECHO:
        return queryId == o.queryId && treeId == o.treeId && partial == o.partial;
    case TREE_NACK:
        return queryId == o.queryId && treeId == o.treeId;
    case PUSH_SUM:
        return round == o.round && s == o.s && w == o.w && seq == o.seq;
    case NAIVE_AVG:
        return round == o.round && value == o.value;
    case TOP_C:
        return round == o.round && largest == o.largest && smallest == o.smallest;
    }
    return true;
}

bool
AggregationHeader::operator!=(const AggregationHeader& o) const
{
    return !(*this == o);
}

std::ostream&
operator<<(std::ostream& os, const AggregationHeader& h)
{
    h.Print(os);
    return os;
}

} // namespace ns3
