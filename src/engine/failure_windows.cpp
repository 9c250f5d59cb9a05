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

std::vector<failure_window> window_recorder::finish(const timeline& tl, nanos bucket, nanos end,
                                                    const std::vector<std::int64_t>& held) const {
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
    const nanos stop = std::min(during.to, end);  // the window's end inside the run
    for (std::size_t i = 0; i < tl.topics.size(); ++i) {
      const auto& backlog = tl.topics[i].backlog_max;  // buckets past the timeline hold nothing
      failure_window::topic_spans ts;
      const nanos first = fl.at / bucket;
      if (first > 0 && first - 1 < n) ts.before_max = backlog[first - 1];
      for (nanos k = first; fl.at < stop && k < n && k * bucket < stop; ++k)
        ts.backlog_max = std::max(ts.backlog_max, backlog[k]);
      // Only a backlog that grew during the window, or right after it (a broker's outbox
      // relays at its recovery), has anything to catch up.
      const bool ends = fl.length && during.to < end;
      const nanos after = ends ? (during.to + bucket - 1) / bucket : n;  // first bucket after
      if (ends &&
          (ts.backlog_max > ts.before_max || (after < n && backlog[after] > ts.before_max))) {
        nanos k = after;
        while (k < n && backlog[k] > ts.before_max) ++k;
        if (k < n)
          ts.caught_up_s = static_cast<double>(k * bucket) / 1e9;
        else if (held[i] <= ts.before_max)  // in the last bucket, or after the last event
          ts.caught_up_s = static_cast<double>(std::min(k * bucket, end)) / 1e9;
        else
          ts.caught_up_s = std::numeric_limits<double>::infinity();
      }
      w.topics.push_back(ts);
    }
    out.push_back(std::move(w));
  }
  return out;
}

}  // namespace svcsim
