// When each service is in trouble during a run: scenario::failures arranged per service for
// lookup by simulated time. Failures are fixed before the run starts, so a service can tell on
// a job's arrival whether an outage will cut it short.
//
// Invariants: an instance's windows are sorted and do not overlap (the loader refuses overlaps).
#pragma once

#include <vector>

#include "scenarios/scenario.hpp"

namespace svcsim {

// A window in which the service answers nothing: a crash or a hang.
struct outage {
  nanos begin = 0, end = 0;  // end: never when the failure lasts to the end of the run
  bool hang = false;
};

class failure_schedule {
 public:
  static constexpr nanos never = std::numeric_limits<nanos>::max();

  failure_schedule() = default;
  explicit failure_schedule(std::vector<failure> windows);  // one service's failures

  bool empty() const { return windows_.empty(); }
  const std::vector<outage>& outages() const { return outages_; }
  // The outage in progress at t, or else the next one to begin after t; nullptr if none.
  // (Inline, as the two below: a service without outages asks on every job.)
  const outage* outage_from(nanos t) const {
    return outages_.empty() ? nullptr : search_outages(t);
  }
  // Whether the service is crashed at t (it refuses what arrives then).
  bool crashed(nanos t) const {
    const outage* o = outage_from(t);
    return o && !o->hang && o->begin <= t;
  }
  // When the next outage after t begins (or the one in progress began); never if none.
  nanos next_outage_begin(nanos t) const {
    const outage* o = outage_from(t);
    return o ? o->begin : never;
  }
  double slow_factor(nanos t) const;        // work starting at t takes this many times as long
  double error_probability(nanos t) const;  // of a job whose handling ends at t

 private:
  const failure* degradation_at(nanos t, failure_kind kind) const;
  const outage* search_outages(nanos t) const;  // outage_from() when there are some

  std::vector<failure> windows_;
  std::vector<outage> outages_;
};

// One schedule per instance (instance_layout's order), then the broker's: each instance has
// the failures of its service that name it or no instance.
std::vector<failure_schedule> failure_schedules(const scenario& s);

}  // namespace svcsim
