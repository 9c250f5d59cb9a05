// The yardstick of call graphs (bench/baseline_calls.hpp, a plain event-queue simulation of a
// scenario's plan) against svcsim on scenarios/order-checkout.yaml, and against the user-signup
// yardstick: each pair must simulate the same model, or the ratio of their times per request
// compares different work.
#include "baseline_calls.hpp"

#include <catch2/catch.hpp>
#include <functional>
#include <stdexcept>
#include <string>

#include "baseline_signup.hpp"
#include "scenarios/load/loader.hpp"
#include "support.hpp"
#include "yardstick_agreement.hpp"

using namespace svcsim;

// Per mode, 8 seeds of 10,000 requests: equal means per seed, and agreeing within their 95%
// intervals (tests/yardstick_agreement.hpp). order-checkout has what user-signup lacks: calls
// nested two deep (orders calls payments, which calls fraud), work after a call, a sync notify
// made of parallel calls, and lognormal, Erlang and uniform work. Checked to fail (every seed,
// and the interval of the mean completion in async mode) with the deliveries' hop dropped
// from the yardstick.
TEST_CASE("baseline-calls: the yardstick simulates what svcsim does on order-checkout", "[bench]") {
  testing::check_agrees_with_svcsim(testing::counted("scenarios/order-checkout.yaml", 10000), 8,
                                    10000, [](auto&&... a) { return bench::run_calls(a...); });
}

// What order-checkout lacks, per mode, 4 seeds of 2,000 requests (tests/scenarios/yardstick-*):
// - one subscribing service of one worker on two topics: its prefetch is one budget for both,
//   and a free slot takes the oldest message of either (fails with a budget per subscription:
//   34.9 against 16.1 ms of completion);
// - a parallel step with a call, a publish and two notifies, one topic pinned to async, a
//   subscriber that calls and publishes, prefetch 3;
// - a zero-work service calling back into its caller: events tie, and a job's answer must
//   leave before the next job starts (fails the other way round: 11.78 against 11.59 ms).
TEST_CASE("baseline-calls: shared prefetch, branches, pinned topics, zero work", "[bench]") {
  for (const char* name :
       {"yardstick-shared-prefetch", "yardstick-branches", "yardstick-zero-work"}) {
    INFO(name);
    testing::check_agrees_with_svcsim(
        testing::counted(std::string("tests/scenarios/") + name + ".yaml", 2000), 4, 2000,
        [](auto&&... a) { return bench::run_calls(a...); });
  }
}

// Calls that wait for each other's workers: svcsim reports requests that never finished; the
// yardstick has no mean to give, and says so.
TEST_CASE("baseline-calls: a run whose requests never finish fails", "[bench]") {
  const scenario s = testing::counted("tests/scenarios/yardstick-deadlock.yaml", 3000);
  CHECK_THROWS_WITH(bench::run_calls(s, mode::sync, 3000, 1),
                    Catch::Matchers::Contains("requests never finished"));
}

// The two yardsticks are written apart (one for user-signup's shape, one over any plan): on
// user-signup they must give the same means, to the last digit.
TEST_CASE("baseline-calls: on user-signup it gives baseline-signup's means", "[bench]") {
  scenario s = testing::counted("scenarios/user-signup.yaml", 5000);
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
  const scenario checkout = testing::from_source("scenarios/order-checkout.yaml");
  for (const mode m : {mode::sync, mode::async}) {
    INFO(to_string(m));
    CHECK(bench::calls_shape_error(checkout, m).empty());
    CHECK(bench::calls_shape_error(testing::from_source("scenarios/user-signup.yaml"), m).empty());
  }
  // One change to order-checkout per rule (services: gateway, orders, inventory, payments,
  // fraud, shipping, notifications; orders' steps: work, call, call, notify, work).
  const auto refused = [&](const std::function<void(scenario&)>& change, mode m) {
    scenario s = checkout;
    change(s);
    return bench::calls_shape_error(s, m);
  };
  const auto call = [](scenario& s) -> call_policy& {
    return s.services[1].endpoints[0].steps[1].policy;
  };
  const std::string calls = "calls must have no timeout, retries, breaker or optional";
  CHECK(refused([&](scenario& s) { call(s).timeout = 1000000; }, mode::sync) == calls);
  CHECK(refused([&](scenario& s) { call(s).retries = 1; }, mode::sync) == calls);
  CHECK(refused([&](scenario& s) { call(s).breaker.failures = 3; }, mode::sync) == calls);
  CHECK(refused([&](scenario& s) { call(s).optional = true; }, mode::sync) == calls);
  // In sync mode the notify is calls, with the policy of its step.
  CHECK(refused([](scenario& s) { s.services[1].endpoints[0].steps[3].policy.retries = 1; },
                mode::sync) == calls);
  const std::string publishes = "publishes must be unconfirmed and without a key";
  CHECK(refused(
            [](scenario& s) {
              s.services[1].endpoints[0].steps[3].publishing.confirm = call_policy{};
            },
            mode::async) == publishes);
  CHECK(refused(
            [](scenario& s) {
              s.services[1].endpoints[0].steps[3].key.k = message_key::kind::request;
            },
            mode::async) == publishes);
  CHECK(refused([](scenario& s) { s.topics[0].partitions = 2; }, mode::async) ==
        "topic 'order.placed' must be unpartitioned");
  const std::string gateway = "service 'gateway': one instance, unlimited queue, blocking";
  CHECK(refused([](scenario& s) { s.services[0].instances = 2; }, mode::sync) == gateway);
  CHECK(refused([](scenario& s) { s.services[0].queue = 10; }, mode::sync) == gateway);
  CHECK(refused([](scenario& s) { s.services[0].blocking = false; }, mode::sync) == gateway);
  const std::string broker = "the broker must have the defaults (capacity, work, durable)";
  CHECK(refused([](scenario& s) { s.broker_capacity = 100; }, mode::async) == broker);
  CHECK(refused([](scenario& s) { s.broker_durable = true; }, mode::async) == broker);
  CHECK(refused([](scenario& s) { s.broker_deliver_work = testing::exp_ms(1); }, mode::async) ==
        broker);
  CHECK(refused([](scenario& s) { s.workloads[0].users = 5; }, mode::sync) ==
        "the workload must be open-loop poisson(RATE) with a constant rate");
  CHECK(refused([](scenario& s) { s.workloads.push_back(s.workloads[0]); }, mode::sync) ==
        "needs exactly one workload");
  CHECK(refused([](scenario& s) { testing::add_failure(s, 4, failure_kind::crash, 1000, 10); },
                mode::sync) == "failures are not modelled");
  CHECK_THROWS_AS(bench::run_calls(checkout, mode::sync, 0, 1), std::invalid_argument);
}
