#include "actors/broker.hpp"

#include <algorithm>
#include <caf/all.hpp>
#include <deque>
#include <unordered_map>

#include "actors/messages.hpp"
#include "actors/party.hpp"
#include "actors/station.hpp"
#include "actors/subscription_backlog.hpp"
#include "engine/sampling.hpp"
#include "engine/slot_pool.hpp"

namespace svcsim {
namespace {

struct subscription_queue {
  int topic = -1, handler = -1;
  std::uint32_t member = 0;  // its place in the topic's subscribers
  subscription_backlog waiting;
  std::int64_t held = 0;  // waiting + delivered and not acknowledged: what capacity bounds
};

// One instance of a subscribing service: its subscriptions share one budget of unacknowledged
// deliveries. It is paused from when a delivery comes back dropped by an outage until it says
// it is up.
struct subscriber {
  int party = -1;
  std::uint32_t group = 0;
  std::int64_t prefetch = 1;
  std::int64_t unacked = 0;
  bool paused = false;
  nanos up_at = -1;  // when it last came back
};

// A subscribing service's instances: one consumer group on each of its subscriptions. Each
// message goes to one member, in turn among those with prefetch to spare.
struct consumer_group {
  std::vector<std::uint32_t> members;  // subscribers
  std::vector<std::uint32_t> subscriptions;
  std::size_t turn = 0;  // the member to try first; below members.size() (members are fixed)
};

constexpr std::uint32_t free_slot = 0xffffffffU;  // delivery::subscription of a free slot

struct delivery {
  std::uint32_t subscription;
  std::uint32_t consumer;  // the subscriber it went to
  queued message;
  bool sent = true;  // false: its delivery task was cut by an outage before it went out
};

// A publish the broker took but has not routed yet: its task is planned to end at a wake, or
// was cut by an outage, which fails it at the restart. caller >= 0: a confirmed publish,
// answered with a reply_msg carrying corr.
struct taken_publish {
  std::int32_t topic;
  std::uint64_t trace;
  nanos published;
  std::int32_t partition = 0;
  std::int32_t caller = -1;
  std::uint64_t corr = 0;
  // Traced: its PRODUCER span (0 if none came) and when it reached the broker.
  std::uint64_t producer = 0;
  nanos arrived = 0;
};

// A traced message's broker stay in one subscription: the PRODUCER span it is linked to, and
// its stay span while open (0 once delivered).
struct stay {
  std::uint64_t producer = 0, span = 0;
};

// Broker wakes: a publish's task ends (id: its slot), or an outage begins or ends (id: which).
enum class broker_event : std::uint32_t { routed = 1, outage_begin = 2, outage_end = 3 };
wake_msg broker_wake(broker_event e, std::uint32_t id) {
  return wake_msg{token(wake_kind::service, static_cast<std::uint32_t>(e), id)};
}

struct broker_state {
  const run_context* w = nullptr;
  nanos delay = 0;  // routing latency + network hop
  std::uint64_t next_seq = 0;
  std::vector<subscription_queue> subscriptions;
  std::vector<std::uint32_t> owner;  // subscription -> consumer group
  std::vector<consumer_group> groups;
  std::vector<subscriber> subscribers;
  std::vector<std::vector<std::uint32_t>> by_topic;
  slot_pool<delivery> in_flight;  // delivered, not acknowledged yet
  std::int64_t capacity = -1;     // per subscription; -1: unlimited
  bool at_most_once = false;
  // The broker as a resource, and its failures (`modelled`; else a publish is routed the
  // moment it arrives, at no cost). Tasks (a publish, a delivery) take a worker in FIFO
  // order; their times follow on arrival from the workers' free times (Lindley).
  bool modelled = false;
  std::int64_t workers = 1, queue = -1;  // queue: publishes waiting; -1: unlimited
  const failure_schedule* trouble = nullptr;
  bool durable = false;
  std::uint32_t epoch = 0;           // restarts so far; carried in deliveries' corr (high 32 bits)
  min_heap<nanos> free_at;           // of the busy workers
  std::deque<nanos> waiting_starts;  // of the tasks still waiting, in order
  std::deque<nanos> waiting_publishes;  // of the publishes among them: what `queue` bounds
  slot_pool<taken_publish> taken;
  service_tally* tally = nullptr;
  rng random;
  // Traced messages only, until they leave: by stay_key (a message's seq and subscription).
  std::unordered_map<std::uint64_t, stay> stays;
};

using self_ptr = party_actor<broker_state>*;

bool in_outage(const broker_state& st, nanos now) {
  const outage* o = st.trouble->outage_from(now);
  return o && o->begin <= now;
}

// The subscription of group `g` whose oldest message came first, or -1 when all are empty.
std::int64_t oldest_waiting(const broker_state& st, const consumer_group& g) {
  std::int64_t best = -1;
  for (auto s : g.subscriptions) {
    const queued* m = st.subscriptions[s].waiting.next();
    if (m && (best < 0 || m->seq < st.subscriptions[best].waiting.next()->seq)) best = s;
  }
  return best;
}

// A task of work `d` arriving now: when it ends, or none when it is a publish that finds the
// inbox full. Zero work takes no worker and ends at once. A task the next outage cuts short ends at
// that outage's start; its work is not done (the restart deals with it).
std::optional<nanos> plan_task(self_ptr self, const distribution& d, bool publish, nanos now) {
  auto& st = self->state;
  if (d.is_zero()) return now;  // costs nothing: takes no worker
  const auto& win = st.w->rec->window();
  while (!st.free_at.empty() && st.free_at.top() <= now) st.free_at.pop();
  for (auto* starts : {&st.waiting_starts, &st.waiting_publishes})
    while (!starts->empty() && starts->front() <= now) starts->pop_front();
  nanos start = now;
  if (st.free_at.size() >= static_cast<std::size_t>(st.workers)) {
    if (publish && st.queue >= 0 &&
        st.waiting_publishes.size() >= static_cast<std::size_t>(st.queue))
      return std::nullopt;
    start = st.free_at.top();
    st.free_at.pop();
    st.waiting_starts.push_back(start);
    if (publish) st.waiting_publishes.push_back(start);
    st.tally->note_queue(win, now, static_cast<std::int64_t>(st.waiting_starts.size()));
  }
  const nanos cut = st.trouble->next_outage_begin(now);
  nanos end = start;
  if (start < cut) {
    const double k = st.trouble->slow_factor(start);
    end += static_cast<nanos>(std::min(static_cast<double>(sample(d, st.random)) * k, 1e18));
  }
  end = std::min(end, cut);
  st.free_at.push(end);
  st.tally->busy_until = std::max(st.tally->busy_until, end);
  st.tally->queue_area += static_cast<double>(win.overlap(now, std::min(start, end)));
  st.tally->busy_area += static_cast<double>(win.overlap(start, std::max(start, end)));
  if (end < cut && end <= win.stop && win.covers(now)) ++st.tally->served;
  return end;
}

// The member of group `g` in turn after member k.
std::size_t after(const consumer_group& g, std::size_t k) {
  return k + 1 == g.members.size() ? 0 : k + 1;
}

// The member of group `g` next in turn that may take a delivery (not paused, prefetch to
// spare), or -1.
std::int64_t ready_member(const broker_state& st, const consumer_group& g) {
  const std::size_t n = g.members.size();
  for (std::size_t i = 0, k = g.turn; i < n; ++i, k = after(g, k)) {
    const auto& sub = st.subscribers[g.members[k]];
    if (!sub.paused && sub.unacked < sub.prefetch) return static_cast<std::int64_t>(k);
  }
  return -1;
}

// Whether every member of group `g` is paused (down).
bool all_paused(const broker_state& st, const consumer_group& g) {
  return std::all_of(g.members.begin(), g.members.end(),
                     [&](std::uint32_t m) { return st.subscribers[m].paused; });
}

// Spans of traced messages (engine/spans.hpp): per subscription, the broker's stay (INTERNAL)
// from the message's arrival, or its requeue, until its delivery goes out (ok) or it is lost;
// a child of its PRODUCER span and linked to it. The delivery registers the stay under its corr,
// so that the subscriber's CONSUMER span is its child (and linked to the producer).
std::uint64_t stay_key(const broker_state& st, std::uint32_t s, const queued& m) {
  return m.seq * st.subscriptions.size() + s;
}

// Opens message m's stay in subscription s from `from`, unless one is open.
void stay_open(self_ptr self, std::uint32_t s, const queued& m, std::uint64_t producer,
               nanos from) {
  auto& st = self->state;
  auto& e = st.stays[stay_key(st, s, m)];
  if (e.span != 0) return;
  if (producer != 0) e.producer = producer;
  const auto& q = st.subscriptions[s];
  span x;
  x.party = st.w->broker;
  x.parent = x.link = e.producer;
  x.topic = q.topic;
  x.member = static_cast<std::int32_t>(q.member);
  x.start = from;
  e.span = st.w->rec->spans()->start(m.trace, x);
}

// Ends message m's open stay in subscription s at `at` as `status` says; returns its span (0 if
// none was open). With `gone`, the message has left the broker.
std::uint64_t stay_close(self_ptr self, std::uint32_t s, const queued& m, nanos at,
                         span_status status, bool gone) {
  auto& st = self->state;
  auto it = st.stays.find(stay_key(st, s, m));
  if (it == st.stays.end()) return 0;
  const std::uint64_t id = it->second.span;
  st.w->rec->spans()->end(m.trace, id, at, status);
  it->second.span = 0;
  if (gone) st.stays.erase(it);
  return id;
}

// Delivers to group `g`'s members while one has prefetch to spare, oldest message first, in
// turn; nothing while the broker is down.
void dispatch(self_ptr self, std::uint32_t g, nanos now) {
  auto& st = self->state;
  auto& grp = st.groups[g];
  if (st.modelled && in_outage(st, now)) return;
  for (std::int64_t s, k; (s = oldest_waiting(st, grp)) >= 0;) {
    if ((k = ready_member(st, grp)) < 0) return;
    grp.turn = after(grp, static_cast<std::size_t>(k));
    const std::uint32_t consumer = grp.members[static_cast<std::size_t>(k)];
    auto& sub = st.subscribers[consumer];
    auto& q = st.subscriptions[s];
    const queued m = q.waiting.take();
    ++sub.unacked;
    nanos at = now;
    if (st.modelled) at = *plan_task(self, st.w->source->broker_deliver_work, false, now);
    const bool sent = at < st.trouble->next_outage_begin(now);
    if (sent && m.delivered_before && st.w->rec->measured(m.trace))
      st.w->rec->topic(q.topic).count(q.member, &delivery_counters::redelivered);
    const auto id = st.in_flight.add(delivery{static_cast<std::uint32_t>(s), consumer, m, sent});
    if (!sent) continue;
    const std::uint64_t corr = (static_cast<std::uint64_t>(st.epoch) << 32) | id;
    if (st.w->rec->traced(m.trace))
      st.w->rec->spans()->send(
          {m.trace, st.w->broker, corr},
          stay_close(self, static_cast<std::uint32_t>(s), m, at, span_status::ok, false));
    st.w->post(self, sub.party, at + st.delay,
               job_msg{q.handler, static_cast<std::int32_t>(st.w->broker), corr, m.trace});
  }
}

// A message of subscription `s` is lost: dropped on arrival, or its delivery failed.
void lose(self_ptr self, std::uint32_t s, const queued& m, nanos at) {
  const std::uint64_t trace = m.trace;
  if (self->state.w->rec->traced(trace)) stay_close(self, s, m, at, span_status::lost, true);
  auto& rec = *self->state.w->rec;
  const int topic = self->state.subscriptions[s].topic;
  const auto member = self->state.subscriptions[s].member;
  if (rec.measured(trace)) rec.topic(topic).count(member, &delivery_counters::lost);
  rec.delivery_ended(topic, member, self->state.w->now(self), false);
  rec.resolve(trace, at, false);
}

// The message leaves subscription `s` for good (acknowledged or lost). A delivered one's
// partition is done with it too (finish()).
void let_go(self_ptr self, std::uint32_t s) {
  auto& st = self->state;
  --st.subscriptions[s].held;
  st.w->rec->hold(st.subscriptions[s].topic, st.subscriptions[s].member, st.w->now(self), -1);
}

// A delivered message of subscription `s` (in partition `partition`) is done: acknowledged or
// lost; the next of its partition may go.
void finish(self_ptr self, std::uint32_t s, int partition) {
  let_go(self, s);
  self->state.subscriptions[s].waiting.done(partition);
}

// Routes publish `p` to every subscription of its topic at now.
void route(self_ptr self, const taken_publish& p) {
  const int topic = p.topic;
  const std::uint64_t trace = p.trace;
  auto& st = self->state;
  const nanos now = st.w->now(self);
  auto& rec = *st.w->rec;
  const auto& subs = st.by_topic[topic];
  rec.add_pending(trace, static_cast<int>(subs.size()));
  rec.resolve(trace, now);  // the publish itself has arrived
  const std::uint64_t seq = st.next_seq++;
  const bool measured = rec.measured(trace);
  const queued m{trace, p.published, seq, p.partition};
  for (auto s : subs) {
    auto& q = st.subscriptions[s];
    if (measured) ++rec.topic(topic).subscription(q.member).published;
    if (rec.traced(trace)) stay_open(self, s, m, p.producer, p.arrived);
    if ((st.capacity >= 0 && q.held >= st.capacity) ||
        (st.at_most_once && all_paused(st, st.groups[st.owner[s]]))) {
      lose(self, s, m, now);
      continue;
    }
    ++q.held;
    rec.hold(topic, q.member, now, 1);
    q.waiting.push(m);
    dispatch(self, st.owner[s], now);
  }
}

// The broker does not take publish `p` (down, inbox full, failed by errors(p)) at now: a
// confirmed publisher learns it one hop later, an unconfirmed message is lost.
void refuse(self_ptr self, const taken_publish& p, bool down) {
  auto& st = self->state;
  const nanos now = st.w->now(self);
  auto& rec = *st.w->rec;
  if (rec.measured(p.trace)) ++rec.topic(p.topic).refused;
  // Unconfirmed: a span of the broker's shows the refusal (a confirmed publisher's own span
  // ends refused when the reply comes).
  if (p.caller < 0 && rec.traced(p.trace)) {
    span x;
    x.party = st.w->broker;
    x.parent = x.link = p.producer;
    x.topic = p.topic;
    x.start = p.arrived;
    rec.spans()->end(p.trace, rec.spans()->start(p.trace, x), now,
                     down ? span_status::refused : span_status::failed);
  }
  rec.resolve(p.trace, now, p.caller >= 0);
  if (p.caller >= 0)
    st.w->post(self, p.caller, now + st.w->hop,
               reply_msg{p.corr, false, static_cast<std::int64_t>(now), down});
}

// Publish `id`'s task has ended now: routed (and confirmed), unless errors(p) fails it.
void finish_publish(self_ptr self, std::uint32_t id) {
  auto& st = self->state;
  const taken_publish p = st.taken[id];
  st.taken[id].topic = -1;  // a free slot, for restart()
  st.taken.remove(id);
  st.w->rec->broker_inbox(st.w->now(self), -1);
  st.tally->held_jobs = static_cast<std::int64_t>(st.taken.live());
  const nanos now = st.w->now(self);
  const double chance = st.trouble->error_probability(now);
  if (chance > 0 && st.random.uniform01() < chance) {
    if (st.w->rec->measured(p.trace)) ++st.tally->errors;
    return refuse(self, p, false);
  }
  route(self, p);
  if (p.caller >= 0) st.w->post(self, p.caller, now + st.w->hop, reply_msg{p.corr, true, now});
}

// A publish arrives. Unmodelled, it is routed at once; else it takes a task, refused while
// the broker is crashed or its inbox is full, and held unplanned while it hangs.
void on_publish(self_ptr self, const taken_publish& p) {
  auto& st = self->state;
  const nanos now = st.w->now(self);
  auto& rec = *st.w->rec;
  const bool measured = rec.measured(p.trace);
  if (measured) ++rec.topic(p.topic).published;
  if (!st.modelled) return route(self, p);
  if (st.trouble->crashed(now)) {
    if (measured) ++st.tally->dropped;
    return refuse(self, p, true);
  }
  std::optional<nanos> end = st.trouble->next_outage_begin(now);
  if (!in_outage(st, now)) {
    end = plan_task(self, st.w->source->broker_publish_work, true, now);
    if (!end) {
      if (measured) ++st.tally->rejected;
      return refuse(self, p, false);
    }
  }
  const auto id = st.taken.add(p);
  st.tally->held_jobs = static_cast<std::int64_t>(st.taken.live());
  rec.broker_inbox(now, 1);
  if (*end >= st.trouble->next_outage_begin(now)) return;  // the outage fails it
  if (*end <= now) return finish_publish(self, id);
  st.w->post(self, st.w->broker, *end, broker_wake(broker_event::routed, id));
}

// Puts a delivery dropped by its subscriber back in its queue, in arrival order.
void requeue(self_ptr self, const delivery& d) {
  queued m = d.message;
  m.delivered_before = m.delivered_before || d.sent;
  if (self->state.w->rec->traced(m.trace))
    stay_open(self, d.subscription, m, 0, self->state.w->now(self));
  self->state.subscriptions[d.subscription].waiting.put_back(m);
}

// At-most-once: while every instance of a subscriber is down, what waits for it is lost.
void drop_waiting(self_ptr self, const consumer_group& g, nanos now) {
  auto& st = self->state;
  for (auto s : g.subscriptions) {
    for (const auto& m : st.subscriptions[s].waiting.clear()) {
      let_go(self, s);
      lose(self, s, m, now);
    }
  }
}

// The subscriber dropped a delivery in an outage: at-least-once keeps it for redelivery.
void on_dropped(self_ptr self, const delivery& d, const reply_msg& r) {
  auto& st = self->state;
  auto& sub = st.subscribers[d.consumer];
  if (r.end > sub.up_at) sub.paused = true;
  if (!st.at_most_once) return requeue(self, d);
  finish(self, d.subscription, d.message.partition);
  lose(self, d.subscription, d.message, r.end);
  const auto& g = st.groups[sub.group];
  if (all_paused(st, g)) drop_waiting(self, g, st.w->now(self));
}

// An acknowledgement; ignored while the broker is down or when its delivery is from before
// the last restart.
void on_ack(self_ptr self, const reply_msg& r) {
  auto& st = self->state;
  if (st.modelled && ((r.corr >> 32) != st.epoch || in_outage(st, st.w->now(self)))) return;
  const auto id = static_cast<std::uint32_t>(r.corr);
  const delivery d = st.in_flight[id];
  st.in_flight[id].subscription = free_slot;  // for restart()
  st.in_flight.remove(id);
  const auto i = st.owner[d.subscription];
  --st.subscribers[d.consumer].unacked;
  if (r.down) {
    on_dropped(self, d, r);
    return dispatch(self, i, st.w->now(self));
  }
  finish(self, d.subscription, d.message.partition);
  if (!r.ok) {  // its handler failed: dead-lettered, in either delivery mode
    const auto& q = st.subscriptions[d.subscription];
    if (st.w->rec->measured(d.message.trace))
      st.w->rec->topic(q.topic).count(q.member, &delivery_counters::dead_lettered);
    lose(self, d.subscription, d.message, r.end);
    return dispatch(self, i, st.w->now(self));
  }
  auto& rec = *st.w->rec;
  if (rec.traced(d.message.trace))
    stay_close(self, d.subscription, d.message, r.end, span_status::ok, true);
  const int topic = st.subscriptions[d.subscription].topic;
  const auto member = st.subscriptions[d.subscription].member;
  rec.delivery_ended(topic, member, st.w->now(self), true);
  if (rec.measured(d.message.trace)) {
    auto& tally = rec.topic(topic);
    tally.count(member, &delivery_counters::delivered);
    tally.lag.add(r.end - d.message.published);
    tally.subscription(member).lag.add(r.end - d.message.published);
    if (st.subscriptions[d.subscription].waiting.partitioned())
      tally.subscription(member).add_partition_lag(d.message.partition,
                                                   r.end - d.message.published);
  }
  rec.resolve(d.message.trace, r.end);
  dispatch(self, i, st.w->now(self));
}

void dispatch_all(self_ptr self, nanos now) {
  for (std::uint32_t g = 0; g < self->state.groups.size(); ++g) dispatch(self, g, now);
}

void on_up(self_ptr self, const consumer_up_msg& m) {
  auto& st = self->state;
  for (auto& sub : st.subscribers) {
    if (sub.party != m.party) continue;
    sub.paused = false;
    sub.up_at = m.at;
    dispatch(self, sub.group, st.w->now(self));
  }
}

// The broker restarts (a crash's start, a hang's end): the publishes it took and has not
// routed fail; routed messages, waiting or delivered and not acknowledged, are kept for
// (re)delivery when it is durable, else lost. Its workers and inbox start empty.
void restart(self_ptr self, nanos now) {
  auto& st = self->state;
  std::vector<taken_publish> failed;
  for (std::uint32_t id = 0; id < st.taken.slots(); ++id)
    if (st.taken[id].topic >= 0) failed.push_back(st.taken[id]);
  st.taken.clear();
  st.tally->held_jobs = 0;
  if (!failed.empty()) st.w->rec->broker_inbox(now, -static_cast<std::int64_t>(failed.size()));
  for (const auto& p : failed) {
    if (st.w->rec->measured(p.trace)) ++st.tally->dropped;
    refuse(self, p, true);
  }
  for (std::uint32_t id = 0; id < st.in_flight.slots(); ++id) {
    const delivery& d = st.in_flight[id];
    if (d.subscription == free_slot) continue;
    if (st.durable) {
      requeue(self, d);
    } else {
      finish(self, d.subscription, d.message.partition);
      lose(self, d.subscription, d.message, now);
    }
  }
  st.in_flight.clear();
  for (auto& sub : st.subscribers) sub.unacked = 0;
  if (!st.durable)
    for (std::uint32_t s = 0; s < st.subscriptions.size(); ++s) {
      for (const auto& m : st.subscriptions[s].waiting.clear()) {
        let_go(self, s);
        lose(self, s, m, now);
      }
    }
  st.free_at = {};
  st.waiting_starts.clear();
  st.waiting_publishes.clear();
  ++st.epoch;
}

void on_wake(self_ptr self, const wake_msg& m) {
  auto& st = self->state;
  const nanos now = st.w->now(self);
  const auto event = static_cast<broker_event>(seq_of(m.token));
  const auto id = id_of(m.token);
  if (event == broker_event::routed) return finish_publish(self, id);
  const outage& o = st.trouble->outages()[id];
  if (event == broker_event::outage_begin) return restart(self, now);
  if (o.hang) restart(self, now);
  dispatch_all(self, now);
}

// A traced publish `p` arrives now: it takes its PRODUCER span, registered under `k`.
void traced_arrival(self_ptr self, taken_publish& p, const context_key& k) {
  auto& rec = *self->state.w->rec;
  if (!rec.traced(p.trace)) return;
  p.arrived = self->state.w->now(self);
  p.producer = rec.spans()->claim(k);
}

void build_routes(broker_state& st, const run_context& w) {
  const auto& sc = *w.source;
  st.by_topic.resize(sc.topics.size());
  std::vector<std::int64_t> group_of(sc.services.size(), -1);
  for (std::size_t t = 0; t < sc.topics.size(); ++t) {
    for (auto [svc, sub] : sc.topics[t].subscribers) {
      if (group_of[svc] < 0) {
        group_of[svc] = static_cast<std::int64_t>(st.groups.size());
        consumer_group g;
        for (int k = 0; k < w.instances.count(svc); ++k) {
          g.members.push_back(static_cast<std::uint32_t>(st.subscribers.size()));
          subscriber s;
          s.party = w.instances.first(svc) + k;
          s.group = static_cast<std::uint32_t>(st.groups.size());
          s.prefetch = sc.prefetch_of(svc);
          st.subscribers.push_back(s);
        }
        st.groups.push_back(std::move(g));
      }
      const auto id = static_cast<std::uint32_t>(st.subscriptions.size());
      subscription_queue q;
      q.topic = static_cast<int>(t);
      q.member = static_cast<std::uint32_t>(st.by_topic[t].size());
      q.handler = w.plan->subscription_handler(svc, sub);
      q.waiting = subscription_backlog(sc.topics[t].partitions);
      st.subscriptions.push_back(std::move(q));
      st.owner.push_back(static_cast<std::uint32_t>(group_of[svc]));
      st.groups[group_of[svc]].subscriptions.push_back(id);
      st.by_topic[t].push_back(id);
    }
  }
}

// The outages on the broker's clock: each crash's start, and each end.
void schedule_outages(self_ptr self) {
  const auto& st = self->state;
  const auto& outages = st.trouble->outages();
  for (std::uint32_t i = 0; i < outages.size(); ++i) {
    if (!outages[i].hang)
      st.w->post(self, st.w->broker, outages[i].begin, broker_wake(broker_event::outage_begin, i));
    if (outages[i].end != failure_schedule::never)
      st.w->post(self, st.w->broker, outages[i].end, broker_wake(broker_event::outage_end, i));
  }
}

}  // namespace

caf::actor spawn_broker(caf::actor_system& sys, const run_context* w) {
  return sys.spawn([w](self_ptr self) -> caf::behavior {
    w->guard(self);
    auto& st = self->state;
    const auto& sc = *w->source;
    st.w = w;
    st.delay = sc.broker_latency + sc.network_latency;
    st.capacity = sc.broker_capacity;
    st.at_most_once = sc.broker_delivery == delivery_mode::at_most_once;
    st.trouble = &(*w->failures)[w->broker];
    st.modelled = sc.broker_costs() || !st.trouble->empty() ||
                  std::any_of(w->plan->services.begin(), w->plan->services.end(),
                              [](const service_plan& sp) { return sp.confirms; });
    st.workers = sc.broker_workers;
    st.queue = sc.broker_queue;
    st.durable = sc.broker_durable;
    st.tally = &(*w->tallies)[w->broker];
    st.random = rng::for_party(sc.seed, "broker");
    build_routes(st, *w);
    if (st.modelled) schedule_outages(self);
    return self->serve(
        w->options.plain_caf,
        [self](const publish_msg& p) -> no_response {
          ++self->state.w->status->events;
          taken_publish t{p.topic, p.trace, p.published, p.partition};
          traced_arrival(self, t, {p.trace, -2 - p.topic, static_cast<std::uint64_t>(p.published)});
          on_publish(self, t);
          return {};
        },
        [self](const job_msg& m) -> no_response {  // a confirmed publish of topic m.handler
          ++self->state.w->status->events;
          const nanos now = self->state.w->now(self);
          taken_publish t{m.handler,   m.trace,  now - self->state.w->hop,
                          m.partition, m.caller, m.corr};
          traced_arrival(self, t, {m.trace, m.caller, m.corr});
          on_publish(self, t);
          return {};
        },
        [self](const reply_msg& r) -> no_response {
          ++self->state.w->status->events;
          on_ack(self, r);
          return {};
        },
        [self](const consumer_up_msg& m) -> no_response {
          ++self->state.w->status->events;
          on_up(self, m);
          return {};
        },
        [self](const wake_msg& m) -> no_response {
          ++self->state.w->status->events;
          on_wake(self, m);
          return {};
        });
  });
}

}  // namespace svcsim
