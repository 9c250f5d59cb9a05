// Empirical distributions: `empirical(FILE)` names a data file of observed durations, one a
// line, each drawn with equal probability. The file is read relative to the scenario file's
// folder and at most once per scenario, however many steps name it.
#pragma once

#include <map>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "scenarios/distribution.hpp"
#include "scenarios/load/read_file.hpp"

namespace svcsim {

template <class T>
struct parsed;

// Where empirical data files are found (the scenario file's folder; "" for here), and those
// already read, so that a file named by many steps is read once.
struct data_files {
  std::string folder;
  std::map<std::string, std::shared_ptr<const std::vector<double>>> read;
  file_reader reader;  // empty: read_file()
};

// `d` made empirical with the values of the file `path_text` names (as written between the
// parentheses), or an error "WHAT IS WRONG; WHAT TO WRITE INSTEAD".
parsed<distribution> read_empirical(std::string_view path_text, data_files* files, distribution d);

}  // namespace svcsim
