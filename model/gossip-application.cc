/*
 * SPDX-License-Identifier: GPL-2.0-only
 */
#include "gossip-application.h"

#include "ns3/abort.h"
#include "ns3/inet-socket-address.h"
#include "ns3/ipv4.h"
#include "ns3/log.h"
#include "ns3/node.h"
#include "ns3/packet.h"
#include "ns3/udp-socket-factory.h"

namespace ns3
{

NS_LOG_COMPONENT_DEFINE("GossipApplication");

NS_OBJECT_ENSURE_REGISTERED(GossipApplication);

TypeId
GossipApplication::GetTypeId()
{
    static TypeId tid =
        TypeId("ns3::GossipApplication")
            .SetParent<Application>()
            .SetGroupName("Gossip")
            .AddTraceSource("Tx",
                            "A datagram handed to the socket (a multicast once, to the group).",
                            MakeTraceSourceAccessor(&GossipApplication::m_txTrace),
                            "ns3::GossipApplication::PacketTracedCallback")
            .AddTraceSource("Rx",
                            "A datagram read from the socket, before it is parsed.",
                            MakeTraceSourceAccessor(&GossipApplication::m_rxTrace),
                            "ns3::GossipApplication::PacketTracedCallback")
            .AddTraceSource("Malformed",
                            "A datagram dropped because it did not parse or broke a bound of "
                            "the protocol, with the reason.",
                            MakeTraceSourceAccessor(&GossipApplication::m_malformedTrace),
                            "ns3::GossipApplication::MalformedTracedCallback");
    return tid;
}

GossipApplication::GossipApplication()
{
    NS_LOG_FUNCTION(this);
    m_rng = CreateObject<UniformRandomVariable>();
}

GossipApplication::~GossipApplication() = default;

void
GossipApplication::DoDispose()
{
    NS_LOG_FUNCTION(this);
    CloseSocket();
    Application::DoDispose();
}

int64_t
GossipApplication::AssignStreams(int64_t stream)
{
    NS_LOG_FUNCTION(this << stream);
    m_rng->SetStream(stream);
    return 1 + DoAssignStreams(stream + 1);
}

int64_t
GossipApplication::DoAssignStreams(int64_t)
{
    return 0;
}

uint64_t
GossipApplication::GetMalformed() const
{
    return m_malformed;
}

Ipv4Address
GossipApplication::GetLocalAddress() const
{
    return m_local;
}

Ptr<UniformRandomVariable>
GossipApplication::GetRandom() const
{
    return m_rng;
}

Ipv4Address
GossipApplication::ResolveLocalAddress()
{
    NS_LOG_FUNCTION(this);
    Ptr<Ipv4> ipv4 = GetNode()->GetObject<Ipv4>();
    NS_ABORT_MSG_IF(!ipv4 || ipv4->GetNInterfaces() < 2,
                    GetInstanceTypeId().GetName()
                        << ": node " << GetNode()->GetId() << " has no IPv4 interface");
    m_local = ipv4->GetAddress(1, 0).GetLocal();
    return m_local;
}

void
GossipApplication::OpenSocket(uint16_t port, Callback<void, Ptr<Socket>> recv)
{
    NS_LOG_FUNCTION(this << port);
    if (m_socket)
    {
        return;
    }
    m_socket = Socket::CreateSocket(GetNode(), UdpSocketFactory::GetTypeId());
    NS_ABORT_MSG_IF(m_socket->Bind(InetSocketAddress(Ipv4Address::GetAny(), port)) != 0,
                    GetInstanceTypeId().GetName()
                        << ": cannot bind UDP port " << port << " on node " << GetNode()->GetId());
    m_socket->SetRecvCallback(recv);
}

void
GossipApplication::CloseSocket()
{
    NS_LOG_FUNCTION(this);
    if (m_socket)
    {
        m_socket->SetRecvCallback(MakeNullCallback<void, Ptr<Socket>>());
        m_socket->Close();
        m_socket = nullptr;
    }
}

bool
GossipApplication::IsSocketOpen() const
{
    return bool(m_socket);
}

int
GossipApplication::SendTo(Ptr<Packet> p, Ipv4Address to, uint16_t port)
{
    // An address learnt from a peer can be anything. A link-local multicast one (224.0.0.0/24)
    // has no route without an output device: ns-3's static routing asserts in debug builds and
    // dereferences a null interface in optimized ones. Nothing of ours sends there.
    if (to.IsLocalMulticast())
    {
        NS_LOG_WARN("node " << GetNode()->GetId() << ": not sending to link-local multicast "
                            << to);
        return -1;
    }
    m_txTrace(p, to);
    return m_socket->SendTo(p, 0, InetSocketAddress(to, port));
}

Ptr<Packet>
GossipApplication::ReceiveFrom(Ipv4Address& from)
{
    Address address;
    while (m_socket)
    {
        Ptr<Packet> p = m_socket->RecvFrom(address);
        if (!p)
        {
            return nullptr;
        }
        if (!InetSocketAddress::IsMatchingType(address))
        {
            NotifyMalformed(p, Ipv4Address(), "not from an IPv4 address");
            continue;
        }
        from = InetSocketAddress::ConvertFrom(address).GetIpv4();
        m_rxTrace(p, from);
        return p;
    }
    return nullptr;
}

void
GossipApplication::NotifyMalformed(Ptr<const Packet> p, Ipv4Address from, const std::string& reason)
{
    NS_LOG_FUNCTION(this << p << from << reason);
    ++m_malformed;
    m_malformedTrace(p, from, reason);
}

} // namespace ns3
