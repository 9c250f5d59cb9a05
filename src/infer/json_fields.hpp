// Lenient access to the JSON of trace files: a missing field or one of the wrong type reads as
// absent, never throws. Numbers may be written as numbers or decimal strings (OTLP int64).
#pragma once

#include <cstdint>
#include <nlohmann/json.hpp>
#include <string>

namespace svcsim::infer {

using json = nlohmann::json;

// The member `key` of object `o`, or nullptr when `o` is no object or has none.
const json* field(const json& o, const char* key);
// A scalar as text ("" for null, objects and arrays; numbers as written; booleans true/false).
std::string text_of(const json* v);
// A whole number from a number or a decimal string; false when it is neither.
bool whole_of(const json* v, std::int64_t& out);
// Whether microseconds `us` are 0 or more and fit in nanoseconds with room for sums (< 2^62).
inline bool micros_fit(std::int64_t us) { return us >= 0 && us < (std::int64_t{1} << 62) / 1000; }
// Times read are below 2^62 ns (in 2116), so that sums of a few of them cannot overflow.
constexpr std::int64_t latest_ns = std::int64_t{1} << 62;
// The longest span read, the scenario format's limit for a duration: 10 years (87660h).
constexpr std::int64_t longest_ns = 315576000000000000;
// Lowercased copy.
std::string lower(std::string s);
// Whether a tag value means true ("true", "1", true).
bool truthy(const std::string& text);

}  // namespace svcsim::infer
