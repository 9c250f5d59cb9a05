#include "engine/consumer_warnings.hpp"

#include <algorithm>
#include <cmath>
#include <cstdio>

#include "engine/offered_load.hpp"

namespace svcsim {
namespace {

// A rate for people: whole numbers from 10/s on, two digits below.
std::string per_s(double rate) {
  char buf[32];
  std::snprintf(buf, sizeof buf, rate >= 10 ? "%.0f/s" : "%.2g/s", rate);
  return buf;
}

std::string ms(double seconds) {
  char buf[32];
  std::snprintf(buf, sizeof buf, "%.3g ms", seconds * 1e3);
  return buf;
}

// The prefetch diagnosis of service `i`, which was offered `offered` messages per second
// needing `handling` seconds of work each on average; empty when its prefetch is no limit.
// Prefetch and workers are per instance: a group of K instances has K times their bounds.
std::string prefetch_limit(const scenario& s, int i, double offered, double handling) {
  const int k = s.services[i].instances;
  const int workers = s.services[i].workers;
  const std::int64_t prefetch = s.prefetch_of(i);
  const double round_trip = static_cast<double>(s.broker_latency + 2 * s.network_latency) / 1e9;
  const double held = round_trip + handling;  // how long a delivery keeps its prefetch slot
  if (held <= 0 || handling <= 0) return "";
  const double bound = k * static_cast<double>(prefetch) / held,
               workers_bound = k * workers / handling;
  if (offered <= bound || bound >= workers_bound) return "";
  // The smallest prefetch whose bound reaches the offered rate, or else the workers' bound.
  const auto needed = static_cast<std::int64_t>(std::ceil(offered / k * held - 1e-9));
  const auto enough = static_cast<std::int64_t>(std::ceil(workers_bound / k * held - 1e-9));
  const std::int64_t lift = std::min(needed, enough);
  const double lifted = std::min(k * static_cast<double>(lift) / held, workers_bound);
  const std::string each = k == 1 ? "" : " per instance";
  const std::string times = k == 1 ? "" : " x " + std::to_string(k) + " instances";
  std::string text = s.services[i].name +
                     " is limited by its prefetch: " + std::to_string(prefetch) +
                     " unacknowledged" + each + " / (" + ms(round_trip) + " round trip + " +
                     ms(handling) + " handling)" + times + " = " + per_s(bound) +
                     ", below its workers' " + per_s(workers_bound) + " and the " + per_s(offered) +
                     " offered; broker.prefetch: " + std::to_string(lift) + " lifts it to ";
  if (lifted < workers_bound) return text + per_s(lifted);
  return text + "its workers' " + per_s(workers_bound) +
         (lifted < offered ? ", still below the offered rate" : "");
}

}  // namespace

void consumer_warnings(const plan& p, recorder& rec, bool broker_saturated,
                       std::vector<std::string>& out, std::vector<std::string>& falling_behind) {
  const scenario& s = *p.source;
  const auto& win = rec.window();
  const double span = static_cast<double>(win.length()) / 1e9;
  // Per service: messages offered in the window, and their work in seconds.
  std::vector<double> offered(s.services.size(), 0), work(s.services.size(), 0);
  for (std::size_t t = 0; t < s.topics.size(); ++t) {
    auto& tally = rec.topic(static_cast<int>(t));
    const auto& subscribers = s.topics[t].subscribers;
    for (std::size_t k = 0; k < tally.subscriptions.size() && k < subscribers.size(); ++k) {
      auto& sub = tally.subscriptions[k];
      sub.trend.finish(win.from, win.to, sub.held);
      const auto [svc, index] = subscribers[k];
      const auto& handler = p.services[svc].handlers[p.subscription_handler(svc, index)];
      offered[svc] += static_cast<double>(sub.trend.joined());
      work[svc] += static_cast<double>(sub.trend.joined()) * mean_work_s(handler);
      if (span <= 0 || !sub.trend.keeps_growing()) continue;
      falling_behind.push_back(s.services[svc].name + " on " + s.topics[t].name);
      out.push_back(s.services[svc].name + " on " + s.topics[t].name + " falls behind: backlog " +
                    std::to_string(sub.trend.at_from()) + " -> " +
                    std::to_string(sub.trend.at_to()) + " across the measured window, consumes " +
                    per_s(static_cast<double>(sub.trend.left()) / span) + " of " +
                    per_s(static_cast<double>(sub.trend.joined()) / span) + " offered");
    }
  }
  if (span <= 0 || broker_saturated) return;
  for (std::size_t i = 0; i < s.services.size(); ++i) {
    if (offered[i] == 0) continue;
    auto text = prefetch_limit(s, static_cast<int>(i), offered[i] / span, work[i] / offered[i]);
    if (!text.empty()) out.push_back(std::move(text));
  }
}

}  // namespace svcsim
