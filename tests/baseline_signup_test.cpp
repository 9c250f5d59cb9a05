// The yardstick of `make bench` (bench/baseline_signup.hpp, a plain event-queue simulation of
// user-signup) against svcsim on scenarios/user-signup.yaml: both must simulate the same model,
// or the ratio of their times per request compares different work.
#include "baseline_signup.hpp"

#include <catch2/catch.hpp>
#include <cmath>
#include <stdexcept>
#include <vector>

#include "actors/simulate.hpp"
#include "scenarios/load/loader.hpp"
#include "studies/mean_ci.hpp"

using namespace svcsim;

namespace {

scenario loaded(const char* name) {
  auto l = load_scenario(std::string(SVCSIM_SOURCE_DIR "/scenarios/") + name);
  if (!l.value) throw std::runtime_error(l.error);
  return *l.value;
}

// The two estimates of one mean agree: the difference of their means lies within the
// half-width of the 95% interval of that difference, sqrt(h1^2 + h2^2) (independent estimates).
void check_agree(const char* what, const mean_interval& svcsim, const mean_interval& yardstick) {
  const double half = std::sqrt(svcsim.half * svcsim.half + yardstick.half * yardstick.half);
  INFO(what << ": svcsim " << svcsim.mean << " +- " << svcsim.half << " ms, yardstick "
            << yardstick.mean << " +- " << yardstick.half << " ms");
  CHECK(std::abs(svcsim.mean - yardstick.mean) <= half);
}

}  // namespace

// Compared, per mode: the mean latency and the mean completion of the workload, over 8
// replications (seeds 1..8) of 20,000 requests each (no warm-up: both start empty, so the
// start-up bias is the same), svcsim's against the yardstick's. They agree when the difference
// of the two means is within the 95% confidence interval of that difference. The two are given
// the same seeds and draw their streams in the same order, so they should agree to the last
// digit, and each seed's means are checked equal to 1e-9 (relative); the statistical check
// stays, as the one that would survive a change in the order of draws. It fails for a
// model that differs by one network hop (0.5 ms; the half-width of the difference is below
// 0.1 ms here). Checked by dropping one hop from the yardstick: in sync the last reply's
// (latency 0.52 ms short), in async a delivery's (completion 0.62 ms short) or even an
// acknowledgement's (completion 0.12 ms short, through the prefetch slots it frees sooner).
TEST_CASE("baseline-signup: the yardstick simulates what svcsim does on user-signup", "[bench]") {
  constexpr int reps = 8;
  constexpr std::int64_t requests = 20000;
  scenario s = loaded("user-signup.yaml");
  s.duration.reset();
  s.requests = requests;
  s.warmup = 0;
  for (const mode m : {mode::sync, mode::async}) {
    INFO("mode " << to_string(m));
    std::vector<double> latency[2], completion[2];  // svcsim, yardstick
    for (int seed = 1; seed <= reps; ++seed) {
      s.seed = static_cast<std::uint64_t>(seed);
      const run_result r = simulate(s, m);
      REQUIRE(r.error.empty());
      const auto& w = r.workloads[0];
      REQUIRE(w.ok == requests);
      latency[0].push_back(w.latency_ms.mean);
      completion[0].push_back(w.completion_ms.mean);
      const auto b = bench::run_signup(s, m, requests, s.seed);
      REQUIRE(b.done == requests);
      latency[1].push_back(b.latency_ms);
      completion[1].push_back(b.completion_ms);
      INFO("seed " << seed);  // the same draws in the same order: the same means
      CHECK(latency[0].back() == Approx(latency[1].back()).epsilon(1e-9));
      CHECK(completion[0].back() == Approx(completion[1].back()).epsilon(1e-9));
    }
    check_agree("mean latency", mean_ci(latency[0]), mean_ci(latency[1]));
    check_agree("mean completion", mean_ci(completion[0]), mean_ci(completion[1]));
  }
}

TEST_CASE("baseline-signup: takes only scenarios of user-signup's shape", "[bench]") {
  const scenario signup = loaded("user-signup.yaml");
  CHECK(bench::signup_shape_error(signup).empty());
  for (const char* other : {"user-signup-outage.yaml", "order-checkout.yaml", "price-fanout.yaml",
                            "hybrid-signup.yaml", "scale-out.yaml"}) {
    INFO(other);
    CHECK_THROWS_AS(bench::run_signup(loaded(other), mode::sync, 10, 1), std::invalid_argument);
  }
  scenario prefetch_2 = signup;
  prefetch_2.broker_prefetch = 2;
  CHECK_FALSE(bench::signup_shape_error(prefetch_2).empty());
}
