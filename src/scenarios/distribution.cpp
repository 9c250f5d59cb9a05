#include "scenarios/distribution.hpp"

#include <algorithm>
#include <cmath>

namespace svcsim {
namespace {

// Parameters of the underlying normal for a lognormal with the given mean and sd.
void lognormal_params(double mean, double sd, double& mu, double& sigma) {
  const double s2 = std::log1p((sd * sd) / (mean * mean));
  sigma = std::sqrt(s2);
  mu = std::log(mean) - s2 / 2;
}

// Mean and variance of normal(mean, sd) truncated to [0, inf): the law of a draw redrawn until
// it is not negative.
void truncated_normal(double mean, double sd, double& m, double& v) {
  if (sd <= 0) {
    m = mean;
    v = 0;
    return;
  }
  const double alpha = -mean / sd;
  const double pdf = std::exp(-alpha * alpha / 2) / std::sqrt(2 * M_PI);
  const double tail = 0.5 * std::erfc(alpha / std::sqrt(2.0));  // P(X >= 0)
  const double lambda = pdf / tail;
  m = mean + sd * lambda;
  v = sd * sd * (1 + alpha * lambda - lambda * lambda);
}

std::int64_t to_nanos(double x) { return x <= 0 ? 0 : static_cast<std::int64_t>(std::llround(x)); }

}  // namespace

double distribution::mean() const {
  switch (k) {
    case kind::constant: return a;
    case kind::exponential: return a;
    case kind::uniform: return (a + b) / 2;
    case kind::normal: {
      double m, v;
      truncated_normal(a, b, m, v);
      return m;
    }
    case kind::lognormal: return a;
    case kind::erlang: return a;
    case kind::hyperexp: return a * b + (1 - a) * c;
    case kind::empirical: return a;
  }
  return 0;
}

double distribution::variance() const {
  switch (k) {
    case kind::constant: return 0;
    case kind::exponential: return a * a;
    case kind::uniform: return (b - a) * (b - a) / 12;
    case kind::normal: {
      double m, v;
      truncated_normal(a, b, m, v);
      return v;
    }
    case kind::lognormal: return b * b;
    case kind::erlang: return a * a / phases;
    case kind::hyperexp: {
      const double m2 = 2 * (a * b * b + (1 - a) * c * c);
      const double m = mean();
      return m2 - m * m;
    }
    case kind::empirical: return b * b;
  }
  return 0;
}

std::int64_t distribution::sample(rng& r) const {
  switch (k) {
    case kind::constant: return to_nanos(a);
    case kind::exponential: return to_nanos(r.exponential(a));
    case kind::uniform: return to_nanos(a + (b - a) * r.uniform01());
    case kind::normal: {
      // Truncated at 0: redraw. The loader keeps the mean positive, so more than half of all
      // draws are kept; the bound only guards against a pathological parameter.
      for (int tries = 0; tries < 1000; ++tries)
        if (const double x = r.normal(a, b); x >= 0) return to_nanos(x);
      return 0;
    }
    case kind::lognormal: {
      if (b == 0) return to_nanos(a);
      double mu, sigma;
      lognormal_params(a, b, mu, sigma);
      return to_nanos(std::exp(r.normal(mu, sigma)));
    }
    case kind::erlang: {
      const double phase_mean = a / phases;
      double sum = 0;
      for (int i = 0; i < phases; ++i) sum += r.exponential(phase_mean);
      return to_nanos(sum);
    }
    case kind::hyperexp: return to_nanos(r.exponential(r.uniform01() < a ? b : c));
    case kind::empirical: {
      const auto n = values->size();
      return to_nanos((*values)[std::min(n - 1, static_cast<std::size_t>(r.uniform01() * n))]);
    }
  }
  return 0;
}

}  // namespace svcsim
