// The reports of a sweep (studies/sweep.hpp). Text and Markdown show, per mode, one table with
// a row per point (and per workload when there are several): the swept values, latency p50
// and p99, completion p99, availability, the busiest service with its utilization and the
// largest backlog of a topic ("-" when none held a message); then the knees and their summary.
// Numbers are means over the replications. JSON holds every point's runs as the `run` report has
// them
// (`.points[].runs[]`), with `.knees` and `.summary`; CSV is in csv_report.hpp.
#pragma once

#include <string>
#include <vector>

#include "studies/sweep.hpp"

namespace svcsim {

// The cells of the per-mode table: a header row, then one row per point (and workload).
struct sweep_table {
  std::vector<std::string> header;
  std::vector<std::vector<std::string>> rows;
  std::vector<bool> left;  // per column: names and values, aligned left (numbers: right)
};

// The table of `run` (an index into each point's report::runs).
sweep_table sweep_table_of(const sweep_result& r, std::size_t run);

// The knees' criteria in words ("the first point where a workload's p99 latency exceeds 3x
// ..."), and one knee's line: "sync: at 400/s: p99 of signup 1595.9 ms, ...; busiest: users".
std::string knee_criteria(const sweep_result& r);
std::string knee_line(const sweep_result& r, const sweep_knee& k);

// Every point's warnings, each named by its mode and point: "async at 450/s: ...".
std::vector<std::string> sweep_warnings(const sweep_result& r);

std::string sweep_to_text(const sweep_result& r);
std::string sweep_to_markdown(const sweep_result& r);
std::string sweep_to_json(const sweep_result& r);

}  // namespace svcsim
