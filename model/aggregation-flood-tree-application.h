/*
 * SPDX-License-Identifier: GPL-2.0-only
 */
#ifndef AGGREGATION_FLOOD_TREE_APPLICATION_H
#define AGGREGATION_FLOOD_TREE_APPLICATION_H

#include "aggregation-application.h"
#include "aggregation-header.h"
#include "aggregation-partial.h"

#include "ns3/event-id.h"
#include "ns3/ipv4-address.h"
#include "ns3/nstime.h"
#include "ns3/socket.h"
#include "ns3/traced-callback.h"

#include <vector>

namespace ns3
{

/**
 * \ingroup gossip
 * \brief What the root of a flooding tree learned from one query.
 */
struct FloodTreeAnswer
{
    uint32_t queryId{0};
    bool treeBuild{false};       //!< the query built the tree (flood) rather than reused it
    aggregation::Partial result; //!< count, sum, min/max; result.partial if a subtree timed out
    Time started;                //!< when the root sent the query
    Time latency;                //!< time to answer
};

/**
 * \ingroup gossip
 * \brief Spanning-tree aggregation built by flooding (the lecture's "urgent" protocol).
 *
 * The root floods a query; a node adopts as parent the first node it hears the flood from.
 *
 *  - FIXED mode (echo algorithm): neighbour lists are fixed and symmetric. A node forwards the
 *    flood to every neighbour except its parent, and waits for one message from each of them: a
 *    neighbour that chose it as parent answers with an ECHO carrying its subtree's aggregate,
 *    any other neighbour's own flood crossing on the same edge counts as "not my child". Every
 *    edge carries exactly two messages: building the tree costs 2|E|.
 *  - RANDOM mode (gossip-style next hops): a node forwards to Fanout random members; a
 *    recipient that already has a parent answers NACK. The tree covers whoever the flood reached,
 *    which for a small fanout is not everybody: the answer then counts fewer nodes.
 *
 * Leaves report their value, inner nodes combine COUNT, SUM, MIN, MAX (with the node holding
 * MIN and MAX) and the root divides for AVG. The tree is kept for TreeLifetime: later queries go
 * down the tree only (2(N-1) messages). Every query carries a time budget; a node that has not
 * heard from all its children HopGuard before its parent's deadline sends up what it has, marked
 * partial with the number of silent children, so lost datagrams and crashed nodes produce a
 * partial answer, flagged as such, that says how many nodes it covers.
 *
 * Trace sources: Answer, Timeout and Join here; Tx, Rx (every datagram read, before it is
 * parsed) and Malformed (with the reason) from GossipApplication.
 */
class FloodTreeApplication : public AggregationApplication
{
  public:
    enum Mode
    {
        FIXED,
        RANDOM
    };

    static TypeId GetTypeId();
    FloodTreeApplication();
    ~FloodTreeApplication() override;

    /// Root only: start a query now (a flood if there is no valid tree).
    void StartQuery();

    /// Fail-stop now: from here on the node neither sends nor answers (as StopTime does).
    void Crash();

    // for inspection by tests and examples
    bool InTree() const;
    Ipv4Address GetParent() const;
    const std::vector<Ipv4Address>& GetChildren() const;
    uint32_t GetDepth() const;
    double GetValue() const;
    void SetValue(double v);

    /// Answer: the root's answer to a query.
    typedef void (*AnswerTracedCallback)(const FloodTreeAnswer& answer);
    /// Timeout: a node gave up waiting for silent children or neighbours.
    typedef void (*TimeoutTracedCallback)(uint32_t queryId, uint32_t silent);
    /// Join: a node joined a new tree under parent, at depth.
    typedef void (*JoinTracedCallback)(Ipv4Address parent, uint32_t depth);

  private:
    void StartApplication() override;
    void StopApplication() override;
    void Receive(Ptr<Socket> socket);
    void HandleFlood(const AggregationHeader& h, Ipv4Address from);
    void HandleQuery(const AggregationHeader& h, Ipv4Address from);
    void HandleReply(const AggregationHeader& h, Ipv4Address from, bool child);
    /// Begin collecting for query h (after the parent's message, or at the root).
    void BeginCollect(const AggregationHeader& h, bool build, const std::vector<Ipv4Address>& to);
    void Forward(AggregationHeader h, std::vector<Ipv4Address> to);
    void MaybeFinish();
    void Deadline();
    void Finish(bool timedOut);
    void SendEcho();
    void Send(const AggregationHeader& h, Ipv4Address to);
    void SendIfRunning(AggregationHeader h, Ipv4Address to);
    std::vector<Ipv4Address> PickRandom(Ipv4Address exclude);

    // attributes
    uint16_t m_port;
    double m_value;
    uint32_t m_nodeIndex;
    bool m_isRoot;
    Mode m_mode;
    uint32_t m_fanout;
    Time m_budget;
    Time m_hopGuard;
    Time m_processing;
    Time m_jitter;
    Time m_treeLifetime;
    Time m_queryInterval;
    uint32_t m_queries;
    int m_functionAttr; //!< the Function attribute (EnumValue holds an int)
    aggregation::Function m_function{aggregation::Function::AVG};

    bool m_running{false};

    // tree state
    uint32_t m_treeId{0};
    uint32_t m_treeRoot{0}; //!< root address of the current tree: trees are keyed by (root, id)
    Ipv4Address m_rootAttr; //!< the RootAddress attribute (any: accept every root)
    bool m_hasParent{false};
    Ipv4Address m_parent;
    uint32_t m_depth{0};
    std::vector<Ipv4Address> m_children;
    /// Neighbours still silent when this tree's build timed out here and not heard since to be
    /// another node's child: their subtrees may be missing, so answers over the reused tree are
    /// partial too.
    std::vector<Ipv4Address> m_treeSilent;
    Time m_treeExpiry;

    // current query
    uint32_t m_queryId{0};
    uint32_t m_nextQueryId{0};
    uint32_t m_issued{0};
    bool m_build{false};
    bool m_collecting{false};
    std::vector<Ipv4Address> m_waitFor; //!< expected repliers
    std::vector<bool> m_answered;
    uint32_t m_pending{0};
    aggregation::Partial m_acc;
    Time m_queryStart;
    EventId m_deadlineEvent;
    EventId m_nextQueryEvent;

    TracedCallback<const FloodTreeAnswer&> m_answerTrace;
    TracedCallback<uint32_t, uint32_t> m_timeoutTrace; //!< query id, silent children
    TracedCallback<Ipv4Address, uint32_t> m_joinTrace; //!< parent, depth
};

} // namespace ns3

#endif /* AGGREGATION_FLOOD_TREE_APPLICATION_H */
