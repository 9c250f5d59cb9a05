#include "actors/lindley_station.hpp"

#include <algorithm>
#include <caf/all.hpp>

namespace svcsim {

lindley_station::lindley_station(const run_context* ctx, int id, caf::event_based_actor* self)
    : station(ctx, id, self),
      direct_client_(ctx->fed_by(service_) >= 0 ? ctx->client(ctx->fed_by(service_)) : -1) {
  schedule_outages(false);
}

void lindley_station::on(const arrivals_msg& m) {
  for (const auto& a : m.jobs) take(a.job, a.at);
  auto& last = ctx_->status->last_direct_event;
  if (!m.jobs.empty()) last = std::max(last, m.jobs.back().at);
  // Later arrivals come no sooner than this batch's last, nor do their replies.
  record_direct_replies(m.last ? failure_schedule::never : m.jobs.empty() ? 0 : m.jobs.back().at);
}

void lindley_station::on(const wake_msg& m) {
  if (is_service_event(m.token, service_event::outage_end)) return back_from_outage(now());
  if (is_service_event(m.token, service_event::held_replies)) release_held_replies(now());
}

void lindley_station::reply_to(std::int32_t caller, std::uint64_t corr, nanos end, bool ok,
                               bool down) {
  if (caller == direct_client_)
    return direct_replies_.push(direct_reply{end + hop_, direct_count_++, corr, ok});
  send_reply(caller, corr, end, ok, down);
}

void lindley_station::take(const job_msg& m, nanos now) {
  const std::uint64_t span = job_span_start(m, now);
  if (crashed(m, now)) {
    job_span_end(m.trace, span, now, now, span_status::refused);
    return reply_to(m.caller, m.corr, now, false, true);
  }
  while (!free_at_.empty() && free_at_.top() <= now) free_at_.pop();
  while (!waiting_starts_.empty() && waiting_starts_.front() <= now) waiting_starts_.pop_front();
  nanos start = now;
  if (free_at_.size() >= static_cast<std::size_t>(spec_.workers)) {
    if (full(m, waiting_starts_.size())) {
      job_span_end(m.trace, span, now, now, span_status::refused);
      return reply_to(m.caller, m.corr, now, false);
    }
    start = free_at_.top();
    free_at_.pop();
    waiting_starts_.push_back(start);
    tally_.note_queue(window(), now, static_cast<std::int64_t>(waiting_starts_.size()));
  }
  const outage* cut = trouble_.outage_from(now);
  const nanos cutoff = cut ? cut->begin : failure_schedule::never;
  bool failed = false;  // by a publish while the broker is down
  nanos end = start >= cutoff ? cutoff
                              : run_inline(plan_.handlers[m.handler].ops, start, m.trace, span,
                                           cutoff, &failed);
  const bool measured = ctx_->rec->measured(m.trace);
  bool ok = true, down = false;
  if (end >= cutoff) {  // not answered when the outage starts
    ok = false;
    down = true;
    end = cut->hang ? cut->end : cut->begin;
    // As the frame station: counted when the outage fails it, if the run gets that far.
    if (measured && end <= window().stop) ++tally_.dropped;
  } else {
    ok = !failed && !fails_by_chance(end);
  }
  free_at_.push(end);
  tally_.busy_until = std::max(tally_.busy_until, end);
  const auto& win = window();
  if (!down && end <= win.stop && measured) {
    ++tally_.served;
    if (!ok) ++tally_.errors;
  }
  tally_.queue_area += static_cast<double>(win.overlap(now, std::min(start, end)));
  tally_.busy_area += static_cast<double>(win.overlap(start, std::max(start, end)));
  if (end != failure_schedule::never)  // else it stays open: finish() ends it at the stop
    job_span_end(m.trace, span, start, end,
                 down ? span_status::lost
                 : ok ? span_status::ok
                      : span_status::failed);
  if (end != failure_schedule::never) answer(m.caller, m.corr, end, ok, down);
}

}  // namespace svcsim
