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

}  // namespace

std::size_t rate_profile::step_at(double x) const {
  const auto after = std::upper_bound(start_ns.begin(), start_ns.end(), x);
  return after == start_ns.begin() ? 0 : static_cast<std::size_t>(after - start_ns.begin()) - 1;
}

double rate_profile::in_cycle(double x) const {
  if (daily) return daily_mass(*this, x);
  const std::size_t i = step_at(x);
  return mass_before[i] +
         step_mass(steps[i], std::min(x - start_ns[i], static_cast<double>(steps[i].length_ns)));
}

double rate_profile::cycle_mass() const { return in_cycle(static_cast<double>(cycle_ns())); }

std::int64_t rate_profile::cycle_ns() const {
  if (daily) return period_ns;
  std::int64_t sum = 0;
  for (const auto& s : steps) sum += s.length_ns;
  return sum;
}

void rate_profile::finish() {
  if (daily) return;
  peak_per_s = 0;
  start_ns.clear();
  mass_before.clear();
  double start = 0, mass = 0;
  for (const auto& s : steps) {
    peak_per_s = std::max({peak_per_s, s.from_per_s, s.to_per_s});
    start_ns.push_back(start);
    mass_before.push_back(mass);
    start += static_cast<double>(s.length_ns);
    mass += step_mass(s, static_cast<double>(s.length_ns));
  }
}

double rate_profile::mean_per_s() const {
  return cycle_mass() * 1e9 / static_cast<double>(cycle_ns());
}

double rate_profile::rate_at(double t) const {
  const double cycle = static_cast<double>(cycle_ns());
  double x = std::fmod(std::max(t, 0.0), cycle);
  if (daily) return low_per_s + (peak_per_s - low_per_s) * (1 - std::cos(2 * pi * x / cycle)) / 2;
  const std::size_t i = step_at(x);
  const rate_step& s = steps[i];
  const double len = static_cast<double>(s.length_ns);
  return s.from_per_s + (s.to_per_s - s.from_per_s) * std::min(x - start_ns[i], len) / len;
}

double rate_profile::arrivals_by(double t) const {
  if (t <= 0) return 0;
  const double cycle = static_cast<double>(cycle_ns());
  const double cycles = std::floor(t / cycle);
  return cycles * cycle_mass() + in_cycle(t - cycles * cycle);
}

double rate_profile::time_of(double m) const {
  if (m <= 0 && daily) return 0;  // steps: the start of the first step with a rate above 0
  const double cycle = static_cast<double>(cycle_ns());
  const double per_cycle = cycle_mass();
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
  // The last step whose arrivals before it are at most `rest`, skipping steps of rate 0.
  // `rest` may round to just below 0: then the first step, as without a lookup.
  const auto after = std::upper_bound(mass_before.begin(), mass_before.end(), rest);
  const std::size_t first =
      after == mass_before.begin() ? 0 : static_cast<std::size_t>(after - mass_before.begin()) - 1;
  for (std::size_t i = first; i < steps.size(); ++i) {
    const rate_step& s = steps[i];
    const double len = static_cast<double>(s.length_ns);
    const double need = (rest - mass_before[i]) * 1e9;
    if (need < step_mass(s, len) * 1e9) {
      // Solve from*x + slope*x^2/2 = need for x in [0, len], in the stable form.
      const double r0 = s.from_per_s, slope = (s.to_per_s - s.from_per_s) / len;
      if (need <= 0) return base + start_ns[i];
      const double root = std::sqrt(std::max(0.0, r0 * r0 + 2 * slope * need));
      return base + start_ns[i] + std::min(len, 2 * need / (r0 + root));
    }
  }
  return base + cycle;  // rounding at the end of a cycle
}

}  // namespace svcsim
