// The JSON report of shared/spec/scenario-v1.md: keys in the spec's order, numbers as numbers;
// each run ends with its timeline, one array per series (with replications, replication 0's).
#pragma once

#include <string>

#include "engine/results.hpp"

namespace svcsim {

std::string to_json(const report& r);

}  // namespace svcsim
