// The report for people: one column per run (for `compare`, sync then async, then the
// difference async - sync), grouped by workload, service, topic, then what happened around
// each failure (when the scenario has failures), and a coupling summary.
#pragma once

#include <string>

#include "engine/results.hpp"

namespace svcsim {

std::string to_text(const report& r);

}  // namespace svcsim
