// The messages a coordinator and its workers trade over CAF's network layer, all declared here
// and registered on both ends by add_messages(). A coordinator greets each worker (hello,
// answered by welcome), sends it each study once (study_msg), then runs of it (job_msg), each
// answered by job_done; it pings (ping_atom, answered by pong_atom) to tell a stalled worker,
// and ends a study (end_study_atom) to free the worker's copy. Results travel encoded by
// result_codec.hpp, never as CAF-serialized doubles. A worker does no work for a message that
// lacks its token.
#pragma once

#include <caf/actor_system_config.hpp>
#include <caf/atom.hpp>
#include <caf/meta/type_name.hpp>
#include <cstdint>
#include <string>
#include <utility>
#include <vector>

namespace svcsim::wire {

// Raised whenever a message here, or the encoding of a result, changes.
constexpr std::int32_t wire_version = 1;

using ping_atom = caf::atom_constant<caf::atom("ping")>;
using pong_atom = caf::atom_constant<caf::atom("pong")>;
using end_study_atom = caf::atom_constant<caf::atom("endstudy")>;

struct hello {
  std::string version;  // SVCSIM_VERSION
  std::int32_t wire = 0;
  std::string token;
};

struct welcome {
  std::string refused;  // why the worker refuses this coordinator; empty: it takes jobs
  std::string version;
  std::int32_t wire = 0;
  std::int32_t jobs = 0;     // runs it takes at once
  std::uint64_t canary = 0;  // canary.hpp: what its engine computes
};

// A scenario of a study as the worker loads it: file, --set overrides, and seed.
struct study_point {
  std::string file;
  std::vector<std::string> settings;  // "KEY=VALUE"
  std::uint64_t seed = 0;
};

struct study_msg {
  std::string token;
  std::uint64_t id = 0;  // the coordinator's, random
  // Every file the points read (scenario files, empirical data): path as the loader names it,
  // contents. The worker reads no other.
  std::vector<std::pair<std::string, std::string>> files;
  std::vector<study_point> points;
  std::int64_t crash_from = 0, crash_to = 0, arrivals_end = 0;  // study::window
  // study::options as runs use them: max_in_flight (each run's, as the coordinator's --jobs
  // shares it out), the timeline's bucket, the interval of watched requests (watch_to 0: none).
  std::uint64_t max_in_flight = 0;
  std::int64_t bucket = 0, watch_from = 0, watch_to = 0;
};

// One run of a study (run_spec): `attempt` names this sending of it, answered in job_done.
struct job_msg {
  std::string token;
  std::uint64_t study = 0, attempt = 0;
  std::int32_t point = 0, replication = 0, crashed = -1;
  std::string design;  // design::name
  std::int32_t mode = 0;
  std::vector<std::pair<std::int32_t, std::int32_t>> pins;  // (topic, mode)
};

struct job_done {
  std::uint64_t attempt = 0;
  std::string result;   // encode(run_result); empty when `failure` says why there is none
  std::string failure;  // the worker could not run the job (unknown study, a file it lacks)
};

template <class Inspector>
typename Inspector::result_type inspect(Inspector& f, hello& x) {
  return f(caf::meta::type_name("svcsim_hello"), x.version, x.wire, x.token);
}
template <class Inspector>
typename Inspector::result_type inspect(Inspector& f, welcome& x) {
  return f(caf::meta::type_name("svcsim_welcome"), x.refused, x.version, x.wire, x.jobs, x.canary);
}
template <class Inspector>
typename Inspector::result_type inspect(Inspector& f, study_point& x) {
  return f(caf::meta::type_name("svcsim_study_point"), x.file, x.settings, x.seed);
}
template <class Inspector>
typename Inspector::result_type inspect(Inspector& f, study_msg& x) {
  return f(caf::meta::type_name("svcsim_study"), x.token, x.id, x.files, x.points, x.crash_from,
           x.crash_to, x.arrivals_end, x.max_in_flight, x.bucket, x.watch_from, x.watch_to);
}
template <class Inspector>
typename Inspector::result_type inspect(Inspector& f, job_msg& x) {
  return f(caf::meta::type_name("svcsim_job"), x.token, x.study, x.attempt, x.point, x.replication,
           x.crashed, x.design, x.mode, x.pins);
}
template <class Inspector>
typename Inspector::result_type inspect(Inspector& f, job_done& x) {
  return f(caf::meta::type_name("svcsim_job_done"), x.attempt, x.result, x.failure);
}

// Registers every message above with `cfg`; both ends must.
inline void add_messages(caf::actor_system_config& cfg) {
  cfg.add_message_type<hello>("svcsim_hello");
  cfg.add_message_type<welcome>("svcsim_welcome");
  cfg.add_message_type<study_msg>("svcsim_study");
  cfg.add_message_type<job_msg>("svcsim_job");
  cfg.add_message_type<job_done>("svcsim_job_done");
}

}  // namespace svcsim::wire
