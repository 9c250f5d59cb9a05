#include "engine/histogram.hpp"

#include <algorithm>
#include <cmath>

namespace svcsim {

int histogram::bucket_of(std::int64_t value) {
  const auto v = static_cast<std::uint64_t>(std::max<std::int64_t>(value, 0));
  const std::uint64_t sub = 1ULL << sub_bits;
  if (v < sub) return static_cast<int>(v);  // exact below 256 ns
  const int top = 63 - __builtin_clzll(v);  // v in [2^top, 2^(top+1))
  const int shift = top - sub_bits;
  const int mantissa = static_cast<int>((v >> shift) - sub);  // 0 .. 255
  return static_cast<int>(sub) + (shift * static_cast<int>(sub)) + mantissa;
}

double histogram::bucket_middle(int bucket) {
  const int sub = 1 << sub_bits;
  if (bucket < sub) return bucket;
  const int shift = (bucket - sub) / sub;
  const int mantissa = (bucket - sub) % sub;
  const double low = std::ldexp(static_cast<double>(sub + mantissa), shift);
  return low + std::ldexp(1.0, shift) / 2 - 0.5;
}

void histogram::add(std::int64_t value) {
  const int b = bucket_of(value);
  if (static_cast<std::size_t>(b) >= counts_.size()) counts_.resize(b + 1, 0);
  ++counts_[b];
  ++count_;
  sum_ += static_cast<double>(value);
  max_ = std::max(max_, value);
  min_ = std::min(min_, value);
}

double histogram::quantile(double q) const {
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

}  // namespace svcsim
