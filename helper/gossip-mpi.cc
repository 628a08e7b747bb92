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

#include <algorithm>
#include <cctype>
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

/// Element-wise sum (or maximum) over all ranks, in place.
template <typename T>
void
Reduce(std::vector<T>& values, bool max)
{
#ifdef NS3_MPI
    if (!IsDistributed() || values.empty())
    {
        return;
    }
    MPI_Allreduce(MPI_IN_PLACE,
                  values.data(),
                  int(values.size()),
                  TypeOf<T>(),
                  max ? MPI_MAX : MPI_SUM,
                  MpiInterface::GetCommunicator());
#else
    (void)values;
    (void)max;
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
    Reduce(values, false);
}

void
Max(std::vector<double>& values)
{
    Reduce(values, true);
}

void
Max(std::vector<uint64_t>& values)
{
    Reduce(values, true);
}

std::vector<uint64_t>
Gather(const std::vector<uint64_t>& values)
{
    return GatherAll(values);
}

std::vector<double>
Gather(const std::vector<double>& values)
{
    return GatherAll(values);
}

std::string
CheckPartition(uint32_t ranks,
               const std::string& units,
               uint32_t count,
               const std::string& cut,
               Time cutDelay,
               Time::Unit delayUnit,
               uint32_t cutMtu,
               const std::string& mtuName)
{
    std::ostringstream os;
    if (ranks < 1 || ranks > count)
    {
        std::string lower = units;
        std::transform(lower.begin(), lower.end(), lower.begin(), ::tolower);
        os << "Ranks=" << ranks << " is invalid: allowed 1.." << units << " (" << count
           << "), since whole " << lower << " are spread over the ranks";
    }
    else if (ranks > 1 && ranks != GetSize())
    {
        os << "Ranks=" << ranks << " is invalid: this simulation runs on " << GetSize()
           << " rank(s); allowed 1 or " << GetSize() << " (run under mpiexec -np " << ranks
           << " with ns-3's distributed simulator)";
    }
    else if (ranks > 1 && !cutDelay.IsStrictlyPositive())
    {
        os << cut << " link Delay=" << cutDelay.As(delayUnit) << " is invalid with Ranks=" << ranks
           << ": the " << cut << " links are the cut between ranks and their delay is the "
           << "lookahead; allowed a time > 0";
    }
    else if (ranks > 1 && cutMtu > kMaxCrossRankMtu)
    {
        os << mtuName << "=" << cutMtu << " is invalid with Ranks=" << ranks
           << ": a frame that crosses ranks must fit ns-3's MPI message of " << kMaxMessage
           << " bytes; allowed 68.." << kMaxCrossRankMtu;
    }
    return os.str();
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
