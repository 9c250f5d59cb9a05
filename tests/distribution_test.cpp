// Distributions of durations: what each written form parses to, and that sampling matches the
// law's mean and variance.
#include "scenarios/distribution.hpp"

#include <algorithm>
#include <catch2/catch.hpp>
#include <cmath>
#include <fstream>
#include <string>
#include <vector>

#include "engine/random.hpp"
#include "engine/sampling.hpp"
#include "scenarios/load/units.hpp"
#include "temp_folder.hpp"

using namespace svcsim;
using kind = distribution::kind;

namespace {

distribution parse_ok(const std::string& text) {
  const auto d = parse_distribution(text);
  INFO(text << " -> " << d.error);
  REQUIRE(d.ok());
  return d.value;
}

std::string parse_error(const std::string& text) {
  const auto d = parse_distribution(text);
  REQUIRE_FALSE(d.ok());
  return d.error;
}

// Draws n samples and checks their mean and variance against the law's.
//
// Tolerance: with n independent draws the sample mean has standard error sd/sqrt(n), and the
// sample variance has standard error sqrt((m4 - var^2) / n), m4 being the fourth central
// moment (estimated here from the same sample, which works for every kind without a formula
// per law). We allow 5 standard errors: a correct sampler fails with probability below 1e-6
// per check (normal approximation, fine at n = 200,000 even for the skewed laws), while a
// wrong parameterisation (e.g. rate for mean, or sd for variance) is off by far more. The
// generator is seeded, so the outcome is also reproducible.
void check_moments(const distribution& d, std::uint64_t seed) {
  constexpr int n = 200000;
  rng r(seed);
  double sum = 0;
  int negative = 0;
  std::vector<double> xs(n);
  for (auto& x : xs) {
    x = static_cast<double>(sample(d, r));
    negative += x < 0;
    sum += x;
  }
  CHECK(negative == 0);
  const double mean = sum / n;
  double m2 = 0, m4 = 0;
  for (double x : xs) {
    const double dev2 = (x - mean) * (x - mean);
    m2 += dev2;
    m4 += dev2 * dev2;
  }
  const double var = m2 / (n - 1);
  m4 /= n;
  const double mean_se = std::sqrt(d.variance() / n);
  const double var_se = std::sqrt(std::max(m4 - var * var, 0.0) / n);
  INFO(d.text << ": mean " << mean << " vs " << d.mean() << " (se " << mean_se << "), variance "
              << var << " vs " << d.variance() << " (se " << var_se << ")");
  CHECK(std::abs(mean - d.mean()) <= 5 * mean_se);
  CHECK(std::abs(var - d.variance()) <= 5 * var_se);
}

}  // namespace

TEST_CASE("each written distribution parses to its kind and parameters in nanoseconds") {
  auto d = parse_ok("2ms");
  CHECK(d.k == kind::constant);
  CHECK(d.a == 2e6);
  CHECK(d.text == "2ms");
  CHECK(parse_ok("const(1.5s)").a == 1.5e9);
  d = parse_ok("exp(250us)");
  CHECK(d.k == kind::exponential);
  CHECK(d.a == 250e3);
  d = parse_ok(" uniform( 1ms ,3ms ) ");
  CHECK(d.k == kind::uniform);
  CHECK(d.a == 1e6);
  CHECK(d.b == 3e6);
  CHECK(d.text == "uniform( 1ms ,3ms )");
  d = parse_ok("normal(5ms, 1ms)");
  CHECK((d.k == kind::normal && d.a == 5e6 && d.b == 1e6));
  d = parse_ok("lognormal(5ms, 2ms)");
  CHECK((d.k == kind::lognormal && d.a == 5e6 && d.b == 2e6));
  d = parse_ok("erlang(4, 2ms)");
  CHECK((d.k == kind::erlang && d.phases == 4 && d.a == 2e6));
  d = parse_ok("hyperexp(0.9, 1ms, 10ms)");
  CHECK((d.k == kind::hyperexp && d.a == 0.9 && d.b == 1e6 && d.c == 10e6));
  CHECK(parse_ok("hyperexp(25%, 1ms, 10ms)").a == 0.25);
  CHECK(parse_ok("0s").is_zero());
}

TEST_CASE("malformed distributions are refused with what to write instead") {
  CHECK(parse_error("2") == "duration '2' has no unit; write it with one, e.g. '2ms' or '2s'");
  CHECK(parse_error("exp(2)") ==
        "duration '2' has no unit; write it with one, e.g. '2ms' or "
        "'2s'");
  CHECK(parse_error("empirical(data/email-latency.csv)") ==
        "cannot read empirical data 'data/email-latency.csv' (No such file or directory); give "
        "a path relative to the scenario file");
  CHECK(parse_error("expo(2ms)") == "unknown distribution 'expo'; did you mean 'exp'?");
  CHECK(parse_error("weibull(2ms)") ==
        "unknown distribution 'weibull'; use one of const, exp, uniform, normal, lognormal, "
        "erlang or hyperexp, e.g. 'exp(2ms)'");
  CHECK(parse_error("exp(1ms, 2ms)") ==
        "exp takes 1 argument (the mean), not 2; write e.g. 'exp(2ms)'");
  CHECK(parse_error("normal()") ==
        "normal takes 2 arguments (mean and standard deviation), not 0; write e.g. "
        "'normal(5ms, 1ms)'");
  CHECK(parse_error("exp(2ms") ==
        "distribution 'exp(2ms' lacks its closing ')'; write e.g. "
        "'exp(2ms)'");
  CHECK(parse_error("uniform(3ms, 1ms)") ==
        "'uniform(3ms, 1ms)' has its low end above its high end; write the low end first, e.g. "
        "'uniform(1ms, 3ms)'");
  CHECK(parse_error("lognormal(0ms, 1ms)") ==
        "'lognormal(0ms, 1ms)' has a mean of zero; a lognormal needs a mean above zero, e.g. "
        "'lognormal(5ms, 2ms)'");
  CHECK(parse_error("erlang(0, 2ms)") ==
        "erlang phases '0' must be a whole number from 1 to 1000; write e.g. 'erlang(4, 2ms)'");
  CHECK(parse_error("hyperexp(2, 1ms, 10ms)") ==
        "probability '2' is not between 0 and 1; write e.g. '0.1' or '10%'");
  CHECK(parse_error("normal(5ms, -1ms)") ==
        "duration '-1ms' is negative; write zero or more, e.g. '1ms'");
}

TEST_CASE("sampling matches each law's mean and variance") {
  SECTION("constant") {
    const auto d = parse_ok("3ms");
    rng r(1);
    for (int i = 0; i < 1000; ++i) REQUIRE(sample(d, r) == 3000000);
    CHECK(d.variance() == 0);
  }
  SECTION("exponential") { check_moments(parse_ok("exp(2ms)"), 11); }
  SECTION("uniform") { check_moments(parse_ok("uniform(1ms, 3ms)"), 12); }
  // Mean 5 sd from zero: truncation barely matters, but mean() accounts for it anyway.
  SECTION("normal") { check_moments(parse_ok("normal(5ms, 1ms)"), 13); }
  SECTION("normal truncated at 0 (redrawn, not clamped)") {
    const auto d = parse_ok("normal(1ms, 2ms)");
    CHECK(d.mean() == Approx(2.0183e6).epsilon(1e-4));  // 1 + 2 phi(-0.5) / (1 - Phi(-0.5)) ms
    check_moments(d, 17);
  }
  SECTION("lognormal") { check_moments(parse_ok("lognormal(5ms, 2ms)"), 14); }
  SECTION("erlang") { check_moments(parse_ok("erlang(4, 2ms)"), 15); }
  SECTION("hyperexponential") { check_moments(parse_ok("hyperexp(0.9, 1ms, 10ms)"), 16); }
}

TEST_CASE("empirical data: one value a line, sampled uniformly") {
  const svcsim::testing::temp_folder temp("svcsim-empirical");
  const std::string& folder = temp.path();
  data_files files{folder, {}, {}};
  std::ofstream(folder + "/lat.csv") << "latency_ms\n# a comment\n1\n2ms\n\n3000us\n6\n";
  auto d = parse_distribution("empirical(lat.csv)", &files);
  REQUIRE(d.ok());
  CHECK(d.value.k == kind::empirical);
  CHECK(d.value.values->size() == 4);
  CHECK(d.value.mean() == Approx(3e6));
  CHECK(d.value.variance() == Approx(3.5e12));  // values 1, 2, 3, 6 ms
  // Named again, the file is not read again: the values are shared.
  CHECK(parse_distribution("empirical(lat.csv)", &files).value.values == d.value.values);
  check_moments(d.value, 18);
  rng r(1);
  for (int i = 0; i < 1000; ++i) {
    const auto x = sample(d.value, r);
    CHECK((x == 1000000 || x == 2000000 || x == 3000000 || x == 6000000));
  }
  std::ofstream(folder + "/bad.csv") << "1ms\n2 parsecs\n";
  const auto bad = parse_distribution("empirical(bad.csv)", &files);
  CHECK(bad.error ==
        "empirical data 'bad.csv' line 2: '2 parsecs' is neither a duration (e.g. "
        "'12ms') nor a number of milliseconds (e.g. '12.5'); write one value a line");
  std::ofstream(folder + "/empty.csv") << "# nothing\n";
  CHECK(parse_distribution("empirical(empty.csv)", &files).error ==
        "empirical data 'empty.csv' holds no value; write one duration (e.g. '12ms') or number "
        "of milliseconds a line");
  std::ofstream(folder + "/bom.csv") << "\xEF\xBB\xBF"
                                     << "1\r\n2\r\n";  // Excel's CSV
  CHECK(parse_distribution("empirical(bom.csv)", &files).value.values->size() == 2);
  std::ofstream(folder + "/late-header.csv") << "# exported\nlatency_ms\n5\n";
  CHECK(parse_distribution("empirical(late-header.csv)", &files).value.values->size() == 1);
  std::ofstream(folder + "/negative.csv") << "-5\n1\n";
  CHECK(parse_distribution("empirical(negative.csv)", &files).error ==
        "empirical data 'negative.csv' line 1: '-5' is negative; durations are never below 0; "
        "write one value a line");
  std::ofstream(folder + "/huge.csv") << "1\n1e15\n";
  CHECK(parse_distribution("empirical(huge.csv)", &files).error ==
        "empirical data 'huge.csv' line 2: '1e15' is more than 10 years; write one value a line");
  CHECK(parse_distribution("empirical()", &files).error ==
        "empirical needs a data file; write e.g. 'empirical(data/latency.csv)'");
}

TEST_CASE("a sample is rounded to nanoseconds as std::llround rounds, halves away from zero") {
  rng r = rng::for_party(5, "rounding");
  std::vector<double> xs{0.5,        1.5,
                         2.5,        0.49999999999999994,
                         1e15 + 0.5, 4503599627370495.5,
                         0x1p52,     0x1p62 - 1024,
                         0x1p62,     3e18,
                         7.0,        1e-300};
  for (int i = 0; i < 100000; ++i) xs.push_back(r.uniform01() * std::ldexp(1.0, i % 64));
  for (const double x : xs) {
    distribution d;
    d.k = kind::constant;
    d.a = x;
    INFO(x);
    CHECK(sample(d, r) == std::llround(x));
  }
  distribution d;
  d.a = -2.5;
  CHECK(sample(d, r) == 0);
}
