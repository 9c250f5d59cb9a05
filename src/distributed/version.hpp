// What a coordinator and a worker must share to trade runs: the same svcsim and the same wire
// format. Checked when a coordinator connects (docs/distributed.md).
#pragma once

namespace svcsim {

// Raised whenever a message of the protocol or the encoding of a result changes.
constexpr int wire_version = 1;

}  // namespace svcsim
