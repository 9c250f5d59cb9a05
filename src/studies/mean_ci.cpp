#include "studies/mean_ci.hpp"

#include <algorithm>
#include <cmath>

namespace svcsim {

double ci95_half_width(double sd, int n) {
  if (n < 2) return 0;
  // Student t quantiles at 97.5% for 1..30 degrees of freedom; beyond, a close approximation.
  static const double t[] = {12.706, 4.303, 3.182, 2.776, 2.571, 2.447, 2.365, 2.306, 2.262, 2.228,
                             2.201,  2.179, 2.160, 2.145, 2.131, 2.120, 2.110, 2.101, 2.093, 2.086,
                             2.080,  2.074, 2.069, 2.064, 2.060, 2.056, 2.052, 2.048, 2.045, 2.042};
  const int df = n - 1;
  const double q = df <= 30 ? t[df - 1] : 1.960 + 2.4 / df;
  return q * sd / std::sqrt(static_cast<double>(n));
}

mean_interval mean_ci(const std::vector<double>& xs) {
  mean_interval out;
  double sum = 0, squares = 0;
  for (double x : xs)
    if (!std::isnan(x)) {
      sum += x;
      ++out.n;
    }
  if (out.n == 0) {
    out.mean = std::nan("");
    return out;
  }
  out.mean = sum / out.n;
  for (double x : xs)
    if (!std::isnan(x)) squares += (x - out.mean) * (x - out.mean);
  out.half = ci95_half_width(std::sqrt(squares / std::max(out.n - 1, 1)), out.n);
  return out;
}

}  // namespace svcsim
