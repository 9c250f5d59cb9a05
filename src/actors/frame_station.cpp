#include "actors/frame_station.hpp"

#include <algorithm>
#include <caf/all.hpp>

namespace svcsim {

frame_station::frame_station(const run_context* ctx, int id, caf::event_based_actor* self)
    : station(ctx, id, self), last_seq_(ctx->options.first_seq & seq_mask) {
  schedule_outages(true);
}

void frame_station::take_worker(job& jb, nanos now) {
  tally_.advance(window(), now);
  ++tally_.busy_level;
  ++busy_;
  jb.holding = true;
}

void frame_station::drop_worker(job& jb, nanos at) {
  tally_.advance(window(), at);
  --tally_.busy_level;
  --busy_;
  jb.holding = false;
}

// Frees the workers due by now, in time order: of jobs that ended, and of non-blocking jobs
// that stopped working (unless they went back to work since).
void frame_station::release_due(nanos now) {
  while (!releases_.empty() && releases_.top().at <= now) {
    const release r = releases_.top();
    releases_.pop();
    auto& jb = jobs_[r.job];
    if (r.pause != 0) {
      if (jb.alive && jb.pause == r.pause && jb.running == 0 && jb.holding) drop_worker(jb, r.at);
      continue;
    }
    if (jb.holding) drop_worker(jb, r.at);
    if (jb.measured) {
      ++tally_.served;
      if (jb.failed) ++tally_.errors;
    }
    jb.alive = false;
    jobs_.remove(r.job);
    --tally_.held_jobs;
  }
}

void frame_station::free_later(release r) {
  releases_.push(r);
  if (r.at <= now()) return release_due(r.at);
  ctx_->post(self_, id_, r.at, service_wake(service_event::release));
}

// Ends job j at `end`: replies, and frees its worker then. Never starts another job itself:
// each message handler does that last (start_waiting), so jobs ending at once do not recurse.
// A job that would end at or after the next outage's start is left held: the outage fails it.
void frame_station::finish_job(std::uint32_t j, nanos end) {
  auto& jb = jobs_[j];
  jb.running = 0;
  if (end >= trouble_.next_outage_begin(now())) return;
  if (!jb.failed && fails_by_chance(end)) jb.failed = true;
  jb.ended = true;
  job_span_end(jb.trace, jb.span, jb.started, end,
               jb.failed ? span_status::failed : span_status::ok);
  send_reply(jb.caller, jb.corr, end, !jb.failed);
  free_later(release{end, j, 0});
}

// A frame of job j stops doing local work at `at` (>= now); a non-blocking job with no frame
// working frees its worker when the last one's work ends.
void frame_station::stop_running(std::uint32_t j, nanos at) {
  auto& jb = jobs_[j];
  jb.busy_until = std::max(jb.busy_until, at);
  if (--jb.running > 0 || spec_.blocking || !jb.holding || jb.ended) return;
  if (++jb.pause == 0) jb.pause = 1;
  free_later(release{jb.busy_until, j, jb.pause});
}

void frame_station::start_job(std::uint32_t j, nanos now) {
  auto& jb = jobs_[j];
  take_worker(jb, now);
  jb.running = 1;
  if (jb.started < 0) jb.started = now;
  const auto& h = plan_.handlers[jb.handler];
  if (h.predictable) {
    bool failed = false;
    const nanos end =
        run_inline(h.ops, now, jb.trace, jb.span, trouble_.next_outage_begin(now), &failed);
    if (failed) jb.failed = true;
    return finish_job(j, end);
  }
  advance(frames_.add(frame{j, &h.ops, 0, -1, 0, 0, false}), now);
}

// Runs frame f of job j, which holds a worker, from now.
void frame_station::go_on(std::uint32_t j, std::uint32_t f, nanos now) {
  ++jobs_[j].running;
  advance(f, now);
}

bool frame_station::hung(nanos now) const {
  const outage* o = trouble_.outage_from(now);
  return o && o->hang && o->begin <= now;
}

// Gives free workers to waiting jobs and frames, in arrival order.
void frame_station::start_waiting(nanos now) {
  if (!waiting_.empty() && hung(now)) return;
  while (!waiting_.empty() && busy_ < spec_.workers) {
    const auto [j, f] = waiting_.front();
    waiting_.pop_front();
    tally_.advance(window(), now);
    --tally_.queue_level;
    if (f < 0) {
      start_job(j, now);
      continue;
    }
    auto& jb = jobs_[j];
    if (!jb.holding) take_worker(jb, now);
    go_on(j, static_cast<std::uint32_t>(f), now);
  }
}

void frame_station::enqueue(std::uint32_t j, std::int32_t f, nanos now) {
  tally_.advance(window(), now);
  ++tally_.queue_level;
  waiting_.emplace_back(j, f);
  tally_.note_queue(window(), now, static_cast<std::int64_t>(waiting_.size()));
}

// A frame's ops are done at time t: hand over to its parent, or end the job. A parent that
// resumes takes over the branch's running count.
void frame_station::complete_frame(std::uint32_t f, nanos t) {
  const auto parent = frames_[f].parent;
  const auto j = frames_[f].job;
  frames_[f].seq = 0;
  frames_.remove(f);
  if (parent < 0) return finish_job(j, t);
  auto& p = frames_[parent];
  p.join_end = std::max(p.join_end, t);
  if (--p.join_left == 0 && !p.spawning) return advance(parent, p.join_end);
  stop_running(j, t);
}

// Whether frame f, reaching call `o` at t > now, may send it now for t instead of waking at t:
// nothing can change the call or the job meanwhile, and the wake would come. The service
// blocks (else its worker would need a wake at t to be freed), no outage of the service comes
// by t, the attempt depends on nothing that changes by t (no breaker, one instance of the
// callee: may_go_ahead) and t is within the run (its stop). The frame is its job's root, or a
// branch at its first op, starting with its siblings at t, none of which can fail the job then
// (sibling_safe, checked once per parallel op: branches_ahead). A traced request sends ahead too,
// so that tracing changes nothing; its CLIENT span starts at t all the same. Only the order of
// messages due at the same nanosecond changes (docs/scenario-format.md, "Simultaneous messages");
// span ids may be numbered in another order.
bool frame_station::sends_ahead(std::uint32_t f, const op& o, nanos t) const {
  if (!ctx_->options.send_ahead || !spec_.blocking || !may_go_ahead(o) ||
      t >= trouble_.next_outage_begin(now()) || t > window().stop)
    return false;
  const auto& fr = frames_[f];
  if (fr.parent < 0) return true;
  const auto& p = frames_[fr.parent];
  return fr.pc == 0 && p.spawning && p.branches_ahead;  // set only on a root frame
}

// With latency, a branch's first answer comes two hops after the branches start at the
// earliest; without, a branch may go on at that instant (a callee with no work answers at
// once), so every call of it must be one that cannot fail.
bool frame_station::branches_may_go_ahead(const op& parallel) const {
  for (const auto& branch : parallel.branches) {
    if (branch.empty()) return false;
    const std::size_t checked = hop_ > 0 ? 1 : branch.size();
    for (std::size_t i = 0; i < checked; ++i)
      if (!sibling_safe(branch[i])) return false;
  }
  return true;
}

bool frame_station::may_go_ahead(const op& o) const {
  return o.kind == op_kind::call && o.policy->breaker.failures == 0 &&
         ctx_->instances.count(o.service) == 1;
}

// Whether call `o` of a branch cannot fail its job at the instant the branches start: a call
// that may go ahead, which fails at the earliest two hops later; with no network latency, only
// to a callee whose handlers call nothing, that never fails, never turns a job away and whose
// publishes cannot fail (the broker never fails). (A publish may fail at once, while the broker
// is down; an open breaker fails a call at once.)
bool frame_station::sibling_safe(const op& o) const {
  if (!may_go_ahead(o)) return false;
  if (hop_ > 0) return true;
  const auto& failures = *ctx_->failures;
  return ctx_->plan->services[o.service].predictable &&
         failures[ctx_->instances.first(o.service)].empty() && failures.back().empty() &&
         ctx_->source->services[o.service].queue < 0;
}

// Runs frame f from its current op at time t (>= now) until it must wait or ends.
void frame_station::advance(std::uint32_t f, nanos t) {
  const nanos now = this->now();
  for (;;) {
    auto& fr = frames_[f];
    if (fr.pc == fr.ops->size() || jobs_[fr.job].failed) return complete_frame(f, t);
    const op& o = (*fr.ops)[fr.pc];
    switch (o.kind) {
      case op_kind::work:
        t += work_time(*o.work, t);
        ++fr.pc;
        break;
      case op_kind::publish:
        // Unconfirmed, or the broker is known down: done at once. Confirmed: as a call.
        if (!o.policy || broker_crashed(t)) {
          if (t < trouble_.next_outage_begin(now) &&
              !publish(t, o, jobs_[fr.job].trace, jobs_[fr.job].span))
            jobs_[fr.job].failed = true;
          ++fr.pc;
          break;
        }
        [[fallthrough]];
      case op_kind::call: {
        const auto j = fr.job;
        if (t > now) {  // the call leaves when the local work before it is done
          fr.seq = next_seq(last_seq_);
          if (!sends_ahead(f, o, t)) {
            ctx_->post(self_, id_, t, wake_msg{token(wake_kind::send, fr.seq, f)});
            return;
          }
        }
        send_attempt(f, t);
        return stop_running(j, t);
      }
      case op_kind::parallel: {
        ++fr.pc;
        if (o.branches.empty()) break;
        fr.join_left = static_cast<std::int32_t>(o.branches.size());
        fr.join_end = t;
        fr.spawning = true;
        fr.branches_ahead = t > now && fr.parent < 0 && branches_may_go_ahead(o);
        const auto j = fr.job;
        for (const auto& b : o.branches) {
          ++jobs_[j].running;
          advance(frames_.add(frame{j, &b, 0, static_cast<std::int32_t>(f), 0, 0, false}), t);
        }
        auto& again = frames_[f];  // the pool may have moved
        again.spawning = false;
        if (again.join_left > 0) return stop_running(j, t);
        t = again.join_end;
        break;
      }
    }
  }
}

void frame_station::resume(std::uint32_t f, nanos now) {
  const auto j = frames_[f].job;
  auto& jb = jobs_[j];
  if (!jb.holding) {
    if (busy_ >= spec_.workers || !waiting_.empty())
      return enqueue(j, static_cast<std::int32_t>(f), now);
    take_worker(jb, now);
  }
  go_on(j, f, now);
}

void frame_station::restart(nanos now) {
  release_due(now);
  tally_.advance(window(), now);
  for (std::uint32_t j = 0; j < jobs_.slots(); ++j) {
    const auto& jb = jobs_[j];
    if (!jb.alive) continue;
    if (jb.measured) ++tally_.dropped;
    if (!jb.ended)
      job_span_end(jb.trace, jb.span, jb.started < 0 ? now : jb.started, now, span_status::lost);
    send_reply(jb.caller, jb.corr, now, false, true);
  }
  for (std::uint32_t f = 0; f < frames_.slots(); ++f)
    if (frames_[f].call_span != 0 && jobs_[frames_[f].job].alive)
      call_span_end(f, now, span_status::lost);
  tally_.busy_level -= busy_;
  tally_.queue_level -= static_cast<std::int64_t>(waiting_.size());
  tally_.held_jobs = 0;
  busy_ = 0;
  waiting_.clear();
  releases_ = {};
  jobs_.clear();
  frames_.clear();
  breakers_.clear();
  for (auto& [callee, b] : balancers_) b.forget_calls();
}

// A hung service takes what arrives like any other, but starts nothing: a job given a worker
// then only holds it.
void frame_station::accept(const job_msg& m, nanos now) {
  release_due(now);
  start_waiting(now);
  const std::uint64_t span = job_span_start(m, now);
  if (busy_ >= spec_.workers && full(m, waiting_.size())) {
    job_span_end(m.trace, span, now, now, span_status::refused);
    return send_reply(m.caller, m.corr, now, false);
  }
  job jb{m.handler, m.caller, m.corr, m.trace, ctx_->rec->measured(m.trace)};
  jb.span = span;
  const auto j = jobs_.add(jb);
  ++tally_.held_jobs;
  if (busy_ >= spec_.workers)
    enqueue(j, -1, now);
  else if (hung(now))
    take_worker(jobs_[j], now);
  else
    start_job(j, now);
  start_waiting(now);
}

bool frame_station::expected(std::uint64_t t, nanos now) const {
  const auto f = id_of(t);
  return !hung(now) && f < frames_.slots() && frames_[f].seq == seq_of(t);
}

void frame_station::on(const job_msg& m) {
  const nanos now = this->now();
  if (crashed(m, now)) {
    job_span_end(m.trace, job_span_start(m, now), now, now, span_status::refused);
    return send_reply(m.caller, m.corr, now, false, true);
  }
  accept(m, now);
}

void frame_station::on(const reply_msg& r) {
  const nanos now = this->now();
  release_due(now);
  if (expected(r.corr, now)) {
    const auto f = id_of(r.corr);
    frames_[f].seq = 0;
    call_span_end(f, now,
                  r.ok     ? span_status::ok
                  : r.down ? span_status::refused
                           : span_status::failed);
    attempt_ended(f, r.ok, now);
  }
  start_waiting(now);
}

void frame_station::on(const wake_msg& m) {
  const nanos now = this->now();
  const std::uint64_t t = m.token;
  if (is_service_event(t, service_event::outage_end)) {
    if (trouble_.outages()[id_of(t)].hang) restart(now);
    return back_from_outage(now);
  }
  release_due(now);
  const auto kind = kind_of(t);
  if (kind == wake_kind::service) {
    if (is_service_event(t, service_event::outage_begin)) restart(now);
  } else if (expected(t, now)) {
    const auto f = id_of(t);
    auto& fr = frames_[f];
    fr.seq = 0;
    if (kind == wake_kind::timeout) {
      if (jobs_[fr.job].measured) ++tally_.timeouts;
      call_span_end(f, now, span_status::timed_out);
      attempt_ended(f, false, now);
    } else if (kind == wake_kind::fast_fail) {
      attempt_ended(f, false, now, false);
    } else if (fr.backing_off) {
      fr.backing_off = false;
      retry(f, now);
    } else {
      advance(f, now);
    }
  }
  start_waiting(now);
}

}  // namespace svcsim
