// A bounded first pass over the YAML text, run before YAML::LoadAll (see parse_guard.cpp for why).
#pragma once

#include <string>

namespace svcsim::detail {

// Runs yaml-cpp's event parser over `yaml_text` with a budget, and throws scenario_error at the
// place where the parser stops advancing (a ',' or similar that starts no value, which makes
// yaml-cpp 0.7's LoadAll push null documents forever) or where the budget runs out. Parser
// errors (YAML::Exception) pass through unchanged, as LoadAll would throw them. When it
// returns, LoadAll on the same text ends.
void check_parser_advances(const std::string& yaml_text);

}  // namespace svcsim::detail
