#include "actors/client.hpp"

#include <caf/all.hpp>
#include <cstdio>
#include <optional>
#include <string>
#include <unordered_map>

#include "actors/balancer.hpp"
#include "actors/messages.hpp"
#include "actors/party.hpp"
#include "engine/arrivals.hpp"
#include "engine/sampling.hpp"

namespace svcsim {
namespace {

constexpr int batch = 64;  // arrivals put on the clock at once

struct client_state {
  const run_context* w = nullptr;
  client_options opt;
  const workload* spec = nullptr;
  std::optional<arrival_stream> arrivals;  // open loop
  rng think;                               // closed loop
  std::int64_t sent = 0;
  // A target of several instances: which gets each request, and, when the balancer counts
  // calls in flight, where each open request went (by trace).
  std::optional<balancer> lb;
  std::unordered_map<std::uint64_t, int> sent_to;
};

using self_ptr = party_actor<client_state>*;

// Sends one request to arrive at the target one hop after `t` (or adds it to `direct`, for a
// target fed by this client alone); false when the run must stop.
bool send_at(self_ptr self, nanos t, arrivals_msg* direct = nullptr) {
  auto& st = self->state;
  if (st.w->rec->open_traces() >= st.w->options.max_in_flight) {
    char at[32];
    std::snprintf(at, sizeof at, "%.3f s", static_cast<double>(t) / 1e9);
    st.w->status->fail("more than " + std::to_string(st.w->options.max_in_flight) +
                       " requests were in flight at " + at +
                       ": the system cannot keep up with its arrivals; lower the arrival rates (or "
                       "the users), add workers, or bound a queue (queue: N) so that excess is "
                       "rejected");
    return false;
  }
  ++st.sent;
  const auto trace = st.w->rec->open(st.opt.workload, t);
  const job_msg job{st.spec->endpoint, static_cast<std::int32_t>(st.w->client(st.opt.workload)),
                    trace, trace};
  const nanos arrives = t + st.w->hop;
  if (direct) {
    direct->jobs.push_back(arrival{arrives, job});
    return true;
  }
  // A balancer that counts calls in flight picks when the request leaves, at t: the client
  // hands it to itself for then.
  if (st.lb && st.lb->counts()) {
    st.w->post(self, st.w->client(st.opt.workload), t, job);
    return true;
  }
  const int instance = st.lb ? st.lb->pick() : 0;
  st.w->post(self, st.w->instances.first(st.spec->service) + instance, arrives, job);
  return true;
}

// A request handed to itself (send_at) leaves now, to the instance the balancer picks.
void leave(self_ptr self, const job_msg& job) {
  auto& st = self->state;
  const int instance = st.lb->pick();
  st.lb->sent(instance);
  st.sent_to.emplace(job.trace, instance);
  const nanos now = st.w->now(self);
  st.w->post(self, st.w->instances.first(st.spec->service) + instance, now + st.w->hop, job);
}

// Closed loop: a user who got an answer at `now` (or starts) thinks, then sends again.
void think_then_send(self_ptr self, nanos now) {
  auto& st = self->state;
  const nanos t = now + sample(st.spec->think, st.think);
  if (t < st.opt.stop) send_at(self, t);
}

// Schedules the next batch of arrivals, and a wake-up at the last of them for the one after.
// A target fed by this client alone gets the batch at once, in one message.
void schedule_batch(self_ptr self) {
  auto& st = self->state;
  const bool fed = st.w->fed_by(st.spec->service) == st.opt.workload;
  arrivals_msg direct;
  if (fed) direct.jobs.reserve(batch);
  nanos last = 0;
  bool more = true;
  for (int i = 0; more && i < batch; ++i) {
    more = st.opt.quota < 0 || st.sent < st.opt.quota;
    const nanos t = more ? st.arrivals->next() : 0;
    more = more && t < st.opt.stop && send_at(self, t, fed ? &direct : nullptr);
    if (more) last = t;
  }
  direct.last = !more;
  if (fed) self->send(st.w->party(st.w->instances.first(st.spec->service)), std::move(direct));
  if (more) st.w->post(self, st.w->client(st.opt.workload), last, wake_msg{0});
}

}  // namespace

caf::actor spawn_client(caf::actor_system& sys, const run_context* w, client_options options) {
  return sys.spawn([w, options](self_ptr self) -> caf::behavior {
    w->guard(self);
    auto& st = self->state;
    st.w = w;
    st.opt = options;
    st.spec = &w->source->workloads[options.workload];
    if (w->instances.count(st.spec->service) > 1)
      st.lb.emplace(balancer_to(*w->source, st.spec->service, "workload:" + st.spec->name));
    if (st.spec->users > 0) {
      st.think = rng::for_party(w->source->seed, "workload:" + st.spec->name);
      for (std::int64_t u = 0; u < st.spec->users; ++u) think_then_send(self, 0);
    } else {
      st.arrivals.emplace(*st.spec, w->source->seed);
      schedule_batch(self);
    }
    return self->serve(
        w->options.plain_caf,
        [self](const reply_msg& r) -> no_response {
          auto& st = self->state;
          ++st.w->status->events;
          const nanos now = st.w->now(self);
          st.w->rec->reply(r.corr, now, r.ok);
          if (st.lb && st.lb->counts()) {
            const auto it = st.sent_to.find(r.corr);
            st.lb->done(it->second);
            st.sent_to.erase(it);
          }
          if (st.spec->users > 0) think_then_send(self, now);
          return {};
        },
        [self](const wake_msg&) -> no_response {
          ++self->state.w->status->events;
          schedule_batch(self);
          return {};
        },
        [self](const job_msg& job) -> no_response {
          ++self->state.w->status->events;
          leave(self, job);
          return {};
        });
  });
}

}  // namespace svcsim
