#include "engine/failure_schedule.hpp"

#include <algorithm>

#include "engine/instances.hpp"

namespace svcsim {

failure_schedule::failure_schedule(std::vector<failure> windows) : windows_(std::move(windows)) {
  std::sort(windows_.begin(), windows_.end(),
            [](const failure& a, const failure& b) { return a.at < b.at; });
  for (const auto& f : windows_)
    if (f.kind == failure_kind::crash || f.kind == failure_kind::hang)
      outages_.push_back(outage{f.at, f.end(), f.kind == failure_kind::hang});
}

const outage* failure_schedule::search_outages(nanos t) const {
  auto it = std::upper_bound(outages_.begin(), outages_.end(), t,
                             [](nanos x, const outage& o) { return x < o.end; });
  return it == outages_.end() ? nullptr : &*it;
}

const failure* failure_schedule::degradation_at(nanos t, failure_kind kind) const {
  for (const auto& f : windows_) {
    if (f.at > t) break;
    if (f.kind == kind && t < f.end()) return &f;
  }
  return nullptr;
}

double failure_schedule::slow_factor(nanos t) const {
  const failure* f = degradation_at(t, failure_kind::slow);
  return f ? f->factor : 1.0;
}

double failure_schedule::error_probability(nanos t) const {
  const failure* f = degradation_at(t, failure_kind::errors);
  return f ? f->probability : 0.0;
}

std::vector<failure_schedule> failure_schedules(const scenario& s) {
  const instance_layout layout(s);
  std::vector<std::vector<failure>> per(static_cast<std::size_t>(layout.total()) + 1);
  for (const auto& f : s.failures) {
    if (f.service == s.broker_party()) {
      per.back().push_back(f);
      continue;
    }
    for (int k = 0; k < layout.count(f.service); ++k)
      if (f.instance < 0 || f.instance == k) per[layout.first(f.service) + k].push_back(f);
  }
  std::vector<failure_schedule> out;
  out.reserve(per.size());
  for (auto& v : per) out.emplace_back(std::move(v));
  return out;
}

}  // namespace svcsim
