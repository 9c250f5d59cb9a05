// The event-driven station: a FIFO station whose jobs may call other services. Each job runs
// as frames (the root, and one per `parallel` branch); local work only moves a frame's time
// forward, and a frame sets a timer only when it must act later (send a call after some
// work). A job that ends keeps its worker until its end time; every message first frees the
// workers due by then, so a worker freed at t serves a job arriving at t.
// A non-blocking service (blocking: false) frees a job's worker when none of its frames does
// local work any more (at the end of the last one's); a frame whose call is answered then
// takes a free worker or queues for one behind the waiting jobs. A job's parallel branches
// share its one worker.
// Calls (call_attempts.cpp) follow their call_policy: timeout, retries with backoff, and a
// circuit breaker per callee.
// Failures: a job that would end at or after the next outage's start is left held; at a
// crash's start (and a hang's end) the station restarts: every job it holds fails, its frames
// and breakers are dropped. While hung, it accepts jobs but starts none and ignores replies
// and timers.
// Invariants: a frame waits for at most one wake or reply, the one carrying its `seq`
// (wake_token.hpp); busy_ <= workers except while hung; waiting_ is in arrival order.
#pragma once

#include <deque>
#include <unordered_map>
#include <utility>

#include "actors/balancer.hpp"
#include "actors/station.hpp"
#include "engine/slot_pool.hpp"

namespace svcsim {

// A circuit breaker on calls to one callee (breaker_policy).
struct breaker_state {
  std::deque<nanos> failures;  // times of recent failed attempts
  nanos open_until = -1;       // open while now < open_until; half-open after, until a trial
  bool trial = false;          // half-open: one trial call is out
};

class frame_station : public station {
 public:
  frame_station(const run_context* ctx, int id, caf::event_based_actor* self);

  void on(const job_msg& m);
  void on(const reply_msg& r);
  void on(const wake_msg& m);

 private:
  struct job {
    std::int32_t handler = 0, caller = 0;
    std::uint64_t corr = 0, trace = 0;
    bool measured = false;  // noted on arrival: the trace may be closed by the time it ends
    bool failed = false;
    bool alive = true;         // false once its slot is freed
    bool holding = false;      // has a worker
    bool ended = false;        // answered; its worker is freed at its end
    std::int32_t running = 0;  // frames doing local work (blocking: false frees the worker at 0)
    nanos busy_until = 0;      // when the local work of its frames ends, at the latest
    std::uint32_t pause = 0;   // blocking: false: which planned release of its worker is due
    std::uint64_t span = 0;    // traced: its span (station::job_span_start)
    nanos started = -1;        // when it first got to work
  };
  // A worker to free at `at`: job `job` ended (pause 0), or, blocking: false, stopped working
  // (valid while the job's pause is still `pause`).
  struct release {
    nanos at;
    std::uint32_t job;
    std::uint32_t pause;
    bool operator>(const release& o) const { return at > o.at; }
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
    bool branches_ahead = false;  // spawning: its branches' first calls may go ahead
    std::uint32_t seq = 0;        // the wake or reply this frame waits for; 0: none
    std::int32_t attempt = 0;     // failed attempts of the call at pc
    bool backing_off = false;     // waits to retry the call at pc
    bool trial = false;           // its attempt is a half-open breaker's trial call
    std::int32_t sent_to = -1;    // instance its attempt is in flight to, when counted (balancer)
    std::int32_t partition = 0;   // of the message its confirmed publish sends (every attempt)
    std::uint64_t call_span = 0;  // traced: its attempt in flight's CLIENT span
  };
  // frame_station.cpp
  void accept(const job_msg& m, nanos now);
  void take_worker(job& jb, nanos now);
  void drop_worker(job& jb, nanos at);
  void release_due(nanos now);
  void free_later(release r);
  void finish_job(std::uint32_t j, nanos end);
  void stop_running(std::uint32_t j, nanos at);
  void start_job(std::uint32_t j, nanos now);
  void go_on(std::uint32_t j, std::uint32_t f, nanos now);
  bool hung(nanos now) const;
  void start_waiting(nanos now);
  void enqueue(std::uint32_t j, std::int32_t f, nanos now);
  void complete_frame(std::uint32_t f, nanos t);
  void advance(std::uint32_t f, nanos t);
  bool sends_ahead(std::uint32_t f, const op& o, nanos t) const;
  bool may_go_ahead(const op& o) const;
  bool sibling_safe(const op& o) const;
  bool branches_may_go_ahead(const op& parallel) const;
  // The frame's call is resolved; it goes on (given a worker) at now.
  void resume(std::uint32_t f, nanos now);
  // Fails everything the station holds at now (callers learn one hop later) and empties it.
  void restart(nanos now);
  // Whether token `t` (a wake's or a reply's) is what frame id_of(t) waits for.
  bool expected(std::uint64_t t, nanos now) const;

  // call_attempts.cpp
  // The frame at a call op: sends the call's next attempt at now (or fails it at once).
  void send_attempt(std::uint32_t f, nanos now);
  // The frame's current attempt ended: ok, or failed (refused, failed, timed out). A failure
  // `seen` by the breaker counts towards opening it; a short-circuited attempt's does not.
  void attempt_ended(std::uint32_t f, bool ok, nanos now, bool seen = true);
  // The frame's backoff is over: sends the retry, unless its job has failed meanwhile.
  void retry(std::uint32_t f, nanos now);
  breaker_state* breaker_for(const op& o);
  // The party of the callee's instance that the frame's next attempt of call `o` goes to.
  int instance_for(std::uint32_t f, const op& o);
  // The frame's attempt is no longer in flight (its reply or timeout came).
  void attempt_over(std::uint32_t f);
  // Traced: the CLIENT span of the frame's attempt of call `o` to party `to`, starting now
  // (its callee's job span claims it), or ending at once with `status` if it never goes out.
  void call_span_start(std::uint32_t f, const op& o, int to, std::uint64_t corr, nanos now);
  void call_span_end(std::uint32_t f, nanos now, span_status status);
  nanos backoff_before(const call_policy& p, int k);

  // Jobs (or a non-blocking job's frame: second) waiting for a worker, and workers to free
  // later.
  std::int64_t busy_ = 0;
  std::deque<std::pair<std::uint32_t, std::int32_t>> waiting_;
  min_heap<release> releases_;
  slot_pool<job> jobs_;
  slot_pool<frame> frames_;
  std::uint32_t last_seq_;  // see next_seq(); starts at run_options::first_seq
  std::unordered_map<int, breaker_state> breakers_;  // by callee
  std::unordered_map<int, balancer> balancers_;      // by callee of several instances
};

}  // namespace svcsim
