// How a frame makes one sync call under its call_policy: each attempt goes out (unless the
// circuit breaker to the callee is open), ends with the reply, or with the timeout when that
// comes first; failed attempts are retried after an exponential backoff; when all failed, the
// call fails, and the job with it unless the call is optional.
#include "actors/messages.hpp"
#include "actors/service_state.hpp"

#include <algorithm>
#include <cmath>

namespace svcsim {
namespace {

const op& call_of(service_ptr self, std::uint32_t f) {
  const auto& fr = self->state.frames[f];
  return (*fr.ops)[fr.pc];
}

breaker_state* breaker_for(service_ptr self, const op& o) {
  if (o.policy->breaker.failures == 0) return nullptr;
  return &self->state.breakers[o.service];
}

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

// The wait before retry k (1-based): backoff * 2^(k-1), or a uniform draw below it (jitter).
nanos backoff_before(service_ptr self, const call_policy& p, int k) {
  if (p.backoff == 0) return 0;
  const double base = static_cast<double>(p.backoff) * std::ldexp(1.0, std::min(k - 1, 40));
  const double wait = p.jitter ? base * self->state.random.uniform01() : base;
  return static_cast<nanos>(std::min(wait, 1e18));
}

}  // namespace

void send_attempt(service_ptr self, std::uint32_t f, nanos now) {
  auto& st = self->state;
  const op& o = call_of(self, f);
  auto& fr = st.frames[f];
  const auto& jb = st.jobs[fr.job];
  fr.seq = next_seq(st.last_seq);
  fr.trial = false;
  if (breaker_state* b = breaker_for(self, o)) {
    const auto a = admit(*b, now);
    if (a == admission::refuse) {
      if (jb.measured) ++st.tally->short_circuited;
      self->send(self, wake_msg{token(wake_kind::fast_fail, fr.seq, f)});
      return;
    }
    fr.trial = a == admission::trial;
  }
  st.w->post(self, o.service, now + st.hop,
             job_msg{o.handler, static_cast<std::int32_t>(st.id), token(wake_kind::send, fr.seq, f),
                     jb.trace});
  if (o.policy->timeout)
    self->scheduled_send(self, st.w->at(now + *o.policy->timeout),
                         wake_msg{token(wake_kind::timeout, fr.seq, f)});
}

void attempt_ended(service_ptr self, std::uint32_t f, bool ok, nanos now, bool seen) {
  auto& st = self->state;
  const op& o = call_of(self, f);
  const call_policy& p = *o.policy;
  auto& fr = st.frames[f];
  auto& jb = st.jobs[fr.job];
  if (breaker_state* b = breaker_for(self, o); b && seen) note(*b, p.breaker, ok, fr.trial, now);
  fr.trial = false;
  if (!ok && fr.attempt < p.retries && !jb.failed) {
    ++fr.attempt;
    const nanos wait = backoff_before(self, p, fr.attempt);
    if (wait == 0) return retry(self, f, now);
    fr.backing_off = true;
    fr.seq = next_seq(st.last_seq);
    self->scheduled_send(self, st.w->at(now + wait), wake_msg{token(wake_kind::send, fr.seq, f)});
    return;
  }
  fr.attempt = 0;
  ++fr.pc;
  if (!ok && !p.optional) jb.failed = true;  // counted in errors when the job ends
  resume(self, f, now);
}

void retry(service_ptr self, std::uint32_t f, nanos now) {
  auto& st = self->state;
  auto& fr = st.frames[f];
  const auto& jb = st.jobs[fr.job];
  if (jb.failed) {  // a sibling branch failed the job: no point in trying again
    fr.attempt = 0;
    ++fr.pc;
    return resume(self, f, now);
  }
  if (jb.measured) ++st.tally->retries;
  send_attempt(self, f, now);
}

}  // namespace svcsim
