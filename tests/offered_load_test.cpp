// The offered load that `svcsim validate` prints (engine/offered_load.hpp): hand-worked on a
// small scenario in both modes, and checked against the utilization the simulation measures
// on the shipped scenarios.
#include "engine/offered_load.hpp"

#include <algorithm>
#include <catch2/catch.hpp>
#include <cmath>
#include <filesystem>
#include <string>
#include <vector>

#include "actors/simulate.hpp"
#include "scenarios/load/loader.hpp"
#include "support.hpp"

using namespace svcsim;
using svcsim::testing::shipped_scenarios;

namespace {

// gateway.in works 1 ms, calls api.get, then in parallel works 2 ms and calls db.read, then
// notifies `done`, to which mail (10 ms) and stats (1 ms) subscribe. 100/s arrive at gateway,
// 50/s more at api, and 5 closed-loop users call db.
const char* yaml = R"(name: load
duration: 1s
services:
  gateway:
    workers: 2
    endpoints:
      in:
        work: 1ms
        steps:
          - call: api.get
          - parallel: [{work: 2ms}, {call: db.read}]
          - notify: done
  api:
    endpoints: {get: {work: exp(4ms)}}
  db:
    blocking: false
    endpoints: {read: {work: 3ms}}
  mail:
    workers: 2
    subscribes: {done: {work: 10ms}}
  stats:
    subscribes: {done: {work: 1ms}}
workloads:
  - {name: in, target: gateway.in, arrivals: poisson(100/s)}
  - {name: get, target: api.get, arrivals: constant(50/s)}
  - {name: read, target: db.read, users: 5, think: 1s}
)";

}  // namespace

TEST_CASE("offered load: jobs follow calls and deliveries; work sums over branches") {
  const auto loaded = parse_scenario(yaml, "load.yaml");
  REQUIRE(loaded.value);
  for (mode m : {mode::sync, mode::async}) {
    CAPTURE(to_string(m));
    const auto plan = compile(*loaded.value, m);
    const auto load = offered_load_of(plan);
    CHECK(load.mode == m);
    REQUIRE(load.rows.size() == 5);
    const auto& gateway = load.rows[0];
    CHECK(gateway.name == "gateway");
    CHECK(gateway.jobs_per_s == 100);
    CHECK(gateway.mean_work_s == Approx(0.003));  // 1 ms + the 2 ms branch
    CHECK(gateway.rho == Approx(0.15));           // 100/s x 3 ms / 2
    CHECK(gateway.waits_on_calls);                // blocking, and calls api and db
    CHECK_FALSE(gateway.closed_loop);
    const auto& api = load.rows[1];
    CHECK(api.jobs_per_s == 150);     // 100/s from gateway, 50/s of its own
    CHECK(api.rho == Approx(0.6));    // 150/s x 4 ms / 1
    CHECK_FALSE(api.waits_on_calls);  // calls nothing
    const auto& db = load.rows[2];
    CHECK(db.rho == Approx(0.3));  // 100/s x 3 ms; the closed loop is left out
    CHECK(db.closed_loop);
    // One delivery per publish in async mode, one call per notify in sync mode: the same.
    CHECK(load.rows[3].rho == Approx(0.5));  // mail: 100/s x 10 ms / 2
    CHECK(load.rows[4].rho == Approx(0.1));  // stats: 100/s x 1 ms / 1
    CHECK(std::string(saturation(load.rows[3].rho)).empty());
  }
  CHECK(std::string(saturation(0.79)).empty());
  CHECK(std::string(saturation(0.8)) == "near saturation");
  CHECK(std::string(saturation(1.0)) == "saturated");
}

// Where work alone occupies the workers (services that call nothing) and all that is offered
// is served, the measured utilization is the offered load (the utilization law), within the
// noise of the sampled arrivals and work: relative standard error sqrt((1 + cv²) / n) for n
// jobs, cv² the squared coefficient of variation of the work; four of them allowed. Left out:
// scenarios with failures (an outage or a slow window changes the work done), and consumers
// that fall behind (a warning says so; they serve less than they are offered), and rate profiles
// (the offered load counts their peak, the measured utilization their mean).
TEST_CASE("offered load: the measured utilization matches it on the shipped scenarios") {
  const auto files = shipped_scenarios();
  int compared = 0;
  for (const auto& f : files) {
    const auto loaded = load_scenario(f);
    REQUIRE(loaded.value);
    const auto& s = *loaded.value;
    const bool profiled = std::any_of(s.workloads.begin(), s.workloads.end(),
                                      [](const workload& w) { return w.profile.has_value(); });
    if (!s.failures.empty() || profiled) continue;
    for (mode m : {mode::sync, mode::async}) {
      const auto plan = compile(s, m);
      const auto load = offered_load_of(plan);
      const auto run = simulate(s, m);
      for (std::size_t i = 0; i < s.services.size(); ++i) {
        const auto& row = load.rows[i];
        const bool behind = std::any_of(run.warnings.begin(), run.warnings.end(), [&](auto& w) {
          return w.rfind(row.name + " on ", 0) == 0 && w.find("falls behind") != w.npos;
        });
        if (!plan.services[i].calls.empty() || behind || row.jobs_per_s == 0) continue;
        double cv2 = 0;  // of the work per job, over the service's handlers
        for (const auto& h : plan.services[i].handlers)
          for (const auto& o : h.ops)
            if (o.kind == op_kind::work && o.work->mean() > 0)
              cv2 = std::max(cv2, o.work->variance() / (o.work->mean() * o.work->mean()));
        const double n = row.jobs_per_s * run.measured_s;
        CAPTURE(f, to_string(m), row.name, row.rho, run.services[i].utilization, n, cv2);
        CHECK(run.services[i].utilization == Approx(row.rho).epsilon(4 * std::sqrt((1 + cv2) / n)));
        ++compared;
      }
    }
  }
  CHECK(compared >= 20);
}

TEST_CASE("offered load: the broker's row, and its measured utilization") {
  // 1000 orders/s, each one publish (1ms) and two deliveries (0.2ms): 1.4 s of work per
  // second on 2 workers, 70%.
  const auto loaded = parse_scenario(R"(name: busy-broker
duration: 20s
broker: {workers: 2, work: {publish: exp(1ms), deliver: exp(200us)}}
services:
  orders:
    workers: 16
    endpoints:
      place:
        steps:
          - notify: order.placed
  shipping:
    workers: 8
    subscribes:
      order.placed: {work: exp(5ms)}
  email:
    workers: 8
    subscribes:
      order.placed: {work: exp(5ms)}
workloads:
  - {name: checkout, target: orders.place, arrivals: poisson(1000/s)}
)",
                                     "b.yaml");
  REQUIRE(loaded.value);
  const auto& s = *loaded.value;
  const auto async = offered_load_of(compile(s, mode::async));
  REQUIRE(async.rows.size() == 4);
  const auto& broker = async.rows.back();
  CHECK(broker.name == "broker");
  CHECK(broker.jobs_per_s == Approx(3000));
  CHECK(broker.rho == Approx(0.7));
  CHECK(offered_load_of(compile(s, mode::sync)).rows.back().jobs_per_s == 0);  // no publish
  const auto r = simulate(s, mode::async);
  REQUIRE(r.brokers.size() == 1);
  CHECK(r.brokers[0].utilization == Approx(broker.rho).epsilon(0.03));
}
