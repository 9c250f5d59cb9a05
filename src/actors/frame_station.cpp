// Event-driven services: a FIFO station whose jobs may call other services. Each job runs as
// frames (the root, and one per `parallel` branch); local work only moves a frame's time
// forward, and a frame sets a timer only when it must act later (send a call after some
// work). A job that ends keeps its worker until its end time; every message first frees the
// workers due by then, so a worker freed at t serves a job arriving at t.
// A non-blocking service (blocking: false) frees a job's worker when none of its frames does
// local work any more (at the end of the last one's); a frame whose call is answered then
// takes a free worker or queues for one behind the waiting jobs. A job's parallel branches
// share its one worker.
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

// Frees the workers due by now, in time order: of jobs that ended, and of non-blocking jobs
// that stopped working (unless they went back to work since).
void release_due(service_ptr self, nanos now) {
  auto& st = self->state;
  while (!st.releases.empty() && st.releases.top().at <= now) {
    const release r = st.releases.top();
    st.releases.pop();
    auto& jb = st.jobs[r.job];
    if (r.pause != 0) {
      if (jb.alive && jb.pause == r.pause && jb.running == 0 && jb.holding)
        drop_worker(self, jb, r.at);
      continue;
    }
    if (jb.holding) drop_worker(self, jb, r.at);
    if (jb.measured) {
      ++st.tally->served;
      if (jb.failed) ++st.tally->errors;
    }
    jb.alive = false;
    st.jobs.remove(r.job);
    --st.tally->held_jobs;
  }
}

void free_later(service_ptr self, release r) {
  auto& st = self->state;
  st.releases.push(r);
  if (r.at <= now_of(self)) return release_due(self, r.at);
  self->scheduled_send(self, st.w->at(r.at), service_wake(service_event::release));
}

// Ends job j at `end`: replies, and frees its worker then. Never starts another job itself:
// each message handler does that last (start_waiting), so jobs ending at once do not recurse.
// A job that would end at or after the next outage's start is left held: the outage fails it.
void finish_job(service_ptr self, std::uint32_t j, nanos end) {
  auto& st = self->state;
  auto& jb = st.jobs[j];
  jb.running = 0;
  if (end >= st.trouble->next_outage_begin(now_of(self))) return;
  if (!jb.failed && fails_by_chance(self, end)) jb.failed = true;
  jb.ended = true;
  reply_to(self, jb.caller, jb.corr, end, !jb.failed);
  free_later(self, release{end, j, 0});
}

// A frame of job j stops doing local work at `at` (>= now); a non-blocking job with no frame
// working frees its worker when the last one's work ends.
void stop_running(service_ptr self, std::uint32_t j, nanos at) {
  auto& st = self->state;
  auto& jb = st.jobs[j];
  jb.busy_until = std::max(jb.busy_until, at);
  if (--jb.running > 0 || st.spec->blocking || !jb.holding || jb.ended) return;
  if (++jb.pause == 0) jb.pause = 1;
  free_later(self, release{jb.busy_until, j, jb.pause});
}

void start_job(service_ptr self, std::uint32_t j, nanos now) {
  auto& st = self->state;
  auto& jb = st.jobs[j];
  take_worker(self, jb, now);
  jb.running = 1;
  const auto& h = st.plan->handlers[jb.handler];
  if (h.predictable)
    return finish_job(self, j,
                      run_inline(self, h.ops, now, jb.trace, st.trouble->next_outage_begin(now)));
  advance(self, st.frames.add(frame{j, &h.ops, 0, -1, 0, 0, false}), now);
}

// Runs frame f of job j, which holds a worker, from now.
void go_on(service_ptr self, std::uint32_t j, std::uint32_t f, nanos now) {
  ++self->state.jobs[j].running;
  advance(self, f, now);
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
      continue;
    }
    auto& jb = st.jobs[j];
    if (!jb.holding) take_worker(self, jb, now);
    go_on(self, j, static_cast<std::uint32_t>(f), now);
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
  stop_running(self, j, t);
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
          fr.seq = next_seq(st.last_seq);
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
        if (again.join_left > 0) return stop_running(self, j, t);
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
  if (!jb.holding) {
    if (st.busy >= st.spec->workers || !st.waiting.empty())
      return enqueue(self, j, static_cast<std::int32_t>(f), now);
    take_worker(self, jb, now);
  }
  go_on(self, j, f, now);
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
  st.tally->held_jobs = 0;
  st.busy = 0;
  st.waiting.clear();
  st.releases = {};
  st.jobs.clear();
  st.frames.clear();
  st.breakers.clear();
}

// A hung service takes what arrives like any other, but starts nothing: a job given a worker
// then only holds it.
void accept_event_driven(service_ptr self, const job_msg& m, nanos now) {
  auto& st = self->state;
  release_due(self, now);
  start_waiting(self, now);
  if (st.busy >= st.spec->workers && refused(self, m, st.waiting.size(), now)) return;
  job jb{m.handler, m.caller, m.corr, m.trace, st.w->rec->measured(m.trace)};
  const auto j = st.jobs.add(jb);
  ++st.tally->held_jobs;
  if (st.busy >= st.spec->workers)
    enqueue(self, j, -1, now);
  else if (hung(self, now))
    take_worker(self, st.jobs[j], now);
  else
    start_job(self, j, now);
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
    if (is_service_event(t, service_event::outage_begin)) restart(self, now);
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
      retry(self, f, now);
    } else {
      advance(self, f, now);
    }
  }
  start_waiting(self, now);
}

}  // namespace svcsim
