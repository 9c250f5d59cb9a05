#include "actors/run_context.hpp"

#include <caf/all.hpp>
#include <caf/detail/test_actor_clock.hpp>
#include <exception>
#include <new>
#include <stdexcept>

#include "actors/broker.hpp"
#include "actors/event_loop.hpp"
#include "actors/service.hpp"
#include "actors/virtual_clock.hpp"

namespace svcsim {
namespace {

// Where `clock` keeps its current time: either scheduler's clock has it as a member.
const caf::actor_clock::time_point* time_of(const caf::actor_clock& clock) {
  if (const auto* v = dynamic_cast<const virtual_clock*>(&clock)) return &v->current_time();
  if (const auto* t = dynamic_cast<const caf::detail::test_actor_clock*>(&clock))
    return &t->current_time;
  throw std::logic_error("run_context: a run's clock is virtual_clock or CAF's test clock");
}

}  // namespace

run_context::run_context(caf::actor_system& sys, const scenario& s, const svcsim::plan& p,
                         const std::vector<failure_schedule>& failures, recorder& rec,
                         std::vector<service_tally>& tallies, run_status& status,
                         run_options options, const spawn_others& others)
    : source(&s),
      plan(&p),
      instances(s),
      failures(&failures),
      options(options),
      origin(sys.clock().now()),
      hop(s.network_latency),
      broker(instances.total()),
      rec(&rec),
      tallies(&tallies),
      status(&status),
      clock_(&sys.clock()),
      now_(time_of(sys.clock())) {
  const auto parties = static_cast<std::size_t>(broker) + 1;
  if (failures.size() != parties || tallies.size() != parties)
    throw std::logic_error(
        "run_context: failures and tallies need one per instance and the broker's");
  // Actors start on the scheduler's next run, once the address book is complete.
  for (int i = 0; i < broker; ++i) parties_.push_back(spawn_service(sys, this, i));
  parties_.push_back(spawn_broker(sys, this));
  for (auto& a : others(sys, this)) parties_.push_back(std::move(a));
}

void run_context::shutdown(event_loop& sched) {
  for (auto& a : parties_) caf::anon_send_exit(a, caf::exit_reason::user_shutdown);
  sched.run();
  parties_.clear();
}

void run_context::guard(caf::scheduled_actor* self) const {
  self->set_exception_handler([this](caf::scheduled_actor*, std::exception_ptr& e) -> caf::error {
    try {
      std::rethrow_exception(e);
    } catch (const std::bad_alloc&) {
      status->fail("out of memory");
    } catch (const std::exception& x) {
      status->fail(x.what());
    } catch (...) {
      status->fail("unknown exception");
    }
    return caf::sec::runtime_error;
  });
}

}  // namespace svcsim
