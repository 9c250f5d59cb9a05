// A predictable station knows each reply's time when the job arrives, so it could put every
// reply on CAF's clock at once; with a long queue that makes the clock hold one timer and one
// message per request in flight, and their cache misses make each request dearer as the
// backlog grows. So, while its waiting room holds more than `hold_above` jobs, the station
// keeps new replies in a compact queue of its own and puts them on the clock `batch` at a time,
// from a wake at the time of the last one it put there. Replies keep their order among
// themselves; a reply due at exactly the instant of another actor's message may be handled
// after it rather than before (both are valid orders of simultaneous events).
#include <algorithm>
#include <caf/all.hpp>

#include "actors/lindley_station.hpp"

namespace svcsim {
namespace {

constexpr std::size_t hold_above = 1024;
constexpr int batch = 64;

}  // namespace

// Sets the station's wake for `t`, unless one is set for no later.
void lindley_station::wake_at(nanos t) {
  if (t >= held_wake_) return;
  held_wake_ = t;
  ctx_->post(self_, id_, t, service_wake(service_event::held_replies));
}

void lindley_station::answer(std::int32_t caller, std::uint64_t corr, nanos end, bool ok,
                             bool down) {
  if (caller == direct_client_ || (held_replies_.empty() && waiting_starts_.size() <= hold_above))
    return reply_to(caller, corr, end, ok, down);
  // Ends arrive nearly in order (exactly, with one worker): the place is at or near the back.
  const held_reply r{end + hop_, held_count_++, caller, corr, end, ok, down};
  auto& held = held_replies_;
  std::size_t i = held.size();
  while (i > 0 && held[i - 1].at > r.at) --i;
  held.insert(i, r);
  wake_at(held_replies_.front().at);
}

void lindley_station::release_held_replies(nanos now) {
  if (now < held_wake_) return;  // an earlier wake did the work
  held_wake_ = std::numeric_limits<nanos>::max();
  nanos last = now;
  for (int i = 0; i < batch && !held_replies_.empty(); ++i) {
    const held_reply r = held_replies_.front();
    held_replies_.pop_front();
    reply_to(r.caller, r.corr, r.end, r.ok, r.down);
    if (r.caller > ctx_->broker) ctx_->rec->prefetch(r.corr);  // a client's trace
    last = r.at;
  }
  if (!held_replies_.empty()) wake_at(std::min(last, held_replies_.front().at));
}

}  // namespace svcsim
