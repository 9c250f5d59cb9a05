#include "engine/failure_windows.hpp"

#include <algorithm>
#include <limits>

namespace svcsim {

window_recorder::window_recorder(const std::vector<failure>& failures, std::size_t workloads)
    : failures_(failures), workloads_(workloads) {
  constexpr nanos never = std::numeric_limits<nanos>::max();
  for (const auto& f : failures) {
    if (f.length) {
      const nanos length = *f.length;
      spans_.push_back({std::max<nanos>(0, f.at - length), f.at});
      spans_.push_back({f.at, f.at + length});
      spans_.push_back({f.at + length, f.at + 2 * length});
    } else {
      spans_.push_back({0, f.at});
      spans_.push_back({f.at, never});
      spans_.push_back({never, never});
    }
  }
  tallies_.resize(spans_.size() * workloads);
}

void window_recorder::tally(int workload, nanos t, bool ok, nanos latency) {
  for (std::size_t s = 0; s < spans_.size(); ++s) {
    if (t < spans_[s].from || t >= spans_[s].to) continue;
    auto& x = tallies_[s * workloads_ + static_cast<std::size_t>(workload)];
    if (ok) {
      ++x.ok;
      x.latency.add(latency);
    } else {
      ++x.failed;
    }
  }
}

span_summary window_recorder::summary(std::size_t span, std::size_t workload) const {
  const auto& x = tallies_[span * workloads_ + workload];
  span_summary out;
  out.ok = x.ok;
  out.failed = x.failed;
  if (x.ok) out.p99_ms = x.latency.quantile(0.99) / 1e6;
  return out;
}

namespace {

// The spans of one backlog series around `fl`, whose window ends at `during_to`; the timeline
// has `n` buckets of `bucket`, and the run stopped at `end`.
failure_window::backlog_spans backlog_around(const delivery_timeline& series, const failure& fl,
                                             nanos during_to, nanos bucket, nanos n, nanos end,
                                             bool relays_after) {
  const auto& backlog = series.backlog_max;  // buckets past the timeline hold nothing
  failure_window::backlog_spans out;
  const nanos stop = std::min(during_to, end);  // the window's end inside the run
  const nanos first = fl.at / bucket;
  if (first > 0 && first - 1 < n) out.before_max = backlog[first - 1];
  for (nanos k = first; fl.at < stop && k < n && k * bucket < stop; ++k)
    out.backlog_max = std::max(out.backlog_max, backlog[k]);
  // Only a backlog that grew during the window has anything to catch up; after a broker's
  // outage (`relays_after`), also one that grew right after it, as outboxes relay then.
  const bool ends = fl.length && during_to < end;
  const nanos after = ends ? (during_to + bucket - 1) / bucket : n;  // the first bucket after
  if (ends && (out.backlog_max > out.before_max ||
               (relays_after && after < n && backlog[after] > out.before_max))) {
    nanos k = after;
    while (k < n && backlog[k] > out.before_max) ++k;
    if (k < n)
      out.caught_up_s = static_cast<double>(k * bucket) / 1e9;
    else if (series.held_at_end <= out.before_max)  // in the last bucket, or after the last event
      out.caught_up_s = static_cast<double>(std::min(k * bucket, end)) / 1e9;
    else
      out.caught_up_s = std::numeric_limits<double>::infinity();
  }
  return out;
}

}  // namespace

std::vector<failure_window> window_recorder::finish(const timeline& tl, nanos bucket, nanos end,
                                                    int broker) const {
  std::vector<failure_window> out;
  const auto n = static_cast<nanos>(tl.t_s.size());
  for (std::size_t f = 0; f < failures_.size(); ++f) {
    const auto& fl = failures_[f];
    const span& before = spans_[3 * f];
    const span& during = spans_[3 * f + 1];
    failure_window w;
    w.failure = fl;
    w.before_s = static_cast<double>(before.from) / 1e9;
    w.at_s = static_cast<double>(fl.at) / 1e9;
    w.end_s = static_cast<double>(fl.length ? during.to : end) / 1e9;
    w.after_s = fl.length ? static_cast<double>(spans_[3 * f + 2].to) / 1e9 : w.end_s;
    for (std::size_t i = 0; i < workloads_; ++i)
      w.workloads.push_back({summary(3 * f, i), summary(3 * f + 1, i), summary(3 * f + 2, i)});
    for (const auto& topic : tl.topics) {
      failure_window::topic_spans ts;
      static_cast<failure_window::backlog_spans&>(ts) =
          backlog_around(topic, fl, during.to, bucket, n, end, fl.service == broker);
      for (const auto& sub : topic.subscriptions)
        ts.subscriptions.push_back(
            backlog_around(sub, fl, during.to, bucket, n, end, fl.service == broker));
      w.topics.push_back(std::move(ts));
    }
    out.push_back(std::move(w));
  }
  return out;
}

}  // namespace svcsim
