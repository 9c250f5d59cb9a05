// The trace file formats (docs/traces.md): each writes the spans of one run as they come,
// request by request, to a stream, so that the spans of a million requests are never held.
// request() may be called any number of times between the constructor and finish(); the
// document is complete (valid JSON) only after finish().
#pragma once

#include <iosfwd>
#include <memory>
#include <string>
#include <vector>

#include "traces/exported_span.hpp"

namespace svcsim {

class trace_writer {
 public:
  virtual ~trace_writer() = default;
  // One request's spans (span_exporter::convert()), parents before children.
  virtual void request(const std::vector<exported_span>& spans) = 0;
  virtual void finish() = 0;
};

struct trace_format {
  const char* name;     // --traces-format
  const char* summary;  // for --help
  std::unique_ptr<trace_writer> (*make)(std::ostream& out,
                                        const std::vector<trace_process>& processes);
};

// otlp (the default), jaeger, chrome.
const std::vector<trace_format>& trace_formats();
const trace_format* find_trace_format(const std::string& name);

std::unique_ptr<trace_writer> make_otlp_writer(std::ostream& out,
                                               const std::vector<trace_process>& processes);
std::unique_ptr<trace_writer> make_jaeger_writer(std::ostream& out,
                                                 const std::vector<trace_process>& processes);
std::unique_ptr<trace_writer> make_chrome_writer(std::ostream& out,
                                                 const std::vector<trace_process>& processes);

}  // namespace svcsim
