// Drawing durations from a scenario's distributions (scenarios/distribution.hpp) with one of the
// run's random streams. A sample is a non-negative whole number of nanoseconds; normal is
// truncated at 0 (redrawn while negative), as distribution::mean() and variance() assume.
#pragma once

#include <cmath>
#include <cstdint>

#include "engine/random.hpp"
#include "scenarios/distribution.hpp"
#include "scenarios/scenario.hpp"

namespace svcsim {

nanos sample(const distribution& d, rng& r);

// A duration in nanoseconds as a sample: x rounded half away from zero, as std::llround, and
// 0 when x <= 0. Inline, without llround's call: below 2^62 the whole part converts exactly and
// the fraction x - whole is exact, so the result is llround's.
inline std::int64_t to_nanos(double x) {
  if (x <= 0) return 0;
  if (!(x < 0x1p62)) return static_cast<std::int64_t>(std::llround(x));
  const auto whole = static_cast<std::int64_t>(x);
  return whole + (x - static_cast<double>(whole) >= 0.5 ? 1 : 0);
}

}  // namespace svcsim
