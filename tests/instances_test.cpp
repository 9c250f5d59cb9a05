// Instances of a service behind the callers' balancers, consumer groups on the broker, and
// failures of one instance. Small deterministic scenarios (constant arrivals, constant work,
// no network latency), so the counts below are worked out by hand.
#include <catch2/catch.hpp>

#include "actors/simulate.hpp"
#include "actors/subscription_backlog.hpp"
#include "support.hpp"

using namespace svcsim;
using namespace svcsim::testing;

namespace {

// "back": 4 instances of one worker doing 1ms, fed every 1ms (1,000 requests) directly, or,
// with `via_topic`, through "front", which notifies topic "t" that back subscribes to.
scenario four_instances(bool via_topic) {
  auto s = base(1000);
  int back = -1;
  if (!via_topic) {
    back = add_service(s, "back", 1, {work_step(const_ms(1))});
    add_workload(s, back, 1000, arrival_kind::constant);
  } else {
    const auto ps = publish_to_subscriber(s, 100, {}, 1, {work_step(const_ms(1))});
    s.services[ps.pub].endpoints[0].steps.back().kind = step_kind::notify;
    s.services[ps.sub].name = "back";
    back = ps.sub;
    add_workload(s, ps.pub, 1000, arrival_kind::constant);
  }
  s.services[back].instances = 4;
  return s;
}

// Crashes instance 2 (index 1) of `service` from 100ms for 200ms.
void crash_second_instance(scenario& s, int service) {
  add_failure(s, service, failure_kind::crash, 100, 200);
  s.failures.back().instance = 1;
}

const service_result& back_of(const run_result& r) {
  for (const auto& svc : r.services)
    if (svc.name == "back") return svc;
  throw std::logic_error("no back");
}

}  // namespace

TEST_CASE("instances: round-robin shares the requests evenly, and the report has each") {
  const auto r = simulate(four_instances(false), mode::sync);
  const auto& back = back_of(r);
  REQUIRE(back.instances.size() == 4);
  CHECK(back.instance_count == 4);
  CHECK(back.served == 1000);
  for (int k = 0; k < 4; ++k) {
    CHECK(back.instances[k].name == "back#" + std::to_string(k + 1));
    CHECK(back.instances[k].served == 250);
    CHECK(back.instances[k].utilization == Approx(0.25).epsilon(0.01));
  }
  CHECK(back.utilization == Approx(0.25).epsilon(0.01));
  CHECK(back.utilization_min <= back.utilization);
  CHECK(back.utilization_max >= back.utilization);
  CHECK(r.workloads[0].latency_ms.max == Approx(1).epsilon(0.01));  // nobody ever waits
}

TEST_CASE("instances: a crash of one of four takes a quarter of the capacity, in both modes") {
  // Instance 2 gets every 4th request (round-robin from a turn its caller drew): those
  // arriving in [100ms, 300ms), 200ms / 4ms = 50, are refused; and when its share includes the
  // request of 99ms, whose 1ms of work ends at 100ms, the crash's start, that one fails too.
  SECTION("sync: the requests round-robin sends it while it is down fail") {
    auto s = four_instances(false);
    crash_second_instance(s, 0);
    const auto r = simulate(s, mode::sync);
    const auto& back = back_of(r);
    CHECK(r.workloads[0].failed == 50);  // this caller's turn leaves the 99ms request elsewhere
    CHECK(r.workloads[0].ok == 950);
    CHECK(back.dropped == 50);
    CHECK(back.instances[1].dropped == 50);
    CHECK(back.instances[0].dropped + back.instances[2].dropped + back.instances[3].dropped == 0);
    CHECK(back.served == 950);
  }
  SECTION("sync notify: the same calls, made by front's balancer") {
    auto s = four_instances(true);
    crash_second_instance(s, 1);
    const auto r = simulate(s, mode::sync);
    CHECK(r.workloads[0].failed == 51);  // front's turn gives instance 2 the 99ms request
    CHECK(back_of(r).instances[1].dropped == 51);
  }
  SECTION("async: the group's other instances take its messages, none is lost") {
    // The broker hands each message to the next member in turn. The first delivery to the
    // crashed instance comes back dropped; the broker pauses it, redelivers that message to
    // the next member, and skips it until it is back.
    auto s = four_instances(true);
    crash_second_instance(s, 1);
    const auto r = simulate(s, mode::async);
    const auto& t = r.topics[0];
    CHECK(r.workloads[0].failed == 0);
    CHECK(t.published == 1000);
    CHECK(t.delivered == 1000);
    CHECK(t.lost == 0);
    CHECK(t.redelivered == 1);
    const auto& back = back_of(r);
    CHECK(back.instances[1].dropped == 1);
    CHECK(back.served == 1000);
    CHECK(back.instances[1].served < 250);  // out for 200ms of the 1s
  }
}

TEST_CASE("instances: a crash of every instance is a whole-service outage") {
  auto s = four_instances(false);
  add_failure(s, 0, failure_kind::crash, 100, 200);  // no instance: all four
  // The 200 arrivals in [100ms, 300ms) are refused, 50 by each instance; and the job that
  // arrived at 99ms would end at 100ms, the crash's start, so the crash fails it too.
  const auto r = simulate(s, mode::sync);
  CHECK(r.workloads[0].failed == 201);
  std::int64_t dropped = 0;
  for (const auto& one : back_of(r).instances) {
    CHECK((one.dropped == 50 || one.dropped == 51));
    dropped += one.dropped;
  }
  CHECK(dropped == 201);
}

TEST_CASE("instances: each policy is deterministic and every request ends in one place") {
  for (auto policy : {balance_policy::round_robin, balance_policy::random,
                      balance_policy::least_outstanding, balance_policy::power_of_two}) {
    auto s = base(20000, 3);
    const int front = add_service(s, "front", 64, {call_step(1, 0)});
    const int back = add_service(s, "back", 2, {work_step(exp_ms(2))});
    s.services[back].instances = 3;
    s.services[back].balance = policy;
    add_workload(s, front, 2000);
    add_failure(s, back, failure_kind::crash, 2000, 1000);
    s.failures.back().instance = 2;
    s.services[front].endpoints[0].steps[0].policy.timeout = 50 * 1000000LL;
    const auto a = simulate(s, mode::sync);
    const auto b = simulate(s, mode::sync);
    INFO(to_string(policy));
    const auto& w = a.workloads[0];
    CHECK(w.ok + w.failed + w.unfinished == w.requests);
    CHECK(w.failed > 0);
    CHECK(a.services[back].served == b.services[back].served);
    CHECK(w.latency_ms.p99 == b.workloads[0].latency_ms.p99);
    std::int64_t served = 0;
    for (const auto& one : a.services[back].instances) served += one.served;
    CHECK(served == a.services[back].served);
  }
}

namespace {

// "pub" publishes topic "t" of `partitions` partitions with `key`; "sub" (`instances` of one
// worker, exp(1ms)) consumes it; `rate` per second, 100,000 requests.
scenario partitioned(int partitions, int instances, double rate, message_key key) {
  auto s = base(100000);
  const auto ps = publish_to_subscriber(s, 100000, {}, 1, {work_step(exp_ms(1))});
  s.topics[ps.topic].partitions = partitions;
  s.services[ps.pub].endpoints[0].steps.back().key = key;
  s.services[ps.sub].instances = instances;
  add_workload(s, ps.pub, rate);
  return s;
}

message_key uniform_key(std::int64_t n) {
  message_key k;
  k.k = message_key::kind::uniform;
  k.values = n;
  return k;
}

}  // namespace

TEST_CASE("partitions: one partition is consumed one message at a time, whatever the group") {
  // Four instances could take four messages at once; one partition lets one go at a time, in
  // order, so the group is an M/M/1 (ρ = 0.8: mean lag 5ms) instead of an M/M/4 (1.75ms).
  const auto one = simulate(partitioned(1, 4, 800, {}), mode::async);
  const auto none = simulate(partitioned(0, 4, 800, {}), mode::async);
  CHECK(one.topics[0].lag_ms.mean == Approx(5).epsilon(0.1));
  CHECK(none.topics[0].lag_ms.mean < 1.5);
  const auto& sub = one.topics[0].subscriptions[0];
  CHECK(sub.partitions == 1);
  CHECK(sub.worst_partition == 0);
  CHECK(sub.worst_partition_lag_ms_mean == Approx(one.topics[0].lag_ms.mean).epsilon(1e-9));
  CHECK(none.topics[0].subscriptions[0].worst_partition == -1);
}

TEST_CASE("partitions: every message ends in one place when an instance crashes") {
  auto s = partitioned(8, 4, 2000, uniform_key(1000));
  add_failure(s, 1, failure_kind::crash, 10000, 5000);
  s.failures.back().instance = 2;
  for (auto delivery : {delivery_mode::at_least_once, delivery_mode::at_most_once}) {
    s.broker_delivery = delivery;
    const auto r = simulate(s, mode::async);
    const auto& t = r.topics[0];
    CHECK(t.published == 100000);
    CHECK(t.delivered + t.lost == t.published);
    CHECK(r.workloads[0].ok == 100000);
    if (delivery == delivery_mode::at_least_once) {
      CHECK(t.lost == 0);
      CHECK(t.redelivered > 0);
    } else {
      CHECK(t.lost > 0);
    }
  }
}

TEST_CASE("partitions: one message in flight per partition, even across clear()") {
  // Was a bug (review): clear() (at-most-once, every instance down) forgot the partition's
  // message in flight, so its late done() made the partition ready twice.
  subscription_backlog b(2);
  b.push(queued{1, 0, 1, 0});
  REQUIRE(b.next());
  CHECK(b.take().seq == 1);
  CHECK(b.clear().empty());
  b.push(queued{2, 0, 2, 0});
  b.push(queued{3, 0, 3, 0});
  b.push(queued{4, 0, 4, 1});
  REQUIRE(b.next());
  CHECK(b.next()->seq == 4);  // partition 0 still has seq 1 in flight
  CHECK(b.take().seq == 4);
  CHECK(b.next() == nullptr);
  b.done(0);  // seq 1 comes back done: partition 0 goes on, in order
  CHECK(b.take().seq == 2);
  CHECK(b.next() == nullptr);
  b.done(0);
  b.done(0);  // a second done() of one delivery changes nothing
  CHECK(b.take().seq == 3);
  CHECK(b.next() == nullptr);
}
