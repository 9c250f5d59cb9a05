// Spans of sampled requests (docs/traces.md): what each piece of one request's handling did,
// where and when, as tracing systems record it, so that one transaction can be followed across
// services and exported (OTLP, Jaeger, Chrome trace events).
//
// A request is sampled when it is sent (span_sampling): the recorder gives its trace id the
// `traced` bit, so the actors test one bit per piece and touch the span_recorder only for the
// sampled few. Spans of one request, in the order they end:
// - the workload's request (CLIENT, the client), the root;
// - per job an instance handles: SERVER (a call or a request) or CONSUMER (a delivery), from
//   its arrival to its end; `queued` of it waited for a worker;
// - per attempt of a call: CLIENT on the caller, from its send to its reply or timeout; the
//   callee's SERVER span is its child;
// - per publish: PRODUCER on the publisher (for a confirmed one, until its confirm); the broker's
//   stay per subscription (INTERNAL on the broker, from its arrival to its delivery) and the
//   subscriber's CONSUMER span are linked to it (FOLLOWS_FROM), not its children.
// Parents travel with no message field: the sender registers the span under the message's
// (trace, sender, corr) and the receiver claims it (context_key); publishes, which carry no
// corr, are claimed first in, first out.
// Invariants: span ids are 1, 2, ... in the order spans are recorded within a run; a parent
// starts no later than its child. A request's spans go to the sink in one batch, in id order,
// once its trace has closed, its last span has ended (work may outlive its request) and every
// message carrying one of its spans has been claimed (a delivery sent before the broker lost
// the message still reaches its subscriber), or at finish(). A span that starts after its request
// was handed over is not kept, but counted (late()).
#pragma once

#include <cstdint>
#include <functional>
#include <map>
#include <unordered_map>
#include <vector>

#include "scenarios/scenario.hpp"

namespace svcsim {

enum class span_kind : std::uint8_t { internal, server, client, producer, consumer };

// How a span ended.
enum class span_status : std::uint8_t {
  ok,
  failed,           // an error (errors(p), a failed callee, a dead letter)
  timed_out,        // a call attempt whose timeout came first
  refused,          // a full waiting room, or a crashed service or broker
  short_circuited,  // an open circuit breaker: the attempt was never sent
  lost,             // an outage ended it (a crash, a hang, a non-durable broker)
};

struct span {
  // The request's number in the run, from 1, as the clients create them: in send order within
  // an open-loop workload (workloads and closed-loop users create theirs ahead of time).
  std::uint64_t request = 0;
  std::uint64_t id = 0;
  std::uint64_t parent = 0;  // 0: the root
  std::uint64_t link = 0;    // a consumer's or broker stay's producer span; 0: none
  std::int32_t party = -1;   // where it ran: an instance or the broker; -1: the workload's client
  std::int32_t workload = -1;
  span_kind kind = span_kind::internal;
  span_status status = span_status::ok;
  // server, consumer: the handler (service_plan::handlers); client: the callee's handler and
  // callee_party; producer and the broker's stay: the topic (and its subscription member)
  std::int32_t handler = -1, callee_party = -1, topic = -1, member = -1;
  std::int32_t attempt = 0;  // client: 0 for the first
  nanos start = 0, end = 0;
  nanos queued = 0;  // server, consumer: waited for a worker from start
};

// Which requests get spans: every `every`-th measured request (0: none), and the requests whose
// numbers are listed (sorted), measured or not.
struct span_sampling {
  std::uint64_t every = 0;
  std::vector<std::uint64_t> requests;
  bool any() const { return every > 0 || !requests.empty(); }
};

// Where a message goes from and which of the sender's it is: the key a parent waits under.
struct context_key {
  std::uint64_t trace;
  std::int32_t sender;
  std::uint64_t corr;
  bool operator<(const context_key& o) const {
    if (trace != o.trace) return trace < o.trace;
    if (sender != o.sender) return sender < o.sender;
    return corr < o.corr;
  }
};

class span_recorder {
 public:
  // `sink` gets each sampled request's spans, all ended, in one batch, in id order.
  using sink = std::function<void(const std::vector<span>&)>;
  span_recorder(span_sampling sampling, sink out);

  // Whether the request numbered `request` (measured or not) is sampled.
  bool sampled(std::uint64_t request, bool measured);

  // A sampled request of `workload` opens (its trace id) and gets its root span, which ends
  // when its reply comes (reply()); returns the root's id.
  std::uint64_t open(std::uint64_t trace, std::uint64_t request, int workload, nanos sent);
  void reply(std::uint64_t trace, nanos at, bool ok);
  // A span of a sampled request starts: its id (the fields but id and end are taken from `s`;
  // without a parent, the request's root is its parent).
  std::uint64_t start(std::uint64_t trace, span s);
  // Span `id` of `trace` ends at `end` with `status`; with `work_from`, it queued until then.
  void end(std::uint64_t trace, std::uint64_t id, nanos end, span_status status,
           nanos work_from = -1);
  // The span a message carries (its parent or link), registered by the sender and claimed once
  // by the receiver; 0 when none was registered.
  void send(const context_key& k, std::uint64_t span_id);
  std::uint64_t claim(const context_key& k);
  // The link of span `id` of `trace` while it is held (not handed over yet); else 0.
  std::uint64_t link_of(std::uint64_t trace, std::uint64_t id) const;
  // The trace closed: its request's spans go to the sink once the last has ended.
  void close(std::uint64_t trace);
  // After the run: the spans still open end at `stop` (status lost), and everything held goes
  // to the sink, request by request.
  void finish(nanos stop);

  std::uint64_t spans() const { return next_id_ - 1; }
  std::uint64_t requests() const { return requests_; }
  std::uint64_t late() const { return late_; }

 private:
  struct request_spans {
    std::uint64_t request = 0;
    std::uint64_t root = 0;
    std::vector<span> spans;  // an open one has end < start
    std::int64_t open = 0;    // of them, and messages carrying its spans not yet claimed
    bool closed = false;
  };
  void hand_over(request_spans& r);  // its spans to the sink
  // One span or message in flight of request `it` less: hands it over when none is left.
  void release(std::unordered_map<std::uint64_t, request_spans>::iterator it);

  const span_sampling sampling_;
  const sink out_;
  std::uint64_t measured_ = 0;  // measured requests seen, for `every`
  std::uint64_t next_id_ = 1;
  std::uint64_t requests_ = 0;  // sampled
  std::uint64_t late_ = 0;
  std::unordered_map<std::uint64_t, request_spans> open_;  // by trace id
  std::map<context_key, std::vector<std::uint64_t>> contexts_;
};

}  // namespace svcsim
