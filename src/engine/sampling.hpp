// Drawing durations from a scenario's distributions (scenarios/distribution.hpp) with one of the
// run's random streams. A sample is a non-negative whole number of nanoseconds; normal is
// truncated at 0 (redrawn while negative), as distribution::mean() and variance() assume.
#pragma once

#include "engine/random.hpp"
#include "scenarios/distribution.hpp"
#include "scenarios/scenario.hpp"

namespace svcsim {

nanos sample(const distribution& d, rng& r);

}  // namespace svcsim
