// Predictable services: a FIFO station with `workers` servers whose every job's start and end
// follow, on arrival, from the Lindley recursion over the workers' free times. The reply and
// every publish are scheduled at once; the service sets no timer of its own. Failures are
// known in advance, so an outage decides a job's fate on arrival too: a job not answered
// before the outage starts fails then (crash) or at its end (hang), and frees its worker then.
#include "actors/messages.hpp"
#include "actors/service_state.hpp"

namespace svcsim {

void accept_predictable(service_ptr self, const job_msg& m, nanos now) {
  auto& st = self->state;
  while (!st.free_at.empty() && st.free_at.top() <= now) st.free_at.pop();
  while (!st.waiting_starts.empty() && st.waiting_starts.front() <= now)
    st.waiting_starts.pop_front();
  nanos start = now;
  if (st.free_at.size() >= static_cast<std::size_t>(st.spec->workers)) {
    if (refused(self, m, st.waiting_starts.size(), now)) return;
    start = st.free_at.top();
    st.free_at.pop();
    st.waiting_starts.push_back(start);
    st.tally->note_queue(window_of(self), now, static_cast<std::int64_t>(st.waiting_starts.size()));
  }
  const outage* cut = st.trouble->outage_from(now);
  const nanos cutoff = cut ? cut->begin : failure_schedule::never;
  nanos end = start >= cutoff
                  ? cutoff
                  : run_inline(self, st.plan->handlers[m.handler].ops, start, m.trace, cutoff);
  const bool measured = st.w->rec->measured(m.trace);
  bool ok = true, down = false;
  if (end >= cutoff) {  // not answered when the outage starts
    ok = false;
    down = true;
    if (measured) ++st.tally->dropped;
    end = cut->hang ? cut->end : cut->begin;
  } else {
    ok = !fails_by_chance(self, end);
  }
  st.free_at.push(end);
  st.tally->busy_until = std::max(st.tally->busy_until, end);
  const auto& win = window_of(self);
  if (!down && end <= win.stop && measured) {
    ++st.tally->served;
    if (!ok) ++st.tally->errors;
  }
  st.tally->queue_area += static_cast<double>(win.overlap(now, std::min(start, end)));
  st.tally->busy_area += static_cast<double>(win.overlap(start, std::max(start, end)));
  if (end != failure_schedule::never) answer(self, m.caller, m.corr, end, ok, down);
}

}  // namespace svcsim
