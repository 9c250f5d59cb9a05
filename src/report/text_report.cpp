#include "report/text_report.hpp"

#include <cmath>
#include <functional>
#include <string>

#include "report/failure_text.hpp"
#include "report/format.hpp"
#include "report/table.hpp"

namespace svcsim {
namespace {

// NaN when nothing was measured.
double measured(const percentiles& p, double percentiles::*field) {
  return p.count ? p.*field : std::nan("");
}

void percentile_rows(table& t, const std::string& what,
                     const std::function<const percentiles&(const run_result&)>& get) {
  t.row(
      what + " mean", [&](const run_result& r) { return measured(get(r), &percentiles::mean); },
      ms);
  t.row(
      what + " p50", [&](const run_result& r) { return measured(get(r), &percentiles::p50); }, ms);
  t.row(
      what + " p90", [&](const run_result& r) { return measured(get(r), &percentiles::p90); }, ms);
  t.row(
      what + " p99", [&](const run_result& r) { return measured(get(r), &percentiles::p99); }, ms);
  t.row(
      what + " p99.9", [&](const run_result& r) { return measured(get(r), &percentiles::p999); },
      ms);
  t.row(
      what + " max", [&](const run_result& r) { return measured(get(r), &percentiles::max); }, ms);
}

void summary(table& t, const report& r) {
  auto& out = t.out();
  out << "svcsim " << SVCSIM_VERSION << " - scenario " << r.scenario << ", seed " << r.seed << ", "
      << r.clock << " clock";
  if (!r.replicas.empty())
    out << ", " << r.replicas.front().size()
        << " replications (mean ± half-width of the 95% confidence interval)";
  out << "\n";
  for (const auto& run : r.runs)
    out << "  " << to_string(run.mode) << ": " << fmt("%.3f", run.sim_time_s) << " s simulated ("
        << fmt("%.3f", run.measured_s) << " s measured) in " << fmt("%.2f", run.wall_time_s)
        << " s, " << run.events << " events\n";
  for (const auto& run : r.runs)
    for (const auto& w : run.warnings)
      out << "  warning (" << to_string(run.mode) << "): " << w << "\n";
}

}  // namespace

std::string to_text(const report& r) {
  table t(r);
  summary(t, r);
  const auto& first = r.runs.front();
  for (std::size_t i = 0; i < first.workloads.size(); ++i) {
    t.heading("workload " + first.workloads[i].name);
    auto w = [i](const run_result& run) -> const workload_result& { return run.workloads[i]; };
    t.row(
        "requests", [&](const run_result& x) { return double(w(x).requests); }, whole);
    t.row(
        "ok", [&](const run_result& x) { return double(w(x).ok); }, whole);
    t.row(
        "failed", [&](const run_result& x) { return double(w(x).failed); }, whole);
    t.row(
        "unfinished", [&](const run_result& x) { return double(w(x).unfinished); }, whole);
    t.row(
        "ok, effects pending", [&](const run_result& x) { return double(w(x).incomplete); }, whole);
    t.row(
        "availability", [&](const run_result& x) { return w(x).availability; }, pct);
    t.row(
        "throughput (req/s)", [&](const run_result& x) { return w(x).throughput_rps; }, num);
    percentile_rows(t, "latency ms",
                    [&](const run_result& x) -> const percentiles& { return w(x).latency_ms; });
    percentile_rows(t, "completion ms",
                    [&](const run_result& x) -> const percentiles& { return w(x).completion_ms; });
  }
  for (std::size_t i = 0; i < first.services.size(); ++i) {
    t.heading("service " + first.services[i].name);
    auto s = [i](const run_result& run) -> const service_result& { return run.services[i]; };
    t.row(
        "served", [&](const run_result& x) { return double(s(x).served); }, whole);
    t.row(
        "rejected", [&](const run_result& x) { return double(s(x).rejected); }, whole);
    t.row(
        "errors", [&](const run_result& x) { return double(s(x).errors); }, whole);
    // Outages and a caller's resilience counters, shown only when some run has them.
    const std::pair<const char*, std::int64_t service_result::*> caller_counts[] = {
        {"dropped", &service_result::dropped},
        {"timeouts", &service_result::timeouts},
        {"retries", &service_result::retries},
        {"short-circuited", &service_result::short_circuited}};
    for (const auto& [label, field] : caller_counts) {
      bool any = false;
      for (const auto& run : r.runs) any = any || s(run).*field != 0;
      if (any)
        t.row(
            label, [&, field = field](const run_result& x) { return double(s(x).*field); },
            whole);
    }
    t.row(
        "utilization", [&](const run_result& x) { return s(x).utilization; }, pct);
    t.row(
        "queue mean", [&](const run_result& x) { return s(x).queue_mean; }, num);
    t.row(
        "queue max", [&](const run_result& x) { return double(s(x).queue_max); }, whole);
    t.row(
        "knows (ce)", [&](const run_result& x) { return double(s(x).ce); }, whole);
    t.row(
        "known by (ca)", [&](const run_result& x) { return double(s(x).ca); }, whole);
  }
  for (std::size_t i = 0; i < first.topics.size(); ++i) {
    t.heading("topic " + first.topics[i].name);
    auto p = [i](const run_result& run) -> const topic_result& { return run.topics[i]; };
    t.row(
        "published", [&](const run_result& x) { return double(p(x).published); }, whole);
    t.row(
        "delivered", [&](const run_result& x) { return double(p(x).delivered); }, whole);
    t.row(
        "lost", [&](const run_result& x) { return double(p(x).lost); }, whole);
    t.row(
        "redelivered", [&](const run_result& x) { return double(p(x).redelivered); }, whole);
    t.row(
        "backlog max", [&](const run_result& x) { return double(p(x).backlog_max); }, whole);
    percentile_rows(t, "lag ms",
                    [&](const run_result& x) -> const percentiles& { return p(x).lag_ms; });
  }
  auto& out = t.out();
  out << failure_text(r);
  out << "\ncoupling: whom each service must know\n";
  for (std::size_t i = 0; i < first.services.size(); ++i) {
    out << "  " << first.services[i].name << "\n";
    for (const auto& run : r.runs)
      out << "    " << to_string(run.mode) << ": " << join(run.services[i].knows) << "\n";
  }
  return out.str();
}

}  // namespace svcsim
