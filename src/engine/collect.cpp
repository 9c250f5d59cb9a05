#include "engine/collect.hpp"

#include <algorithm>
#include <cstdio>

#include "engine/consumer_warnings.hpp"
#include "engine/coupling.hpp"
#include "engine/dependency_graph.hpp"
#include "engine/instances.hpp"
#include "engine/warmup.hpp"

namespace svcsim {
namespace {

// Why requests can stay open in a run that ran out of things to do.
std::string why_stuck(const scenario& s) {
  std::string endless;
  int n = 0;
  for (const auto& f : s.failures)
    if (!f.length && (f.kind == failure_kind::crash || f.kind == failure_kind::hang))
      endless += (n++ ? ", " : "") + s.failure_party(f);
  if (n > 0)
    return endless + (n == 1 ? " is" : " are") +
           " down until the end (a crash or hang without 'for'), so what waits for "
           "it is never answered";
  return "handlers wait on each other (a service calling itself, or calls around a loop of "
         "services, with too few workers)";
}

// Points of a workload's latency CDF: enough for a smooth line on a page.
constexpr int latency_cdf_points = 300;

percentiles summarize(const histogram& h) {
  percentiles p;
  p.count = h.count();
  if (!p.count) return p;
  constexpr double ms = 1e6;
  p.mean = h.mean() / ms;
  p.p50 = h.quantile(0.50) / ms;
  p.p90 = h.quantile(0.90) / ms;
  p.p99 = h.quantile(0.99) / ms;
  p.p999 = h.quantile(0.999) / ms;
  p.max = static_cast<double>(h.max()) / ms;
  return p;
}

// Per workload with a profile, its offered rate per bucket: the profile's mean over the bucket,
// up to the end of arrivals (duration).
void offered_rates(const scenario& s, nanos bucket, timeline& tl) {
  const double stop = s.duration ? static_cast<double>(*s.duration) : 1e300;
  for (std::size_t i = 0; i < s.workloads.size() && i < tl.workloads.size(); ++i) {
    if (!s.workloads[i].profile) continue;
    const auto& p = *s.workloads[i].profile;
    auto& out = tl.workloads[i].rate_per_s;
    for (std::size_t k = 0; k < tl.t_s.size(); ++k) {
      const double from = static_cast<double>(k) * static_cast<double>(bucket);
      const double to = std::min(from + static_cast<double>(bucket), stop);
      out.push_back(to > from ? (p.arrivals_by(to) - p.arrivals_by(from)) * 1e9 /
                                    static_cast<double>(bucket)
                              : 0.0);
    }
  }
}

}  // namespace

void collect(const scenario& s, const plan& p, recorder& rec, std::vector<service_tally>& tallies,
             nanos end, bool drained, run_result& r) {
  const auto& win = rec.window();
  std::int64_t measured = 0;
  r.measured_s = static_cast<double>(win.length()) / 1e9;
  for (std::size_t i = 0; i < s.workloads.size(); ++i) {
    const auto& t = rec.workload(static_cast<int>(i));
    workload_result w;
    w.name = s.workloads[i].name;
    w.requests = t.requests;
    w.ok = t.ok;
    w.failed = t.failed;
    w.unfinished = t.requests - t.ok - t.failed;
    w.incomplete = t.incomplete;
    // ok / (ok + failed); when nothing was answered, 0 if anything was asked.
    w.availability =
        t.ok + t.failed ? static_cast<double>(t.ok) / (t.ok + t.failed) : (t.requests ? 0.0 : 1.0);
    w.throughput_rps = r.measured_s > 0 ? t.ok_in_window / r.measured_s : 0;
    w.latency_ms = summarize(t.latency);
    w.completion_ms = summarize(t.completion);
    w.latency_cdf = t.latency.cdf(latency_cdf_points);
    for (auto& point : w.latency_cdf) point.first /= 1e6;  // ns to ms
    // Idle, yet requests open: an outage without end holds them, or handlers wait on each
    // other.
    if (drained && t.open_at_end > 0)
      r.warnings.push_back(
          "workload " + w.name + ": " + std::to_string(t.open_at_end) +
          " requests never finished although nothing was left to happen: " + why_stuck(s));
    // A profile changes the load on purpose: no steady state is expected, so none is judged.
    const auto start = s.workloads[i].profile ? start_verdict{} : judge_start(t);
    if (start.kind == start_verdict::unsettled) {
      char text[240];
      std::snprintf(
          text, sizeof text,
          "workload %s: latency over the first %.0f%% of the measured window does not "
          "look like the rest, so the system may still be warming up; try warmup: %gs",
          w.name.c_str(), 100 * start.share,
          (static_cast<double>(win.from) + start.share * static_cast<double>(win.length())) / 1e9);
      r.warnings.push_back(text);
    } else if (start.kind == start_verdict::drifting) {
      r.warnings.push_back("workload " + w.name +
                           ": latency keeps changing across the measured "
                           "window, so there is no steady state to measure; the system may be "
                           "overloaded (look at utilization), or needs a much longer run");
    }
    measured += t.requests;
    r.workloads.push_back(std::move(w));
  }
  for (std::size_t i = 0; rec.watching() && i < s.workloads.size(); ++i) {
    const auto& t = rec.watched(static_cast<int>(i));
    r.watched.push_back(watched_result{t.requests, t.ok, t.failed, t.done, t.last_done});
    if (t.latency.count()) r.watched.back().p99_ms = t.latency.quantile(0.99) / 1e6;
  }
  if (measured == 0)
    r.warnings.push_back(
        "nothing was measured: no request was sent at or after warmup; "
        "shorten warmup");
  else if (win.length() == 0)
    r.warnings.push_back(
        "the measured window is empty (arrivals ended at warmup), so "
        "throughput, utilization and queue_mean are 0; send more requests");
  const auto couplings = coupling_of(p);
  r.broker_coupling = broker_coupling_of(p);
  r.graph = dependency_graph_of(p);
  const double span = static_cast<double>(win.length());
  const auto station = [&](service_tally& t, int workers, std::string name) {
    t.advance(win, end);
    service_result sr;
    static_cast<service_counters&>(sr) = t;
    sr.name = std::move(name);
    sr.utilization = span > 0 ? t.busy_area / (span * workers) : 0;
    sr.queue_mean = span > 0 ? t.queue_area / span : 0;
    sr.queue_max = t.queue_max;
    sr.throughput_ps = span > 0 ? static_cast<double>(t.served) / (span / 1e9) : 0;
    sr.utilization_min = sr.utilization_max = sr.utilization;  // alone, it is its own spread
    sr.busiest = sr.name;
    return sr;
  };
  const instance_layout layout(s);
  for (std::size_t i = 0; i < s.services.size(); ++i) {
    const auto& svc = s.services[i];
    const int first = layout.first(static_cast<int>(i));
    service_result total;
    total.name = svc.name;
    total.instance_count = svc.instances;
    if (svc.instances == 1) {
      total = station(tallies[first], svc.workers, svc.name);
    } else
      for (int k = 0; k < svc.instances; ++k) {
        auto one = station(tallies[first + k], svc.workers, instance_name(svc.name, k));
        total.merge(one);
        total.utilization += one.utilization / svc.instances;
        total.queue_mean += one.queue_mean;
        total.queue_max = std::max(total.queue_max, one.queue_max);
        total.throughput_ps += one.throughput_ps;
        if (k == 0 || one.utilization < total.utilization_min)
          total.utilization_min = one.utilization;
        if (k == 0 || one.utilization > total.utilization_max) {
          total.utilization_max = one.utilization;
          total.busiest = one.name;
        }
        total.instances.push_back(std::move(one));
      }
    r.services.push_back(std::move(total));
    static_cast<coupling&>(r.services.back()) = couplings[i];
  }
  const bool broker_fails =
      std::any_of(s.failures.begin(), s.failures.end(),
                  [&](const failure& f) { return f.service == s.broker_party(); });
  bool broker_saturated = false;
  if (s.broker_costs() || broker_fails) {
    r.brokers.push_back(station(tallies.back(), s.broker_workers, "broker"));
    const auto& b = r.brokers.back();
    broker_saturated = b.utilization >= 0.95 || b.rejected > 0;
    if (broker_saturated && s.broker_costs()) {
      char text[160];
      std::snprintf(text, sizeof text,
                    "the broker is saturated: its %d worker%s busy %.2f%% of the time",
                    s.broker_workers, s.broker_workers == 1 ? " is" : "s are", 100 * b.utilization);
      std::string warning = text;
      if (b.rejected > 0)
        warning +=
            ", and it refused " + std::to_string(b.rejected) + " publishes with its inbox full";
      r.warnings.push_back(warning +
                           "; deliveries wait behind publishes, so consumers fall behind too: "
                           "give it more workers or less work");
    }
    auto& inbox = rec.broker_inbox_trend();
    inbox.finish(win.from, win.to, rec.broker_inbox_level());
    const bool inbox_grows = span > 0 && inbox.keeps_growing();
    if (broker_saturated || inbox_grows) r.falling_behind.push_back("broker");
    if (inbox_grows) {
      char text[200];
      std::snprintf(text, sizeof text,
                    "the broker falls behind: inbox %lld -> %lld across the measured window, "
                    "routes %.0f/s of %.0f/s publishes offered",
                    static_cast<long long>(inbox.at_from()), static_cast<long long>(inbox.at_to()),
                    static_cast<double>(inbox.left()) / (span / 1e9),
                    static_cast<double>(inbox.joined()) / (span / 1e9));
      r.warnings.push_back(text);
    }
  }
  for (std::size_t i = 0; i < s.topics.size(); ++i) {
    const auto& t = rec.topic(static_cast<int>(i));
    topic_result tr;
    static_cast<topic_counters&>(tr) = t;
    tr.name = s.topics[i].name;
    tr.backlog_max = t.held_max;
    tr.lag_ms = summarize(t.lag);
    const auto& subscribers = s.topics[i].subscribers;
    for (std::size_t k = 0; k < subscribers.size(); ++k) {
      subscription_result sub;
      if (k < t.subscriptions.size()) {
        static_cast<delivery_counters&>(sub) = t.subscriptions[k];
        sub.published = t.subscriptions[k].published;
        sub.backlog_max = t.subscriptions[k].held_max;
        sub.lag_ms = summarize(t.subscriptions[k].lag);
        const auto& parts = t.subscriptions[k].partitions;
        for (std::size_t p = 0; p < parts.size(); ++p) {
          if (parts[p].count == 0) continue;
          const double mean = parts[p].sum / static_cast<double>(parts[p].count) / 1e6;
          if (sub.worst_partition >= 0 && mean <= sub.worst_partition_lag_ms_mean) continue;
          sub.worst_partition = static_cast<int>(p);
          sub.worst_partition_lag_ms_mean = mean;
          sub.worst_partition_lag_ms_max = static_cast<double>(parts[p].max) / 1e6;
        }
      }
      sub.name = s.services[subscribers[k].first].name;
      sub.partitions = s.topics[i].partitions;
      tr.subscriptions.push_back(std::move(sub));
    }
    r.topics.push_back(std::move(tr));
  }
  consumer_warnings(p, rec, broker_saturated, r.warnings, r.falling_behind);
  std::vector<std::size_t> subscribers;
  for (const auto& t : s.topics) subscribers.push_back(t.subscribers.size());
  r.timeline = rec.timeline().finish(end, subscribers);
  offered_rates(s, rec.timeline().bucket(), r.timeline);
  r.timeline.windows =
      rec.windows().finish(r.timeline, rec.timeline().bucket(), end, s.broker_party());
}

}  // namespace svcsim
