// Whether a workload's latency still drifts at the start of the measured window, a sign that
// the warm-up was too short. The rule is MSER (the marginal standard error rule): over the
// batch means of the window, find the number d of leading batches whose removal minimises
// sum((x_i - mean)^2) / (n - d)^2 of the rest. The start is unsettled when d is two or more
// batches (a tenth of the window) and their mean differs from the rest's by more than three
// standard errors (of batch means) and by 5% or more.
#pragma once

#include "engine/recorder.hpp"

#include <optional>

namespace svcsim {

// The share of the measured window (0..1) that looks like warm-up, when it is a tenth or
// more; nothing when the start looks like the rest or there is too little data.
std::optional<double> unsettled_start(const workload_tally& t);

}  // namespace svcsim
