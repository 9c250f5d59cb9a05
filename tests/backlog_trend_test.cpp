// The course of a subscription's backlog through the measured window (engine/backlog_trend.hpp)
// and the rule that says it keeps growing, on hand-made series with exact values.
#include "engine/backlog_trend.hpp"

#include <catch2/catch.hpp>

using namespace svcsim;

namespace {

constexpr nanos s = 1000000000;

// `per_step` messages join at 1 s, 2 s, ..., `steps` s; the window is [0, 10 s].
backlog_trend stairs(std::int64_t per_step, int steps) {
  backlog_trend t;
  std::int64_t level = 0;
  for (int k = 1; k <= steps; ++k) {
    level += per_step;
    t.changed(0, 10 * s, k * s, level, per_step);
  }
  t.finish(0, 10 * s, level);
  return t;
}

}  // namespace

TEST_CASE("backlog trend: a staircase keeps growing, with its least-squares slopes") {
  const auto t = stairs(3, 10);  // B(t) = 3 floor(t) on [0, 10 s]
  CHECK(t.at_from() == 0);
  CHECK(t.at_to() == 30);  // the change at 10 s, the window's end, is inside it
  CHECK(t.joined() == 30);
  CHECK(t.left() == 0);
  // floor(t) = t - frac(t). Over [0, 10]: ∫(t-5)frac(t)dt = Σk [(k-5)/2 + 1/3] = -2.5 + 10/3
  // = 5/6, and ∫(t-5)²dt = 1000/12, so frac's slope is 0.01 and 3 floor(t)'s is 3 * 0.99.
  CHECK(t.slope() == Approx(2.97).epsilon(1e-12));
  // Over [5, 10]: Σk=5..9 [(k-7.5)/2 + 1/3] = -1.25 + 5/3 = 5/12 over 125/12: 0.04.
  CHECK(t.slope(1) == Approx(3 * 0.96).epsilon(1e-12));
  // Over [0, 5]: Σk=0..4 [(k-2.5)/2 + 1/3] = -1.25 + 5/3 over 125/12 again: 0.96.
  CHECK(t.slope(0) == Approx(3 * 0.96).epsilon(1e-12));
  CHECK(t.keeps_growing());                    // grew by 30 >= 20, and 30 * 50 >= 30 offered
  CHECK_FALSE(stairs(1, 10).keeps_growing());  // grew by 10 only: below 20
}

TEST_CASE("backlog trend: a backlog that filled early and then held does not keep growing") {
  backlog_trend t;
  t.changed(0, 10 * s, 1 * s, 100, 100);  // 100 join at 1 s, nothing leaves
  t.finish(0, 10 * s, 100);
  CHECK(t.at_to() - t.at_from() == 100);
  CHECK(t.slope() > 0);
  CHECK(t.slope(1) == 0);  // flat over the second half
  CHECK_FALSE(t.keeps_growing());
}

TEST_CASE("backlog trend: growth below 2% of what was offered is noise") {
  backlog_trend t;
  std::int64_t level = 0;
  // 1,000 messages join and 975 leave, one each 10 ms in turn: 25 more at the end (2.5%).
  for (int k = 0; k < 1000; ++k) {
    t.changed(0, 10 * s, k * s / 100, ++level, 1);
    if (k % 40 != 0) t.changed(0, 10 * s, k * s / 100, --level, -1);
  }
  t.finish(0, 10 * s, level);
  CHECK(t.joined() == 1000);
  CHECK(t.left() == 975);
  CHECK(t.at_to() == 25);
  CHECK(t.keeps_growing());  // 25 * 50 = 1250 >= 1000
  // 2,000 join over 20 s and all but every 80th leave: 25 more at the end, 1.25% of 2,000.
  backlog_trend u;
  level = 0;
  for (int k = 0; k < 2000; ++k) {
    u.changed(0, 20 * s, k * s / 100, ++level, 1);
    if (k % 80 != 0) u.changed(0, 20 * s, k * s / 100, --level, -1);
  }
  u.finish(0, 20 * s, level);
  CHECK(u.at_to() == 25);
  CHECK(u.slope(1) > 0);
  CHECK_FALSE(u.keeps_growing());
}

TEST_CASE("backlog trend: only the window counts; its start level is what was held then") {
  backlog_trend t;
  t.changed(2 * s, 4 * s, 1 * s, 5, 5);  // before the window: not counted
  t.changed(2 * s, 4 * s, 3 * s, 4, -1);
  t.changed(2 * s, 4 * s, 5 * s, 9, 5);  // after it: closes it
  t.finish(2 * s, 4 * s, 9);
  CHECK(t.at_from() == 5);
  CHECK(t.at_to() == 4);
  CHECK(t.joined() == 0);
  CHECK(t.left() == 1);
  // Nothing changed inside the window: both ends are the level at the end of the run.
  backlog_trend quiet;
  quiet.finish(2 * s, 4 * s, 7);
  CHECK(quiet.at_from() == 7);
  CHECK(quiet.at_to() == 7);
  CHECK(quiet.slope() == 0);
}
