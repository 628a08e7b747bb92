/*
 * SPDX-License-Identifier: GPL-2.0-only
 */
#ifndef GOSSIP_APPLICATION_HELPER_H
#define GOSSIP_APPLICATION_HELPER_H

#include "ns3/application-container.h"
#include "ns3/ipv4-address.h"
#include "ns3/node-container.h"
#include "ns3/object-factory.h"

#include <functional>
#include <string>

namespace ns3
{

/**
 * \ingroup gossip
 * \brief The shape of every protocol helper of the module, as ns-3's ApplicationHelper (which
 * older releases lack): an ObjectFactory for the application, SetAttribute, const Install on a
 * NodeContainer or a node, and AssignStreams on nodes. A helper keeps configuration only, never
 * what an Install produced.
 */
class GossipApplicationHelper
{
  public:
    /// A helper for applications of type tid.
    explicit GossipApplicationHelper(TypeId tid);
    virtual ~GossipApplicationHelper();

    /// Set an attribute of every application installed from now on.
    void SetAttribute(const std::string& name, const AttributeValue& value);

    /// One application on each node. \return the applications, in node order
    virtual ApplicationContainer Install(NodeContainer nodes) const;
    /// One application on node. \return it
    ApplicationContainer Install(Ptr<Node> node) const;

    /**
     * Fix the random streams of the applications of this helper's type on nodes, in node order
     * and then in the order they were added to each node.
     * \return the number of streams used
     */
    int64_t AssignStreams(NodeContainer nodes, int64_t stream) const;

    /**
     * AssignStreams(nodes, stream) for the applications that pick accepts only (every one of
     * the helper's type when pick is empty). Another rank's node skips the streams one
     * application takes.
     */
    int64_t AssignStreams(NodeContainer nodes,
                          int64_t stream,
                          const std::function<bool(Ptr<Application>)>& pick) const;

    /**
     * A node's address on interface 1 (the one the module's applications use), aborting with a
     * clear message if the node has no IPv4 interface yet.
     */
    static Ipv4Address GetNodeAddress(Ptr<Node> node);

  protected:
    /// Create an application, add it to node and return it (default: from the factory).
    virtual Ptr<Application> DoInstall(Ptr<Node> node) const;

    ObjectFactory m_factory; //!< makes the applications
};

} // namespace ns3

#endif /* GOSSIP_APPLICATION_HELPER_H */
