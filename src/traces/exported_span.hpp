// One span as the trace files show it (docs/traces.md): names, hex ids, times, attributes. The
// writers (trace_writer.hpp) only lay these out, so that every format names things alike.
// - trace id: 32 hex digits, the scenario's seed then the request's number; span id: 16 hex
//   digits of the span's number in the run; a job's queue wait is an INTERNAL child `queue`
//   (attribute svcsim.wait) whose id is its job's with the top bit set.
// - times: simulated nanoseconds from a fixed epoch (unix_epoch_ns: 2020-01-01T00:00:00Z), so
//   that a file is the same on every run of the same scenario and seed.
// - resource: service.name (a service, `broker`, or `client` for a workload's requests) and
//   service.instance.id ("email#2"); names and attributes follow OpenTelemetry's conventions
//   (peer.service, messaging.*), with svcsim.* for the rest.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "engine/instances.hpp"
#include "engine/spans.hpp"
#include "scenarios/scenario.hpp"

namespace svcsim {

struct attribute {
  enum class type { string, integer, real, boolean };
  std::string key;
  type t = type::string;
  std::string s;
  std::int64_t i = 0;
  double d = 0;
  bool b = false;
};

struct exported_span {
  std::string trace_id, span_id;
  std::string parent_id, link_id;  // empty: none
  std::string name;
  span_kind kind = span_kind::internal;
  span_status status = span_status::ok;
  int process = 0;  // index into span_exporter::processes()
  nanos start = 0, end = 0;
  std::vector<attribute> attributes;
};

// Where spans run: the parties of a run, as resources.
struct trace_process {
  std::string service;   // service.name
  std::string instance;  // service.instance.id
};

class span_exporter {
 public:
  static constexpr std::int64_t unix_epoch_ns = 1577836800LL * 1000000000LL;

  // `sampling`: the run's; roots sampled by its `every` say it (sampler.*), so that rates can
  // be inferred from the file; listed requests' roots do not.
  span_exporter(const scenario& s, span_sampling sampling = {});

  // Processes: services' instances in party order, then the broker, then the client.
  const std::vector<trace_process>& processes() const { return processes_; }
  // One request's spans (a span_recorder batch) as exported spans, appended to `out`.
  void convert(const std::vector<span>& batch, std::vector<exported_span>& out) const;
  static const char* status_name(span_status s);
  static const char* kind_name(span_kind k);  // "server", as Jaeger's span.kind tag

 private:
  int process_of(int party) const;
  std::string name_of(const span& s) const;
  int topic_of_handler(const span& s) const;  // a subscription handler's topic

  const scenario& s_;
  const instance_layout layout_;
  const span_sampling sampling_;
  std::vector<trace_process> processes_;
};

}  // namespace svcsim
