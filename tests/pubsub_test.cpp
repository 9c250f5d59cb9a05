// Publish/subscribe end to end: what `notify` becomes in each mode, what the broker delivers,
// and what completion measures.
#include <algorithm>
#include <catch2/catch.hpp>

#include "actors/simulate.hpp"
#include "scenarios/load/loader.hpp"
#include "support.hpp"

using namespace svcsim;
using namespace svcsim::testing;

namespace {

// users.e works 1ms, then notifies `created`; email (5ms) and billing (2ms) subscribe.
scenario signup(std::int64_t requests, double rate) {
  auto s = base(requests, 9);
  const int users = add_service(s, "users", 4, {work_step(const_ms(1))});
  const int email = add_service(s, "email", 1, {});
  const int billing = add_service(s, "billing", 1, {});
  s.services[email].endpoints.clear();
  s.services[billing].endpoints.clear();
  const int created = add_topic(s, "user.created");
  subscribe(s, email, created, {work_step(const_ms(5))});
  subscribe(s, billing, created, {work_step(const_ms(2))});
  s.services[users].endpoints[0].steps.push_back(topic_step(step_kind::notify, created));
  add_workload(s, users, rate, arrival_kind::constant);
  return s;
}

}  // namespace

TEST_CASE("sync notify calls every subscriber in turn while async answers after local work") {
  auto s = signup(100, 10);  // one request every 100ms: nobody ever queues
  const auto sync = simulate(s, mode::sync);
  const auto async = simulate(s, mode::async);
  const auto& ws = sync.workloads[0];
  const auto& wa = async.workloads[0];
  CHECK(ws.ok == 100);
  CHECK(wa.ok == 100);
  // sync: 1ms work + 5ms email + 2ms billing, one after the other; completion = latency.
  CHECK(ws.latency_ms.mean == Approx(8.0));
  CHECK(ws.completion_ms.mean == Approx(8.0));
  // async: the reply leaves after 1ms; the slowest delivery (email) ends at 1 + 5 = 6ms.
  CHECK(wa.latency_ms.mean == Approx(1.0));
  CHECK(wa.completion_ms.mean == Approx(6.0));
  CHECK(async.topics[0].published == 100);
  CHECK(async.topics[0].delivered == 200);
  CHECK(async.topics[0].lag_ms.max == Approx(5.0));
  CHECK(sync.topics[0].published == 0);
  // Coupling: sync users knows both subscribers; async only the broker.
  CHECK(sync.services[0].knows == std::vector<std::string>{"billing", "email"});
  CHECK(async.services[0].knows == std::vector<std::string>{"broker"});
  CHECK(sync.services[1].ca == 1);
  CHECK(async.services[1].knows == std::vector<std::string>{"broker"});
}

TEST_CASE("sync notify with sync.notify parallel waits for the slowest subscriber") {
  auto s = signup(50, 10);
  s.sync_notify = notify_policy::parallel;
  const auto sync = simulate(s, mode::sync);
  CHECK(sync.workloads[0].latency_ms.mean == Approx(6.0));  // 1ms + max(5, 2)
}

TEST_CASE("the broker holds messages while the subscriber's workers are busy") {
  auto s = signup(1000, 1000);  // email needs 5ms per message but gets one every 1ms
  const auto r = simulate(s, mode::async);
  CHECK(r.topics[0].delivered == 2000);
  CHECK(r.topics[0].backlog_max > 500);  // email falls behind by ~0.8 messages per ms
  // email works without pause from 1ms to 5001ms; the last request, sent at 999ms, is only
  // complete then: completion grows with the backlog, latency does not.
  CHECK(r.workloads[0].latency_ms.max == Approx(1.0));
  CHECK(r.workloads[0].completion_ms.max == Approx(5001 - 999));
}

TEST_CASE("parallel branches run concurrently and join on the slowest") {
  auto s = base(20, 3);
  const int a = add_service(s, "a", 1, {work_step(const_ms(4))});
  const int b = add_service(s, "b", 1, {work_step(const_ms(7))});
  const int front =
      add_service(s, "front", 10,
                  {parallel_step({call_step(a, 0), call_step(b, 0), work_step(const_ms(2))}),
                   work_step(const_ms(1))});
  add_workload(s, front, 10, arrival_kind::constant);
  const auto r = simulate(s, mode::sync);
  CHECK(r.workloads[0].latency_ms.mean == Approx(8.0));  // max(4, 7, 2) + 1
  CHECK(r.workloads[0].latency_ms.max == Approx(8.0));
}

TEST_CASE("a full waiting room rejects at once") {
  auto s = base(10, 3);
  const int a = add_service(s, "a", 1, {work_step(const_ms(100))});
  s.services[a].queue = 2;
  add_workload(s, a, 1000, arrival_kind::constant);  // 10 arrivals within 10ms
  const auto r = simulate(s, mode::sync);
  CHECK(r.workloads[0].ok == 3);  // one served, two waited
  CHECK(r.workloads[0].failed == 7);
  CHECK(r.services[0].rejected == 7);
  CHECK(r.workloads[0].availability == Approx(0.3));
}

TEST_CASE("the same seed gives the same results and another seed does not") {
  auto s = signup(5000, 500);
  s.services[0].endpoints[0].steps[0] = work_step(exp_ms(1));
  const auto a = simulate(s, mode::async), b = simulate(s, mode::async);
  CHECK(a.workloads[0].latency_ms.mean == b.workloads[0].latency_ms.mean);
  CHECK(a.topics[0].lag_ms.p99 == b.topics[0].lag_ms.p99);
  CHECK(a.events == b.events);
  s.seed = 10;
  const auto c = simulate(s, mode::async);
  CHECK(a.workloads[0].latency_ms.mean != c.workloads[0].latency_ms.mean);
}

namespace {

// Per bucket of the timeline, a topic's subscriptions' deliveries and losses add up to the
// topic's, and the topic's backlog lies between the largest of theirs and their sum.
void check_timeline_adds_up(const timeline& tl) {
  const auto n = tl.t_s.size();
  for (std::size_t i = 0; i < tl.topics.size(); ++i) {
    const auto& t = tl.topics[i];
    REQUIRE(t.backlog_max.size() == n);
    std::int64_t delivered = 0;
    for (std::size_t k = 0; k < n; ++k) {
      INFO("topic " << i << ", bucket " << k);
      std::int64_t sum_delivered = 0, sum_lost = 0, most = 0, sum_held = 0;
      for (const auto& sub : t.subscriptions) {
        REQUIRE(sub.backlog_max.size() == n);
        REQUIRE(sub.delivered.size() == n);
        REQUIRE(sub.lost.size() == n);
        sum_delivered += sub.delivered[k];
        sum_lost += sub.lost[k];
        most = std::max(most, sub.backlog_max[k]);
        sum_held += sub.backlog_max[k];
      }
      CHECK(sum_delivered == t.delivered[k]);
      CHECK(sum_lost == t.lost[k]);
      CHECK(most <= t.backlog_max[k]);
      CHECK(t.backlog_max[k] <= sum_held);
      delivered += t.delivered[k];
    }
    std::int64_t held = 0;
    for (const auto& sub : t.subscriptions) held += sub.held_at_end;
    CHECK(held == t.held_at_end);
    if (!t.subscriptions.empty()) CHECK(delivered > 0);  // something to add up
  }
}

// Per topic, its subscriptions' counts add up to the topic's, in the run and in the timeline.
void check_subscriptions_add_up(const run_result& r) {
  REQUIRE(r.timeline.topics.size() == r.topics.size());
  check_timeline_adds_up(r.timeline);
  for (const auto& t : r.topics) {
    delivery_counters sum;
    for (const auto& sub : t.subscriptions) {
      sum.delivered += sub.delivered;
      sum.lost += sub.lost;
      sum.redelivered += sub.redelivered;
      sum.dead_lettered += sub.dead_lettered;
    }
    CHECK(sum.delivered == t.delivered);
    CHECK(sum.lost == t.lost);
    CHECK(sum.redelivered == t.redelivered);
    CHECK(sum.dead_lettered == t.dead_lettered);
    // Every delivered message has its lag in its subscription's and in the topic's; the
    // broker holds a subscription's messages among the topic's.
    std::int64_t lags = 0, held = 0;
    double slowest = 0;
    for (const auto& sub : t.subscriptions) {
      CHECK(sub.lag_ms.count == sub.delivered);
      CHECK(sub.backlog_max <= t.backlog_max);
      lags += sub.lag_ms.count;
      held += sub.backlog_max;
      slowest = std::max(slowest, sub.lag_ms.max);
    }
    CHECK(lags == t.lag_ms.count);
    CHECK(slowest == t.lag_ms.max);
    CHECK(t.backlog_max <= held);
  }
}

}  // namespace

TEST_CASE("the broker counts deliveries per subscription, in the topic's order") {
  auto s = signup(100, 10);  // a publish every 100ms from 1ms; email works 5ms, billing 2ms
  const int email = 1;
  add_failure(s, email, failure_kind::crash, 2000, 1000);  // the publishes from 2001 to 2901
  const auto sync = simulate(s, mode::sync);
  REQUIRE(sync.topics[0].subscriptions.size() == 2);
  CHECK(sync.topics[0].subscriptions[0].name == "email");
  CHECK(sync.topics[0].subscriptions[1].name == "billing");
  CHECK(sync.topics[0].subscriptions[0].delivered == 0);  // no broker in sync mode

  // At least once: the one delivery email dropped goes out again once it is up.
  const auto kept = simulate(s, mode::async);
  const auto& kept_subs = kept.topics[0].subscriptions;
  REQUIRE(kept_subs.size() == 2);
  CHECK(kept_subs[0].name == "email");
  CHECK(kept_subs[0].delivered == 100);
  CHECK(kept_subs[0].lost == 0);
  CHECK(kept_subs[0].redelivered == 1);
  CHECK(kept_subs[1].name == "billing");
  CHECK(kept_subs[1].delivered == 100);
  CHECK(kept_subs[1].lost == 0);
  CHECK(kept_subs[1].redelivered == 0);
  // No latency anywhere and no queueing: a delivery's lag is its handler's work, but for the
  // one email took again after its crash.
  CHECK(kept_subs[1].lag_ms.mean == 2.0);
  CHECK(kept_subs[1].lag_ms.max == 2.0);
  CHECK(kept_subs[1].backlog_max == 1);
  CHECK(kept_subs[0].lag_ms.p50 == Approx(5.0).epsilon(0.005));
  CHECK(kept_subs[0].lag_ms.max > 5.0);
  check_subscriptions_add_up(kept);

  // At most once: the 10 messages published while email is down are lost for email only.
  s.broker_delivery = delivery_mode::at_most_once;
  const auto lost = simulate(s, mode::async);
  const auto& lost_subs = lost.topics[0].subscriptions;
  CHECK(lost_subs[0].delivered == 90);
  CHECK(lost_subs[0].lost == 10);
  CHECK(lost_subs[0].redelivered == 0);
  CHECK(lost_subs[1].delivered == 100);
  CHECK(lost_subs[1].lost == 0);
  CHECK(lost_subs[0].lag_ms.mean == 5.0);
  CHECK(lost_subs[0].lag_ms.max == 5.0);
  check_subscriptions_add_up(lost);
}

TEST_CASE("per topic, the subscriptions' counts add up to the topic's") {
  auto loaded =
      load_scenario(std::string(SVCSIM_SOURCE_DIR) + "/scenarios/user-signup-outage.yaml");
  REQUIRE(loaded.value);
  auto s = *loaded.value;  // email crashes for 10s: redeliveries
  auto at_most_once = s;   // losses after the crash
  at_most_once.broker_delivery = delivery_mode::at_most_once;
  auto bounded = s;  // losses to a full subscription
  bounded.broker_capacity = 50;
  for (const auto* variant : {&s, &at_most_once, &bounded}) {
    const auto r = simulate(*variant, mode::async);
    REQUIRE(r.topics.size() == s.topics.size());
    for (std::size_t i = 0; i < r.topics.size(); ++i)
      CHECK(r.topics[i].subscriptions.size() == s.topics[i].subscribers.size());
    CHECK(r.topics[0].lost + r.topics[0].redelivered > 0);
    check_subscriptions_add_up(r);
  }
}

TEST_CASE("a delivery whose handler fails is lost and dead-lettered, for its subscription") {
  auto s = signup(100, 10);
  const int billing = 2;
  add_failure(s, billing, failure_kind::errors, 0, -1, 1.0);  // every billing handler fails
  const auto r = simulate(s, mode::async);
  const auto& subs = r.topics[0].subscriptions;
  CHECK(subs[0].delivered == 100);  // email
  CHECK(subs[0].dead_lettered == 0);
  CHECK(subs[1].delivered == 0);  // billing
  CHECK(subs[1].lost == 100);
  CHECK(subs[1].dead_lettered == 100);
  CHECK(r.topics[0].dead_lettered == 100);
  CHECK(r.timeline.topics[0].subscriptions[1].lost == r.timeline.topics[0].lost);
  check_subscriptions_add_up(r);
}
