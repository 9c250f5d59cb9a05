// The load a scenario offers each of its resources in one mode, worked out from the file
// alone, before any simulation: rho = jobs per second x mean work per job / workers, the
// share of its workers' time that its work takes (the utilization law, U = X * S / c).
//
// Jobs per second come from the open-loop workloads' rates (a rate profile's peak, which is
// what saturates), carried along the plan: a
// request runs its endpoint's handler once; a call runs the callee's handler once per call
// (every attempt is assumed to succeed: retries are not counted); a publish gives every
// subscriber of its topic one delivery. Closed-loop workloads are left out, since their rate
// follows the replies; a row they reach says so (`closed_loop`), and its rho is then a lower
// bound. A handler's mean work is the sum of the means of its work ops, the branches of a
// `parallel` included (they hold the worker too). A `blocking: true` service that calls (or
// waits for the broker's confirms) also holds its worker while it waits for the replies, so its
// utilization is above its rho from work alone (`waits_on_calls`).
//
// The broker, when it does work (broker.work), is one more row, last: one publish task per
// publish, one delivery task per subscriber of its topic.
//
// Invariant: one row per service, in the scenario's order, then the broker's if it does work.
#pragma once

#include <string>
#include <vector>

#include "engine/plan.hpp"

namespace svcsim {

// A service of several instances: each is offered 1/instances of its jobs, which is what
// every balance policy gives identical instances in the long run (a consumer group's members
// too), so rho is also each instance's.
struct load_row {
  std::string name;
  int workers = 1;  // of each instance
  int instances = 1;
  balance_policy balance = balance_policy::round_robin;
  double jobs_per_s = 0;        // requests, calls and deliveries it is offered
  double mean_work_s = 0;       // per job, weighted by the jobs' rates; 0 when offered none
  double rho = 0;               // jobs_per_s * mean_work_s / (workers * instances)
  bool waits_on_calls = false;  // blocking and calls something: busier than rho says
  bool closed_loop = false;     // reached by a closed-loop workload too, which rho leaves out
};

struct offered_load {
  svcsim::mode mode = svcsim::mode::sync;
  std::vector<load_row> rows;
};

// Of the plan's scenario (p.source), in the plan's mode.
offered_load offered_load_of(const plan& p);

// The mean work of one run of a handler, in seconds: the sum of its work ops' means.
double mean_work_s(const handler_plan& h);

// "saturated" when rho >= 1, "near saturation" when rho >= 0.8, else "".
const char* saturation(double rho);

}  // namespace svcsim
