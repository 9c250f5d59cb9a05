// Worker nodes and this machine's threads as one run_executor: what --workers gives sweep,
// coupling and replicated run/compare (docs/distributed.md). It connects to every worker once
// and greets it; a worker that cannot be reached, refuses the token, runs another svcsim or
// computes other numbers (canary.hpp) is left out, said on the log. Each study is sent to
// every worker once; its runs go to the workers, at most twice a worker's jobs in flight each,
// and to this machine's threads, and come back in spec order.
//
// Faults: a worker whose connection closes, that stays silent (no answer to pings) past
// `stall` while it holds runs, or that answers what cannot be decoded is lost for good; its
// runs go back to the others (or to this machine). A run's first result counts; a late one is
// dropped. When every worker is lost this machine finishes, or without local threads the
// study fails saying so.
#pragma once

#include <cstdint>
#include <memory>
#include <ostream>
#include <string>
#include <vector>

#include "distributed/shipped_files.hpp"
#include "distributed/transport.hpp"
#include "studies/run_executor.hpp"

namespace svcsim {

struct endpoint {
  std::string host;
  std::uint16_t port = 0;
  std::string name() const { return host + ":" + std::to_string(port); }
};

// --workers' "HOST:PORT,HOST:PORT,..." ([::1]:7000 for an IPv6 address); empty with `*error`
// set when one is not HOST:PORT ("'h' is not HOST:PORT; write e.g. ...").
std::vector<endpoint> parse_workers(const std::string& text, std::string* error);

struct pool_options {
  std::vector<endpoint> workers;
  std::string token;  // shown to every worker
  tls_options tls;
  // --jobs: this machine's threads, and the share of simulate_options::max_in_flight each run
  // gets wherever it runs, as thread_executor(jobs) would give it, so that the same runs fail.
  int jobs = 1;
  bool here = true;             // false (--no-local): this machine runs nothing
  double stall_s = 30;          // a worker silent this long while it holds runs is lost
  double connect_s = 10;        // for each worker to connect and answer the greeting
  std::ostream* log = nullptr;  // what happens to workers, for people; none: silent
};

struct pool_state;  // worker_pool.cpp

class worker_pool final : public run_executor {
 public:
  // Connects and greets every worker (at once, each within connect_s).
  worker_pool(const pool_options& o, file_map files);
  ~worker_pool() override;

  std::vector<run_result> run_all(const study& st, const std::vector<run_spec>& specs,
                                  const runs_done& done) const override;

  int usable() const;  // workers greeted and not lost
  // Runs each did so far: "here 12, 10.0.0.2:7000 14, 10.0.0.3:7000 2 (lost)".
  std::string tally() const;

 private:
  std::unique_ptr<pool_state> state_;
};

}  // namespace svcsim
