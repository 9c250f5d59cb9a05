// Reading trace files of any supported format into the neutral model (observed.hpp). The format
// is detected per file from its JSON shape:
//   Jaeger  {"data":[...]}, or a trace object with traceID and spans (or an array of them);
//   OTLP    {"resourceSpans":[...]}, or one such object per line (JSON Lines);
//   Zipkin  an array of spans with traceId and id, or an array of such arrays.
// Never throws. A file that cannot be read (or is a directory, or over 1 GiB), is no JSON, or
// has no recognised format is an error
// of one line naming the file (and for bad JSON its line and column); problems inside a
// recognised file (unreadable spans) are counted in the diagnostics, not fatal.
#pragma once

#include <string>
#include <vector>

#include "infer/diagnostics.hpp"
#include "infer/observed.hpp"

namespace svcsim::infer {

struct read_result {
  observed data;      // spans grouped by trace, traces in the order first seen
  std::string error;  // "FILE: error: ..." when a file could not be read; data is then partial
};

read_result read_traces(const std::vector<std::string>& paths, diagnostics& d);

// One file's text, named `name` in messages, added to `into`; returns "" or the error line.
std::string read_trace_text(const std::string& text, const std::string& name, observed& into,
                            diagnostics& d);

// The formats read, for messages and --help.
extern const char* const recognised_formats;

}  // namespace svcsim::infer
