#include "traces/json_out.hpp"

#include <cstdio>
#include <cstdlib>
#include <nlohmann/json.hpp>

namespace svcsim {

void json_string(std::ostream& out, const std::string& s) { out << nlohmann::json(s).dump(); }

void json_number(std::ostream& out, double x) {
  char buf[32];
  std::snprintf(buf, sizeof buf, "%.15g", x);
  if (std::strtod(buf, nullptr) != x) std::snprintf(buf, sizeof buf, "%.17g", x);
  out << buf;
}

void json_micros(std::ostream& out, std::int64_t ns) {
  const bool negative = ns < 0;
  const auto abs = static_cast<unsigned long long>(negative ? -ns : ns);
  char buf[32];
  std::snprintf(buf, sizeof buf, "%s%llu.%03llu", negative ? "-" : "", abs / 1000, abs % 1000);
  out << buf;
}

}  // namespace svcsim
