// Parsing of the unit-bearing values of scenario files: durations (`2ms`, `1.5s`), rates
// (`200/s`, `12000/m`), probabilities (`0.1`, `10%`) and distributions of durations
// (`exp(2ms)`, `uniform(1ms, 3ms)`, ...). Units are never guessed: a bare number is an error.
//
// Each function returns the value or an error text in the style "WHAT IS WRONG; WHAT TO WRITE
// INSTEAD" (no file or position: the loader adds those).
#pragma once

#include <string>
#include <string_view>
#include <vector>

#include "scenarios/distribution.hpp"
#include "scenarios/load/empirical.hpp"
#include "scenarios/scenario.hpp"

namespace svcsim {

template <class T>
struct parsed {
  T value{};
  std::string error;  // empty when the text was understood
  bool ok() const { return error.empty(); }
};

template <class T>
parsed<T> failed(std::string message) {
  parsed<T> p;
  p.error = std::move(message);
  return p;
}

// `s` without the white space around it.
std::string_view trim(std::string_view s);

// The spec's limits on values.
constexpr nanos max_duration_ns = 10LL * 31557600LL * 1000000000LL;  // 10 years of 365.25 days
constexpr double max_rate_per_s = 1e9;
constexpr double min_rate_per_s = 1e9 / static_cast<double>(max_duration_ns);  // 1 per 10 years

// A duration with a unit (ns, us, ms, s, m, h); zero or more, at most 10 years.
parsed<nanos> parse_duration(std::string_view text);

// `ns` written as a scenario file may: in the largest unit that keeps it whole ("1500ms",
// "2m", "0s").
std::string format_duration(nanos ns);

// A number per unit of time (/ns, /us, /ms, /s, /m, /h), returned per second; above zero, at
// most 1e9 per second, and at least one per 10 years (so that a mean gap is a valid duration).
parsed<double> parse_rate(std::string_view text);

// A share from 0 to 1 (`0.1`) or a percentage from 0% to 100% (`10%`), returned as a share.
parsed<double> parse_probability(std::string_view text);

// A distribution of durations; a plain duration is a constant. Parameters are in nanoseconds,
// `text` is the input as written (trimmed). The file of `empirical(FILE)` is read relative to
// files->folder unless FILE is absolute.
parsed<distribution> parse_distribution(std::string_view text, data_files* files = nullptr);

// A plain decimal number (`12`, `-0.5`, `1e3`), nothing else around it.
bool parse_number(std::string_view text, double& out);

}  // namespace svcsim
