/*
 * SPDX-License-Identifier: GPL-2.0-only
 */
#ifndef AGGREGATION_APPLICATION_H
#define AGGREGATION_APPLICATION_H

#include "aggregation-header.h"
#include "gossip-application.h"

#include "ns3/ipv4-address.h"

#include <memory>
#include <vector>

namespace ns3
{

/**
 * \ingroup gossip
 * \brief What the aggregation baselines (flooding tree, push-sum, top-c) have in common beyond
 * GossipApplication: who a node talks to (fixed neighbours or a random member), and datagrams
 * that carry one AggregationHeader.
 *
 * Socket, own address, random stream, AssignStreams and the Tx, Rx and Malformed trace sources
 * come from GossipApplication.
 */
class AggregationApplication : public GossipApplication
{
  public:
    static TypeId GetTypeId();
    AggregationApplication();
    ~AggregationApplication() override;

    /// Fixed overlay neighbours (for the modes that gossip or flood along them).
    void SetNeighbours(const std::vector<Ipv4Address>& neighbours);
    /// The group, for modes that pick random members; repeats are removed (shared by a helper).
    void SetMembership(std::shared_ptr<const std::vector<Ipv4Address>> members);

  protected:
    void DoDispose() override;
    /**
     * The next datagram from the socket whose header parses; datagrams whose header does not
     * parse are dropped through Malformed, with the decoder's reason.
     * \return false when the socket has nothing left.
     */
    bool ReceiveHeader(Ptr<Packet>& packet, AggregationHeader& header, Ipv4Address& from);
    /// Send h alone in a datagram to (to, port), through GossipApplication::SendTo.
    void SendHeader(const AggregationHeader& h, Ipv4Address to, uint16_t port);

    std::vector<Ipv4Address> m_neighbours;                     //!< fixed neighbours, if any
    std::shared_ptr<const std::vector<Ipv4Address>> m_members; //!< the group, without repeats
};

} // namespace ns3

#endif /* AGGREGATION_APPLICATION_H */
