// JSON laid out for people and diffs: like nlohmann's dump(2), but an array of numbers (and
// nulls) stays on one line, so a timeline's series and a `_ci95` pair read as rows.
#pragma once

#include <nlohmann/json.hpp>
#include <string>

namespace svcsim {

std::string print_json(const nlohmann::ordered_json& j);

}  // namespace svcsim
