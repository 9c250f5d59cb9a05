// A log-bucketed histogram of non-negative durations (nanoseconds), HDR-style: each power of
// two is split into 2^SubBits linear sub-buckets, so a reported percentile is within half a
// sub-bucket, 2^-(SubBits+1), of the true sample value (under 0.4% for the report's 256
// sub-buckets, 1.6% for the timeline's 32), and memory is fixed (at most 64 x 2^SubBits
// counters) whatever the count.
// The mean and the maximum are exact.
#pragma once

#include <cstdint>
#include <utility>
#include <vector>

namespace svcsim {

template <int SubBits>
class log_histogram {
 public:
  void add(std::int64_t value);
  void clear();  // forgets every value; keeps its memory

  std::int64_t count() const { return count_; }
  std::size_t bucket_count() const { return counts_.size(); }  // memory, in counters
  double mean() const { return count_ ? sum_ / count_ : 0; }
  std::int64_t max() const { return max_; }
  std::int64_t min() const { return count_ ? min_ : 0; }
  // The q-quantile (0 < q <= 1) by the nearest-rank rule, as the middle of its bucket.
  double quantile(double q) const;
  // The cumulative distribution in one pass: (value, share of values at most it) at the middle
  // of non-empty buckets, about one point per 1/max_points of the share, the last (max, 1)
  // always; empty when nothing was added. Values ascend, shares ascend to 1.
  std::vector<std::pair<double, double>> cdf(int max_points) const;

 private:
  static int bucket_of(std::int64_t value);
  static double bucket_middle(int bucket);

  std::vector<std::int64_t> counts_;  // grows to the highest bucket seen
  std::int64_t count_ = 0;
  double sum_ = 0;
  std::int64_t max_ = 0;
  std::int64_t min_ = INT64_MAX;
};

// The report's: 256 sub-buckets per power of two.
using histogram = log_histogram<8>;

}  // namespace svcsim
