// Whether a workload's latency still drifts at the start of the measured window, a sign that
// the warm-up was too short. The rule is MSER (the marginal standard error rule): over the 20
// batch means of the window, find the number d of leading batches (0 to 10) whose removal
// minimises sum((x_i - mean)^2) / (n - d)^2 of the rest. The start is unsettled when d is two
// or more batches (a tenth of the window), their mean lies outside the range of the other
// batch means, and it differs from theirs by more than five standard errors and by 10% or
// more. When d is the most MSER may trim (half the window), there is no steady state to find.
#pragma once

#include "engine/recorder.hpp"

namespace svcsim {

struct start_verdict {
  enum { settled, unsettled, drifting } kind = settled;
  double share = 0;  // unsettled: the share of the window that looks like warm-up
};

// Too little data (fewer than 20 ok requests in some batch) counts as settled.
start_verdict judge_start(const workload_tally& t);

}  // namespace svcsim
