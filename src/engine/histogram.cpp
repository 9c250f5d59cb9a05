#include "engine/histogram.hpp"

#include <algorithm>
#include <cmath>

namespace svcsim {

template <int SubBits>
int log_histogram<SubBits>::bucket_of(std::int64_t value) {
  const auto v = static_cast<std::uint64_t>(std::max<std::int64_t>(value, 0));
  const std::uint64_t sub = 1ULL << SubBits;
  if (v < sub) return static_cast<int>(v);  // exact below 2^SubBits ns
  const int top = 63 - __builtin_clzll(v);  // v in [2^top, 2^(top+1))
  const int shift = top - SubBits;
  const int mantissa = static_cast<int>((v >> shift) - sub);  // 0 .. 2^SubBits - 1
  return static_cast<int>(sub) + (shift * static_cast<int>(sub)) + mantissa;
}

template <int SubBits>
double log_histogram<SubBits>::bucket_middle(int bucket) {
  const int sub = 1 << SubBits;
  if (bucket < sub) return bucket;
  const int shift = (bucket - sub) / sub;
  const int mantissa = (bucket - sub) % sub;
  const double low = std::ldexp(static_cast<double>(sub + mantissa), shift);
  return low + std::ldexp(1.0, shift) / 2 - 0.5;
}

template <int SubBits>
void log_histogram<SubBits>::add(std::int64_t value) {
  const int b = bucket_of(value);
  if (static_cast<std::size_t>(b) >= counts_.size()) counts_.resize(b + 1, 0);
  ++counts_[b];
  ++count_;
  sum_ += static_cast<double>(value);
  max_ = std::max(max_, value);
  min_ = std::min(min_, value);
}

template <int SubBits>
void log_histogram<SubBits>::clear() {
  if (count_ == 0) return;
  std::fill(counts_.begin(), counts_.end(), 0);
  count_ = 0;
  sum_ = 0;
  max_ = 0;
  min_ = INT64_MAX;
}

template <int SubBits>
double log_histogram<SubBits>::quantile(double q) const {
  if (count_ == 0) return 0;
  const auto rank = static_cast<std::int64_t>(std::ceil(q * static_cast<double>(count_)));
  std::int64_t seen = 0;
  for (std::size_t b = 0; b < counts_.size(); ++b) {
    seen += counts_[b];
    if (seen >= std::max<std::int64_t>(rank, 1)) {
      const double middle = bucket_middle(static_cast<int>(b));
      return std::clamp(middle, static_cast<double>(min_), static_cast<double>(max_));
    }
  }
  return static_cast<double>(max_);
}

template <int SubBits>
std::vector<std::pair<double, double>> log_histogram<SubBits>::cdf(int max_points) const {
  std::vector<std::pair<double, double>> out;
  if (count_ == 0) return out;
  const double step = 1.0 / std::max(max_points, 1);
  const auto total = static_cast<double>(count_);
  std::int64_t seen = 0;
  double last_share = -1;
  for (std::size_t b = 0; b < counts_.size(); ++b) {
    if (counts_[b] == 0) continue;
    seen += counts_[b];
    const double share = static_cast<double>(seen) / total;
    if (seen < count_ && share - last_share < step) continue;
    const double middle = std::clamp(bucket_middle(static_cast<int>(b)), static_cast<double>(min_),
                                     static_cast<double>(max_));
    out.emplace_back(seen == count_ ? static_cast<double>(max_) : middle, share);
    last_share = share;
  }
  return out;
}

template class log_histogram<8>;  // the report's
template class log_histogram<5>;  // the timeline's, per bucket

}  // namespace svcsim
