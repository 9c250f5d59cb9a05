#include "scenarios/distribution.hpp"

#include <algorithm>
#include <cmath>

namespace svcsim {
namespace {

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

}  // namespace

double distribution::mean() const {
  switch (k) {
    case kind::constant:
      return a;
    case kind::exponential:
      return a;
    case kind::uniform:
      return (a + b) / 2;
    case kind::normal: {
      double m, v;
      truncated_normal(a, b, m, v);
      return m;
    }
    case kind::lognormal:
      return a;
    case kind::erlang:
      return a;
    case kind::hyperexp:
      return a * b + (1 - a) * c;
    case kind::empirical:
      return a;
  }
  return 0;
}

double distribution::variance() const {
  switch (k) {
    case kind::constant:
      return 0;
    case kind::exponential:
      return a * a;
    case kind::uniform:
      return (b - a) * (b - a) / 12;
    case kind::normal: {
      double m, v;
      truncated_normal(a, b, m, v);
      return v;
    }
    case kind::lognormal:
      return b * b;
    case kind::erlang:
      return a * a / phases;
    case kind::hyperexp: {
      const double m2 = 2 * (a * b * b + (1 - a) * c * c);
      const double m = mean();
      return m2 - m * m;
    }
    case kind::empirical:
      return b * b;
  }
  return 0;
}

}  // namespace svcsim
