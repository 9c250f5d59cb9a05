// The engine against queueing theory. Each run simulates 1,000,000 requests; at these loads
// the standard error of the mean sojourn is well under 1%, so the 3% tolerance leaves room
// without hiding a modelling error (a missing hop or a wrong queue discipline shifts the mean
// by far more).
#include "actors/simulate.hpp"
#include "support.hpp"

#include <catch2/catch.hpp>

#include <cmath>

using namespace svcsim;
using namespace svcsim::testing;

namespace {

constexpr std::int64_t n = 1000000;

const workload_result& only_workload(const run_result& r) { return r.workloads.at(0); }

}  // namespace

TEST_CASE("M/M/1: mean and p99 sojourn match 1/(mu-lambda) and ln(100)/(mu-lambda)",
          "[accuracy]") {
  auto s = base(n, 11);
  const int server = add_service(s, "server", 1, {work_step(exp_ms(1))});
  add_workload(s, server, 700);
  const auto r = simulate(s, mode::sync);
  const double mean_ms = 1000.0 / (1000 - 700);
  const auto& w = only_workload(r);
  CHECK(w.ok == n);
  CHECK(w.latency_ms.mean == Approx(mean_ms).epsilon(0.03));
  CHECK(w.latency_ms.p99 == Approx(std::log(100.0) * mean_ms).epsilon(0.03));
  CHECK(w.latency_ms.p50 == Approx(std::log(2.0) * mean_ms).epsilon(0.03));
  // Utilization law U = lambda * S, and Little's law for the waiting room Lq = lambda * Wq.
  CHECK(r.services[0].utilization == Approx(0.7).epsilon(0.02));
  const double wq_s = (mean_ms - 1) / 1000;
  CHECK(r.services[0].queue_mean == Approx(700 * wq_s).epsilon(0.03));
}

TEST_CASE("M/M/1 through the event-driven path matches theory", "[accuracy]") {
  auto s = base(n, 12);
  const int server = add_service(s, "server", 1, {work_step(exp_ms(1))});
  add_workload(s, server, 700);
  simulate_options o;
  o.force_event_driven = true;
  const auto r = simulate(s, mode::sync, o);
  const double mean_ms = 1000.0 / 300;
  CHECK(only_workload(r).latency_ms.mean == Approx(mean_ms).epsilon(0.03));
  CHECK(only_workload(r).latency_ms.p99 == Approx(std::log(100.0) * mean_ms).epsilon(0.03));
  CHECK(r.services[server].utilization == Approx(0.7).epsilon(0.02));
}

TEST_CASE("M/M/c: mean sojourn matches Erlang C", "[accuracy]") {
  for (int c : {2, 4}) {
    auto s = base(n, 20 + c);
    const double lambda = 750.0 * c;  // rho = 0.75 per worker, mu = 1000/s
    const int server = add_service(s, "server", c, {work_step(exp_ms(1))});
    add_workload(s, server, lambda);
    const auto r = simulate(s, mode::sync);
    const double a = lambda / 1000;
    const double wait_s = erlang_c(c, a) / (c * 1000.0 - lambda);
    const double mean_ms = 1000 * wait_s + 1;
    INFO("c = " << c);
    CHECK(only_workload(r).latency_ms.mean == Approx(mean_ms).epsilon(0.03));
    CHECK(r.services[0].utilization == Approx(0.75).epsilon(0.02));
  }
}

TEST_CASE("a two-station tandem of sync calls: latency is the sum of two M/M/1 sojourns",
          "[accuracy]") {
  auto s = base(n, 31);
  const int a = add_service(s, "a", 1, {work_step(exp_ms(1))});
  const int b = add_service(s, "b", 1, {work_step(exp_ms(0.5))});
  const int front = add_service(s, "front", 100000, {call_step(a, 0), call_step(b, 0)});
  add_workload(s, front, 600);
  const auto r = simulate(s, mode::sync);
  const double expected_ms = 1000.0 / (1000 - 600) + 1000.0 / (2000 - 600);
  CHECK(only_workload(r).latency_ms.mean == Approx(expected_ms).epsilon(0.03));
}

TEST_CASE("network latency adds one hop each way per call", "[accuracy]") {
  auto s = base(10000, 5);
  s.network_latency = 2000000;  // 2ms
  const int a = add_service(s, "a", 1, {work_step(const_ms(1))});
  const int front = add_service(s, "front", 10, {call_step(a, 0)});
  add_workload(s, front, 100, arrival_kind::constant);
  const auto r = simulate(s, mode::sync);
  // client -> front -> a -> front -> client: 4 hops of 2ms, plus 1ms of work, no queueing.
  CHECK(only_workload(r).latency_ms.mean == Approx(9.0).epsilon(1e-6));
  CHECK(only_workload(r).latency_ms.max == Approx(9.0).epsilon(1e-6));
}

TEST_CASE("a closed loop matches mean value analysis and the response time law", "[accuracy]") {
  // 10 users thinking exp(100ms) in front of one exp(10ms) server: a product-form network.
  auto s = base(0, 41);
  s.requests.reset();
  s.duration = 4000LL * 1000000000;  // 4000 s: about 300,000 requests
  s.warmup = 20LL * 1000000000;
  const int server = add_service(s, "server", 1, {work_step(exp_ms(10))});
  add_workload(s, server, 1);
  s.workloads[0].users = 10;
  s.workloads[0].think = exp_ms(100);
  const auto r = simulate(s, mode::sync);
  double q = 0, response_ms = 0, x_per_ms = 0;  // exact MVA, one station plus think time
  for (int n = 1; n <= 10; ++n) {
    response_ms = 10 * (1 + q);
    x_per_ms = n / (response_ms + 100);
    q = x_per_ms * response_ms;
  }
  const auto& w = only_workload(r);
  CHECK(w.latency_ms.mean == Approx(response_ms).epsilon(0.03));
  CHECK(w.throughput_rps == Approx(1000 * x_per_ms).epsilon(0.03));
  CHECK(r.services[0].utilization == Approx(10 * x_per_ms).epsilon(0.03));
  // Response time law, from the simulation's own numbers: R = N/X - Z.
  CHECK(w.latency_ms.mean == Approx(10 / (w.throughput_rps / 1000) - 100).epsilon(0.03));
}
