// Rate profiles (`rate:` steps and ramps, `daily:`): the inversion of the cumulative rate, exact
// arrival counts for constant arrivals, Poisson counts per step within statistical bounds, ramps
// per half, the timeline's offered rate, no steady-state warning, determinism across --jobs, and
// the exact text of each loader error.
#include <algorithm>
#include <catch2/catch.hpp>
#include <cmath>
#include <nlohmann/json.hpp>
#include <string>
#include <vector>

#include "actors/simulate.hpp"
#include "engine/arrivals.hpp"
#include "engine/offered_load.hpp"
#include "report/describe.hpp"
#include "report/json_report.hpp"
#include "scenarios/load/loader.hpp"
#include "studies/replicate.hpp"

using namespace svcsim;

namespace {

constexpr double sec = 1e9;

// One service (`workers` x `work`), one workload with `arrivals` and `profile` (YAML lines).
std::string yaml(const std::string& arrivals, const std::string& profile,
                 const std::string& duration = "6s", const std::string& work = "1ms",
                 int workers = 64) {
  return "name: p\nduration: " + duration +
         "\nservices:\n  users:\n    workers: " + std::to_string(workers) +
         "\n    endpoints:\n      create: {work: " + work +
         "}\nworkloads:\n  - name: signup\n    target: users.create\n    arrivals: " + arrivals +
         "\n    " + profile + "\n";
}

scenario load_ok(const std::string& text) {
  auto r = parse_scenario(text, "s.yaml");
  INFO(r.error);
  REQUIRE(r.value);
  return *r.value;
}

std::string error_of(const std::string& text) {
  auto r = parse_scenario(text, "s.yaml");
  CHECK_FALSE(r.value);
  return r.error;
}

// Arrivals of the scenario's first workload per interval [edges[i], edges[i+1]) (seconds).
std::vector<std::int64_t> counts(const scenario& s, const std::vector<double>& edges,
                                 std::uint64_t seed) {
  arrival_stream a(s.workloads[0], seed);
  std::vector<std::int64_t> out(edges.size() - 1, 0);
  for (;;) {
    const double t = static_cast<double>(a.next()) / sec;
    if (t >= edges.back()) return out;
    for (std::size_t i = 0; i + 1 < edges.size(); ++i)
      if (t >= edges[i] && t < edges[i + 1]) ++out[i];
  }
}

// The mean over `seeds` seeds of counts().
std::vector<double> mean_counts(const scenario& s, const std::vector<double>& edges, int seeds) {
  std::vector<double> sum(edges.size() - 1, 0);
  for (int seed = 1; seed <= seeds; ++seed) {
    const auto c = counts(s, edges, static_cast<std::uint64_t>(seed));
    for (std::size_t i = 0; i < c.size(); ++i) sum[i] += static_cast<double>(c[i]);
  }
  for (auto& x : sum) x /= seeds;
  return sum;
}

const std::string steps = "rate: [{for: 2s, rate: 10/s}, {for: 1s, rate: 100/s}]";

}  // namespace

TEST_CASE("a profile's cumulative rate and its inverse agree") {
  for (const auto& profile :
       {steps, std::string("rate: [{for: 10s, from: 0/s, to: 200/s}, {for: 1s, rate: 0/s}]"),
        std::string("daily: {peak: 300/s, low: 100/s, period: 10s}")}) {
    INFO(profile);
    const auto s = load_ok(yaml("poisson", profile));
    const auto& p = *s.workloads[0].profile;
    for (double m : {0.0, 0.5, 1.0, 19.9, 20.0, 57.3, 119.0, 1000.0, 12345.6})
      CHECK(p.arrivals_by(p.time_of(m)) == Approx(m).margin(1e-6));
    double worst = 0;  // densely, over several cycles: within a nanosecond's worth
    for (double m = 0; m < 5000; m += 0.37)
      worst = std::max(worst, std::abs(p.arrivals_by(p.time_of(m)) - m));
    CHECK(worst < 1e-6);
    CHECK(s.workloads[0].rate_per_s == Approx(p.mean_per_s()));
  }
  const auto d = load_ok(yaml("poisson", "daily: {peak: 300/s, low: 100/s, period: 10s}"));
  const auto& p = *d.workloads[0].profile;
  CHECK(p.mean_per_s() == Approx(200));
  CHECK(p.rate_at(0) == Approx(100));
  CHECK(p.rate_at(5 * sec) == Approx(300));
  CHECK(p.rate_at(15 * sec) == Approx(300));  // repeats
  CHECK(p.peak() == 300);
}

TEST_CASE(
    "a profile of many steps: lookups by binary search agree with the steps, and the "
    "load line shows its first three steps and its last") {
  // 1000 steps of 10 ms: rate k/s for k = 0..999, every fifth step a pause.
  std::string list = "rate: [";
  double expected_cycle = 0;  // arrivals in one cycle: sum of k/s x 10 ms
  for (int k = 0; k < 1000; ++k) {
    const int r = k % 5 == 0 ? 0 : k;
    list += std::string(k ? ", " : "") + "{for: 10ms, rate: " + std::to_string(r) + "/s}";
    expected_cycle += r * 0.01;
  }
  const auto s = load_ok(yaml("poisson", list + "]"));
  const auto& p = *s.workloads[0].profile;
  CHECK(p.arrivals_by(10 * sec) == Approx(expected_cycle));
  CHECK(p.rate_at(0.5 * sec + 5e6) == 50 * 0);  // step 50: a pause
  CHECK(p.rate_at(0.51 * sec + 5e6) == 51);
  CHECK(p.time_of(0) == 0.01 * sec);  // the first step with a rate
  double worst = 0;
  for (double m = 0; m < 3 * expected_cycle; m += 7.3)
    worst = std::max(worst, std::abs(p.arrivals_by(p.time_of(m)) - m));
  CHECK(worst < 1e-6);
  CHECK(load_lines(s).front() ==
        "signup: poisson, steps 0.01s at 0/s, 0.01s at 1/s, 0.01s at 2/s, 996 more, 0.01s at "
        "999/s; mean 400/s, peak 999/s, repeated every 10s; for 6 s");
}

TEST_CASE("constant arrivals never go back in time, though a cycle's arrivals are inexact") {
  // 2.2 and 18.1 arrivals per cycle are not exact in binary: m - cycles x per_cycle may round
  // to just below 0 at a cycle's start, which must give that cycle's start, not the next's.
  for (const auto& profile :
       {std::string("rate: [{for: 100ms, rate: 22/s}, {for: 900ms, rate: 0}]"),
        std::string("rate: [{for: 100ms, rate: 181/s}, {for: 900ms, rate: 0}]"),
        std::string("rate: [{for: 1s, rate: 0}, {for: 100ms, rate: 181/s}]")}) {
    INFO(profile);
    const auto s = load_ok(yaml("constant", profile));
    const auto& p = *s.workloads[0].profile;
    double last = 0;
    int backwards = 0;
    for (int n = 0; n < 20000; ++n) {
      const double t = p.time_of(n);
      backwards += t < last;
      last = t;
    }
    CHECK(backwards == 0);
  }
}

TEST_CASE("constant arrivals follow a step profile exactly, and the profile repeats") {
  const auto s = load_ok(yaml("constant", steps));
  CHECK(s.workloads[0].profile->peak() == 100);
  CHECK(s.workloads[0].rate_per_s == Approx(40));  // (20 + 100) / 3 s
  CHECK(counts(s, {0, 2, 3, 5, 6}, 1) == std::vector<std::int64_t>{20, 100, 20, 100});

  // The whole run: sent per 1 s bucket, and the offered rate beside it.
  const auto r = simulate(s, mode::async);
  const auto& w = r.timeline.workloads[0];
  REQUIRE(w.sent.size() >= 6);
  CHECK(std::vector<std::int64_t>(w.sent.begin(), w.sent.begin() + 6) ==
        std::vector<std::int64_t>{10, 10, 100, 10, 10, 100});
  REQUIRE(w.rate_per_s.size() == w.sent.size());
  for (std::size_t k = 0; k < 6; ++k) CHECK(w.rate_per_s[k] == Approx(w.sent[k]));
  CHECK(r.workloads[0].requests == 240);
  // The offered load counts the peak: 100/s, not the mean 40/s.
  CHECK(offered_load_of(compile(s, mode::sync)).rows[0].jobs_per_s == Approx(100));
}

TEST_CASE("the JSON timeline has rate_per_s for a profiled workload only") {
  auto s = load_ok(yaml("constant", steps));
  auto second = s.workloads[0];  // the same target at a fixed rate, beside it
  second.name = "fixed";
  second.profile.reset();
  second.rate_per_s = 5;
  s.workloads.push_back(second);
  report rep;
  rep.scenario = "p";
  rep.runs.push_back(simulate(s, mode::async));
  const auto j = nlohmann::json::parse(to_json(rep));
  const auto& tl = j["runs"][0]["timeline"];
  CHECK_FALSE(tl["workloads"]["fixed"].contains("rate_per_s"));
  const auto& rate = tl["workloads"]["signup"]["rate_per_s"];
  REQUIRE(rate.size() == tl["t_s"].size());
  CHECK(rate[0] == Approx(10));
  CHECK(rate[2] == Approx(100));
  CHECK(rate[5] == Approx(100));
  for (std::size_t k = 6; k < rate.size(); ++k) CHECK(rate[k] == 0);  // from duration on
}

TEST_CASE("Poisson arrivals per step have the step's rate, over seeds") {
  const auto s =
      load_ok(yaml("poisson", "rate: [{for: 5s, rate: 100/s}, {for: 5s, rate: 400/s}]", "10s"));
  // 40 seeds: the mean count has a standard deviation of sqrt(rate x 5 s / 40); allow 4 of them.
  const auto mean = mean_counts(s, {0, 5, 10}, 40);
  CHECK(std::abs(mean[0] - 500) < 4 * std::sqrt(500.0 / 40));
  CHECK(std::abs(mean[1] - 2000) < 4 * std::sqrt(2000.0 / 40));
  // The empirical rate per 1 s bucket of one run: within 5 standard deviations of its step's.
  const auto one = counts(s, {0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10}, 7);
  for (int k = 0; k < 10; ++k) {
    const double rate = k < 5 ? 100 : 400;
    CHECK(std::abs(static_cast<double>(one[k]) - rate) < 5 * std::sqrt(rate));
  }
}

TEST_CASE("a ramp sends a quarter of its arrivals in its first half") {
  const std::string ramp = "rate: [{for: 10s, from: 0/s, to: 200/s}]";
  // 0 -> 200/s over 10 s: 250 arrivals in [0, 5 s), 750 in [5 s, 10 s).
  CHECK(counts(load_ok(yaml("constant", ramp, "10s")), {0, 5, 10}, 1) ==
        std::vector<std::int64_t>{250, 750});
  const auto mean = mean_counts(load_ok(yaml("poisson", ramp, "10s")), {0, 5, 10}, 40);
  CHECK(std::abs(mean[0] - 250) < 4 * std::sqrt(250.0 / 40));
  CHECK(std::abs(mean[1] - 750) < 4 * std::sqrt(750.0 / 40));
  // A falling ramp: the other way round.
  CHECK(counts(load_ok(yaml("constant", "rate: [{for: 10s, from: 200/s, to: 0/s}]", "10s")),
               {0, 5, 10}, 1) == std::vector<std::int64_t>{750, 250});
}

TEST_CASE("daily arrivals follow the sinusoid") {
  const auto s = load_ok(yaml("poisson", "daily: {peak: 300/s, low: 100/s, period: 10s}", "10s"));
  const auto& p = *s.workloads[0].profile;
  const auto mean = mean_counts(s, {0, 2, 4, 6, 8, 10}, 40);
  for (int i = 0; i < 5; ++i) {
    const double expected = p.arrivals_by((2 * i + 2) * sec) - p.arrivals_by(2 * i * sec);
    CHECK(std::abs(mean[i] - expected) < 4 * std::sqrt(expected / 40));
  }
  CHECK(mean[2] > 2 * mean[0]);  // the peak in the middle
}

TEST_CASE("a profile raises no steady-state warning, though its load changes") {
  // 1 worker x 5 ms: 20% busy, then 110% (overloaded): latency keeps changing.
  const auto v1 = load_ok(yaml("poisson(220/s)", "", "20s", "const(5ms)", 1));
  const auto v1_run = simulate(v1, mode::async);
  bool warned = false;
  for (const auto& w : v1_run.warnings) warned = warned || w.find("steady state") != w.npos;
  CHECK(warned);  // the check is live for a workload without a profile
  const auto s = load_ok(yaml("poisson", "rate: [{for: 10s, rate: 40/s}, {for: 10s, rate: 220/s}]",
                              "20s", "const(5ms)", 1));
  const auto r = simulate(s, mode::async);
  for (const auto& w : r.warnings) {
    CHECK(w.find("steady state") == w.npos);
    CHECK(w.find("warming up") == w.npos);
  }
}

TEST_CASE("the same seed gives the same profiled run, for any number of jobs") {
  const auto s = load_ok(yaml("poisson", "daily: {peak: 300/s, low: 50/s, period: 4s}", "8s"));
  const auto one = replicate(s, mode::sync, 4, 1);
  const auto two = replicate(s, mode::sync, 4, 2);
  REQUIRE(one.size() == two.size());
  for (std::size_t i = 0; i < one.size(); ++i) {
    CHECK(one[i].workloads[0].requests == two[i].workloads[0].requests);
    CHECK(one[i].workloads[0].latency_ms.mean == two[i].workloads[0].latency_ms.mean);
  }
  CHECK(one[0].timeline.workloads[0].sent == two[0].timeline.workloads[0].sent);
  CHECK(one[0].workloads[0].requests != one[1].workloads[0].requests);  // replications differ
}

TEST_CASE("loader errors of rate profiles") {
  const auto with = [](const std::string& arrivals, const std::string& profile) {
    return error_of(yaml(arrivals, profile));
  };
  CHECK(with("poisson(200/s)", steps) ==
        "s.yaml:11:15: error: arrivals 'poisson(200/s)' names a rate, and so does the workload's "
        "profile; name the process only, e.g. 'arrivals: poisson'");
  CHECK(with("poisson", "") ==
        "s.yaml:11:15: error: arrivals 'poisson' must name a process and a rate; write e.g. "
        "'arrivals: poisson(200/s)' or 'arrivals: constant(200/s)', or add a profile ('rate: "
        "[{for: 10m, rate: 100/s}]')");
  CHECK(with("poison", steps) ==
        "s.yaml:11:15: error: unknown arrival process 'poison'; did you "
        "mean 'poisson'?");
  const std::string list_hint =
      "write a list of steps, e.g. 'rate: [{for: 10m, rate: 100/s}, {for: 5m, from: 100/s, to: "
      "400/s}]'";
  CHECK(with("poisson", "rate: 100/s") ==
        "s.yaml:12:11: error: 'rate' of workload 'signup' must be a list, not a single value; " +
            list_hint);
  CHECK(with("poisson", "rate: []") ==
        "s.yaml:12:11: error: 'rate' of workload 'signup' is empty; " + list_hint);
  CHECK(with("poisson", "rate: [5s]") ==
        "s.yaml:12:12: error: step #1 of workload 'signup' must be a mapping, not a single value; "
        "write e.g. '{for: 10m, rate: 100/s}'");
  CHECK(with("poisson", "rate: [{rate: 100/s}]") ==
        "s.yaml:12:12: error: step #1 of workload 'signup' has no length; add e.g. 'for: 10m'");
  CHECK(with("poisson", "rate: [{for: 0s, rate: 1/s}]") ==
        "s.yaml:12:18: error: 'for' must be more than zero; write e.g. 'for: 10m'");
  CHECK(with("poisson", "rate: [{for: 5s, rate: 100/s, from: 1/s}]") ==
        "s.yaml:12:35: error: step #1 of workload 'signup' has both rate (a step) and from (a "
        "ramp); keep one, e.g. 'rate: 100/s' or 'from: 100/s, to: 400/s'");
  CHECK(with("poisson", "rate: [{for: 5s, from: 1/s}]") ==
        "s.yaml:12:12: error: step #1 of workload 'signup' has no rate; add e.g. 'rate: 100/s', "
        "or 'from: 100/s, to: 400/s' for a ramp");
  CHECK(with("poisson", "rate: [{for: 5s, rate: 0/s}]") ==
        "s.yaml:12:11: error: every step of workload 'signup' has rate 0, so it would never send; "
        "give one step a rate above zero, e.g. 'rate: 100/s'");
  CHECK(with("poisson", "rate: [{for: 5s, rat: 1/s}]") ==
        "s.yaml:12:22: error: unknown key 'rat' in step #1 of workload 'signup'; did you mean "
        "'rate'?");
  CHECK(with("poisson", "rate: [{for: 5s, rate: -1/s}]") ==
        "s.yaml:12:28: error: rate '-1/s' is not above zero; write a positive rate, e.g. '1/s'");
  const std::string daily_hint = "'daily: {peak: 400/s, low: 50/s, period: 24h}'";
  CHECK(with("poisson", "daily: 5") ==
        "s.yaml:12:12: error: 'daily' of workload 'signup' must be a mapping, not a single value; "
        "write e.g. " +
            daily_hint);
  CHECK(with("poisson", "daily: {low: 5/s}") ==
        "s.yaml:12:12: error: 'daily' of workload 'signup' has no peak rate; write e.g. " +
            daily_hint);
  CHECK(with("poisson", "daily: {low: 5/s, peak: 1/s}") ==
        "s.yaml:12:18: error: 'daily' of workload 'signup' has low '5/s' above peak '1/s'; write "
        "a low of at most the peak, e.g. " +
            daily_hint);
  CHECK(with("poisson", "daily: {low: 0/s, peak: 0/s}") ==
        "s.yaml:12:29: error: 'daily' of workload 'signup' has peak 0, so it would never send; "
        "give it a peak above zero, e.g. " +
            daily_hint);
  CHECK(with("poisson", "daily: {low: 5/s, peak: 10/s, period: 0s}") ==
        "s.yaml:12:43: error: 'period' must be more than zero; write e.g. 'period: 24h'");
  CHECK(with("poisson", steps + "\n    daily: {low: 5/s, peak: 10/s}") ==
        "s.yaml:13:5: error: workload 'signup' has both rate (steps) and daily; keep one, e.g. "
        "'rate: [{for: 10m, rate: 100/s}]' or 'daily: {peak: 400/s, low: 50/s}'");
  CHECK(error_of(
            yaml("poisson", steps).replace(yaml("poisson", steps).find("    arrivals"), 22, "")) ==
        "s.yaml:11:5: error: workload 'signup' has a rate profile but no arrivals; add 'arrivals: "
        "poisson' (or 'arrivals: constant') beside it");
}

TEST_CASE("profile: a leading pause sends nothing; steps may not add up past 10 years") {
  // constant: the first arrival at the start of the first step with a rate, at 3 s.
  const auto paused =
      load_ok(yaml("constant", "rate: [{for: 3s, rate: 0/s}, {for: 2s, rate: 10/s}]", "10s"));
  CHECK(counts(paused, {0, 3, 5, 8, 10}, 1) == std::vector<std::int64_t>{0, 20, 0, 20});
  std::string many = "rate: [";
  for (int i = 0; i < 30; ++i) many += std::string(i ? ", " : "") + "{for: 87660h, rate: 10/s}";
  const auto error = error_of(yaml("poisson", many + "]", "10s"));
  CHECK(error.find("last more than 10 years in all; shorten them (the profile repeats until "
                   "duration)") != std::string::npos);
}
