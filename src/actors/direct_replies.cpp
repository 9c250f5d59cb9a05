// Replies of a service fed by one open-loop client (service_plan::fed_by) skip the message to
// the client, which would only record them: the service records them itself, in the order of
// their times, as the client would have. A reply is recorded once no arrival still to come can
// be answered sooner, and never when it would reach the client after the run's stop (as a
// message, it would not have been handled either).
#include "actors/service_state.hpp"

namespace svcsim {

void record_direct_replies(service_ptr self, nanos until) {
  auto& st = self->state;
  const nanos stop = window_of(self).stop;
  while (!st.direct_replies.empty() && st.direct_replies.top().at <= until) {
    const direct_reply r = st.direct_replies.top();
    st.direct_replies.pop();
    if (r.at > stop) {
      st.w->direct_reply_late = true;
      continue;
    }
    st.w->rec->reply(r.trace, r.at, r.ok);
    st.w->last_direct_event = std::max(st.w->last_direct_event, r.at);
  }
}

}  // namespace svcsim
