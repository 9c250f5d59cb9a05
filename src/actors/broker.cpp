#include "actors/broker.hpp"

#include "actors/messages.hpp"
#include "engine/slot_pool.hpp"

#include <caf/all.hpp>

#include <deque>

namespace svcsim {
namespace {

struct queued {
  std::uint64_t trace;
  nanos published;
  std::uint64_t seq;  // order of arrival at the broker
};

struct subscription_queue {
  int topic = -1, handler = -1;
  std::deque<queued> waiting;
};

// A subscribing service: its subscriptions share one budget of unacknowledged deliveries.
struct subscriber {
  int service = -1;
  std::int64_t prefetch = 1;
  std::int64_t unacked = 0;
  std::vector<std::uint32_t> subscriptions;
};

struct delivery {
  std::uint32_t subscription;
  queued message;
};

struct broker_state {
  world* w = nullptr;
  nanos delay = 0;  // routing latency + network hop
  std::uint64_t next_seq = 0;
  std::vector<subscription_queue> subscriptions;
  std::vector<std::uint32_t> owner;  // subscription -> subscriber
  std::vector<subscriber> subscribers;
  std::vector<std::vector<std::uint32_t>> by_topic;
  slot_pool<delivery> in_flight;  // delivered, not acknowledged yet
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
  while (sub.unacked < sub.prefetch) {
    const auto s = oldest_waiting(st, sub);
    if (s < 0) return;
    auto& q = st.subscriptions[s];
    const queued m = q.waiting.front();
    q.waiting.pop_front();
    ++sub.unacked;
    const auto id = st.in_flight.add(delivery{static_cast<std::uint32_t>(s), m});
    st.w->post(self, sub.service, now + st.delay,
               job_msg{q.handler, static_cast<std::int32_t>(st.w->broker), id, m.trace});
  }
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
  rec.hold(p.topic, now, static_cast<std::int64_t>(subs.size()));
  const std::uint64_t seq = st.next_seq++;
  for (auto s : subs) {
    st.subscriptions[s].waiting.push_back(queued{p.trace, p.published, seq});
    dispatch(self, st.owner[s], now);
  }
}

void on_ack(self_ptr self, const reply_msg& r) {
  auto& st = self->state;
  const auto id = static_cast<std::uint32_t>(r.corr);
  const delivery d = st.in_flight[id];
  st.in_flight.remove(id);
  const auto i = st.owner[d.subscription];
  --st.subscribers[i].unacked;
  auto& rec = *st.w->rec;
  const nanos now = st.w->now(self);
  const int topic = st.subscriptions[d.subscription].topic;
  auto& tally = rec.topic(topic);
  rec.hold(topic, now, -1);
  rec.delivery_ended(topic, now, r.ok);
  if (rec.measured(d.message.trace)) {
    if (r.ok) {
      ++tally.delivered;
      tally.lag.add(r.end - d.message.published);
    } else {
      ++tally.lost;  // its handler failed; redelivery comes with failures
    }
  }
  rec.resolve(d.message.trace, r.end, r.ok);
  dispatch(self, i, st.w->now(self));
}

void build_routes(broker_state& st, const world& w) {
  const auto& sc = *w.source;
  st.by_topic.resize(sc.topics.size());
  std::vector<std::int64_t> subscriber_of(sc.services.size(), -1);
  for (std::size_t t = 0; t < sc.topics.size(); ++t) {
    for (auto [svc, sub] : sc.topics[t].subscribers) {
      if (subscriber_of[svc] < 0) {
        subscriber_of[svc] = static_cast<std::int64_t>(st.subscribers.size());
        subscriber s;
        s.service = svc;
        s.prefetch = sc.services[svc].workers;
        st.subscribers.push_back(s);
      }
      const auto id = static_cast<std::uint32_t>(st.subscriptions.size());
      subscription_queue q;
      q.topic = static_cast<int>(t);
      q.handler = w.plan->subscription_handler(svc, sub);
      st.subscriptions.push_back(std::move(q));
      st.owner.push_back(static_cast<std::uint32_t>(subscriber_of[svc]));
      st.subscribers[subscriber_of[svc]].subscriptions.push_back(id);
      st.by_topic[t].push_back(id);
    }
  }
}

}  // namespace

caf::actor spawn_broker(caf::actor_system& sys, world* w) {
  return sys.spawn([w](self_ptr self) -> caf::behavior {
    w->guard(self);
    auto& st = self->state;
    st.w = w;
    st.delay = w->source->broker_latency + w->source->network_latency;
    build_routes(st, *w);
    return {
        [self](const publish_msg& p) {
          ++self->state.w->events;
          on_publish(self, p);
        },
        [self](const reply_msg& r) {
          ++self->state.w->events;
          on_ack(self, r);
        },
    };
  });
}

}  // namespace svcsim
