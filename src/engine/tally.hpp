// Per-service counters (counters.hpp) and time integrals, written by the service actor during
// a run and read by the engine afterwards. Areas are in worker-nanoseconds (busy) and
// request-nanoseconds (waiting), counted inside the measured window only. The event-driven
// path keeps them through levels and advance(); the Lindley path, which knows each job's
// intervals on arrival, adds their overlaps with the window directly.
#pragma once

#include <algorithm>
#include <cstdint>

#include "engine/counters.hpp"
#include "engine/recorder.hpp"

namespace svcsim {

struct service_tally : service_counters {
  double busy_area = 0, queue_area = 0;
  std::int64_t queue_max = 0;
  // Levels for event-driven accounting: how many workers are busy and requests wait right now.
  std::int64_t busy_level = 0, queue_level = 0;
  nanos last_change = 0;
  // Whether the service still has work: jobs it holds (event-driven services), and when its
  // last worker frees up (predictable services). The engine stops an idle run on these.
  std::int64_t held_jobs = 0;
  nanos busy_until = 0;

  // Brings the areas up to `now` with the current levels.
  void advance(const measure_window& w, nanos now) {
    const double dt = static_cast<double>(w.overlap(last_change, now));
    busy_area += dt * static_cast<double>(busy_level);
    queue_area += dt * static_cast<double>(queue_level);
    last_change = std::max(last_change, now);
  }
  void note_queue(const measure_window& w, nanos now, std::int64_t length) {
    if (w.covers(now)) queue_max = std::max(queue_max, length);
  }
};

}  // namespace svcsim
