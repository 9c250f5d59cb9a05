// The one table of what the reports say about a run: per kind of entity (workload, service,
// topic, and a topic's subscriptions), each metric once, with its label for people, its JSON
// key, the field of the result it reads, how it is written and when the text shows it. Every
// report writer walks these tables, in their order, so a new metric is one row of metrics.cpp.
#pragma once

#include <optional>
#include <string>
#include <type_traits>
#include <variant>
#include <vector>

#include "engine/results.hpp"
#include "studies/blast_radius.hpp"

namespace svcsim {

// How a metric is written. `percentiles`: the group mean, p50, p90, p99, p99.9, max, in ms;
// `names`: a list of names, in JSON only; `subscriptions`: a topic's subscriptions, each with
// the metrics of subscription_metrics (in JSON an object of them by name, in text a block
// under the topic); `name`: one name (JSON; text: a line under the entity); `instances`: a
// service's instances, each with the metrics of instance_metrics (in JSON an object of them
// by name, in CSV rows of kind "instance"; text, Markdown and HTML show the spread rows only).
enum class metric_format {
  count,
  share,
  number,
  percentiles,
  names,
  subscriptions,
  name,
  instances
};

// When the text shows a metric's row; JSON always has every metric. `when_some_run_has_it`:
// non-zero in a run; `when_split`: of a service of several instances, or a subscription of a
// partitioned topic (always in CSV).
enum class metric_shown { always, when_some_run_has_it, when_split };

template <class T>
using metric_field =
    std::variant<std::int64_t T::*, int T::*, double T::*, percentiles T::*,
                 std::vector<std::string> T::*, std::vector<subscription_result> T::*,
                 std::string T::*, std::vector<service_result> T::*>;

template <class T>
struct metric {
  const char* label;  // the text's row ("ok, effects pending"), or its rows' prefix ("lag ms")
  const char* key;    // the JSON key
  metric_format format;
  metric_field<T> field;
  metric_shown shown = metric_shown::always;
};

// One kind of entity: the list of a run it is in (none for subscriptions, which are in their
// topic's), and its metrics in report order.
template <class T>
struct entity_metrics {
  using entity = T;
  const char* heading;  // the text's heading, before the entity's name: "workload"
  const char* key;      // the JSON object of them, by name: "workloads"
  std::vector<T> run_result::*list;
  std::vector<metric<T>> metrics;
};

extern const entity_metrics<workload_result> workload_metrics;
extern const entity_metrics<service_result> service_metrics;
extern const entity_metrics<service_result> broker_metrics;  // heading "": its name says it
extern const entity_metrics<topic_result> topic_metrics;
extern const entity_metrics<subscription_result> subscription_metrics;  // under each topic
extern const entity_metrics<service_result> instance_metrics;  // under a service of several

// Whether rows shown `when_split` belong to `entity`: a service of several instances, or a
// subscription of a partitioned topic.
template <class T>
bool is_split(const T& entity) {
  if constexpr (std::is_same_v<T, service_result>)
    return entity.instance_count > 1;
  else if constexpr (std::is_same_v<T, subscription_result>)
    return entity.partitions > 0;
  else
    return false;
}

// Calls f with each kind's table, in report order.
template <class F>
void for_each_entity(F&& f) {
  f(workload_metrics);
  f(service_metrics);
  f(broker_metrics);
  f(topic_metrics);
}

// The members of a percentile group, in order: the text's suffix and the JSON key.
struct percentile_part {
  const char* label;
  const char* key;
  double percentiles::*field;
};
extern const percentile_part percentile_parts[6];

// A metric that is one number (a count, share or number), as a double; 0 for the others.
template <class T>
double number_of(const T& entity, const metric_field<T>& field) {
  return std::visit(
      [&](auto member) -> double {
        using value = std::decay_t<decltype(entity.*member)>;
        if constexpr (std::is_arithmetic_v<value>)
          return static_cast<double>(entity.*member);
        else
          return 0;
      },
      field);
}

// The metrics of one cell of coupling's blast radius (a workload in a variant and mode), in
// report order: the JSON key and CSV metric, the field it reads (JSON writes it with that
// field's type: a number, null for an empty optional, a whole number, a bool), and the field of
// its 95% interval's half-width, if it has one.
struct blast_metric {
  const char* key;
  std::variant<double blast_cell::*, std::optional<double> blast_cell::*,
               std::int64_t blast_cell::*, bool (blast_cell::*)() const>
      field;
  std::optional<double> blast_cell::*half_width = nullptr;
};
extern const std::vector<blast_metric> blast_metrics;

// A blast metric of a cell as a number (a bool as 0 or 1); none for an empty optional.
std::optional<double> value_of(const blast_cell& c, const blast_metric& m);

}  // namespace svcsim
