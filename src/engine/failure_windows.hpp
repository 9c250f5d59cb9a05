// What happened around each failure window of a scenario, for the text report: three spans of
// time per window [at, end): before it, as long as the window (or from 0); during it; and after
// it, as long again. A window without end lasts until the end of the run; the span before it
// starts at 0 and no span follows it. Replies are tallied per span as they reach the clients
// (spans are known before the run); the backlog of the topics and of their subscriptions is read
// from the timeline's buckets after the run.
#pragma once

#include <cstdint>
#include <vector>

#include "engine/histogram.hpp"
#include "engine/results.hpp"

namespace svcsim {

class window_recorder {
 public:
  window_recorder(const std::vector<failure>& failures, std::size_t workloads);

  void replied(int workload, nanos t, bool ok, nanos latency) {
    if (!spans_.empty()) tally(workload, t, ok, latency);
  }

  // After the run, which stopped at `end`: one summary per failure. `tl` is the run's timeline,
  // its buckets `bucket` wide.
  // `broker`: the broker's number among the failing parties (scenario::broker_party()).
  std::vector<failure_window> finish(const timeline& tl, nanos bucket, nanos end, int broker) const;

 private:
  struct span {
    nanos from = 0, to = 0;
  };
  struct span_tally {
    std::int64_t ok = 0, failed = 0;
    log_histogram<5> latency;
  };
  void tally(int workload, nanos t, bool ok, nanos latency);
  span_summary summary(std::size_t span, std::size_t workload) const;

  std::vector<failure> failures_;
  std::vector<span> spans_;          // before, during, after, for each failure in turn
  std::vector<span_tally> tallies_;  // per span, then per workload
  std::size_t workloads_;
};

}  // namespace svcsim
