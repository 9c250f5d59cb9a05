// How a frame makes one sync call (or confirmed publish: a call to the broker) under its
// call_policy: each attempt goes out (unless the
// circuit breaker to the callee is open), ends with the reply, or with the timeout when that
// comes first; failed attempts are retried after an exponential backoff; when all failed, the
// call fails, and the job with it unless the call is optional.
#include <algorithm>
#include <caf/all.hpp>
#include <cmath>

#include "actors/frame_station.hpp"

namespace svcsim {
namespace {

enum class admission { pass, trial, refuse };

admission admit(breaker_state& b, nanos now) {
  if (b.open_until < 0) return admission::pass;
  if (now < b.open_until || b.trial) return admission::refuse;
  b.trial = true;
  return admission::trial;
}

// A closed breaker opens on its failures-th failure within the window; a trial's outcome
// closes it or opens it again. Outcomes of other attempts while it is not closed are moot.
void note(breaker_state& b, const breaker_policy& p, bool ok, bool trial, nanos now) {
  if (trial) {
    b.trial = false;
    b.open_until = ok ? -1 : now + p.open;
    b.failures.clear();
    return;
  }
  if (ok || b.open_until >= 0) return;
  b.failures.push_back(now);
  while (b.failures.front() <= now - p.window) b.failures.pop_front();
  if (b.failures.size() >= static_cast<std::size_t>(p.failures)) {
    b.open_until = now + p.open;
    b.failures.clear();
  }
}

}  // namespace

breaker_state* frame_station::breaker_for(const op& o) {
  if (o.policy->breaker.failures == 0) return nullptr;
  return &breakers_[o.service];
}

// The wait before retry k (1-based): backoff * 2^(k-1), or a uniform draw below it (jitter).
nanos frame_station::backoff_before(const call_policy& p, int k) {
  if (p.backoff == 0) return 0;
  const double base = static_cast<double>(p.backoff) * std::ldexp(1.0, std::min(k - 1, 40));
  const double wait = p.jitter ? base * random_.uniform01() : base;
  return static_cast<nanos>(std::min(wait, 1e18));
}

void frame_station::send_attempt(std::uint32_t f, nanos now) {
  auto& fr = frames_[f];
  const op& o = (*fr.ops)[fr.pc];
  const auto& jb = jobs_[fr.job];
  fr.seq = next_seq(last_seq_);
  fr.trial = false;
  if (breaker_state* b = breaker_for(o)) {
    const auto a = admit(*b, now);
    if (a == admission::refuse) {
      if (jb.measured) ++tally_.short_circuited;
      if (ctx_->rec->traced(jb.trace)) {
        call_span_start(f, o, -1, 0, now);
        call_span_end(f, now, span_status::short_circuited);
      }
      self_->send(self_, wake_msg{token(wake_kind::fast_fail, fr.seq, f)});
      return;
    }
    fr.trial = a == admission::trial;
  }
  // A confirmed publish is a call to the broker, its handler the topic; the broker resolves
  // its piece of the trace on arrival.
  const bool publish = o.kind == op_kind::publish;
  if (publish) {
    ctx_->rec->add_pending(jb.trace, 1);
    if (fr.attempt == 0) fr.partition = partition_for(o, jb.trace);
  }
  const int to = publish ? ctx_->broker : instance_for(f, o);
  const std::uint64_t corr = token(wake_kind::send, fr.seq, f);
  if (ctx_->rec->traced(jb.trace)) call_span_start(f, o, to, corr, now);
  ctx_->post(self_, to, now + hop_,
             job_msg{publish ? o.topic : o.handler, static_cast<std::int32_t>(id_), corr, jb.trace,
                     fr.partition});
  if (o.policy->timeout)
    ctx_->post(self_, id_, now + *o.policy->timeout,
               wake_msg{token(wake_kind::timeout, fr.seq, f)});
}

void frame_station::call_span_start(std::uint32_t f, const op& o, int to, std::uint64_t corr,
                                    nanos now) {
  auto& fr = frames_[f];
  const auto& jb = jobs_[fr.job];
  auto& spans = *ctx_->rec->spans();
  span s;
  s.kind = o.kind == op_kind::publish ? span_kind::producer : span_kind::client;
  s.party = id_;
  s.parent = jb.span;
  s.attempt = fr.attempt;
  s.callee_party = to;
  if (o.kind == op_kind::publish)
    s.topic = o.topic;
  else
    s.handler = o.handler;
  s.start = now;
  fr.call_span = spans.start(jb.trace, s);
  if (to >= 0) spans.send({jb.trace, id_, corr}, fr.call_span);
}

void frame_station::call_span_end(std::uint32_t f, nanos now, span_status status) {
  auto& fr = frames_[f];
  if (fr.call_span == 0) return;
  ctx_->rec->spans()->end(jobs_[fr.job].trace, fr.call_span, now, status);
  fr.call_span = 0;
}

int frame_station::instance_for(std::uint32_t f, const op& o) {
  const int first = ctx_->instances.first(o.service);
  if (ctx_->instances.count(o.service) == 1) return first;
  auto it = balancers_.find(o.service);
  if (it == balancers_.end())
    it = balancers_
             .emplace(o.service, balancer_to(*ctx_->source, o.service,
                                             ctx_->instances.name(*ctx_->source, id_)))
             .first;
  const int k = it->second.pick();
  if (it->second.counts()) {
    it->second.sent(k);
    frames_[f].sent_to = k;
  }
  return first + k;
}

void frame_station::attempt_over(std::uint32_t f) {
  auto& fr = frames_[f];
  if (fr.sent_to < 0) return;
  const op& o = (*fr.ops)[fr.pc];
  balancers_.at(o.service).done(fr.sent_to);
  fr.sent_to = -1;
}

void frame_station::attempt_ended(std::uint32_t f, bool ok, nanos now, bool seen) {
  attempt_over(f);
  auto& fr = frames_[f];
  const op& o = (*fr.ops)[fr.pc];
  const call_policy& p = *o.policy;
  auto& jb = jobs_[fr.job];
  if (breaker_state* b = breaker_for(o); b && seen) note(*b, p.breaker, ok, fr.trial, now);
  fr.trial = false;
  if (!ok && fr.attempt < p.retries && !jb.failed) {
    ++fr.attempt;
    const nanos wait = backoff_before(p, fr.attempt);
    if (wait == 0) return retry(f, now);
    fr.backing_off = true;
    fr.seq = next_seq(last_seq_);
    ctx_->post(self_, id_, now + wait, wake_msg{token(wake_kind::send, fr.seq, f)});
    return;
  }
  fr.attempt = 0;
  ++fr.pc;
  if (!ok && !p.optional) jb.failed = true;  // counted in errors when the job ends
  resume(f, now);
}

void frame_station::retry(std::uint32_t f, nanos now) {
  auto& fr = frames_[f];
  auto& jb = jobs_[fr.job];
  if (jb.failed) {  // a sibling branch failed the job: no point in trying again
    fr.attempt = 0;
    ++fr.pc;
    return resume(f, now);
  }
  if (jb.measured) ++tally_.retries;
  const op& o = (*fr.ops)[fr.pc];
  if (o.kind == op_kind::publish && broker_crashed(now)) {  // as the first attempt would
    fr.attempt = 0;
    ++fr.pc;
    if (!publish(now, o, jb.trace, jb.span, fr.partition)) jb.failed = true;
    return resume(f, now);
  }
  send_attempt(f, now);
}

}  // namespace svcsim
