// What every actor of one run shares: the plan, the address book of parties, the recorder and
// the simulated clock's origin. Owned by the engine; actors hold a pointer to it. The run is
// single-threaded (CAF's testing scheduler), so no locking is needed.
//
// Parties are numbered: services 0..S-1 (scenario order), then the broker, then one client per
// workload.
#pragma once

#include "engine/failure_schedule.hpp"
#include "engine/plan.hpp"
#include "engine/recorder.hpp"
#include "engine/tally.hpp"

#include <caf/actor.hpp>
#include <caf/actor_clock.hpp>
#include <caf/local_actor.hpp>
#include <caf/scheduled_actor.hpp>
#include <caf/sec.hpp>

#include <chrono>
#include <cstdint>
#include <exception>
#include <new>
#include <string>
#include <vector>

namespace svcsim {

struct world {
  const scenario* source = nullptr;
  const svcsim::plan* plan = nullptr;
  caf::actor_clock::time_point origin;  // simulated time 0
  std::vector<caf::actor> parties;
  int broker = -1;
  recorder* rec = nullptr;
  std::vector<service_tally>* tallies = nullptr;  // one per service
  const std::vector<failure_schedule>* failures = nullptr;  // one per service
  std::int64_t events = 0;  // messages handled by the simulation's actors
  std::string failure;      // set when the run cannot go on; the engine then stops it

  // Arrivals taken and replies recorded without a message of their own (arrivals_msg,
  // record_direct_replies): the latest of either, and whether a reply came after the run's
  // stop, so the run did not drain.
  nanos last_direct_event = 0;
  bool direct_reply_late = false;
  bool direct_feed = true;          // simulate_options::direct_feed
  bool force_event_driven = false;  // simulate_options::force_event_driven

  // Whether service `s` runs on the predictable station (lindley_station).
  bool predictable(int s) const { return !force_event_driven && plan->services[s].predictable; }
  // The workload feeding service `s` directly, or -1.
  int fed_by(int s) const { return direct_feed && predictable(s) ? plan->services[s].fed_by : -1; }

  // Requests in flight at once beyond which a run stops (simulate_options::max_in_flight).
  std::size_t max_in_flight = 0;

  void fail(std::string why) {
    if (failure.empty()) failure = std::move(why);
  }

  // Makes an exception in one of `self`'s handlers (say, out of memory) stop the run with a
  // message, instead of silently killing that actor.
  void guard(caf::scheduled_actor* self) {
    self->set_exception_handler([this](caf::scheduled_actor*, std::exception_ptr& e) -> caf::error {
      try {
        std::rethrow_exception(e);
      } catch (const std::bad_alloc&) {
        fail("out of memory");
      } catch (const std::exception& x) {
        fail(x.what());
      } catch (...) {
        fail("unknown exception");
      }
      return caf::sec::runtime_error;
    });
  }

  int client(int workload) const { return broker + 1 + workload; }

  nanos now_of_clock(caf::actor_clock::time_point t) const {
    return std::chrono::duration_cast<std::chrono::nanoseconds>(t - origin).count();
  }
  nanos now(const caf::local_actor* self) const { return now_of_clock(self->clock().now()); }
  caf::actor_clock::time_point at(nanos t) const { return origin + std::chrono::nanoseconds(t); }

  // Sends `msg` from `self` to party `to` so that it arrives at simulated time `when`
  // (>= now): straight into the mailbox when `when` is now, else through the clock.
  template <class Self, class Msg>
  void post(Self* self, int to, nanos when, Msg&& msg) const {
    if (when <= now(self))
      self->send(parties[to], std::forward<Msg>(msg));
    else
      self->scheduled_send(parties[to], at(when), std::forward<Msg>(msg));
  }
};

}  // namespace svcsim
