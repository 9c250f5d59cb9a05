#include "infer/format_readers.hpp"

namespace svcsim::infer {
namespace {

// An AnyValue as text: its scalar; arrays and key-value lists (which infer does not read, and
// whose text could nest too deep to print) as "[array]" and "[kvlist]".
std::string any_value(const json* v) {
  if (!v || !v->is_object()) return "";
  for (const char* key : {"stringValue", "boolValue", "intValue", "doubleValue", "bytesValue"})
    if (const json* x = field(*v, key)) return text_of(x);
  if (field(*v, "arrayValue")) return "[array]";
  if (field(*v, "kvlistValue")) return "[kvlist]";
  return "";
}

void attributes_into(const json* attrs, std::map<std::string, std::string>& into) {
  if (!attrs || !attrs->is_array()) return;
  for (const auto& a : *attrs) {
    const std::string key = text_of(field(a, "key"));
    if (!key.empty()) into[key] = any_value(field(a, "value"));
  }
}

span_kind kind_of(const json* k) {
  std::int64_t n = 0;
  if (whole_of(k, n)) {
    switch (n) {
      case 1:
        return span_kind::internal;
      case 2:
        return span_kind::server;
      case 3:
        return span_kind::client;
      case 4:
        return span_kind::producer;
      case 5:
        return span_kind::consumer;
      default:
        return span_kind::unspecified;
    }
  }
  return kind_named(text_of(k));  // "SPAN_KIND_SERVER": not the spec's JSON, but seen
}

void read_span(const json& s, const std::string& service, const std::string& instance,
               std::vector<observed_span>& out, diagnostics& d) {
  observed_span o;
  o.trace_id = lower(text_of(field(s, "traceId")));
  o.span_id = lower(text_of(field(s, "spanId")));
  std::int64_t start = 0, end = 0;
  if (o.trace_id.empty() || o.span_id.empty() || !whole_of(field(s, "startTimeUnixNano"), start) ||
      !whole_of(field(s, "endTimeUnixNano"), end) || start < 0 || end < 0 || start >= latest_ns ||
      end >= latest_ns || end - start > longest_ns) {
    d.add("span-unreadable", o.trace_id.empty() ? "?" : o.trace_id,
          "spans without traceId, spanId, startTimeUnixNano or endTimeUnixNano, or before 1970, or "
          "over 10 years",
          "skipped");
    return;
  }
  o.start_ns = start;
  o.duration_ns = end - start;
  o.parent_id = lower(text_of(field(s, "parentSpanId")));
  o.operation = text_of(field(s, "name"));
  o.kind = kind_of(field(s, "kind"));
  o.service = service;
  o.instance = instance;
  attributes_into(field(s, "attributes"), o.attributes);
  if (const json* status = field(s, "status")) {
    std::int64_t code = 0;
    o.error = (whole_of(field(*status, "code"), code) && code == 2) ||
              text_of(field(*status, "code")) == "STATUS_CODE_ERROR";
  }
  if (const json* links = field(s, "links"); links && links->is_array())
    for (const auto& l : *links) {
      span_link link{lower(text_of(field(l, "traceId"))), lower(text_of(field(l, "spanId")))};
      std::map<std::string, std::string> la;
      attributes_into(field(l, "attributes"), la);
      // Jaeger writes its references as links with opentracing.ref_type; without a parent, a
      // follows_from link in the same trace is the parent, as in Jaeger.
      if (o.parent_id.empty() && link.trace_id == o.trace_id && !link.span_id.empty() &&
          la["opentracing.ref_type"] == "follows_from") {
        o.parent_id = link.span_id;
        o.follows_from = true;
      } else if (!link.span_id.empty()) {
        o.links.push_back(link);
      }
    }
  if (o.attributes.count("peer.service")) o.remote_service = o.attributes["peer.service"];
  out.push_back(std::move(o));
}

}  // namespace

void read_otlp(const json& doc, std::vector<observed_span>& out, diagnostics& d) {
  const json* rss = field(doc, "resourceSpans");
  if (!rss || !rss->is_array()) return;
  for (const auto& rs : *rss) {
    std::map<std::string, std::string> resource;
    if (const json* r = field(rs, "resource")) attributes_into(field(*r, "attributes"), resource);
    const std::string service = resource["service.name"];
    std::string instance = resource["service.instance.id"];
    if (instance.empty()) instance = resource["host.name"];
    for (const char* scopes_key : {"scopeSpans", "instrumentationLibrarySpans"}) {
      const json* scopes = field(rs, scopes_key);
      if (!scopes || !scopes->is_array()) continue;
      for (const auto& sc : *scopes) {
        const json* spans = field(sc, "spans");
        if (!spans || !spans->is_array()) continue;
        for (const auto& s : *spans) read_span(s, service, instance, out, d);
      }
    }
  }
}

}  // namespace svcsim::infer
