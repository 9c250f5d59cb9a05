// A scenario compiled for one design (a mode, with topics pinned to a mode of their own): what
// each handler does, with each `notify` resolved, per the mode it takes in that design, into
// calls to every subscriber (sync, sequential or parallel per sync.notify) or into one publish
// (async). Actors execute plans; they never look at the mode themselves.
//
// Invariants: every op's indices are valid; a handler is `predictable` when it contains no
// call and no confirmed publish, i.e. how long it holds a worker is known the moment it starts.
#pragma once

#include <string>
#include <vector>

#include "scenarios/scenario.hpp"

namespace svcsim {

enum class op_kind { work, call, publish, parallel };

struct op {
  op_kind kind = op_kind::work;
  const distribution* work = nullptr;  // work
  int service = -1;                    // call: callee
  int handler = -1;                    // call: index into the callee's handler table
  // call: timeout, retries, breaker (never null); publish: its confirm's, null if unconfirmed
  const call_policy* policy = nullptr;
  int topic = -1;                           // publish
  broker_down on_down = broker_down::fail;  // publish: what it does while the broker is down
  const message_key* key = nullptr;         // publish: how it picks a partition (never null)
  std::vector<std::vector<op>> branches;    // parallel: each branch runs its ops in order
};

struct handler_plan {
  std::vector<op> ops;
  bool predictable = true;
};

struct service_plan {
  // Endpoints first (same indices as service::endpoints), then subscriptions.
  std::vector<handler_plan> handlers;
  bool predictable = true;  // every handler is predictable
  std::vector<int> calls;   // services it calls, sorted, distinct
  bool publishes = false;   // sends to the broker
  bool confirms = false;    // some publish waits for the broker's confirm
  bool consumes = false;    // receives deliveries from the broker
  // The open-loop workload that is its only source of jobs, when it is predictable (nothing
  // calls it, it consumes nothing): its client may then hand it a batch of arrivals at once,
  // since the Lindley recursion needs only their times and order. -1 otherwise.
  int fed_by = -1;
};

struct topic_plan {
  bool brokered = false;  // something publishes it in this mode (else only sync notify)
};

struct plan {
  svcsim::mode mode = svcsim::mode::sync;  // the run's: of every notify the design leaves unpinned
  const scenario* source = nullptr;
  std::vector<service_plan> services;
  std::vector<topic_plan> topics;

  int subscription_handler(int service, int subscription) const;
};

plan compile(const scenario& s, const design& d);
// The plain run of mode m: compile(s, design_of(m)).
plan compile(const scenario& s, svcsim::mode m);

// Calls f(o) for every op o of `ops` in order, each parallel op before the ops of its branches.
template <class F>
void for_each_op(const std::vector<op>& ops, F&& f) {
  for (const auto& o : ops) {
    f(o);
    for (const auto& b : o.branches) for_each_op(b, f);
  }
}

}  // namespace svcsim
