/*
 * SPDX-License-Identifier: GPL-2.0-only
 */
#include "gossip-application-helper.h"

#include "ns3/abort.h"
#include "ns3/gossip-application.h"
#include "ns3/gossip-mpi.h"
#include "ns3/ipv4.h"
#include "ns3/log.h"
#include "ns3/node.h"

namespace ns3
{

NS_LOG_COMPONENT_DEFINE("GossipApplicationHelper");

GossipApplicationHelper::GossipApplicationHelper(TypeId tid)
{
    m_factory.SetTypeId(tid);
}

GossipApplicationHelper::~GossipApplicationHelper() = default;

void
GossipApplicationHelper::SetAttribute(const std::string& name, const AttributeValue& value)
{
    m_factory.Set(name, value);
}

ApplicationContainer
GossipApplicationHelper::Install(NodeContainer nodes) const
{
    ApplicationContainer apps;
    for (auto it = nodes.Begin(); it != nodes.End(); ++it)
    {
        if (gossip::mpi::IsLocal(*it)) // under MPI, another rank's nodes get theirs there
        {
            apps.Add(DoInstall(*it));
        }
    }
    return apps;
}

ApplicationContainer
GossipApplicationHelper::Install(Ptr<Node> node) const
{
    return Install(NodeContainer(node));
}

int64_t
GossipApplicationHelper::AssignStreams(NodeContainer nodes, int64_t stream) const
{
    return AssignStreams(nodes, stream, nullptr);
}

int64_t
GossipApplicationHelper::AssignStreams(NodeContainer nodes,
                                       int64_t stream,
                                       const std::function<bool(Ptr<Application>)>& pick) const
{
    NS_LOG_FUNCTION(this << stream);
    int64_t current = stream;
    int64_t perApp = -1; // streams one application takes, for the nodes of other ranks
    for (auto it = nodes.Begin(); it != nodes.End(); ++it)
    {
        if (!gossip::mpi::IsLocal(*it))
        {
            // Under MPI the streams must not depend on how the nodes are spread over ranks:
            // skip as many as the application there takes.
            if (perApp < 0)
            {
                Ptr<GossipApplication> probe = m_factory.Create<GossipApplication>();
                NS_ABORT_MSG_IF(!probe,
                                m_factory.GetTypeId().GetName()
                                    << " is not a GossipApplication: it has no AssignStreams");
                perApp = probe->AssignStreams(0);
            }
            current += perApp;
            continue;
        }
        for (uint32_t j = 0; j < (*it)->GetNApplications(); ++j)
        {
            Ptr<Application> app = (*it)->GetApplication(j);
            if (app->GetInstanceTypeId() == m_factory.GetTypeId() && (!pick || pick(app)))
            {
                Ptr<GossipApplication> gossip = DynamicCast<GossipApplication>(app);
                NS_ABORT_MSG_IF(!gossip,
                                m_factory.GetTypeId().GetName()
                                    << " is not a GossipApplication: it has no AssignStreams");
                current += gossip->AssignStreams(current);
            }
        }
    }
    return current - stream;
}

Ipv4Address
GossipApplicationHelper::GetNodeAddress(Ptr<Node> node)
{
    Ptr<Ipv4> ipv4 = node->GetObject<Ipv4>();
    NS_ABORT_MSG_IF(!ipv4 || ipv4->GetNInterfaces() < 2,
                    "gossip helper: node " << node->GetId()
                                           << " has no IPv4 interface yet; install the topology "
                                              "first");
    return ipv4->GetAddress(1, 0).GetLocal();
}

Ptr<Application>
GossipApplicationHelper::DoInstall(Ptr<Node> node) const
{
    Ptr<Application> app = m_factory.Create<Application>();
    node->AddApplication(app);
    return app;
}

} // namespace ns3
