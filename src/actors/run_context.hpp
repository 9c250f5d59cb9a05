// What the actors of one run share, built once per run by one factory (the constructor, which
// also spawns the parties) that simulate() and the tests use alike; every actor gets it as a
// const pointer. Three kinds of member:
// - constants of the run: the scenario, its plan, the failure schedules, the address book of
//   parties, the clock's origin, the hop latency and the options the actors follow, set at
//   construction;
// - measurement sinks the actors write: the recorder and the services' tallies;
// - the run's status (run_status): what the engine reads after the run.
// The run is single-threaded (virtual_scheduler), so no locking is needed.
//
// Parties are numbered: the services' instances (instance_layout: with one instance each,
// party i is service i), then the broker, then the others (one client per workload; a test may
// put a probe there).
#pragma once

#include <caf/actor.hpp>
#include <caf/actor_clock.hpp>
#include <caf/actor_system.hpp>
#include <caf/local_actor.hpp>
#include <caf/scheduled_actor.hpp>
#include <chrono>
#include <cstdint>
#include <functional>
#include <string>
#include <vector>

#include "actors/pooled_element.hpp"
#include "engine/failure_schedule.hpp"
#include "engine/instances.hpp"
#include "engine/plan.hpp"
#include "engine/recorder.hpp"
#include "engine/tally.hpp"

namespace svcsim {

class event_loop;

// How the run goes, as the actors see it; the engine reads it after the run.
struct run_status {
  std::int64_t events = 0;  // messages handled by the simulation's actors
  std::string failure;      // set when the run cannot go on; the engine then stops it
  // Arrivals taken and replies recorded without a message of their own (arrivals_msg, direct
  // replies): the latest of either, and whether a reply came after the run's stop, so the run
  // did not drain.
  nanos last_direct_event = 0;
  bool direct_reply_late = false;

  void fail(std::string why) {
    if (failure.empty()) failure = std::move(why);
  }
};

// The options of simulate_options (simulate.hpp) that the actors follow; see there.
struct run_options {
  std::size_t max_in_flight = 10000000;
  bool direct_feed = true;
  bool force_event_driven = false;
  std::uint32_t first_seq = 0;  // for tests only
  bool plain_caf = false;       // parties handle every message through CAF's behavior
  bool send_ahead = true;       // a call after local work leaves without a wake (frame_station)
};

class run_context {
 public:
  // Spawns the parties after the services and the broker, in order.
  using spawn_others =
      std::function<std::vector<caf::actor>(caf::actor_system&, const run_context*)>;

  // Spawns the run's service instances and broker, then `others`; the clock's origin is now.
  // The scenario, plan, failures and sinks must outlive the context. `failures` and `tallies`
  // have one entry per instance, then the broker's (std::logic_error otherwise).
  run_context(caf::actor_system& sys, const scenario& s, const svcsim::plan& p,
              const std::vector<failure_schedule>& failures, recorder& rec,
              std::vector<service_tally>& tallies, run_status& status, run_options options,
              const spawn_others& others);
  run_context(const run_context&) = delete;
  run_context& operator=(const run_context&) = delete;

  // Ends the run's actors: an exit to every party, the scheduler run once more (in virtual
  // time a pending timer would keep an actor alive), their handles dropped.
  void shutdown(event_loop& sched);

  const scenario* const source;
  const svcsim::plan* const plan;
  const instance_layout instances;                      // which parties are which service's
  const std::vector<failure_schedule>* const failures;  // per instance, then the broker's
  const run_options options;
  const caf::actor_clock::time_point origin;  // simulated time 0
  const nanos hop;                            // network latency of one message hop
  const int broker;                           // the broker's party
  recorder* const rec;
  std::vector<service_tally>* const tallies;  // one per instance, then the broker's
  run_status* const status;

  const caf::actor& party(int i) const { return parties_[i]; }
  int client(int workload) const { return broker + 1 + workload; }

  // Whether service `s` runs on the predictable station (lindley_station).
  bool predictable(int s) const {
    return !options.force_event_driven && plan->services[s].predictable;
  }
  // The workload feeding service `s` directly, or -1 (never a service of several instances:
  // its client picks an instance per request).
  int fed_by(int s) const {
    return options.direct_feed && predictable(s) && instances.count(s) == 1
               ? plan->services[s].fed_by
               : -1;
  }

  // Makes an exception in one of `self`'s handlers (say, out of memory) stop the run with a
  // message, instead of silently killing that actor.
  void guard(caf::scheduled_actor* self) const;

  nanos now_of_clock(caf::actor_clock::time_point t) const {
    return std::chrono::duration_cast<std::chrono::nanoseconds>(t - origin).count();
  }
  // Every actor of the run reads the system's clock (its time, held here: no call).
  nanos now(const caf::local_actor*) const { return now_of_clock(*now_); }
  caf::actor_clock::time_point at(nanos t) const { return origin + std::chrono::nanoseconds(t); }

  // Sends `msg` from `self` to party `to` so that it arrives at simulated time `when`
  // (>= now): straight into the mailbox when `when` is now, else through the clock.
  template <class Self, class Msg>
  void post(Self* self, int to, nanos when, Msg&& msg) const {
    if (when <= now(self))
      self->send(parties_[to], std::forward<Msg>(msg));
    else if (options.plain_caf)
      self->scheduled_send(parties_[to], at(when), std::forward<Msg>(msg));
    else  // what scheduled_send does, with a pooled element
      clock_->schedule_message(
          at(when), caf::actor_cast<caf::strong_actor_ptr>(parties_[to]),
          make_pooled_element(self->ctrl(), std::decay_t<Msg>(std::forward<Msg>(msg))));
  }

 private:
  caf::actor_clock* const clock_;
  const caf::actor_clock::time_point* const now_;  // clock_'s current time
  std::vector<caf::actor>
      parties_;  // the address book: filled at construction, emptied by shutdown
};

}  // namespace svcsim
