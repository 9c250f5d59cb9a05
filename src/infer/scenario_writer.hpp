// Writing an inferred scenario as a scenario file (docs/scenario-format.md), with YAML comments
// that say where each value came from and which values the traces cannot know (workers,
// instances, queues: lower bounds or the format's defaults, to be set by hand).
// Names become valid scenario names (letters, digits, '_', '-'; topics also '.'), made unique;
// the traces' own names stay in comments.
#pragma once

#include <string>
#include <vector>

#include "infer/inferred.hpp"

namespace svcsim::infer {

struct writer_options {
  std::string name = "inferred";     // the scenario's name (made valid)
  bool empirical = false;            // work as empirical(FILE) of the self times, not a fit
  std::string data_prefix;           // empirical files' path, relative to the scenario's folder
  std::vector<std::string> sources;  // the files read, for the header comment
  std::string problems;              // one line: what the problems report counted, or ""
};

struct data_file {
  std::string path;  // data_prefix + file name
  std::string text;
};

struct written_scenario {
  std::string yaml;
  std::vector<data_file> files;  // empirical data, when options.empirical
};

written_scenario write_scenario(const inferred& in, const writer_options& options);

// A valid scenario name from any text: lowercase letters, digits, '_', '-'; "inferred" if empty.
std::string scenario_name(const std::string& text);

}  // namespace svcsim::infer
