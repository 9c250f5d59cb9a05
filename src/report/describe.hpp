// What `svcsim validate` prints: the scenario's services, topics and workloads as loaded, and
// who must know whom in each mode.
#pragma once

#include "scenarios/scenario.hpp"

#include <string>

namespace svcsim {

std::string describe_scenario(const scenario& s);

}  // namespace svcsim
