// The check that a yardstick of `make bench` (bench/yardstick.hpp) simulates what svcsim does on
// a scenario: otherwise the ratio of their times per request would compare different work.
#pragma once

#include <catch2/catch.hpp>
#include <cmath>
#include <stdexcept>
#include <string>
#include <vector>

#include "actors/simulate.hpp"
#include "scenarios/load/loader.hpp"
#include "studies/mean_ci.hpp"
#include "yardstick.hpp"

namespace svcsim::testing {

// The scenario file at PATH (from the source directory), loaded (std::runtime_error with the
// loader's message if it does not load).
inline scenario from_source(const std::string& path) {
  auto l = load_scenario(std::string(SVCSIM_SOURCE_DIR "/") + path);
  if (!l.value) throw std::runtime_error(l.error);
  return *l.value;
}

// The scenario at PATH counting `requests` arrivals, without a warm-up: svcsim and a
// yardstick then start and stop alike.
inline scenario counted(const std::string& path, std::int64_t requests) {
  scenario s = from_source(path);
  s.duration.reset();
  s.requests = requests;
  s.warmup = 0;
  return s;
}

// Per mode: the workload's mean latency and completion over `reps` replications (seeds 1 to
// reps) of `requests` requests each, svcsim's against `run(s, mode, requests, seed)`'s.
// `s` must count its arrivals (`requests`) and have no warm-up, so that both start empty and
// stop alike. The two draw the same streams in the same order, so each seed's means must be
// equal (to 1e-9, relative); and the two estimates must agree statistically, the difference of
// their means within the 95% interval of that difference, sqrt(h1^2 + h2^2) for independent
// estimates (the check that would survive a change in the order of draws).
template <class Run>
void check_agrees_with_svcsim(scenario s, int reps, std::int64_t requests, Run run) {
  const auto agree = [](const char* what, const mean_interval& a, const mean_interval& b) {
    const double half = std::sqrt(a.half * a.half + b.half * b.half);
    INFO(what << ": svcsim " << a.mean << " +- " << a.half << " ms, yardstick " << b.mean << " +- "
              << b.half << " ms");
    CHECK(std::abs(a.mean - b.mean) <= half);
  };
  for (const mode m : {mode::sync, mode::async}) {
    INFO("mode " << to_string(m));
    std::vector<double> latency[2], completion[2];  // svcsim, yardstick
    for (int seed = 1; seed <= reps; ++seed) {
      INFO("seed " << seed);
      s.seed = static_cast<std::uint64_t>(seed);
      const run_result r = simulate(s, m);
      REQUIRE(r.error.empty());
      const auto& w = r.workloads[0];
      REQUIRE(w.ok == requests);
      latency[0].push_back(w.latency_ms.mean);
      completion[0].push_back(w.completion_ms.mean);
      const bench::yardstick_result b = run(s, m, requests, s.seed);
      REQUIRE(b.done == requests);
      latency[1].push_back(b.latency_ms);
      completion[1].push_back(b.completion_ms);
      CHECK(latency[0].back() == Approx(latency[1].back()).epsilon(1e-9));
      CHECK(completion[0].back() == Approx(completion[1].back()).epsilon(1e-9));
    }
    agree("mean latency", mean_ci(latency[0]), mean_ci(latency[1]));
    agree("mean completion", mean_ci(completion[0]), mean_ci(completion[1]));
  }
}

}  // namespace svcsim::testing
