// The latency histogram: every percentile within 0.5% of the exact sample value, in fixed
// memory whatever the number of values.
#include "engine/histogram.hpp"
#include "engine/random.hpp"

#include <catch2/catch.hpp>

#include <algorithm>
#include <cmath>
#include <vector>

using namespace svcsim;

TEST_CASE("histogram percentiles are within 0.5% of the exact values") {
  rng r(7);
  histogram h;
  std::vector<std::int64_t> xs;
  for (int i = 0; i < 200000; ++i) {
    // Spread over many powers of two: from nanoseconds to seconds.
    const auto x = static_cast<std::int64_t>(std::exp(r.uniform01() * std::log(5e9)));
    xs.push_back(x);
    h.add(x);
  }
  std::sort(xs.begin(), xs.end());
  for (double q : {0.01, 0.1, 0.5, 0.9, 0.99, 0.999, 1.0}) {
    const auto rank = static_cast<std::size_t>(std::ceil(q * xs.size()));
    const double exact = static_cast<double>(xs[std::max<std::size_t>(rank, 1) - 1]);
    INFO("q = " << q);
    CHECK(std::fabs(h.quantile(q) - exact) <= 0.005 * exact + 0.5);
  }
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
