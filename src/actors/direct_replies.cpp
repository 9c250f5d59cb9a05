// Replies of a station fed by one open-loop client (service_plan::fed_by) skip the message to
// the client, which would only record them: the station records them itself, in the order of
// their times, as the client would have. A reply is recorded once no arrival still to come can
// be answered sooner, and never when it would reach the client after the run's stop (as a
// message, it would not have been handled either).
#include <algorithm>

#include "actors/lindley_station.hpp"

namespace svcsim {

void lindley_station::record_direct_replies(nanos until) {
  const nanos stop = window().stop;
  while (!direct_replies_.empty() && direct_replies_.top().at <= until) {
    const direct_reply r = direct_replies_.top();
    direct_replies_.pop();
    if (r.at > stop) {
      ctx_->status->direct_reply_late = true;
      continue;
    }
    ctx_->rec->reply(r.trace, r.at, r.ok);
    ctx_->status->last_direct_event = std::max(ctx_->status->last_direct_event, r.at);
  }
}

}  // namespace svcsim
