// Every message the simulation's actors exchange. Parties (services, the broker, clients) are
// addressed by index into the run's address book (run_context::party); times are simulated
// nanoseconds since the start.
#pragma once

#include <caf/delegated.hpp>
#include <caf/meta/type_name.hpp>
#include <cstdint>
#include <vector>

namespace svcsim {

// Run handler `handler` of the receiving service for `caller`, who waits for a reply_msg
// carrying `corr`. `trace` is the client request this work belongs to. To the broker (a
// confirmed publish), `handler` is the topic and `partition` its partition.
struct job_msg {
  std::int32_t handler;
  std::int32_t caller;
  std::uint64_t corr;
  std::uint64_t trace;
  std::int32_t partition = 0;
};

// The answer to a job_msg (from the broker's point of view: the acknowledgement of a
// delivery). `end` is when the handling ended at the service. `down`: the job failed because
// the service crashed or restarted (for the broker: the subscriber dropped the delivery).
struct reply_msg {
  std::uint64_t corr;
  bool ok;
  std::int64_t end;
  bool down = false;
};

// An instance of a subscribing service (its party) is back from an outage at `at`: the broker
// may deliver to it again.
struct consumer_up_msg {
  std::int32_t party;
  std::int64_t at;
};

// A service hands a message for `topic` (its partition `partition`, 0 if unpartitioned) to
// the broker.
struct publish_msg {
  std::int32_t topic;
  std::int32_t partition;
  std::uint64_t trace;
  std::int64_t published;
};

// Jobs for a service fed by one open-loop client (service_plan::fed_by), each to be taken as
// if it arrived at `at`, in order; handed over before the first of them arrives.
struct arrival {
  std::int64_t at;
  job_msg job;
};
struct arrivals_msg {
  std::vector<arrival> jobs;
  bool last = false;  // the client sends no more
};

// A timer an actor set for itself; `token` says what it is for.
struct wake_msg {
  std::uint64_t token;
};

// What every handler of the simulation returns: no response. A handler returning void has CAF
// build a response promise for each message only to find nothing to answer (refcounts and
// all: 8% of a run's instructions); a delegated response is one CAF leaves alone.
using no_response = caf::delegated<void>;

template <class Inspector>
typename Inspector::result_type inspect(Inspector& f, job_msg& x) {
  return f(caf::meta::type_name("job_msg"), x.handler, x.caller, x.corr, x.trace, x.partition);
}
template <class Inspector>
typename Inspector::result_type inspect(Inspector& f, reply_msg& x) {
  return f(caf::meta::type_name("reply_msg"), x.corr, x.ok, x.end, x.down);
}
template <class Inspector>
typename Inspector::result_type inspect(Inspector& f, consumer_up_msg& x) {
  return f(caf::meta::type_name("consumer_up_msg"), x.party, x.at);
}
template <class Inspector>
typename Inspector::result_type inspect(Inspector& f, publish_msg& x) {
  return f(caf::meta::type_name("publish_msg"), x.topic, x.partition, x.trace, x.published);
}
template <class Inspector>
typename Inspector::result_type inspect(Inspector& f, arrival& x) {
  return f(caf::meta::type_name("arrival"), x.at, x.job);
}
template <class Inspector>
typename Inspector::result_type inspect(Inspector& f, arrivals_msg& x) {
  return f(caf::meta::type_name("arrivals_msg"), x.jobs, x.last);
}
template <class Inspector>
typename Inspector::result_type inspect(Inspector& f, wake_msg& x) {
  return f(caf::meta::type_name("wake_msg"), x.token);
}

}  // namespace svcsim
