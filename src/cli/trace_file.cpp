#include "cli/trace_file.hpp"

namespace svcsim {

trace_file::trace_file(const std::string& path, const trace_format& format, const scenario& s,
                       const span_sampling& sampling, std::ostream& out)
    : file_(path, out),
      exporter_(s, sampling),
      writer_(format.make(file_.stream(), exporter_.processes())) {}

span_recorder::sink trace_file::sink() {
  return [this](const std::vector<span>& batch) {
    buffer_.clear();
    exporter_.convert(batch, buffer_);
    writer_->request(buffer_);
    ++requests_;
    spans_ += buffer_.size();
  };
}

int trace_file::commit(std::ostream& err) {
  writer_->finish();
  return file_.commit(err);
}

}  // namespace svcsim
