#include "scenarios/distribution.hpp"

#include <cmath>

namespace svcsim {
namespace {

// Parameters of the underlying normal for a lognormal with the given mean and sd.
void lognormal_params(double mean, double sd, double& mu, double& sigma) {
  const double s2 = std::log1p((sd * sd) / (mean * mean));
  sigma = std::sqrt(s2);
  mu = std::log(mean) - s2 / 2;
}

std::int64_t to_nanos(double x) { return x <= 0 ? 0 : static_cast<std::int64_t>(std::llround(x)); }

}  // namespace

double distribution::mean() const {
  switch (k) {
    case kind::constant: return a;
    case kind::exponential: return a;
    case kind::uniform: return (a + b) / 2;
    case kind::normal: return a;
    case kind::lognormal: return a;
    case kind::erlang: return a;
    case kind::hyperexp: return a * b + (1 - a) * c;
  }
  return 0;
}

double distribution::variance() const {
  switch (k) {
    case kind::constant: return 0;
    case kind::exponential: return a * a;
    case kind::uniform: return (b - a) * (b - a) / 12;
    case kind::normal: return b * b;
    case kind::lognormal: return b * b;
    case kind::erlang: return a * a / phases;
    case kind::hyperexp: {
      const double m2 = 2 * (a * b * b + (1 - a) * c * c);
      const double m = mean();
      return m2 - m * m;
    }
  }
  return 0;
}

std::int64_t distribution::sample(rng& r) const {
  switch (k) {
    case kind::constant: return to_nanos(a);
    case kind::exponential: return to_nanos(r.exponential(a));
    case kind::uniform: return to_nanos(a + (b - a) * r.uniform01());
    case kind::normal: return to_nanos(r.normal(a, b));
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
  }
  return 0;
}

}  // namespace svcsim
