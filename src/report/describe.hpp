// What `svcsim validate` prints: the scenario's services, topics and workloads as loaded, the
// load offered to each service in each mode (`loads`, offered_load_of() of the scenario's
// plan, one per mode: sync, async), and who must know whom in each mode (`view`,
// static_coupling() of the scenario).
#pragma once

#include <string>

#include "engine/coupling.hpp"
#include "engine/offered_load.hpp"
#include "scenarios/scenario.hpp"

namespace svcsim {

std::string describe_scenario(const scenario& s, const std::vector<offered_load>& loads,
                              const coupling_view& view);

// The load of each workload in words, for a report's header: "signup: poisson 200/s for 60 s,
// the first 5 s not measured".
std::vector<std::string> load_lines(const scenario& s);

// Both modes' offered load of `s`, sync first: what describe_scenario() takes.
std::vector<offered_load> offered_loads(const scenario& s);

}  // namespace svcsim
