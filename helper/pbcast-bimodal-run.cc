/*
 * SPDX-License-Identifier: GPL-2.0-only
 */
#include "pbcast-bimodal-run.h"

#include "datacenter-topology-helper.h"
#include "gossip-application-helper.h"
#include "pbcast-helper.h"

#include "ns3/boolean.h"
#include "ns3/error-model.h"
#include "ns3/ipv4-header.h"
#include "ns3/nstime.h"
#include "ns3/pbcast-application.h"
#include "ns3/point-to-point-net-device.h"
#include "ns3/pointer.h"
#include "ns3/ppp-header.h"
#include "ns3/random-variable-stream.h"
#include "ns3/simulator.h"
#include "ns3/string.h"
#include "ns3/uinteger.h"

#include <algorithm>
#include <cmath>
#include <map>

namespace ns3
{

namespace
{
struct Trial
{
    std::map<uint64_t, uint32_t> countBySeq; //!< members (excl. sender) with it within T rounds
    std::map<uint64_t, Time> sent;           //!< when each message was sent
    Time window; //!< a delivery counts if it comes less than this after the send
};

void
OnBroadcast(Trial* t, const GossipMessageId& id)
{
    t->sent[id.seq] = Simulator::Now();
}

void
OnDeliver(Trial* t, const GossipMessageId& id)
{
    if (Simulator::Now() - t->sent[id.seq] < t->window)
    {
        t->countBySeq[id.seq]++;
    }
}

void
StartTrial(ApplicationContainer apps, uint32_t sender, double tau, Ptr<UniformRandomVariable> rng)
{
    for (uint32_t i = 0; i < apps.GetN(); ++i)
    {
        Ptr<PbcastApplication> app = DynamicCast<PbcastApplication>(apps.Get(i));
        app->SetAsleep(i != sender && rng->GetValue() < tau);
    }
    DynamicCast<PbcastApplication>(apps.Get(sender))->Send(Create<Packet>(64));
}

/**
 * A host's receive error model for --phase1: IP multicast datagrams (phase 1 and multicast
 * retransmissions) are lost with their own probability, everything else as the host link's own
 * error model decides.
 */
class Phase1LossModel : public ErrorModel
{
  public:
    void Configure(double loss, Ptr<ErrorModel> other, int64_t stream)
    {
        m_loss = loss;
        m_other = other;
        m_rng = CreateObject<UniformRandomVariable>();
        m_rng->SetStream(stream);
    }

  private:
    bool DoCorrupt(Ptr<Packet> p) override
    {
        Ptr<Packet> c = p->Copy();
        PppHeader ppp;
        Ipv4Header ip;
        if (c->RemoveHeader(ppp) && c->PeekHeader(ip) && ip.GetDestination().IsMulticast())
        {
            return m_rng->GetValue() < m_loss;
        }
        return m_other && m_other->IsCorrupt(p);
    }

    void DoReset() override
    {
    }

    double m_loss{0};
    Ptr<ErrorModel> m_other;
    Ptr<UniformRandomVariable> m_rng;
};

} // namespace

std::vector<uint64_t>
PbcastBimodalRun::Run(int64_t& stream) const
{
    // A contact is three datagrams (digest, solicitation, retransmission), each crossing two
    // host links. The model folds tau into the contact's failure, as the chain does.
    const double contact = model ? 1 - (1 - epsilon) * (1 - tau) : epsilon;
    const double perDatagram = 1 - std::pow(1 - contact, 1.0 / 3);
    const double perLink = 1 - std::sqrt(1 - perDatagram);
    const Time round = MilliSeconds(100);
    const Time spacing = round * (rounds + 5);

    DatacenterTopologyHelper dc;
    uint32_t perRack = std::min<uint32_t>(n, 25);
    dc.SetHostsPerRack(perRack);
    dc.SetRacksPerPod((n + perRack - 1) / perRack);
    dc.SetSpinesPerPod(2);
    dc.SetHostLinkErrorRate(perLink);
    dc.Install();
    NodeContainer members;
    for (uint32_t i = 0; i < n; ++i)
    {
        members.Add(dc.GetHost(i));
    }
    if (onInstall)
    {
        onInstall(members);
    }
    stream += dc.AssignStreams(stream);
    const Ipv4Address group("239.255.0.3");
    if (!model)
    {
        dc.EnableMulticast(group);
        for (uint32_t i = 0; i < n; ++i)
        {
            Ptr<PointToPointNetDevice> dev =
                DynamicCast<PointToPointNetDevice>(dc.GetHost(i)->GetDevice(1));
            NS_ABORT_MSG_IF(!dev, "pbcast-bimodal: host link is not point-to-point");
            PointerValue other;
            dev->GetAttribute("ReceiveErrorModel", other);
            Ptr<Phase1LossModel> em = CreateObject<Phase1LossModel>();
            em->Configure(phase1Loss, other.Get<ErrorModel>(), stream++);
            dev->SetAttribute("ReceiveErrorModel", PointerValue(em));
        }
    }
    PbcastHelper pbcast;
    pbcast.SetAttribute("Group", Ipv4AddressValue(group));
    pbcast.SetAttribute("Disseminate", BooleanValue(!model));
    pbcast.SetAttribute("UseMulticast", BooleanValue(!model));
    pbcast.SetAttribute("Push", BooleanValue(!model));
    pbcast.SetAttribute("AlignRounds", BooleanValue(model));
    if (model)
    {
        pbcast.SetAttribute("RequestWait", UintegerValue(0));
        pbcast.SetAttribute("TargetSelection", StringValue("PerMember"));
    }
    pbcast.SetAttribute("Fanout", UintegerValue(fanout));
    pbcast.SetAttribute("RoundInterval", TimeValue(round));
    pbcast.SetSeedsPerDatacenter(n); // everyone knows everyone, as in the model
    ApplicationContainer apps = pbcast.Install(members);
    stream += pbcast.AssignStreams(members, stream);
    Trial trial;
    // The model sends 1 us before a round boundary and counts until 1 us before the T-th
    // boundary after it; the protocol counts T round intervals after the send.
    const Time early = model ? MicroSeconds(1) : Time(0);
    trial.window = round * rounds;
    for (uint32_t i = 0; i < apps.GetN(); ++i)
    {
        apps.Get(i)->TraceConnectWithoutContext("Broadcast",
                                                MakeBoundCallback(&OnBroadcast, &trial));
        apps.Get(i)->TraceConnectWithoutContext("Deliver", MakeBoundCallback(&OnDeliver, &trial));
    }
    Ptr<UniformRandomVariable> rng = CreateObject<UniformRandomVariable>();
    rng->SetStream(stream++);
    const Time start = Seconds(2);
    for (uint32_t m = 0; m < messages; ++m)
    {
        Simulator::Schedule(start + spacing * m - early,
                            &StartTrial,
                            apps,
                            0,
                            model ? 0.0 : tau,
                            rng);
    }
    Time end = start + spacing * messages;
    apps.Start(Seconds(0));
    apps.Stop(end);
    Simulator::Stop(end);
    Simulator::Run();
    Simulator::Destroy();

    std::vector<uint64_t> hist(n + 1, 0);
    for (uint32_t m = 0; m < messages; ++m)
    {
        auto it = trial.countBySeq.find(m);
        uint32_t k = 1 + (it == trial.countBySeq.end() ? 0 : it->second); // + the sender
        hist[std::min(k, n)]++;
    }
    return hist;
}

} // namespace ns3
