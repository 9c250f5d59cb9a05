// What the yardsticks of `make bench` (baseline_signup.hpp, baseline_calls.hpp) share: the
// result of a run, and the one kind of workload they take.
#pragma once

#include <cstdint>
#include <string>

#include "scenarios/scenario.hpp"

namespace svcsim::bench {

struct yardstick_result {
  std::int64_t sent = 0;      // requests sent
  std::int64_t measured = 0;  // of those, sent at or after warmup
  std::int64_t done = 0;      // replies (every request is answered, none fails)
  double latency_ms = 0;      // means over the measured requests
  double completion_ms = 0;
  double lag_ms = 0;        // baseline_signup, async: mean over the measured deliveries; else 0
  std::int64_t events = 0;  // events handled
  nanos end = 0;            // the last event's time
};

// A mean in ms of `n` durations summing to `sum_ns` ns; 0 when n is 0.
inline double mean_ms(double sum_ns, std::int64_t n) { return n ? sum_ns / n / 1e6 : 0.0; }

// Why `s` is not driven the way the yardsticks take, or empty when it is: exactly one
// workload, open-loop poisson(RATE) with a constant rate, and no failures.
inline std::string one_poisson_workload_error(const scenario& s) {
  if (s.workloads.size() != 1) return "needs exactly one workload";
  const workload& w = s.workloads[0];
  if (w.users > 0 || w.arrivals != arrival_kind::poisson || w.profile || !(w.rate_per_s > 0))
    return "the workload must be open-loop poisson(RATE) with a constant rate";
  if (!s.failures.empty()) return "failures are not modelled";
  return {};
}

}  // namespace svcsim::bench
