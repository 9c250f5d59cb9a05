// The JSON report of shared/spec/scenario-v1.md: keys in the spec's order, numbers as numbers;
// each run ends with its timeline, one array per series (with replications, replication 0's).
#pragma once

#include <nlohmann/json.hpp>
#include <string>

#include "engine/results.hpp"

namespace svcsim {

// With `set`, the --set overrides, after `clock` when there are some.
std::string to_json(const report& r);

// The report's `runs` array, as to_json() writes it (for reports that hold several).
nlohmann::ordered_json runs_to_json(const report& r);

}  // namespace svcsim
