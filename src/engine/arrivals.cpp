#include "engine/arrivals.hpp"

#include <cmath>

namespace svcsim {

arrival_stream::arrival_stream(const workload& w, std::uint64_t seed)
    : random_(rng::for_party(seed, "workload:" + w.name)),
      kind_(w.arrivals),
      gap_ns_(1e9 / w.rate_per_s) {}

nanos arrival_stream::next() {
  if (kind_ == arrival_kind::constant) return std::llround(gap_ns_ * static_cast<double>(n_++));
  t_ += random_.exponential(gap_ns_);
  return std::llround(t_);
}

}  // namespace svcsim
