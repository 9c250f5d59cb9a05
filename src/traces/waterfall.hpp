// svcsim trace: one request per design as a waterfall on one time axis, for a terminal. Each
// span is a row, indented under its parent (a delivery under its broker stay, under the publish);
// its bar: ░ queued for a worker, █ working, ─ waiting on a call (or, for the client, on the
// reply), ▒ held by the broker, │ a publish. The designs share the axis, so their bars compare.
#pragma once

#include <string>
#include <vector>

#include "traces/exported_span.hpp"

namespace svcsim {

struct traced_request {
  std::string label;                 // the design's
  std::string why;                   // how it was chosen: "the slowest of 9,912 measured"
  std::vector<exported_span> spans;  // span_exporter::convert() of one request, root first
};

// `width`: of the bars, in characters.
std::string waterfall(const std::vector<trace_process>& processes,
                      const std::vector<traced_request>& requests, int width = 60);

}  // namespace svcsim
