// `run --traces FILE`: the spans of the sampled requests, streamed to FILE in a trace format
// as the run hands them over (traces/trace_writer.hpp), and put in place (atomically) only when
// the run has ended well.
#pragma once

#include <memory>
#include <ostream>
#include <string>

#include "actors/simulate.hpp"
#include "cli/output.hpp"
#include "traces/trace_writer.hpp"

namespace svcsim {

class trace_file {
 public:
  // `sampling`: the run's (said in the file).
  trace_file(const std::string& path, const trace_format& format, const scenario& s,
             const span_sampling& sampling, std::ostream& out);

  // For simulate_options::spans.
  span_recorder::sink sink();
  // Completes the document and puts it in place: 0, or 1 (said on `err`).
  int commit(std::ostream& err);
  std::uint64_t requests() const { return requests_; }
  std::uint64_t spans() const { return spans_; }

 private:
  output_file file_;
  span_exporter exporter_;
  std::unique_ptr<trace_writer> writer_;
  std::vector<exported_span> buffer_;
  std::uint64_t requests_ = 0, spans_ = 0;
};

}  // namespace svcsim
