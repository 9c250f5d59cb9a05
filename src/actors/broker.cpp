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
};

struct subscription_queue {
  int topic = -1, service = -1, handler = -1;
  std::int64_t prefetch = 1;
  std::int64_t unacked = 0;
  std::deque<queued> waiting;
};

struct delivery {
  std::uint32_t subscription;
  queued message;
};

struct broker_state {
  world* w = nullptr;
  nanos delay = 0;  // routing latency + network hop
  std::vector<subscription_queue> subscriptions;
  std::vector<std::vector<std::uint32_t>> by_topic;
  slot_pool<delivery> in_flight;  // delivered, not acknowledged yet
};

using self_ptr = caf::stateful_actor<broker_state>*;

void dispatch(self_ptr self, std::uint32_t s, nanos now) {
  auto& st = self->state;
  auto& sub = st.subscriptions[s];
  while (sub.unacked < sub.prefetch && !sub.waiting.empty()) {
    const queued m = sub.waiting.front();
    sub.waiting.pop_front();
    ++sub.unacked;
    const auto id = st.in_flight.add(delivery{s, m});
    st.w->post(self, sub.service, now + st.delay,
               job_msg{sub.handler, static_cast<std::int32_t>(st.w->broker), id, m.trace});
  }
}

void on_publish(self_ptr self, const publish_msg& p) {
  auto& st = self->state;
  const nanos now = st.w->now(self);
  auto& rec = *st.w->rec;
  auto& tally = rec.topic(p.topic);
  const bool measured = rec.window().covers(p.published);
  if (measured) ++tally.published;
  const auto& subs = st.by_topic[p.topic];
  rec.add_pending(p.trace, static_cast<int>(subs.size()));
  rec.resolve(p.trace, now);  // the publish itself has arrived
  tally.held += static_cast<std::int64_t>(subs.size());
  if (rec.window().covers(now)) tally.held_max = std::max(tally.held_max, tally.held);
  for (auto s : subs) {
    st.subscriptions[s].waiting.push_back(queued{p.trace, p.published});
    dispatch(self, s, now);
  }
}

void on_ack(self_ptr self, const reply_msg& r) {
  auto& st = self->state;
  const auto id = static_cast<std::uint32_t>(r.corr);
  const delivery d = st.in_flight[id];
  st.in_flight.remove(id);
  auto& sub = st.subscriptions[d.subscription];
  --sub.unacked;
  auto& rec = *st.w->rec;
  auto& tally = rec.topic(sub.topic);
  --tally.held;
  if (rec.window().covers(d.message.published)) {
    if (r.ok) {
      ++tally.delivered;
      tally.lag.add(r.end - d.message.published);
    } else {
      ++tally.lost;  // the subscriber refused it (its queue was full)
    }
  }
  rec.resolve(d.message.trace, r.end);
  dispatch(self, d.subscription, st.w->now(self));
}

}  // namespace

caf::actor spawn_broker(caf::actor_system& sys, world* w) {
  return sys.spawn([w](self_ptr self) -> caf::behavior {
    auto& st = self->state;
    st.w = w;
    const auto& sc = *w->source;
    st.delay = sc.broker_latency + sc.network_latency;
    st.by_topic.resize(sc.topics.size());
    for (std::size_t t = 0; t < sc.topics.size(); ++t) {
      for (auto [svc, sub] : sc.topics[t].subscribers) {
        subscription_queue q;
        q.topic = static_cast<int>(t);
        q.service = svc;
        q.handler = w->plan->subscription_handler(svc, sub);
        q.prefetch = sc.services[svc].workers;
        st.by_topic[t].push_back(static_cast<std::uint32_t>(st.subscriptions.size()));
        st.subscriptions.push_back(std::move(q));
      }
    }
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
