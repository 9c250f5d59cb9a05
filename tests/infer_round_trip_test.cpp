// The round trip as the test of truth for svcsim infer: simulate a shipped scenario with every
// request traced, write its spans as `run --traces` does (Jaeger or OTLP JSON, src/traces),
// infer a scenario from that text, simulate it, and compare: the same call graph (calls,
// notifies and publishes per handler), per-handler mean work within 5%, end-to-end mean and p99
// latency at the original load within 5% and 10%. tests/traces/round_trip.py does the same
// through the command line.

#include <catch2/catch.hpp>
#include <filesystem>
#include <fstream>
#include <functional>
#include <map>
#include <set>
#include <sstream>

#include "actors/simulate.hpp"
#include "infer/infer.hpp"
#include "infer/read_traces.hpp"
#include "infer/scenario_writer.hpp"
#include "scenarios/load/loader.hpp"
#include "temp_folder.hpp"
#include "traces/exported_span.hpp"
#include "traces/trace_writer.hpp"

using namespace svcsim;

namespace {

// "users.create -> email (on user.created)" edges of a scenario: calls and notifies.
std::set<std::string> edges_of(const scenario& s) {
  std::set<std::string> out;
  std::function<void(const std::string&, const std::vector<step>&)> walk =
      [&](const std::string& from, const std::vector<step>& steps) {
        for (const auto& st : steps) {
          if (st.kind == step_kind::call)
            out.insert(from + " -> " + s.handler_label(st.service, st.endpoint));
          if (st.kind == step_kind::notify || st.kind == step_kind::publish)
            out.insert(from + " -> " + s.topics[static_cast<std::size_t>(st.topic)].name);
          walk(from, st.branches);
        }
      };
  for (std::size_t i = 0; i < s.services.size(); ++i) {
    const auto& sv = s.services[i];
    for (std::size_t h = 0; h < sv.endpoints.size(); ++h)
      walk(s.handler_label(static_cast<int>(i), static_cast<int>(h)), sv.endpoints[h].steps);
    for (std::size_t h = 0; h < sv.subscriptions.size(); ++h)
      walk(s.handler_label(static_cast<int>(i), static_cast<int>(sv.endpoints.size() + h)),
           sv.subscriptions[h].on_message.steps);
  }
  return out;
}

// Mean work per handler label: the sum of its work steps' means (parallel work not summed).
std::map<std::string, double> work_of(const scenario& s) {
  std::map<std::string, double> out;
  for (std::size_t i = 0; i < s.services.size(); ++i) {
    const auto& sv = s.services[i];
    auto sum = [](const std::vector<step>& steps) {
      double m = 0;
      for (const auto& st : steps)
        if (st.kind == step_kind::work) m += st.work.mean();
      return m;
    };
    for (std::size_t h = 0; h < sv.endpoints.size(); ++h)
      out[s.handler_label(static_cast<int>(i), static_cast<int>(h))] = sum(sv.endpoints[h].steps);
    for (std::size_t h = 0; h < sv.subscriptions.size(); ++h)
      out[s.handler_label(static_cast<int>(i), static_cast<int>(sv.endpoints.size() + h))] =
          sum(sv.subscriptions[h].on_message.steps);
  }
  return out;
}

// The scenario `written` as a file in `folder`, with its empirical data files; returns its path.
std::string saved(const infer::written_scenario& written, const testing::temp_folder& folder,
                  const std::string& name) {
  const std::string& dir = folder.path();
  for (const auto& f : written.files) {
    std::filesystem::create_directories(std::filesystem::path(dir + "/" + f.path).parent_path());
    std::ofstream(dir + "/" + f.path) << f.text;
  }
  std::ofstream(dir + "/" + name + ".yaml") << written.yaml;
  return dir + "/" + name + ".yaml";
}

void round_trip(const char* name, mode m, const char* format, bool empirical = false) {
  const auto l = load_scenario(std::string(SVCSIM_SOURCE_DIR "/scenarios/") + name + ".yaml");
  REQUIRE(l.value);
  const scenario& original = *l.value;
  simulate_options o;
  o.trace.every = 1;
  const span_exporter exporter(original, o.trace);
  std::ostringstream text;
  const auto writer = find_trace_format(format)->make(text, exporter.processes());
  std::vector<exported_span> converted;
  o.spans = [&](const std::vector<span>& batch) {
    converted.clear();
    exporter.convert(batch, converted);
    writer->request(converted);
  };
  const run_result before = simulate(original, m, o);
  writer->finish();
  infer::diagnostics d;
  infer::observed observed;
  REQUIRE(infer::read_trace_text(text.str(), "traces.json", observed, d) == "");
  const auto in = infer::infer_scenario(observed, {}, d);
  INFO(d.text());
  infer::writer_options w;
  w.name = std::string(name) + "-inferred";
  w.empirical = empirical;
  w.data_prefix = "inferred-work/";
  const auto written = infer::write_scenario(in, w);
  INFO(written.yaml);
  CHECK(written.files.size() == (empirical ? in.handlers.size() : 0));
  const testing::temp_folder folder("svcsim-round-trip");
  const auto back = load_scenario(saved(written, folder, "inferred"));
  REQUIRE(back.error == "");
  const scenario& inferred = *back.value;
  CHECK(edges_of(inferred) == edges_of(original));
  const auto work_before = work_of(original), work_after = work_of(inferred);
  for (const auto& [label, mean] : work_before) {
    INFO(label);
    REQUIRE(work_after.count(label));
    CHECK(work_after.at(label) == Approx(mean).epsilon(0.05));
  }
  const run_result after = simulate(inferred, m);
  REQUIRE(after.workloads.size() == before.workloads.size());
  for (std::size_t i = 0; i < before.workloads.size(); ++i) {
    const auto& a = before.workloads[i].latency_ms;
    const auto& b = after.workloads[i].latency_ms;
    INFO(before.workloads[i].name << ": mean " << a.mean << " -> " << b.mean << ", p99 " << a.p99
                                  << " -> " << b.p99);
    CHECK(b.mean == Approx(a.mean).epsilon(0.05));
    CHECK(b.p99 == Approx(a.p99).epsilon(0.10));
  }
}

}  // namespace

TEST_CASE("infer round trip: user-signup, sync, from Jaeger JSON", "[infer]") {
  round_trip("user-signup", mode::sync, "jaeger");
}

TEST_CASE("infer round trip: user-signup, async, from OTLP JSON", "[infer][repeats]") {
  round_trip("user-signup", mode::async, "otlp");
}

TEST_CASE("infer round trip: user-signup, sync, empirical works", "[infer][repeats]") {
  round_trip("user-signup", mode::sync, "otlp", true);
}

TEST_CASE("infer round trip: order-checkout, sync, from OTLP JSON", "[infer][repeats]") {
  round_trip("order-checkout", mode::sync, "otlp");
}

TEST_CASE("infer round trip: order-checkout, async, from Jaeger JSON", "[infer][repeats]") {
  round_trip("order-checkout", mode::async, "jaeger");
}
