// Every number the metrics table (metrics.hpp) gives of a run, flattened in report order: one
// row per entity and number. A percentile group gives one row per part ("latency_ms.p99"), a
// topic's subscriptions come right after it as entities of kind "subscription" named
// "topic/service", a service's instances as entities of kind "instance" ("email#2"); names
// are left out. The CSV and Markdown
// reports walk these rows, so they show exactly the metrics of the table, in its order, and never
// list them again.
#pragma once

#include <functional>
#include <string>
#include <vector>

#include "engine/results.hpp"
#include "report/metrics.hpp"

namespace svcsim {

struct metric_row {
  std::string kind;      // "workload", "service", "broker", "topic", "subscription", "instance"
  std::string entity;    // its name; a subscription's is "topic/service"
  std::string key;       // the JSON key, a percentile's joined by a dot: "latency_ms.p99"
  std::string label;     // the text's: "latency ms p99"
  metric_format format;  // of the metric (a percentile part's is `percentiles`)
  metric_shown shown;
  std::function<double(const run_result&)> get;  // NaN: nothing measured
  bool csv_only = false;  // `when_split`, of an entity that is not: in CSV, not in tables
};

// The rows of the report's runs: entities are found by position, as every run of a report has
// the same workloads, services, brokers, topics and subscriptions (`first` gives the names).
std::vector<metric_row> metric_rows(const run_result& first);

// A row's value in every replication of a run (the run alone without replications).
std::vector<double> values_of(const metric_row& row, const report& r, std::size_t run);

}  // namespace svcsim
