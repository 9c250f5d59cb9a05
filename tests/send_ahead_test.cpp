// A call that follows local work goes on the clock when the work starts, for when it ends,
// instead of by a wake of its station then (frame_station::sends_ahead). That is a shortcut of
// the simulation, not of the model: every report and every span must be the same as with the
// wake, but for `events` (and, documented, the order of messages due at the same nanosecond).
// Checked on every shipped scenario and on the cases where the shortcut must stand aside.
#include <catch2/catch.hpp>

#include "report_diff.hpp"
#include "support.hpp"

using namespace svcsim;
using namespace svcsim::testing;

namespace {

// The JSON report of both modes without `events` and `wall_time_s`, then the spans of every
// 5th request (a traced request's calls take the wake: the rest send ahead).
std::string report_of(const scenario& s, bool ahead) {
  std::string spans;
  simulate_options o;
  o.send_ahead = ahead;
  collect_spans(o, 5, spans);
  return report_without_costs(s, o) + spans;
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
      [](const scenario& s) { CHECK(report_of(s, true) == report_of(s, false)); });
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
