// The message broker: takes publish_msg from services and routes each message to every
// subscription of its topic. Each subscription has its own FIFO queue. A subscribing service
// has one budget of `prefetch` unacknowledged deliveries (its workers) over all its
// subscriptions; a freed slot goes to the oldest waiting message among them. The broker forgets
// a message once acknowledged. A delivery reaches the subscriber after the broker's routing
// latency plus one network hop; a subscriber never refuses one.
#pragma once

#include <caf/actor_system.hpp>

#include "actors/run_context.hpp"

namespace svcsim {

caf::actor spawn_broker(caf::actor_system& sys, const run_context* w);

}  // namespace svcsim
