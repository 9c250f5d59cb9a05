// The neutral model of traces read from a file, whatever its format (Jaeger JSON, OTLP JSON,
// Zipkin v2 JSON): per trace its spans, as the readers found them, nothing inferred yet.
// Invariants: times are whole nanoseconds since the epoch; a span's parent_id is "" at a root;
// ids are compared as given (OTLP hex lowercased by its reader).
#pragma once

#include <cstdint>
#include <map>
#include <string>
#include <vector>

namespace svcsim::infer {

enum class span_kind { unspecified, internal, server, client, producer, consumer };

const char* to_string(span_kind k);

// A reference to another span: a Jaeger FOLLOWS_FROM reference or an OTLP link.
struct span_link {
  std::string trace_id;
  std::string span_id;
};

struct observed_span {
  std::string trace_id;
  std::string span_id;
  std::string parent_id;         // "" at a root
  bool follows_from = false;     // the parent is a FOLLOWS_FROM reference, not CHILD_OF
  std::vector<span_link> links;  // other references and links
  std::string service;           // "" when the file names none
  std::string instance;          // service.instance.id, hostname, or ipv4:port; "" when none
  std::string operation;
  std::string remote_service;  // Zipkin remoteEndpoint, peer.service: a callee not traced
  span_kind kind = span_kind::unspecified;
  std::int64_t start_ns = 0;
  std::int64_t duration_ns = 0;
  bool error = false;
  std::map<std::string, std::string> attributes;  // tags, attributes; values as text
};

struct observed_trace {
  std::string trace_id;
  std::vector<observed_span> spans;
};

// What read_traces() found in all files, and what it could not read (not fatal).
struct observed {
  std::vector<observed_trace> traces;
  std::vector<std::string> files;  // each "FILE (FORMAT)"
  std::int64_t spans_skipped = 0;  // spans without an id or times, counted in diagnostics
};

}  // namespace svcsim::infer
