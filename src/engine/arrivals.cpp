#include "engine/arrivals.hpp"

#include <cmath>
#include <queue>
#include <utility>

namespace svcsim {

arrival_stream::arrival_stream(const workload& w, std::uint64_t seed)
    : random_(rng::for_party(seed, "workload:" + w.name)),
      kind_(w.arrivals),
      gap_ns_(1e9 / w.rate_per_s),
      profile_(w.profile ? &*w.profile : nullptr) {}

nanos arrival_stream::next() {
  if (profile_) {
    if (kind_ == arrival_kind::constant)
      mass_ = static_cast<double>(n_++);
    else
      mass_ += random_.exponential(1.0);
    return std::llround(profile_->time_of(mass_));
  }
  if (kind_ == arrival_kind::constant) return std::llround(gap_ns_ * static_cast<double>(n_++));
  t_ += random_.exponential(gap_ns_);
  return std::llround(t_);
}

arrival_plan plan_arrivals(const scenario& s) {
  arrival_plan a;
  const nanos stop = a.stop = s.duration ? *s.duration : arrival_plan::never;
  a.quota.assign(s.workloads.size(), -1);
  if (!s.requests) {
    a.end = stop;
    return a;
  }
  std::vector<arrival_stream> streams;
  using entry = std::pair<nanos, std::size_t>;
  std::priority_queue<entry, std::vector<entry>, std::greater<>> next;
  for (std::size_t i = 0; i < s.workloads.size(); ++i) {
    streams.emplace_back(s.workloads[i], s.seed);
    next.emplace(streams[i].next(), i);
    a.quota[i] = 0;
  }
  std::int64_t taken = 0;
  a.end = stop;
  while (taken < *s.requests && !next.empty()) {
    auto [t, i] = next.top();
    next.pop();
    if (t >= stop) break;
    ++a.quota[i];
    ++taken;
    if (taken == *s.requests) a.end = t;
    next.emplace(streams[i].next(), i);
  }
  return a;
}

}  // namespace svcsim
