#include "studies/describe_failure.hpp"

#include <cstdio>

namespace svcsim {
std::string seconds_text(nanos t) {
  char buf[48];
  std::snprintf(buf, sizeof buf, "%gs", static_cast<double>(t) / 1e9);
  return buf;
}

std::string failure_kind_text(const failure& f) {
  char kind[48] = "";
  switch (f.kind) {
    case failure_kind::crash:
      return "crash";
    case failure_kind::hang:
      return "hang";
    case failure_kind::slow:
      std::snprintf(kind, sizeof kind, "slow(%g)", f.factor);
      break;
    case failure_kind::errors:
      std::snprintf(kind, sizeof kind, "errors(%g%%)", 100 * f.probability);
      break;
  }
  return kind;
}

std::string failure_window_text(const failure& f) {
  return "from " + seconds_text(f.at) +
         (f.length ? " for " + seconds_text(*f.length) : std::string(" to the end"));
}

std::string describe_failure(const failure& f) {
  return failure_kind_text(f) + " " + failure_window_text(f);
}

}  // namespace svcsim
