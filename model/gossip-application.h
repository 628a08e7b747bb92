/*
 * SPDX-License-Identifier: GPL-2.0-only
 */
#ifndef GOSSIP_APPLICATION_H
#define GOSSIP_APPLICATION_H

#include "gossip-message-id.h"
#include "gossip-ns3-compat.h"

#include "ns3/application.h"
#include "ns3/ipv4-address.h"
#include "ns3/random-variable-stream.h"
#include "ns3/socket.h"
#include "ns3/traced-callback.h"

#include <string>

/**
 * \defgroup gossip Gossip protocols over ns-3 IP networks
 *
 * Epidemic protocols as ns-3 Applications over real UDP, IP multicast and static routing:
 * Bimodal Multicast (pbcast), lpbcast with a small-world peer overlay, hierarchical Astrolabe
 * with SQL aggregation, and the aggregation baselines the lecture compares them with (a
 * flooding-built spanning tree, push-sum, top-c, the "fair but dreadful" tree), with helpers
 * that build datacenter (leaf-spine) and WAN topologies, install the protocols and collect
 * statistics from their trace sources.
 *
 * Every protocol has the same shape: a thin Application (socket, timers, trace sources) over
 * plain state classes in a per-protocol namespace (ns3::pbcast, ns3::lpbcast, ns3::astrolabe,
 * ns3::aggregation); one wire codec (gossip-wire.h) under every Header; helpers shaped like
 * ns-3's application helpers; and the same trace names for the same events (Tx, Rx, Malformed,
 * Broadcast, Deliver), declared by GossipApplication.
 */

namespace ns3
{

/**
 * \ingroup gossip
 * \brief What every Application of the module shares: one UDP socket, the node's own address,
 * a random variable with AssignStreams, and the trace sources of the common vocabulary.
 *
 * Trace sources, with the same name and signature in every protocol:
 * - Tx (packet, destination): a datagram handed to the socket (a multicast once, to the group);
 * - Rx (packet, source): a datagram read from the socket, before it is parsed;
 * - Malformed (packet, source, reason): a datagram dropped because it did not parse or broke a
 *   bound of the protocol; also counted (GetMalformed).
 * Protocols that disseminate messages add Broadcast (id) and Deliver (id) with the
 * MessageTracedCallback signature, and their own events beside them.
 */
class GossipApplication : public Application
{
  public:
    static TypeId GetTypeId();
    GossipApplication();
    ~GossipApplication() override;

    /**
     * Use fixed random streams: the first for the application's random variable, the next for
     * the subclass's own (DoAssignStreams).
     * \return the number of streams used
     */
    int64_t AssignStreams(int64_t stream) GOSSIP_ASSIGN_STREAMS_OVERRIDE;

    /// Datagrams dropped as malformed so far.
    uint64_t GetMalformed() const;

    /// The node's own address (interface 1), known once the application started.
    Ipv4Address GetLocalAddress() const;

    /// Tx and Rx: a datagram and its destination or source.
    typedef void (*PacketTracedCallback)(Ptr<const Packet> packet, Ipv4Address peer);
    /// Malformed: a datagram, its source, and why it was dropped.
    typedef void (*MalformedTracedCallback)(Ptr<const Packet> packet,
                                            Ipv4Address source,
                                            const std::string& reason);
    /// Broadcast and Deliver: a message by its id.
    typedef void (*MessageTracedCallback)(const GossipMessageId& id);

  protected:
    void DoDispose() override;

    /// Streams of the subclass's own random variables, from stream on. \return how many.
    virtual int64_t DoAssignStreams(int64_t stream);

    /// The application's random variable (every draw of the protocol goes through it).
    Ptr<UniformRandomVariable> GetRandom() const;

    /**
     * Look up the node's address on interface 1, aborting with a clear message if the node has
     * no IPv4 interface. \return the address (also GetLocalAddress() from now on)
     */
    Ipv4Address ResolveLocalAddress();

    /// Open a UDP socket bound to port on any address; readable datagrams go to recv.
    void OpenSocket(uint16_t port, Callback<void, Ptr<Socket>> recv);
    /// Close the socket (idempotent); nothing is received after this.
    void CloseSocket();
    /// Whether the socket is open.
    bool IsSocketOpen() const;

    /// Fire Tx, then send p to (to, port). \return the socket's SendTo result.
    int SendTo(Ptr<Packet> p, Ipv4Address to, uint16_t port);

    /**
     * The next datagram on the socket, with its source, after firing Rx; a datagram from a
     * non-IPv4 address is dropped as malformed. \return nullptr when none is left.
     */
    Ptr<Packet> ReceiveFrom(Ipv4Address& from);

    /// Count a dropped datagram and fire Malformed.
    void NotifyMalformed(Ptr<const Packet> p, Ipv4Address from, const std::string& reason);

  private:
    Ptr<UniformRandomVariable> m_rng;
    Ptr<Socket> m_socket;
    Ipv4Address m_local;
    uint64_t m_malformed{0};

    TracedCallback<Ptr<const Packet>, Ipv4Address> m_txTrace;
    TracedCallback<Ptr<const Packet>, Ipv4Address> m_rxTrace;
    TracedCallback<Ptr<const Packet>, Ipv4Address, const std::string&> m_malformedTrace;
};

} // namespace ns3

#endif /* GOSSIP_APPLICATION_H */
