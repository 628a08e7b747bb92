/*
 * SPDX-License-Identifier: GPL-2.0-only
 */
#include "aggregation-application.h"

#include "aggregation-logic.h"

#include "ns3/inet-socket-address.h"
#include "ns3/udp-socket-factory.h"

namespace ns3
{

NS_OBJECT_ENSURE_REGISTERED(AggregationApplication);

TypeId
AggregationApplication::GetTypeId()
{
    static TypeId tid =
        TypeId("ns3::AggregationApplication")
            .SetParent<Application>()
            .SetGroupName("Gossip")
            .AddTraceSource("Tx",
                            "A datagram sent.",
                            MakeTraceSourceAccessor(&AggregationApplication::m_txTrace),
                            "ns3::AggregationApplication::TxCallback")
            .AddTraceSource("MalformedPacket",
                            "A datagram dropped because it could not be parsed.",
                            MakeTraceSourceAccessor(&AggregationApplication::m_malformedTrace),
                            "ns3::AggregationApplication::TxCallback");
    return tid;
}

AggregationApplication::AggregationApplication()
{
    m_rng = CreateObject<UniformRandomVariable>();
}

AggregationApplication::~AggregationApplication() = default;

void
AggregationApplication::DoDispose()
{
    m_socket = nullptr;
    m_members.reset();
    Application::DoDispose();
}

void
AggregationApplication::SetNeighbours(const std::vector<Ipv4Address>& neighbours)
{
    m_neighbours = neighbours;
}

void
AggregationApplication::SetMembership(std::shared_ptr<const std::vector<Ipv4Address>> members)
{
    m_members = AggregationDeduplicate(std::move(members));
}

int64_t
AggregationApplication::AssignStreams(int64_t stream)
{
    m_rng->SetStream(stream);
    return 1;
}

void
AggregationApplication::OpenSocket(uint16_t port, Callback<void, Ptr<Socket>> recv)
{
    m_socket = Socket::CreateSocket(GetNode(), UdpSocketFactory::GetTypeId());
    m_socket->Bind(InetSocketAddress(Ipv4Address::GetAny(), port));
    m_socket->SetRecvCallback(recv);
}

bool
AggregationApplication::NextDatagram(Ptr<Socket> socket,
                                     Ptr<Packet>& packet,
                                     AggregationHeader& header,
                                     Ipv4Address& from)
{
    Address fromAddr;
    while ((packet = socket->RecvFrom(fromAddr)))
    {
        from = InetSocketAddress::ConvertFrom(fromAddr).GetIpv4();
        header = AggregationHeader();
        if (packet->GetSize() >= AggregationHeader::kMinSize)
        {
            packet->PeekHeader(header);
            if (header.IsValid())
            {
                return true;
            }
        }
        m_malformedTrace(packet, from);
    }
    return false;
}

} // namespace ns3
