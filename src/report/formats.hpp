// The report formats: one row per format, with what writes a `run` or `compare` report, what
// writes a `coupling` report and what writes a `sweep` report in it. The command line takes
// `--format`'s choices and their help from this table, so a new format is its writers' file and one
// row in formats.cpp.
#pragma once

#include <string>
#include <vector>

#include "engine/results.hpp"
#include "studies/blast_radius.hpp"
#include "studies/sweep.hpp"

namespace svcsim {

struct report_format {
  const char* name;  // --format NAME
  std::string (*run_report)(const report& r);
  std::string (*coupling_report)(const scenario& s, const blast_radius& b);
  bool shows_warnings;  // the report says the runs' warnings itself (else they go to stderr)
  std::string (*sweep_report)(const sweep_result& r);
};

// The first is the default.
extern const std::vector<report_format> report_formats;

// The row named `name`; nullptr when there is none.
const report_format* find_format(const std::string& name);

}  // namespace svcsim
