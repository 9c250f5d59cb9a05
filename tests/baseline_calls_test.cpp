// The yardstick of call graphs (bench/baseline_calls.hpp, a plain event-queue simulation of a
// scenario's plan) against svcsim on scenarios/order-checkout.yaml, and against the user-signup
// yardstick: each pair must simulate the same model, or the ratio of their times per request
// compares different work.
#include "baseline_calls.hpp"

#include <catch2/catch.hpp>
#include <stdexcept>

#include "baseline_signup.hpp"
#include "scenarios/load/loader.hpp"
#include "yardstick_agreement.hpp"

using namespace svcsim;

// Per mode, 8 seeds of 10,000 requests: equal means per seed, and agreeing within their 95%
// intervals (tests/yardstick_agreement.hpp). order-checkout has what user-signup lacks: calls
// nested two deep (orders calls payments, which calls fraud), work after a call, a sync notify
// made of parallel calls, and lognormal, Erlang and uniform work. Checked to fail (every seed,
// and the interval of the mean completion in async mode) with the deliveries' hop dropped
// from the yardstick.
TEST_CASE("baseline-calls: the yardstick simulates what svcsim does on order-checkout", "[bench]") {
  testing::check_agrees_with_svcsim(testing::counted("order-checkout.yaml", 10000), 8, 10000,
                                    [](auto&&... a) { return bench::run_calls(a...); });
}

// The two yardsticks are written apart (one for user-signup's shape, one over any plan): on
// user-signup they must give the same means, to the last digit.
TEST_CASE("baseline-calls: on user-signup it gives baseline-signup's means", "[bench]") {
  scenario s = testing::counted("user-signup.yaml", 5000);
  for (const mode m : {mode::sync, mode::async})
    for (std::uint64_t seed : {1, 2, 3}) {
      INFO("mode " << to_string(m) << ", seed " << seed);
      const auto calls = bench::run_calls(s, m, 5000, seed);
      const auto signup = bench::run_signup(s, m, 5000, seed);
      CHECK(calls.done == signup.done);
      CHECK(calls.latency_ms == signup.latency_ms);
      CHECK(calls.completion_ms == signup.completion_ms);
    }
}

TEST_CASE("baseline-calls: takes only scenarios without failures, policies or limits", "[bench]") {
  for (const char* ok : {"order-checkout.yaml", "user-signup.yaml"})
    for (const mode m : {mode::sync, mode::async}) {
      INFO(ok << " " << to_string(m));
      CHECK(bench::calls_shape_error(testing::shipped(ok), m).empty());
    }
  for (const char* other : {"user-signup-outage.yaml", "scale-out.yaml", "partitions.yaml",
                            "retry-storm.yaml", "daily-peak.yaml", "broker-outage.yaml"}) {
    INFO(other);
    CHECK_THROWS_AS(bench::run_calls(testing::shipped(other), mode::sync, 10, 1),
                    std::invalid_argument);
  }
  scenario s = testing::shipped("order-checkout.yaml");
  s.services[1].endpoints[0].steps[1].policy.timeout = 1000000;  // orders' call of inventory
  CHECK(bench::calls_shape_error(s, mode::sync) ==
        "calls must have no timeout, retries, breaker or optional");
  s = testing::shipped("order-checkout.yaml");
  s.services[0].queue = 10;
  CHECK(bench::calls_shape_error(s, mode::async) ==
        "service 'gateway': one instance, unlimited queue, blocking");
  CHECK_THROWS_AS(bench::run_calls(testing::shipped("order-checkout.yaml"), mode::sync, 0, 1),
                  std::invalid_argument);
}
