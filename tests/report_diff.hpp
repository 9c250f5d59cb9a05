// Whole reports for differential tests: two ways of simulating the same model (a shortcut of
// the simulation on and off) must give the same report, but for what measures the simulation
// itself: `events` (messages handled) and `wall_time_s`.
#pragma once

#include <catch2/catch.hpp>
#include <regex>
#include <string>
#include <vector>

#include "actors/simulate.hpp"
#include "report/json_report.hpp"
#include "scenarios/load/loader.hpp"
#include "support.hpp"

namespace svcsim::testing {

// Makes the runs under `o` trace every `every`-th request and append each span to `out` (which
// must outlive them), a line each: its id, parent, kind, party, start, end and status.
inline void collect_spans(simulate_options& o, std::uint64_t every, std::string& out) {
  o.trace.every = every;
  o.spans = [&out](const std::vector<span>& batch) {
    for (const auto& sp : batch)
      out += std::to_string(sp.id) + " " + std::to_string(sp.parent) + " " +
             std::to_string(static_cast<int>(sp.kind)) + " " + std::to_string(sp.party) + " " +
             std::to_string(sp.start) + " " + std::to_string(sp.end) + " " +
             std::to_string(static_cast<int>(sp.status)) + "\n";
  };
}

// The JSON report of `s` in `modes` (both by default) under `o`, without `events` and
// `wall_time_s`.
inline std::string report_without_costs(const scenario& s, const simulate_options& o,
                                        const std::vector<mode>& modes = {mode::sync,
                                                                          mode::async}) {
  report r;
  r.scenario = s.name;
  for (mode m : modes) r.runs.push_back(simulate(s, m, o));
  return std::regex_replace(to_json(r), std::regex(R"re(\n *"(events|wall_time_s)": [^\n]*)re"),
                            "");
}

// Calls `check(s)` with each scenario of scenarios/, loaded (at least five; a failure names the
// file).
template <class Check>
void for_each_shipped_scenario(Check check) {
  const auto files = shipped_scenarios();
  REQUIRE(files.size() >= 5);
  for (const auto& f : files) {
    CAPTURE(f);
    const auto loaded = load_scenario(f);
    REQUIRE(loaded.value);
    check(*loaded.value);
  }
}

}  // namespace svcsim::testing
