// The arrival times of one open-loop workload: Poisson (exponential gaps) or constant (evenly
// spaced, the first at time 0). With a rate profile, the same processes in "operational time":
// the n-th arrival is at the time the profile's expected arrivals reach n (constant) or a sum of
// n exponential(1) draws (Poisson, non-homogeneous, exact by inversion). The stream is a pure
// function of its seed, so the engine can replay it to find where a `requests` limit falls before
// the run starts.
#pragma once

#include <cstdint>
#include <vector>

#include "engine/random.hpp"
#include "scenarios/scenario.hpp"

namespace svcsim {

class arrival_stream {
 public:
  arrival_stream(const workload& w, std::uint64_t seed);
  nanos next();  // the next arrival time, non-decreasing

 private:
  rng random_;
  arrival_kind kind_;
  double gap_ns_;  // mean gap
  double t_ = 0;
  const rate_profile* profile_ = nullptr;
  double mass_ = 0;  // with a profile: the expected arrivals up to the last one
  std::int64_t n_ = 0;
};

// Where arrivals end, and how many each workload sends when `requests` caps them all: the
// arrival streams are replayed and merged in time order up to the cap, before the run.
struct arrival_plan {
  static constexpr nanos never = INT64_MAX / 4;
  nanos stop = 0;                   // no arrival at or after this time (duration, or never)
  nanos end = 0;                    // the last arrival, or stop
  std::vector<std::int64_t> quota;  // per workload; -1 = no limit
};

arrival_plan plan_arrivals(const scenario& s);

}  // namespace svcsim
