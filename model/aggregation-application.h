/*
 * SPDX-License-Identifier: GPL-2.0-only
 */
#ifndef AGGREGATION_APPLICATION_H
#define AGGREGATION_APPLICATION_H

#include "aggregation-header.h"

#include "ns3/application.h"
#include "ns3/ipv4-address.h"
#include "ns3/random-variable-stream.h"
#include "ns3/socket.h"
#include "ns3/traced-callback.h"

#include <memory>
#include <vector>

namespace ns3
{

/**
 * \ingroup gossip
 * \brief What the aggregation baselines (flooding tree, push-sum, top-c) have in common: who a
 * node talks to (fixed neighbours or a random member), one random stream, one UDP socket, and
 * the Tx and MalformedPacket trace sources that the statistics are computed from.
 */
class AggregationApplication : public Application
{
  public:
    static TypeId GetTypeId();
    AggregationApplication();
    ~AggregationApplication() override;

    /// Fixed overlay neighbours (for the modes that gossip or flood along them).
    void SetNeighbours(const std::vector<Ipv4Address>& neighbours);
    /// The group, for modes that pick random members; repeats are removed (shared by a helper).
    void SetMembership(std::shared_ptr<const std::vector<Ipv4Address>> members);
    /// Fix the random stream. \return the number of streams used (1).
    int64_t AssignStreams(int64_t stream);

    /// Tx and MalformedPacket: the datagram, and its destination or source.
    typedef void (*TxCallback)(Ptr<const Packet> packet, Ipv4Address to);

  protected:
    void DoDispose() override;
    /// Open the UDP socket on port; datagrams go to recv.
    void OpenSocket(uint16_t port, Callback<void, Ptr<Socket>> recv);
    /**
     * The next datagram from the socket whose header parses; datagrams that are too short or
     * do not parse are counted through MalformedPacket and skipped.
     * \return false when the socket has nothing left.
     */
    bool NextDatagram(Ptr<Socket> socket,
                      Ptr<Packet>& packet,
                      AggregationHeader& header,
                      Ipv4Address& from);

    std::vector<Ipv4Address> m_neighbours;
    std::shared_ptr<const std::vector<Ipv4Address>> m_members;
    Ptr<UniformRandomVariable> m_rng;
    Ptr<Socket> m_socket;
    TracedCallback<Ptr<const Packet>, Ipv4Address> m_txTrace;
    TracedCallback<Ptr<const Packet>, Ipv4Address> m_malformedTrace;
};

} // namespace ns3

#endif /* AGGREGATION_APPLICATION_H */
