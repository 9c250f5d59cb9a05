#include "actors/subscription_backlog.hpp"

namespace svcsim {

subscription_backlog::subscription_backlog(int partitions)
    : parts_(static_cast<std::size_t>(partitions)),
      in_flight_(static_cast<std::size_t>(partitions), false) {}

queued subscription_backlog::take_partitioned() {
  const int p = ready_.top().second;
  ready_.pop();
  const queued m = parts_[p].front();
  parts_[p].pop_front();
  in_flight_[p] = true;
  return m;
}

void subscription_backlog::push_partitioned(const queued& m) {
  parts_[m.partition].push_back(m);
  if (parts_[m.partition].size() == 1) make_ready(m.partition);
}

void subscription_backlog::make_ready(int p) {
  if (!in_flight_[p] && !parts_[p].empty()) ready_.emplace(parts_[p].front().seq, p);
}

void subscription_backlog::done_partitioned(int p) {
  if (!in_flight_[p]) return;
  in_flight_[p] = false;
  make_ready(p);
}

void subscription_backlog::put_back(const queued& m) {
  auto& q = partitioned() ? parts_[m.partition] : waiting_;
  auto it = q.begin();
  while (it != q.end() && it->seq < m.seq) ++it;
  q.insert(it, m);
  done(m.partition);
}

std::vector<queued> subscription_backlog::clear() {
  std::vector<queued> out(waiting_.begin(), waiting_.end());
  waiting_.clear();
  for (auto& part : parts_) {
    out.insert(out.end(), part.begin(), part.end());
    part.clear();
  }
  ready_ = {};  // nothing waits; what is in flight stays so until done()
  return out;
}

}  // namespace svcsim
