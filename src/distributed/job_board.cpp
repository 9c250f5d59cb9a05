#include "distributed/job_board.hpp"

#include <utility>

namespace svcsim {

job_board::job_board(int runs, runs_done done, std::vector<bool> here_only)
    : states_(static_cast<std::size_t>(runs), state::waiting),
      here_only_(std::move(here_only)),
      results_(static_cast<std::size_t>(runs)),
      on_done_(std::move(done)) {
  here_only_.resize(states_.size());
  for (int i = 0; i < runs; ++i) waiting_.push_back(i);
}

std::optional<int> job_board::take() {
  std::lock_guard<std::mutex> lock(lock_);
  if (!error_.empty()) return std::nullopt;
  for (auto it = waiting_.begin(); it != waiting_.end(); ++it)
    if (!here_only_[static_cast<std::size_t>(*it)]) {
      const int i = *it;
      waiting_.erase(it);
      states_[static_cast<std::size_t>(i)] = state::out;
      return i;
    }
  return std::nullopt;
}

std::optional<int> job_board::take_or_wait() {
  std::unique_lock<std::mutex> lock(lock_);
  changed_.wait(lock, [&] {
    return !waiting_.empty() || !error_.empty() || done_count_ == static_cast<int>(states_.size());
  });
  if (waiting_.empty() || !error_.empty()) return std::nullopt;
  const int i = waiting_.front();
  waiting_.pop_front();
  states_[static_cast<std::size_t>(i)] = state::out;
  return i;
}

void job_board::give_back(int i) {
  std::lock_guard<std::mutex> lock(lock_);
  auto& s = states_[static_cast<std::size_t>(i)];
  if (s != state::out) return;
  s = state::waiting;
  waiting_.push_front(i);  // before later runs: the results keep coming in about run order
  changed_.notify_all();
}

bool job_board::finish(int i, run_result r) {
  std::lock_guard<std::mutex> lock(lock_);
  auto& s = states_[static_cast<std::size_t>(i)];
  if (s == state::done) return false;
  if (s == state::waiting)  // given back, then answered after all: no need to run it again
    for (auto it = waiting_.begin(); it != waiting_.end(); ++it)
      if (*it == i) {
        waiting_.erase(it);
        break;
      }
  s = state::done;
  results_[static_cast<std::size_t>(i)] = std::move(r);
  ++done_count_;
  if (on_done_) on_done_(done_count_, static_cast<int>(states_.size()));
  changed_.notify_all();
  return true;
}

void job_board::fail(const std::string& why) {
  std::lock_guard<std::mutex> lock(lock_);
  if (error_.empty()) error_ = why;
  changed_.notify_all();
}

bool job_board::done(int i) const {
  std::lock_guard<std::mutex> lock(lock_);
  return states_[static_cast<std::size_t>(i)] == state::done;
}

std::string job_board::wait() const {
  std::unique_lock<std::mutex> lock(lock_);
  changed_.wait(lock,
                [&] { return !error_.empty() || done_count_ == static_cast<int>(states_.size()); });
  return done_count_ == static_cast<int>(states_.size()) ? std::string() : error_;
}

std::vector<run_result> job_board::results() {
  std::lock_guard<std::mutex> lock(lock_);
  return std::move(results_);
}

}  // namespace svcsim
