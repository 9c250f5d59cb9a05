// The state of one service actor (src/actors/service.cpp) and the pieces its two ways of
// holding workers share. A worker freed at time t serves a job arriving at t, on both paths:
// - lindley_station.cpp, for predictable services (no handler calls anything): each job's
//   start and end are computed on arrival from the workers' free times;
// - frame_station.cpp, for the others: jobs run as frames that wait on calls, and a worker
//   whose job ended is released before any message at or after that time is handled;
//   call_attempts.cpp makes each call with its policy (timeout, retries, breaker).
// Failures are known in advance (failure_schedule): a job whose handling would reach the next
// outage is not answered early; the outage fails it (crash: at its start; hang: at its end).
// Internal to the service actor.
#pragma once

#include "actors/messages.hpp"
#include "engine/random.hpp"
#include "engine/ring.hpp"
#include "engine/slot_pool.hpp"
#include "actors/world.hpp"

#include <caf/event_based_actor.hpp>
#include <caf/stateful_actor.hpp>

#include <deque>
#include <functional>
#include <queue>
#include <unordered_map>
#include <utility>
#include <vector>

namespace svcsim {


struct job {
  std::int32_t handler = 0, caller = 0;
  std::uint64_t corr = 0, trace = 0;
  bool measured = false;  // noted on arrival: the trace may be closed by the time the job ends
  bool failed = false;
  bool alive = true;      // false once its slot is freed
  bool holding = false;   // has a worker
  bool ended = false;     // answered; its worker is freed at its end
  std::int32_t running = 0;  // frames doing local work (blocking: false frees the worker at 0)
  nanos busy_until = 0;      // when the local work of its frames ends, at the latest
  std::uint32_t pause = 0;   // blocking: false: which planned release of its worker is due
};

// A worker to free at `at`: job `job` ended (pause 0), or, blocking: false, stopped working
// (valid while the job's pause is still `pause`).
struct release {
  nanos at;
  std::uint32_t job;
  std::uint32_t pause;
  bool operator>(const release& o) const { return at > o.at; }
};

// What a wake_msg is for. Frame wakes and call replies carry the frame's `seq`: one that no
// longer matches (a late reply after a timeout, a timer from before a restart) is ignored.
enum class wake_kind : std::uint64_t { send = 0, timeout = 1, fast_fail = 2, service = 3 };

inline std::uint64_t token(wake_kind k, std::uint32_t seq, std::uint32_t id) {
  return (static_cast<std::uint64_t>(k) << 62) |
         (static_cast<std::uint64_t>(seq & 0x3fffffffU) << 32) | id;
}
inline wake_kind kind_of(std::uint64_t t) { return static_cast<wake_kind>(t >> 62); }
inline std::uint32_t seq_of(std::uint64_t t) {
  return static_cast<std::uint32_t>(t >> 32) & 0x3fffffffU;
}
inline std::uint32_t id_of(std::uint64_t t) { return static_cast<std::uint32_t>(t); }
// The next sequence number after `seq`: 30 bits, never 0 (0 means "waits for nothing").
inline std::uint32_t next_seq(std::uint32_t& seq) {
  seq = (seq + 1) & 0x3fffffffU;
  if (seq == 0) seq = 1;
  return seq;
}

// Service wakes (kind service): free workers, an outage's start or end (`i`: which), or put
// held replies on the clock.
enum class service_event : std::uint32_t {
  release = 0,
  outage_begin = 1,
  outage_end = 2,
  held_replies = 3,
};
inline wake_msg service_wake(service_event e, std::uint32_t i = 0) {
  return wake_msg{token(wake_kind::service, static_cast<std::uint32_t>(e), i)};
}
inline bool is_service_event(std::uint64_t t, service_event e) {
  return kind_of(t) == wake_kind::service && seq_of(t) == static_cast<std::uint32_t>(e);
}

// A reply to the client feeding the service, due to reach it at `at`.
struct direct_reply {
  nanos at;
  std::uint64_t order;  // ties in the order they were made
  std::uint64_t trace;
  bool ok;
  bool operator>(const direct_reply& o) const {
    return at != o.at ? at > o.at : order > o.order;
  }
};

// A reply a predictable service holds back until shortly before it is due (held_replies.cpp).
struct held_reply {
  nanos at;             // when it reaches the caller
  std::uint64_t order;  // ties in the order they were made
  std::int32_t caller;
  std::uint64_t corr;
  nanos end;
  bool ok, down;
  bool operator>(const held_reply& o) const {
    return at != o.at ? at > o.at : order > o.order;
  }
};

// A circuit breaker on calls to one callee (breaker_policy).
struct breaker_state {
  std::deque<nanos> failures;  // times of recent failed attempts
  nanos open_until = -1;       // open while now < open_until; half-open after, until a trial
  bool trial = false;          // half-open: one trial call is out
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
  std::uint32_t seq = 0;       // the wake or reply this frame waits for; 0: none
  std::int32_t attempt = 0;    // failed attempts of the call at pc
  bool backing_off = false;    // waits to retry the call at pc
  bool trial = false;          // its attempt is a half-open breaker's trial call
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
  const failure_schedule* trouble = nullptr;
  // Predictable services: when each busy worker frees up, and when each waiting job starts.
  min_heap<nanos> free_at;
  ring<nanos> waiting_starts;
  // Event-driven services: jobs (or a non-blocking job's frame: second) waiting for a worker,
  // and workers to free later.
  std::int64_t busy = 0;
  std::deque<std::pair<std::uint32_t, std::int32_t>> waiting;
  min_heap<release> releases;
  slot_pool<job> jobs;
  slot_pool<frame> frames;
  std::uint32_t last_seq = 0;  // see next_seq()
  // A service fed by one client (service_plan::fed_by): that client's party, else -1; its
  // replies to it, recorded
  // in time order once no later arrival can answer sooner (direct_replies.cpp).
  std::int32_t direct_client = -1;
  min_heap<direct_reply> direct_replies;
  std::uint64_t direct_count = 0;
  // A predictable service with a long queue: replies not yet on the clock, and when the wake
  // that puts the next ones there is due.
  ring<held_reply> held_replies;  // in order of time, ties in order made
  std::uint64_t held_count = 0;
  nanos held_wake = std::numeric_limits<nanos>::max();
  std::unordered_map<int, breaker_state> breakers;  // by callee
};

using service_ptr = caf::stateful_actor<service_state>*;

inline nanos now_of(service_ptr self) { return self->state.w->now(self); }
inline const measure_window& window_of(service_ptr self) { return self->state.w->rec->window(); }

// Hands a message for `topic` to the broker at time `at`.
void publish(service_ptr self, nanos at, int topic, std::uint64_t trace);
// Runs ops that contain no call from time t; returns when they end. Publishes at or after
// `cutoff` (an outage's start) are not made.
nanos run_inline(service_ptr self, const std::vector<op>& ops, nanos t, std::uint64_t trace,
                 nanos cutoff);
// Answers `caller`'s job `corr`, which ended at `end`; `down`: failed by an outage.
void reply_to(service_ptr self, std::int32_t caller, std::uint64_t corr, nanos end, bool ok,
              bool down = false);
// Whether the job ending at `end` fails by errors(p).
bool fails_by_chance(service_ptr self, nanos end);
// Work starting at t, stretched by slow(k) when the service is slow then.
nanos work_time(service_ptr self, const distribution& d, nanos t);
// Whether job `m` finds the waiting room, holding `waiting` jobs, full; if so, refuses it.
bool refused(service_ptr self, const job_msg& m, std::size_t waiting, nanos now);

// lindley_station.cpp
void accept_predictable(service_ptr self, const job_msg& m, nanos now);

// held_replies.cpp: answers a job of a predictable service, holding the reply back while the
// queue is long; and, on the service's wake, puts the next held replies on the clock.
void answer(service_ptr self, std::int32_t caller, std::uint64_t corr, nanos end, bool ok,
            bool down);
void release_held_replies(service_ptr self, nanos now);

// direct_replies.cpp: records the replies to the feeding client due by `until`.
void record_direct_replies(service_ptr self, nanos until);

// frame_station.cpp: each handles one message at time now.
void accept_event_driven(service_ptr self, const job_msg& m, nanos now);
void on_call_reply(service_ptr self, std::uint64_t corr, bool ok, nanos now);
void on_wake(service_ptr self, std::uint64_t token, nanos now);
// Fails everything the service holds at now (callers learn one hop later) and empties it.
void restart(service_ptr self, nanos now);
// The frame at a call op: sends the call's next attempt at now (or fails it at once).
void send_attempt(service_ptr self, std::uint32_t f, nanos now);
// The frame's current attempt ended: ok, or failed (refused, failed, timed out). A failure
// `seen` by the breaker counts towards opening it; a short-circuited attempt's does not.
void attempt_ended(service_ptr self, std::uint32_t f, bool ok, nanos now, bool seen = true);
// The frame's backoff is over: sends the retry, unless its job has failed meanwhile.
void retry(service_ptr self, std::uint32_t f, nanos now);
// frame_station.cpp: the frame's call is resolved; it goes on (given a worker) at now.
void resume(service_ptr self, std::uint32_t f, nanos now);

}  // namespace svcsim
