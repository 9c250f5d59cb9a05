// A predictable service knows each reply's time when the job arrives, so it could put every
// reply on CAF's clock at once; with a long queue that makes the clock hold one timer and one
// message per request in flight, and their cache misses make each request dearer as the
// backlog grows. So, while its waiting room holds more than `hold_above` jobs, the service
// keeps new replies in a compact queue of its own and puts them on the clock `batch` at a time,
// from a wake at the time of the last one it put there. Replies keep their order among
// themselves; a reply due at exactly the instant of another actor's message may be handled
// after it rather than before (both are valid orders of simultaneous events).
#include "actors/messages.hpp"
#include "actors/service_state.hpp"

#include <iterator>

namespace svcsim {
namespace {

constexpr std::size_t hold_above = 1024;
constexpr int batch = 64;

// Sets the service's wake for `t`, unless one is set for no later.
void wake_at(service_ptr self, nanos t) {
  auto& st = self->state;
  if (t >= st.held_wake) return;
  st.held_wake = t;
  st.w->post(self, st.id, t, service_wake(service_event::held_replies));
}

}  // namespace

void answer(service_ptr self, std::int32_t caller, std::uint64_t corr, nanos end, bool ok,
            bool down) {
  auto& st = self->state;
  if (caller == st.direct_client ||
      (st.held_replies.empty() && st.waiting_starts.size() <= hold_above))
    return reply_to(self, caller, corr, end, ok, down);
  // Ends arrive nearly in order (exactly, with one worker): the place is at or near the back.
  const held_reply r{end + st.hop, st.held_count++, caller, corr, end, ok, down};
  auto& held = st.held_replies;
  std::size_t i = held.size();
  while (i > 0 && held[i - 1].at > r.at) --i;
  held.insert(i, r);
  wake_at(self, st.held_replies.front().at);
}

void release_held_replies(service_ptr self, nanos now) {
  auto& st = self->state;
  if (now < st.held_wake) return;  // an earlier wake did the work
  st.held_wake = std::numeric_limits<nanos>::max();
  nanos last = now;
  for (int i = 0; i < batch && !st.held_replies.empty(); ++i) {
    const held_reply r = st.held_replies.front();
    st.held_replies.pop_front();
    reply_to(self, r.caller, r.corr, r.end, r.ok, r.down);
    if (r.caller > st.w->broker) st.w->rec->prefetch(r.corr);  // a client's trace
    last = r.at;
  }
  if (!st.held_replies.empty()) wake_at(self, std::min(last, st.held_replies.front().at));
}

}  // namespace svcsim
