/*
 * SPDX-License-Identifier: GPL-2.0-only
 */
#include "pbcast-rmcast-baseline.h"

#include "ns3/abort.h"
#include "ns3/boolean.h"
#include "ns3/inet-socket-address.h"
#include "ns3/log.h"
#include "ns3/packet.h"
#include "ns3/simulator.h"
#include "ns3/trace-source-accessor.h"
#include "ns3/udp-socket-factory.h"
#include "ns3/uinteger.h"

namespace ns3
{

NS_LOG_COMPONENT_DEFINE("PbcastRmcastBaseline");
NS_OBJECT_ENSURE_REGISTERED(PbcastRmcastHeader);
NS_OBJECT_ENSURE_REGISTERED(PbcastRmcastBaseline);

TypeId
PbcastRmcastHeader::GetTypeId()
{
    static TypeId tid = TypeId("ns3::PbcastRmcastHeader")
                            .SetParent<Header>()
                            .SetGroupName("Gossip")
                            .AddConstructor<PbcastRmcastHeader>();
    return tid;
}

TypeId
PbcastRmcastHeader::GetInstanceTypeId() const
{
    return GetTypeId();
}

void
PbcastRmcastHeader::Print(std::ostream& os) const
{
    if (!m_valid)
    {
        os << "rmcast MALFORMED";
        return;
    }
    const char* names[] = {"?", "DATA", "ACK", "NACK"};
    os << "rmcast v" << unsigned(VERSION) << " " << names[type] << " seq=" << seq
       << " value=" << value;
}

uint32_t
PbcastRmcastHeader::GetSerializedSize() const
{
    return SIZE;
}

void
PbcastRmcastHeader::Serialize(Buffer::Iterator it) const
{
    it.WriteU8(VERSION);
    it.WriteU8(type);
    it.WriteHtonU64(seq);
    it.WriteHtonU64(value);
    it.WriteHtonU64(static_cast<uint64_t>(sentNs));
}

uint32_t
PbcastRmcastHeader::Deserialize(Buffer::Iterator it)
{
    m_valid = false;
    if (it.GetRemainingSize() < SIZE)
    {
        return 0;
    }
    uint8_t v = it.ReadU8();
    uint8_t t = it.ReadU8();
    if (v != VERSION || t < DATA || t > NACK)
    {
        return 0;
    }
    type = static_cast<MessageType>(t);
    seq = it.ReadNtohU64();
    value = it.ReadNtohU64();
    sentNs = static_cast<int64_t>(it.ReadNtohU64());
    m_valid = true;
    return SIZE;
}

bool
PbcastRmcastHeader::IsValid() const
{
    return m_valid;
}

TypeId
PbcastRmcastBaseline::GetTypeId()
{
    static TypeId tid =
        TypeId("ns3::PbcastRmcastBaseline")
            .SetParent<Application>()
            .SetGroupName("Gossip")
            .AddConstructor<PbcastRmcastBaseline>()
            .AddAttribute("Port",
                          "UDP port.",
                          UintegerValue(7947),
                          MakeUintegerAccessor(&PbcastRmcastBaseline::m_port),
                          MakeUintegerChecker<uint16_t>(1, 65535))
            .AddAttribute("Group",
                          "IP multicast group.",
                          Ipv4AddressValue(Ipv4Address("239.255.0.2")),
                          MakeIpv4AddressAccessor(&PbcastRmcastBaseline::m_group),
                          MakeIpv4AddressChecker())
            .AddAttribute("UseMulticast",
                          "First transmission by IP multicast (else 1:1 unicast).",
                          BooleanValue(true),
                          MakeBooleanAccessor(&PbcastRmcastBaseline::m_useMulticast),
                          MakeBooleanChecker())
            .AddAttribute("Window",
                          "Messages the sender may have unacknowledged by some receiver.",
                          UintegerValue(32),
                          MakeUintegerAccessor(&PbcastRmcastBaseline::m_window),
                          MakeUintegerChecker<uint32_t>(1, 100000))
            .AddAttribute("RetransmitTimeout",
                          "Resend to a receiver whose ack has not advanced for this long.",
                          TimeValue(MilliSeconds(200)),
                          MakeTimeAccessor(&PbcastRmcastBaseline::m_rto),
                          MakeTimeChecker(MilliSeconds(1), Seconds(100)))
            .AddAttribute("MaxBurst",
                          "Messages resent to one receiver per timeout or NACK.",
                          UintegerValue(4),
                          MakeUintegerAccessor(&PbcastRmcastBaseline::m_maxBurst),
                          MakeUintegerChecker<uint32_t>(1, 100000))
            .AddAttribute("SendBuffer",
                          "Messages the sender queues behind a closed window before it blocks.",
                          UintegerValue(32),
                          MakeUintegerAccessor(&PbcastRmcastBaseline::m_sendBuffer),
                          MakeUintegerChecker<uint32_t>(0, 10000000))
            .AddTraceSource("Deliver",
                            "A receiver delivered a message in order (seq, latency).",
                            MakeTraceSourceAccessor(&PbcastRmcastBaseline::m_deliverTrace),
                            "ns3::PbcastRmcastBaseline::DeliverTracedCallback")
            .AddTraceSource("Tx",
                            "Every datagram sent.",
                            MakeTraceSourceAccessor(&PbcastRmcastBaseline::m_txTrace),
                            "ns3::Packet::TracedCallback")
            .AddTraceSource("Malformed",
                            "A garbage datagram was dropped.",
                            MakeTraceSourceAccessor(&PbcastRmcastBaseline::m_malformedTrace),
                            "ns3::PbcastApplication::MalformedTracedCallback");
    return tid;
}

PbcastRmcastBaseline::PbcastRmcastBaseline() = default;

void
PbcastRmcastBaseline::DoDispose()
{
    m_socket = nullptr;
    Application::DoDispose();
}

void
PbcastRmcastBaseline::SetReceivers(const std::vector<Ipv4Address>& receivers)
{
    m_isSender = true;
    m_receivers = receivers;
}

void
PbcastRmcastBaseline::SetSender(Ipv4Address sender)
{
    m_sender = sender;
}

void
PbcastRmcastBaseline::SetAsleep(bool asleep)
{
    m_asleep = asleep;
}

uint64_t
PbcastRmcastBaseline::GetDelivered() const
{
    return m_delivered;
}

uint64_t
PbcastRmcastBaseline::GetBacklog() const
{
    return m_queue.size();
}

void
PbcastRmcastBaseline::StartApplication()
{
    NS_ABORT_MSG_IF(m_useMulticast && !m_group.IsMulticast(),
                    "PbcastRmcastBaseline: Group " << m_group << " is not multicast");
    NS_ABORT_MSG_IF(m_isSender && m_receivers.empty(),
                    "PbcastRmcastBaseline: the sender needs receivers (SetReceivers)");
    m_socket = Socket::CreateSocket(GetNode(), UdpSocketFactory::GetTypeId());
    NS_ABORT_MSG_IF(m_socket->Bind(InetSocketAddress(Ipv4Address::GetAny(), m_port)) != 0,
                    "PbcastRmcastBaseline: cannot bind port " << m_port);
    m_socket->SetRecvCallback(MakeCallback(&PbcastRmcastBaseline::Receive, this));
    if (m_isSender)
    {
        for (const auto& r : m_receivers)
        {
            m_acked[r.Get()] = 0;
            m_lastProgress[r.Get()] = Simulator::Now();
        }
        m_timer = Simulator::Schedule(m_rto / 4, &PbcastRmcastBaseline::CheckTimeouts, this);
    }
}

void
PbcastRmcastBaseline::StopApplication()
{
    m_timer.Cancel();
    if (m_socket)
    {
        m_socket->SetRecvCallback(MakeNullCallback<void, Ptr<Socket>>());
        m_socket->Close();
        m_socket = nullptr;
    }
}

bool
PbcastRmcastBaseline::Send(uint32_t size)
{
    NS_ABORT_MSG_IF(!m_isSender, "PbcastRmcastBaseline::Send on a receiver");
    if (m_queue.size() >= m_sendBuffer)
    {
        ++m_refused;
        return false;
    }
    m_queue.push_back({size, Simulator::Now()});
    Pump();
    return true;
}

uint64_t
PbcastRmcastBaseline::GetRefused() const
{
    return m_refused;
}

void
PbcastRmcastBaseline::Transmit(uint64_t seq, Ipv4Address to, bool multicast)
{
    auto it = m_unacked.find(seq);
    if (it == m_unacked.end() || !m_socket)
    {
        return;
    }
    PbcastRmcastHeader h;
    h.type = PbcastRmcastHeader::DATA;
    h.seq = seq;
    h.sentNs = it->second.second.GetNanoSeconds();
    Ptr<Packet> p = Create<Packet>(it->second.first);
    p->AddHeader(h);
    m_txTrace(p);
    m_socket->SendTo(p, 0, InetSocketAddress(multicast ? m_group : to, m_port));
}

void
PbcastRmcastBaseline::Pump()
{
    // Release queued messages while the window (behind the slowest receiver) allows.
    while (!m_queue.empty() && m_nextSeq < m_base + m_window)
    {
        uint64_t seq = m_nextSeq++;
        for (const auto& r : m_receivers)
        {
            if (m_acked[r.Get()] == seq)
            {
                m_lastProgress[r.Get()] = Simulator::Now(); // its timer starts with this message
            }
        }
        // Latency counts from when the application handed the message over.
        m_unacked[seq] = m_queue.front();
        m_queue.pop_front();
        if (m_useMulticast)
        {
            Transmit(seq, m_group, true);
        }
        else
        {
            for (const auto& r : m_receivers)
            {
                Transmit(seq, r, false);
            }
        }
    }
}

void
PbcastRmcastBaseline::CheckTimeouts()
{
    m_timer = Simulator::Schedule(m_rto / 4, &PbcastRmcastBaseline::CheckTimeouts, this);
    Time now = Simulator::Now();
    for (const auto& r : m_receivers)
    {
        uint64_t acked = m_acked[r.Get()];
        if (acked < m_nextSeq && now - m_lastProgress[r.Get()] >= m_rto)
        {
            for (uint64_t s = acked; s < m_nextSeq && s < acked + m_maxBurst; ++s)
            {
                Transmit(s, r, false);
            }
            m_lastProgress[r.Get()] = now; // back off for another timeout
            NS_LOG_LOGIC("timeout for " << r << " acked " << acked << " next " << m_nextSeq);
        }
    }
}

void
PbcastRmcastBaseline::SendControl(PbcastRmcastHeader::MessageType t, uint64_t seq, uint64_t value)
{
    PbcastRmcastHeader h;
    h.type = t;
    h.seq = seq;
    h.value = value;
    Ptr<Packet> p = Create<Packet>();
    p->AddHeader(h);
    m_txTrace(p);
    m_socket->SendTo(p, 0, InetSocketAddress(m_sender, m_port));
}

void
PbcastRmcastBaseline::Receive(Ptr<Socket> socket)
{
    Address from;
    Ptr<Packet> p;
    while ((p = socket->RecvFrom(from)))
    {
        if (m_asleep)
        {
            continue;
        }
        PbcastRmcastHeader h;
        uint32_t n = p->PeekHeader(h);
        if (n == 0 || !InetSocketAddress::IsMatchingType(from))
        {
            m_malformedTrace(p, from);
            continue;
        }
        Ipv4Address src = InetSocketAddress::ConvertFrom(from).GetIpv4();
        if (m_isSender)
        {
            auto a = m_acked.find(src.Get());
            if (a == m_acked.end())
            {
                continue; // not in the view
            }
            if (h.type == PbcastRmcastHeader::ACK && h.seq > a->second)
            {
                a->second = std::min(h.seq, m_nextSeq);
                m_lastProgress[src.Get()] = Simulator::Now();
                uint64_t base = m_nextSeq;
                for (const auto& kv : m_acked)
                {
                    base = std::min(base, kv.second);
                }
                while (m_base < base)
                {
                    m_unacked.erase(m_base++);
                }
                Pump();
            }
            else if (h.type == PbcastRmcastHeader::NACK)
            {
                uint64_t end = std::min(h.value, m_nextSeq);
                for (uint64_t s = std::max(h.seq, a->second); s < end; ++s)
                {
                    Transmit(s, src, false);
                }
            }
            continue;
        }
        if (h.type != PbcastRmcastHeader::DATA)
        {
            continue;
        }
        if (h.seq >= m_expected && !m_outOfOrder.count(h.seq))
        {
            if (h.seq > m_highest)
            {
                // A new gap opened above everything seen so far: ask for it at once.
                SendControl(PbcastRmcastHeader::NACK, std::max(m_expected, m_highest), h.seq);
            }
            m_highest = std::max(m_highest, h.seq + 1);
            m_outOfOrder[h.seq] = NanoSeconds(h.sentNs);
            while (!m_outOfOrder.empty() && m_outOfOrder.begin()->first == m_expected)
            {
                m_deliverTrace(m_expected, Simulator::Now() - m_outOfOrder.begin()->second);
                m_outOfOrder.erase(m_outOfOrder.begin());
                ++m_expected;
                ++m_delivered;
            }
        }
        SendControl(PbcastRmcastHeader::ACK, m_expected, 0);
    }
}

} // namespace ns3
