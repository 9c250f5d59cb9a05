// The Markdown report (GitHub-flavoured), for a pull request or a wiki: the text report's
// tables, one per entity (metric rows, a column per mode, for `compare` the difference
// async - sync), built by the same table class from metric_rows(); warnings as a list; the
// text report's section around failures as a fenced text block; who knows whom as a table.
// For `coupling`, the blast-radius matrix as one table (a row per crashed party and
// workload), the static view per mode and the ranking. Wall-clock times are left out, so the
// same run gives the same bytes.
#pragma once

#include <string>

#include "engine/results.hpp"
#include "studies/blast_radius.hpp"

namespace svcsim {

std::string to_markdown(const report& r);
std::string coupling_to_markdown(const scenario& s, const blast_radius& b);

}  // namespace svcsim
