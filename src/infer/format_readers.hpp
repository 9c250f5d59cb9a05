// The three readers of trace formats, each from a parsed JSON document to neutral spans
// (observed.hpp). A span without an id or without times is skipped and counted in `d`.
// Formats: docs/dev/traces-research.md.
#pragma once

#include <vector>

#include "infer/diagnostics.hpp"
#include "infer/json_fields.hpp"
#include "infer/observed.hpp"

namespace svcsim::infer {

// {"data":[trace...]}, {"data":trace}, a trace {traceID, spans, processes}, or an array of them.
void read_jaeger(const json& doc, std::vector<observed_span>& out, diagnostics& d);
// {"resourceSpans":[...]} (ExportTraceServiceRequest / TracesData).
void read_otlp(const json& doc, std::vector<observed_span>& out, diagnostics& d);
// An array of spans, or an array of such arrays.
void read_zipkin(const json& doc, std::vector<observed_span>& out, diagnostics& d);

// Kind from its name in any format ("server", "SERVER", "SPAN_KIND_SERVER"); unspecified when
// unknown.
span_kind kind_named(const std::string& name);

}  // namespace svcsim::infer
