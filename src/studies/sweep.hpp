// A sweep: one scenario run at every point of a grid of `--set KEY=V1,V2,...` values, in each
// mode, with replications, and where each mode's load starts to hurt (its knee). Model, grid
// and runs are kept apart: the grid is text (the values as the user wrote them), each point's
// scenario is loaded from the file with that point's overrides, and its runs are an ordinary
// report, so every report writer's code for runs serves a sweep's points as well.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "engine/results.hpp"

namespace svcsim {

// Where a mode's load starts to hurt: the first point (in grid order) at which p99 latency of
// a workload exceeds knee_factor x its value at the first point, or the availability of a
// workload drops below 99%, or a backlog stops draining.
struct sweep_knee {
  svcsim::mode mode = svcsim::mode::sync;
  int point = -1;          // index into sweep_result::points; -1: none within the grid
  std::string why;         // e.g. "p99 of signup 41.2 ms, 3.4x its 12.1 ms at 50/s"
  std::string bottleneck;  // the busiest service at that point ("email", or "broker")
};

struct sweep_result {
  std::string scenario;
  std::uint64_t seed = 1;
  std::vector<std::string> keys;  // the swept keys (dotted paths), in --set order
  struct point {
    std::vector<std::string> values;  // one per key, as written (ranges expanded: "150/s")
    report runs;  // one entry per mode (sync first), and replicas with replications > 1
  };
  std::vector<point> points;  // the grid, the last key varying fastest
  double knee_factor = 3;
  std::vector<sweep_knee> knees;  // one per mode, in the order of each point's runs
  // The knees in one sentence: "sync saturates at 180/s (email), async at 240/s (broker)".
  std::string summary;
  std::string error;  // a run stopped early: which one, and why
};

}  // namespace svcsim
