// The report for people: a header naming the load of each workload, one column per run (for
// `compare`, sync then async, then the difference async - sync), grouped by workload, service,
// topic, then what happened around each failure (when the scenario has failures), a coupling
// summary, and (report::legend) the terms it used. When a workload has failed requests, its
// latency and completion rows read "ok latency ms ..." and a row gives the failed share.
#pragma once

#include <string>

#include "engine/results.hpp"

namespace svcsim {

std::string to_text(const report& r);

// The terms the report used, explained ("\nterms\n  latency: ..."): for the workloads, and
// the services, topics, replications and differences when it has them.
std::string legend_text(const report& r);

}  // namespace svcsim
