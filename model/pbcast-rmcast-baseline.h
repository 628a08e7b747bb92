/*
 * SPDX-License-Identifier: GPL-2.0-only
 */
#ifndef PBCAST_RMCAST_BASELINE_H
#define PBCAST_RMCAST_BASELINE_H

#include "gossip-application.h"
#include "pbcast-rmcast-header.h"

#include "ns3/event-id.h"
#include "ns3/ipv4-address.h"
#include "ns3/nstime.h"
#include "ns3/traced-callback.h"

#include <deque>
#include <map>
#include <vector>

namespace ns3
{

/**
 * \ingroup gossip
 * \brief The paper's point of comparison: a traditional reliable multicast in the virtually
 * synchronous style. One sender with a fixed view of receivers keeps a window of unacknowledged
 * messages: a message is released to the network only when every receiver has acknowledged
 * all messages Window places behind it. Receivers deliver in order, ack cumulatively and NACK
 * gaps; the sender retransmits by unicast on a NACK or when a receiver's ack is older than
 * RetransmitTimeout. One slow receiver therefore throttles everyone (what Fig. 1 shows).
 *
 * Trace sources: Tx, Rx and Malformed (GossipApplication); Broadcast (the sender took a message;
 * its id is the sender's node id and the message's sequence number) and Deliver (a receiver
 * delivered it in order), both with GossipApplication::MessageTracedCallback, so that
 * GossipDeliveryStats::Attach follows the baseline as it follows pbcast.
 */
class PbcastRmcastBaseline : public GossipApplication
{
  public:
    static TypeId GetTypeId();
    PbcastRmcastBaseline();
    ~PbcastRmcastBaseline() override;

    /// Make this the sender, with a fixed view of the receivers.
    void SetReceivers(const std::vector<Ipv4Address>& receivers);
    /// Receivers: where acks go, and the sender's id (its node id) that names its messages.
    void SetSender(Ipv4Address sender, GossipSenderId senderId);
    /**
     * Sender: queue a message; it goes out when the window allows. A blocked sender (queue of
     * SendBuffer messages full) cannot take it: the application's sending slot is lost, as
     * when a blocking send stalls a paced sender.
     * \return false if the message was refused.
     */
    bool Send(uint32_t size);
    /// Sender: messages refused because the send buffer was full.
    uint64_t GetRefused() const;
    /// A perturbed receiver drops everything while asleep.
    void SetAsleep(bool asleep);
    uint64_t GetDelivered() const;
    /// Sender: messages queued but not yet released by the window.
    uint64_t GetBacklog() const;

  protected:
    void DoDispose() override;

  private:
    void StartApplication() override;
    void StopApplication() override;
    void Receive(Ptr<Socket> socket);
    void Pump();
    void CheckTimeouts();
    void Transmit(uint64_t seq, Ipv4Address to, bool multicast);
    void SendControl(PbcastRmcastHeader::MessageType t, uint64_t seq, uint64_t value);

    uint16_t m_port;
    Ipv4Address m_group;
    bool m_useMulticast;
    uint32_t m_window;
    Time m_rto;
    uint32_t m_maxBurst;
    uint32_t m_sendBuffer;
    uint64_t m_refused{0};

    bool m_isSender{false};
    bool m_asleep{false};
    std::vector<Ipv4Address> m_receivers;
    std::map<uint32_t, uint64_t> m_acked;          //!< receiver address -> cumulative ack
    std::map<uint32_t, Time> m_lastProgress;       //!< receiver address -> last ack advance
    std::deque<std::pair<uint32_t, Time>> m_queue; //!< size, enqueue time
    std::map<uint64_t, std::pair<uint32_t, Time>> m_unacked;
    uint64_t m_nextSeq{0};
    uint64_t m_base{0}; //!< lowest seq not acked by everyone
    EventId m_timer;

    Ipv4Address m_sender;
    GossipSenderId m_senderId{0};
    uint64_t m_expected{0};
    uint64_t m_highest{0}; //!< one past the highest seq seen
    std::map<uint64_t, Time> m_outOfOrder;
    uint64_t m_delivered{0};

    TracedCallback<const GossipMessageId&> m_broadcastTrace;
    TracedCallback<const GossipMessageId&> m_deliverTrace;
};

} // namespace ns3

#endif /* PBCAST_RMCAST_BASELINE_H */
