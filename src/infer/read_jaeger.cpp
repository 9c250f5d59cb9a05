#include "infer/format_readers.hpp"

namespace svcsim::infer {
namespace {

// Jaeger's KeyValue list [{key, type, value}] into `into`.
void tags_into(const json* tags, std::map<std::string, std::string>& into) {
  if (!tags || !tags->is_array()) return;
  for (const auto& t : *tags) {
    const std::string key = text_of(field(t, "key"));
    if (!key.empty()) into[key] = text_of(field(t, "value"));
  }
}

struct process {
  std::string service;
  std::string instance;
};

process process_of(const json* p) {
  process out;
  if (!p) return out;
  out.service = text_of(field(*p, "serviceName"));
  std::map<std::string, std::string> tags;
  tags_into(field(*p, "tags"), tags);
  for (const char* key : {"service.instance.id", "hostname", "host.name", "ip"})
    if (tags.count(key) && !tags[key].empty()) {
      out.instance = tags[key];
      break;
    }
  return out;
}

void read_trace(const json& trace, std::vector<observed_span>& out, diagnostics& d) {
  const std::string trace_id = text_of(field(trace, "traceID"));
  std::map<std::string, process> processes;
  if (const json* ps = field(trace, "processes"); ps && ps->is_object())
    for (auto it = ps->begin(); it != ps->end(); ++it) processes[it.key()] = process_of(&*it);
  const json* spans = field(trace, "spans");
  if (!spans || !spans->is_array()) {
    d.add("trace-unreadable", trace_id.empty() ? "?" : trace_id,
          "Jaeger traces without a spans array", "skipped");
    return;
  }
  for (const auto& s : *spans) {
    observed_span o;
    o.trace_id = text_of(field(s, "traceID"));
    if (o.trace_id.empty()) o.trace_id = trace_id;
    o.span_id = text_of(field(s, "spanID"));
    std::int64_t start = 0, duration = 0;
    if (o.span_id.empty() || o.trace_id.empty() || !whole_of(field(s, "startTime"), start) ||
        !whole_of(field(s, "duration"), duration) || !micros_fit(start) || !micros_fit(duration) ||
        duration > longest_ns / 1000) {
      d.add("span-unreadable", o.trace_id.empty() ? "?" : o.trace_id,
            "spans without traceID, spanID, startTime or duration, or with a negative or too large "
            "time",
            "skipped");
      continue;
    }
    o.start_ns = start * 1000;
    o.duration_ns = duration * 1000;
    o.operation = text_of(field(s, "operationName"));
    const auto pid = text_of(field(s, "processID"));
    process p = processes.count(pid) ? processes[pid] : process_of(field(s, "process"));
    o.service = p.service;
    o.instance = p.instance;
    if (const json* refs = field(s, "references"); refs && refs->is_array())
      for (const auto& r : *refs) {
        const std::string type = lower(text_of(field(r, "refType")));
        span_link l{text_of(field(r, "traceID")), text_of(field(r, "spanID"))};
        if (l.trace_id.empty()) l.trace_id = o.trace_id;
        // The parent: the first CHILD_OF in the same trace, else the first FOLLOWS_FROM.
        const bool same = l.trace_id == o.trace_id;
        if (same && type == "child_of" && (o.parent_id.empty() || o.follows_from)) {
          if (o.follows_from) o.links.push_back({o.trace_id, o.parent_id});
          o.parent_id = l.span_id;
          o.follows_from = false;
        } else if (same && type == "follows_from" && o.parent_id.empty()) {
          o.parent_id = l.span_id;
          o.follows_from = true;
        } else {
          o.links.push_back(l);
        }
      }
    if (o.parent_id.empty()) o.parent_id = text_of(field(s, "parentSpanID"));
    tags_into(field(s, "tags"), o.attributes);
    o.kind = kind_named(o.attributes.count("span.kind") ? o.attributes["span.kind"] : "");
    o.error = o.attributes.count("error") && truthy(o.attributes["error"]);
    if (o.attributes.count("peer.service")) o.remote_service = o.attributes["peer.service"];
    out.push_back(std::move(o));
  }
}

}  // namespace

span_kind kind_named(const std::string& name) {
  std::string n = lower(name);
  if (n.rfind("span_kind_", 0) == 0) n = n.substr(10);
  if (n == "server") return span_kind::server;
  if (n == "client") return span_kind::client;
  if (n == "producer") return span_kind::producer;
  if (n == "consumer") return span_kind::consumer;
  if (n == "internal") return span_kind::internal;
  return span_kind::unspecified;
}

const char* to_string(span_kind k) {
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
    default:
      return "unspecified";
  }
}

void read_jaeger(const json& doc, std::vector<observed_span>& out, diagnostics& d) {
  const json* data = field(doc, "data");
  const json& traces = data ? *data : doc;
  if (traces.is_array()) {
    for (const auto& t : traces) read_trace(t, out, d);
  } else {
    read_trace(traces, out, d);
  }
}

}  // namespace svcsim::infer
