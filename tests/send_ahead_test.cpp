// A call that follows local work goes on the clock when the work starts, for when it ends,
// instead of by a wake of its station then (frame_station::sends_ahead). That is a shortcut of
// the simulation, not of the model: every report and every span must be the same as with the
// wake, but for `events`, the numbering of span ids and (documented) the order of messages due
// at the same nanosecond. Checked on every shipped scenario and on the cases where the
// shortcut must stand aside; and tracing, which changes nothing else, does not change it.
#include <algorithm>
#include <catch2/catch.hpp>
#include <map>
#include <tuple>

#include "report_diff.hpp"
#include "support.hpp"

using namespace svcsim;
using namespace svcsim::testing;

namespace {

// The spans as text that does not depend on the order ids were handed out in: sorted by
// request and by what each span is and when, numbered in that order, parents and links by
// those numbers.
std::string canonical(std::vector<span> all) {
  const auto key = [](const span& x) {
    return std::make_tuple(x.request, x.start, x.end, static_cast<int>(x.kind), x.party,
                           x.callee_party, x.handler, x.topic, x.member, x.attempt,
                           static_cast<int>(x.status), x.queued);
  };
  std::sort(all.begin(), all.end(), [&](const span& a, const span& b) { return key(a) < key(b); });
  std::map<std::uint64_t, std::size_t> number{{0, 0}};
  for (std::size_t i = 0; i < all.size(); ++i) number[all[i].id] = i + 1;
  std::string out;
  for (const auto& x : all)
    out += std::to_string(x.request) + " " + std::to_string(number.at(x.parent)) + " " +
           std::to_string(number.at(x.link)) + " " + std::to_string(static_cast<int>(x.kind)) +
           " " + std::to_string(x.party) + " " + std::to_string(x.callee_party) + " " +
           std::to_string(x.start) + " " + std::to_string(x.end) + " " +
           std::to_string(static_cast<int>(x.status)) + "\n";
  return out;
}

// For each mode, the JSON report without `events` and `wall_time_s`, then the spans of every
// `every`-th request, canonical.
std::string report_of(const scenario& s, bool ahead, std::uint64_t every = 5) {
  std::string out;
  for (mode m : {mode::sync, mode::async}) {
    std::vector<span> spans;
    simulate_options o;
    o.send_ahead = ahead;
    o.trace.every = every;
    o.spans = [&](const std::vector<span>& batch) {
      spans.insert(spans.end(), batch.begin(), batch.end());
    };
    out += report_without_costs(s, o, {m});
    out += canonical(spans);
  }
  return out;
}

std::int64_t events_of(const scenario& s, mode m, bool ahead) {
  simulate_options o;
  o.send_ahead = ahead;
  return simulate(s, m, o).events;
}

// A front service (2 workers, near saturation) that works, calls `a`, works, calls `b` and
// works again; a and b do exp work. 4,000 requests.
struct chain {
  scenario s;
  int front, a, b;
};
chain make_chain(std::uint64_t seed) {
  chain c{base(4000, seed), 0, 0, 0};
  c.a = add_service(c.s, "a", 2, {work_step(exp_ms(1))});
  c.b = add_service(c.s, "b", 1, {work_step(exp_ms(2))});
  c.front = add_service(c.s, "front", 2,
                        {work_step(exp_ms(1)), call_step(c.a, 0), work_step(exp_ms(1)),
                         call_step(c.b, 0), work_step(exp_ms(0.5))});
  add_workload(c.s, c.front, 250);
  c.s.network_latency = 300000;
  return c;
}

}  // namespace

TEST_CASE("send ahead: every shipped scenario reports as with a wake per call", "[repeats]") {
  for_each_shipped_scenario(
      [](const scenario& s) { CHECK(report_of(s, true, 25) == report_of(s, false, 25)); });
}

TEST_CASE("send ahead: the same reports where it must stand aside") {
  auto c = make_chain(3);
  SECTION("plain: fewer events, the same report") {
    CHECK(report_of(c.s, true) == report_of(c.s, false));
    // Two calls after work per request, each a wake saved.
    const auto saved = events_of(c.s, mode::sync, false) - events_of(c.s, mode::sync, true);
    CHECK(saved >= 2 * 4000);
  }
  SECTION("crashes and hangs of the caller, slow and failing spells") {
    add_failure(c.s, c.front, failure_kind::crash, 2000, 300);
    add_failure(c.s, c.front, failure_kind::hang, 6000, 400);
    add_failure(c.s, c.front, failure_kind::slow, 9000, 1000, 3);
    add_failure(c.s, c.front, failure_kind::errors, 11000, 1000, 0.2);
    add_failure(c.s, c.a, failure_kind::crash, 4000, 500);
    CHECK(report_of(c.s, true) == report_of(c.s, false));
  }
  SECTION("timeouts, retries and a breaker on the calls") {
    auto& steps = c.s.services[c.front].endpoints[0].steps;
    call_policy p;
    p.timeout = 3000000;
    p.retries = 2;
    p.backoff = 1000000;
    p.jitter = true;
    steps[1].policy = p;
    call_policy q;
    q.breaker.failures = 3;
    q.breaker.window = 1000000000;
    q.breaker.open = 200000000;
    steps[3].policy = q;
    add_failure(c.s, c.b, failure_kind::errors, 3000, 4000, 0.5);
    CHECK(report_of(c.s, true) == report_of(c.s, false));
  }
  SECTION("overloaded, cut by the drain limit") {
    add_workload(c.s, c.front, 400);
    c.s.drain = 100000000;
    const auto on = report_of(c.s, true, 1);
    CHECK(on.find("\"unfinished\": 0,") == std::string::npos);  // the limit cut some
    CHECK(on == report_of(c.s, false, 1));
  }
  SECTION("a non-blocking caller") {
    c.s.services[c.front].blocking = false;
    CHECK(report_of(c.s, true) == report_of(c.s, false));
  }
  SECTION("calls in parallel branches after work, one of them failing") {
    auto& steps = c.s.services[c.front].endpoints[0].steps;
    steps = {work_step(exp_ms(1)), parallel_step({call_step(c.a, 0), call_step(c.b, 0)}),
             work_step(exp_ms(1)), call_step(c.a, 0)};
    add_failure(c.s, c.b, failure_kind::errors, 3000, 4000, 0.5);
    CHECK(report_of(c.s, true) == report_of(c.s, false));
  }
  SECTION("a callee of three instances") {
    c.s.services[c.a].instances = 3;
    c.s.services[c.a].balance = balance_policy::least_outstanding;
    CHECK(report_of(c.s, true) == report_of(c.s, false));
  }
}

TEST_CASE("send ahead: a sibling branch that fails the job at once stops the call") {
  // The front works, then calls `a` in parallel with a sibling that fails the job when its
  // branch starts: the wake-up would find the job failed and not call.
  scenario s = base(400, 7);
  const int a = add_service(s, "a", 4, {work_step(const_ms(2))});
  s.network_latency = 300000;
  SECTION("a publish while the broker is down") {
    const int sub = add_service(s, "sub", 2, {});
    s.services[sub].endpoints.clear();
    const int t = add_topic(s, "t");
    subscribe(s, sub, t, {work_step(exp_ms(1))});
    const int front =
        add_service(s, "front", 8,
                    {work_step(exp_ms(1)),
                     parallel_step({call_step(a, 0), topic_step(step_kind::publish, t)})});
    add_workload(s, front, 100);
    add_failure(s, s.broker_party(), failure_kind::crash, 1000, 1000);
    CHECK(report_of(s, true) == report_of(s, false));
  }
  SECTION("an open breaker, or a crashed callee with no latency") {
    const int y = add_service(s, "y", 4, {work_step(const_ms(1))});
    const int front = add_service(
        s, "front", 8, {work_step(exp_ms(1)), parallel_step({call_step(y, 0), call_step(a, 0)})});
    add_workload(s, front, 100);
    add_failure(s, y, failure_kind::crash, 1000, 1000);
    call_policy q;
    q.breaker.failures = 2;
    q.breaker.window = 1000000000;
    q.breaker.open = 500000000;
    s.services[front].endpoints[0].steps[1].branches[0].policy = q;
    CHECK(report_of(s, true) == report_of(s, false));
    s.services[front].endpoints[0].steps[1].branches[0].policy = call_policy{};
    s.network_latency = 0;
    CHECK(report_of(s, true) == report_of(s, false));
  }
}

TEST_CASE("send ahead: parallel branches keep their order at the instant they start") {
  // Branches start at the same nanosecond; were some sent ahead and others not (a breaker, a
  // callee of two instances), their order would flip, with exponential times too.
  scenario s = base(2000, 5);
  const int c = add_service(s, "c", 2, {work_step(exp_ms(2))});
  const int a = add_service(s, "a", 8, {call_step(c, 0), work_step(exp_ms(1))});
  const int b = add_service(s, "b", 8, {call_step(c, 0), work_step(exp_ms(8))});
  s.services[a].instances = 2;
  const int front = add_service(
      s, "front", 8, {work_step(exp_ms(1)), parallel_step({call_step(a, 0), call_step(b, 0)})});
  auto& branches = s.services[front].endpoints[0].steps[1].branches;
  branches[0].policy.timeout = 5000000;
  branches[1].policy.timeout = 5000000;
  branches[1].policy.retries = 2;
  add_workload(s, front, 150);
  s.network_latency = 300000;
  CHECK(report_of(s, true) == report_of(s, false));
}

TEST_CASE("send ahead: tracing every request changes no report, ties included") {
  // Constant times: f1's call to b (after work) and f2's (right after a reply) reach b, one
  // worker and no waiting room, at the same nanosecond; which one b takes depends on the
  // order, which must not depend on tracing.
  scenario s = base(200, 1);
  const int b = add_service(s, "b", 1, {work_step(const_ms(1))});
  s.services[b].queue = 0;
  const int c = add_service(s, "c", 4, {work_step(const_ms(3))});
  const int d = add_service(s, "d", 4, {work_step(const_ms(1))});
  const int f1 =
      add_service(s, "f1", 4, {call_step(d, 0), work_step(const_ms(2)), call_step(b, 0)});
  const int f2 = add_service(s, "f2", 4, {call_step(c, 0), call_step(b, 0)});
  add_workload(s, f1, 50, arrival_kind::constant);
  add_workload(s, f2, 50, arrival_kind::constant);
  s.network_latency = 1000000;
  const auto untraced = report_without_costs(s, simulate_options{});
  simulate_options all;
  all.trace.every = 1;
  all.spans = [](const std::vector<span>&) {};
  CHECK(report_without_costs(s, all) == untraced);
  // b turns away one of each pair of simultaneous calls: 100 of 200.
  CHECK(untraced.find("\"rejected\": 100,") != std::string::npos);
}

TEST_CASE("send ahead: branches of plain calls go ahead together") {
  // After work, a parallel op of calls to a, b and c; nothing can fail the job at the instant
  // the branches start, so each call goes ahead (a wake saved per branch).
  scenario s = base(3000, 11);
  const int a = add_service(s, "a", 2, {work_step(exp_ms(1))});
  const int b = add_service(s, "b", 2, {work_step(exp_ms(2))});
  const int c = add_service(s, "c", 2, {work_step(exp_ms(1))});
  const int front = add_service(
      s, "front", 4,
      {work_step(exp_ms(1)), parallel_step({call_step(a, 0), call_step(b, 0), call_step(c, 0)}),
       work_step(exp_ms(0.5)), call_step(a, 0)});
  add_workload(s, front, 200);
  SECTION("with latency, callees crashing and failing") {
    s.network_latency = 300000;
    add_failure(s, b, failure_kind::crash, 3000, 2000);
    add_failure(s, c, failure_kind::errors, 6000, 3000, 0.4);
    s.services[a].queue = 2;
    CHECK(report_of(s, true) == report_of(s, false));
    const auto saved = events_of(s, mode::sync, false) - events_of(s, mode::sync, true);
    CHECK(saved >= 3 * 3000);
  }
  SECTION("no latency, callees that cannot fail") {
    CHECK(report_of(s, true) == report_of(s, false));
    const auto saved = events_of(s, mode::sync, false) - events_of(s, mode::sync, true);
    CHECK(saved >= 3 * 3000);
  }
  SECTION("no latency, a callee that crashes: the branches wake") {
    add_failure(s, b, failure_kind::crash, 3000, 2000);
    CHECK(report_of(s, true) == report_of(s, false));
  }
  SECTION("no latency, a callee whose waiting room is bounded: the branches wake") {
    s.services[a].workers = 1;
    s.services[a].queue = 0;
    CHECK(report_of(s, true) == report_of(s, false));
  }
}

TEST_CASE("send ahead: without latency, every call of a branch must be one that cannot fail") {
  // parallel [notify t, call c] after work, no latency: the notify calls s1 (no work: it
  // answers at once) then s2, which is crashed for a while; its refusal fails the request at
  // the instant the branches start, so c must not be called then.
  scenario s = base(2000, 13);
  const int c = add_service(s, "c", 2, {work_step(exp_ms(1))});
  const int s1 = add_service(s, "s1", 2, {});
  const int s2 = add_service(s, "s2", 2, {});
  s.services[s1].endpoints.clear();
  s.services[s2].endpoints.clear();
  const int t = add_topic(s, "t");
  subscribe(s, s1, t, {});
  subscribe(s, s2, t, {work_step(exp_ms(1))});
  const int front = add_service(
      s, "front", 4,
      {work_step(exp_ms(1)), parallel_step({topic_step(step_kind::notify, t), call_step(c, 0)})});
  add_workload(s, front, 200);
  add_failure(s, s2, failure_kind::crash, 3000, 2000);
  CHECK(report_of(s, true) == report_of(s, false));
}
