#include "traces/exported_span.hpp"

#include <algorithm>
#include <cstdio>

namespace svcsim {
namespace {

std::string hex16(std::uint64_t x) {
  char buf[17];
  std::snprintf(buf, sizeof buf, "%016llx", static_cast<unsigned long long>(x));
  return buf;
}

constexpr std::uint64_t queue_bit = 1ULL << 63;

attribute text(std::string key, std::string value) {
  attribute a;
  a.key = std::move(key);
  a.s = std::move(value);
  return a;
}

attribute integer(std::string key, std::int64_t value) {
  attribute a;
  a.key = std::move(key);
  a.t = attribute::type::integer;
  a.i = value;
  return a;
}

}  // namespace

span_exporter::span_exporter(const scenario& s, span_sampling sampling)
    : s_(s), layout_(s), sampling_(std::move(sampling)) {
  for (int p = 0; p < layout_.total(); ++p)
    processes_.push_back({s.services[layout_.service_of(p)].name, layout_.name(s, p)});
  processes_.push_back({"broker", "broker"});
  processes_.push_back({"client", "client"});
}

int span_exporter::process_of(int party) const {
  return party < 0 ? layout_.total() + 1 : party;  // the broker is party total()
}

const char* span_exporter::status_name(span_status st) {
  switch (st) {
    case span_status::ok:
      return "ok";
    case span_status::failed:
      return "failed";
    case span_status::timed_out:
      return "timed out";
    case span_status::refused:
      return "refused";
    case span_status::short_circuited:
      return "short-circuited";
    case span_status::lost:
      return "lost";
  }
  return "?";
}

const char* span_exporter::kind_name(span_kind k) {
  switch (k) {
    case span_kind::internal:
      return "internal";
    case span_kind::server:
      return "server";
    case span_kind::client:
      return "client";
    case span_kind::producer:
      return "producer";
    case span_kind::consumer:
      return "consumer";
  }
  return "?";
}

int span_exporter::topic_of_handler(const span& sp) const {
  const auto& svc = s_.services[layout_.service_of(sp.party)];
  return svc.subscriptions[static_cast<std::size_t>(sp.handler) - svc.endpoints.size()].topic;
}

std::string span_exporter::name_of(const span& sp) const {
  switch (sp.kind) {
    case span_kind::client:
      if (sp.party < 0) return s_.workloads[static_cast<std::size_t>(sp.workload)].name;
      if (sp.topic >= 0) return "publish " + s_.topics[static_cast<std::size_t>(sp.topic)].name;
      return sp.callee_party >= 0
                 ? s_.handler_label(layout_.service_of(sp.callee_party), sp.handler)
                 : "call (short-circuited)";
    case span_kind::server: {  // an endpoint, or in sync mode a subscription's handler
      const auto& svc = s_.services[layout_.service_of(sp.party)];
      const auto h = static_cast<std::size_t>(sp.handler);
      if (h < svc.endpoints.size()) return svc.endpoints[h].name;
      return "on " +
             s_.topics[static_cast<std::size_t>(svc.subscriptions[h - svc.endpoints.size()].topic)]
                 .name;
    }
    case span_kind::consumer:
      return "process " + s_.topics[static_cast<std::size_t>(topic_of_handler(sp))].name;
    case span_kind::producer:
      return "publish " + s_.topics[static_cast<std::size_t>(sp.topic)].name;
    case span_kind::internal:
      break;
  }
  // The broker's: a stay in a subscription, or a publish it refused (no subscription).
  return (sp.member >= 0 ? "deliver " : "refuse ") +
         s_.topics[static_cast<std::size_t>(sp.topic)].name;
}

void span_exporter::convert(const std::vector<span>& batch, std::vector<exported_span>& out) const {
  for (const span& sp : batch) {
    exported_span e;
    e.trace_id = hex16(s_.seed) + hex16(sp.request);
    e.span_id = hex16(sp.id);
    if (sp.parent != 0) e.parent_id = hex16(sp.parent);
    if (sp.link != 0 && sp.link != sp.parent) e.link_id = hex16(sp.link);
    e.kind = sp.kind;
    e.status = sp.status;
    e.process = process_of(sp.party);
    e.start = unix_epoch_ns + sp.start;
    e.end = unix_epoch_ns + sp.end;
    e.name = name_of(sp);
    auto& a = e.attributes;
    a.push_back(integer("svcsim.request", static_cast<std::int64_t>(sp.request)));
    if (sp.status != span_status::ok) a.push_back(text("svcsim.status", status_name(sp.status)));
    const bool messaging = sp.topic >= 0;
    if (messaging) {
      const std::string& topic = s_.topics[static_cast<std::size_t>(sp.topic)].name;
      a.push_back(text("messaging.system", "svcsim"));
      a.push_back(text("messaging.destination.name", topic));
      if (sp.kind == span_kind::internal) {
        a.push_back(text("messaging.operation.name", sp.member >= 0 ? "deliver" : "refuse"));
      } else {
        a.push_back(text("messaging.operation.name", "publish"));
        a.push_back(text("messaging.operation.type", "send"));
      }
    }
    if (sp.party < 0) {
      a.push_back(
          text("svcsim.workload", s_.workloads[static_cast<std::size_t>(sp.workload)].name));
      if (sampling_.every > 0 &&
          !std::binary_search(sampling_.requests.begin(), sampling_.requests.end(), sp.request)) {
        a.push_back(text("sampler.type", "probabilistic"));
        attribute p;
        p.key = "sampler.param";
        p.t = attribute::type::real;
        p.d = 1.0 / static_cast<double>(sampling_.every);
        a.push_back(p);
      }
    } else if (sp.kind == span_kind::client && sp.callee_party >= 0) {
      a.push_back(text("peer.service", s_.services[layout_.service_of(sp.callee_party)].name));
      a.push_back(integer("svcsim.attempt", sp.attempt + 1));
    } else if (sp.kind == span_kind::internal && sp.member >= 0) {
      const auto& subs = s_.topics[static_cast<std::size_t>(sp.topic)].subscribers;
      a.push_back(text("messaging.consumer.group.name",
                       s_.services[subs[static_cast<std::size_t>(sp.member)].first].name));
    } else if (sp.kind == span_kind::server &&
               static_cast<std::size_t>(sp.handler) >=
                   s_.services[layout_.service_of(sp.party)].endpoints.size()) {
      // a subscription's handler, called by a sync notify: its topic
      a.push_back(
          text("svcsim.notify", s_.topics[static_cast<std::size_t>(topic_of_handler(sp))].name));
    } else if (sp.kind == span_kind::consumer) {
      a.push_back(text("messaging.system", "svcsim"));
      a.push_back(text("messaging.destination.name",
                       s_.topics[static_cast<std::size_t>(topic_of_handler(sp))].name));
      a.push_back(text("messaging.operation.name", "process"));
      a.push_back(text("messaging.operation.type", "process"));
    }
    const bool queued = sp.queued > 0;
    out.push_back(std::move(e));
    if (!queued) continue;
    exported_span q;
    q.trace_id = out.back().trace_id;
    q.span_id = hex16(sp.id | queue_bit);
    q.parent_id = out.back().span_id;
    q.name = "queue";
    q.process = out.back().process;
    q.start = out.back().start;
    q.end = q.start + sp.queued;
    q.attributes.push_back(integer("svcsim.request", static_cast<std::int64_t>(sp.request)));
    q.attributes.push_back(text("svcsim.wait", "queue"));
    out.push_back(std::move(q));
  }
}

}  // namespace svcsim
