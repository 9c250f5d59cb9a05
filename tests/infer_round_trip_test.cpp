// The round trip as the test of truth for svcsim infer: simulate a shipped scenario with every
// request traced, turn its spans into observed traces as svcsim's export will write them (the
// attributes of docs/traces-infer.md: a root CLIENT span with svcsim.workload and the sampler
// tags, a child `queue` span with svcsim.wait for a job's wait for a worker, svcsim.notify on a
// subscriber's SERVER span of a sync notify), infer a scenario, simulate it, and compare: the
// same call graph, per-endpoint mean work within 5%, end-to-end mean and p99 latency within 5%
// and 10%. Sync mode only until the branch's broker records PRODUCER and stay spans.
#include <stdlib.h>

#include <catch2/catch.hpp>
#include <filesystem>
#include <fstream>
#include <functional>
#include <map>
#include <set>

#include "actors/simulate.hpp"
#include "engine/instances.hpp"
#include "infer/infer.hpp"
#include "infer/scenario_writer.hpp"
#include "scenarios/load/loader.hpp"

using namespace svcsim;

namespace {

// What the export writes for one of the engine's spans, in the neutral model.
infer::observed to_observed(const scenario& s, const std::vector<span>& spans, double every) {
  const instance_layout layout(s);
  std::map<std::uint64_t, infer::observed_trace> traces;
  auto handler_name = [&](int service, int h, bool* subscription) {
    const auto& sv = s.services[static_cast<std::size_t>(service)];
    *subscription = h >= static_cast<int>(sv.endpoints.size());
    if (!*subscription) return sv.endpoints[static_cast<std::size_t>(h)].name;
    const int topic = sv.subscriptions[h - sv.endpoints.size()].topic;
    return s.topics[static_cast<std::size_t>(topic)].name;
  };
  for (const auto& sp : spans) {
    auto& t = traces[sp.request];
    t.trace_id = std::to_string(sp.request);
    infer::observed_span o;
    o.trace_id = t.trace_id;
    o.span_id = std::to_string(sp.id);
    o.parent_id = sp.parent ? std::to_string(sp.parent) : "";
    o.start_ns = sp.start;
    o.duration_ns = sp.end - sp.start;
    if (sp.party < 0) {
      o.service = "client";
      o.kind = infer::span_kind::client;
      o.operation = s.workloads[static_cast<std::size_t>(sp.workload)].name;
      o.attributes["svcsim.workload"] = o.operation;
      o.attributes["sampler.type"] = "probabilistic";
      o.attributes["sampler.param"] = std::to_string(1 / every);
      t.spans.push_back(o);
      continue;
    }
    const int service = layout.service_of(sp.party);
    o.service = s.services[static_cast<std::size_t>(service)].name;
    o.instance = layout.name(s, sp.party);
    bool subscription = false;
    if (sp.kind == span_kind::client) {
      o.kind = infer::span_kind::client;
      o.operation =
          "call " + handler_name(layout.service_of(sp.callee_party), sp.handler, &subscription);
    } else {
      o.kind =
          sp.kind == span_kind::consumer ? infer::span_kind::consumer : infer::span_kind::server;
      o.operation = handler_name(service, sp.handler, &subscription);
      if (subscription && sp.kind == span_kind::server) o.attributes["svcsim.notify"] = o.operation;
    }
    t.spans.push_back(o);
    if (sp.queued > 0) {
      infer::observed_span q;
      q.trace_id = t.trace_id;
      q.span_id = o.span_id + "q";
      q.parent_id = o.span_id;
      q.service = o.service;
      q.instance = o.instance;
      q.operation = "queue";
      q.kind = infer::span_kind::internal;
      q.start_ns = sp.start;
      q.duration_ns = sp.queued;
      q.attributes["svcsim.wait"] = "queue";
      t.spans.push_back(q);
    }
  }
  infer::observed out;
  for (auto& [request, t] : traces) out.traces.push_back(std::move(t));
  return out;
}

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

// The scenario `written` as a file in a fresh folder, with its empirical data files.
std::string saved(const infer::written_scenario& written, const std::string& name) {
  char tmpl[] = "/tmp/svcsim-round-trip-XXXXXX";
  const std::string dir = mkdtemp(tmpl);
  for (const auto& f : written.files) {
    std::filesystem::create_directories(std::filesystem::path(dir + "/" + f.path).parent_path());
    std::ofstream(dir + "/" + f.path) << f.text;
  }
  std::ofstream(dir + "/" + name + ".yaml") << written.yaml;
  return dir + "/" + name + ".yaml";
}

void round_trip(const char* name, mode m, bool empirical = false) {
  const auto l = load_scenario(std::string(SVCSIM_SOURCE_DIR "/scenarios/") + name + ".yaml");
  REQUIRE(l.value);
  const scenario& original = *l.value;
  std::vector<span> all;
  simulate_options o;
  o.trace.every = 1;
  o.spans = [&](const std::vector<span>& batch) {
    all.insert(all.end(), batch.begin(), batch.end());
  };
  const run_result before = simulate(original, m, o);
  auto observed = to_observed(original, all, 1);
  infer::diagnostics d;
  const auto in = infer::infer_scenario(observed, {}, d);
  INFO(d.text());
  infer::writer_options w;
  w.name = std::string(name) + "-inferred";
  w.empirical = empirical;
  w.data_prefix = "inferred-work/";
  const auto written = infer::write_scenario(in, w);
  INFO(written.yaml);
  CHECK(written.files.size() == (empirical ? in.handlers.size() : 0));
  const std::string file = saved(written, "inferred");
  const auto back = load_scenario(file);  // the data files read, the folder can go
  std::filesystem::remove_all(std::filesystem::path(file).parent_path());
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

TEST_CASE("infer round trip: user-signup, sync", "[infer]") {
  round_trip("user-signup", mode::sync);
}

TEST_CASE("infer round trip: user-signup, sync, empirical works", "[infer]") {
  round_trip("user-signup", mode::sync, true);
}

TEST_CASE("infer round trip: order-checkout, sync", "[infer]") {
  round_trip("order-checkout", mode::sync);
}
