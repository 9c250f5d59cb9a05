// A client: drives one workload and hands every reply to the recorder. Open loop: it sends each
// request at its arrival time (scheduled in batches, straight into the target's mailbox), and
// stops after `quota` requests or at `stop`. Closed loop: each of `users` users thinks, sends,
// waits for the reply, and thinks again, until `stop`.
#pragma once

#include <caf/actor_system.hpp>

#include "actors/run_context.hpp"

namespace svcsim {

struct client_options {
  int workload = 0;
  std::int64_t quota = -1;  // requests to send; -1 = no limit
  nanos stop = 0;           // no arrival at or after this time
};

caf::actor spawn_client(caf::actor_system& sys, const run_context* w, client_options options);

}  // namespace svcsim
