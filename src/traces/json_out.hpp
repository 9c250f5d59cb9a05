// Small pieces of JSON text for the trace writers.
#pragma once

#include <cstdint>
#include <ostream>
#include <string>

namespace svcsim {

// `s` as a JSON string literal, quoted and escaped.
void json_string(std::ostream& out, const std::string& s);
// A number that reads back as the same double.
void json_number(std::ostream& out, double x);
// Nanoseconds as microseconds with three decimals ("12.345"), exactly.
void json_micros(std::ostream& out, std::int64_t ns);

}  // namespace svcsim
