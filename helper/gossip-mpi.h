/*
 * SPDX-License-Identifier: GPL-2.0-only
 */
#ifndef GOSSIP_MPI_H
#define GOSSIP_MPI_H

#include "ns3/net-device-container.h"
#include "ns3/node-container.h"
#include "ns3/node.h"
#include "ns3/nstime.h"

#include <cstdint>
#include <string>
#include <vector>

namespace ns3
{
namespace gossip
{
/**
 * \ingroup gossip
 * Distributed runs on ns-3's MPI engine, seen from the module: which rank this process is,
 * which nodes are its own, and the reductions that merge per-rank statistics. Built with ns-3's
 * mpi module (NS3_MPI defined, `--enable-mpi`) these call MpiInterface and MPI; without it they
 * are those of a single process (rank 0 of 1), so the module builds and behaves as before.
 *
 * Every rank builds the whole topology in the same order (ns-3's model); only the applications
 * and the statistics are rank-local, so everything a rank needs to know of a remote node must
 * come from its address or index, never from its application objects.
 */
namespace mpi
{
/// ns-3's MPI message size (MAX_MPI_MSG_SIZE; the null-message engine uses the same 2000).
constexpr uint32_t kMaxMessage = 2000;
/// The bytes of a message that are not the frame: 16 of ns-3's own header, and the packet's
/// serialised tags and metadata (Packet::Serialize), kept under this reserve.
constexpr uint32_t kMessageReserve = 480;
/// The largest MTU a cross-rank link may have: Ethernet's 1500; a jumbo frame does not fit.
constexpr uint32_t kMaxCrossRankMtu = kMaxMessage - kMessageReserve - 20;

/// \return true when the simulation runs on ns-3's distributed simulator (MpiInterface enabled).
bool IsDistributed();
/// \return this process's rank (0 when not distributed).
uint32_t GetRank();
/// \return the number of ranks (1 when not distributed).
uint32_t GetSize();
/// \return true when node is simulated by this rank (its system id is this rank).
bool IsLocal(Ptr<const Node> node);

/**
 * Use ns-3's distributed simulator: the null-message engine if nullMessage, else the granted
 * time window. Call first in main(), before anything is scheduled; with ns-3 built without MPI
 * it exits with a message that says so. Pair with Disable() at the end.
 */
void Enable(int* argc, char*** argv, bool nullMessage);
/// End the distributed run (MpiInterface::Disable); nothing when not distributed.
void Disable();
/// \return "" when Enable() can work in this build, else why not.
std::string WhyUnavailable();

/// Element-wise sum over all ranks, in place at every rank.
void Sum(std::vector<uint64_t>& values);
/// Element-wise maximum over all ranks, in place at every rank.
void Max(std::vector<double>& values);
/// Element-wise maximum over all ranks, in place at every rank.
void Max(std::vector<uint64_t>& values);
/// \return every rank's values concatenated in rank order, at every rank.
std::vector<uint64_t> Gather(const std::vector<uint64_t>& values);
/// \return every rank's values concatenated in rank order, at every rank.
std::vector<double> Gather(const std::vector<double>& values);

/**
 * The checks every partition of a topology shares, in this order: 1..count ranks, as many as
 * the run has, a cut with a delay (it is the lookahead), and cut links whose frames fit an MPI
 * message. For the topology helpers' Validate().
 * \param ranks the ranks asked for
 * \param units what is spread over the ranks ("Pods", "Datacenters"), and count how many
 * \param cut the links between ranks ("core", "WAN"), their delay (shown in delayUnit) and MTU
 * \param mtuName how the MTU is named in the message ("Mtu", "WAN Mtu")
 * \return "" if the partition can work, else a message naming the bad value
 */
std::string CheckPartition(uint32_t ranks,
                           const std::string& units,
                           uint32_t count,
                           const std::string& cut,
                           Time cutDelay,
                           Time::Unit delayUnit,
                           uint32_t cutMtu,
                           const std::string& mtuName);
/// \return true on the rank that prints and writes files (rank 0).
bool IsPrinter();

/**
 * Abort with a clear message when a frame that a device sends is too large for ns-3's MPI
 * message. Connects to the PhyTxBegin trace of every device of devices whose peer is on another
 * rank (nothing when not distributed): a cross-rank frame larger than the message would
 * otherwise be cut silently by MPI.
 */
void GuardCrossRankFrames(const NetDeviceContainer& devices);

} // namespace mpi
} // namespace gossip
} // namespace ns3

#endif /* GOSSIP_MPI_H */
