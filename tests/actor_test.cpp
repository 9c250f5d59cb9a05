// Each actor alone on a driven testing scheduler: a probe actor stands in for its peers and
// notes what reaches it, and when, in simulated time.
#include <caf/all.hpp>
#include <catch2/catch.hpp>
#include <optional>

#include "actors/messages.hpp"
#include "actors/run_context.hpp"
#include "actors/virtual_scheduler.hpp"
#include "support.hpp"

using namespace svcsim;
using namespace svcsim::testing;

namespace {

struct seen {
  nanos at;
  std::string what;  // "job h=H corr=C" or "reply corr=C ok=B end=E"
};

struct probe_state {
  std::vector<seen>* log = nullptr;
};

// One run with `s`'s services and broker, and a probe as party `probe_id()`.
struct fixture {
  scenario s;
  plan p;
  recorder rec{1, 4, measure_window{0, 1000000000000, 1000000000000}};
  std::vector<service_tally> tallies;
  std::vector<failure_schedule> failures;
  run_status status;
  std::optional<run_context> w;  // outlives the actor system: actors hold a pointer to it
  caf::actor_system_config cfg;
  std::unique_ptr<caf::actor_system> sys;
  virtual_scheduler* sched = nullptr;
  std::vector<seen> log;

  explicit fixture(scenario sc, mode m) : s(std::move(sc)) {
    p = compile(s, m);
    tallies.resize(s.services.size() + 1);  // the broker's last
    failures = failure_schedules(s);
    virtual_scheduler::install(cfg);
    sys = std::make_unique<caf::actor_system>(cfg);
    sched = &virtual_scheduler::of(*sys);
    w.emplace(*sys, s, p, failures, rec, tallies, status, run_options{},
              [this](caf::actor_system& on, const run_context* ctx) {
                return std::vector<caf::actor>{spawn_probe(on, ctx)};
              });
    sched->run();
  }

  caf::actor spawn_probe(caf::actor_system& on, const run_context* ctx) {
    auto* log_ptr = &log;
    return on.spawn([log_ptr, ctx](caf::stateful_actor<probe_state>* self) -> caf::behavior {
      self->state.log = log_ptr;
      auto note = [self, ctx](std::string what) {
        self->state.log->push_back(seen{ctx->now(self), std::move(what)});
      };
      return {
          [note](const job_msg& m) {
            note("job h=" + std::to_string(m.handler) + " corr=" + std::to_string(m.corr));
          },
          [note](const reply_msg& r) {
            note("reply corr=" + std::to_string(r.corr) + " ok=" + std::to_string(r.ok) +
                 " end=" + std::to_string(r.end));
          },
      };
    });
  }

  ~fixture() {
    w->shutdown(*sched);
    sys->await_actors_before_shutdown(false);
  }

  int probe_id() const { return w->broker + 1; }

  // Sends `msg` from the probe to party `to` now.
  template <class Msg>
  void send(int to, Msg msg) {
    caf::anon_send(w->party(to), msg);
    sched->run();
  }

  // Fires timers until none is left; returns the simulated time reached.
  nanos run_all() {
    sched->run();
    while (sched->deliver_next()) sched->run();
    return w->now_of_clock(sys->clock().now());
  }
};

constexpr nanos ms = 1000000;

}  // namespace

TEST_CASE("service: one worker serves jobs in arrival order and replies after work and a hop") {
  auto s = base(1);
  s.network_latency = 1 * ms;
  add_service(s, "a", 1, {work_step(const_ms(2))});
  fixture f(std::move(s), mode::sync);
  for (std::uint64_t corr : {7, 8, 9})
    f.send(0, job_msg{0, static_cast<std::int32_t>(f.probe_id()), corr, f.rec.open(0, 0)});
  f.run_all();
  REQUIRE(f.log.size() == 3);
  CHECK(f.log[0].at == 3 * ms);
  CHECK(f.log[0].what == "reply corr=7 ok=1 end=2000000");
  CHECK(f.log[1].at == 5 * ms);
  CHECK(f.log[2].at == 7 * ms);
  CHECK(f.log[2].what == "reply corr=9 ok=1 end=6000000");
  CHECK(f.tallies[0].served == 3);
  CHECK(f.tallies[0].queue_max == 2);
}

TEST_CASE("service: a handler that calls holds its worker until the reply comes back") {
  auto s = base(1);
  add_service(s, "a", 1, {work_step(const_ms(1)), call_step(1, 0), work_step(const_ms(1))});
  add_service(s, "b", 1, {work_step(const_ms(5))});
  fixture f(std::move(s), mode::sync);
  f.send(0, job_msg{0, static_cast<std::int32_t>(f.probe_id()), 1, f.rec.open(0, 0)});
  f.send(0, job_msg{0, static_cast<std::int32_t>(f.probe_id()), 2, f.rec.open(0, 0)});
  f.run_all();
  REQUIRE(f.log.size() == 2);
  // 1ms work, 5ms at b, 1ms work; the second job waits for the worker the whole time.
  CHECK(f.log[0].at == 7 * ms);
  CHECK(f.log[1].at == 14 * ms);
  CHECK(f.tallies[0].served == 2);
  CHECK(f.tallies[1].served == 2);
}

TEST_CASE("service: a full waiting room refuses at once") {
  auto s = base(1);
  add_service(s, "a", 1, {work_step(const_ms(10))});
  s.services[0].queue = 1;
  fixture f(std::move(s), mode::sync);
  for (std::uint64_t corr : {1, 2, 3})
    f.send(0, job_msg{0, static_cast<std::int32_t>(f.probe_id()), corr, f.rec.open(0, 0)});
  f.run_all();
  REQUIRE(f.log.size() == 3);
  CHECK(f.log[0].what == "reply corr=3 ok=0 end=0");  // refused at time 0
  CHECK(f.log[0].at == 0);
  CHECK(f.log[1].at == 10 * ms);
  CHECK(f.log[2].at == 20 * ms);
  CHECK(f.tallies[0].rejected == 1);
}

TEST_CASE("broker: delivers up to the subscriber's workers and the rest after acks") {
  auto s = base(1);
  add_service(s, "pub", 1, {});
  add_service(s, "sub", 2, {});
  s.services[1].endpoints.clear();
  const int t = add_topic(s, "t");
  subscribe(s, 1, t, {work_step(const_ms(4))});
  s.broker_latency = 1 * ms;
  fixture f(std::move(s), mode::async);
  for (int i = 0; i < 5; ++i) {
    const auto trace = f.rec.open(0, 0);
    f.rec.add_pending(trace, 1);
    f.send(f.w->broker, publish_msg{t, 0, trace, 0});
  }
  const nanos end = f.run_all();
  const auto& tally = f.rec.topic(t);
  CHECK(tally.delivered == 5);
  CHECK(tally.held == 0);
  CHECK(tally.held_max == 5);
  // Two workers, 4ms each, 1ms routing per delivery: 1+4 | 1+4 (after the first acks) | 1+4.
  CHECK(end == 15 * ms);
  CHECK(tally.lag.max() == 15 * ms);
  CHECK(tally.lag.min() == 5 * ms);
}
