#include "actors/run_context.hpp"

#include <caf/all.hpp>
#include <caf/scheduler/test_coordinator.hpp>
#include <exception>
#include <new>
#include <stdexcept>

#include "actors/broker.hpp"
#include "actors/service.hpp"

namespace svcsim {

run_context::run_context(caf::actor_system& sys, const scenario& s, const svcsim::plan& p,
                         const std::vector<failure_schedule>& failures, recorder& rec,
                         std::vector<service_tally>& tallies, run_status& status,
                         run_options options, const spawn_others& others)
    : source(&s),
      plan(&p),
      failures(&failures),
      options(options),
      origin(sys.clock().now()),
      hop(s.network_latency),
      broker(static_cast<int>(s.services.size())),
      rec(&rec),
      tallies(&tallies),
      status(&status) {
  if (failures.size() != s.services.size() + 1 || tallies.size() != s.services.size() + 1)
    throw std::logic_error(
        "run_context: failures and tallies need one per service and the broker's");
  // Actors start on the scheduler's next run, once the address book is complete.
  for (std::size_t i = 0; i < s.services.size(); ++i)
    parties_.push_back(spawn_service(sys, this, static_cast<int>(i)));
  parties_.push_back(spawn_broker(sys, this));
  for (auto& a : others(sys, this)) parties_.push_back(std::move(a));
}

void run_context::shutdown(caf::scheduler::test_coordinator& sched) {
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
