#include "report/text_report.hpp"

#include <cmath>
#include <functional>
#include <sstream>
#include <string>

#include "report/failure_text.hpp"
#include "report/format.hpp"
#include "report/metrics.hpp"
#include "report/table.hpp"

namespace svcsim {
namespace {

// The rows of one entity: `of` finds it in a run; `indent` goes before each label.
template <class T>
void entity_rows(table& t, const report& r, const std::vector<metric<T>>& metrics,
                 const std::function<const T&(const run_result&)>& of,
                 const std::string& indent = "") {
  for (const auto& m : metrics) {
    if (m.format == metric_format::names) continue;
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
      for (const auto& part : percentile_parts)
        t.row(
            indent + m.label + " " + part.label,
            [&](const run_result& x) {
              const percentiles& p = of(x).*group;
              return p.count ? p.*part.field : std::nan("");  // NaN: nothing measured
            },
            ms);
      continue;
    }
    bool any = m.shown == metric_shown::always;
    for (const auto& run : r.runs) any = any || number_of(of(run), m.field) != 0;
    if (any)
      t.row(
          indent + m.label, [&](const run_result& x) { return number_of(of(x), m.field); },
          cell_format(m.format));
  }
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
      out << "    " << to_string(run.mode) << ": " << join(run.services[i].knows) << "\n";
  }
  // Who must know the broker, in the runs whose mode uses it.
  std::ostringstream broker;
  for (const auto& run : r.runs)
    if (run.broker_coupling.ca > 0)
      broker << "    " << to_string(run.mode) << ": " << join(run.broker_coupling.known_by) << "\n";
  if (!broker.str().empty()) out << "  the broker is known by\n" << broker.str();
  return out.str();
}

}  // namespace svcsim
