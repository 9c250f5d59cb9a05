// A client: drives one open-loop workload. It sends each request to the workload's target at
// its arrival time (scheduled in batches, straight into the target's mailbox), stops after
// `quota` requests or at `stop`, and hands every reply to the recorder.
#pragma once

#include "engine/world.hpp"

#include <caf/actor_system.hpp>

namespace svcsim {

struct client_options {
  int workload = 0;
  std::int64_t quota = -1;  // requests to send; -1 = no limit
  nanos stop = 0;           // no arrival at or after this time
};

caf::actor spawn_client(caf::actor_system& sys, world* w, client_options options);

}  // namespace svcsim
