// How one caller (a service instance or a client) picks among the instances of one callee
// service, by the callee's balance_policy. The state is the caller's own, as with a client-side
// load balancer: its turn (starting at a random instance, so that callers do not move in
// step), its random stream, and its calls in flight per instance (an attempt counts from when
// it is sent until its reply or its timeout).
#pragma once

#include <algorithm>
#include <string>
#include <vector>

#include "engine/random.hpp"
#include "scenarios/scenario.hpp"

namespace svcsim {

class balancer {
 public:
  balancer(balance_policy policy, int instances, rng random);

  int pick();  // 0-based instance index
  void sent(int instance) { ++in_flight_[instance]; }
  void done(int instance) { --in_flight_[instance]; }
  void forget_calls() { std::fill(in_flight_.begin(), in_flight_.end(), 0); }  // caller restarts
  // Whether pick() looks at the calls in flight, so that callers must report sent and done.
  bool counts() const {
    return policy_ == balance_policy::least_outstanding || policy_ == balance_policy::power_of_two;
  }

 private:
  int draw(int n) { return static_cast<int>(random_.below(n)); }

  const balance_policy policy_;
  std::vector<int> in_flight_;
  int turn_ = 0;
  rng random_;
};

// The balancer party `caller` (its name, for its random stream) uses for calls to service
// `callee`, which must have more than one instance.
balancer balancer_to(const scenario& s, int callee, const std::string& caller);

}  // namespace svcsim
