/*
 * SPDX-License-Identifier: GPL-2.0-only
 */
#include "pbcast-rmcast-baseline.h"

#include "ns3/abort.h"
#include "ns3/boolean.h"
#include "ns3/log.h"
#include "ns3/node.h"
#include "ns3/packet.h"
#include "ns3/simulator.h"
#include "ns3/trace-source-accessor.h"
#include "ns3/uinteger.h"

namespace ns3
{

NS_LOG_COMPONENT_DEFINE("PbcastRmcastBaseline");
NS_OBJECT_ENSURE_REGISTERED(PbcastRmcastBaseline);

TypeId
PbcastRmcastBaseline::GetTypeId()
{
    static TypeId tid =
        TypeId("ns3::PbcastRmcastBaseline")
            .SetParent<GossipApplication>()
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
            .AddTraceSource("Broadcast",
                            "The sender took a message (its id: the sender's node id and the "
                            "sequence number).",
                            MakeTraceSourceAccessor(&PbcastRmcastBaseline::m_broadcastTrace),
                            "ns3::GossipApplication::MessageTracedCallback")
            .AddTraceSource("Deliver",
                            "A receiver delivered a message in order (its id).",
                            MakeTraceSourceAccessor(&PbcastRmcastBaseline::m_deliverTrace),
                            "ns3::GossipApplication::MessageTracedCallback");
    return tid;
}

PbcastRmcastBaseline::PbcastRmcastBaseline()
{
    NS_LOG_FUNCTION(this);
}

PbcastRmcastBaseline::~PbcastRmcastBaseline() = default;

void
PbcastRmcastBaseline::DoDispose()
{
    NS_LOG_FUNCTION(this);
    GossipApplication::DoDispose();
}

void
PbcastRmcastBaseline::SetReceivers(const std::vector<Ipv4Address>& receivers)
{
    NS_LOG_FUNCTION(this << receivers.size());
    m_isSender = true;
    m_receivers = receivers;
}

void
PbcastRmcastBaseline::SetSender(Ipv4Address sender, GossipSenderId senderId)
{
    NS_LOG_FUNCTION(this << sender << senderId);
    m_sender = sender;
    m_senderId = senderId;
}

void
PbcastRmcastBaseline::SetAsleep(bool asleep)
{
    NS_LOG_FUNCTION(this << asleep);
    m_asleep = asleep;
}

uint64_t
PbcastRmcastBaseline::GetDelivered() const
{
    NS_LOG_FUNCTION(this);
    return m_delivered;
}

uint64_t
PbcastRmcastBaseline::GetBacklog() const
{
    NS_LOG_FUNCTION(this);
    return m_queue.size();
}

void
PbcastRmcastBaseline::StartApplication()
{
    NS_LOG_FUNCTION(this);
    NS_ABORT_MSG_IF(m_useMulticast && !m_group.IsMulticast(),
                    "PbcastRmcastBaseline: Group " << m_group << " is not multicast");
    NS_ABORT_MSG_IF(m_isSender && m_receivers.empty(),
                    "PbcastRmcastBaseline: the sender needs receivers (SetReceivers)");
    OpenSocket(m_port, MakeCallback(&PbcastRmcastBaseline::Receive, this));
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
    NS_LOG_FUNCTION(this);
    m_timer.Cancel();
    CloseSocket();
}

bool
PbcastRmcastBaseline::Send(uint32_t size)
{
    NS_LOG_FUNCTION(this << size);
    NS_ABORT_MSG_IF(!m_isSender, "PbcastRmcastBaseline::Send on a receiver");
    if (m_queue.size() >= m_sendBuffer)
    {
        ++m_refused;
        return false;
    }
    // Messages leave the queue in order, so this one will be numbered after those queued.
    m_broadcastTrace(GossipMessageId{GetNode()->GetId(), m_nextSeq + m_queue.size()});
    m_queue.push_back({size, Simulator::Now()});
    Pump();
    return true;
}

uint64_t
PbcastRmcastBaseline::GetRefused() const
{
    NS_LOG_FUNCTION(this);
    return m_refused;
}

void
PbcastRmcastBaseline::Transmit(uint64_t seq, Ipv4Address to, bool multicast)
{
    auto it = m_unacked.find(seq);
    if (it == m_unacked.end() || !IsSocketOpen())
    {
        return;
    }
    PbcastRmcastHeader h;
    h.type = PbcastRmcastHeader::DATA;
    h.seq = seq;
    h.sentNs = it->second.second.GetNanoSeconds();
    Ptr<Packet> p = Create<Packet>(it->second.first);
    p->AddHeader(h);
    SendTo(p, multicast ? m_group : to, m_port);
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
    SendTo(p, m_sender, m_port);
}

void
PbcastRmcastBaseline::Receive(Ptr<Socket> /* socket */)
{
    Ipv4Address src;
    Ptr<Packet> p;
    while ((p = ReceiveFrom(src)))
    {
        if (m_asleep)
        {
            continue;
        }
        PbcastRmcastHeader h;
        if (p->PeekHeader(h) == 0)
        {
            NotifyMalformed(p, src, h.GetError());
            continue;
        }
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
                NS_LOG_LOGIC("deliver "
                             << m_expected << " after "
                             << (Simulator::Now() - m_outOfOrder.begin()->second).As(Time::MS));
                m_deliverTrace(GossipMessageId{m_senderId, m_expected});
                m_outOfOrder.erase(m_outOfOrder.begin());
                ++m_expected;
                ++m_delivered;
            }
        }
        SendControl(PbcastRmcastHeader::ACK, m_expected, 0);
    }
}

} // namespace ns3
