// Failures and resilience on small deterministic scenarios: constant arrivals every 10ms
// (t = 0, 10, ..., 990ms), constant work, no network latency, so every count is exact.
#include <catch2/catch.hpp>

#include "actors/simulate.hpp"
#include "support.hpp"

using namespace svcsim;
using namespace svcsim::testing;

namespace {

// `front` (no work) calls `leaf` (10 workers, `leaf_ms` of work); 100 requests. The front has
// workers enough never to queue unless told otherwise.
struct chain {
  scenario s = base(100);
  int front = -1, leaf = -1;
  explicit chain(double leaf_ms, int front_workers = 100) {
    leaf = add_service(s, "leaf", 10, {work_step(const_ms(leaf_ms))});
    front = add_service(s, "front", front_workers, {call_step(leaf, 0)});
    add_workload(s, front, 100, arrival_kind::constant);
  }
  call_policy& policy() { return s.services[front].endpoints[0].steps[0].policy; }
  run_result run() { return simulate(s, mode::sync); }
};

// `pub` publishes "t" to `sub` (1 worker, `sub_ms` of work); 100 requests.
struct fanout {
  scenario s = base(100);
  pub_sub ps;
  explicit fanout(double sub_ms) {
    ps = publish_to_subscriber(s, 10, {}, 1, {work_step(const_ms(sub_ms))});
    add_workload(s, ps.pub, 100, arrival_kind::constant);
  }
  run_result run() { return simulate(s, mode::async); }
};

}  // namespace

TEST_CASE("crash: running jobs fail at its start, arrivals during it are refused") {
  for (bool failed_is_leaf : {true, false}) {  // the Lindley path, then the frame path
    CAPTURE(failed_is_leaf);
    chain c(25);
    add_failure(c.s, failed_is_leaf ? c.leaf : c.front, failure_kind::crash, 305, 200);
    const auto r = c.run();
    // Not answered at 305: the requests of 280 (due at 305 exactly), 290 and 300; refused:
    // 310..500.
    CHECK(r.workloads[0].failed == 23);
    CHECK(r.workloads[0].ok == 77);
    CHECK(r.workloads[0].availability == Approx(0.77));
    CHECK(r.services[c.leaf].served == (failed_is_leaf ? 77 : 80));
    CHECK(r.services[failed_is_leaf ? c.leaf : c.front].dropped == 23);
  }
}

TEST_CASE("hang: held requests fail when it ends, none are answered during it") {
  for (bool failed_is_leaf : {true, false}) {
    CAPTURE(failed_is_leaf);
    chain c(25);
    add_failure(c.s, failed_is_leaf ? c.leaf : c.front, failure_kind::hang, 305, 200);
    const auto r = c.run();
    CHECK(r.workloads[0].failed == 23);
    CHECK(r.workloads[0].ok == 77);
    CHECK(r.workloads[0].unfinished == 0);
  }
}

TEST_CASE("hang: a blocking caller runs out of workers, and its queue waits it out") {
  chain c(25, 10);
  add_failure(c.s, c.leaf, failure_kind::hang, 305, 200);
  const auto r = c.run();
  // The front's 10 workers wait on the requests of 280..370, which fail at 505; 380..500
  // wait for a front worker, reach the leaf from 505 and succeed.
  CHECK(r.workloads[0].failed == 10);
  CHECK(r.workloads[0].ok == 90);
  CHECK(r.workloads[0].latency_ms.max == Approx(530 - 380).epsilon(0.005));
}

TEST_CASE("hang without an end: what it holds is never answered") {
  chain c(25);
  c.s.drain = 1000 * 1000000LL;
  add_failure(c.s, c.leaf, failure_kind::hang, 305);
  const auto r = c.run();
  CHECK(r.workloads[0].ok == 28);  // 0..270
  CHECK(r.workloads[0].failed == 0);
  CHECK(r.workloads[0].unfinished == 72);
}

TEST_CASE("slow(k): work starting in the window takes k times as long") {
  chain c(1);
  add_failure(c.s, c.leaf, failure_kind::slow, 300, 200, 3.0);
  const auto r = c.run();
  CHECK(r.workloads[0].ok == 100);
  CHECK(r.workloads[0].latency_ms.mean == Approx((80 * 1 + 20 * 3) / 100.0).epsilon(0.005));
  CHECK(r.workloads[0].latency_ms.max == Approx(3).epsilon(0.005));
}

TEST_CASE("errors(p): requests ending in the window fail after their work") {
  chain c(1);
  add_failure(c.s, c.leaf, failure_kind::errors, 300, 200, 1.0);
  auto r = c.run();
  CHECK(r.workloads[0].failed == 20);  // ending at 301..491
  CHECK(r.services[c.leaf].errors == 20);
  CHECK(r.services[c.leaf].served == 100);
  CHECK(r.services[c.front].errors == 20);

  auto s = base(10000);
  const int only = add_service(s, "only", 1, {work_step(const_ms(0.01))});
  add_workload(s, only, 1000, arrival_kind::poisson);
  add_failure(s, only, failure_kind::errors, 0, -1, 0.5);
  r = simulate(s, mode::sync);
  CHECK(r.workloads[0].failed > 4850);  // 5000 +- 3 sigma
  CHECK(r.workloads[0].failed < 5150);
}

TEST_CASE("timeout: an attempt not answered in time fails; its late answer is ignored") {
  chain c(25);
  c.policy().timeout = 50 * 1000000LL;
  add_failure(c.s, c.leaf, failure_kind::hang, 305, 200);
  const auto r = c.run();
  // 280..450 time out; 460..500 fail first, when the hang ends at 505.
  CHECK(r.workloads[0].failed == 23);
  CHECK(r.services[c.front].timeouts == 18);
  CHECK(r.workloads[0].latency_ms.max == Approx(25).epsilon(0.005));
}

TEST_CASE("retries with backoff ride out a crash") {
  chain c(25);
  c.policy().retries = 2;
  c.policy().backoff = 100 * 1000000LL;
  add_failure(c.s, c.leaf, failure_kind::crash, 305, 200);
  const auto r = c.run();
  CHECK(r.workloads[0].ok == 100);
  // 410..500: one retry each; 310..400: two; 280..300 (failed at 305): two.
  CHECK(r.services[c.front].retries == 10 + 20 + 6);
  // The request of 280 fails at 305, retries at 405 (refused) and 605: done at 630.
  CHECK(r.workloads[0].latency_ms.max == Approx(350).epsilon(0.005));
}

TEST_CASE("a circuit breaker fails calls at once while open, then tries one") {
  chain c(25);
  c.policy().breaker = breaker_policy{3, 1000 * 1000000LL, 100 * 1000000LL};
  add_failure(c.s, c.leaf, failure_kind::crash, 305, 200);
  const auto r = c.run();
  // Three failures at 305 open it until 405: 310..400 short-circuit; the trial at 410 fails
  // and opens it until 510: 420..500 short-circuit; the trial at 510 closes it at 535, and
  // 520 and 530 short-circuit while it is out.
  CHECK(r.workloads[0].failed == 25);
  CHECK(r.services[c.front].short_circuited == 21);
}

TEST_CASE("an optional call that fails does not fail the request") {
  chain c(25);
  c.policy().optional = true;
  add_failure(c.s, c.leaf, failure_kind::crash, 305, 200);
  const auto r = c.run();
  CHECK(r.workloads[0].ok == 100);
  CHECK(r.services[c.front].errors == 0);
}

TEST_CASE("blocking: false frees the worker while the call is out") {
  for (bool blocking : {true, false}) {
    CAPTURE(blocking);
    auto s = base(100);
    const int leaf = add_service(s, "leaf", 10, {work_step(const_ms(25))});
    const int front = add_service(
        s, "front", 1, {work_step(const_ms(1)), call_step(leaf, 0), work_step(const_ms(1))});
    s.services[front].blocking = blocking;
    add_workload(s, front, 100, arrival_kind::constant);
    const auto r = simulate(s, mode::sync);
    CHECK(r.workloads[0].ok == 100);
    if (blocking) {  // 27ms per request on one worker, one every 10ms: the queue grows
      CHECK(r.workloads[0].latency_ms.max > 1000);
    } else {
      CHECK(r.workloads[0].latency_ms.max == Approx(27).epsilon(0.005));
      CHECK(r.services[front].utilization == Approx(196.0 / 990));  // 2ms each, inside [0, 990]
    }
  }
}

TEST_CASE("at-least-once: deliveries dropped by a crashed subscriber come again after it") {
  fanout f(8);
  add_failure(f.s, f.ps.sub, failure_kind::crash, 305, 200);
  const auto r = f.run();
  CHECK(r.workloads[0].ok == 100);
  CHECK(r.topics[0].delivered == 100);
  CHECK(r.topics[0].lost == 0);
  CHECK(r.topics[0].redelivered == 1);  // the one running at 305
  CHECK(r.workloads[0].incomplete == 0);
  // The message of 300 is handled again from 505 to 513.
  CHECK(r.workloads[0].completion_ms.max >= 213);
}

TEST_CASE("at-least-once: a hung subscriber's delivery comes again after its restart") {
  fanout f(1);
  add_failure(f.s, f.ps.sub, failure_kind::hang, 305, 200);
  const auto r = f.run();
  CHECK(r.topics[0].delivered == 100);
  CHECK(r.topics[0].lost == 0);
  CHECK(r.topics[0].redelivered == 1);  // the delivery of 310, held by the hung subscriber
}

TEST_CASE("at-most-once: deliveries to a down subscriber are lost") {
  fanout f(8);
  f.s.broker_delivery = delivery_mode::at_most_once;
  add_failure(f.s, f.ps.sub, failure_kind::crash, 305, 200);
  const auto r = f.run();
  CHECK(r.workloads[0].ok == 100);
  CHECK(r.topics[0].lost == 21);  // the one running at 305, then 310..500
  CHECK(r.topics[0].delivered == 79);
  CHECK(r.topics[0].redelivered == 0);
  CHECK(r.workloads[0].incomplete == 21);
}

TEST_CASE("capacity: a publish finding the subscription full is lost") {
  auto s = base(10);
  const auto ps = publish_to_subscriber(s, 10, {}, 1, {work_step(const_ms(100))});
  add_workload(s, ps.pub, 1000, arrival_kind::constant);
  s.broker_capacity = 3;
  const auto r = simulate(s, mode::async);
  CHECK(r.topics[0].delivered == 3);
  CHECK(r.topics[0].lost == 7);
  CHECK(r.topics[0].backlog_max == 3);
}

TEST_CASE("prefetch bounds deliveries out at once to a subscriber") {
  auto s = base(10);
  const auto ps = publish_to_subscriber(s, 10, {}, 4, {work_step(const_ms(100))});
  add_workload(s, ps.pub, 1000, arrival_kind::constant);
  s.broker_prefetch = 2;
  const auto r = simulate(s, mode::async);
  CHECK(r.topics[0].delivered == 10);
  // Two at a time: the last two run from 400 and 401ms, sent at 8 and 9ms.
  CHECK(r.workloads[0].completion_ms.max == Approx(492).epsilon(0.005));
}

TEST_CASE("work that outlives its failed request may publish: its trace stays consistent") {
  // front calls mid; mid calls leaf (25ms), then publishes to sub. The front crashes at 305:
  // the requests of 280..300 fail then, while mid still waits on leaf and publishes after.
  auto s = base(100);
  const auto ps = publish_to_subscriber(s, 10, {}, 10, {work_step(const_ms(1))});
  const int leaf = add_service(s, "leaf", 10, {work_step(const_ms(25))});
  auto& mid_steps = s.services[ps.pub].endpoints[0].steps;
  mid_steps.insert(mid_steps.begin(), call_step(leaf, 0));
  const int front = add_service(s, "front", 100, {call_step(ps.pub, 0)});
  add_workload(s, front, 100, arrival_kind::constant);
  add_failure(s, front, failure_kind::crash, 305, 200);
  const auto r = simulate(s, mode::sync);
  REQUIRE(r.error.empty());
  CHECK(r.workloads[0].failed == 23);
  CHECK(r.workloads[0].ok == 77);
  CHECK(r.workloads[0].unfinished == 0);
  CHECK(r.workloads[0].incomplete == 0);
  CHECK(r.topics[0].published == 80);  // the orphans' too: measured requests caused them
  CHECK(r.topics[0].delivered == 80);
  CHECK(r.warnings.empty());
}

TEST_CASE("jitter: each backoff is a uniform draw below its exponential value") {
  for (bool jitter : {false, true}) {
    CAPTURE(jitter);
    chain c(1);
    c.policy().retries = 1;
    c.policy().backoff = 2000 * 1000000LL;
    c.policy().jitter = jitter;
    add_failure(c.s, c.leaf, failure_kind::crash, 0, 1000);
    const auto r = c.run();
    // Every first attempt (t = 0..990) is refused. The retry leaves at t + 2000ms, or at t + U
    // with U uniform in [0, 2000ms]: then it fails while t + U < 1000, 25.25 of 100 expected.
    if (!jitter) {
      CHECK(r.workloads[0].ok == 100);
      CHECK(r.workloads[0].latency_ms.max == Approx(2001).epsilon(0.005));
      CHECK(r.workloads[0].latency_ms.p50 == Approx(2001).epsilon(0.005));
    } else {
      CHECK(r.workloads[0].failed > 10);
      CHECK(r.workloads[0].failed < 45);
      CHECK(r.workloads[0].latency_ms.max <= 2001 * 1.005);
      CHECK(r.workloads[0].latency_ms.p50 < 1900);  // spread out, not all at 2001
    }
    CHECK(r.services[c.front].retries == 100);
  }
}

TEST_CASE("a breaker counts only the failures within its window") {
  for (int window_ms : {15, 25}) {
    CAPTURE(window_ms);
    chain c(1);
    c.policy().breaker = breaker_policy{3, window_ms * 1000000LL, 1000 * 1000000LL};
    add_failure(c.s, c.leaf, failure_kind::errors, 0, -1, 1.0);
    const auto r = c.run();
    // Failures come at 1, 11, 21, ...ms: three fall within 25ms, never within 15ms. With 25ms
    // the breaker opens at 21 for a second: the requests of 30..990 fail at once.
    CHECK(r.workloads[0].failed == 100);
    CHECK(r.services[c.front].short_circuited == (window_ms == 25 ? 97 : 0));
  }
}
