// Small text helpers shared by the reports for people.
#pragma once

#include <string>
#include <vector>

namespace svcsim {

// "a, b, c", or "-" when empty.
inline std::string join(const std::vector<std::string>& xs) {
  std::string out;
  for (const auto& x : xs) out += (out.empty() ? "" : ", ") + x;
  return out.empty() ? "-" : out;
}

}  // namespace svcsim
