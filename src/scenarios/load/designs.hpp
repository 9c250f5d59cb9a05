// Choosing a design on the command line (`--design`, docs/scenario-format.md, "Hybrid
// designs"): a mode, a mode with some topics pinned to the other, or a design of the file.
#pragma once

#include <optional>
#include <string>

#include "scenarios/scenario.hpp"

namespace svcsim {

// The design `text` names in `s`: `sync` or `async` (that run mode; the file's pins apply),
// `MODE:T1,T2,...` (the other mode, with the topics T1, T2, ... pinned to MODE over the file's
// pins), or the name of a design under the file's `designs:`. Its name is `text`. When it names
// none: nullopt, and *error is one line, "--design 'TEXT': WHAT IS WRONG; WHAT TO WRITE".
std::optional<design> parse_design(const scenario& s, const std::string& text, std::string* error);

}  // namespace svcsim
