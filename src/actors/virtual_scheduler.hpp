// The scheduler of a simulation run: CAF's scheduler module for one thread and simulated time,
// in place of CAF's testing scheduler (test_coordinator) and in the same order. install() puts
// it in an actor_system_config; the system then runs no thread of its own.
//
// Order (as test_coordinator's, so that a seed gives the same report):
// - run() resumes actors with messages first in, first out, each until its mailbox is empty;
// - deliver_next() takes the earliest timed message off the clock (ties: first scheduled
//   first), moves the time to it and has its receiver handle it at once, without a trip
//   through its mailbox and the queue of actors (a party by party::deliver, any other
//   scheduled actor by scheduled_actor::activate). That is what the testing scheduler does when
//   every actor is idle, as it is between run() and deliver_next() (after run(), no message
//   waits in any mailbox); called while some actor has work, it enqueues the message instead.
//   The run's messages are asynchronous: to an actor that has terminated, either way drops
//   them (a request would be answered with an error only by the mailbox path).
#pragma once

#include <caf/actor_system.hpp>
#include <caf/actor_system_config.hpp>
#include <caf/execution_unit.hpp>
#include <caf/resumable.hpp>
#include <caf/scheduler/abstract_coordinator.hpp>
#include <deque>
#include <vector>

#include "actors/event_loop.hpp"
#include "actors/party.hpp"
#include "actors/virtual_clock.hpp"

namespace svcsim {

class virtual_scheduler final : public caf::scheduler::abstract_coordinator, public event_loop {
 public:
  explicit virtual_scheduler(caf::actor_system& sys);

  // Makes systems built from `cfg` use this scheduler.
  static void install(caf::actor_system_config& cfg);
  // The scheduler of a system built from a config it was installed in (else std::logic_error).
  static virtual_scheduler& of(caf::actor_system& sys);

  virtual_clock& clock() noexcept override { return clock_; }
  bool detaches_utility_actors() const override { return false; }

  std::size_t run() override { return jobs_.empty() ? 0 : run_jobs(); }
  bool deliver_next() override;  // see above
  bool clock_empty() const override { return clock_.empty(); }
  time_point next_time() const override { return clock_.next_time(); }
  time_point now() const override { return clock_.now(); }

 protected:
  void start() override;
  void stop() override;
  void enqueue(caf::resumable* job) override;

 private:
  // The context actors run in: an actor that gets a message becomes a job here.
  class unit final : public caf::execution_unit {
   public:
    explicit unit(virtual_scheduler* owner);
    void exec_later(caf::resumable* job) override { owner_->jobs_.push_back(job); }

   private:
    virtual_scheduler* owner_;
  };

  std::size_t run_jobs();
  // What the receiver is: a scheduled actor, a party, or neither (dynamic_cast, once per
  // actor: ids are numbered from 1 in each system).
  struct kind {
    bool known = false;
    caf::scheduled_actor* scheduled = nullptr;
    party* direct = nullptr;  // when the actor is a party
  };
  const kind& learn(caf::abstract_actor* receiver);  // fills in kinds_[its id]

  std::vector<kind> kinds_;           // by actor id
  std::deque<caf::resumable*> jobs_;  // actors with messages, each holding a reference
  unit unit_;
  // Last, so destroyed first: a message it still holds may, dropped, end an actor whose end
  // enqueues others (through unit_, into jobs_).
  virtual_clock clock_;
};

}  // namespace svcsim
