#include "actors/service.hpp"

#include "actors/messages.hpp"
#include "engine/slot_pool.hpp"

#include <caf/all.hpp>

#include <deque>
#include <functional>
#include <queue>

namespace svcsim {
namespace {

constexpr std::uint64_t release_bit = 1ULL << 63;

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

struct service_state {
  world* w = nullptr;
  int id = 0;
  const service* spec = nullptr;
  const service_plan* plan = nullptr;
  service_tally* tally = nullptr;
  rng random;
  nanos hop = 0;  // network latency of one message hop
  // Predictable services: when each busy worker frees up, and when each waiting job starts.
  std::priority_queue<nanos, std::vector<nanos>, std::greater<>> free_at;
  std::deque<nanos> waiting_starts;
  // Event-driven services.
  std::int64_t busy = 0;
  std::deque<std::uint32_t> waiting;
  slot_pool<job> jobs;
  slot_pool<frame> frames;
};

using self_ptr = caf::stateful_actor<service_state>*;

nanos now_of(self_ptr self) { return self->state.w->now(self); }
const measure_window& window_of(self_ptr self) { return self->state.w->rec->window(); }

void publish(self_ptr self, nanos at, int topic, std::uint64_t trace) {
  auto& st = self->state;
  st.w->rec->add_pending(trace, 1);
  st.w->post(self, st.w->broker, at + st.hop,
             publish_msg{topic, trace, static_cast<std::int64_t>(at)});
}

// Runs ops that contain no call from time t; returns when they end.
nanos run_inline(self_ptr self, const std::vector<op>& ops, nanos t, std::uint64_t trace) {
  for (const auto& o : ops) {
    switch (o.kind) {
      case op_kind::work: t += o.work->sample(self->state.random); break;
      case op_kind::publish: publish(self, t, o.topic, trace); break;
      case op_kind::parallel: {
        nanos end = t;
        for (const auto& b : o.branches) end = std::max(end, run_inline(self, b, t, trace));
        t = end;
        break;
      }
      case op_kind::call: break;  // predictable handlers have none
    }
  }
  return t;
}

void reply(self_ptr self, const job& j, nanos end, bool ok) {
  auto& st = self->state;
  st.w->post(self, j.caller, end + st.hop, reply_msg{j.corr, ok, static_cast<std::int64_t>(end)});
}

// Whether a job finds the waiting room full. Broker deliveries never do: the broker sends no
// more than the subscriber's prefetch, and the subscriber keeps room for what it prefetched.
bool room_full(const service_state& st, const job_msg& m, std::size_t waiting) {
  return st.spec->queue >= 0 && m.caller != st.w->broker &&
         waiting >= static_cast<std::size_t>(st.spec->queue);
}

void reject(self_ptr self, const job_msg& m, nanos now) {
  auto& st = self->state;
  if (st.w->rec->measured(m.trace)) ++st.tally->rejected;
  st.w->post(self, m.caller, now + st.hop, reply_msg{m.corr, false, static_cast<std::int64_t>(now)});
}

// --- predictable services --------------------------------------------------------------------

void accept_predictable(self_ptr self, const job_msg& m, nanos now) {
  auto& st = self->state;
  while (!st.free_at.empty() && st.free_at.top() <= now) st.free_at.pop();
  while (!st.waiting_starts.empty() && st.waiting_starts.front() <= now) st.waiting_starts.pop_front();
  nanos start = now;
  if (st.free_at.size() >= static_cast<std::size_t>(st.spec->workers)) {
    if (room_full(st, m, st.waiting_starts.size())) return reject(self, m, now);
    start = st.free_at.top();
    st.free_at.pop();
    st.waiting_starts.push_back(start);
    st.tally->note_queue(window_of(self), now, static_cast<std::int64_t>(st.waiting_starts.size()));
  }
  const nanos end = run_inline(self, st.plan->handlers[m.handler].ops, start, m.trace);
  st.free_at.push(end);
  const auto& win = window_of(self);
  if (end <= win.stop && st.w->rec->measured(m.trace)) ++st.tally->served;
  st.tally->queue_area += static_cast<double>(win.overlap(now, start));
  st.tally->busy_area += static_cast<double>(win.overlap(start, end));
  reply(self, job{m.handler, m.caller, m.corr, m.trace, false, false}, end, true);
}

// --- event-driven services -------------------------------------------------------------------

void advance(self_ptr self, std::uint32_t f, nanos t);

void free_worker(self_ptr self, std::uint32_t j, nanos now);

// Ends job j at `end`: replies, and frees its worker then (now, or by a timer). Never starts
// another job itself: the message handler does that last (start_waiting), so a run of jobs
// that end at once does not recurse.
void finish_job(self_ptr self, std::uint32_t j, nanos end) {
  auto& st = self->state;
  reply(self, st.jobs[j], end, !st.jobs[j].failed);
  if (end > now_of(self))
    self->scheduled_send(self, st.w->at(end), wake_msg{release_bit | j});
  else
    free_worker(self, j, end);
}

void start_job(self_ptr self, std::uint32_t j, nanos now) {
  auto& st = self->state;
  st.tally->advance(window_of(self), now);
  ++st.tally->busy_level;
  ++st.busy;
  const auto& h = st.plan->handlers[st.jobs[j].handler];
  if (h.predictable) {
    finish_job(self, j, run_inline(self, h.ops, now, st.jobs[j].trace));
    return;
  }
  const auto f = st.frames.add(frame{j, &h.ops, 0, -1, 0, 0, false});
  advance(self, f, now);
}

void free_worker(self_ptr self, std::uint32_t j, nanos now) {
  auto& st = self->state;
  const auto& win = window_of(self);
  st.tally->advance(win, now);
  --st.tally->busy_level;
  --st.busy;
  if (st.jobs[j].measured) ++st.tally->served;
  st.jobs.remove(j);
}

// Gives free workers to waiting jobs, in arrival order.
void start_waiting(self_ptr self, nanos now) {
  auto& st = self->state;
  while (!st.waiting.empty() && st.busy < st.spec->workers) {
    const auto next = st.waiting.front();
    st.waiting.pop_front();
    st.tally->advance(window_of(self), now);
    --st.tally->queue_level;
    start_job(self, next, now);
  }
}

void accept_event_driven(self_ptr self, const job_msg& m, nanos now) {
  auto& st = self->state;
  if (st.busy >= st.spec->workers && room_full(st, m, st.waiting.size()))
    return reject(self, m, now);
  const auto j =
      st.jobs.add(job{m.handler, m.caller, m.corr, m.trace, st.w->rec->measured(m.trace), false});
  if (st.busy < st.spec->workers) {
    start_job(self, j, now);
    return start_waiting(self, now);
  }
  st.tally->advance(window_of(self), now);
  ++st.tally->queue_level;
  st.waiting.push_back(j);
  st.tally->note_queue(window_of(self), now, static_cast<std::int64_t>(st.waiting.size()));
}

// A frame's ops are done at time t: hand over to its parent, or end the job.
void complete_frame(self_ptr self, std::uint32_t f, nanos t) {
  auto& st = self->state;
  const auto parent = st.frames[f].parent;
  const auto j = st.frames[f].job;
  st.frames.remove(f);
  if (parent < 0) return finish_job(self, j, t);
  auto& p = st.frames[parent];
  p.join_end = std::max(p.join_end, t);
  if (--p.join_left == 0 && !p.spawning) advance(self, parent, p.join_end);
}

// Runs frame f from its current op at time t (>= now) until it must wait or ends.
void advance(self_ptr self, std::uint32_t f, nanos t) {
  auto& st = self->state;
  const nanos now = now_of(self);
  for (;;) {
    auto& fr = st.frames[f];
    if (fr.pc == fr.ops->size() || st.jobs[fr.job].failed) return complete_frame(self, f, t);
    const op& o = (*fr.ops)[fr.pc];
    switch (o.kind) {
      case op_kind::work:
        t += o.work->sample(st.random);
        ++fr.pc;
        break;
      case op_kind::publish:
        publish(self, t, o.topic, st.jobs[fr.job].trace);
        ++fr.pc;
        break;
      case op_kind::call:
        if (t > now) {  // the call leaves when the local work before it is done
          self->scheduled_send(self, st.w->at(t), wake_msg{f});
          return;
        }
        ++fr.pc;
        st.w->post(self, o.service, t + st.hop,
                   job_msg{o.handler, static_cast<std::int32_t>(st.id), f, st.jobs[fr.job].trace});
        return;
      case op_kind::parallel: {
        ++fr.pc;
        if (o.branches.empty()) break;
        fr.join_left = static_cast<std::int32_t>(o.branches.size());
        fr.join_end = t;
        fr.spawning = true;
        const auto j = fr.job;
        for (const auto& b : o.branches)
          advance(self, st.frames.add(frame{j, &b, 0, static_cast<std::int32_t>(f), 0, 0, false}), t);
        auto& again = st.frames[f];  // the pool may have moved
        again.spawning = false;
        if (again.join_left > 0) return;
        t = again.join_end;
        break;
      }
    }
  }
}

void on_reply(self_ptr self, const reply_msg& r) {
  auto& st = self->state;
  const auto f = static_cast<std::uint32_t>(r.corr);
  if (!r.ok) {
    auto& j = st.jobs[st.frames[f].job];
    if (!j.failed && j.measured) ++st.tally->errors;
    j.failed = true;
  }
  const nanos now = now_of(self);
  advance(self, f, now);
  start_waiting(self, now);
}

}  // namespace

caf::actor spawn_service(caf::actor_system& sys, world* w, int id) {
  return sys.spawn([w, id](self_ptr self) -> caf::behavior {
    w->guard(self);
    auto& st = self->state;
    st.w = w;
    st.id = id;
    st.spec = &w->source->services[id];
    st.plan = &w->plan->services[id];
    st.tally = &(*w->tallies)[id];
    st.random = rng::for_party(w->source->seed, "service:" + st.spec->name);
    st.hop = w->source->network_latency;
    return {
        [self](const job_msg& m) {
          ++self->state.w->events;
          const nanos now = now_of(self);
          if (self->state.plan->predictable)
            accept_predictable(self, m, now);
          else
            accept_event_driven(self, m, now);
        },
        [self](const reply_msg& r) {
          ++self->state.w->events;
          on_reply(self, r);
        },
        [self](const wake_msg& m) {
          ++self->state.w->events;
          const nanos now = now_of(self);
          if (m.token & release_bit)
            free_worker(self, static_cast<std::uint32_t>(m.token & ~release_bit), now);
          else
            advance(self, static_cast<std::uint32_t>(m.token), now);
          start_waiting(self, now);
        },
    };
  });
}

}  // namespace svcsim
