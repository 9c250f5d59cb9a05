// svcsim worker: a node that runs studies' runs for coordinators (docs/distributed.md). It
// publishes one actor with CAF's middleman; a coordinator greets it with the worker's token and
// svcsim's version, sends each study once (its scenario files with it: the worker reads no file
// of its own), then runs, answered with their encoded results. Runs go to `jobs` threads of
// their own, so the actor always answers pings. A coordinator that goes away takes its studies
// and waiting runs with it.
#pragma once

#include <atomic>
#include <cstdint>
#include <functional>
#include <ostream>
#include <string>

#include "distributed/transport.hpp"

namespace svcsim {

struct worker_options {
  std::uint16_t port = 0;          // 0: any free port (the log says which)
  std::string bind = "127.0.0.1";  // loopback unless told otherwise
  int jobs = 1;                    // runs at once, one thread each
  std::string token;               // what every hello, study and job must carry
  tls_options tls;
  std::string version = SVCSIM_VERSION;  // claimed in welcome (tests claim another)
  // Called once listening, with the port (tests learn a free port this way).
  std::function<void(std::uint16_t)> listening;
};

// Why `o` cannot serve (it listens beyond loopback without a token; bad TLS files), or "".
std::string refusal(const worker_options& o);

// Serves until `stop` is set (looked at every 50 ms): then runs under way are cancelled, runs
// waiting are dropped (their coordinators see the worker go and run them elsewhere), and it
// returns 0. Returns 2 at once, said on `log`, when it cannot listen (port taken, bad address)
// or refusal() says why not. Logs one line per coordinator that connects or is refused (never the
// token).
int serve(const worker_options& o, const std::atomic<bool>& stop, std::ostream& log);

}  // namespace svcsim
