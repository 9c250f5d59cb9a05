#include "actors/service.hpp"

#include "actors/messages.hpp"
#include "actors/service_state.hpp"

#include <caf/all.hpp>

namespace svcsim {

void publish(service_ptr self, nanos at, int topic, std::uint64_t trace) {
  auto& st = self->state;
  st.w->rec->add_pending(trace, 1);
  st.w->post(self, st.w->broker, at + st.hop,
             publish_msg{topic, trace, static_cast<std::int64_t>(at)});
}

nanos run_inline(service_ptr self, const std::vector<op>& ops, nanos t, std::uint64_t trace) {
  for (const auto& o : ops) {
    switch (o.kind) {
      case op_kind::work: t += o.work->sample(self->state.random); break;
      case op_kind::publish: publish(self, t, o.topic, trace); break;
      case op_kind::parallel: {
        nanos end = t;
        for (const auto& b : o.branches) end = std::max(end, run_inline(self, b, t, trace));
        t = end;
        break;
      }
      case op_kind::call: throw std::logic_error("run_inline: a predictable handler calls");
    }
  }
  return t;
}

void reply_to(service_ptr self, std::int32_t caller, std::uint64_t corr, nanos end, bool ok) {
  auto& st = self->state;
  st.w->post(self, caller, end + st.hop, reply_msg{corr, ok, static_cast<std::int64_t>(end)});
}

// Broker deliveries are never refused: the broker sends no more than the subscriber's
// prefetch, and the subscriber keeps room for what it prefetched.
bool refused(service_ptr self, const job_msg& m, std::size_t waiting, nanos now) {
  auto& st = self->state;
  if (st.spec->queue < 0 || m.caller == st.w->broker ||
      waiting < static_cast<std::size_t>(st.spec->queue))
    return false;
  if (st.w->rec->measured(m.trace)) ++st.tally->rejected;
  reply_to(self, m.caller, m.corr, now, false);
  return true;
}

caf::actor spawn_service(caf::actor_system& sys, world* w, int id) {
  return sys.spawn([w, id](service_ptr self) -> caf::behavior {
    w->guard(self);
    auto& st = self->state;
    st.w = w;
    st.id = id;
    st.spec = &w->source->services[id];
    st.plan = &w->plan->services[id];
    st.tally = &(*w->tallies)[id];
    st.random = rng::for_party(w->source->seed, "service:" + st.spec->name);
    st.hop = w->source->network_latency;
    return {
        [self](const job_msg& m) {
          ++self->state.w->events;
          if (self->state.plan->predictable)
            accept_predictable(self, m, now_of(self));
          else
            accept_event_driven(self, m, now_of(self));
        },
        [self](const reply_msg& r) {
          ++self->state.w->events;
          on_call_reply(self, r.corr, r.ok, now_of(self));
        },
        [self](const wake_msg& m) {
          ++self->state.w->events;
          on_wake(self, m.token, now_of(self));
        },
    };
  });
}

}  // namespace svcsim
