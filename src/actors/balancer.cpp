#include "actors/balancer.hpp"

namespace svcsim {

balancer::balancer(balance_policy policy, int instances, rng random)
    : policy_(policy), in_flight_(static_cast<std::size_t>(instances), 0), random_(random) {
  turn_ = draw(instances);  // callers do not all start at the first instance
}

int balancer::pick() {
  const int n = static_cast<int>(in_flight_.size());
  switch (policy_) {
    case balance_policy::round_robin: {
      const int k = turn_;
      turn_ = (turn_ + 1) % n;
      return k;
    }
    case balance_policy::random:
      return draw(n);
    case balance_policy::least_outstanding: {  // ties: the first from the turn on
      int best = turn_;
      for (int i = 1; i < n; ++i) {
        const int k = (turn_ + i) % n;
        if (in_flight_[k] < in_flight_[best]) best = k;
      }
      turn_ = (best + 1) % n;
      return best;
    }
    case balance_policy::power_of_two: {
      const int a = draw(n);
      int b = draw(n - 1);
      if (b >= a) ++b;
      return in_flight_[b] < in_flight_[a] ? b : a;
    }
  }
  return 0;
}

balancer balancer_to(const scenario& s, int callee, const std::string& caller) {
  const auto& svc = s.services[callee];
  return balancer(svc.balance, svc.instances,
                  rng::for_party(s.seed, "balance:" + caller + ">" + svc.name));
}

}  // namespace svcsim
