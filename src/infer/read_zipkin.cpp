#include <set>

#include "infer/format_readers.hpp"

namespace svcsim::infer {
namespace {

void read_span(const json& s, std::vector<observed_span>& out, diagnostics& d) {
  observed_span o;
  o.trace_id = lower(text_of(field(s, "traceId")));
  o.span_id = lower(text_of(field(s, "id")));
  std::int64_t start = 0, duration = 0;
  if (o.trace_id.empty() || o.span_id.empty() || !whole_of(field(s, "timestamp"), start) ||
      !whole_of(field(s, "duration"), duration) || !micros_fit(start) || !micros_fit(duration) ||
      duration > longest_ns / 1000) {
    d.add("span-unreadable", o.trace_id.empty() ? "?" : o.trace_id,
          "spans without traceId, id, timestamp or duration (incomplete spans), or with a negative "
          "or too large time",
          "skipped");
    return;
  }
  o.start_ns = start * 1000;
  o.duration_ns = duration * 1000;
  o.parent_id = lower(text_of(field(s, "parentId")));
  o.operation = text_of(field(s, "name"));
  o.kind = kind_named(text_of(field(s, "kind")));
  if (o.kind == span_kind::unspecified) o.kind = span_kind::internal;  // a local span
  if (const json* local = field(s, "localEndpoint")) {
    o.service = text_of(field(*local, "serviceName"));
    const std::string ip = text_of(field(*local, "ipv4")) + text_of(field(*local, "ipv6"));
    const std::string port = text_of(field(*local, "port"));
    o.instance = ip.empty() ? "" : port.empty() ? ip : ip + ":" + port;
  }
  if (const json* remote = field(s, "remoteEndpoint"))
    o.remote_service = text_of(field(*remote, "serviceName"));
  if (const json* tags = field(s, "tags"); tags && tags->is_object())
    for (auto it = tags->begin(); it != tags->end(); ++it) o.attributes[it.key()] = text_of(&*it);
  o.error = o.attributes.count("error") > 0;
  if (text_of(field(s, "shared")) == "true") o.attributes["zipkin.shared"] = "true";
  out.push_back(std::move(o));
}

// B3 shared spans: a SERVER span with the id of its CLIENT. The server side gets its own id
// (ID~server) under the client, and the spans of its service under that id move to it.
void unshare(std::vector<observed_span>& spans, std::size_t from) {
  std::set<std::pair<std::string, std::string>> clients;
  for (std::size_t i = from; i < spans.size(); ++i)
    if (spans[i].kind == span_kind::client) clients.insert({spans[i].trace_id, spans[i].span_id});
  for (std::size_t i = from; i < spans.size(); ++i) {
    auto& s = spans[i];
    if (s.kind != span_kind::server || !clients.count({s.trace_id, s.span_id})) continue;
    const std::string shared = s.span_id;
    s.span_id = shared + "~server";
    s.parent_id = shared;
    for (std::size_t j = from; j < spans.size(); ++j)
      if (j != i && spans[j].trace_id == s.trace_id && spans[j].parent_id == shared &&
          spans[j].service == s.service)
        spans[j].parent_id = s.span_id;
  }
}

}  // namespace

void read_zipkin(const json& doc, std::vector<observed_span>& out, diagnostics& d) {
  if (!doc.is_array()) return;
  const std::size_t from = out.size();
  for (const auto& item : doc) {
    if (item.is_array()) {
      for (const auto& s : item) read_span(s, out, d);
    } else {
      read_span(item, out, d);
    }
  }
  unshare(out, from);
}

}  // namespace svcsim::infer
