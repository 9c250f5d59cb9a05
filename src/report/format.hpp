// Small text helpers shared by the reports for people.
#pragma once

#include <cmath>
#include <cstdio>
#include <optional>
#include <string>
#include <vector>

namespace svcsim {

// "a, b, c" (or with another separator), or `none` when empty.
inline std::string join(const std::vector<std::string>& xs, const std::string& separator = ", ",
                        const std::string& none = "-") {
  std::string out;
  for (const auto& x : xs) out += (out.empty() ? "" : separator) + x;
  return out.empty() ? none : out;
}

// x formatted by one printf conversion.
inline std::string fmt(const char* format, double x) {
  char buf[64];
  std::snprintf(buf, sizeof buf, format, x);
  return buf;
}

// Milliseconds with 3 significant decimals or so; a share as a percentage.
inline std::string ms(double x) {
  const double a = std::fabs(x);
  return fmt(a < 1 ? "%.3f" : a < 100 ? "%.2f" : "%.1f", x);
}
inline std::string pct(double x) { return fmt("%.2f%%", 100 * x); }

// A value of a study, with " ± half-width" when it has one; "-" when there is none.
inline std::string value_cell(const std::optional<double>& x, const std::optional<double>& hw,
                              std::string (*show)(double)) {
  if (!x) return "-";
  return hw ? show(*x) + " ± " + show(*hw) : show(*x);
}

// Padded on the right (pad) or the left (lpad) to `w` characters, with at least one space
// between columns when too long. lpad counts characters, not bytes ("±" is two in UTF-8).
inline std::string pad(const std::string& s, int w) {
  return s.size() >= static_cast<std::size_t>(w) ? s + " " : s + std::string(w - s.size(), ' ');
}
inline std::string lpad(const std::string& s, int w) {
  std::size_t shown = 0;
  for (unsigned char c : s) shown += (c & 0xC0) != 0x80;
  return shown >= static_cast<std::size_t>(w) ? " " + s : std::string(w - shown, ' ') + s;
}

}  // namespace svcsim
