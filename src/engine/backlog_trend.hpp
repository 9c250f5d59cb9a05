// The course of one backlog (the messages the broker holds for one subscription: queued or
// unacknowledged) through the measured window [from, to], kept as it changes, and the rule
// that says it keeps growing (the "falls behind" warning, docs/scenario-format.md#warnings).
//
// Kept per change, in O(1): the level at `from` and at `to`, the messages that joined and left
// inside the window, and per half of the window the integrals of the level B(t) and of t·B(t),
// from which the least-squares slope of B over each half and over the whole window follow.
// Invariant: at_to - at_from == joined - left (every change inside the window is counted).
#pragma once

#include <cstdint>

#include "scenarios/scenario.hpp"

namespace svcsim {

class backlog_trend {
 public:
  // The backlog changed by `change` at `t` and holds `level` from then on. Changes must come
  // in time order, as the virtual clock gives them.
  void changed(nanos from, nanos to, nanos t, std::int64_t level, std::int64_t change) {
    if (t < from) return;
    if (!started_) start(from, to, level - change);
    if (t > to) return close(to);
    advance(t);
    level_ = level;
    (change > 0 ? joined_ : left_) += change > 0 ? change : -change;
  }
  // After the run, whose backlog is `level` at its end (used when nothing changed from `from`
  // on): the level at `to` and the integrals up to it.
  void finish(nanos from, nanos to, std::int64_t level);

  std::int64_t at_from() const { return at_from_; }
  std::int64_t at_to() const { return at_to_; }
  std::int64_t joined() const { return joined_; }  // inside the window: offered
  std::int64_t left() const { return left_; }      // inside the window: acknowledged or lost
  // Least-squares slope of the level in messages per second, over the whole window (half 0
  // and 1 together, `half` -1) or over one half (0: the first, 1: the second).
  double slope(int half = -1) const;
  // The rule: the backlog grew by at least 20 messages and by at least 2% of the messages
  // offered in the window (it consumed at most 98% of them), and its least-squares slope is
  // positive over the whole window and over its second half, so a backlog that filled early
  // and then held, or that drains at the end, does not count.
  bool keeps_growing() const;

 private:
  void start(nanos from, nanos to, std::int64_t level);
  void advance(nanos t);  // integrates the current level up to t (t <= to)
  void close(nanos to);

  bool started_ = false, closed_ = false;
  nanos from_ = 0, mid_ = 0, to_ = 0, last_ = 0;
  std::int64_t level_ = 0, at_from_ = 0, at_to_ = 0, joined_ = 0, left_ = 0;
  double area_[2] = {}, moment_[2] = {};  // per half: ∫B dt and ∫t·B dt, t in s from `from`
};

}  // namespace svcsim
