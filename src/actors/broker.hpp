// The message broker: takes publish_msg from services and routes each message to every
// subscription of its topic. Each subscription has its own FIFO queue; the broker delivers to
// the subscriber while fewer than `prefetch` deliveries (the subscriber's workers) await their
// acknowledgement, and forgets a message once acknowledged. A delivery reaches the subscriber
// after the broker's routing latency plus one network hop.
#pragma once

#include "engine/world.hpp"

#include <caf/actor_system.hpp>

namespace svcsim {

caf::actor spawn_broker(caf::actor_system& sys, world* w);

}  // namespace svcsim
