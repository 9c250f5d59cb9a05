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

bucket_fit fit_bucket(nanos requested, nanos limit) {
  requested = std::max<nanos>(requested, 1);
  const auto max = static_cast<nanos>(timeline_recorder::max_buckets);
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

timeline_recorder::timeline_recorder(std::size_t workloads, std::size_t topics, nanos bucket)
    : bucket_(bucket),
      live_(workloads),
      live_bucket_(workloads, 0),
      level_(topics, 0),
      carried_(topics, 0) {
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
    t.backlog_max.resize(size_, 0);
    t.delivered.resize(size_, 0);
    t.lost.resize(size_, 0);
  }
  return k;
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

void timeline_recorder::carry(int topic, std::size_t to) {
  auto& m = data_.topics[topic].backlog_max;
  for (auto& k = carried_[topic]; k <= to; ++k) m[k] = level_[topic];
}

void timeline_recorder::held(int topic, nanos t, std::int64_t level) {
  const auto k = index(t);
  carry(topic, k);  // the level at the start of each bucket up to k
  level_[topic] = level;
  auto& m = data_.topics[topic].backlog_max[k];
  m = std::max(m, level);
}

void timeline_recorder::ended(int topic, nanos t, bool delivered) {
  const auto k = index(t);
  auto& tt = data_.topics[topic];
  ++(delivered ? tt.delivered : tt.lost)[k];
}

timeline timeline_recorder::finish(nanos end) {
  for (std::size_t i = 0; i < live_.size(); ++i) flush(i);
  // A backlog still held at the end shows until then.
  if (std::any_of(level_.begin(), level_.end(), [](std::int64_t l) { return l > 0; })) index(end);
  for (std::size_t i = 0; i < level_.size() && size_ > 0; ++i)
    carry(static_cast<int>(i), size_ - 1);
  timeline out = std::move(data_);
  out.bucket_s = static_cast<double>(bucket_) / 1e9;
  out.t_s.resize(size_);
  for (std::size_t k = 0; k < size_; ++k)
    out.t_s[k] = static_cast<double>(static_cast<nanos>(k) * bucket_) / 1e9;
  return out;
}

}  // namespace svcsim
