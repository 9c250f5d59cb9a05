// What the report counts at the edges: warm-up, the end of the run, deadlocks, and prefetch
// shared by a subscriber's topics.
#include <catch2/catch.hpp>
#include <cmath>

#include "actors/simulate.hpp"
#include "studies/mean_ci.hpp"
#include "studies/replicate.hpp"
#include "support.hpp"

using namespace svcsim;
using namespace svcsim::testing;

namespace {
constexpr nanos ms = 1000000;
}

TEST_CASE("a subscriber's prefetch is shared by all its topics") {
  auto s = base(20, 1);
  const int pub = add_service(s, "pub", 10, {});
  const int sub = add_service(s, "sub", 1, {});
  s.services[sub].endpoints.clear();
  const int t1 = add_topic(s, "t1"), t2 = add_topic(s, "t2");
  subscribe(s, sub, t1, {work_step(const_ms(10))});
  subscribe(s, sub, t2, {work_step(const_ms(10))});
  auto& steps = s.services[pub].endpoints[0].steps;
  steps.push_back(topic_step(step_kind::publish, t1));
  steps.push_back(topic_step(step_kind::publish, t2));
  add_workload(s, pub, 1000, arrival_kind::constant);
  const auto r = simulate(s, mode::async);
  CHECK(r.topics[0].delivered == 20);
  CHECK(r.topics[1].delivered == 20);
  CHECK(r.services[1].queue_max == 0);  // never more than one delivery at its one worker
  CHECK(r.services[1].served == 40);
  // One worker, 40 messages of 10ms, oldest first: the last ends at 400ms.
  CHECK(r.workloads[0].completion_ms.max == Approx(400 - 19));
}

TEST_CASE("requests waiting on each other are reported, not counted as available") {
  auto s = base(5, 1);
  const int a = add_service(s, "a", 1, {});
  s.services[a].endpoints[0].steps = {work_step(const_ms(1)), call_step(a, 1)};
  handler other;
  other.name = "other";
  other.steps = {work_step(const_ms(1))};
  s.services[a].endpoints.push_back(other);
  add_workload(s, a, 10, arrival_kind::constant);
  const auto r = simulate(s, mode::sync);
  CHECK(r.workloads[0].ok == 0);
  CHECK(r.workloads[0].unfinished == 5);
  CHECK(r.workloads[0].availability == 0);
  REQUIRE(r.warnings.size() == 1);
  CHECK(r.warnings[0].find("5 requests never finished") != std::string::npos);
  CHECK(r.services[0].knows.empty());  // calling itself couples it to nobody
}

TEST_CASE("a delivery whose handler fails is lost and its request incomplete") {
  auto s = base(10, 1);
  const int pub = add_service(s, "pub", 1, {});
  const int full = add_service(s, "full", 1, {work_step(const_ms(100))});
  s.services[full].queue = 0;
  const int sub = add_service(s, "sub", 4, {});
  s.services[sub].endpoints.clear();
  const int t = add_topic(s, "t");
  subscribe(s, sub, t, {call_step(full, 0)});  // only the first call finds `full` free
  s.services[pub].endpoints[0].steps.push_back(topic_step(step_kind::publish, t));
  add_workload(s, pub, 1000, arrival_kind::constant);
  const auto r = simulate(s, mode::async);
  CHECK(r.workloads[0].ok == 10);
  CHECK(r.topics[0].delivered == 1);
  CHECK(r.topics[0].lost == 9);
  CHECK(r.services[sub].errors == 9);
  CHECK(r.workloads[0].completion_ms.count == 1);
  CHECK(r.workloads[0].incomplete == 9);
}

TEST_CASE("side effects still pending when the drain ends are counted as incomplete") {
  auto s = base(10, 1);
  s.drain = 50 * ms;
  const auto ps = publish_to_subscriber(s, 1, {}, 1, {work_step(const_ms(20))});
  add_workload(s, ps.pub, 1000, arrival_kind::constant);  // arrivals end at 9ms, the run at 59ms
  const auto r = simulate(s, mode::async);
  CHECK(r.sim_time_s == Approx(0.059));
  CHECK(r.workloads[0].ok == 10);
  CHECK(r.services[1].served == 2);  // handled 0-20ms and 20-40ms; the third ends at 60ms
  CHECK(r.topics[0].delivered == 2);
  CHECK(r.workloads[0].completion_ms.count == 2);
  CHECK(r.workloads[0].incomplete == 8);
}

TEST_CASE("warm-up: only requests sent after it are counted, anywhere") {
  auto s = base(100, 1);
  s.warmup = 50 * ms;
  const auto ps =
      publish_to_subscriber(s, 1, {work_step(const_ms(1))}, 1, {work_step(const_ms(1))});
  add_workload(s, ps.pub, 1000, arrival_kind::constant);  // one request per ms, 0..99ms
  const auto r = simulate(s, mode::async);
  CHECK(r.workloads[0].requests == 50);
  CHECK(r.services[0].served == 50);
  CHECK(r.services[1].served == 50);
  CHECK(r.topics[0].published == 50);
  CHECK(r.topics[0].delivered == 50);
  CHECK(r.measured_s == Approx(0.049));  // from 50ms to the last arrival at 99ms
}

TEST_CASE("throughput counts replies inside the window and never exceeds capacity") {
  auto s = base(2000, 1);
  const int a = add_service(s, "a", 1, {work_step(const_ms(10))});  // at most 100 per second
  add_workload(s, a, 200, arrival_kind::constant);                  // twice that, for 10 seconds
  const auto r = simulate(s, mode::sync);
  CHECK(r.workloads[0].ok == 2000);  // all answered during the drain
  CHECK(r.workloads[0].throughput_rps <= 100.01);
  CHECK(r.workloads[0].throughput_rps == Approx(100).epsilon(0.01));
  CHECK(r.services[0].utilization == Approx(1).epsilon(0.001));
}

TEST_CASE("one request sent at warmup is measured but its window is empty") {
  auto s = base(1, 1);
  const int a = add_service(s, "a", 1, {work_step(const_ms(1))});
  add_workload(s, a, 10, arrival_kind::constant);
  const auto r = simulate(s, mode::sync);
  CHECK(r.workloads[0].ok == 1);
  REQUIRE(r.warnings.size() == 1);  // sent at 0, the window [0, 0] is empty
  CHECK(r.warnings[0].find("the measured window is empty") == 0);
  s.warmup = 5 * ms;  // the only request is sent at 0
  CHECK(simulate(s, mode::sync).warnings.at(0).find("nothing was measured") == 0);
}

TEST_CASE("a worker freed at t serves a job arriving at t on both paths") {
  // D/D/1 at utilization 1 with no waiting room: every job arrives as the last one ends.
  for (bool event_driven : {false, true}) {
    auto s = base(1000, 1);
    const int a = add_service(s, "a", 1, {work_step(const_ms(10))});
    s.services[a].queue = 0;
    add_workload(s, a, 100, arrival_kind::constant);
    simulate_options o;
    o.force_event_driven = event_driven;
    const auto r = simulate(s, mode::sync, o);
    INFO("event-driven: " << event_driven);
    CHECK(r.workloads[0].ok == 1000);
    CHECK(r.services[a].rejected == 0);
    CHECK(r.services[a].queue_max == 0);
    CHECK(r.services[a].utilization == Approx(1.0).epsilon(0.001));
  }
}

TEST_CASE("a caller's next call reaches a worker its previous call just freed") {
  auto s = base(1, 1);
  const int a = add_service(s, "a", 1, {work_step(const_ms(5))});
  s.services[a].queue = 0;
  const int front = add_service(s, "front", 1, {call_step(a, 0), call_step(a, 0)});
  add_workload(s, front, 1, arrival_kind::constant);
  simulate_options o;
  o.force_event_driven = true;  // a too
  const auto r = simulate(s, mode::sync, o);
  CHECK(r.workloads[0].ok == 1);
  CHECK(r.services[a].rejected == 0);
}

TEST_CASE("replications: derived seeds and Student t half-widths") {
  CHECK(replication_seed(42, 0) == 42);
  CHECK(replication_seed(42, 1) != replication_seed(42, 2));
  CHECK(replication_seed(42, 1) != replication_seed(43, 1));
  CHECK(ci95_half_width(1.0, 1) == 0);
  CHECK(ci95_half_width(1.0, 2) == Approx(12.706 / std::sqrt(2.0)));
  CHECK(ci95_half_width(2.0, 8) == Approx(2 * 2.365 / std::sqrt(8.0)));
  CHECK(ci95_half_width(1.0, 1001) == Approx(1.962 / std::sqrt(1001.0)).epsilon(0.001));
}

TEST_CASE("replications: warnings alike but for their numbers are merged into one line") {
  const auto runs = [](std::vector<std::vector<std::string>> warnings) {
    std::vector<run_result> out(warnings.size());
    for (std::size_t i = 0; i < warnings.size(); ++i) out[i].warnings = warnings[i];
    return out;
  };
  CHECK(merged_warnings(runs({{"backlog of t grows 3.5 msg/s"}})) ==
        std::vector<std::string>{"backlog of t grows 3.5 msg/s"});
  CHECK(merged_warnings(runs({{"w at 10ms"}, {"w at 10ms"}})) ==
        std::vector<std::string>{"w at 10ms"});
  CHECK(merged_warnings(runs({{"w at 10ms"}, {}, {"w at 10ms"}})) ==
        std::vector<std::string>{"w at 10ms (in 2 of 3 replications)"});
  // Each number as its range, in the form it was written; names with digits are not numbers.
  CHECK(merged_warnings(runs({{"s3: 12 of 40 late, 1.5e+06 at 7ms", "other"},
                              {"s3: 9 of 40 late, 2e+06 at 11ms"},
                              {"s3: 30 of 40 late, 1.5e+06 at 7ms"}})) ==
        std::vector<std::string>{"s3: 9..30 of 40 late, 1.5e+06..2e+06 at 7..11ms (in 3 of 3 "
                                 "replications, numbers vary)",
                                 "other (in 1 of 3 replications)"});
  // Two warnings of one run are about different things, never merged; "s4" and "w-2" are
  // other names, not other numbers.
  CHECK(merged_warnings(runs({{"s3 slow 1", "s3 slow 2"}, {"s4 slow 1"}})) ==
        std::vector<std::string>{"s3 slow 1 (in 1 of 2 replications)",
                                 "s3 slow 2 (in 1 of 2 replications)",
                                 "s4 slow 1 (in 1 of 2 replications)"});
  CHECK(merged_warnings(runs({{"w-1 drifts", "w-2 drifts"}})) ==
        std::vector<std::string>{"w-1 drifts", "w-2 drifts"});
}

TEST_CASE("warm-up: a start that does not look like the rest is reported") {
  // Twice the capacity into a waiting room of 5000: latency climbs for 5 s, then stays flat.
  auto s = base(0, 1);
  s.requests.reset();
  s.duration = 40LL * 1000000000;
  const int a = add_service(s, "a", 1, {work_step(exp_ms(1))});
  s.services[a].queue = 5000;
  add_workload(s, a, 2000, arrival_kind::constant);
  const auto filling = simulate(s, mode::sync);
  REQUIRE(filling.warnings.size() == 1);
  CHECK(filling.warnings[0].find("workload load0: latency over the first") == 0);
  CHECK(filling.warnings[0].find("try warmup:") != std::string::npos);
  // Overloaded: latency grows all the time; no warm-up would help.
  auto over = base(0, 1);
  over.requests.reset();
  over.duration = 20LL * 1000000000;
  add_workload(over, add_service(over, "a", 1, {work_step(exp_ms(1))}), 1200);
  const auto growing = simulate(over, mode::sync);
  REQUIRE(growing.warnings.size() == 1);
  CHECK(growing.warnings[0].find("latency keeps changing across the measured window") !=
        std::string::npos);
  // A long stationary M/M/1 with a warm-up: no warning.
  auto steady = base(0, 1);
  steady.requests.reset();
  steady.duration = 300LL * 1000000000;
  steady.warmup = 30LL * 1000000000;
  add_workload(steady, add_service(steady, "a", 1, {work_step(exp_ms(1))}), 800);
  CHECK(simulate(steady, mode::sync).warnings.empty());
}

TEST_CASE("a run stops when more requests are in flight than allowed") {
  auto s = base(10000, 1);
  add_workload(s, add_service(s, "a", 1, {work_step(const_ms(10))}), 1000);  // 10x overload
  simulate_options options;
  options.max_in_flight = 100;
  const auto r = simulate(s, mode::sync, options);
  CHECK(r.error.find("more than 100 requests were in flight at") == 0);
  // Replications on two threads share the limit: 50 each.
  const auto reps = replicate(s, mode::sync, 2, 2, options);
  CHECK(reps[0].error.find("more than 50 requests were in flight") != std::string::npos);
  CHECK(reps[0].error.find("replication 0 (--seed 1): ") == 0);
}

TEST_CASE("network latency adds one hop each way per call") {
  auto s = base(10000, 5);
  s.network_latency = 2000000;  // 2ms
  const int a = add_service(s, "a", 1, {work_step(const_ms(1))});
  const int front = add_service(s, "front", 10, {call_step(a, 0)});
  add_workload(s, front, 100, arrival_kind::constant);
  const auto r = simulate(s, mode::sync);
  // client -> front -> a -> front -> client: 4 hops of 2ms, plus 1ms of work, no queueing.
  CHECK(r.workloads[0].latency_ms.mean == Approx(9.0).epsilon(1e-6));
  CHECK(r.workloads[0].latency_ms.max == Approx(9.0).epsilon(1e-6));
}
