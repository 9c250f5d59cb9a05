// Reading a scenario file (format: docs/scenario-format.md, contract:
// shared/spec/scenario-v1.md) into a validated scenario model.
//
// Never throws. On a bad file the result holds one line of text:
//   FILE:LINE:COLUMN: error: WHAT IS WRONG; WHAT TO WRITE INSTEAD
// with LINE and COLUMN 1-based, pointing at the offending key or value; for a file that cannot
// be read at all: `FILE: error: cannot read the scenario file (REASON)`, and for one larger than
// 8 MiB: `FILE: error: the scenario file is larger than 8 MiB, ...`. Control characters in
// the message are escaped (`\n`), and words longer than 100 bytes are shortened with `...`.
#pragma once

#include <optional>
#include <string>
#include <vector>

#include "scenarios/load/overrides.hpp"
#include "scenarios/load/read_file.hpp"
#include "scenarios/scenario.hpp"

namespace svcsim {

struct load_result {
  std::optional<scenario> value;  // set when the file is valid
  std::string error;              // set (one line, no newline) when it is not
};

// Reads and checks the file at `path`; messages name the path as given. `settings` (--set)
// are applied over the file first (overrides.hpp); errors and warnings about a value one of
// them gave start "--set KEY=VALUE: " instead of the file's position. The file and its data
// files are read through `reader` (empty: from disk).
load_result load_scenario(const std::string& path, const std::vector<setting>& settings = {},
                          const file_reader& reader = {});

// Checks scenario text; messages name `file_for_messages`, which is also stored as
// scenario::file.
load_result parse_scenario(const std::string& yaml_text, const std::string& file_for_messages,
                           const std::vector<setting>& settings = {},
                           const file_reader& reader = {});

}  // namespace svcsim
