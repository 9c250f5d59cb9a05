#include "scenarios/rate_profile.hpp"

#include <algorithm>
#include <cmath>

namespace svcsim {
namespace {

constexpr double pi = 3.14159265358979323846;

// Arrivals within one step up to x ns into it.
double step_mass(const rate_step& s, double x) {
  const double slope = (s.to_per_s - s.from_per_s) / static_cast<double>(s.length_ns);
  return (s.from_per_s * x + slope * x * x / 2) / 1e9;
}

// Daily: arrivals in [0, x) of one period.
double daily_mass(const rate_profile& p, double x) {
  const double period = static_cast<double>(p.period_ns);
  const double swing = (p.peak_per_s - p.low_per_s) / 2;
  return (p.low_per_s * x + swing * (x - period / (2 * pi) * std::sin(2 * pi * x / period))) / 1e9;
}

// Arrivals in [0, x) of one cycle, 0 <= x <= cycle.
double in_cycle(const rate_profile& p, double x) {
  if (p.daily) return daily_mass(p, x);
  double m = 0;
  for (const auto& s : p.steps) {
    const double len = static_cast<double>(s.length_ns);
    if (x <= len) return m + step_mass(s, x);
    m += step_mass(s, len);
    x -= len;
  }
  return m;
}

double cycle_mass(const rate_profile& p) { return in_cycle(p, static_cast<double>(p.cycle_ns())); }

}  // namespace

std::int64_t rate_profile::cycle_ns() const {
  if (daily) return period_ns;
  std::int64_t sum = 0;
  for (const auto& s : steps) sum += s.length_ns;
  return sum;
}

void rate_profile::finish() {
  if (daily) return;
  peak_per_s = 0;
  for (const auto& s : steps) peak_per_s = std::max({peak_per_s, s.from_per_s, s.to_per_s});
}

double rate_profile::mean_per_s() const {
  return cycle_mass(*this) * 1e9 / static_cast<double>(cycle_ns());
}

double rate_profile::rate_at(double t) const {
  const double cycle = static_cast<double>(cycle_ns());
  double x = std::fmod(std::max(t, 0.0), cycle);
  if (daily) return low_per_s + (peak_per_s - low_per_s) * (1 - std::cos(2 * pi * x / cycle)) / 2;
  for (const auto& s : steps) {
    const double len = static_cast<double>(s.length_ns);
    if (x < len) return s.from_per_s + (s.to_per_s - s.from_per_s) * x / len;
    x -= len;
  }
  return steps.back().to_per_s;
}

double rate_profile::arrivals_by(double t) const {
  if (t <= 0) return 0;
  const double cycle = static_cast<double>(cycle_ns());
  const double cycles = std::floor(t / cycle);
  return cycles * cycle_mass(*this) + in_cycle(*this, t - cycles * cycle);
}

double rate_profile::time_of(double m) const {
  if (m <= 0 && daily) return 0;  // steps: the start of the first step with a rate above 0
  const double cycle = static_cast<double>(cycle_ns());
  const double per_cycle = cycle_mass(*this);
  const double cycles = std::floor(m / per_cycle);
  double rest = m - cycles * per_cycle;
  const double base = cycles * cycle;
  if (daily) {
    // The integral is increasing: Newton's method kept inside a shrinking bracket (bisection
    // when a step would leave it), to below a nanosecond or double precision.
    double lo = 0, hi = cycle, x = rest / per_cycle * cycle;
    for (int i = 0; i < 200 && hi - lo > 0.01; ++i) {
      const double f = daily_mass(*this, x) - rest;
      if (std::abs(f) < 1e-12 * std::max(1.0, rest)) break;  // converged: at x
      (f < 0 ? lo : hi) = x;
      const double slope = rate_at(x) / 1e9;
      const double next = slope > 0 ? x - f / slope : lo - 1;
      x = next > lo && next < hi ? next : (lo + hi) / 2;
    }
    return base + x;
  }
  double start = 0;
  for (const auto& s : steps) {
    const double len = static_cast<double>(s.length_ns);
    const double here = step_mass(s, len);
    if (rest < here) {
      // Solve from*x + slope*x^2/2 = rest*1e9 for x in [0, len], in the stable form.
      const double r0 = s.from_per_s, slope = (s.to_per_s - s.from_per_s) / len;
      const double need = rest * 1e9;
      if (need <= 0) return base + start;
      const double root = std::sqrt(std::max(0.0, r0 * r0 + 2 * slope * need));
      return base + start + std::min(len, 2 * need / (r0 + root));
    }
    rest -= here;
    start += len;
  }
  return base + cycle;  // rounding at the end of a cycle
}

}  // namespace svcsim
