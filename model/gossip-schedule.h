/*
 * SPDX-License-Identifier: GPL-2.0-only
 */
#ifndef GOSSIP_SCHEDULE_H
#define GOSSIP_SCHEDULE_H

#include "ns3/callback.h"
#include "ns3/simulator.h"

#include <functional>
#include <memory>

namespace ns3
{

namespace gossip_detail
{
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
} // namespace gossip_detail

/**
 * \ingroup gossip
 * Schedule a closure (e.g. a lambda). Simulator::Schedule accepts lambdas only from ns-3.36 on;
 * going through a plain function keeps the module building in waf trees (ns-3 <= 3.35).
 */
inline EventId
GossipSchedule(const Time& delay, std::function<void()> f)
{
    return Simulator::Schedule(delay, &gossip_detail::RunClosure, std::move(f));
}

/// As GossipSchedule, for now.
inline EventId
GossipScheduleNow(std::function<void()> f)
{
    return Simulator::ScheduleNow(&gossip_detail::RunClosure, std::move(f));
}

/**
 * \ingroup gossip
 * An ns-3 Callback around a closure, e.g. for TraceConnectWithoutContext:
 * GossipCallback<Ptr<const Packet>>([&](Ptr<const Packet> p) { ... }).
 * ns-3 builds Callbacks from lambdas only from 3.36 on; binding a shared std::function to a
 * plain function works in every version.
 */
template <typename... Args>
Callback<void, Args...>
GossipCallback(typename gossip_detail::Closure<Args...>::type f)
{
    return MakeBoundCallback(&gossip_detail::InvokeShared<Args...>,
                             std::make_shared<std::function<void(Args...)>>(std::move(f)));
}

} // namespace ns3

#endif /* GOSSIP_SCHEDULE_H */
