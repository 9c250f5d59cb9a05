#include "actors/virtual_scheduler.hpp"

#include <caf/actor_config.hpp>
#include <caf/all.hpp>
#include <caf/monitorable_actor.hpp>
#include <iostream>
#include <limits>
#include <stdexcept>

namespace svcsim {
namespace {

// CAF's printer (aout) without a thread of its own, as CAF's testing scheduler has it.
class inline_printer final : public caf::monitorable_actor {
 public:
  explicit inline_printer(caf::actor_config& cfg) : caf::monitorable_actor(cfg) {
    handler_.assign(
        [](caf::add_atom, caf::actor_id, const std::string& text) { std::cout << text; });
  }
  void enqueue(caf::mailbox_element_ptr what, caf::execution_unit*) override {
    handler_(what->content());
  }

 private:
  caf::message_handler handler_;
};

}  // namespace

virtual_scheduler::unit::unit(virtual_scheduler* owner)
    : caf::execution_unit(&owner->system()), owner_(owner) {}

virtual_scheduler::virtual_scheduler(caf::actor_system& sys)
    : caf::scheduler::abstract_coordinator(sys), unit_(this) {}

void virtual_scheduler::install(caf::actor_system_config& cfg) {
  cfg.module_factories.push_back([](caf::actor_system& sys) -> caf::actor_system::module* {
    return new virtual_scheduler(sys);
  });
}

virtual_scheduler& virtual_scheduler::of(caf::actor_system& sys) {
  auto* s = dynamic_cast<virtual_scheduler*>(&sys.scheduler());
  if (s == nullptr) throw std::logic_error("this actor system runs another scheduler");
  return *s;
}

void virtual_scheduler::start() {
  caf::actor_config cfg{&unit_};
  auto& sys = system();
  utility_actors_[printer_id] =
      caf::make_actor<inline_printer, caf::actor>(sys.next_actor_id(), sys.node(), &sys, cfg);
}

void virtual_scheduler::stop() {
  run();
  clock_.cancel_all();
  run();
}

void virtual_scheduler::enqueue(caf::resumable* job) { jobs_.push_back(job); }

std::size_t virtual_scheduler::run_jobs() {
  std::size_t resumed = 0;
  while (!jobs_.empty()) {
    caf::resumable* job = jobs_.front();
    jobs_.pop_front();
    ++resumed;
    switch (job->resume(&unit_, std::numeric_limits<std::size_t>::max())) {
      case caf::resumable::resume_later:
        jobs_.push_front(job);
        break;
      case caf::resumable::done:
      case caf::resumable::awaiting_message:
        caf::intrusive_ptr_release(job);
        break;
      case caf::resumable::shutdown_execution_unit:
        break;
    }
  }
  return resumed;
}

bool virtual_scheduler::deliver_next() {
  if (clock_.empty()) return false;
  auto next = clock_.pop();
  auto* receiver = next.receiver->get();
  if (jobs_.empty()) {
    const auto id = next.receiver->id();
    const auto& k = id < kinds_.size() && kinds_[id].known ? kinds_[id] : learn(receiver);
    if (k.direct != nullptr && k.direct->deliver(*next.content, &unit_)) return true;
    if (k.scheduled != nullptr) {
      k.scheduled->activate(&unit_, *next.content);
      return true;
    }
  }
  receiver->enqueue(std::move(next.content), &unit_);
  return true;
}

const virtual_scheduler::kind& virtual_scheduler::learn(caf::abstract_actor* receiver) {
  const auto id = receiver->id();
  if (id >= kinds_.size()) kinds_.resize(id + 1);
  return kinds_[id] = kind{true, dynamic_cast<caf::scheduled_actor*>(receiver),
                           dynamic_cast<party*>(receiver)};
}

}  // namespace svcsim
