// The arrival times of one open-loop workload: Poisson (exponential gaps) or constant (evenly
// spaced, the first at time 0). The stream is a pure function of its seed, so the engine can
// replay it to find where a `requests` limit falls before the run starts.
#pragma once

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
  std::int64_t n_ = 0;
};

}  // namespace svcsim
