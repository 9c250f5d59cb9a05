// OTLP JSON (opentelemetry-proto's JSON mapping of ExportTraceServiceRequest): hex ids,
// enums as integers, 64-bit integers as strings. One resourceSpans entry per process and
// request.
#include <map>
#include <ostream>

#include "traces/json_out.hpp"
#include "traces/trace_writer.hpp"

namespace svcsim {
namespace {

int otlp_kind(span_kind k) {
  switch (k) {
    case span_kind::internal:
      return 1;
    case span_kind::server:
      return 2;
    case span_kind::client:
      return 3;
    case span_kind::producer:
      return 4;
    case span_kind::consumer:
      return 5;
  }
  return 0;
}

void value(std::ostream& out, const attribute& a) {
  switch (a.t) {
    case attribute::type::string:
      out << "{\"stringValue\":";
      json_string(out, a.s);
      out << '}';
      return;
    case attribute::type::integer:
      out << "{\"intValue\":\"" << a.i << "\"}";
      return;
    case attribute::type::real:
      out << "{\"doubleValue\":";
      json_number(out, a.d);
      out << '}';
      return;
    case attribute::type::boolean:
      out << "{\"boolValue\":" << (a.b ? "true" : "false") << '}';
      return;
  }
}

void attributes(std::ostream& out, const std::vector<attribute>& as) {
  out << '[';
  for (std::size_t i = 0; i < as.size(); ++i) {
    out << (i ? "," : "") << "{\"key\":";
    json_string(out, as[i].key);
    out << ",\"value\":";
    value(out, as[i]);
    out << '}';
  }
  out << ']';
}

class otlp_writer : public trace_writer {
 public:
  otlp_writer(std::ostream& out, const std::vector<trace_process>& processes)
      : out_(out), processes_(processes) {
    out_ << "{\"resourceSpans\":[";
  }

  void request(const std::vector<exported_span>& spans) override {
    std::map<int, std::vector<const exported_span*>> by_process;
    for (const auto& s : spans) by_process[s.process].push_back(&s);
    for (const auto& [p, list] : by_process) {
      out_ << (first_ ? "\n" : ",\n") << "{\"resource\":{\"attributes\":";
      first_ = false;
      attribute name, instance;
      name.key = "service.name";
      name.s = processes_[static_cast<std::size_t>(p)].service;
      instance.key = "service.instance.id";
      instance.s = processes_[static_cast<std::size_t>(p)].instance;
      attributes(out_, {name, instance});
      out_ << "},\"scopeSpans\":[{\"scope\":{\"name\":\"svcsim\",\"version\":\"" SVCSIM_VERSION
              "\"},\"spans\":[";
      for (std::size_t i = 0; i < list.size(); ++i) span(*list[i], i == 0);
      out_ << "]}]}";
    }
  }

  void finish() override { out_ << "\n]}\n"; }

 private:
  void span(const exported_span& s, bool first) {
    out_ << (first ? "" : ",") << "{\"traceId\":\"" << s.trace_id << "\",\"spanId\":\"" << s.span_id
         << '"';
    if (!s.parent_id.empty()) out_ << ",\"parentSpanId\":\"" << s.parent_id << '"';
    out_ << ",\"name\":";
    json_string(out_, s.name);
    out_ << ",\"kind\":" << otlp_kind(s.kind) << ",\"startTimeUnixNano\":\"" << s.start
         << "\",\"endTimeUnixNano\":\"" << s.end << "\",\"attributes\":";
    attributes(out_, s.attributes);
    if (!s.link_id.empty())
      out_ << ",\"links\":[{\"traceId\":\"" << s.trace_id << "\",\"spanId\":\"" << s.link_id
           << "\"}]";
    if (s.status != span_status::ok) {
      out_ << ",\"status\":{\"code\":2,\"message\":";
      json_string(out_, span_exporter::status_name(s.status));
      out_ << '}';
    }
    out_ << '}';
  }

  std::ostream& out_;
  const std::vector<trace_process>& processes_;
  bool first_ = true;
};

}  // namespace

std::unique_ptr<trace_writer> make_otlp_writer(std::ostream& out,
                                               const std::vector<trace_process>& processes) {
  return std::make_unique<otlp_writer>(out, processes);
}

}  // namespace svcsim
