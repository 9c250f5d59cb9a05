// A service fed by one open-loop client takes its arrivals in batches and records its replies
// itself (service_plan::fed_by). That is a shortcut of the simulation, not of the model: every
// report must be the same as with one message per request and reply, but for `events` and
// `wall_time_s`. Checked here on the cases where the shortcut has work to do.
#include <catch2/catch.hpp>

#include "report_diff.hpp"
#include "support.hpp"

using namespace svcsim;
using namespace svcsim::testing;

namespace {

std::string report_of(const scenario& s, bool direct) {
  simulate_options o;
  o.direct_feed = direct;
  return report_without_costs(s, o);
}

// One service (3 workers, exp(5ms)) fed by one Poisson workload, 5,000 requests.
scenario fed(double rate) {
  auto s = base(5000, 7);
  const int svc = add_service(s, "svc", 3, {work_step(exp_ms(5))});
  add_workload(s, svc, rate);
  s.network_latency = 500000;
  return s;
}

}  // namespace

TEST_CASE("direct feed: the same reports as one message per request") {
  SECTION("stable, with warm-up") {
    auto s = fed(400);
    s.warmup = 1000000000;
    CHECK(report_of(s, true) == report_of(s, false));
  }
  SECTION("overloaded, stopped by the drain limit") {
    auto s = fed(900);
    s.drain = 200000000;
    const auto a = report_of(s, true);
    CHECK(a.find("\"unfinished\": 0,") == std::string::npos);  // the limit cut some
    CHECK(a == report_of(s, false));
  }
  SECTION("a bounded waiting room rejects") {
    auto s = fed(900);
    s.services[0].queue = 3;
    CHECK(report_of(s, true) == report_of(s, false));
  }
  SECTION("every kind of failure, an endless one last") {
    auto s = fed(400);
    add_failure(s, 0, failure_kind::crash, 1000, 500);
    add_failure(s, 0, failure_kind::hang, 2000, 500);
    add_failure(s, 0, failure_kind::slow, 3000, 500, 3);
    add_failure(s, 0, failure_kind::errors, 4000, 500, 0.3);
    add_failure(s, 0, failure_kind::hang, 11000);
    CHECK(report_of(s, true) == report_of(s, false));
  }
  SECTION("two directly fed workloads at different rates: the timeline's percentiles") {
    auto s = base(0, 9);
    s.requests.reset();
    s.duration = 2000000000;
    const int a = add_service(s, "a", 1, {work_step(exp_ms(1))});
    const int b = add_service(s, "b", 1, {work_step(exp_ms(1))});
    add_workload(s, a, 70, arrival_kind::constant);
    add_workload(s, b, 300, arrival_kind::constant);
    CHECK(report_of(s, true) == report_of(s, false));
  }
  SECTION("a publisher fed directly, in async mode") {
    auto s = base(5000, 3);
    const auto ps = publish_to_subscriber(s, 2, {work_step(exp_ms(1))}, 1, {work_step(exp_ms(1))});
    add_workload(s, ps.pub, 300);
    CHECK(report_of(s, true) == report_of(s, false));
  }
}

TEST_CASE("held replies: a queue of thousands answers as the response time law says") {
  // 3,000 users, think exp(1ms), one worker at a constant 1ms: saturated, X = 1/ms, so
  // R = N / X - Z = 2,999ms; the waiting room holds ~3,000, so replies are held back.
  auto s = base(0, 5);
  s.requests.reset();
  s.duration = 20LL * 1000000000;
  s.warmup = 5LL * 1000000000;
  const int svc = add_service(s, "svc", 1, {work_step(const_ms(1))});
  workload w;
  w.name = "users";
  w.service = svc;
  w.endpoint = 0;
  w.target = "svc.e";
  w.users = 3000;
  w.think = exp_ms(1);
  s.workloads.push_back(w);
  const auto r = simulate(s, mode::sync);
  CHECK(r.workloads[0].latency_ms.mean == Approx(2999).epsilon(0.01));
  CHECK(r.services[0].utilization == Approx(1.0).epsilon(0.001));
  CHECK(r.services[0].queue_max > 2900);
}
