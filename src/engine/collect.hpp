// Turns what a run's recorder and service tallies hold into the run_result the reports print:
// percentiles in milliseconds, rates per second, coupling per service, and the warnings that
// say which numbers to doubt.
#pragma once

#include <vector>

#include "engine/plan.hpp"
#include "engine/recorder.hpp"
#include "engine/results.hpp"
#include "engine/tally.hpp"

namespace svcsim {

// `tallies`: one per service instance (instance_layout), then the broker's. `end`: when the run
// stopped; `drained`: it stopped because nothing was left to happen, not at the drain limit.
void collect(const scenario& s, const plan& p, recorder& rec, std::vector<service_tally>& tallies,
             nanos end, bool drained, run_result& r);

}  // namespace svcsim
