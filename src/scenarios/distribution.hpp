// Distributions of durations (service times, think times), as written in scenario files:
// `2ms`, `exp(2ms)`, `uniform(1ms, 3ms)`, `normal(5ms, 1ms)`, `lognormal(5ms, 2ms)`,
// `erlang(4, 2ms)`, `hyperexp(0.9, 1ms, 10ms)`, `empirical(FILE)`. Parameters are in
// nanoseconds.
// Sampling lives with the random streams (engine/sampling.hpp); the model only describes.
#pragma once

#include <cstdint>
#include <memory>
#include <string>
#include <vector>

namespace svcsim {

struct distribution {
  enum class kind {
    constant,
    exponential,
    uniform,
    normal,
    lognormal,
    erlang,
    hyperexp,
    empirical
  };
  kind k = kind::constant;
  double a = 0;    // constant: value; exp: mean; uniform: low; normal/lognormal: mean;
                   // erlang: total mean; hyperexp: probability of the first branch;
                   // empirical: mean of the values
  double b = 0;    // uniform: high; normal/lognormal: standard deviation; hyperexp: mean a;
                   // empirical: standard deviation of the values
  double c = 0;    // hyperexp: mean b
  int phases = 1;  // erlang: k
  std::shared_ptr<const std::vector<double>> values;  // empirical: each equally likely
  std::string text;                                   // as written, for reports

  // Of the law actually sampled (normal: truncated at 0, i.e. redrawn while negative).
  double mean() const;      // nanoseconds
  double variance() const;  // nanoseconds squared
  bool is_zero() const { return k == kind::constant && a == 0; }
};

}  // namespace svcsim
