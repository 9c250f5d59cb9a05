// svcsim coupling on small deterministic scenarios: constant arrivals every 10ms for 1s
// (t = 0, 10, ..., 990ms), constant work, no network latency, so every number is exact.
#include <algorithm>
#include <catch2/catch.hpp>

#include "actors/simulate.hpp"
#include "scenarios/load/loader.hpp"
#include "studies/blast_radius.hpp"
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

TEST_CASE("crash window: the middle tenth, or a given length centred; never longer") {
  notify_chain c;
  auto w = choose_window(c.s, std::nullopt);
  CHECK(w.error.empty());
  CHECK(w.by_default);
  CHECK(w.from == 450 * ms);
  CHECK(w.to == 550 * ms);
  w = choose_window(c.s, 200 * ms);
  CHECK(w.from == 400 * ms);
  CHECK(w.to == 600 * ms);
  CHECK(!w.by_default);
  CHECK(choose_window(c.s, 1000 * ms).error.empty());
  CHECK(choose_window(c.s, 1001 * ms).error ==
        "--window 1.001s is longer than the arrivals, which end at 1s; the crash must fit in "
        "them: use --window 1s or less");
  // With `requests` alone, arrivals end at the last request's send time.
  auto r = base(51);
  add_workload(r, add_service(r, "a", 1, {}), 100, arrival_kind::constant);
  w = choose_window(r, std::nullopt);
  CHECK(w.arrivals_end == 500 * ms);
  CHECK(w.from == 225 * ms);
  r.requests = 1;  // sent at 0: no window at all
  CHECK(choose_window(r, std::nullopt).error ==
        "the arrivals of scenario 'test' end at 0s, which leaves no window to crash a service "
        "in; give it a longer duration or more requests");
}

TEST_CASE("with_crash keeps other failures and replaces an overlapping one of its own") {
  notify_chain c;
  add_failure(c.s, c.leaf, failure_kind::slow, 100, 100, 3.0);
  add_failure(c.s, c.leaf, failure_kind::hang, 500, 50);
  add_failure(c.s, c.front, failure_kind::crash, 450, 10);
  const auto w = choose_window(c.s, 200 * ms);
  std::string replaced;
  const auto s = with_crash(c.s, c.leaf, w, &replaced);
  CHECK(replaced == "hang from 0.5s for 0.05s");
  REQUIRE(s.failures.size() == 3);
  CHECK(s.failures[0].kind == failure_kind::slow);
  CHECK(s.failures[1].kind == failure_kind::crash);
  CHECK(s.failures[1].service == c.leaf);
  CHECK(s.failures[1].at == 400 * ms);
  CHECK(*s.failures[1].length == 200 * ms);
  CHECK(s.failures[2].service == c.front);
  with_crash(c.s, c.front, w, &replaced);
  CHECK(replaced == "crash from 0.45s for 0.01s");
}

TEST_CASE("blast radius: a required sync call fails with its callee, an event waits for it") {
  notify_chain c;
  const auto b = measure_blast_radius(c.s, choose_window(c.s, 200 * ms), 1);
  REQUIRE(b.error.empty());
  CHECK(b.runs == 8);  // nothing, leaf, front, the broker crashed; both modes
  const auto& base_sync = b.baseline.cells[0][0];
  CHECK(base_sync.window_availability == 1.0);
  CHECK(base_sync.window_requests == 20);
  CHECK(base_sync.catch_up_s == 0.0);  // the last, sent at 590, done at 598
  REQUIRE(b.rows.size() == 3);
  const auto& leaf_sync = b.rows[c.leaf].cells[0][0];
  CHECK(leaf_sync.window_availability == 0.0);
  CHECK(leaf_sync.window_failed == 20);
  CHECK(leaf_sync.availability == Approx(0.8));
  CHECK(!leaf_sync.p99_ms);  // none of the window's requests was ok
  CHECK(leaf_sync.run_p99_ms == Approx(8).epsilon(0.005));
  CHECK(leaf_sync.down());
  const auto& leaf_async = b.rows[c.leaf].cells[1][0];
  CHECK(leaf_async.window_availability == 1.0);
  CHECK(leaf_async.availability == 1.0);
  CHECK(!leaf_async.down());
  REQUIRE(leaf_async.catch_up_s);
  CHECK(*leaf_async.catch_up_s == Approx(0.160));
  CHECK(leaf_async.p99_ms == Approx(0).margin(0.001));  // the front answers at once
  // The front crashed: its clients are refused in both modes.
  for (int m : {0, 1}) CHECK(b.rows[c.front].cells[m][0].window_availability == 0.0);
  // The broker crashed: sync does not use it; async front's publishes fail (on_broker_down:
  // fail), and with them its requests.
  const auto& broker = b.rows[2];
  CHECK(broker.failed == c.s.broker_party());
  CHECK(broker.cells[0][0].window_availability == 1.0);
  CHECK(broker.cells[1][0].window_availability == 0.0);
}

TEST_CASE("blast radius: requests never done leave catch-up unknown") {
  notify_chain c;
  c.s.broker_delivery = delivery_mode::at_most_once;
  const auto b = measure_blast_radius(c.s, choose_window(c.s, 200 * ms), 2);
  const auto& leaf_async = b.rows[c.leaf].cells[1][0];
  CHECK(leaf_async.window_availability == 1.0);
  CHECK(!leaf_async.catch_up_s);  // their deliveries were lost
}

TEST_CASE("takes down: services ranked by the workloads they take down") {
  notify_chain c;
  add_workload(c.s, c.leaf, 10, arrival_kind::constant);  // straight to leaf.e
  const auto b = measure_blast_radius(c.s, choose_window(c.s, 200 * ms), 2);
  REQUIRE(b.error.empty());
  const auto sync = rank_takedowns(b, mode::sync);
  REQUIRE(sync.size() == 2);
  CHECK(sync[0].service == c.leaf);
  CHECK(sync[0].workloads == std::vector<int>{0, 1});
  CHECK(sync[1].service == c.front);
  CHECK(sync[1].workloads == std::vector<int>{0});
  const auto async = rank_takedowns(b, mode::async);
  REQUIRE(async.size() == 3);
  CHECK(async[0].service == c.leaf);
  CHECK(async[0].workloads == std::vector<int>{1});
  CHECK(async[1].service == c.front);
  CHECK(async[1].workloads == std::vector<int>{0});
  CHECK(async[2].service == c.s.broker_party());
  CHECK(async[2].workloads == std::vector<int>{0});
}

TEST_CASE("blast radius: replications pool their cells") {
  notify_chain c;  // constant arrivals and work: every replication is the same
  const auto w = choose_window(c.s, 200 * ms);
  const auto one = measure_blast_radius(c.s, w, 1);
  const auto three = measure_blast_radius(c.s, w, 2, {}, nullptr, 3);
  CHECK(three.runs == 24);
  CHECK(three.replications == 3);
  const auto &a = one.rows[c.leaf].cells[1][0], &b = three.rows[c.leaf].cells[1][0];
  CHECK(b.window_requests == 3 * a.window_requests);  // counts are summed
  CHECK(b.window_availability == a.window_availability);
  CHECK(b.catch_up_s == a.catch_up_s);
  REQUIRE(b.catch_up_s_hw);
  CHECK(*b.catch_up_s_hw == 0);
  CHECK(!a.catch_up_s_hw);  // one run has no interval
}

TEST_CASE("blast radius: the same whatever the number of threads") {
  notify_chain c;
  const auto w = choose_window(c.s, std::nullopt);
  const auto one = measure_blast_radius(c.s, w, 1), three = measure_blast_radius(c.s, w, 3);
  for (std::size_t v = 0; v < one.rows.size(); ++v)
    for (int m : {0, 1}) {
      const auto &a = one.rows[v].cells[m][0], &b = three.rows[v].cells[m][0];
      CHECK(a.window_ok == b.window_ok);
      CHECK(a.window_failed == b.window_failed);
      CHECK(a.availability == b.availability);
      CHECK(a.p99_ms == b.p99_ms);
      CHECK(a.catch_up_s == b.catch_up_s);
    }
}

TEST_CASE("static view: the broker is known by every service that publishes or consumes") {
  const auto loaded = load_scenario(std::string(SVCSIM_SOURCE_DIR) + "/scenarios/user-signup.yaml");
  REQUIRE(loaded.value);
  const auto view = static_coupling(*loaded.value);
  // sync: users.create notifies user.created, that is, calls email, billing and analytics;
  // nothing passes the broker.
  const auto& sync = view.broker[static_cast<int>(mode::sync)];
  CHECK(sync.ca == 0);
  CHECK(sync.known_by.empty());
  // async: users publishes user.created, which email, billing and analytics consume: 1 + 3.
  const auto& async = view.broker[static_cast<int>(mode::async)];
  CHECK(async.ce == 0);
  CHECK(async.knows.empty());
  CHECK(async.ca == 4);
  CHECK(async.known_by == std::vector<std::string>{"analytics", "billing", "email", "users"});
  CHECK(async.instability() == 0.0);
  // Each of them knows the broker, as its own row says.
  for (const auto& c : view.services[static_cast<int>(mode::async)])
    CHECK(c.knows == std::vector<std::string>{"broker"});
  // A run reports the same for its mode.
  auto s = *loaded.value;
  s.duration = 100 * ms;
  CHECK(simulate(s, mode::async).broker_coupling.known_by == async.known_by);
  CHECK(simulate(s, mode::sync).broker_coupling.ca == 0);
}

TEST_CASE("static view: in sync mode only publish steps and their subscribers use the broker") {
  // orders calls payments, notifies order.placed (shipping) and publishes order.audit
  // (audit). quiet publishes nothing and subscribes to nothing; payments is only called.
  const auto loaded = parse_scenario(R"(name: shop
duration: 1s
services:
  orders:
    endpoints:
      place:
        steps:
          - call: payments.charge
          - notify: order.placed
          - publish: order.audit
  payments:
    endpoints:
      charge:
        work: 1ms
  shipping:
    subscribes:
      order.placed:
        work: 1ms
  audit:
    subscribes:
      order.audit:
        work: 1ms
  quiet:
    endpoints:
      ping:
        work: 1ms
workloads:
  - name: checkout
    target: orders.place
    arrivals: constant(10/s)
)",
                                     "shop.yaml");
  REQUIRE(loaded.value);
  const auto view = static_coupling(*loaded.value);
  // sync: orders publishes order.audit and audit consumes it; order.placed is a call to
  // shipping, so shipping does not use the broker.
  const auto& sync = view.broker[static_cast<int>(mode::sync)];
  CHECK(sync.ca == 2);
  CHECK(sync.known_by == std::vector<std::string>{"audit", "orders"});
  // async: the notify is a publish too, so shipping consumes: orders, shipping, audit.
  const auto& async = view.broker[static_cast<int>(mode::async)];
  CHECK(async.ca == 3);
  CHECK(async.known_by == std::vector<std::string>{"audit", "orders", "shipping"});
  CHECK(async.ce == 0);
  // The broker's ca counts the services whose knows has it, in both modes.
  for (mode m : {mode::sync, mode::async}) {
    int knowing = 0;
    for (const auto& c : view.services[static_cast<int>(m)])
      knowing += static_cast<int>(std::count(c.knows.begin(), c.knows.end(), "broker"));
    CHECK(knowing == view.broker[static_cast<int>(m)].ca);
  }
}
