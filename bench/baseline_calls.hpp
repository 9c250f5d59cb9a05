// The yardstick of call graphs (scenarios/order-checkout.yaml; user-signup too): a minimal
// discrete-event simulation of a scenario's compiled plan (engine/plan.hpp: what each handler
// does in the run's mode, every notify resolved into calls or a publish), on a
// std::priority_queue of events (time, then the order they were scheduled), with no actors.
// bench/baseline_calls.cpp times it; tests/baseline_calls_test.cpp checks that it agrees with
// svcsim, and with bench/baseline_signup.hpp on user-signup.
//
// What it simulates, as svcsim does (docs/scenario-format.md; src/actors/frame_station.cpp,
// src/actors/broker.cpp):
// - Arrivals: Poisson, the stream "workload:NAME"; each gap an exponential draw, their running
//   sum (a double) rounded to whole nanoseconds. The first `requests` arrivals are sent. A
//   request reaches the workload's target one hop after its send.
// - A service: `workers` workers in front of one unlimited FIFO waiting room. A job takes a
//   worker and runs its handler's ops in order (a job ending hands its answer on, then its
//   worker to the first waiting job); `work` draws from the stream "service:NAME"
//   when the job reaches it; a `call` goes one hop to the callee, whose job (its waiting room,
//   its handler) answers one hop back; `parallel` runs its branches at once and goes on when
//   the last ends; `publish` goes one hop to the broker and the handler goes on at once. The
//   worker stays held until the handler's end (during calls too), and the answer leaves then.
// - The broker (no work, no capacity, no failures): a publish reaching it is routed to a FIFO
//   queue per subscription; a subscribing service holds at most its prefetch deliveries
//   unacknowledged, all its subscriptions together, and a free slot takes the oldest message
//   waiting in any of them. A delivery reaches the subscriber broker.latency + one hop later;
//   its acknowledgement leaves when the handler ends, takes one hop, and frees the slot.
// - Latency: send to the reply's arrival at the client. Completion: send to the latest of the
//   reply's arrival, each publish's arrival at the broker and the end of each delivery's
//   handling. Requests sent before `warmup` are simulated but not measured. The run goes on
//   until nothing is left to do (no drain limit); a request left unanswered then (calls that
//   wait for each other's workers) makes it fail.
// Events: a job's arrival, a call's answer, a worker freed after the moment it was taken back
// (a handler ending later than the event that ran it), a reply at the client, a publish at the
// broker, an acknowledgement.
// With the same seed, every stream is drawn in the same order as svcsim's, but where
// simultaneous events (constant work, or zero) are taken in another order than svcsim's: on
// user-signup it gives bench/baseline_signup.hpp's means to the last digit, and on the
// scenarios of tests/baseline_calls_test.cpp svcsim's.
//
// Only scenarios without failures, policies or limits are taken (calls_shape_error() says what
// is not): it is a yardstick, not a second engine.
#pragma once

#include <algorithm>
#include <cmath>
#include <cstdint>
#include <deque>
#include <functional>
#include <queue>
#include <stdexcept>
#include <string>
#include <utility>
#include <vector>

#include "engine/plan.hpp"
#include "engine/random.hpp"
#include "engine/sampling.hpp"
#include "engine/slot_pool.hpp"
#include "scenarios/scenario.hpp"
#include "yardstick.hpp"

namespace svcsim::bench {

// Why `s` cannot be simulated here in mode `m`, or empty when it can: one open-loop Poisson
// workload with a constant rate; no failures; one instance of every service, unlimited waiting
// rooms, blocking; calls without timeout, retries, breaker or `optional`; publishes
// unconfirmed, without key, to unpartitioned topics; a broker without work, capacity or
// durability.
inline std::string calls_shape_error(const scenario& s, mode m) {
  if (std::string why = one_poisson_workload_error(s); !why.empty()) return why;
  if (s.broker_capacity >= 0 || s.broker_costs() || s.broker_durable)
    return "the broker must have the defaults (capacity, work, durable)";
  for (const topic& t : s.topics)
    if (t.partitions != 0) return "topic '" + t.name + "' must be unpartitioned";
  for (const service& svc : s.services)
    if (svc.instances != 1 || svc.queue >= 0 || !svc.blocking)
      return "service '" + svc.name + "': one instance, unlimited queue, blocking";
  const plan p = compile(s, m);
  std::string why;
  for (const service_plan& sp : p.services)
    for (const handler_plan& h : sp.handlers)
      for_each_op(h.ops, [&](const op& o) {
        if (o.kind == op_kind::call) {
          const call_policy& c = *o.policy;
          if (c.timeout || c.retries != 0 || c.optional || c.breaker.failures != 0)
            why = "calls must have no timeout, retries, breaker or optional";
        } else if (o.kind == op_kind::publish) {
          if (o.policy != nullptr || o.key->k != message_key::kind::none)
            why = "publishes must be unconfirmed and without a key";
        }
      });
  return why;
}

namespace detail {

// The one model; run_calls() below is its interface.
class calls_model {
 public:
  calls_model(const scenario& s, mode m, std::int64_t requests, std::uint64_t seed, nanos warmup)
      : plan_(compile(s, m)),
        requests_(requests),
        warmup_(warmup),
        hop_(s.network_latency),
        delivery_(s.broker_latency + s.network_latency),
        gap_ns_(1e9 / s.workloads[0].rate_per_s),
        target_(s.workloads[0].service),
        endpoint_(s.workloads[0].endpoint),
        arrivals_(rng::for_party(seed, "workload:" + s.workloads[0].name)) {
    for (std::size_t i = 0; i < s.services.size(); ++i) {
      const service& svc = s.services[i];
      stations_.push_back({svc.workers, rng::for_party(seed, "service:" + svc.name), 0, {}});
      subscribers_.push_back({s.prefetch_of(static_cast<int>(i)), 0, {}});
    }
    for (const topic& t : s.topics) {
      first_member_.push_back(static_cast<int>(members_.size()));
      for (auto [svc, sub] : t.subscribers) {
        subscribers_[svc].members.push_back(static_cast<int>(members_.size()));
        members_.push_back({svc, plan_.subscription_handler(svc, sub), {}});
      }
    }
    first_member_.push_back(static_cast<int>(members_.size()));
  }

  yardstick_result run() {
    send_next();
    while (!events_.empty()) {
      const event e = events_.top();
      events_.pop();
      ++result_.events;
      now_ = e.at;
      switch (e.kind) {
        case arrival:
          arrive(e.id);
          if (e.from_client) send_next();
          break;
        case answer:
          advance(e.id, now_);
          break;
        case worker_free:
          finish(static_cast<int>(e.id));
          break;
        case client_reply:
          ++result_.done;
          if (requests_in_[e.id].measured)
            latency_sum_ += static_cast<double>(now_ - requests_in_[e.id].sent);
          resolve(e.id, now_);
          break;
        case at_broker:
          route(e.id, static_cast<int>(e.extra));
          break;
        case ack:
          acknowledged(static_cast<int>(e.id));
          break;
      }
      result_.end = now_;
    }
    if (requests_in_.live() != 0)
      throw std::runtime_error("baseline-calls: " + std::to_string(requests_in_.live()) +
                               " requests never finished (calls waiting for each other's "
                               "workers?)");
    result_.latency_ms = mean_ms(latency_sum_, result_.measured);
    result_.completion_ms = mean_ms(completion_sum_, result_.measured);
    return result_;
  }

 private:
  enum event_kind : std::uint8_t { arrival, answer, worker_free, client_reply, at_broker, ack };
  struct event {
    nanos at;
    std::uint64_t seq;    // ties in time go in the order they were scheduled
    std::uint32_t id;     // arrival: job; answer: frame; worker_free: service; client_reply and
                          // at_broker: request; ack: member
    std::uint32_t extra;  // at_broker: topic
    event_kind kind;
    bool from_client;  // arrival: the workload's request (the next one is then sent)
    bool operator>(const event& o) const { return at != o.at ? at > o.at : seq > o.seq; }
  };
  static constexpr std::int32_t from_client = -1, from_broker = -2;
  struct job {
    std::int32_t service, handler;
    std::int32_t caller;  // the frame waiting for the answer, from_client or from_broker
    std::uint32_t request;
    std::int32_t member;  // from_broker: the subscription it was delivered for
  };
  struct frame {
    std::uint32_t job;
    const std::vector<op>* ops;
    std::uint32_t pc;
    std::int32_t parent;     // -1: the handler's root
    std::int32_t join_left;  // branches of its parallel op still running
    nanos join_end;          // the latest end among its finished branches
    bool spawning;           // starting the branches of its parallel op
  };
  struct station {
    std::int64_t workers;
    rng random;
    std::int64_t busy;
    std::deque<std::uint32_t> waiting;  // jobs, FIFO
    bool starting = false;              // in finish()'s loop (no recursion)
  };
  struct member {  // one subscription of a topic, at the broker
    std::int32_t service, handler;
    std::deque<std::pair<std::uint64_t, std::uint32_t>> queue;  // (publish, request), FIFO
  };
  struct subscriber {  // a subscribing service, at the broker
    std::int64_t prefetch;
    std::int64_t unacked;
    std::vector<int> members;  // its subscriptions
  };
  struct request {
    nanos sent, last_end;
    std::int32_t pending;  // pieces still to end: the reply, publishes, deliveries
    bool measured;
  };

  void schedule(nanos at, event_kind k, std::uint32_t id, std::uint32_t extra = 0,
                bool client = false) {
    events_.push(event{at, seq_++, id, extra, k, client});
  }

  // The next request, if any, is sent at its arrival time and reaches the target one hop later.
  void send_next() {
    if (result_.sent == requests_) return;
    next_arrival_ += arrivals_.exponential(gap_ns_);
    const nanos t = std::llround(next_arrival_);
    const bool measured = t >= warmup_;
    const std::uint32_t r = requests_in_.add(request{t, 0, 1, measured});
    ++result_.sent;
    if (measured) ++result_.measured;
    const std::uint32_t j = jobs_.add(job{target_, endpoint_, from_client, r, -1});
    schedule(t + hop_, arrival, j, 0, true);
  }

  void arrive(std::uint32_t j) {
    station& st = stations_[jobs_[j].service];
    if (st.busy < st.workers)
      start(j);
    else
      st.waiting.push_back(j);
  }

  void start(std::uint32_t j) {
    const job& jb = jobs_[j];
    ++stations_[jb.service].busy;
    const auto& ops = plan_.services[jb.service].handlers[jb.handler].ops;
    advance(frames_.add(frame{j, &ops, 0, -1, 0, 0, false}), now_);
  }

  // Runs frame f's ops from its pc at time t (>= now) until it waits for an answer or ends.
  void advance(std::uint32_t f, nanos t) {
    for (;;) {
      frame& fr = frames_[f];
      if (fr.pc == fr.ops->size()) return complete(f, t);
      const op& o = (*fr.ops)[fr.pc++];
      const job& jb = jobs_[fr.job];
      switch (o.kind) {
        case op_kind::work:
          t += sample(*o.work, stations_[jb.service].random);
          break;
        case op_kind::call:
          schedule(
              t + hop_, arrival,
              jobs_.add(job{o.service, o.handler, static_cast<std::int32_t>(f), jb.request, -1}));
          return;
        case op_kind::publish:
          ++requests_in_[jb.request].pending;
          schedule(t + hop_, at_broker, jb.request, static_cast<std::uint32_t>(o.topic));
          break;
        case op_kind::parallel: {
          fr.join_left = static_cast<std::int32_t>(o.branches.size());
          fr.join_end = t;
          fr.spawning = true;
          const std::uint32_t j = fr.job;
          for (const auto& b : o.branches)
            advance(frames_.add(frame{j, &b, 0, static_cast<std::int32_t>(f), 0, 0, false}), t);
          frame& back = frames_[f];  // the pool may have moved it
          back.spawning = false;
          if (back.join_left > 0) return;
          t = back.join_end;
          break;
        }
      }
    }
  }

  // Frame f ran its last op at t: a branch joins its parent; a root ends its job.
  void complete(std::uint32_t f, nanos t) {
    const frame fr = frames_[f];
    frames_.remove(f);
    if (fr.parent >= 0) {
      frame& p = frames_[static_cast<std::uint32_t>(fr.parent)];
      p.join_end = std::max(p.join_end, t);
      if (--p.join_left == 0 && !p.spawning)
        advance(static_cast<std::uint32_t>(fr.parent), p.join_end);
      return;
    }
    const job jb = jobs_[fr.job];
    jobs_.remove(fr.job);
    if (jb.caller >= 0)
      schedule(t + hop_, answer, static_cast<std::uint32_t>(jb.caller));
    else if (jb.caller == from_client)
      schedule(t + hop_, client_reply, jb.request);
    else {  // a delivery: handled at t, acknowledged one hop later
      resolve(jb.request, t);
      schedule(t + hop_, ack, static_cast<std::uint32_t>(jb.member));
    }
    if (t > now_)
      schedule(t, worker_free, static_cast<std::uint32_t>(jb.service));
    else
      finish(jb.service);
  }

  // A worker of `service` is free now: the waiting jobs take the free workers, first come
  // first. A job that ends at once frees its worker inside start(): the loop goes on.
  void finish(int service) {
    station& st = stations_[service];
    --st.busy;
    if (st.starting) return;
    st.starting = true;
    while (st.busy < st.workers && !st.waiting.empty()) {
      const std::uint32_t next = st.waiting.front();
      st.waiting.pop_front();
      start(next);
    }
    stations_[service].starting = false;
  }

  // Piece of request r ended at `at`; the last one closes it.
  void resolve(std::uint32_t r, nanos at) {
    request& rq = requests_in_[r];
    rq.last_end = std::max(rq.last_end, at);
    if (--rq.pending > 0) return;
    if (rq.measured) completion_sum_ += static_cast<double>(rq.last_end - rq.sent);
    requests_in_.remove(r);
  }

  // Subscribing service `svc` takes the oldest waiting messages of its subscriptions while it
  // has prefetch to spare.
  void dispatch(int svc) {
    subscriber& sb = subscribers_[svc];
    while (sb.unacked < sb.prefetch) {
      int oldest = -1;
      for (int m : sb.members)
        if (!members_[m].queue.empty() &&
            (oldest < 0 || members_[m].queue.front().first < members_[oldest].queue.front().first))
          oldest = m;
      if (oldest < 0) return;
      const std::uint32_t r = members_[oldest].queue.front().second;
      members_[oldest].queue.pop_front();
      ++sb.unacked;
      schedule(now_ + delivery_, arrival,
               jobs_.add(job{svc, members_[oldest].handler, from_broker, r, oldest}));
    }
  }

  // Request r's publish on `topic` reaches the broker: one message per subscription.
  void route(std::uint32_t r, int topic) {
    const std::uint64_t publish = publishes_++;
    for (int m = first_member_[topic]; m < first_member_[topic + 1]; ++m) {
      ++requests_in_[r].pending;
      members_[m].queue.emplace_back(publish, r);
      dispatch(members_[m].service);
    }
    resolve(r, now_);
  }

  void acknowledged(int m) {
    --subscribers_[members_[m].service].unacked;
    dispatch(members_[m].service);
  }

  const plan plan_;
  const std::int64_t requests_;
  const nanos warmup_, hop_, delivery_;  // delivery: broker latency + one hop
  const double gap_ns_;
  const int target_, endpoint_;
  rng arrivals_;
  double next_arrival_ = 0;
  std::vector<station> stations_;        // by service
  std::vector<member> members_;          // every topic's subscriptions, topic by topic
  std::vector<subscriber> subscribers_;  // by service
  std::vector<int> first_member_;        // topic t's are [first_member_[t], first_member_[t + 1])
  slot_pool<request> requests_in_;
  slot_pool<job> jobs_;
  slot_pool<frame> frames_;
  std::priority_queue<event, std::vector<event>, std::greater<>> events_;
  std::uint64_t seq_ = 0;
  std::uint64_t publishes_ = 0;  // routed so far: a message's age
  nanos now_ = 0;
  double latency_sum_ = 0, completion_sum_ = 0;  // ns
  yardstick_result result_;
};

}  // namespace detail

// Simulates `requests` requests of scenario `s` in mode `m` with seed `seed` (the file's seed
// and duration are not used); requests sent before `warmup` are not measured.
// std::invalid_argument when calls_shape_error(s, m) says why not, or `requests` < 1.
inline yardstick_result run_calls(const scenario& s, mode m, std::int64_t requests,
                                  std::uint64_t seed, nanos warmup = 0) {
  if (const std::string why = calls_shape_error(s, m); !why.empty())
    throw std::invalid_argument("baseline-calls: " + s.name + ": " + why);
  if (requests < 1) throw std::invalid_argument("baseline-calls: requests must be at least 1");
  return detail::calls_model(s, m, requests, seed, warmup).run();
}

}  // namespace svcsim::bench
