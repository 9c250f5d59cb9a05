#include "actors/station.hpp"

#include <algorithm>
#include <caf/all.hpp>
#include <stdexcept>

#include "engine/sampling.hpp"

namespace svcsim {

station::station(const run_context* ctx, int id, caf::event_based_actor* self)
    : ctx_(ctx),
      self_(self),
      id_(id),
      service_(ctx->instances.service_of(id)),
      spec_(ctx->source->services[service_]),
      plan_(ctx->plan->services[service_]),
      trouble_((*ctx->failures)[id]),
      broker_trouble_((*ctx->failures)[ctx->broker]),
      hop_(ctx->hop),
      tally_((*ctx->tallies)[id]),
      random_(
          rng::for_party(ctx->source->seed, "service:" + ctx->instances.name(*ctx->source, id))) {}

int station::partition_for(const op& o, std::uint64_t trace) {
  const int partitions = ctx_->source->topics[o.topic].partitions;
  if (partitions == 0) return 0;
  switch (o.key->k) {
    case message_key::kind::request:
      return partition_of_key(trace & ~recorder::traced_bit, partitions);
    case message_key::kind::uniform:  // key k of 0..values-1 goes to partition k mod P
      return static_cast<int>(random_.below(o.key->values) % partitions);
    case message_key::kind::none:
      break;
  }
  return static_cast<int>(random_.below(partitions));
}

bool station::publish(nanos at, const op& o, std::uint64_t trace, std::uint64_t span,
                      int partition) {
  if (partition < 0) partition = partition_for(o, trace);
  if (!broker_trouble_.empty() && broker_trouble_.crashed(at))
    return publish_while_down(at, o, trace, span, partition);
  ctx_->rec->add_pending(trace, 1);
  if (span != 0) producer_span(at, o, trace, span, span_status::ok);
  ctx_->post(self_, ctx_->broker, at + hop_,
             publish_msg{o.topic, partition, trace, static_cast<std::int64_t>(at)});
  return true;
}

void station::producer_span(nanos at, const op& o, std::uint64_t trace, std::uint64_t parent,
                            span_status status) {
  auto& spans = *ctx_->rec->spans();
  span s;
  s.kind = span_kind::producer;
  s.party = id_;
  s.parent = parent;
  s.topic = o.topic;
  s.start = at;
  const std::uint64_t id = spans.start(trace, s);
  spans.end(trace, id, at, status);
  if (status == span_status::ok)
    spans.send({trace, -2 - o.topic, static_cast<std::uint64_t>(at)}, id);
}

bool station::publish_while_down(nanos at, const op& o, std::uint64_t trace, std::uint64_t span,
                                 int partition) {
  auto& rec = *ctx_->rec;
  const bool measured = rec.measured(trace);
  if (o.on_down == broker_down::fail) {
    if (span != 0) producer_span(at, o, trace, span, span_status::refused);
    return false;
  }
  if (o.on_down == broker_down::drop) {
    if (span != 0) producer_span(at, o, trace, span, span_status::lost);
    if (measured) ++rec.topic(o.topic).dropped;
    rec.add_pending(trace, 1);
    rec.resolve(trace, at, false);  // a side effect lost
    return true;
  }
  const outage* down = broker_trouble_.outage_from(at);
  if (down->begin != outbox_outage_) {
    outbox_outage_ = down->begin;
    outbox_count_ = 0;
  }
  const std::int64_t capacity = ctx_->source->broker_outbox;
  if (capacity >= 0 && outbox_count_ >= capacity) {
    if (span != 0) producer_span(at, o, trace, span, span_status::refused);
    return false;
  }
  if (span != 0) producer_span(at, o, trace, span, span_status::ok);
  ++outbox_count_;
  if (window().covers(at)) tally_.outbox_max = std::max(tally_.outbox_max, outbox_count_);
  if (measured) {
    ++tally_.outboxed;
    ++rec.topic(o.topic).outboxed;
  }
  // The relay hands it over when the broker is back, and up when it arrives (a later outage
  // starting within the hop: after that one); one without end keeps it.
  rec.add_pending(trace, 1);
  nanos back = down->end;
  for (const outage* next; back != failure_schedule::never &&
                           (next = broker_trouble_.outage_from(back + hop_)) &&
                           next->begin <= back + hop_;)
    back = next->end;
  if (back != failure_schedule::never)
    ctx_->post(self_, ctx_->broker, back + hop_,
               publish_msg{o.topic, partition, trace, static_cast<std::int64_t>(at)});
  return true;
}

nanos station::work_time(const distribution& d, nanos t) {
  const nanos x = sample(d, random_);
  if (trouble_.empty()) return x;
  const double k = trouble_.slow_factor(t);
  if (k == 1.0) return x;
  return static_cast<nanos>(std::min(static_cast<double>(x) * k, 1e18));  // no overflow
}

bool station::fails_by_chance(nanos end) {
  if (trouble_.empty()) return false;
  const double p = trouble_.error_probability(end);
  return p > 0 && random_.uniform01() < p;
}

nanos station::run_inline(const std::vector<op>& ops, nanos t, std::uint64_t trace,
                          std::uint64_t span, nanos cutoff, bool* failed) {
  for (const auto& o : ops) {
    if (*failed) return t;  // as a frame stops once its job failed
    switch (o.kind) {
      case op_kind::work:
        t += work_time(*o.work, t);
        break;
      case op_kind::publish:
        if (t < cutoff && !publish(t, o, trace, span)) *failed = true;
        break;
      case op_kind::parallel: {
        nanos end = t;
        for (const auto& b : o.branches)
          end = std::max(end, run_inline(b, t, trace, span, cutoff, failed));
        t = end;
        break;
      }
      case op_kind::call:
        throw std::logic_error("run_inline: a predictable handler calls");
    }
  }
  return t;
}

std::uint64_t station::open_job_span(const job_msg& m, nanos arrived) {
  auto& spans = *ctx_->rec->spans();
  span s;
  s.kind = m.caller == ctx_->broker ? span_kind::consumer : span_kind::server;
  s.party = id_;
  s.handler = m.handler;
  s.start = arrived;
  s.parent = spans.claim({m.trace, m.caller, m.corr});
  // A delivery's parent is the broker's stay, linked to the publish: so is the consumer.
  if (s.kind == span_kind::consumer) s.link = spans.link_of(m.trace, s.parent);
  return spans.start(m.trace, s);
}

void station::send_reply(std::int32_t caller, std::uint64_t corr, nanos end, bool ok, bool down) {
  ctx_->post(self_, caller, end + hop_, reply_msg{corr, ok, static_cast<std::int64_t>(end), down});
}

bool station::crashed(const job_msg& m, nanos now) {
  if (!trouble_.crashed(now)) return false;
  if (ctx_->rec->measured(m.trace)) ++tally_.dropped;
  return true;
}

bool station::full(const job_msg& m, std::size_t waiting) {
  if (spec_.queue < 0 || m.caller == ctx_->broker ||
      waiting < static_cast<std::size_t>(spec_.queue))
    return false;
  if (ctx_->rec->measured(m.trace)) ++tally_.rejected;
  return true;
}

void station::schedule_outages(bool crash_wakes) {
  const auto& outages = trouble_.outages();
  for (std::uint32_t i = 0; i < outages.size(); ++i) {
    const auto& o = outages[i];
    if (!o.hang && crash_wakes)
      ctx_->post(self_, id_, o.begin, service_wake(service_event::outage_begin, i));
    if (o.end != failure_schedule::never)
      ctx_->post(self_, id_, o.end, service_wake(service_event::outage_end, i));
  }
}

void station::back_from_outage(nanos now) {
  const outage* next = trouble_.outage_from(now);
  if (plan_.consumes && !(next && next->begin <= now))
    self_->scheduled_send(ctx_->party(ctx_->broker), ctx_->at(now + hop_),
                          consumer_up_msg{id_, now});
}

}  // namespace svcsim
