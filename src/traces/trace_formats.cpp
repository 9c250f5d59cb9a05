#include "traces/trace_writer.hpp"

namespace svcsim {

const std::vector<trace_format>& trace_formats() {
  static const std::vector<trace_format> formats = {
      {"otlp", "OpenTelemetry's OTLP JSON (a collector, Jaeger, Tempo import it)",
       make_otlp_writer},
      {"jaeger", "the JSON Jaeger's UI opens from a file", make_jaeger_writer},
      {"chrome", "Chrome trace events, for Perfetto, chrome://tracing or speedscope",
       make_chrome_writer},
  };
  return formats;
}

const trace_format* find_trace_format(const std::string& name) {
  for (const auto& f : trace_formats())
    if (name == f.name) return &f;
  return nullptr;
}

}  // namespace svcsim
