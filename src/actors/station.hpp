// What both kinds of station share. A station is the state of one service instance's actor:
// `workers` workers in front of one FIFO waiting room of `queue` places, running the handlers of
// the service's plan. Two kinds, same results, chosen at spawn (service.cpp):
// - lindley_station (lindley_station.hpp): predictable services (no handler calls anything);
//   each job's start and end are computed on arrival from the workers' free times;
// - frame_station (frame_station.hpp): the others; jobs run as frames that wait on calls.
// On both, a worker freed at time t serves a job arriving at t. Failures are known in advance
// (failure_schedule): a job whose handling would reach the next outage is not answered early;
// the outage fails it (crash: at its start; hang: at its end).
// Constants of the service are set at construction; the station is single-threaded (its
// actor's), and sends only from its actor `self`. Internal to the service actor.
#pragma once

#include <caf/event_based_actor.hpp>
#include <functional>
#include <queue>
#include <vector>

#include "actors/messages.hpp"
#include "actors/run_context.hpp"
#include "actors/wake_token.hpp"
#include "engine/random.hpp"

namespace svcsim {

template <class T>
using min_heap = std::priority_queue<T, std::vector<T>, std::greater<>>;

class station {
 public:
  station(const station&) = delete;
  station& operator=(const station&) = delete;

  const run_context* context() const { return ctx_; }

 protected:
  station(const run_context* ctx, int id, caf::event_based_actor* self);

  nanos now() const { return ctx_->now(self_); }
  const measure_window& window() const { return ctx_->rec->window(); }

  // Hands a message to the broker at time `at` as publish op `o` says, unconfirmed (a
  // confirmed publish is a call: frame_station), to `partition` (-1: as its key says). While
  // the broker is crashed, it follows o.on_down; false when the job fails for it (fail, or a
  // full outbox). `span`: the job's span when traced (the PRODUCER span's parent), else 0.
  bool publish(nanos at, const op& o, std::uint64_t trace, std::uint64_t span, int partition = -1);
  // The partition of publish op `o`'s message for request `trace`, as its key says (0 for an
  // unpartitioned topic).
  int partition_for(const op& o, std::uint64_t trace);
  // Whether the broker is crashed at t (a publisher sees its connection down at once).
  bool broker_crashed(nanos t) const { return broker_trouble_.crashed(t); }
  // Work starting at t, stretched by slow(k) when the service is slow then.
  nanos work_time(const distribution& d, nanos t);
  // Whether the job ending at `end` fails by errors(p).
  bool fails_by_chance(nanos end);
  // Runs ops that contain no call (nor confirmed publish) from time t; returns when they end.
  // Publishes at or after `cutoff` (an outage's start) are not made; one that fails the job
  // (publish()) sets *failed, and the handler stops there (its branches too), as on frames.
  // `span`: the job's span when traced, else 0.
  nanos run_inline(const std::vector<op>& ops, nanos t, std::uint64_t trace, std::uint64_t span,
                   nanos cutoff, bool* failed);
  // Sends `caller` the reply to its job `corr`, which ended at `end`, one hop later; `down`:
  // failed by an outage.
  void send_reply(std::int32_t caller, std::uint64_t corr, nanos end, bool ok, bool down = false);
  // Whether job `m` arrives at `now` while the service is crashed (then counted as dropped:
  // the station refuses it with a `down` reply at once).
  bool crashed(const job_msg& m, nanos now);
  // Whether job `m` finds the waiting room, holding `waiting` jobs, full (then counted as
  // rejected: the station refuses it at once). Broker deliveries never do: the broker sends no
  // more than the subscriber's prefetch, and the subscriber keeps room for what it prefetched.
  bool full(const job_msg& m, std::size_t waiting);
  // Spans (engine/spans.hpp), for a traced job only: its SERVER (or, from the broker,
  // CONSUMER) span starts on arrival at `arrived`, under what its sender registered (else the
  // request's root); job_span_end() ends it, `start` - `arrived` of it queued. 0: not traced.
  // Inline: untraced, a job pays one bit test.
  std::uint64_t job_span_start(const job_msg& m, nanos arrived) {
    return ctx_->rec->traced(m.trace) ? open_job_span(m, arrived) : 0;
  }
  void job_span_end(std::uint64_t trace, std::uint64_t span, nanos start, nanos end,
                    span_status status) {
    if (span != 0) ctx_->rec->spans()->end(trace, span, end, status, start);
  }
  // Puts the outages on the service's clock: each end, and with `crash_wakes` each crash's
  // start.
  void schedule_outages(bool crash_wakes);
  // An outage ended at now: a subscriber tells the broker it is back, unless another outage
  // starts right then. The notice goes through the clock, after the replies the outage failed
  // at this instant, so the broker learns of those first.
  void back_from_outage(nanos now);

  const run_context* const ctx_;
  caf::event_based_actor* const self_;
  const int id_;       // its party: one instance of service_
  const int service_;  // index into the scenario's services
  const service& spec_;
  const service_plan& plan_;
  const failure_schedule& trouble_;
  const failure_schedule& broker_trouble_;
  const nanos hop_;  // network latency of one message hop
  service_tally& tally_;
  rng random_;

 private:
  std::uint64_t open_job_span(const job_msg& m, nanos arrived);
  bool publish_while_down(nanos at, const op& o, std::uint64_t trace, std::uint64_t span,
                          int partition);
  // Traced: publish op `o`'s PRODUCER span under `parent`, at `at`, ending as `status` says; a
  // message that goes out (ok) registers it for the broker, first in first out per (trace,
  // topic, publish time): publish_msg carries no corr.
  void producer_span(nanos at, const op& o, std::uint64_t trace, std::uint64_t parent,
                     span_status status);
  // The broker outage whose messages the outbox holds (its start), and how many.
  nanos outbox_outage_ = -1;
  std::int64_t outbox_count_ = 0;
};

}  // namespace svcsim
