/*
 * SPDX-License-Identifier: GPL-2.0-only
 */
#include "aggregation-application.h"

#include "aggregation-membership.h"

#include "ns3/log.h"
#include "ns3/packet.h"

namespace ns3
{

NS_LOG_COMPONENT_DEFINE("AggregationApplication");

NS_OBJECT_ENSURE_REGISTERED(AggregationApplication);

TypeId
AggregationApplication::GetTypeId()
{
    static TypeId tid =
        TypeId("ns3::AggregationApplication").SetParent<GossipApplication>().SetGroupName("Gossip");
    return tid;
}

AggregationApplication::AggregationApplication() = default;

AggregationApplication::~AggregationApplication() = default;

void
AggregationApplication::DoDispose()
{
    NS_LOG_FUNCTION(this);
    m_members.reset();
    GossipApplication::DoDispose();
}

void
AggregationApplication::SetNeighbours(const std::vector<Ipv4Address>& neighbours)
{
    NS_LOG_FUNCTION(this << neighbours.size());
    m_neighbours = neighbours;
}

void
AggregationApplication::SetMembership(std::shared_ptr<const std::vector<Ipv4Address>> members)
{
    NS_LOG_FUNCTION(this << (members ? members->size() : 0));
    m_members = aggregation::Deduplicate(std::move(members));
}

bool
AggregationApplication::ReceiveHeader(Ptr<Packet>& packet,
                                      AggregationHeader& header,
                                      Ipv4Address& from)
{
    while ((packet = ReceiveFrom(from)))
    {
        header = AggregationHeader();
        packet->PeekHeader(header);
        if (header.IsValid())
        {
            return true;
        }
        NotifyMalformed(packet, from, header.GetError());
    }
    return false;
}

void
AggregationApplication::SendHeader(const AggregationHeader& h, Ipv4Address to, uint16_t port)
{
    Ptr<Packet> p = Create<Packet>();
    p->AddHeader(h);
    SendTo(p, to, port);
}

} // namespace ns3
