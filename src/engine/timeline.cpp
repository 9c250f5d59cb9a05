#include "engine/timeline.hpp"

#include <algorithm>
#include <cmath>
#include <cstdio>

namespace svcsim {
namespace {

// A duration as the scenario file writes it: "1s", "500ms", "11us", "7ns".
std::string duration_text(nanos d) {
  for (const auto& [unit, ns] :
       {std::pair<const char*, nanos>{"s", 1000000000}, {"ms", 1000000}, {"us", 1000}})
    if (d % ns == 0) return std::to_string(d / ns) + unit;
  return std::to_string(d) + "ns";
}

}  // namespace

bucket_fit fit_bucket(nanos requested, nanos limit, nanos arrivals_end) {
  const auto max = static_cast<nanos>(timeline_recorder::max_buckets);
  constexpr nanos second = 1000000000;
  if (requested == 0) {
    if (limit / second < max) return {second, ""};
    // The smallest round width of at least 1 s that gives the arrivals at most 1,000 buckets and
    // the whole run at most max_buckets.
    const nanos need = std::max(arrivals_end / 1000, limit / (max - 1)) + 1;
    for (nanos decade = second;; decade *= 10)
      for (nanos step : {1, 2, 5})
        if (step * decade >= need) return {step * decade, ""};
  }
  requested = std::max<nanos>(requested, 1);
  const nanos last = limit / requested;  // bucket [0, limit] ends in: 0 .. last
  if (last < max) return {requested, ""};
  bucket_fit fit;
  fit.width = requested * (last / max + 1);
  char text[320];
  std::snprintf(text, sizeof text,
                "timeline: a run that may last %g s (end of arrivals + drain) needs more than "
                "%lld buckets of %s, so its buckets are %s wide; pass a wider --bucket, or "
                "shorten drain",
                static_cast<double>(limit) / 1e9, static_cast<long long>(max),
                duration_text(requested).c_str(), duration_text(fit.width).c_str());
  fit.warning = text;
  return fit;
}

namespace {

void resize(delivery_timeline& s, std::size_t size) {
  s.backlog_max.resize(size, 0);
  s.delivered.resize(size, 0);
  s.lost.resize(size, 0);
}

}  // namespace

timeline_recorder::timeline_recorder(std::size_t workloads, std::size_t topics, nanos bucket)
    : bucket_(bucket),
      live_(workloads),
      live_bucket_(workloads, 0),
      levels_(topics),
      sub_levels_(topics) {
  data_.workloads.resize(workloads);
  data_.topics.resize(topics);
}

std::size_t timeline_recorder::grow(std::size_t k) {
  k = std::min(k, max_buckets - 1);  // later than the run's limit: only without one
  if (k < size_) return k;
  size_ = k + 1;
  const double none = std::nan("");
  for (auto& w : data_.workloads) {
    w.sent.resize(size_, 0);
    w.ok.resize(size_, 0);
    w.failed.resize(size_, 0);
    w.p50_ms.resize(size_, none);
    w.p99_ms.resize(size_, none);
  }
  for (auto& t : data_.topics) {
    resize(t, size_);
    for (auto& sub : t.subscriptions) resize(sub, size_);
  }
  return k;
}

delivery_timeline& timeline_recorder::add_subscription(int topic, std::size_t member) {
  auto& subs = data_.topics[topic].subscriptions;
  subs.resize(member + 1);
  for (auto& sub : subs) resize(sub, size_);
  sub_levels_[topic].resize(member + 1);
  return subs[member];
}

void timeline_recorder::flush(std::size_t i) {
  auto& h = live_[i];
  if (h.count() == 0) return;
  data_.workloads[i].p50_ms[live_bucket_[i]] = h.quantile(0.50) / 1e6;
  data_.workloads[i].p99_ms[live_bucket_[i]] = h.quantile(0.99) / 1e6;
  h.clear();
}

void timeline_recorder::replied(int workload, nanos t, bool ok, nanos latency) {
  const auto k = index(t);
  auto& w = data_.workloads[workload];
  if (!ok) {
    ++w.failed[k];
    return;
  }
  ++w.ok[k];
  const auto i = static_cast<std::size_t>(workload);
  if (k != live_bucket_[i]) {
    flush(i);
    live_bucket_[i] = k;
  }
  live_[i].add(latency);
}

void timeline_recorder::carry(delivery_timeline& s, live_level& l, std::size_t to) {
  for (auto& k = l.carried; k <= to; ++k) s.backlog_max[k] = l.now;
}

void timeline_recorder::hold(delivery_timeline& s, live_level& l, std::size_t k, std::int64_t to) {
  carry(s, l, k);  // the level at the start of each bucket up to k
  l.now = to;
  s.backlog_max[k] = std::max(s.backlog_max[k], to);
}

void timeline_recorder::held(int topic, std::size_t member, nanos t, std::int64_t level,
                             std::int64_t member_level) {
  const auto k = index(t);
  hold(data_.topics[topic], levels_[topic], k, level);
  auto& sub = subscription(topic, member);
  hold(sub, sub_levels_[topic][member], k, member_level);
}

void timeline_recorder::ended(int topic, std::size_t member, nanos t, bool delivered) {
  const auto k = index(t);
  auto& tt = data_.topics[topic];
  ++(delivered ? tt.delivered : tt.lost)[k];
  auto& sub = subscription(topic, member);
  ++(delivered ? sub.delivered : sub.lost)[k];
}

timeline timeline_recorder::finish(nanos end, const std::vector<std::size_t>& subscribers) {
  for (std::size_t i = 0; i < live_.size(); ++i) flush(i);
  for (std::size_t i = 0; i < subscribers.size() && i < data_.topics.size(); ++i)
    if (subscribers[i] > 0) subscription(static_cast<int>(i), subscribers[i] - 1);
  // A backlog still held at the end shows until then.
  if (std::any_of(levels_.begin(), levels_.end(), [](const live_level& l) { return l.now > 0; }))
    index(end);
  for (std::size_t i = 0; i < levels_.size(); ++i) {
    auto& t = data_.topics[i];
    const auto close = [&](delivery_timeline& s, live_level& l) {
      if (size_ > 0) carry(s, l, size_ - 1);
      s.held_at_end = l.now;
    };
    close(t, levels_[i]);
    for (std::size_t m = 0; m < t.subscriptions.size(); ++m)
      close(t.subscriptions[m], sub_levels_[i][m]);
  }
  timeline out = std::move(data_);
  out.bucket_s = static_cast<double>(bucket_) / 1e9;
  out.t_s.resize(size_);
  for (std::size_t k = 0; k < size_; ++k)
    out.t_s[k] = static_cast<double>(static_cast<nanos>(k) * bucket_) / 1e9;
  return out;
}

}  // namespace svcsim
