/*
 * SPDX-License-Identifier: GPL-2.0-only
 */
#ifndef GOSSIP_DROP_COUNTER_H
#define GOSSIP_DROP_COUNTER_H

#include "ns3/node-container.h"
#include "ns3/object.h"
#include "ns3/packet.h"
#include "ns3/queue-item.h"
#include "ns3/traced-callback.h"

#include <map>
#include <string>

namespace ns3
{

/**
 * \ingroup gossip
 * \brief Counts and traces every datagram a topology drops for lack of queue room: at a device
 * queue (PointToPointNetDevice MacTxDrop), in the traffic-control layer when a device's queue is
 * stopped and no queue disc is installed (TcDrop; ns-3.35 has no such trace and drops those
 * silently), and in queue discs when they are installed (QueueDisc Drop). Link losses (error
 * models) are not drops here.
 *
 * The topology helpers attach one to every node they build (GetDropCounter()); examples that
 * report delivery report these drops beside it.
 */
class GossipDropCounter : public Object
{
  public:
    static TypeId GetTypeId();
    GossipDropCounter();
    ~GossipDropCounter() override;

    /// Follow the devices, traffic-control layer and queue discs of nodes (call once they are
    /// built; queue discs installed later are not followed).
    void Attach(const NodeContainer& nodes);

    /// Drops so far, everywhere.
    uint64_t GetTotal() const;
    /// Drops so far at a node.
    uint64_t GetDrops(uint32_t nodeId) const;
    /// Drops so far, per node (nodes without drops are absent).
    const std::map<uint32_t, uint64_t>& GetPerNode() const;
    /// Drops so far, per place: "device queue", "traffic control", "queue disc".
    const std::map<std::string, uint64_t>& GetPerPlace() const;

    /**
     * Under ns-3's distributed simulator each rank counts its own nodes' drops: gather every
     * rank's counts, at every rank. A collective call, once, after Simulator::Run(); nothing in
     * one process.
     */
    void Merge();

    /// Drop: the packet, the node it was dropped at, and where ("device queue", ...).
    typedef void (*DropTracedCallback)(Ptr<const Packet> packet,
                                       uint32_t nodeId,
                                       const std::string& where);

  private:
    void Dropped(uint32_t nodeId, const std::string& where, Ptr<const Packet> packet);

    // Trace sinks, one per place, bound to (counter, node) with MakeBoundCallback: binding a
    // member function and a string needs Callback::Bind, which ns-3.35 lacks.
    static void DeviceQueueDrop(GossipDropCounter* self, uint32_t nodeId, Ptr<const Packet> p);
    static void TrafficControlDrop(GossipDropCounter* self, uint32_t nodeId, Ptr<const Packet> p);
    static void QueueDiscDrop(GossipDropCounter* self,
                              uint32_t nodeId,
                              Ptr<const QueueDiscItem> item);

    std::map<uint32_t, uint64_t> m_perNode;
    std::map<std::string, uint64_t> m_perPlace;
    uint64_t m_total{0};
    TracedCallback<Ptr<const Packet>, uint32_t, const std::string&> m_dropTrace;
};

} // namespace ns3

#endif /* GOSSIP_DROP_COUNTER_H */
