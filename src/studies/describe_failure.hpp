// How a scenario's failure reads for people, as the scenario file writes it: its kind
// ("crash", "hang", "slow(5)", "errors(10%)") and its window ("from 20s for 10s", "from 20s to
// the end"). Every report and study that names a failure says it with these.
#pragma once

#include <string>

#include "scenarios/scenario.hpp"

namespace svcsim {

std::string seconds_text(nanos t);  // "20s", "0.5s": a time as a scenario file may write it

std::string failure_kind_text(const failure& f);    // "slow(5)"
std::string failure_window_text(const failure& f);  // "from 20s for 10s"
std::string describe_failure(const failure& f);     // "slow(5) from 20s for 10s"

}  // namespace svcsim
