// What drives a run, as simulate() and the tests see it: actors that have messages run, then
// the earliest timed message is delivered and the clock moves to it, and so on. Two
// schedulers implement it: virtual_scheduler, which every run uses, and CAF's own testing
// scheduler, the reference it is checked against (simulate_options::plain_caf).
#pragma once

#include <caf/actor_clock.hpp>
#include <cstddef>

namespace svcsim {

class event_loop {
 public:
  using time_point = caf::actor_clock::time_point;

  virtual ~event_loop() = default;
  // Runs actors until none has a message; returns how many resumptions that took.
  virtual std::size_t run() = 0;
  // Delivers the next timed message, moving the clock to it; false when none is left.
  virtual bool deliver_next() = 0;
  // Whether the clock holds no timed message; when it holds some, the time of the next.
  virtual bool clock_empty() const = 0;
  virtual time_point next_time() const = 0;
  virtual time_point now() const = 0;
};

}  // namespace svcsim
