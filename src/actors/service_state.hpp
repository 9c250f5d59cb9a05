// The state of one service actor (src/actors/service.cpp) and the pieces its two ways of
// holding workers share. A worker freed at time t serves a job arriving at t, on both paths:
// - lindley_station.cpp, for predictable services (no handler calls anything): each job's
//   start and end are computed on arrival from the workers' free times;
// - frame_station.cpp, for the others: jobs run as frames that wait on calls, and a worker
//   whose job ended is released before any message at or after that time is handled.
// Internal to the service actor.
#pragma once

#include "engine/slot_pool.hpp"
#include "engine/world.hpp"

#include <caf/event_based_actor.hpp>
#include <caf/stateful_actor.hpp>

#include <deque>
#include <functional>
#include <queue>
#include <utility>
#include <vector>

namespace svcsim {

struct job_msg;

struct job {
  std::int32_t handler = 0, caller = 0;
  std::uint64_t corr = 0, trace = 0;
  bool measured = false;  // noted on arrival: the trace may be closed by the time the job ends
  bool failed = false;
};

// One thread of a running handler: the root, or a branch of a `parallel` op.
struct frame {
  std::uint32_t job = 0;
  const std::vector<op>* ops = nullptr;
  std::uint32_t pc = 0;
  std::int32_t parent = -1;
  std::int32_t join_left = 0;  // branches still running (parallel op in progress)
  nanos join_end = 0;          // latest end among the finished branches
  bool spawning = false;
};

template <class T>
using min_heap = std::priority_queue<T, std::vector<T>, std::greater<>>;

struct service_state {
  world* w = nullptr;
  int id = 0;
  const service* spec = nullptr;
  const service_plan* plan = nullptr;
  service_tally* tally = nullptr;
  rng random;
  nanos hop = 0;  // network latency of one message hop
  // Predictable services: when each busy worker frees up, and when each waiting job starts.
  min_heap<nanos> free_at;
  std::deque<nanos> waiting_starts;
  // Event-driven services: jobs waiting for a worker, and jobs ended whose worker is not freed.
  std::int64_t busy = 0;
  std::deque<std::uint32_t> waiting;
  min_heap<std::pair<nanos, std::uint32_t>> ending;
  slot_pool<job> jobs;
  slot_pool<frame> frames;
};

using service_ptr = caf::stateful_actor<service_state>*;

inline nanos now_of(service_ptr self) { return self->state.w->now(self); }
inline const measure_window& window_of(service_ptr self) { return self->state.w->rec->window(); }

// Hands a message for `topic` to the broker at time `at`.
void publish(service_ptr self, nanos at, int topic, std::uint64_t trace);
// Runs ops that contain no call from time t; returns when they end.
nanos run_inline(service_ptr self, const std::vector<op>& ops, nanos t, std::uint64_t trace);
// Answers `caller`'s job `corr`, which ended at `end`.
void reply_to(service_ptr self, std::int32_t caller, std::uint64_t corr, nanos end, bool ok);
// Whether job `m` finds the waiting room, holding `waiting` jobs, full; if so, refuses it.
bool refused(service_ptr self, const job_msg& m, std::size_t waiting, nanos now);

// lindley_station.cpp
void accept_predictable(service_ptr self, const job_msg& m, nanos now);

// frame_station.cpp: each handles one message at time now.
void accept_event_driven(service_ptr self, const job_msg& m, nanos now);
void on_call_reply(service_ptr self, std::uint64_t corr, bool ok, nanos now);
void on_wake(service_ptr self, std::uint64_t token, nanos now);

}  // namespace svcsim
