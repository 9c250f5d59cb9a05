// The mean over replications and the half-width of its 95% confidence interval (Student t),
// computed in one place for every report: sum then divide, then the squares of the deviations,
// so that every report gets the same bits for the same values.
#pragma once

#include <vector>

namespace svcsim {

// The half-width of a 95% confidence interval of the mean of n values with sample standard
// deviation sd (Student t, n - 1 degrees of freedom); 0 when n < 2.
double ci95_half_width(double sd, int n);

struct mean_interval {
  int n = 0;        // values that were measured
  double mean = 0;  // NaN when n is 0
  double half = 0;  // of the 95% interval; 0 when n < 2
};

// Over the values of `xs` that are not NaN (NaN: nothing measured).
mean_interval mean_ci(const std::vector<double>& xs);

}  // namespace svcsim
