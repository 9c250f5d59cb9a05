#include "engine/backlog_trend.hpp"

#include <algorithm>

namespace svcsim {
namespace {

constexpr double seconds(nanos t) { return static_cast<double>(t) / 1e9; }

}  // namespace

void backlog_trend::start(nanos from, nanos to, std::int64_t level) {
  started_ = true;
  from_ = last_ = from;
  to_ = std::max(from, to);
  mid_ = from_ + (to_ - from_) / 2;
  level_ = at_from_ = level;
}

void backlog_trend::advance(nanos t) {
  // The level held over [last_, t), split at the middle of the window; a level of 0 adds
  // nothing (the integrals start at +0 and only grow).
  if (level_ == 0) {
    last_ = t;
    return;
  }
  const nanos bounds[3] = {from_, mid_, to_};
  for (int h = 0; h < 2; ++h) {
    const nanos a = std::max(last_, bounds[h]), b = std::min(t, bounds[h + 1]);
    if (b <= a) continue;
    const double x = seconds(a - from_), y = seconds(b - from_),
                 level = static_cast<double>(level_);
    area_[h] += level * (y - x);
    moment_[h] += level * (y * y - x * x) / 2;
  }
  last_ = t;
}

void backlog_trend::close(nanos to) {
  if (closed_) return;
  advance(to);
  closed_ = true;
  at_to_ = level_;
}

void backlog_trend::finish(nanos from, nanos to, std::int64_t level) {
  if (!started_) start(from, to, level);
  close(to);
}

double backlog_trend::slope(int half) const {
  const double a = seconds((half == 1 ? mid_ : from_) - from_);
  const double b = seconds((half == 0 ? mid_ : to_) - from_);
  const double length = b - a;
  if (length <= 0) return 0;
  const double area = half < 0 ? area_[0] + area_[1] : area_[half];
  const double moment = half < 0 ? moment_[0] + moment_[1] : moment_[half];
  // Least squares of B(t) on t over [a, b]: ∫(t - t̄)B dt / ∫(t - t̄)² dt, t̄ = (a + b) / 2.
  return (moment - (a + b) / 2 * area) / (length * length * length / 12);
}

bool backlog_trend::keeps_growing() const {
  const std::int64_t grown = at_to_ - at_from_;
  return grown >= 20 && grown * 50 >= joined_ && slope() > 0 && slope(1) > 0;
}

}  // namespace svcsim
