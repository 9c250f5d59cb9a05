// Runs one scenario in one mode as a discrete-event simulation: the services, the broker and
// the clients are CAF actors on a scheduler of one thread whose clock is virtual
// (virtual_scheduler), so hours of traffic take seconds and a seed always gives the same results.
//
// Arrivals stop at `duration` or after `requests`; the run then goes on until nothing is left
// to do, or for `drain` more, whichever comes first; requests still open then are unfinished.
// Every actor is shut down before simulate() returns.
#pragma once

#include <atomic>
#include <cstdint>
#include <functional>
#include <optional>

#include "engine/results.hpp"
#include "engine/spans.hpp"
#include "scenarios/scenario.hpp"

namespace svcsim {

// An interval of send times, [from, to).
struct send_interval {
  nanos from = 0, to = 0;
};

struct simulate_options {
  // Requests in flight at once beyond which the run stops with an error: at ~300 bytes each,
  // the default holds a run to a few GB.
  std::size_t max_in_flight = 10000000;
  // Width of the timeline's buckets: widened, with a warning, beyond
  // timeline_recorder::max_buckets buckets; 0, the default, as fit_bucket() chooses.
  nanos bucket = 0;
  // Called now and then with the simulated time reached and the end of arrivals (ns).
  std::function<void(nanos now, nanos arrivals_end)> progress;
  // Requests sent in this interval are also counted apart, measured or not: run_result::watched.
  std::optional<send_interval> watch;
  // Whether a service fed by one open-loop client takes its arrivals in batches and records
  // its replies itself (service_plan::fed_by). Off, every request and reply is a message; the
  // results are the same but for `events`. For tests and benchmarks.
  bool direct_feed = true;
  // Whether every service runs on the event-driven station (frame_station), even one whose
  // handlers call nothing, which would otherwise compute each job on arrival
  // (lindley_station); no service is then fed directly either. The results are the same but
  // for `events`. For tests.
  bool force_event_driven = false;
  // Whether a call that follows local work is put on the clock when the work starts, for when
  // it ends, rather than by a wake of its station then (frame_station::sends_ahead). The
  // results are the same but for `events` and the order of exact ties. For tests.
  bool send_ahead = true;
  // Whether the run uses CAF as it comes: its own testing scheduler rather than
  // virtual_scheduler, and its behaviors' matching for every message rather than the parties'
  // direct handling (party.hpp). The results must be the same, even `events` (but for
  // `wall_time_s`). For tests.
  bool plain_caf = false;
  // The sequence number event-driven stations count their wakes and calls from
  // (wake_token.hpp), masked to 30 bits. For tests only: near 2^30, a short run crosses the
  // wrap.
  std::uint32_t first_seq = 0;
  // Spans of the requests `trace` samples (engine/spans.hpp), each request's handed to
  // `spans` as they end; tracing changes nothing else in the run.
  span_sampling trace;
  span_recorder::sink spans;
  // Set from another thread, stops the run within about a thousand events, its error
  // "cancelled" (a worker node that is told to stop).
  const std::atomic<bool>* cancel = nullptr;
};

// Runs design d (run_result::design is its name); the mode version runs design_of(m).
run_result simulate(const scenario& s, const design& d, const simulate_options& options = {});
run_result simulate(const scenario& s, mode m, const simulate_options& options = {});

}  // namespace svcsim
