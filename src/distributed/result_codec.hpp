// The wire format of a run_result: how a worker sends its runs to the coordinator, as an opaque
// byte string in a CAF message. Reports built from decoded results are byte-identical to those
// built from the originals.
// - Not CAF's serializer: in CAF 0.17.6 it packs doubles with detail::pack754, which loops on
//   infinity, is undefined on NaN, drops the sign of -0 and loses subnormals. Results hold NaN
//   and infinities, so every double travels as its exact 64-bit pattern.
// - Layout: the magic "SVR1", then every field in declaration order (bases first), little-endian
//   whatever the host: integers at their width, doubles as bits, bools and enums in one byte,
//   strings and vectors as a u64 length and their contents, an optional as a flag byte and its
//   value. One description per struct (fields() in result_codec.cpp) serves both directions.
// - decode() trusts nothing: a length is refused unless the bytes left could hold that many
//   elements, nesting is bounded, enums and bools are range-checked, trailing bytes are an
//   error. So garbage gives false and a message, never a crash, a hang or a large allocation.
// A new field of results.hpp (or of what it contains) must be added to its fields() here; the
// static_asserts on sizes there catch most forgotten ones, result_codec_test's report comparison
// only those the reports print. A change of layout raises the magic and wire_version.
#pragma once

#include <string>
#include <string_view>

#include "engine/results.hpp"

namespace svcsim {

std::string encode(const run_result& r);

// Sets `out` only on success; else returns false and says why in *error (when not null), e.g.
// "truncated at byte 123 in services[2].name".
bool decode(std::string_view bytes, run_result& out, std::string* error);

}  // namespace svcsim
