#include "report/text_report.hpp"

#include <cmath>
#include <functional>
#include <sstream>
#include <string>
#include <type_traits>

#include "report/failure_text.hpp"
#include "report/format.hpp"
#include "report/metrics.hpp"
#include "report/table.hpp"

namespace svcsim {
namespace {

// Whether some run has failed requests of the workload `of` finds.
template <class T>
bool any_failed(const report& r, const std::function<const T&(const run_result&)>& of) {
  if constexpr (std::is_same_v<T, workload_result>) {
    for (const auto& run : r.runs)
      if (of(run).failed > 0) return true;
    for (const auto& reps : r.replicas)
      for (const auto& run : reps)
        if (of(run).failed > 0) return true;
  }
  return false;
}

// The rows of one entity: `of` finds it in a run; `indent` goes before each label.
template <class T>
void entity_rows(table& t, const report& r, const std::vector<metric<T>>& metrics,
                 const std::function<const T&(const run_result&)>& of,
                 const std::string& indent = "") {
  for (const auto& m : metrics) {
    if (m.format == metric_format::names || m.format == metric_format::instances) continue;
    if (m.shown == metric_shown::when_split && !is_split(of(r.runs.front()))) continue;
    if (m.format == metric_format::name) {  // a line: its value in each run
      const auto field = std::get<std::string T::*>(m.field);
      t.out() << "  " << indent << m.label << ": "
              << name_across_runs(r, [&](const run_result& x) { return of(x).*field; }) << "\n";
      continue;
    }
    if (m.format == metric_format::subscriptions) {  // each under its name, indented
      const auto list = std::get<std::vector<subscription_result> T::*>(m.field);
      const auto& subs = of(r.runs.front()).*list;
      for (std::size_t j = 0; j < subs.size(); ++j) {
        t.out() << "  " << indent << subscription_metrics.heading << " " << subs[j].name << "\n";
        entity_rows<subscription_result>(
            t, r, subscription_metrics.metrics,
            [&, j](const run_result& x) -> const subscription_result& { return (of(x).*list)[j]; },
            indent + "  ");
      }
      continue;
    }
    if (m.format == metric_format::percentiles) {
      const auto group = std::get<percentiles T::*>(m.field);
      // When some requests failed, latency and completion say they count the ok ones only.
      // A column that lost most of them is not compared (table::lost_most).
      std::string label = m.label, lost;
      if constexpr (std::is_same_v<T, workload_result>) {
        if (any_failed(r, of)) label = "ok " + label;
        lost = t.lost_most([&](const run_result& x) { return answered(of(x)); },
                           "latency and completion");
      }
      for (const auto& part : percentile_parts)
        t.row(
            indent + label + " " + part.label,
            [&](const run_result& x) {
              const percentiles& p = of(x).*group;
              return p.count ? p.*part.field : std::nan("");  // NaN: nothing measured
            },
            ms, lost.empty());
      if (!lost.empty() && m.key == std::string("completion_ms"))  // once, under both
        t.note(lost);
      continue;
    }
    bool any = m.shown != metric_shown::when_some_run_has_it;
    for (const auto& run : r.runs) any = any || number_of(of(run), m.field) != 0;
    if (any)
      t.row(
          indent + m.label, [&](const run_result& x) { return number_of(of(x), m.field); },
          cell_format(m.format));
    if constexpr (std::is_same_v<T, workload_result>)
      if (m.key == std::string("availability") && any_failed(r, of))
        t.row(
            indent + "failed share",
            [&](const run_result& x) {
              const auto& w = of(x);
              return w.ok + w.failed > 0 ? static_cast<double>(w.failed) / (w.ok + w.failed) : 0;
            },
            pct);
  }
}

}  // namespace

std::string legend_text(const report& r) {
  const auto& run = r.runs.front();
  std::string out = "\nterms\n";
  if (!run.workloads.empty())
    out +=
        "  latency: send to reply. completion: send until everything the request caused is\n"
        "    handled, the deliveries of its events included (in async, later than the reply)\n"
        "  ok, effects pending: answered ok, but a side effect was still pending at the end\n"
        "  unfinished: no reply when the run stopped. availability: ok / (ok + failed)\n";
  if (!run.services.empty())
    out +=
        "  utilization: busy worker time / (workers x measured time). queue: jobs waiting\n"
        "  knows (ce): the parties a service must address. known by (ca): those addressing it\n";
  if (!run.topics.empty())
    out +=
        "  backlog max: the most messages the broker held at once. lag: from publish to the\n"
        "    end of the subscriber's handling, per delivery\n";
  if (r.runs.size() >= 2) {  // "async-sync: the difference, and in % of sync; ..."
    const std::string first = r.runs.front().label();
    std::vector<std::string> differences;
    for (std::size_t i = 1; i < r.runs.size(); ++i)
      differences.push_back(r.runs[i].label() + "-" + first);
    out += "  " + join(differences) +
           (r.runs.size() == 2 ? ": the difference" : ": the differences") + ", and in % of " +
           first + "; pt: percentage points\n";
  }
  if (!r.replicas.empty())
    out += "  ±: half-width of the 95% confidence interval of the mean over the replications\n";
  return out;
}

namespace {

void summary(table& t, const report& r) {
  auto& out = t.out();
  out << "svcsim " << SVCSIM_VERSION << " - scenario " << r.scenario << ", seed " << r.seed << ", "
      << r.clock << " clock";
  if (!r.replicas.empty())
    out << ", " << r.replicas.front().size()
        << " replications (mean ± half-width of the 95% confidence interval)";
  out << "\n";
  for (const auto& set : r.settings) out << "  set: " << set << "\n";
  for (const auto& load : r.loads) out << "  load " << load << "\n";
  for (const auto& run : r.runs)
    out << "  " << run.label() << ": " << fmt("%.3f", run.sim_time_s) << " s simulated ("
        << fmt("%.3f", run.measured_s) << " s measured) in " << fmt("%.2f", run.wall_time_s)
        << " s, " << run.events << " events\n";
  for (const auto& run : r.runs)
    for (const auto& w : run.warnings) out << "  warning (" << run.label() << "): " << w << "\n";
}

}  // namespace

std::string to_text(const report& r) {
  table t(r);
  summary(t, r);
  const auto& first = r.runs.front();
  for_each_entity([&](const auto& kind) {
    using T = typename std::decay_t<decltype(kind)>::entity;
    const auto& list = first.*kind.list;
    for (std::size_t i = 0; i < list.size(); ++i) {
      t.heading(*kind.heading ? std::string(kind.heading) + " " + list[i].name : list[i].name);
      entity_rows<T>(t, r, kind.metrics,
                     [&, i](const run_result& x) -> const T& { return (x.*kind.list)[i]; });
    }
  });
  auto& out = t.out();
  out << failure_text(r);
  out << "\ncoupling: whom each service must know\n";
  for (std::size_t i = 0; i < first.services.size(); ++i) {
    out << "  " << first.services[i].name << "\n";
    for (const auto& run : r.runs)
      out << "    " << run.label() << ": " << join(run.services[i].knows) << "\n";
  }
  // Who must know the broker, in the runs whose mode uses it.
  std::ostringstream broker;
  for (const auto& run : r.runs)
    if (run.broker_coupling.ca > 0)
      broker << "    " << run.label() << ": " << join(run.broker_coupling.known_by) << "\n";
  if (!broker.str().empty()) out << "  the broker is known by\n" << broker.str();
  if (r.legend) out << legend_text(r);
  return out.str();
}

}  // namespace svcsim
