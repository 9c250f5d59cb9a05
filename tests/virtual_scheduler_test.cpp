// virtual_scheduler replaces CAF's testing scheduler for every run, and parties take the run's
// messages directly (party.hpp): same order of events, same handlers, so the same reports,
// even `events`; only `wall_time_s` may differ. Checked on every shipped scenario against CAF
// as it comes (simulate_options::plain_caf), and the clock's own rules on their own.
#include "actors/virtual_scheduler.hpp"

#include <algorithm>
#include <caf/all.hpp>
#include <caf/detail/tuple_vals.hpp>
#include <caf/scheduler/test_coordinator.hpp>
#include <catch2/catch.hpp>
#include <functional>
#include <map>
#include <optional>
#include <random>
#include <regex>
#include <stdexcept>
#include <string>
#include <vector>

#include "actors/party.hpp"
#include "actors/simulate.hpp"
#include "actors/virtual_clock.hpp"
#include "report/json_report.hpp"
#include "report_diff.hpp"
#include "scenarios/load/loader.hpp"

using namespace svcsim;
using namespace svcsim::testing;

namespace {

// The JSON report of both modes without `wall_time_s`, then the spans of every 7th request.
std::string report_on(const scenario& s, bool reference) {
  std::string spans;
  simulate_options o;
  o.plain_caf = reference;
  collect_spans(o, 7, spans);
  report r;
  r.scenario = s.name;
  for (mode m : {mode::sync, mode::async}) r.runs.push_back(simulate(s, m, o));
  return std::regex_replace(to_json(r), std::regex(R"re(\n *"wall_time_s": [^\n]*)re"), "") + spans;
}

using tick_atom = caf::atom_constant<caf::atom("tick")>;

}  // namespace

TEST_CASE("virtual scheduler: every shipped scenario reports as on plain CAF", "[repeats]") {
  for_each_shipped_scenario(
      [](const scenario& s) { CHECK(report_on(s, false) == report_on(s, true)); });
}

TEST_CASE("virtual clock: due in time order, ties first scheduled first, time never back") {
  virtual_clock clock;
  const auto t0 = clock.now();
  using std::chrono::nanoseconds;
  const std::vector<std::pair<long, int>> plan{{5, 0}, {3, 1}, {5, 2}, {1, 3}, {5, 4}, {3, 5}};
  for (const auto& [at, tag] : plan)
    clock.schedule_message(t0 + nanoseconds(at), nullptr,
                           caf::make_mailbox_element(nullptr, caf::make_message_id(), {}, tag));
  std::vector<int> order;
  while (!clock.empty()) {
    const auto due = clock.next_time();
    auto m = clock.pop();
    CHECK(clock.now() == due);
    order.push_back(m.content->content().get_as<int>(0));
  }
  CHECK(order == std::vector<int>{3, 1, 5, 0, 2, 4});
  // A message scheduled in the past is due now: the clock does not go back.
  const auto reached = clock.now();
  clock.schedule_message(t0, nullptr,
                         caf::make_mailbox_element(nullptr, caf::make_message_id(), {}, 9));
  clock.pop();
  CHECK(clock.now() == reached);
}

namespace {

// A clock and a multimap of (time -> message), which keeps equal times in insertion order, as
// CAF's test clock does: every message must come out of the clock in the multimap's order.
struct clock_against_multimap {
  virtual_clock clock;
  const virtual_clock::time_point t0 = clock.now();
  std::multimap<long, int> reference;
  long now = 0;  // the time the clock must have reached (it never goes back)
  int tag = 0;   // messages scheduled

  void push(long at) {
    reference.emplace(at, tag);
    clock.schedule_message(t0 + std::chrono::nanoseconds(at), nullptr,
                           caf::make_mailbox_element(nullptr, caf::make_message_id(), {}, tag++));
  }
  void cancel_all() {
    clock.cancel_all();
    reference.clear();
  }
  // Pops the next message (only when the reference holds one): whether both hold as many, the
  // clock's next is due when and is the message the multimap says, and the clock is at `now`.
  bool pop_matches() {
    if (clock.size() != reference.size()) return false;
    const auto expected = reference.begin();
    const bool due = clock.next_time() == t0 + std::chrono::nanoseconds(expected->first);
    now = std::max(now, expected->first);
    const bool same = clock.pop().content->content().get_as<int>(0) == expected->second &&
                      clock.now() == t0 + std::chrono::nanoseconds(now);
    reference.erase(expected);
    return due && same;
  }
};

// Pushes and pops interleaved, the clock growing to about 1,000 timers and shrinking to none;
// `delay(draw)` gives each message's time after now. Returns how many messages went through.
template <class Delay>
int check_against_multimap(Delay delay) {
  clock_against_multimap c;
  std::uint64_t x = 12345;
  auto draw = [&x](std::uint64_t m) {
    x = x * 6364136223846793005ULL + 1442695040888963407ULL;
    return static_cast<long>((x >> 33) % m);
  };
  int checked = 0;
  auto pop = [&] {
    REQUIRE(c.pop_matches());
    ++checked;
  };
  for (int round = 0; round < 2000; ++round) {
    c.push(c.now + delay(draw));
    if (round % 2 == 1) c.push(c.now + delay(draw));
    if (round % 3 == 0) pop();
  }
  while (!c.clock.empty()) pop();
  CHECK(checked == c.tag);
  return c.tag;
}

}  // namespace

TEST_CASE("virtual clock: the same order as CAF's multimap, few timers or many") {
  // The clock keeps the soonest timers sorted and the rest in a heap (virtual_clock.hpp);
  // each pattern moves timers between the two in its own way.
  SECTION("all due soon, many ties") {
    CHECK(check_against_multimap([](auto draw) { return draw(50); }) > 2500);
  }
  SECTION("most due soon, some much later") {
    CHECK(check_against_multimap(
              [](auto draw) { return draw(5) == 0 ? 1000 + draw(100000) : draw(20); }) > 2500);
  }
  SECTION("all due much later, in runs of ties") {
    CHECK(check_against_multimap([](auto draw) { return 100 * draw(1000); }) > 2500);
  }
  SECTION("increasing times, as a client's batch of arrivals") {
    long next = 0;
    CHECK(check_against_multimap([&next](auto draw) { return (next += draw(3)); }) > 2500);
  }
}

TEST_CASE("virtual clock: random pushes and pops, ties, the past and cancel_all") {
  // Against the multimap as above, on seeds x delays x ways of pushing and popping: ties at
  // now, times in the past (due at once: the clock does not go back), the number of timers
  // hovering where its sorted part spills into its heap (16 to 32), batches, and cancel_all.
  const std::vector<std::function<long(std::mt19937_64&, long)>> delays{
      [](std::mt19937_64&, long now) { return now; },
      [](std::mt19937_64& r, long now) { return now + static_cast<long>(r() % 3); },
      [](std::mt19937_64& r, long now) { return now + static_cast<long>(r() % 1000000); },
      [](std::mt19937_64& r, long now) {
        return now + (r() % 4 != 0 ? static_cast<long>(r() % 10) : 100000);
      },
      [](std::mt19937_64& r, long now) {
        return std::max(0L, now - 20 + static_cast<long>(r() % 40));
      },
  };
  // How many to push (0: pop one; -1: cancel_all), given how many the clock holds.
  const std::vector<std::function<int(std::mt19937_64&, std::size_t)>> actions{
      [](std::mt19937_64& r, std::size_t) { return static_cast<int>(r() % 2); },
      [](std::mt19937_64& r, std::size_t n) { return n < 35 ? static_cast<int>(r() % 3 != 0) : 0; },
      [](std::mt19937_64& r, std::size_t) { return r() % 33 == 0 ? 32 : 0; },
      [](std::mt19937_64& r, std::size_t) {
        return r() % 400 == 0 ? -1 : static_cast<int>(r() % 2);
      },
  };
  int runs = 0;
  for (std::size_t d = 0; d < delays.size(); ++d)
    for (std::size_t a = 0; a < actions.size(); ++a)
      for (std::uint64_t seed = 1; seed <= 6; ++seed) {
        std::mt19937_64 r(seed);
        clock_against_multimap c;
        bool same = true;
        for (int step = 0; step < 1500 && same; ++step) {
          const int push = actions[a](r, c.reference.size());
          if (push < 0) c.cancel_all();
          for (int i = 0; i < push; ++i) c.push(delays[d](r, c.now));
          if (push == 0 && !c.reference.empty()) same = c.pop_matches();
        }
        INFO("delay " << d << ", action " << a << ", seed " << seed);
        CHECK(same);
        ++runs;
      }
  CHECK(runs == 120);
}

TEST_CASE("virtual clock: it holds each waiting message's receiver and content until it goes") {
  caf::actor_system_config cfg;
  caf::actor_system sys{cfg};
  // Lazily started and never sent anything: no scheduler thread touches their counts.
  auto idle = [] { return caf::behavior{[](int) {}}; };
  auto receiver = caf::actor_cast<caf::strong_actor_ptr>(sys.spawn<caf::lazy_init>(idle));
  auto payload = sys.spawn<caf::lazy_init>(idle);  // each message's content holds a reference
  auto* payload_ctrl = caf::actor_cast<caf::actor_control_block*>(payload);
  const auto receiver_refs = receiver->strong_refs.load();
  const auto payload_refs = payload_ctrl->strong_refs.load();
  auto held = [&] {  // messages whose receiver and content are still held
    const auto r = receiver->strong_refs.load() - receiver_refs;
    return r == payload_ctrl->strong_refs.load() - payload_refs ? static_cast<long>(r) : -1L;
  };
  {
    virtual_clock clock;
    auto push = [&](long at) {
      clock.schedule_message(
          clock.now() + std::chrono::nanoseconds(at), receiver,
          caf::make_mailbox_element(nullptr, caf::make_message_id(), {}, payload));
    };
    for (long i = 0; i < 100; ++i) push(1 + (i * 37) % 100);  // in both parts, near and far
    CHECK(held() == 100);
    {
      auto next = clock.pop();
      CHECK(next.receiver == receiver);
      CHECK(held() == 100);  // handed over, not held twice
    }
    CHECK(held() == 99);
    clock.cancel_all();
    CHECK(clock.empty());
    CHECK(held() == 0);
    for (long i = 0; i < 40; ++i) push(1 + i % 7);  // still waiting when the clock goes
    CHECK(held() == 40);
  }
  CHECK(held() == 0);
  caf::anon_send_exit(receiver, caf::exit_reason::user_shutdown);
  caf::anon_send_exit(payload, caf::exit_reason::user_shutdown);
}

namespace {

// An element that calls `on_drop` once deleted, as a message whose end ends an actor may set
// things going.
struct hooked_element final : caf::mailbox_element,
                              caf::detail::tuple_vals_impl<caf::type_erased_tuple, int> {
  std::function<void()> on_drop;
  int* alive;
  hooked_element(int* a, std::function<void()> f)
      : caf::mailbox_element(nullptr, caf::make_message_id(), forwarding_stack{}),
        caf::detail::tuple_vals_impl<caf::type_erased_tuple, int>(0),
        on_drop(std::move(f)),
        alive(a) {
    ++*alive;
  }
  ~hooked_element() override { --*alive; }
  caf::type_erased_tuple& content() override { return *this; }
  const caf::type_erased_tuple& content() const override { return *this; }
  caf::message move_content_to_message() override { return caf::make_message(0); }
  caf::message copy_content_to_message() const override { return caf::make_message(0); }
  void request_deletion(bool) const noexcept override {
    auto f = std::move(const_cast<hooked_element*>(this)->on_drop);
    delete this;
    if (f) f();
  }
};

}  // namespace

TEST_CASE("virtual clock: a message dropped may schedule another, which goes too") {
  int alive = 0;
  {
    std::optional<virtual_clock> clock{std::in_place};
    auto push = [&](long at, std::function<void()> on_drop) {
      clock->schedule_message(clock->now() + std::chrono::nanoseconds(at), nullptr,
                              caf::mailbox_element_ptr{new hooked_element(&alive, on_drop)});
    };
    const std::function<void()> again = [&] { push(1, {}); }, none;
    for (long i = 0; i < 40; ++i) push(100 + i, i == 39 ? again : none);  // the latest: far
    clock->cancel_all();
    CHECK(clock->empty());
    CHECK(alive == 0);
    for (long i = 0; i < 40; ++i) push(100 + i, i == 39 ? again : none);
    clock.reset();  // the clock's end drops what waits
  }
  CHECK(alive == 0);
}

TEST_CASE("virtual clock: timeouts it does not model are refused, not lost") {
  virtual_clock clock;
  CHECK_THROWS_AS(clock.set_request_timeout(clock.now(), nullptr, caf::make_message_id()),
                  std::logic_error);
  CHECK_THROWS_AS(clock.set_ordinary_timeout(clock.now(), nullptr, tick_atom::value, 1),
                  std::logic_error);
}

TEST_CASE("virtual scheduler: timed and immediate messages interleave as on the reference") {
  // Three chains of ticks through one actor, each tick making the next either now (a plain
  // send) or 0 to 2 ns later (on the clock, so with ties); the log of (time, chain, tick) must
  // be the same on both schedulers.
  auto log_of = [](bool reference) {
    caf::actor_system_config cfg;
    if (reference)
      cfg.set("scheduler.policy", caf::atom("testing"));
    else
      virtual_scheduler::install(cfg);
    std::vector<std::string> log;
    {
      caf::actor_system sys{cfg};
      sys.await_actors_before_shutdown(false);
      auto a = sys.spawn([&log](caf::event_based_actor* self) -> caf::behavior {
        return {[=, &log](tick_atom, int chain, int n) {
          const auto t = self->clock().now().time_since_epoch().count();
          log.push_back(std::to_string(t) + ":" + std::to_string(chain) + "." + std::to_string(n));
          if (n >= 30) return;
          if ((n + chain) % 4 == 0)
            self->send(self, tick_atom::value, chain, n + 1);
          else
            self->scheduled_send(self, self->clock().now() + std::chrono::nanoseconds(n % 3),
                                 tick_atom::value, chain, n + 1);
        }};
      });
      for (int chain = 0; chain < 3; ++chain) caf::anon_send(a, tick_atom::value, chain, 0);
      if (reference) {
        auto& s = dynamic_cast<caf::scheduler::test_coordinator&>(sys.scheduler());
        s.run();
        while (s.trigger_timeout()) s.run();
      } else {
        auto& s = virtual_scheduler::of(sys);
        s.run();
        while (s.deliver_next()) s.run();
      }
      caf::anon_send_exit(a, caf::exit_reason::user_shutdown);
    }
    return log;
  };
  const auto ours = log_of(false);
  CHECK(ours.size() == 93);
  CHECK(ours == log_of(true));
}

// Ticks 1, 2, 3, due at 1, 2, 3 ns, to the party `spawn(sys)` makes in a system on the virtual
// scheduler, as pooled elements (the run's) or CAF's; then "gone" or "up" goes to `log`.
template <class Spawn>
void run_ticks(std::vector<std::string>& log, bool pooled, Spawn spawn) {
  caf::actor_system_config cfg;
  virtual_scheduler::install(cfg);
  caf::actor_system sys{cfg};
  sys.await_actors_before_shutdown(false);
  auto a = spawn(sys);
  auto& s = virtual_scheduler::of(sys);
  s.run();
  for (int n = 1; n <= 3; ++n)
    s.clock().schedule_message(
        s.now() + std::chrono::nanoseconds(n), caf::actor_cast<caf::strong_actor_ptr>(a),
        pooled ? make_pooled_element<int>(nullptr, n)
               : caf::make_mailbox_element(nullptr, caf::make_message_id(), {}, n));
  while (s.deliver_next()) s.run();
  log.push_back(a->getf(caf::abstract_actor::is_terminated_flag) ? "gone" : "up");
}

struct no_state {};

TEST_CASE("virtual scheduler: a party's handler that throws quits it as CAF would, either path") {
  // Ticks 1, 2, 3 at 1, 2, 3 ns; the handler throws at 2. Taken directly (party::deliver) or
  // through CAF's activation (no direct handlers), the exception handler names the error, the
  // party quits, and tick 3 finds it gone.
  auto log_of = [](bool plain_caf) {
    std::vector<std::string> log;
    run_ticks(log, false, [&log, plain_caf](caf::actor_system& sys) {
      return sys.spawn([&log, plain_caf](party_actor<no_state>* self) -> caf::behavior {
        self->set_exception_handler([&log](caf::scheduled_actor*, std::exception_ptr& e) {
          try {
            std::rethrow_exception(e);
          } catch (const std::exception& x) {
            log.push_back(std::string("caught: ") + x.what());
          }
          return caf::error{caf::sec::runtime_error};
        });
        return self->serve(plain_caf, [&log](int n) {
          if (n == 2) throw std::runtime_error("boom");
          log.push_back(std::to_string(n));
        });
      });
    });
    return log;
  };
  const auto direct = log_of(false);
  CHECK(direct == std::vector<std::string>{"1", "caught: boom", "gone"});
  CHECK(direct == log_of(true));
}

TEST_CASE("virtual scheduler: a party that quits in a handler gets no more messages") {
  // Ticks 1, 2, 3 (run_ticks); the handler quits at 2. Either path (party::deliver, or CAF's
  // activation) finalizes the party there, and tick 3, due after, is dropped: its handler never
  // runs.
  auto log_of = [](bool plain_caf, bool pooled) {
    std::vector<std::string> log;
    run_ticks(log, pooled, [&log, plain_caf](caf::actor_system& sys) {
      return sys.spawn([&log, plain_caf](party_actor<no_state>* self) -> caf::behavior {
        return self->serve(plain_caf, [&log, self](int n) {
          log.push_back(std::to_string(n));
          if (n == 2) self->quit();
        });
      });
    });
    return log;
  };
  const std::vector<std::string> expected{"1", "2", "gone"};
  for (const bool plain_caf : {false, true})
    for (const bool pooled : {false, true}) {
      INFO("plain_caf " << plain_caf << ", pooled " << pooled);
      CHECK(log_of(plain_caf, pooled) == expected);
    }
}
