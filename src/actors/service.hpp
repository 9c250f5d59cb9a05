// A service instance: `workers` workers in front of one FIFO waiting room of `queue` places. Each
// job (a call, a client request or a broker delivery) runs one handler of the service's plan and is
// answered with a reply_msg when the handler ends; a job that finds the room full is rejected at
// once.
//
// Two kinds of station hold the workers, same results (station.hpp): predictable services (no
// handler calls anything) compute each job's start and end on arrival (lindley_station.hpp);
// the others, or all with simulate_options::force_event_driven, run jobs as frames that wait
// on calls (frame_station.hpp). The actor only hands its messages to its station.
#pragma once

#include <caf/actor_system.hpp>

#include "actors/run_context.hpp"

namespace svcsim {

// Spawns party `id`: one instance of a service (run_context's instance_layout).
caf::actor spawn_service(caf::actor_system& sys, const run_context* w, int id);

}  // namespace svcsim
