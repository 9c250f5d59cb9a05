// Whole reports for differential tests: two ways of simulating the same model (a shortcut of
// the simulation on and off) must give the same report, but for what measures the simulation
// itself: `events` (messages handled) and `wall_time_s`.
#pragma once

#include <regex>
#include <string>
#include <vector>

#include "actors/simulate.hpp"
#include "report/json_report.hpp"

namespace svcsim::testing {

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

}  // namespace svcsim::testing
