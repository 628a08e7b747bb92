/*
 * SPDX-License-Identifier: GPL-2.0-only
 */
#ifndef PBCAST_BIMODAL_RUN_H
#define PBCAST_BIMODAL_RUN_H

#include "ns3/node-container.h"

#include <cstdint>
#include <functional>
#include <vector>

namespace ns3
{

/**
 * \ingroup gossip
 * \brief One point of the pbcast paper's bimodal-delivery experiment (Sec. 5): n members on a
 * datacenter fabric, `messages` messages sent one at a time by member 0, and for each the
 * number of members that have it T rounds later. Used by the pbcast-bimodal example and its test.
 *
 * Model mode meets every assumption of the analysis (gossip::InfectionChain): synchronous rounds
 * (AlignRounds), the message sent just before a round boundary and members counted just before
 * the T-th boundary after it, infection only by a gossip from a holder (no phase 1, no push),
 * each gossip a separate attempt (RequestWait=0, so a repair counts toward the next round), and
 * each holder gossiping to every other member with probability fanout/(n-1) (TargetSelection
 * PerMember, the analysis's beta/(n-1)). A contact is a digest, a solicitation and a
 * retransmission: each datagram is lost with 1-((1-epsilon)(1-tau))^(1/3), split over the two
 * host links of a path, so a contact fails with probability 1-(1-epsilon)(1-tau), as in the
 * chain, which applies tau per contact.
 *
 * Protocol mode is pbcast as deployed: unsynchronised rounds, exactly fanout targets, push-pull
 * repair, phase 1 by real IP multicast with each host losing a multicast datagram with
 * probability phase1Loss, contacts lost with epsilon, and every member but the sender down
 * (asleep) for a message's lifetime with probability tau. Counted T round intervals after the
 * send.
 */
struct PbcastBimodalRun
{
    bool model{true};
    uint32_t n{50};
    uint32_t fanout{1};
    double epsilon{0.05};
    double tau{0.001};
    uint32_t rounds{6};
    uint32_t messages{300};
    double phase1Loss{0.5}; //!< protocol mode only
    /// Called with the members once the fabric is built (e.g. to enable pcaps).
    std::function<void(const NodeContainer& members)> onInstall;

    /**
     * Run it (one simulation, destroyed at the end).
     * \param stream the next random stream; advanced past the streams used
     * \return hist[k], k = 0..n: messages that k members (the sender included) had
     */
    std::vector<uint64_t> Run(int64_t& stream) const;
};

} // namespace ns3

#endif /* PBCAST_BIMODAL_RUN_H */
