// The grid of a sweep, from `--set KEY=VALUES` texts: each key with its list of values, and
// their cartesian product. Values stay text, as the user wrote them (the loader reads them).
//
// VALUES is a list split at the commas outside parentheses and brackets
// (`poisson(100/s),uniform(1ms, 3ms)` is two values), or a range `A..B step S`: numbers with
// one unit on all three (`50/s..600/s step 50/s`, `1ms..10ms step 1ms`, `1..8 step 1`),
// expanded as exact decimal text in that unit (A, A+S, ... up to B; `0.1..0.3 step 0.1` gives
// 0.1, 0.2, 0.3). A range must run forwards from 0 or more with a step above 0.
#pragma once

#include <string>
#include <vector>

namespace svcsim {

// Most points a sweep may have.
constexpr std::size_t max_sweep_points = 10000;

struct sweep_axis {
  std::string key;
  std::vector<std::string> values;
};

// "KEY=VALUES"; "" in `error` when fine, else what is wrong and what to write.
sweep_axis parse_sweep_axis(const std::string& text, std::string* error);

// A range's values, or a list's; "" in `error` when fine.
std::vector<std::string> expand_values(const std::string& text, std::string* error);

// The cartesian product, the last axis varying fastest: per point one value per axis. Empty
// with `error` set when it would have more than max_sweep_points points, or a key is twice.
std::vector<std::vector<std::string>> sweep_points(const std::vector<sweep_axis>& axes,
                                                   std::string* error);

}  // namespace svcsim
