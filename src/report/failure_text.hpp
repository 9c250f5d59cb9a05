// The text report's section on failures, from each run's timeline: for every failure window of
// the scenario, per workload the availability and p99 latency of the replies before, during and
// after it, and per topic the broker's backlog and when it caught up. Empty when the scenario
// has no failures. With replications, replication 0's.
#pragma once

#include <string>

#include "engine/results.hpp"

namespace svcsim {

std::string failure_text(const report& r);

}  // namespace svcsim
