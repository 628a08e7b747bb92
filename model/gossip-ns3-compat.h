/*
 * SPDX-License-Identifier: GPL-2.0-only
 */
#ifndef GOSSIP_NS3_COMPAT_H
#define GOSSIP_NS3_COMPAT_H

/*
 * Every difference between the ns-3 releases the module builds on (3.35 to 3.48) is handled here,
 * and nowhere else. The build (CMakeLists.txt, in a tree or standalone, and wscript) defines
 * GOSSIP_NS3_VERSION as 1000 * major + minor of the ns-3 it builds against: 3035, 3037, 3048;
 * a development tree (VERSION "3-dev") gets 3999, the newest API.
 *
 * Where a newer ns-3 API is better, the module uses its spelling everywhere and this header
 * provides it on older releases.
 */
#ifndef GOSSIP_NS3_VERSION
#error                                                                                             \
    "GOSSIP_NS3_VERSION is not defined: build the gossip module through its CMakeLists.txt or wscript, which set it from the ns-3 version"
#endif

#include "ns3/boolean.h"
#include "ns3/callback.h"
#include "ns3/enum.h"
#include "ns3/event-id.h" // nstime.h stopped including it in 3.47
#include "ns3/ipv4-routing-protocol.h"
#include "ns3/ipv4.h"
#include "ns3/simulator.h"
#include "ns3/test.h"

#include <functional>
#include <memory>

namespace ns3
{
namespace gossip
{
namespace compat
{

// ---- Ipv4RoutingProtocol::RouteInput: callbacks by const reference from 3.39 ----
#if GOSSIP_NS3_VERSION >= 3039
using UnicastForwardCallbackArg = const Ipv4RoutingProtocol::UnicastForwardCallback&;
using MulticastForwardCallbackArg = const Ipv4RoutingProtocol::MulticastForwardCallback&;
using LocalDeliverCallbackArg = const Ipv4RoutingProtocol::LocalDeliverCallback&;
using ErrorCallbackArg = const Ipv4RoutingProtocol::ErrorCallback&;
#else
using UnicastForwardCallbackArg = Ipv4RoutingProtocol::UnicastForwardCallback;
using MulticastForwardCallbackArg = Ipv4RoutingProtocol::MulticastForwardCallback;
using LocalDeliverCallbackArg = Ipv4RoutingProtocol::LocalDeliverCallback;
using ErrorCallbackArg = Ipv4RoutingProtocol::ErrorCallback;
#endif

// ---- enum attributes: EnumValue<T> and MakeEnumAccessor<T> from 3.41 ----
#if GOSSIP_NS3_VERSION >= 3041
/// The attribute value of an enum E (ns3::EnumValue<E>; a plain EnumValue before 3.41).
template <typename E>
using EnumValue = ns3::EnumValue<E>;

/// MakeEnumAccessor<E>(&Class::m_member), as ns-3 spells it from 3.41 on.
template <typename E, typename C>
Ptr<const AttributeAccessor>
MakeEnumAccessor(E C::*member)
{
    return ns3::MakeEnumAccessor<E>(member);
}
#else
template <typename E>
using EnumValue = ns3::EnumValue;

template <typename E, typename C>
Ptr<const AttributeAccessor>
MakeEnumAccessor(E C::*member)
{
    return ns3::MakeEnumAccessor(member);
}
#endif

// ---- end-system model: WeakEsModel (removed in 3.46) became StrongEndSystemModel (3.41) ----
/// Make a router forward to any of its addresses only on the interface that owns it (RFC 1122).
inline void
UseStrongEndSystemModel(Ptr<Ipv4> ipv4)
{
#if GOSSIP_NS3_VERSION >= 3041
    ipv4->SetAttribute("StrongEndSystemModel", BooleanValue(true));
#else
    ipv4->SetAttribute("WeakEsModel", BooleanValue(false));
#endif
}

// ---- Application::AssignStreams: virtual from 3.42 ----
/// Marks GossipApplication::AssignStreams as overriding where ns-3's Application declares it.
#if GOSSIP_NS3_VERSION >= 3042
#define GOSSIP_ASSIGN_STREAMS_OVERRIDE override
#else
#define GOSSIP_ASSIGN_STREAMS_OVERRIDE
#endif

// ---- CommandLine callbacks: const std::string& from 3.38 ----
#if GOSSIP_NS3_VERSION >= 3038
using CommandLineArg = const std::string&;
#else
using CommandLineArg = std::string;
#endif

// ---- TrafficControlLayer "TcDrop": from 3.36 ----
/// Whether the traffic-control layer traces what it drops when a device queue is stopped (ns-3.35
/// drops those datagrams silently).
constexpr bool HAS_TC_DROP_TRACE = GOSSIP_NS3_VERSION >= 3036;

// ---- test durations: TestCase::Duration::QUICK from 3.42 (the old names went in 3.46) ----
#if GOSSIP_NS3_VERSION >= 3042
constexpr TestCase::Duration QUICK = TestCase::Duration::QUICK;
constexpr TestCase::Duration EXTENSIVE = TestCase::Duration::EXTENSIVE;
constexpr TestCase::Duration TAKES_FOREVER = TestCase::Duration::TAKES_FOREVER;
#else
constexpr TestCase::TestDuration QUICK = TestCase::QUICK;
constexpr TestCase::TestDuration EXTENSIVE = TestCase::EXTENSIVE;
constexpr TestCase::TestDuration TAKES_FOREVER = TestCase::TAKES_FOREVER;
#endif

/// From 3.42 every TestCase begins and ends with Config::Reset(), which also resets the global
/// values RngSeed and RngRun: a case can no longer pass a changed seed or run on to the next.
constexpr bool TEST_CASES_RESET_GLOBALS = GOSSIP_NS3_VERSION >= 3042;

/// Runs a closure; lets a std::function travel through Simulator::Schedule as an argument.
inline void
RunClosure(std::function<void()> f)
{
    f();
}

/// The closure type, in a non-deduced context so that GossipCallback<A, B>(lambda) compiles.
template <typename... Args>
struct Closure
{
    using type = std::function<void(Args...)>;
};

/// Calls a shared std::function; the bound first argument of a GossipCallback.
template <typename... Args>
void
InvokeShared(std::shared_ptr<std::function<void(Args...)>> f, Args... args)
{
    (*f)(args...);
}

} // namespace compat
} // namespace gossip

// ---- closures: Simulator::Schedule and Callback take lambdas only from 3.36 ----
// Going through a plain function works in every release, with the same event order.

/**
 * \ingroup gossip
 * Schedule a closure (e.g. a lambda) after a delay.
 */
inline EventId
GossipSchedule(const Time& delay, std::function<void()> f)
{
    return Simulator::Schedule(delay, &gossip::compat::RunClosure, std::move(f));
}

/// As GossipSchedule, for now.
inline EventId
GossipScheduleNow(std::function<void()> f)
{
    return Simulator::ScheduleNow(&gossip::compat::RunClosure, std::move(f));
}

/**
 * \ingroup gossip
 * An ns-3 Callback around a closure, e.g. for TraceConnectWithoutContext:
 * GossipCallback<Ptr<const Packet>>([&](Ptr<const Packet> p) { ... }).
 */
template <typename... Args>
Callback<void, Args...>
GossipCallback(typename gossip::compat::Closure<Args...>::type f)
{
    return MakeBoundCallback(&gossip::compat::InvokeShared<Args...>,
                             std::make_shared<std::function<void(Args...)>>(std::move(f)));
}

} // namespace ns3

#endif /* GOSSIP_NS3_COMPAT_H */
