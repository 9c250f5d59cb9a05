// Every message the simulation's actors exchange. Parties (services, the broker, clients) are
// addressed by index into world::parties; times are simulated nanoseconds since the start.
#pragma once

#include <caf/meta/type_name.hpp>

#include <cstdint>

namespace svcsim {

// Run handler `handler` of the receiving service for `caller`, who waits for a reply_msg
// carrying `corr`. `trace` is the client request this work belongs to.
struct job_msg {
  std::int32_t handler;
  std::int32_t caller;
  std::uint64_t corr;
  std::uint64_t trace;
};

// The answer to a job_msg (from the broker's point of view: the acknowledgement of a
// delivery). `end` is when the handling ended at the service.
struct reply_msg {
  std::uint64_t corr;
  bool ok;
  std::int64_t end;
};

// A service hands a message for `topic` to the broker.
struct publish_msg {
  std::int32_t topic;
  std::uint64_t trace;
  std::int64_t published;
};

// A timer an actor set for itself; `token` says what it is for.
struct wake_msg {
  std::uint64_t token;
};

template <class Inspector>
typename Inspector::result_type inspect(Inspector& f, job_msg& x) {
  return f(caf::meta::type_name("job_msg"), x.handler, x.caller, x.corr, x.trace);
}
template <class Inspector>
typename Inspector::result_type inspect(Inspector& f, reply_msg& x) {
  return f(caf::meta::type_name("reply_msg"), x.corr, x.ok, x.end);
}
template <class Inspector>
typename Inspector::result_type inspect(Inspector& f, publish_msg& x) {
  return f(caf::meta::type_name("publish_msg"), x.topic, x.trace, x.published);
}
template <class Inspector>
typename Inspector::result_type inspect(Inspector& f, wake_msg& x) {
  return f(caf::meta::type_name("wake_msg"), x.token);
}

}  // namespace svcsim
