#include "engine/warmup.hpp"

#include <algorithm>
#include <cmath>
#include <vector>

namespace svcsim {

start_verdict judge_start(const workload_tally& t) {
  constexpr int n = workload_tally::batches;
  std::vector<double> means;
  for (int b = 0; b < n; ++b) {
    if (t.batch_count[b] < 20) return {};  // too little to judge
    means.push_back(t.batch_sum[b] / static_cast<double>(t.batch_count[b]));
  }
  int best_d = 0;
  double best = -1;
  for (int d = 0; d <= n / 2; ++d) {
    double sum = 0;
    for (int i = d; i < n; ++i) sum += means[i];
    const double mean = sum / (n - d);
    double squares = 0;
    for (int i = d; i < n; ++i) squares += (means[i] - mean) * (means[i] - mean);
    const double statistic = squares / ((n - d) * static_cast<double>(n - d));
    if (best < 0 || statistic < best) {
      best = statistic;
      best_d = d;
    }
  }
  if (best_d < 2) return {};
  // MSER alone also trims chance dips of a stationary run: keep only a start that stands
  // apart from every later batch and from their mean (see the header).
  double head = 0, rest = 0;
  for (int i = 0; i < best_d; ++i) head += means[i];
  for (int i = best_d; i < n; ++i) rest += means[i];
  head /= best_d;
  rest /= n - best_d;
  double squares = 0;
  for (int i = best_d; i < n; ++i) squares += (means[i] - rest) * (means[i] - rest);
  const double sd = std::sqrt(squares / (n - best_d - 1));
  const double se = sd * std::sqrt(1.0 / best_d + 1.0 / (n - best_d));
  const double gap = std::fabs(head - rest);
  const auto [low, high] = std::minmax_element(means.begin() + best_d, means.end());
  if ((head >= *low && head <= *high) || gap <= 5 * se || gap < 0.1 * rest) return {};
  if (best_d == n / 2) return {start_verdict::drifting, 0};
  return {start_verdict::unsettled, static_cast<double>(best_d) / n};
}

}  // namespace svcsim
