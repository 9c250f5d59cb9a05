// A fingerprint of this build's engine: a small fixed scenario (calls, a topic, a crash) run in
// both modes, its results encoded (wall time left out) and hashed. A coordinator refuses a
// worker whose canary differs from its own: that worker would compute other numbers, even if it
// claims the same version.
#pragma once

#include <cstdint>

namespace svcsim {

std::uint64_t engine_canary();  // computed once per process (a few milliseconds)

}  // namespace svcsim
