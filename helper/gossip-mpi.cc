/*
 * SPDX-License-Identifier: GPL-2.0-only
 */
#include "gossip-mpi.h"

#include "ns3/abort.h"
#include "ns3/channel.h"
#include "ns3/global-value.h"
#include "ns3/log.h"
#include "ns3/net-device.h"
#include "ns3/packet.h"
#include "ns3/simulator.h"
#include "ns3/string.h"

#include <sstream>

#ifdef NS3_MPI
#include "ns3/mpi-interface.h"

#include <mpi.h>
#endif

namespace ns3
{

NS_LOG_COMPONENT_DEFINE("GossipMpi");

namespace gossip
{
namespace mpi
{

bool
IsDistributed()
{
#ifdef NS3_MPI
    return MpiInterface::IsEnabled();
#else
    return false;
#endif
}

uint32_t
GetRank()
{
#ifdef NS3_MPI
    return IsDistributed() ? MpiInterface::GetSystemId() : 0;
#else
    return 0;
#endif
}

uint32_t
GetSize()
{
#ifdef NS3_MPI
    return IsDistributed() ? MpiInterface::GetSize() : 1;
#else
    return 1;
#endif
}

bool
IsLocal(Ptr<const Node> node)
{
    return !IsDistributed() || node->GetSystemId() == GetRank();
}

NodeContainer
LocalNodes(const NodeContainer& nodes)
{
    if (!IsDistributed())
    {
        return nodes;
    }
    NodeContainer local;
    for (auto it = nodes.Begin(); it != nodes.End(); ++it)
    {
        if (IsLocal(*it))
        {
            local.Add(*it);
        }
    }
    return local;
}

std::string
WhyUnavailable()
{
#ifdef NS3_MPI
    return "";
#else
    return "this ns-3 was built without MPI: configure it with --enable-mpi (Debian: "
           "libopenmpi-dev), build this module in that tree, and run under mpiexec";
#endif
}

void
Enable(int* argc, char*** argv, bool nullMessage)
{
    NS_LOG_FUNCTION(nullMessage);
    std::string why = WhyUnavailable();
    NS_ABORT_MSG_IF(!why.empty(), "--mpi: " << why);
#ifdef NS3_MPI
    GlobalValue::Bind("SimulatorImplementationType",
                      StringValue(nullMessage ? "ns3::NullMessageSimulatorImpl"
                                              : "ns3::DistributedSimulatorImpl"));
    MpiInterface::Enable(argc, argv);
#else
    (void)argc;
    (void)argv;
#endif
}

void
Disable()
{
#ifdef NS3_MPI
    if (MpiInterface::IsEnabled())
    {
        MpiInterface::Disable();
    }
#endif
}

namespace
{
#ifdef NS3_MPI
template <typename T>
MPI_Datatype TypeOf();

template <>
MPI_Datatype
TypeOf<uint64_t>()
{
    return MPI_UINT64_T;
}

template <>
MPI_Datatype
TypeOf<double>()
{
    return MPI_DOUBLE;
}
#endif

template <typename T>
void
Reduce(std::vector<T>& values, int op)
{
#ifdef NS3_MPI
    if (!IsDistributed() || values.empty())
    {
        return;
    }
    MPI_Op mop = op == 0 ? MPI_SUM : op == 1 ? MPI_MIN : MPI_MAX;
    MPI_Allreduce(MPI_IN_PLACE,
                  values.data(),
                  int(values.size()),
                  TypeOf<T>(),
                  mop,
                  MpiInterface::GetCommunicator());
#else
    (void)values;
    (void)op;
#endif
}

template <typename T>
std::vector<T>
GatherAll(const std::vector<T>& values)
{
#ifdef NS3_MPI
    if (!IsDistributed())
    {
        return values;
    }
    MPI_Comm comm = MpiInterface::GetCommunicator();
    const int size = int(GetSize());
    int mine = int(values.size());
    std::vector<int> counts(size);
    MPI_Allgather(&mine, 1, MPI_INT, counts.data(), 1, MPI_INT, comm);
    std::vector<int> offsets(size, 0);
    for (int r = 1; r < size; ++r)
    {
        offsets[r] = offsets[r - 1] + counts[r - 1];
    }
    std::vector<T> all(size_t(offsets[size - 1]) + counts[size - 1]);
    MPI_Allgatherv(values.data(),
                   mine,
                   TypeOf<T>(),
                   all.data(),
                   counts.data(),
                   offsets.data(),
                   TypeOf<T>(),
                   comm);
    return all;
#else
    return values;
#endif
}

/// A cross-rank frame, checked before it is sent to the remote rank.
void
CheckFrame(std::string where, Ptr<const Packet> p)
{
    const uint32_t size = p->GetSerializedSize() + 16; // ns-3's message header is 16 bytes
    NS_ABORT_MSG_IF(size > kMaxMessage,
                    "a frame of " << p->GetSize() << " bytes (" << size
                                  << " bytes as an MPI message) crosses ranks at " << where
                                  << ": ns-3's MPI messages hold at most " << kMaxMessage
                                  << " bytes; use an MTU of at most " << kMaxCrossRankMtu
                                  << " on links between ranks");
}
} // namespace

void
Sum(std::vector<uint64_t>& values)
{
    Reduce(values, 0);
}

void
Sum(std::vector<double>& values)
{
    Reduce(values, 0);
}

void
Min(std::vector<double>& values)
{
    Reduce(values, 1);
}

void
Max(std::vector<double>& values)
{
    Reduce(values, 2);
}

std::vector<double>
Gather(const std::vector<double>& values)
{
    return GatherAll(values);
}

std::vector<uint64_t>
Gather(const std::vector<uint64_t>& values)
{
    return GatherAll(values);
}

bool
IsPrinter()
{
    return GetRank() == 0;
}

void
GuardCrossRankFrames(const NetDeviceContainer& devices)
{
    if (!IsDistributed())
    {
        return;
    }
    for (auto it = devices.Begin(); it != devices.End(); ++it)
    {
        Ptr<NetDevice> dev = *it;
        Ptr<Channel> ch = dev->GetChannel();
        if (!IsLocal(dev->GetNode()) || !ch ||
            ch->GetInstanceTypeId().GetName() != "ns3::PointToPointRemoteChannel")
        {
            continue;
        }
        std::ostringstream where;
        where << "node " << dev->GetNode()->GetId() << " device " << dev->GetIfIndex();
        dev->TraceConnectWithoutContext("PhyTxBegin", MakeBoundCallback(&CheckFrame, where.str()));
    }
}

} // namespace mpi
} // namespace gossip
} // namespace ns3
