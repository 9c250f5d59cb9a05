// What `svcsim validate` prints: the scenario's services, topics and workloads as loaded, and
// who must know whom in each mode (`view`, static_coupling() of the scenario).
#pragma once

#include <string>

#include "engine/coupling.hpp"
#include "scenarios/scenario.hpp"

namespace svcsim {

std::string describe_scenario(const scenario& s, const coupling_view& view);

}  // namespace svcsim
