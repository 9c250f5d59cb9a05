// The runs of one study as the coordinator hands them out: each is waiting, out (on a worker
// or a local thread) or done. Runs taken by a worker that is lost go back to waiting; the first
// result of a run counts and any later one is dropped, so each run is counted exactly once
// whatever fails. Thread-safe: the coordinator's actor and its local threads share it.
#pragma once

#include <condition_variable>
#include <deque>
#include <mutex>
#include <optional>
#include <string>
#include <vector>

#include "engine/results.hpp"
#include "studies/run_executor.hpp"

namespace svcsim {

class job_board {
 public:
  // `here_only[i]`: run i is for this machine's threads only (it records spans here).
  job_board(int runs, runs_done done, std::vector<bool> here_only = {});

  // For a worker: a waiting run that is not here_only, now out; nullopt when none waits.
  std::optional<int> take();
  // A local thread's take(): waits while none waits but some are out (they may come back);
  // nullopt once every run is done, or the board failed.
  std::optional<int> take_or_wait();
  // Run i back to waiting (it was out on a worker that is lost); nothing if it is done.
  void give_back(int i);
  // Run i's result; false (and the result dropped) when it was done already.
  bool finish(int i, run_result r);
  // Ends the study without results: `why` for people. Waiting threads return.
  void fail(const std::string& why);

  bool done(int i) const;
  // Blocks until every run is done or the board failed; then the error ("" when done).
  std::string wait() const;
  // The results in run order (after wait()).
  std::vector<run_result> results();

 private:
  enum class state { waiting, out, done };
  mutable std::mutex lock_;
  mutable std::condition_variable changed_;
  std::vector<state> states_;
  std::vector<bool> here_only_;
  std::deque<int> waiting_;
  std::vector<run_result> results_;
  int done_count_ = 0;
  std::string error_;
  runs_done on_done_;
};

}  // namespace svcsim
