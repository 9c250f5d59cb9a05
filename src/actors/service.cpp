#include "actors/service.hpp"

#include "actors/messages.hpp"
#include "actors/service_state.hpp"
#include "engine/sampling.hpp"

#include <caf/all.hpp>

#include <algorithm>

namespace svcsim {

void publish(service_ptr self, nanos at, int topic, std::uint64_t trace) {
  auto& st = self->state;
  st.w->rec->add_pending(trace, 1);
  st.w->post(self, st.w->broker, at + st.hop,
             publish_msg{topic, trace, static_cast<std::int64_t>(at)});
}

nanos work_time(service_ptr self, const distribution& d, nanos t) {
  auto& st = self->state;
  const nanos x = sample(d, st.random);
  if (st.trouble->empty()) return x;
  const double k = st.trouble->slow_factor(t);
  if (k == 1.0) return x;
  return static_cast<nanos>(std::min(static_cast<double>(x) * k, 1e18));  // no overflow
}

bool fails_by_chance(service_ptr self, nanos end) {
  auto& st = self->state;
  if (st.trouble->empty()) return false;
  const double p = st.trouble->error_probability(end);
  return p > 0 && st.random.uniform01() < p;
}

nanos run_inline(service_ptr self, const std::vector<op>& ops, nanos t, std::uint64_t trace,
                 nanos cutoff) {
  for (const auto& o : ops) {
    switch (o.kind) {
      case op_kind::work: t += work_time(self, *o.work, t); break;
      case op_kind::publish:
        if (t < cutoff) publish(self, t, o.topic, trace);
        break;
      case op_kind::parallel: {
        nanos end = t;
        for (const auto& b : o.branches)
          end = std::max(end, run_inline(self, b, t, trace, cutoff));
        t = end;
        break;
      }
      case op_kind::call: throw std::logic_error("run_inline: a predictable handler calls");
    }
  }
  return t;
}

void reply_to(service_ptr self, std::int32_t caller, std::uint64_t corr, nanos end, bool ok,
              bool down) {
  auto& st = self->state;
  if (caller == st.direct_client)
    return st.direct_replies.push(direct_reply{end + st.hop, st.direct_count++, corr, ok});
  st.w->post(self, caller, end + st.hop,
             reply_msg{corr, ok, static_cast<std::int64_t>(end), down});
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

namespace {

// Puts the service's outages on its clock: what it holds fails at a crash's start and a hang's
// end; at each outage's end a subscriber tells the broker it is back.
void schedule_outages(service_ptr self) {
  auto& st = self->state;
  const auto& outages = st.trouble->outages();
  for (std::uint32_t i = 0; i < outages.size(); ++i) {
    const auto& o = outages[i];
    if (!o.hang && !st.plan->predictable)
      st.w->post(self, st.id, o.begin, service_wake(service_event::outage_begin, i));
    if (o.end != failure_schedule::never)
      st.w->post(self, st.id, o.end, service_wake(service_event::outage_end, i));
  }
}

// An outage ends: a hung service restarts empty; a subscriber tells the broker it is back,
// unless another outage starts right then. The notice goes through the clock, after the
// replies the outage failed at this instant, so the broker learns of those first.
void on_outage_end(service_ptr self, std::uint32_t i, nanos now) {
  auto& st = self->state;
  if (st.trouble->outages()[i].hang && !st.plan->predictable) restart(self, now);
  const outage* next = st.trouble->outage_from(now);
  if (st.plan->consumes && !(next && next->begin <= now))
    self->scheduled_send(st.w->parties[st.w->broker], st.w->at(now + st.hop),
                         consumer_up_msg{st.id, now});
}

// Job `m` arrives at `now`: refused while crashed, else admitted (or rejected) by the station.
void take(service_ptr self, const job_msg& m, nanos now) {
  auto& st = self->state;
  if (st.trouble->crashed(now)) {
    if (st.w->rec->measured(m.trace)) ++st.tally->dropped;
    return reply_to(self, m.caller, m.corr, now, false, true);
  }
  if (st.plan->predictable)
    accept_predictable(self, m, now);
  else
    accept_event_driven(self, m, now);
}

}  // namespace

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
    st.trouble = &(*w->failures)[id];
    if (w->fed_by(id) >= 0) st.direct_client = w->client(w->fed_by(id));
    schedule_outages(self);
    return {
        [self](const job_msg& m) {
          ++self->state.w->events;
          take(self, m, now_of(self));
        },
        [self](const arrivals_msg& m) {
          auto& st = self->state;
          ++st.w->events;
          for (const auto& a : m.jobs) take(self, a.job, a.at);
          if (!m.jobs.empty())
            st.w->last_direct_event = std::max(st.w->last_direct_event, m.jobs.back().at);
          // Later arrivals come no sooner than this batch's last, nor do their replies.
          record_direct_replies(self, m.last ? failure_schedule::never
                                             : m.jobs.empty() ? 0 : m.jobs.back().at);
        },
        [self](const reply_msg& r) {
          ++self->state.w->events;
          on_call_reply(self, r.corr, r.ok, now_of(self));
        },
        [self](const wake_msg& m) {
          ++self->state.w->events;
          if (is_service_event(m.token, service_event::outage_end))
            return on_outage_end(self, id_of(m.token), now_of(self));
          if (is_service_event(m.token, service_event::held_replies))
            return release_held_replies(self, now_of(self));
          on_wake(self, m.token, now_of(self));
        },
    };
  });
}

}  // namespace svcsim
