// Event-driven services: a FIFO station whose jobs may call other services. Each job runs as
// frames (the root, and one per `parallel` branch); local work only moves a frame's time
// forward, and a frame sets a timer only when it must act later (send a call after some
// work). A job that ends keeps its worker until its end time; every message first frees the
// workers of jobs ended by then, so a worker freed at t serves a job arriving at t.
// A non-blocking service (blocking: false) frees a job's worker while none of its frames does
// local work; a frame whose call is answered then queues for a worker again.
#include "actors/messages.hpp"
#include "actors/service_state.hpp"

namespace svcsim {
namespace {

void advance(service_ptr self, std::uint32_t f, nanos t);

void take_worker(service_ptr self, job& jb, nanos now) {
  auto& st = self->state;
  st.tally->advance(window_of(self), now);
  ++st.tally->busy_level;
  ++st.busy;
  jb.holding = true;
}

void drop_worker(service_ptr self, job& jb, nanos at) {
  auto& st = self->state;
  st.tally->advance(window_of(self), at);
  --st.tally->busy_level;
  --st.busy;
  jb.holding = false;
}

void remove_job(service_ptr self, std::uint32_t j) {
  auto& st = self->state;
  st.jobs[j].alive = false;
  st.jobs.remove(j);
}

// Frees the workers of the jobs that ended by now.
void release_due(service_ptr self, nanos now) {
  auto& st = self->state;
  while (!st.ending.empty() && st.ending.top().first <= now) {
    const auto [end, j] = st.ending.top();
    st.ending.pop();
    auto& jb = st.jobs[j];
    if (jb.holding) drop_worker(self, jb, end);
    if (jb.measured) ++st.tally->served;
    remove_job(self, j);
  }
}

// Ends job j at `end`: replies, and frees its worker then. Never starts another job itself:
// each message handler does that last (start_waiting), so jobs ending at once do not recurse.
// A job that would end after the next outage starts is left held: the outage fails it.
void finish_job(service_ptr self, std::uint32_t j, nanos end) {
  auto& st = self->state;
  auto& jb = st.jobs[j];
  jb.running = 0;
  if (end >= st.trouble->next_outage_begin(now_of(self))) return;
  if (!jb.failed && fails_by_chance(self, end, jb.measured)) jb.failed = true;
  jb.ended = true;
  reply_to(self, jb.caller, jb.corr, end, !jb.failed);
  st.ending.emplace(end, j);
  if (end <= now_of(self)) return release_due(self, end);
  self->scheduled_send(
      self, st.w->at(end),
      wake_msg{token(wake_kind::service, static_cast<std::uint32_t>(service_event::release), 0)});
}

// A frame of job j stops doing local work; a non-blocking job with none left frees its worker.
void stop_running(service_ptr self, std::uint32_t j, nanos now) {
  auto& st = self->state;
  auto& jb = st.jobs[j];
  if (--jb.running == 0 && !st.spec->blocking && jb.holding && !jb.ended)
    drop_worker(self, jb, now);
}

void start_job(service_ptr self, std::uint32_t j, nanos now) {
  auto& st = self->state;
  auto& jb = st.jobs[j];
  take_worker(self, jb, now);
  jb.running = 1;
  const auto& h = st.plan->handlers[jb.handler];
  if (h.predictable)
    return finish_job(self, j,
                      run_inline(self, h.ops, now, jb.trace,
                                 st.trouble->next_outage_begin(now)));
  advance(self, st.frames.add(frame{j, &h.ops, 0, -1, 0, 0, false}), now);
}

bool hung(service_ptr self, nanos now) {
  const outage* o = self->state.trouble->outage_from(now);
  return o && o->hang && o->begin <= now;
}

// Gives free workers to waiting jobs and frames, in arrival order.
void start_waiting(service_ptr self, nanos now) {
  auto& st = self->state;
  if (!st.waiting.empty() && hung(self, now)) return;
  while (!st.waiting.empty() && st.busy < st.spec->workers) {
    const auto [j, f] = st.waiting.front();
    st.waiting.pop_front();
    st.tally->advance(window_of(self), now);
    --st.tally->queue_level;
    if (f < 0) {
      start_job(self, j, now);
    } else {
      take_worker(self, st.jobs[j], now);
      advance(self, static_cast<std::uint32_t>(f), now);
    }
  }
}

void enqueue(service_ptr self, std::uint32_t j, std::int32_t f, nanos now) {
  auto& st = self->state;
  st.tally->advance(window_of(self), now);
  ++st.tally->queue_level;
  st.waiting.emplace_back(j, f);
  st.tally->note_queue(window_of(self), now, static_cast<std::int64_t>(st.waiting.size()));
}

// A frame's ops are done at time t: hand over to its parent, or end the job. A parent that
// resumes takes over the branch's running count.
void complete_frame(service_ptr self, std::uint32_t f, nanos t) {
  auto& st = self->state;
  const auto parent = st.frames[f].parent;
  const auto j = st.frames[f].job;
  st.frames[f].seq = 0;
  st.frames.remove(f);
  if (parent < 0) return finish_job(self, j, t);
  auto& p = st.frames[parent];
  p.join_end = std::max(p.join_end, t);
  if (--p.join_left == 0 && !p.spawning) return advance(self, parent, p.join_end);
  stop_running(self, j, now_of(self));
}

// Runs frame f from its current op at time t (>= now) until it must wait or ends.
void advance(service_ptr self, std::uint32_t f, nanos t) {
  auto& st = self->state;
  const nanos now = now_of(self);
  for (;;) {
    auto& fr = st.frames[f];
    if (fr.pc == fr.ops->size() || st.jobs[fr.job].failed) return complete_frame(self, f, t);
    const op& o = (*fr.ops)[fr.pc];
    switch (o.kind) {
      case op_kind::work:
        t += work_time(self, *o.work, t);
        ++fr.pc;
        break;
      case op_kind::publish:
        if (t < st.trouble->next_outage_begin(now)) publish(self, t, o.topic, st.jobs[fr.job].trace);
        ++fr.pc;
        break;
      case op_kind::call: {
        if (t > now) {  // the call leaves when the local work before it is done
          fr.seq = ++st.next_seq;
          self->scheduled_send(self, st.w->at(t), wake_msg{token(wake_kind::send, fr.seq, f)});
          return;
        }
        const auto j = fr.job;
        send_attempt(self, f, now);
        return stop_running(self, j, now);
      }
      case op_kind::parallel: {
        ++fr.pc;
        if (o.branches.empty()) break;
        fr.join_left = static_cast<std::int32_t>(o.branches.size());
        fr.join_end = t;
        fr.spawning = true;
        const auto j = fr.job;
        for (const auto& b : o.branches) {
          ++st.jobs[j].running;
          advance(self, st.frames.add(frame{j, &b, 0, static_cast<std::int32_t>(f), 0, 0, false}),
                  t);
        }
        auto& again = st.frames[f];  // the pool may have moved
        again.spawning = false;
        if (again.join_left > 0) return stop_running(self, j, now);
        t = again.join_end;
        break;
      }
    }
  }
}

}  // namespace

void resume(service_ptr self, std::uint32_t f, nanos now) {
  auto& st = self->state;
  const auto j = st.frames[f].job;
  auto& jb = st.jobs[j];
  ++jb.running;
  if (jb.holding) return advance(self, f, now);
  if (st.busy < st.spec->workers && st.waiting.empty()) {
    take_worker(self, jb, now);
    return advance(self, f, now);
  }
  enqueue(self, j, static_cast<std::int32_t>(f), now);
}

void restart(service_ptr self, nanos now) {
  auto& st = self->state;
  release_due(self, now);
  st.tally->advance(window_of(self), now);
  for (std::uint32_t j = 0; j < st.jobs.slots(); ++j) {
    const auto& jb = st.jobs[j];
    if (!jb.alive) continue;
    if (jb.measured) ++st.tally->dropped;
    reply_to(self, jb.caller, jb.corr, now, false, true);
  }
  st.tally->busy_level -= st.busy;
  st.tally->queue_level -= static_cast<std::int64_t>(st.waiting.size());
  st.busy = 0;
  st.waiting.clear();
  st.ending = {};
  st.jobs.clear();
  st.frames.clear();
  st.breakers.clear();
}

void accept_event_driven(service_ptr self, const job_msg& m, nanos now) {
  auto& st = self->state;
  release_due(self, now);
  start_waiting(self, now);
  if (st.busy >= st.spec->workers && refused(self, m, st.waiting.size(), now)) return;
  job jb{m.handler, m.caller, m.corr, m.trace, st.w->rec->measured(m.trace)};
  const auto j = st.jobs.add(jb);
  if (st.busy < st.spec->workers && !hung(self, now))
    start_job(self, j, now);
  else
    enqueue(self, j, -1, now);
  start_waiting(self, now);
}

void on_call_reply(service_ptr self, std::uint64_t corr, bool ok, nanos now) {
  auto& st = self->state;
  release_due(self, now);
  const auto f = id_of(corr);
  if (!hung(self, now) && f < st.frames.slots() && st.frames[f].seq == seq_of(corr)) {
    st.frames[f].seq = 0;
    attempt_ended(self, f, ok, now);
  }
  start_waiting(self, now);
}

void on_wake(service_ptr self, std::uint64_t t, nanos now) {
  auto& st = self->state;
  release_due(self, now);
  const auto kind = kind_of(t);
  if (kind == wake_kind::service) {
    if (seq_of(t) == static_cast<std::uint32_t>(service_event::outage_begin)) restart(self, now);
  } else if (const auto f = id_of(t);
             !hung(self, now) && f < st.frames.slots() && st.frames[f].seq == seq_of(t)) {
    auto& fr = st.frames[f];
    fr.seq = 0;
    if (kind == wake_kind::timeout) {
      if (st.jobs[fr.job].measured) ++st.tally->timeouts;
      attempt_ended(self, f, false, now);
    } else if (kind == wake_kind::fast_fail) {
      attempt_ended(self, f, false, now, false);
    } else if (fr.backing_off) {
      fr.backing_off = false;
      send_attempt(self, f, now);
    } else {
      advance(self, f, now);
    }
  }
  start_waiting(self, now);
}

}  // namespace svcsim
