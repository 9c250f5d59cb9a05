#include "report/metric_rows.hpp"

#include <cmath>

namespace svcsim {
namespace {

using run_getter = std::function<double(const run_result&)>;

template <class T>
void entity_rows(std::vector<metric_row>& out, const std::string& kind, const T& entity,
                 const std::string& name, const std::vector<metric<T>>& metrics,
                 const std::function<const T&(const run_result&)>& of);

// The rows of the entities `list` holds in `entity` (a topic's subscriptions, a service's
// instances), each named `prefix` + its name.
template <class T, class N>
void nested_rows(std::vector<metric_row>& out, const std::string& kind, const T& entity,
                 const std::string& prefix, const entity_metrics<N>& table, std::vector<N> T::*list,
                 const std::function<const T&(const run_result&)>& of) {
  const auto& items = entity.*list;
  for (std::size_t j = 0; j < items.size(); ++j)
    entity_rows<N>(out, kind, items[j], prefix + items[j].name, table.metrics,
                   [of, list, j](const run_result& x) -> const N& { return (of(x).*list)[j]; });
}

// One entity's rows; `of` finds it in a run.
template <class T>
void entity_rows(std::vector<metric_row>& out, const std::string& kind, const T& entity,
                 const std::string& name, const std::vector<metric<T>>& metrics,
                 const std::function<const T&(const run_result&)>& of) {
  for (const auto& m : metrics) {
    if (m.format == metric_format::names || m.format == metric_format::name) continue;
    if (m.format == metric_format::percentiles) {
      const auto group = std::get<percentiles T::*>(m.field);
      for (const auto& part : percentile_parts)
        out.push_back({kind, name, std::string(m.key) + "." + part.key,
                       std::string(m.label) + " " + part.label, m.format, m.shown,
                       [of, group, field = part.field](const run_result& x) {
                         const percentiles& p = of(x).*group;
                         return p.count ? p.*field : std::nan("");
                       }});
      continue;
    }
    // after the entity's own rows
    if (m.format == metric_format::subscriptions || m.format == metric_format::instances) continue;
    out.push_back({kind, name, m.key, m.label, m.format, m.shown,
                   [of, field = m.field](const run_result& x) { return number_of(of(x), field); },
                   m.shown == metric_shown::when_split && !is_split(entity)});
  }
  for (const auto& m : metrics) {
    if (m.format == metric_format::subscriptions)
      nested_rows(out, "subscription", entity, name + "/", subscription_metrics,
                  std::get<std::vector<subscription_result> T::*>(m.field), of);
    else if (m.format == metric_format::instances)
      nested_rows(out, "instance", entity, "", instance_metrics,
                  std::get<std::vector<service_result> T::*>(m.field), of);
  }
}

}  // namespace

std::vector<metric_row> metric_rows(const run_result& first) {
  std::vector<metric_row> out;
  for_each_entity([&](const auto& kind) {
    using T = typename std::decay_t<decltype(kind)>::entity;
    std::string name = kind.key;  // "workloads" -> "workload"
    name.pop_back();
    const auto& list = first.*kind.list;
    for (std::size_t i = 0; i < list.size(); ++i)
      entity_rows<T>(
          out, name, list[i], list[i].name, kind.metrics,
          [list_of = kind.list, i](const run_result& x) -> const T& { return (x.*list_of)[i]; });
  });
  return out;
}

std::vector<double> values_of(const metric_row& row, const report& r, std::size_t run) {
  std::vector<double> xs;
  if (r.replicas.empty()) {
    xs.push_back(row.get(r.runs[run]));
  } else {
    for (const auto& rep : r.replicas[run]) xs.push_back(row.get(rep));
  }
  return xs;
}

}  // namespace svcsim
