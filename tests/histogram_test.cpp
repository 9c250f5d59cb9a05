// The latency histogram: every percentile within 0.5% of the exact sample value, in fixed
// memory whatever the number of values.
#include "engine/histogram.hpp"

#include <algorithm>
#include <catch2/catch.hpp>
#include <cmath>
#include <vector>

#include "engine/random.hpp"

using namespace svcsim;

namespace {

// `n` values spread over many powers of two, from nanoseconds to seconds, added to `h`;
// returned sorted.
template <class Histogram>
std::vector<std::int64_t> fill(Histogram& h, std::uint64_t seed, int n) {
  rng r(seed);
  std::vector<std::int64_t> xs;
  for (int i = 0; i < n; ++i) {
    const auto x = static_cast<std::int64_t>(std::exp(r.uniform01() * std::log(5e9)));
    xs.push_back(x);
    h.add(x);
  }
  std::sort(xs.begin(), xs.end());
  return xs;
}

// Every q-quantile of `h` within `share` of the exact nearest-rank value of sorted `xs`.
template <class Histogram>
void check_quantiles(const Histogram& h, const std::vector<std::int64_t>& xs, double share) {
  for (double q : {0.01, 0.1, 0.5, 0.9, 0.99, 0.999, 1.0}) {
    const auto rank = static_cast<std::size_t>(std::ceil(q * xs.size()));
    const double exact = static_cast<double>(xs[std::max<std::size_t>(rank, 1) - 1]);
    INFO("q = " << q);
    CHECK(std::fabs(h.quantile(q) - exact) <= share * exact + 0.5);
  }
}

}  // namespace

TEST_CASE("histogram percentiles are within 0.5% of the exact values") {
  histogram h;
  const auto xs = fill(h, 7, 200000);
  check_quantiles(h, xs, 0.005);
  double sum = 0;
  for (auto x : xs) sum += static_cast<double>(x);
  CHECK(h.mean() == Approx(sum / xs.size()));
  CHECK(h.max() == xs.back());
  CHECK(h.min() == xs.front());
}

TEST_CASE("histogram memory does not grow with the number of values") {
  histogram h;
  h.add(INT64_MAX);  // the largest value sets the size: at most 64 x 256 counters
  const auto size = h.bucket_count();
  CHECK(size <= 64 * 256);
  rng r(3);
  for (int i = 0; i < 2000000; ++i)
    h.add(static_cast<std::int64_t>(std::exp(r.uniform01() * std::log(9e18))));
  CHECK(h.bucket_count() == size);
  CHECK(h.count() == 2000001);
}

TEST_CASE("the timeline's coarse histogram is within 1.6% and can be cleared for reuse") {
  log_histogram<5> h;
  check_quantiles(h, fill(h, 11, 50000), 1.0 / 64);
  CHECK(h.bucket_count() <= 64 * 32);
  const auto size = h.bucket_count();
  h.clear();
  CHECK(h.count() == 0);
  CHECK(h.quantile(0.5) == 0);
  h.add(3000000);
  CHECK(h.quantile(0.5) == 3000000);  // one value: min = max, so exact
  CHECK(h.bucket_count() == size);
}

TEST_CASE("histogram: the CDF ascends to (max, 1) with a bounded number of points") {
  log_histogram<8> h;
  CHECK(h.cdf(100).empty());
  for (int i = 1; i <= 10000; ++i) h.add(i * 1000);
  const auto cdf = h.cdf(100);
  CHECK(cdf.size() <= 102);
  CHECK(cdf.size() >= 90);
  CHECK(cdf.back().first == 10000 * 1000.0);
  CHECK(cdf.back().second == 1.0);
  for (std::size_t i = 1; i < cdf.size(); ++i) {
    CHECK(cdf[i].first > cdf[i - 1].first);
    CHECK(cdf[i].second > cdf[i - 1].second);
  }
  // The median is where the share crosses one half, within a sub-bucket.
  for (const auto& [x, share] : cdf)
    if (share >= 0.5) {
      CHECK(x == Approx(h.quantile(0.5)).epsilon(0.02));
      break;
    }
}
