#include "report/metrics.hpp"

namespace svcsim {

using as = metric_format;  // rows read: as::count
constexpr auto if_any = metric_shown::when_some_run_has_it;
constexpr auto when_split = metric_shown::when_split;

const percentile_part percentile_parts[6] = {
    {"mean", "mean", &percentiles::mean},  {"p50", "p50", &percentiles::p50},
    {"p90", "p90", &percentiles::p90},     {"p99", "p99", &percentiles::p99},
    {"p99.9", "p999", &percentiles::p999}, {"max", "max", &percentiles::max}};

const entity_metrics<workload_result> workload_metrics{
    "workload",
    "workloads",
    &run_result::workloads,
    {
        {"requests", "requests", as::count, &workload_result::requests},
        {"ok", "ok", as::count, &workload_result::ok},
        {"failed", "failed", as::count, &workload_result::failed},
        {"unfinished", "unfinished", as::count, &workload_result::unfinished},
        {"ok, effects pending", "incomplete", as::count, &workload_result::incomplete},
        {"availability", "availability", as::share, &workload_result::availability},
        {"throughput (req/s)", "throughput_rps", as::number, &workload_result::throughput_rps},
        {"latency ms", "latency_ms", as::percentiles, &workload_result::latency_ms},
        {"completion ms", "completion_ms", as::percentiles, &workload_result::completion_ms},
    }};

// The outage and caller counters show in text only when some run has them.
const entity_metrics<service_result> service_metrics{
    "service",
    "services",
    &run_result::services,
    {
        {"served", "served", as::count, &service_result::served},
        {"rejected", "rejected", as::count, &service_result::rejected},
        {"errors", "errors", as::count, &service_result::errors},
        {"dropped", "dropped", as::count, &service_result::dropped, if_any},
        {"timeouts", "timeouts", as::count, &service_result::timeouts, if_any},
        {"retries", "retries", as::count, &service_result::retries, if_any},
        {"short-circuited", "short_circuited", as::count, &service_result::short_circuited, if_any},
        {"outboxed", "outboxed", as::count, &service_result::outboxed, if_any},
        {"outbox max", "outbox_max", as::count, &service_result::outbox_max, if_any},
        {"utilization", "utilization", as::share, &service_result::utilization},
        {"queue mean", "queue_mean", as::number, &service_result::queue_mean},
        {"queue max", "queue_max", as::count, &service_result::queue_max},
        {"instances", "instances", as::count, &service_result::instance_count, when_split},
        {"utilization min", "utilization_min", as::share, &service_result::utilization_min,
         when_split},
        {"utilization max", "utilization_max", as::share, &service_result::utilization_max,
         when_split},
        {"busiest instance", "busiest", as::name, &service_result::busiest, when_split},
        {"instance", "per_instance", as::instances, &service_result::instances},
        {"knows (ce)", "ce", as::count, &service_result::ce},
        {"known by (ca)", "ca", as::count, &service_result::ca},
        {"knows", "knows", as::names, &service_result::knows},
    }};

// One instance of a service of several (service_result::instances).
const entity_metrics<service_result> instance_metrics{
    "instance",
    "per_instance",
    nullptr,
    {
        {"served", "served", as::count, &service_result::served},
        {"rejected", "rejected", as::count, &service_result::rejected},
        {"errors", "errors", as::count, &service_result::errors},
        {"dropped", "dropped", as::count, &service_result::dropped, if_any},
        {"timeouts", "timeouts", as::count, &service_result::timeouts, if_any},
        {"retries", "retries", as::count, &service_result::retries, if_any},
        {"short-circuited", "short_circuited", as::count, &service_result::short_circuited, if_any},
        {"outboxed", "outboxed", as::count, &service_result::outboxed, if_any},
        {"outbox max", "outbox_max", as::count, &service_result::outbox_max, if_any},
        {"utilization", "utilization", as::share, &service_result::utilization},
        {"throughput (jobs/s)", "throughput_ps", as::number, &service_result::throughput_ps},
        {"queue mean", "queue_mean", as::number, &service_result::queue_mean},
        {"queue max", "queue_max", as::count, &service_result::queue_max},
    }};

// The broker as a resource (run_result::brokers): its tasks are publishes and deliveries.
const entity_metrics<service_result> broker_metrics{
    "",
    "brokers",
    &run_result::brokers,
    {
        {"served", "served", as::count, &service_result::served},
        {"throughput (tasks/s)", "throughput_ps", as::number, &service_result::throughput_ps},
        {"rejected", "rejected", as::count, &service_result::rejected},
        {"errors", "errors", as::count, &service_result::errors, if_any},
        {"dropped", "dropped", as::count, &service_result::dropped, if_any},
        {"utilization", "utilization", as::share, &service_result::utilization},
        {"queue mean", "queue_mean", as::number, &service_result::queue_mean},
        {"queue max", "queue_max", as::count, &service_result::queue_max},
    }};

const entity_metrics<topic_result> topic_metrics{
    "topic",
    "topics",
    &run_result::topics,
    {
        {"published", "published", as::count, &topic_result::published},
        {"refused", "refused", as::count, &topic_result::refused, if_any},
        {"dropped (broker down)", "dropped", as::count, &topic_result::dropped, if_any},
        {"kept in outboxes", "outboxed", as::count, &topic_result::outboxed, if_any},
        {"delivered", "delivered", as::count, &topic_result::delivered},
        {"lost", "lost", as::count, &topic_result::lost},
        {"redelivered", "redelivered", as::count, &topic_result::redelivered},
        {"dead-lettered", "dead_lettered", as::count, &topic_result::dead_lettered, if_any},
        {"backlog max", "backlog_max", as::count, &topic_result::backlog_max},
        {"lag ms", "lag_ms", as::percentiles, &topic_result::lag_ms},
        {"subscriber", "subscriptions", as::subscriptions, &topic_result::subscriptions},
    }};

// In text, lost, redelivered and dead-lettered show when some run has them.
const entity_metrics<subscription_result> subscription_metrics{
    "subscriber",
    "subscriptions",
    nullptr,
    {
        {"published", "published", as::count, &subscription_result::published},
        {"delivered", "delivered", as::count, &subscription_result::delivered},
        {"lost", "lost", as::count, &subscription_result::lost, if_any},
        {"redelivered", "redelivered", as::count, &subscription_result::redelivered, if_any},
        {"dead-lettered", "dead_lettered", as::count, &subscription_result::dead_lettered, if_any},
        {"backlog max", "backlog_max", as::count, &subscription_result::backlog_max},
        {"lag ms", "lag_ms", as::percentiles, &subscription_result::lag_ms},
        {"partitions", "partitions", as::count, &subscription_result::partitions, when_split},
        {"worst partition", "worst_partition", as::count, &subscription_result::worst_partition,
         when_split},
        {"  its lag ms mean", "worst_partition_lag_ms_mean", as::number,
         &subscription_result::worst_partition_lag_ms_mean, when_split},
        {"  its lag ms max", "worst_partition_lag_ms_max", as::number,
         &subscription_result::worst_partition_lag_ms_max, when_split},
    }};

const std::vector<blast_metric> blast_metrics = {
    {"availability", &blast_cell::availability, &blast_cell::availability_hw},
    {"window_availability", &blast_cell::window_availability, &blast_cell::window_availability_hw},
    {"p99_ms", &blast_cell::p99_ms, &blast_cell::p99_ms_hw},
    {"run_p99_ms", &blast_cell::run_p99_ms},
    {"catch_up_s", &blast_cell::catch_up_s, &blast_cell::catch_up_s_hw},
    {"window_requests", &blast_cell::window_requests},
    {"window_ok", &blast_cell::window_ok},
    {"window_failed", &blast_cell::window_failed},
    {"down", &blast_cell::down},
};

std::optional<double> value_of(const blast_cell& c, const blast_metric& m) {
  return std::visit(
      [&](auto field) -> std::optional<double> {
        if constexpr (std::is_member_function_pointer_v<decltype(field)>)
          return (c.*field)() ? 1.0 : 0.0;
        else if constexpr (std::is_same_v<decltype(field), std::optional<double> blast_cell::*>)
          return c.*field;
        else
          return static_cast<double>(c.*field);
      },
      m.field);
}

}  // namespace svcsim
