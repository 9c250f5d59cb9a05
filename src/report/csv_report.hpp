// The CSV report: one tidy long table, one row per number, under the header
//   run,mode,replication,entity_kind,entity,metric,value,ci_lo,ci_hi
// For `run` and `compare`, `run` is the scenario's name and the rows walk metric_rows() per
// mode. Without replications: one row per metric, replication, ci_lo and ci_hi empty. With
// N replications: per metric, first the mean over the replications that measured it with its
// 95% interval (replication empty), then one row per replication (0 to N-1, ci empty): runs x
// metrics x (N + 1) rows. For `coupling`, `run` is "nothing crashed" or "NAME crashed", the
// entity each workload, the metrics a blast-radius cell's (as in the JSON report).
// For `sweep`, the rows of each point's runs as for `run`, each after one column per swept
// key (named by the key, holding the point's value), so that a data frame can pivot on them.
// Quoting is RFC 4180's; numbers are written exactly (the shortest text that reads back to the
// same double); a value not measured (NaN, none) is an empty cell. Lines end with "\n".
#pragma once

#include <string>

#include "engine/results.hpp"
#include "studies/blast_radius.hpp"
#include "studies/sweep.hpp"

namespace svcsim {

std::string to_csv(const report& r);
std::string coupling_to_csv(const scenario& s, const blast_radius& b);
std::string sweep_to_csv(const sweep_result& r);

// A field as RFC 4180 writes it: quoted when it holds a comma, a quote or a line break.
std::string csv_field(const std::string& text);

// x exactly, in the shortest form; "" for NaN.
std::string csv_number(double x);

}  // namespace svcsim
