// Independent replications of one run: the same scenario and mode under different seeds
// (replication_seed()), each in its own actor system, spread over an executor's threads or
// nodes. The results come back in replication order, so they do not depend on where they ran.
#pragma once

#include <cstdint>
#include <functional>
#include <string>
#include <vector>

#include "actors/simulate.hpp"
#include "studies/run_executor.hpp"

namespace svcsim {

// `options` as the executor shares them out. Only replication 0 keeps its timeline, and only it
// records spans (options.trace, .spans). `done(k, replications)` after each replication ends.
std::vector<run_result> replicate(const scenario& s, const design& d, int replications,
                                  const run_executor& runs, const simulate_options& options = {},
                                  const runs_done& done = nullptr);
// The plain run of mode m on `jobs` threads.
std::vector<run_result> replicate(const scenario& s, mode m, int replications, int jobs,
                                  const simulate_options& options = {},
                                  const std::function<void(int, int)>& done = nullptr);

// The distinct warnings of all replications, each marked "(in k of N replications)" unless all
// gave it; the plain warnings for a single run. Warnings that differ only in their numbers are
// one line, each number shown as its range over them ("3..7"), marked "(in k of N
// replications, numbers vary)".
std::vector<std::string> merged_warnings(const std::vector<run_result>& runs);

// The report of scenario `s` from its runs: per mode, its replications in order (none of them
// stopped). runs[i] is the mode's replication 0 with the merged warnings of all; replicas are
// kept with more than one replication. Header fields for people (loads, clock) are left as
// report's defaults.
report report_of_runs(const scenario& s, std::vector<std::vector<run_result>> per_mode);

}  // namespace svcsim
