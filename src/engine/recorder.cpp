#include "engine/recorder.hpp"

#include <algorithm>

namespace svcsim {

recorder::recorder(std::size_t workloads, std::size_t topics, measure_window window, nanos bucket,
                   const std::vector<failure>& failures)
    : workloads_(workloads),
      topics_(topics),
      window_(window),
      timeline_(workloads, topics, bucket),
      windows_(failures, workloads),
      watched_(workloads) {}

void recorder::watch(nanos from, nanos to) {
  watching_ = true;
  watch_from_ = from;
  watch_to_ = to;
}

std::uint64_t recorder::open(int workload, nanos sent) {
  std::uint32_t slot;
  if (free_.empty()) {
    slot = static_cast<std::uint32_t>(traces_.size());
    traces_.emplace_back();
  } else {
    slot = free_.back();
    free_.pop_back();
  }
  auto& t = traces_[slot];
  const std::uint32_t generation = (t.generation + 1) & generation_mask;
  t = trace_state{sent, sent, workload, 1, false, false, true, generation};
  const bool measured = window_.covers(sent);
  ++sent_;
  if (measured) ++workloads_[workload].requests;
  if (watched_send(sent)) ++watched_[workload].requests;
  timeline_.sent(workload, sent);
  std::uint64_t trace = slot | static_cast<std::uint64_t>(generation) << 32 |
                        static_cast<std::uint64_t>(measured) << 63;
  if (spans_ && spans_->sampled(sent_, measured)) {
    trace |= traced_bit;
    spans_->open(trace, sent_, workload, sent);
  }
  return trace;
}

recorder::trace_state* recorder::live(std::uint64_t trace) {
  auto& t = traces_[static_cast<std::uint32_t>(trace)];
  return t.pending > 0 && t.generation == ((trace >> 32) & generation_mask) ? &t : nullptr;
}

void recorder::reply(std::uint64_t trace, nanos at, bool ok) {
  trace_state* live_trace = live(trace);
  if (!live_trace) return;
  auto& t = *live_trace;
  t.ok = ok;
  t.replied = true;
  if (traced(trace)) spans_->reply(trace, at, ok);
  if (ok && window_.inside(at)) ++workloads_[t.workload].ok_in_window;
  timeline_.replied(t.workload, at, ok, at - t.sent);
  windows_.replied(t.workload, at, ok, at - t.sent);
  if (watched_send(t.sent)) {
    auto& w = watched_[t.workload];
    ++(ok ? w.ok : w.failed);
    if (ok) w.latency.add(at - t.sent);
  }
  if (window_.covers(t.sent)) {
    auto& w = workloads_[t.workload];
    if (ok) {
      ++w.ok;
      w.latency.add(at - t.sent);
      if (window_.length() > 0) {
        const auto b = std::min<std::int64_t>(
            workload_tally::batches - 1,
            (t.sent - window_.from) * workload_tally::batches / window_.length());
        w.batch_sum[b] += static_cast<double>(at - t.sent);
        ++w.batch_count[b];
      }
    } else {
      ++w.failed;
    }
  }
  resolve(trace, at);
}

void recorder::add_pending(std::uint64_t trace, int pieces) {
  if (trace_state* t = live(trace)) t->pending += pieces;
}

void recorder::resolve(std::uint64_t trace, nanos end, bool ok) {
  trace_state* live_trace = live(trace);
  if (!live_trace) return;
  auto& t = *live_trace;
  t.last_end = std::max(t.last_end, end);
  t.effects_ok = t.effects_ok && ok;
  if (--t.pending > 0) return;
  if (t.ok && window_.covers(t.sent)) {
    auto& w = workloads_[t.workload];
    if (t.effects_ok)
      w.completion.add(t.last_end - t.sent);
    else
      ++w.incomplete;
  }
  if (t.effects_ok && watched_send(t.sent)) {
    auto& w = watched_[t.workload];
    ++w.done;
    w.last_done = std::max(w.last_done, t.last_end);
  }
  if (traced(trace)) spans_->close(trace);
  free_.push_back(static_cast<std::uint32_t>(trace));
}

void recorder::hold(int topic, std::size_t member, nanos now, std::int64_t change) {
  auto& tally = topics_[topic];
  auto& sub = tally.subscription(member);
  tally.held += change;
  sub.held += change;
  sub.trend.changed(window_.from, window_.to, now, sub.held, change);
  // The report's backlog_max is sampled as messages arrive, from warm-up on.
  if (change > 0 && window_.covers(now)) {
    tally.held_max = std::max(tally.held_max, tally.held);
    sub.held_max = std::max(sub.held_max, sub.held);
  }
  timeline_.held(topic, member, now, tally.held, sub.held);
}

void recorder::census() {
  for (const auto& t : traces_) {
    if (t.pending == 0 || !window_.covers(t.sent)) continue;
    auto& w = workloads_[t.workload];
    ++w.open_at_end;
    if (!t.replied)
      ++w.stuck;
    else if (t.ok)
      ++w.incomplete;
  }
}

}  // namespace svcsim
