#include "scenarios/load/units.hpp"

#include <cctype>
#include <charconv>
#include <cmath>
#include <cstdio>
#include <cstring>
#include <memory>
#include <vector>

#include "scenarios/load/suggest.hpp"

namespace svcsim {
namespace {

// Nanoseconds in one unit; 0 when the unit is unknown.
double unit_ns(std::string_view unit) {
  if (unit == "ns") return 1;
  if (unit == "us") return 1e3;
  if (unit == "ms") return 1e6;
  if (unit == "s") return 1e9;
  if (unit == "m") return 60e9;
  if (unit == "h") return 3600e9;
  return 0;
}

}  // namespace

std::string_view trim(std::string_view s) {
  while (!s.empty() && std::isspace(static_cast<unsigned char>(s.front()))) s.remove_prefix(1);
  while (!s.empty() && std::isspace(static_cast<unsigned char>(s.back()))) s.remove_suffix(1);
  return s;
}

bool parse_number(std::string_view text, double& out) {
  text = trim(text);
  if (text.empty()) return false;
  std::string_view digits = text;
  if (digits.front() == '+' || digits.front() == '-') digits.remove_prefix(1);
  // Only plain decimals: no "inf", "nan" or hex spellings.
  if (digits.empty() ||
      !(std::isdigit(static_cast<unsigned char>(digits.front())) || digits.front() == '.'))
    return false;
  double value = 0;
  const auto result = std::from_chars(digits.data(), digits.data() + digits.size(), value,
                                      std::chars_format::general);
  if (result.ec != std::errc() || result.ptr != digits.data() + digits.size()) return false;
  if (!std::isfinite(value)) return false;
  out = text.front() == '-' ? -value : value;
  return true;
}

parsed<nanos> parse_duration(std::string_view raw) {
  const std::string_view text = trim(raw);
  if (text.empty())
    return failed<nanos>("a duration is missing; write one with a unit, e.g. '2ms'");
  if (text.find('(') != std::string_view::npos)
    return failed<nanos>(quoted(text) +
                         " is a distribution, but a fixed duration is needed here; "
                         "write one with a unit, e.g. '2ms'");
  std::size_t split = text.size();
  while (split > 0 && std::isalpha(static_cast<unsigned char>(text[split - 1]))) --split;
  const std::string_view number = trim(text.substr(0, split));
  const std::string_view unit = text.substr(split);
  double value = 0;
  if (!parse_number(number, value))
    return failed<nanos>(quoted(text) +
                         " is not a duration; write a number with a unit, e.g. '2ms' or '1.5s'");
  if (unit.empty())
    return failed<nanos>("duration " + quoted(text) + " has no unit; write it with one, e.g. '" +
                         std::string(number) + "ms' or '" + std::string(number) + "s'");
  const double scale = unit_ns(unit);
  if (scale == 0)
    return failed<nanos>("duration " + quoted(text) + " has an unknown unit " + quoted(unit) +
                         "; use ns, us, ms, s, m or h, e.g. '" + std::string(number) + "s'");
  if (value < 0)
    return failed<nanos>("duration " + quoted(text) + " is negative; write zero or more, e.g. '" +
                         std::string(number.substr(1)) + std::string(unit) + "'");
  const double ns = value * scale;
  if (ns > static_cast<double>(max_duration_ns))
    return failed<nanos>("duration " + quoted(text) +
                         " is longer than the limit of 10 years; write at most '87660h'");
  parsed<nanos> p;
  p.value = static_cast<nanos>(std::llround(ns));
  return p;
}

std::string format_duration(nanos ns) {
  if (ns == 0) return "0s";
  for (const char* unit : {"h", "m", "s", "ms", "us"}) {
    const auto scale = static_cast<nanos>(unit_ns(unit));
    if (ns % scale == 0) return std::to_string(ns / scale) + unit;
  }
  return std::to_string(ns) + "ns";
}

parsed<double> parse_rate(std::string_view raw) {
  const std::string_view text = trim(raw);
  const std::size_t slash = text.find('/');
  double value = 0;
  if (slash == std::string_view::npos) {
    if (parse_number(text, value))
      return failed<double>("rate " + quoted(text) +
                            " has no time unit; write it per unit of time, e.g. '" +
                            std::string(text) + "/s' or '" + std::string(text) + "/m'");
    return failed<double>(quoted(text) +
                          " is not a rate; write a number per unit of time, e.g. '200/s'");
  }
  const std::string_view number = trim(text.substr(0, slash));
  const std::string_view unit = trim(text.substr(slash + 1));
  if (!parse_number(number, value))
    return failed<double>(quoted(text) +
                          " is not a rate; write a number per unit of time, e.g. '200/s'");
  const double scale = unit_ns(unit);
  if (scale == 0)
    return failed<double>("rate " + quoted(text) + " has an unknown time unit " + quoted(unit) +
                          "; use /ns, /us, /ms, /s, /m or /h, e.g. '" + std::string(number) +
                          "/s'");
  if (value <= 0)
    return failed<double>("rate " + quoted(text) +
                          " is not above zero; write a positive rate, "
                          "e.g. '1/s'");
  const double per_s = value * 1e9 / scale;
  if (per_s > max_rate_per_s)
    return failed<double>("rate " + quoted(text) +
                          " is above the limit of 1000000000/s; write a lower rate");
  if (per_s < min_rate_per_s)
    return failed<double>("rate " + quoted(text) +
                          " is below one per 10 years, the lowest allowed; write a higher rate, "
                          "e.g. '1/h'");
  parsed<double> p;
  p.value = per_s;
  return p;
}

parsed<double> parse_probability(std::string_view raw) {
  const std::string_view text = trim(raw);
  const bool percent = !text.empty() && text.back() == '%';
  double value = 0;
  if (!parse_number(percent ? text.substr(0, text.size() - 1) : text, value))
    return failed<double>(quoted(text) +
                          " is not a probability; write a share from 0 to 1, "
                          "e.g. '0.1', or a percentage, e.g. '10%'");
  if (percent) value /= 100;
  if (value < 0 || value > 1)
    return failed<double>("probability " + quoted(text) +
                          (percent ? " is not between 0% and 100%" : " is not between 0 and 1") +
                          "; write e.g. '0.1' or '10%'");
  parsed<double> p;
  p.value = value;
  return p;
}

namespace {

struct law {
  const char* name;
  std::size_t arity;
  const char* arguments;
  const char* example;
};

const law laws[] = {
    {"const", 1, "the value", "const(2ms)"},
    {"exp", 1, "the mean", "exp(2ms)"},
    {"uniform", 2, "low and high", "uniform(1ms, 3ms)"},
    {"normal", 2, "mean and standard deviation", "normal(5ms, 1ms)"},
    {"lognormal", 2, "mean and standard deviation", "lognormal(5ms, 2ms)"},
    {"erlang", 2, "phases and total mean", "erlang(4, 2ms)"},
    {"hyperexp", 3, "probability, mean a and mean b", "hyperexp(0.9, 1ms, 10ms)"},
};

std::vector<std::string_view> split_arguments(std::string_view inside) {
  std::vector<std::string_view> out;
  if (trim(inside).empty()) return out;
  std::size_t start = 0;
  for (;;) {
    const std::size_t comma = inside.find(',', start);
    out.push_back(trim(inside.substr(start, comma - start)));
    if (comma == std::string_view::npos) break;
    start = comma + 1;
  }
  return out;
}

}  // namespace

parsed<distribution> parse_distribution(std::string_view raw, data_files* files) {
  const std::string_view text = trim(raw);
  parsed<distribution> p;
  p.value.text = std::string(text);
  const std::size_t open = text.find('(');
  if (open == std::string_view::npos) {
    auto d = parse_duration(text);
    if (!d.ok()) return failed<distribution>(d.error);
    p.value.a = static_cast<double>(d.value);
    return p;
  }
  const std::string name(trim(text.substr(0, open)));
  if (name == "empirical") {
    if (text.back() != ')')
      return failed<distribution>("distribution " + quoted(text) +
                                  " lacks its closing ')'; "
                                  "write e.g. 'empirical(data/latency.csv)'");
    return read_empirical(text.substr(open + 1, text.size() - open - 2), files, p.value);
  }
  const law* chosen = nullptr;
  std::vector<std::string> names;
  for (const law& l : laws) {
    names.push_back(l.name);
    if (name == l.name) chosen = &l;
  }
  if (!chosen) {
    return failed<distribution>(
        "unknown distribution " + quoted(name) + "; " +
        suggestion(name, names,
                   "use one of " + join_names(names, false, "or") + ", e.g. 'exp(2ms)'"));
  }
  if (text.back() != ')')
    return failed<distribution>("distribution " + quoted(text) +
                                " lacks its closing ')'; write "
                                "e.g. '" +
                                chosen->example + "'");
  const auto args = split_arguments(text.substr(open + 1, text.size() - open - 2));
  if (args.size() != chosen->arity)
    return failed<distribution>(name + " takes " + std::to_string(chosen->arity) + " argument" +
                                (chosen->arity == 1 ? "" : "s") + " (" + chosen->arguments +
                                "), not " + std::to_string(args.size()) + "; write e.g. '" +
                                chosen->example + "'");
  distribution& d = p.value;
  // Reads argument i as a duration into `slot`; false (with p.error set) on failure.
  auto duration_arg = [&](std::size_t i, double& slot) {
    auto v = parse_duration(args[i]);
    if (!v.ok()) p.error = v.error;
    slot = static_cast<double>(v.value);
    return v.ok();
  };
  using kind = distribution::kind;
  if (name == "const") {
    d.k = kind::constant;
    if (!duration_arg(0, d.a)) return p;
  } else if (name == "exp") {
    d.k = kind::exponential;
    if (!duration_arg(0, d.a)) return p;
  } else if (name == "uniform") {
    d.k = kind::uniform;
    if (!duration_arg(0, d.a) || !duration_arg(1, d.b)) return p;
    if (d.a > d.b)
      return failed<distribution>(quoted(text) +
                                  " has its low end above its high end; write "
                                  "the low end first, e.g. 'uniform(1ms, 3ms)'");
  } else if (name == "normal" || name == "lognormal") {
    d.k = name == "normal" ? kind::normal : kind::lognormal;
    if (!duration_arg(0, d.a) || !duration_arg(1, d.b)) return p;
    if (d.k == kind::lognormal && d.a <= 0)
      return failed<distribution>(quoted(text) +
                                  " has a mean of zero; a lognormal needs a mean "
                                  "above zero, e.g. 'lognormal(5ms, 2ms)'");
  } else if (name == "erlang") {
    d.k = kind::erlang;
    double phases = 0;
    if (!parse_number(args[0], phases) || phases != std::floor(phases) || phases < 1 ||
        phases > 1000)
      return failed<distribution>("erlang phases " + quoted(args[0]) +
                                  " must be a whole number from 1 to 1000; write e.g. "
                                  "'erlang(4, 2ms)'");
    d.phases = static_cast<int>(phases);
    if (!duration_arg(1, d.a)) return p;
  } else {
    d.k = kind::hyperexp;
    auto prob = parse_probability(args[0]);
    if (!prob.ok()) return failed<distribution>(prob.error);
    d.a = prob.value;
    if (!duration_arg(1, d.b) || !duration_arg(2, d.c)) return p;
  }
  return p;
}

}  // namespace svcsim
