// A coupling study's crash: its window, centred in the arrival window, and the scenario with a
// service (or the broker) crashed during it.
#pragma once

#include <optional>
#include <string>

#include "scenarios/scenario.hpp"

namespace svcsim {

// When the crash is: [from, to), centred in the arrival window [0, end of arrivals).
struct crash_window {
  nanos from = 0, to = 0;
  nanos arrivals_end = 0;
  bool by_default = false;  // the middle tenth of the arrival window
  std::string error;        // why there is none (then the rest is unset)
};

// `length` centred in the arrival window, or without it the middle tenth (45% to 55%). An
// error when the length exceeds the arrival window, or when that is empty.
crash_window choose_window(const scenario& s, std::optional<nanos> length);

// The scenario with `service` crashed during the window, its other failures kept. A failure of
// its own that overlaps the window is left out, and described in `*replaced` ("" if none).
scenario with_crash(const scenario& s, int service, const crash_window& w, std::string* replaced);

}  // namespace svcsim
