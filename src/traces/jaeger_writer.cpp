// Jaeger's JSON, as its UI opens it from a file ({"data": [trace, ...]}): per trace its spans
// (times in microseconds) and its processes; span kind and errors as tags; the parent as a
// CHILD_OF reference, a link as FOLLOWS_FROM.
#include <map>
#include <ostream>

#include "traces/json_out.hpp"
#include "traces/trace_writer.hpp"

namespace svcsim {
namespace {

void tag(std::ostream& out, const attribute& a, bool first) {
  out << (first ? "" : ",") << "{\"key\":";
  json_string(out, a.key);
  switch (a.t) {
    case attribute::type::string:
      out << ",\"type\":\"string\",\"value\":";
      json_string(out, a.s);
      break;
    case attribute::type::integer:
      out << ",\"type\":\"int64\",\"value\":" << a.i;
      break;
    case attribute::type::real:
      out << ",\"type\":\"float64\",\"value\":";
      json_number(out, a.d);
      break;
    case attribute::type::boolean:
      out << ",\"type\":\"bool\",\"value\":" << (a.b ? "true" : "false");
      break;
  }
  out << '}';
}

class jaeger_writer : public trace_writer {
 public:
  jaeger_writer(std::ostream& out, const std::vector<trace_process>& processes)
      : out_(out), processes_(processes) {
    out_ << "{\"data\":[";
  }

  void request(const std::vector<exported_span>& spans) override {
    if (spans.empty()) return;
    out_ << (first_ ? "\n" : ",\n") << "{\"traceID\":\"" << spans[0].trace_id << "\",\"spans\":[";
    first_ = false;
    std::map<int, bool> used;
    for (std::size_t i = 0; i < spans.size(); ++i) {
      span(spans[i], i == 0);
      used[spans[i].process] = true;
    }
    out_ << "],\"processes\":{";
    bool first = true;
    for (const auto& [p, _] : used) {
      const auto& proc = processes_[static_cast<std::size_t>(p)];
      out_ << (first ? "" : ",") << "\"p" << p << "\":{\"serviceName\":";
      json_string(out_, proc.service);
      out_ << ",\"tags\":[";
      attribute instance;
      instance.key = "service.instance.id";
      instance.s = proc.instance;
      tag(out_, instance, true);
      out_ << "]}";
      first = false;
    }
    out_ << "},\"warnings\":null}";
  }

  void finish() override { out_ << "\n]}\n"; }

 private:
  void span(const exported_span& s, bool first) {
    const std::int64_t start = s.start / 1000, end = s.end / 1000;  // microseconds, floored
    out_ << (first ? "" : ",") << "{\"traceID\":\"" << s.trace_id << "\",\"spanID\":\"" << s.span_id
         << "\",\"operationName\":";
    json_string(out_, s.name);
    out_ << ",\"references\":[";
    if (!s.parent_id.empty())
      out_ << "{\"refType\":\"CHILD_OF\",\"traceID\":\"" << s.trace_id << "\",\"spanID\":\""
           << s.parent_id << "\"}";
    if (!s.link_id.empty())
      out_ << (s.parent_id.empty() ? "" : ",") << "{\"refType\":\"FOLLOWS_FROM\",\"traceID\":\""
           << s.trace_id << "\",\"spanID\":\"" << s.link_id << "\"}";
    out_ << "],\"flags\":1,\"startTime\":" << start << ",\"duration\":" << end - start
         << ",\"tags\":[";
    attribute kind;
    kind.key = "span.kind";
    kind.s = span_exporter::kind_name(s.kind);
    tag(out_, kind, true);
    if (s.status != span_status::ok) {
      attribute error;
      error.key = "error";
      error.t = attribute::type::boolean;
      error.b = true;
      tag(out_, error, false);
    }
    for (const auto& a : s.attributes) tag(out_, a, false);
    out_ << "],\"logs\":[],\"processID\":\"p" << s.process << "\",\"warnings\":null}";
  }

  std::ostream& out_;
  const std::vector<trace_process>& processes_;
  bool first_ = true;
};

}  // namespace

std::unique_ptr<trace_writer> make_jaeger_writer(std::ostream& out,
                                                 const std::vector<trace_process>& processes) {
  return std::make_unique<jaeger_writer>(out, processes);
}

}  // namespace svcsim
