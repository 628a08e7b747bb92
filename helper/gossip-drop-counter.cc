/*
 * SPDX-License-Identifier: GPL-2.0-only
 */
#include "gossip-drop-counter.h"

#include "ns3/gossip-mpi.h"
#include "ns3/gossip-ns3-compat.h"
#include "ns3/log.h"
#include "ns3/net-device.h"
#include "ns3/node.h"
#include "ns3/point-to-point-net-device.h"
#include "ns3/queue-disc.h"
#include "ns3/traffic-control-layer.h"

#include <iterator>

namespace ns3
{

namespace
{
/// Where a drop happens, as GetPerPlace() names it.
const char* const kPlaces[] = {"device queue", "traffic control", "queue disc"};
} // namespace

NS_LOG_COMPONENT_DEFINE("GossipDropCounter");

NS_OBJECT_ENSURE_REGISTERED(GossipDropCounter);

TypeId
GossipDropCounter::GetTypeId()
{
    static TypeId tid =
        TypeId("ns3::GossipDropCounter")
            .SetParent<Object>()
            .SetGroupName("Gossip")
            .AddConstructor<GossipDropCounter>()
            .AddTraceSource("Drop",
                            "A datagram dropped for lack of queue room: the packet, the node and "
                            "the place (device queue, traffic control, queue disc).",
                            MakeTraceSourceAccessor(&GossipDropCounter::m_dropTrace),
                            "ns3::GossipDropCounter::DropTracedCallback");
    return tid;
}

GossipDropCounter::GossipDropCounter() = default;

GossipDropCounter::~GossipDropCounter() = default;

void
GossipDropCounter::Dropped(uint32_t nodeId, const std::string& where, Ptr<const Packet> packet)
{
    ++m_total;
    ++m_perNode[nodeId];
    ++m_perPlace[where];
    m_dropTrace(packet, nodeId, where);
}

void
GossipDropCounter::DeviceQueueDrop(GossipDropCounter* self, uint32_t nodeId, Ptr<const Packet> p)
{
    self->Dropped(nodeId, kPlaces[0], p);
}

void
GossipDropCounter::TrafficControlDrop(GossipDropCounter* self, uint32_t nodeId, Ptr<const Packet> p)
{
    self->Dropped(nodeId, kPlaces[1], p);
}

void
GossipDropCounter::QueueDiscDrop(GossipDropCounter* self,
                                 uint32_t nodeId,
                                 Ptr<const QueueDiscItem> item)
{
    self->Dropped(nodeId, kPlaces[2], item->GetPacket());
}

void
GossipDropCounter::Attach(const NodeContainer& nodes)
{
    NS_LOG_FUNCTION(this << nodes.GetN());
    for (auto it = nodes.Begin(); it != nodes.End(); ++it)
    {
        Ptr<Node> node = *it;
        uint32_t id = node->GetId();
        for (uint32_t d = 0; d < node->GetNDevices(); ++d)
        {
            Ptr<NetDevice> dev = node->GetDevice(d);
            if (DynamicCast<PointToPointNetDevice>(dev))
            {
                dev->TraceConnectWithoutContext(
                    "MacTxDrop",
                    MakeBoundCallback(&GossipDropCounter::DeviceQueueDrop, this, id));
            }
        }
        Ptr<TrafficControlLayer> tc = node->GetObject<TrafficControlLayer>();
        if (!tc)
        {
            continue;
        }
        if (gossip::compat::HAS_TC_DROP_TRACE)
        {
            tc->TraceConnectWithoutContext(
                "TcDrop",
                MakeBoundCallback(&GossipDropCounter::TrafficControlDrop, this, id));
        }
        for (uint32_t d = 0; d < node->GetNDevices(); ++d)
        {
            Ptr<QueueDisc> root = tc->GetRootQueueDiscOnDevice(node->GetDevice(d));
            if (root)
            {
                root->TraceConnectWithoutContext(
                    "Drop",
                    MakeBoundCallback(&GossipDropCounter::QueueDiscDrop, this, id));
            }
        }
    }
}

void
GossipDropCounter::Merge()
{
    if (!gossip::mpi::IsDistributed())
    {
        return;
    }
    std::vector<uint64_t> perNode;
    for (const auto& [node, count] : m_perNode)
    {
        perNode.insert(perNode.end(), {node, count});
    }
    perNode = gossip::mpi::Gather(perNode);
    m_perNode.clear();
    for (size_t i = 0; i + 1 < perNode.size(); i += 2)
    {
        m_perNode[uint32_t(perNode[i])] += perNode[i + 1];
    }
    std::vector<uint64_t> counts{m_total};
    for (const char* place : kPlaces)
    {
        auto it = m_perPlace.find(place);
        counts.push_back(it == m_perPlace.end() ? 0 : it->second);
    }
    gossip::mpi::Sum(counts);
    m_total = counts[0];
    m_perPlace.clear();
    for (size_t k = 0; k < std::size(kPlaces); ++k)
    {
        if (counts[k + 1] > 0)
        {
            m_perPlace[kPlaces[k]] = counts[k + 1];
        }
    }
}

uint64_t
GossipDropCounter::GetTotal() const
{
    return m_total;
}

uint64_t
GossipDropCounter::GetDrops(uint32_t nodeId) const
{
    auto it = m_perNode.find(nodeId);
    return it == m_perNode.end() ? 0 : it->second;
}

const std::map<uint32_t, uint64_t>&
GossipDropCounter::GetPerNode() const
{
    return m_perNode;
}

const std::map<std::string, uint64_t>&
GossipDropCounter::GetPerPlace() const
{
    return m_perPlace;
}

} // namespace ns3
