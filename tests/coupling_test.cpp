// svcsim coupling on small deterministic scenarios: constant arrivals every 10ms for 1s
// (t = 0, 10, ..., 990ms), constant work, no network latency, so every number is exact.
#include <catch2/catch.hpp>

#include "engine/engine.hpp"
#include "support.hpp"

using namespace svcsim;
using namespace svcsim::testing;

namespace {

constexpr nanos ms = 1000000;

// `front` (no work) notifies `leaf`, which handles each in 8ms on one worker: in sync mode a
// call, in async mode a publish. Services in the order leaf, front.
struct notify_chain {
  scenario s = base(0);
  int leaf = -1, front = -1, topic = -1;
  notify_chain() {
    s.requests.reset();
    s.duration = 1000 * ms;
    leaf = add_service(s, "leaf", 1, {work_step(const_ms(8))});
    front = add_service(s, "front", 10, {});
    topic = add_topic(s, "t");
    subscribe(s, leaf, topic, {work_step(const_ms(8))});
    s.services[front].endpoints[0].steps.push_back(topic_step(step_kind::notify, topic));
    add_workload(s, front, 100, arrival_kind::constant);
  }
};

}  // namespace

TEST_CASE("watch: the requests sent in an interval are counted apart") {
  notify_chain c;
  add_failure(c.s, c.leaf, failure_kind::crash, 400, 200);
  simulate_options o;
  o.watch = send_interval{400 * ms, 600 * ms};
  const auto sync = simulate(c.s, mode::sync, o);
  REQUIRE(sync.watched.size() == 1);
  CHECK(sync.watched[0].requests == 20);  // 400..590
  CHECK(sync.watched[0].ok == 0);
  CHECK(sync.watched[0].failed == 20);
  CHECK(sync.watched[0].done == 20);
  CHECK(sync.watched[0].last_done_ns == 590 * ms);  // refused at once
  const auto async = simulate(c.s, mode::async, o);
  CHECK(async.watched[0].ok == 20);
  CHECK(async.watched[0].done == 20);
  // Held by the broker from 400, handled one by one from 600: the last ends at 600 + 20 x 8.
  CHECK(async.watched[0].last_done_ns == 760 * ms);
  CHECK(simulate(c.s, mode::sync).watched.empty());
}
