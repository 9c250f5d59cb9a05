// Event-driven services: a FIFO station whose jobs may call other services. Each job runs as
// frames (the root, and one per `parallel` branch); local work only moves a frame's time
// forward, and a frame sets a timer only when it must act later (send a call after some
// work). A job that ends keeps its worker until its end time; every message first frees the
// workers of jobs ended by then, so a worker freed at t serves a job arriving at t.
#include "actors/messages.hpp"
#include "actors/service_state.hpp"

namespace svcsim {
namespace {

constexpr std::uint64_t release_token = ~0ULL;  // a wake to free workers, not to run a frame

void advance(service_ptr self, std::uint32_t f, nanos t);

void free_worker(service_ptr self, std::uint32_t j, nanos at) {
  auto& st = self->state;
  st.tally->advance(window_of(self), at);
  --st.tally->busy_level;
  --st.busy;
  if (st.jobs[j].measured) ++st.tally->served;
  st.jobs.remove(j);
}

// Frees the workers of the jobs that ended by now.
void release_due(service_ptr self, nanos now) {
  auto& st = self->state;
  while (!st.ending.empty() && st.ending.top().first <= now) {
    const auto [end, j] = st.ending.top();
    st.ending.pop();
    free_worker(self, j, end);
  }
}

// Ends job j at `end`: replies, and frees its worker then. Never starts another job itself:
// each message handler does that last (start_waiting), so jobs ending at once do not recurse.
void finish_job(service_ptr self, std::uint32_t j, nanos end) {
  auto& st = self->state;
  reply_to(self, st.jobs[j].caller, st.jobs[j].corr, end, !st.jobs[j].failed);
  if (end <= now_of(self)) return free_worker(self, j, end);
  st.ending.emplace(end, j);
  self->scheduled_send(self, st.w->at(end), wake_msg{release_token});
}

void start_job(service_ptr self, std::uint32_t j, nanos now) {
  auto& st = self->state;
  st.tally->advance(window_of(self), now);
  ++st.tally->busy_level;
  ++st.busy;
  const auto& h = st.plan->handlers[st.jobs[j].handler];
  if (h.predictable) return finish_job(self, j, run_inline(self, h.ops, now, st.jobs[j].trace));
  advance(self, st.frames.add(frame{j, &h.ops, 0, -1, 0, 0, false}), now);
}

// Gives free workers to waiting jobs, in arrival order.
void start_waiting(service_ptr self, nanos now) {
  auto& st = self->state;
  while (!st.waiting.empty() && st.busy < st.spec->workers) {
    const auto next = st.waiting.front();
    st.waiting.pop_front();
    st.tally->advance(window_of(self), now);
    --st.tally->queue_level;
    start_job(self, next, now);
  }
}

// A frame's ops are done at time t: hand over to its parent, or end the job.
void complete_frame(service_ptr self, std::uint32_t f, nanos t) {
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
void advance(service_ptr self, std::uint32_t f, nanos t) {
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
          advance(self, st.frames.add(frame{j, &b, 0, static_cast<std::int32_t>(f), 0, 0, false}),
                  t);
        auto& again = st.frames[f];  // the pool may have moved
        again.spawning = false;
        if (again.join_left > 0) return;
        t = again.join_end;
        break;
      }
    }
  }
}

}  // namespace

void accept_event_driven(service_ptr self, const job_msg& m, nanos now) {
  auto& st = self->state;
  release_due(self, now);
  start_waiting(self, now);
  if (st.busy >= st.spec->workers && refused(self, m, st.waiting.size(), now)) return;
  const auto j =
      st.jobs.add(job{m.handler, m.caller, m.corr, m.trace, st.w->rec->measured(m.trace), false});
  if (st.busy < st.spec->workers) {
    start_job(self, j, now);
  } else {
    st.tally->advance(window_of(self), now);
    ++st.tally->queue_level;
    st.waiting.push_back(j);
    st.tally->note_queue(window_of(self), now, static_cast<std::int64_t>(st.waiting.size()));
  }
  start_waiting(self, now);
}

void on_call_reply(service_ptr self, std::uint64_t corr, bool ok, nanos now) {
  auto& st = self->state;
  release_due(self, now);
  const auto f = static_cast<std::uint32_t>(corr);
  if (!ok) {
    auto& j = st.jobs[st.frames[f].job];
    if (!j.failed && j.measured) ++st.tally->errors;
    j.failed = true;
  }
  advance(self, f, now);
  start_waiting(self, now);
}

void on_wake(service_ptr self, std::uint64_t token, nanos now) {
  release_due(self, now);
  if (token != release_token) advance(self, static_cast<std::uint32_t>(token), now);
  start_waiting(self, now);
}

}  // namespace svcsim
