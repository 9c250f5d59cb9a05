#include "infer/fit.hpp"

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <limits>

namespace svcsim::infer {

std::string duration_text(double ns) {
  if (!(ns > 0.5)) return "0ms";
  if (ns >= 315576000000000000.0) return "87660h";  // the format's limit
  char buf[48];
  std::snprintf(buf, sizeof buf, "%.6gms", ns / 1e6);
  std::string s = buf;
  if (s.find('e') != std::string::npos) {  // very small or large: plain decimals instead
    std::snprintf(buf, sizeof buf, "%.0fns", ns);
    s = buf;
  }
  return s;
}

fit_result fit_work(const std::vector<double>& values_ns) {
  fit_result r;
  const double n = static_cast<double>(values_ns.size());
  std::vector<double> x;  // in ms: AICs differ by a constant per unit, the choice does not
  for (double v : values_ns) x.push_back(std::max(0.0, v) / 1e6);
  double mean = 0;
  for (double v : x) mean += v;
  mean /= n;
  r.mean_ns = mean * 1e6;
  double var = 0;
  for (double v : x) var += (v - mean) * (v - mean);
  var /= n;
  if (x.size() == 1 || var <= mean * mean * 1e-12 || mean <= 0) {
    r.text = duration_text(r.mean_ns);
    r.not_tried = x.size() == 1 ? "one value: a constant" : "all values equal: a constant";
    return r;
  }
  const bool positive = std::all_of(x.begin(), x.end(), [](double v) { return v > 0; });
  const double two_pi = 2 * M_PI;
  // exp
  {
    double ll = -n * std::log(mean) - n;  // sum x / mean = n
    r.candidates.push_back({"exp(" + duration_text(mean * 1e6) + ")", 2 * 1 - 2 * ll});
  }
  // normal (MLE: mean and the population standard deviation)
  {
    const double sd = std::sqrt(var);
    double ll = -n / 2 * std::log(two_pi * var) - n / 2;
    r.candidates.push_back(
        {"normal(" + duration_text(mean * 1e6) + ", " + duration_text(sd * 1e6) + ")",
         2 * 2 - 2 * ll});
  }
  if (positive) {
    // lognormal: mu, sigma of the logs; written as the lognormal's own mean and sd
    double mu = 0, s2 = 0, sum_log = 0;
    for (double v : x) mu += std::log(v);
    sum_log = mu;
    mu /= n;
    for (double v : x) s2 += (std::log(v) - mu) * (std::log(v) - mu);
    s2 /= n;
    const double limit_ms = 315576000000000.0;  // 10 years
    if (s2 > 0 && std::exp(mu + s2 / 2) * std::sqrt(std::exp(s2) - 1) < limit_ms) {
      const double ll = -sum_log - n / 2 * std::log(two_pi * s2) - n / 2;
      const double m = std::exp(mu + s2 / 2), sd = m * std::sqrt(std::exp(s2) - 1);
      r.candidates.push_back(
          {"lognormal(" + duration_text(m * 1e6) + ", " + duration_text(sd * 1e6) + ")",
           2 * 2 - 2 * ll});
    }
    // erlang(k, mean): the mean's MLE is the sample mean for any k; k by likelihood near
    // mean^2/var, from 2 (k = 1 is exp) to 1000.
    const int guess = static_cast<int>(std::lround(std::min(1000.0, mean * mean / var)));
    double best = std::numeric_limits<double>::infinity();
    int best_k = 0;
    for (int k = std::max(2, guess - 3); k <= std::min(1000, std::max(2, guess + 3)); ++k) {
      const double theta = mean / k;
      const double ll =
          (k - 1) * sum_log - n * mean / theta - n * (k * std::log(theta) + std::lgamma(k));
      const double aic = 2 * 2 - 2 * ll;
      if (aic < best) {
        best = aic;
        best_k = k;
      }
    }
    if (best_k >= 2)
      r.candidates.push_back(
          {"erlang(" + std::to_string(best_k) + ", " + duration_text(mean * 1e6) + ")", best});
  } else {
    r.not_tried = "lognormal and erlang not tried: some values are 0";
  }
  const auto chosen = std::min_element(r.candidates.begin(), r.candidates.end(),
                                       [](const auto& a, const auto& b) { return a.aic < b.aic; });
  r.text = chosen->text;
  return r;
}

}  // namespace svcsim::infer
