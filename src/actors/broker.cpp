#include "actors/broker.hpp"

#include <caf/all.hpp>
#include <deque>

#include "actors/messages.hpp"
#include "engine/slot_pool.hpp"

namespace svcsim {
namespace {

struct queued {
  std::uint64_t trace;
  nanos published;
  std::uint64_t seq;  // order of arrival at the broker
  bool delivered_before = false;
};

struct subscription_queue {
  int topic = -1, handler = -1;
  std::uint32_t member = 0;  // its place in the topic's subscribers
  std::deque<queued> waiting;
  std::int64_t held = 0;  // waiting + delivered and not acknowledged: what capacity bounds
};

// A subscribing service: its subscriptions share one budget of unacknowledged deliveries.
// It is paused from when a delivery comes back dropped by an outage until it says it is up.
struct subscriber {
  int service = -1;
  std::int64_t prefetch = 1;
  std::int64_t unacked = 0;
  std::vector<std::uint32_t> subscriptions;
  bool paused = false;
  nanos up_at = -1;  // when it last came back
};

struct delivery {
  std::uint32_t subscription;
  queued message;
};

struct broker_state {
  const run_context* w = nullptr;
  nanos delay = 0;  // routing latency + network hop
  std::uint64_t next_seq = 0;
  std::vector<subscription_queue> subscriptions;
  std::vector<std::uint32_t> owner;  // subscription -> subscriber
  std::vector<subscriber> subscribers;
  std::vector<std::vector<std::uint32_t>> by_topic;
  slot_pool<delivery> in_flight;  // delivered, not acknowledged yet
  std::int64_t capacity = -1;     // per subscription; -1: unlimited
  bool at_most_once = false;
};

using self_ptr = caf::stateful_actor<broker_state>*;

// The subscription of `sub` whose oldest message came first, or -1 when all are empty.
std::int64_t oldest_waiting(const broker_state& st, const subscriber& sub) {
  std::int64_t best = -1;
  for (auto s : sub.subscriptions) {
    const auto& q = st.subscriptions[s].waiting;
    if (!q.empty() && (best < 0 || q.front().seq < st.subscriptions[best].waiting.front().seq))
      best = s;
  }
  return best;
}

// Delivers to subscriber `i` while it has prefetch to spare, oldest message first.
void dispatch(self_ptr self, std::uint32_t i, nanos now) {
  auto& st = self->state;
  auto& sub = st.subscribers[i];
  while (!sub.paused && sub.unacked < sub.prefetch) {
    const auto s = oldest_waiting(st, sub);
    if (s < 0) return;
    auto& q = st.subscriptions[s];
    const queued m = q.waiting.front();
    q.waiting.pop_front();
    ++sub.unacked;
    if (m.delivered_before && st.w->rec->measured(m.trace))
      st.w->rec->topic(q.topic).count(q.member, &delivery_counters::redelivered);
    const auto id = st.in_flight.add(delivery{static_cast<std::uint32_t>(s), m});
    st.w->post(self, sub.service, now + st.delay,
               job_msg{q.handler, static_cast<std::int32_t>(st.w->broker), id, m.trace});
  }
}

// A message of subscription `s` is lost: dropped on arrival, or its delivery failed.
void lose(self_ptr self, std::uint32_t s, std::uint64_t trace, nanos at) {
  auto& rec = *self->state.w->rec;
  const int topic = self->state.subscriptions[s].topic;
  const auto member = self->state.subscriptions[s].member;
  if (rec.measured(trace)) rec.topic(topic).count(member, &delivery_counters::lost);
  rec.delivery_ended(topic, member, self->state.w->now(self), false);
  rec.resolve(trace, at, false);
}

// The message leaves subscription `s` for good (acknowledged or lost).
void let_go(self_ptr self, std::uint32_t s) {
  auto& st = self->state;
  --st.subscriptions[s].held;
  st.w->rec->hold(st.subscriptions[s].topic, st.subscriptions[s].member, st.w->now(self), -1);
}

void on_publish(self_ptr self, const publish_msg& p) {
  auto& st = self->state;
  const nanos now = st.w->now(self);
  auto& rec = *st.w->rec;
  auto& tally = rec.topic(p.topic);
  if (rec.measured(p.trace)) ++tally.published;
  const auto& subs = st.by_topic[p.topic];
  rec.add_pending(p.trace, static_cast<int>(subs.size()));
  rec.resolve(p.trace, now);  // the publish itself has arrived
  const std::uint64_t seq = st.next_seq++;
  for (auto s : subs) {
    auto& q = st.subscriptions[s];
    const auto& sub = st.subscribers[st.owner[s]];
    if ((st.capacity >= 0 && q.held >= st.capacity) || (st.at_most_once && sub.paused)) {
      lose(self, s, p.trace, now);
      continue;
    }
    ++q.held;
    rec.hold(p.topic, q.member, now, 1);
    q.waiting.push_back(queued{p.trace, p.published, seq});
    dispatch(self, st.owner[s], now);
  }
}

// Puts a delivery dropped by its subscriber back in its queue, in arrival order.
void requeue(self_ptr self, const delivery& d) {
  auto& q = self->state.subscriptions[d.subscription].waiting;
  auto it = q.begin();
  while (it != q.end() && it->seq < d.message.seq) ++it;
  queued m = d.message;
  m.delivered_before = true;
  q.insert(it, m);
}

// At-most-once: while its subscriber is down, what waits for it is lost.
void drop_waiting(self_ptr self, const subscriber& sub, nanos now) {
  auto& st = self->state;
  for (auto s : sub.subscriptions) {
    auto& q = st.subscriptions[s].waiting;
    for (const auto& m : q) {
      let_go(self, s);
      lose(self, s, m.trace, now);
    }
    q.clear();
  }
}

// The subscriber dropped a delivery in an outage: at-least-once keeps it for redelivery.
void on_dropped(self_ptr self, const delivery& d, const reply_msg& r) {
  auto& st = self->state;
  auto& sub = st.subscribers[st.owner[d.subscription]];
  if (r.end > sub.up_at) sub.paused = true;
  if (!st.at_most_once) return requeue(self, d);
  let_go(self, d.subscription);
  lose(self, d.subscription, d.message.trace, r.end);
  if (sub.paused) drop_waiting(self, sub, st.w->now(self));
}

void on_ack(self_ptr self, const reply_msg& r) {
  auto& st = self->state;
  const auto id = static_cast<std::uint32_t>(r.corr);
  const delivery d = st.in_flight[id];
  st.in_flight.remove(id);
  const auto i = st.owner[d.subscription];
  --st.subscribers[i].unacked;
  if (r.down) {
    on_dropped(self, d, r);
    return dispatch(self, i, st.w->now(self));
  }
  let_go(self, d.subscription);
  if (!r.ok) {  // its handler failed: dead-lettered, in either delivery mode
    const auto& q = st.subscriptions[d.subscription];
    if (st.w->rec->measured(d.message.trace))
      st.w->rec->topic(q.topic).count(q.member, &delivery_counters::dead_lettered);
    lose(self, d.subscription, d.message.trace, r.end);
    return dispatch(self, i, st.w->now(self));
  }
  auto& rec = *st.w->rec;
  const int topic = st.subscriptions[d.subscription].topic;
  const auto member = st.subscriptions[d.subscription].member;
  rec.delivery_ended(topic, member, st.w->now(self), true);
  if (rec.measured(d.message.trace)) {
    auto& tally = rec.topic(topic);
    tally.count(member, &delivery_counters::delivered);
    tally.lag.add(r.end - d.message.published);
    tally.subscription(member).lag.add(r.end - d.message.published);
  }
  rec.resolve(d.message.trace, r.end);
  dispatch(self, i, st.w->now(self));
}

void on_up(self_ptr self, const consumer_up_msg& m) {
  auto& st = self->state;
  for (std::uint32_t i = 0; i < st.subscribers.size(); ++i) {
    auto& sub = st.subscribers[i];
    if (sub.service != m.service) continue;
    sub.paused = false;
    sub.up_at = m.at;
    dispatch(self, i, st.w->now(self));
  }
}

void build_routes(broker_state& st, const run_context& w) {
  const auto& sc = *w.source;
  st.by_topic.resize(sc.topics.size());
  std::vector<std::int64_t> subscriber_of(sc.services.size(), -1);
  for (std::size_t t = 0; t < sc.topics.size(); ++t) {
    for (auto [svc, sub] : sc.topics[t].subscribers) {
      if (subscriber_of[svc] < 0) {
        subscriber_of[svc] = static_cast<std::int64_t>(st.subscribers.size());
        subscriber s;
        s.service = svc;
        s.prefetch = sc.broker_prefetch > 0 ? sc.broker_prefetch : sc.services[svc].workers;
        st.subscribers.push_back(s);
      }
      const auto id = static_cast<std::uint32_t>(st.subscriptions.size());
      subscription_queue q;
      q.topic = static_cast<int>(t);
      q.member = static_cast<std::uint32_t>(st.by_topic[t].size());
      q.handler = w.plan->subscription_handler(svc, sub);
      st.subscriptions.push_back(std::move(q));
      st.owner.push_back(static_cast<std::uint32_t>(subscriber_of[svc]));
      st.subscribers[subscriber_of[svc]].subscriptions.push_back(id);
      st.by_topic[t].push_back(id);
    }
  }
}

}  // namespace

caf::actor spawn_broker(caf::actor_system& sys, const run_context* w) {
  return sys.spawn([w](self_ptr self) -> caf::behavior {
    w->guard(self);
    auto& st = self->state;
    st.w = w;
    st.delay = w->source->broker_latency + w->source->network_latency;
    st.capacity = w->source->broker_capacity;
    st.at_most_once = w->source->broker_delivery == delivery_mode::at_most_once;
    build_routes(st, *w);
    return {
        [self](const publish_msg& p) {
          ++self->state.w->status->events;
          on_publish(self, p);
        },
        [self](const reply_msg& r) {
          ++self->state.w->status->events;
          on_ack(self, r);
        },
        [self](const consumer_up_msg& m) {
          ++self->state.w->status->events;
          on_up(self, m);
        },
    };
  });
}

}  // namespace svcsim
