#include "engine/sampling.hpp"

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

}  // namespace

nanos sample(const distribution& d, rng& r) {
  using kind = distribution::kind;
  const double a = d.a, b = d.b, c = d.c;
  const int phases = d.phases;
  switch (d.k) {
    case kind::constant:
      return to_nanos(a);
    case kind::exponential:
      return to_nanos(r.exponential(a));
    case kind::uniform:
      return to_nanos(a + (b - a) * r.uniform01());
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
    case kind::hyperexp:
      return to_nanos(r.exponential(r.uniform01() < a ? b : c));
    case kind::empirical: {
      const auto n = d.values->size();
      return to_nanos((*d.values)[std::min(n - 1, static_cast<std::size_t>(r.uniform01() * n))]);
    }
  }
  return 0;
}

}  // namespace svcsim
