// Tracing observes and must not disturb: with every request traced, every shipped scenario
// gives in both modes the same report as untraced, but for `events` and `wall_time_s`; and
// every span it hands over has ended, within its request, parents before children; and every
// trace format writes them all as JSON.
#include <catch2/catch.hpp>
#include <map>
#include <nlohmann/json.hpp>
#include <sstream>

#include "report_diff.hpp"
#include "scenarios/load/loader.hpp"
#include "support.hpp"
#include "traces/trace_writer.hpp"

using namespace svcsim;
using namespace svcsim::testing;

TEST_CASE("traces: tracing every request changes no report of a shipped scenario", "[repeats]") {
  // and partitions keyed by request, whose hash must not see that a request is traced
  auto cases = shipped_scenarios();
  cases.push_back("key: request");
  for (const auto& f : cases) {
    const auto l =
        f == "key: request"
            ? load_scenario(SVCSIM_SOURCE_DIR "/scenarios/partitions.yaml",
                            {{"services.checkout.endpoints.pay-keyed.steps.0.key", "request"}})
            : load_scenario(f);
    REQUIRE(l.value);
    for (mode m : {mode::sync, mode::async}) {
      CAPTURE(f, m == mode::sync ? "sync" : "async");
      std::vector<span> spans;
      simulate_options traced;
      traced.trace.every = 1;
      traced.spans = [&](const std::vector<span>& batch) {
        spans.insert(spans.end(), batch.begin(), batch.end());
      };
      CHECK(report_without_costs(*l.value, traced, {m}) == report_without_costs(*l.value, {}, {m}));
      CHECK(!spans.empty());
      std::map<std::uint64_t, const span*> by_id;
      int bad = 0;
      for (const auto& sp : spans) bad += !by_id.emplace(sp.id, &sp).second;  // each once
      for (const auto& [id, sp] : by_id) {
        const auto parent = by_id.find(sp->parent);
        const bool parent_ok = sp->parent == 0 || (sp->parent < id && parent != by_id.end() &&
                                                   parent->second->request == sp->request);
        bad += sp->end < sp->start || !parent_ok;
      }
      CHECK(bad == 0);
      // Every format writes them (the first requests') as JSON, each span once (and each queue
      // wait as one more).
      span_exporter exporter(*l.value, traced.trace);
      std::vector<std::vector<exported_span>> requests;
      std::map<std::uint64_t, std::vector<span>> by_request;
      for (const auto& sp : spans) by_request[sp.request].push_back(sp);
      std::size_t exported = 0;
      for (const auto& [r, batch] : by_request) {
        if (requests.size() == 300) break;  // enough to meet every kind of span, and quick
        requests.emplace_back();
        exporter.convert(batch, requests.back());
        exported += requests.back().size();
      }
      for (const auto& format : trace_formats()) {
        CAPTURE(format.name);
        std::ostringstream out;
        auto writer = format.make(out, exporter.processes());
        for (const auto& r : requests) writer->request(r);
        writer->finish();
        const auto doc = nlohmann::json::parse(out.str(), nullptr, false);
        REQUIRE(!doc.is_discarded());
        std::size_t written = 0;
        if (std::string(format.name) == "otlp")
          for (const auto& rs : doc["resourceSpans"])
            written += rs["scopeSpans"][0]["spans"].size();
        if (std::string(format.name) == "jaeger")
          for (const auto& t : doc["data"]) written += t["spans"].size();
        if (std::string(format.name) == "chrome")
          for (const auto& e : doc["traceEvents"]) written += e["ph"] == "X";
        CHECK(written == exported);
      }
    }
  }
}
