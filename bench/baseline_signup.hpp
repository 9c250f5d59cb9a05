// The yardstick of user-signup (scenarios/user-signup.yaml): a minimal discrete-event simulation
// of exactly that model, in both modes, on a std::priority_queue of events (time, then the order
// they were scheduled), with no actors. bench/baseline_signup.cpp times it; a test
// (tests/baseline_signup_test.cpp) checks it agrees with svcsim.
//
// What it simulates, as svcsim does (docs/scenario-format.md; src/actors, src/engine/plan.cpp):
// - Arrivals: Poisson, the stream "workload:NAME"; each gap an exponential draw, their running
//   sum (a double) rounded to whole nanoseconds (engine/arrivals.cpp). The first `requests`
//   arrivals are sent (the file's duration and requests are not used). A request reaches the
//   front service (the workload's target) one hop after its send.
// - A service: `workers` workers in front of one unlimited FIFO waiting room; a job's work is
//   drawn from the stream "service:NAME" (exponential, rounded to whole ns) when it starts, so
//   in the order jobs arrive. A worker freed at t may serve a job arriving at t.
// - Sync: the front's job works, then its `notify` is one call to each subscriber in turn, in
//   the order of the file: request one hop, the subscriber's job (its waiting room, its work),
//   reply one hop. The front's worker stays held until the last reply is in; the reply to the
//   client takes one more hop. Completion = latency.
// - Async: the front's job works, then publishes (one hop to the broker) and replies (one hop to
//   the client) at once, and frees its worker. The broker keeps one FIFO queue per subscriber;
//   a subscriber has at most its prefetch (its workers) deliveries unacknowledged. A delivery
//   leaves when a slot is free and reaches the subscriber broker.latency + one hop later; the
//   acknowledgement takes one hop back, and frees the slot on arrival. The broker does no work.
// - Latency: send to the reply's arrival at the client. Completion: send to the latest of the
//   reply's arrival, the publish's arrival at the broker, and the end of each subscriber's
//   handling (not the acknowledgement's hop). Lag: publish to the end of a subscriber's handling.
//   Requests sent before `warmup` are simulated but not measured. The run goes on until
//   nothing is left to do (no drain limit: user-signup always drains).
// Events per request: sync 8 (arrival at the front, arrival at and end of each of the three
// subscribers' jobs, end of the front's job); async 12 (arrival at the front, end of its work,
// the publish's arrival, and per subscriber a delivery's arrival, the end of its handling, its
// acknowledgement's arrival).
// With the same seed, every stream is drawn in the same order as svcsim's (each party draws in
// the order its jobs arrive), so the results match svcsim's but for ties of simultaneous
// events, which the continuous draws make all but impossible. (Checked when written: the mean
// latency, completion and lag were bit-identical to svcsim's in both modes, for seeds 1 to 8 at
// 20,000 requests and for seed 42 at 1,000,000.)
//
// Only scenarios of user-signup's shape are taken (signup_shape_error() says what is not): it
// is a yardstick, not a second engine.
#pragma once

#include <cmath>
#include <cstdint>
#include <deque>
#include <functional>
#include <queue>
#include <stdexcept>
#include <string>
#include <vector>

#include "engine/random.hpp"
#include "engine/sampling.hpp"
#include "engine/slot_pool.hpp"
#include "scenarios/scenario.hpp"
#include "yardstick.hpp"

namespace svcsim::bench {

// Why `s` is not of user-signup's shape, or empty when it is: one open-loop Poisson workload,
// constant rate, to an endpoint of a service whose only handler is `work: exp(...)` then one
// `notify` of a topic (no policy: no timeout, retries, breaker, confirm, key or mode pin); every
// other service subscribes to that topic alone, with a handler of `work: exp(...)` only; one
// instance of every service, unlimited waiting rooms, blocking; sync.notify sequential; a broker
// without work, capacity, prefetch or failures; no failures, no partitions.
inline std::string signup_shape_error(const scenario& s) {
  const auto is_exp = [](const step& st) {
    return st.kind == step_kind::work && st.work.k == distribution::kind::exponential &&
           st.work.a > 0;
  };
  if (std::string why = one_poisson_workload_error(s); !why.empty()) return why;
  const workload& w = s.workloads[0];
  if (s.sync_notify != notify_policy::sequential) return "sync.notify must be sequential";
  if (s.broker_capacity >= 0 || s.broker_prefetch != 0 || s.broker_costs() ||
      s.broker_publishing.confirm)
    return "the broker must have the defaults (capacity, prefetch, work, confirm)";
  if (s.topics.size() != 1) return "needs exactly one topic";
  const topic& t = s.topics[0];
  if (t.partitions != 0 || t.pinned) return "the topic must be unpartitioned and not pinned";
  if (t.subscribers.size() + 1 != s.services.size())
    return "every service but the workload's target must subscribe to the topic";
  for (std::size_t i = 0; i < s.services.size(); ++i) {
    const service& svc = s.services[i];
    if (svc.instances != 1 || svc.queue >= 0 || !svc.blocking)
      return "service '" + svc.name + "': one instance, unlimited queue, blocking";
  }
  const service& front = s.services[w.service];
  if (front.endpoints.size() != 1 || !front.subscriptions.empty())
    return "the workload's target must have one endpoint and no subscriptions";
  const auto& steps = front.endpoints[0].steps;
  if (steps.size() != 2 || !is_exp(steps[0]) || steps[1].kind != step_kind::notify)
    return "the endpoint must be 'work: exp(...)' then one notify";
  const step& n = steps[1];
  const call_policy& p = n.policy;
  if (n.pinned || p.timeout || p.retries != 0 || p.optional || p.breaker.failures != 0 ||
      n.publishing.confirm || n.key.k != message_key::kind::none)
    return "the notify step must have no timeout, retries, breaker, confirm, key or mode";
  for (auto [svc, sub] : t.subscribers) {
    const service& sv = s.services[svc];
    if (svc == w.service || !sv.endpoints.empty() || sv.subscriptions.size() != 1)
      return "subscriber '" + sv.name + "' must have one subscription and no endpoints";
    const auto& hs = sv.subscriptions[sub].on_message.steps;
    if (hs.size() != 1 || !is_exp(hs[0]))
      return "subscriber '" + sv.name + "' must only do 'work: exp(...)'";
  }
  return {};
}

namespace detail {

// The one model; run_signup() below is its interface.
class signup_model {
 public:
  signup_model(const scenario& s, mode m, std::int64_t requests, std::uint64_t seed, nanos warmup)
      : sync_(m == mode::sync),
        requests_(requests),
        warmup_(warmup),
        hop_(s.network_latency),
        delivery_(s.broker_latency + s.network_latency),
        gap_ns_(1e9 / s.workloads[0].rate_per_s),
        arrivals_(rng::for_party(seed, "workload:" + s.workloads[0].name)) {
    const service& front = s.services[s.workloads[0].service];
    stations_.push_back(station_of(front, front.endpoints[0].steps[0], seed));
    for (auto [svc, sub] : s.topics[0].subscribers) {
      const service& sv = s.services[svc];
      stations_.push_back(station_of(sv, sv.subscriptions[sub].on_message.steps[0], seed));
      subscribers_.push_back({s.prefetch_of(svc), 0, {}});
    }
  }

  yardstick_result run() {
    send_next();
    while (!events_.empty()) {
      const event e = events_.top();
      events_.pop();
      ++result_.events;
      switch (e.kind) {
        case front_arrival:
          arrive(0, e.slot, e.at);
          send_next();
          break;
        case front_end:
          front_ended(e.slot, e.at);
          break;
        case sub_arrival:
          arrive(e.sub + 1, e.slot, e.at);
          break;
        case sub_end:
          sub_ended(e.sub, e.slot, e.at);
          break;
        case publish:
          published(e.slot, e.at);
          break;
        case ack:
          acknowledged(e.sub, e.at);
          break;
      }
      result_.end = e.at;
    }
    result_.latency_ms = mean_ms(latency_sum_, result_.measured);
    result_.completion_ms = mean_ms(completion_sum_, result_.measured);
    result_.lag_ms = mean_ms(lag_sum_, lags_);
    return result_;
  }

 private:
  enum event_kind : std::uint8_t { front_arrival, front_end, sub_arrival, sub_end, publish, ack };
  struct event {
    nanos at;
    std::uint64_t seq;  // ties in time go in the order they were scheduled
    std::uint32_t slot;
    event_kind kind;
    std::uint8_t sub;  // subscriber (sub_*, ack)
    bool operator>(const event& o) const { return at != o.at ? at > o.at : seq > o.seq; }
  };
  struct station {
    std::int64_t workers;
    double work_ns;  // mean
    rng random;
    std::int64_t busy = 0;
    std::deque<std::uint32_t> waiting;  // request slots, FIFO
  };
  struct subscriber {
    std::int64_t prefetch;
    std::int64_t unacked = 0;
    std::deque<std::uint32_t> queue;  // at the broker, FIFO
  };
  struct request {
    nanos sent = 0, published = 0, last_end = 0;
    int pending = 0;  // async: handlings still to end
  };

  static station station_of(const service& svc, const step& work, std::uint64_t seed) {
    return station{svc.workers, work.work.a, rng::for_party(seed, "service:" + svc.name), 0, {}};
  }

  void schedule(nanos at, event_kind k, std::uint32_t slot, int sub = 0) {
    events_.push(event{at, seq_++, slot, k, static_cast<std::uint8_t>(sub)});
  }

  // The next request, if any, is sent at its arrival time and reaches the front one hop later.
  void send_next() {
    if (result_.sent == requests_) return;
    next_arrival_ += arrivals_.exponential(gap_ns_);
    const nanos t = std::llround(next_arrival_);
    const std::uint32_t slot = requests_in_.add(request{t, 0, 0, 0});
    ++result_.sent;
    if (t >= warmup_) ++result_.measured;
    schedule(t + hop_, front_arrival, slot);
  }

  // A job of request `slot` reaches station i (0: the front, 1 + k: subscriber k) at now.
  void arrive(int i, std::uint32_t slot, nanos now) {
    station& st = stations_[i];
    if (st.busy < st.workers)
      start(i, slot, now);
    else
      st.waiting.push_back(slot);
  }

  void start(int i, std::uint32_t slot, nanos now) {
    station& st = stations_[i];
    ++st.busy;
    const nanos end = now + to_nanos(st.random.exponential(st.work_ns));
    if (i > 0) return schedule(end, sub_end, slot, i - 1);
    // Sync: the call to the first subscriber leaves when the work is done.
    if (sync_) return schedule(end + hop_, sub_arrival, slot, 0);
    schedule(end, front_end, slot);
  }

  void finish(int i, nanos now) {
    station& st = stations_[i];
    --st.busy;
    if (st.waiting.empty()) return;
    const std::uint32_t next = st.waiting.front();
    st.waiting.pop_front();
    start(i, next, now);
  }

  // The front's job ends: sync, at the last reply's arrival; async, when its work is done.
  void front_ended(std::uint32_t slot, nanos now) {
    finish(0, now);
    request& r = requests_in_[slot];
    const nanos replied = now + hop_;
    ++result_.done;
    if (r.sent >= warmup_) latency_sum_ += static_cast<double>(replied - r.sent);
    if (sync_) {
      if (r.sent >= warmup_) completion_sum_ += static_cast<double>(replied - r.sent);
      return requests_in_.remove(slot);
    }
    // The publish reaches the broker when the reply reaches the client.
    r.published = now;
    r.last_end = replied;
    schedule(replied, publish, slot);
  }

  void sub_ended(int k, std::uint32_t slot, nanos now) {
    finish(k + 1, now);
    if (sync_) {  // the reply goes back to the front, which calls the next one or answers
      if (k + 1 < static_cast<int>(subscribers_.size()))
        return schedule(now + 2 * hop_, sub_arrival, slot, k + 1);
      return schedule(now + hop_, front_end, slot);
    }
    request& r = requests_in_[slot];
    if (r.sent >= warmup_) {
      lag_sum_ += static_cast<double>(now - r.published);
      ++lags_;
    }
    if (now > r.last_end) r.last_end = now;
    if (--r.pending == 0) {
      if (r.sent >= warmup_) completion_sum_ += static_cast<double>(r.last_end - r.sent);
      requests_in_.remove(slot);
    }
    schedule(now + hop_, ack, 0, k);
  }

  // The broker routes the message to every subscriber's queue, delivering where a slot is free.
  void published(std::uint32_t slot, nanos now) {
    requests_in_[slot].pending = static_cast<int>(subscribers_.size());
    for (std::size_t k = 0; k < subscribers_.size(); ++k) {
      subscriber& sub = subscribers_[k];
      if (sub.unacked < sub.prefetch) {
        ++sub.unacked;
        schedule(now + delivery_, sub_arrival, slot, static_cast<int>(k));
      } else {
        sub.queue.push_back(slot);
      }
    }
  }

  void acknowledged(int k, nanos now) {
    subscriber& sub = subscribers_[k];
    --sub.unacked;
    if (sub.queue.empty()) return;
    const std::uint32_t slot = sub.queue.front();
    sub.queue.pop_front();
    ++sub.unacked;
    schedule(now + delivery_, sub_arrival, slot, k);
  }

  const bool sync_;
  const std::int64_t requests_;
  const nanos warmup_, hop_, delivery_;  // delivery: broker latency + one hop
  const double gap_ns_;
  rng arrivals_;
  double next_arrival_ = 0;
  std::vector<station> stations_;  // the front, then the subscribers in the file's order
  std::vector<subscriber> subscribers_;
  slot_pool<request> requests_in_;  // open requests, by slot
  std::priority_queue<event, std::vector<event>, std::greater<>> events_;
  std::uint64_t seq_ = 0;
  double latency_sum_ = 0, completion_sum_ = 0, lag_sum_ = 0;  // ns
  std::int64_t lags_ = 0;
  yardstick_result result_;
};

}  // namespace detail

// Simulates `requests` requests of user-signup-shaped scenario `s` in mode `m` with seed `seed`
// (the file's seed and duration are not used); requests sent before `warmup` are not measured.
// std::invalid_argument when `s` is not of that shape or `requests` < 1.
inline yardstick_result run_signup(const scenario& s, mode m, std::int64_t requests,
                                   std::uint64_t seed, nanos warmup = 0) {
  if (const std::string why = signup_shape_error(s); !why.empty())
    throw std::invalid_argument("baseline-signup: " + s.name + ": " + why);
  if (requests < 1) throw std::invalid_argument("baseline-signup: requests must be at least 1");
  return detail::signup_model(s, m, requests, seed, warmup).run();
}

}  // namespace svcsim::bench
