#include "engine/offered_load.hpp"

namespace svcsim {

double mean_work_s(const handler_plan& h) {
  double ns = 0;
  for_each_op(h.ops, [&](const op& o) {
    if (o.kind == op_kind::work) ns += o.work->mean();
  });
  return ns / 1e9;
}

const char* saturation(double rho) {
  return rho >= 1 ? "saturated" : rho >= 0.8 ? "near saturation" : "";
}

namespace {

// The broker: one publish task per publish op run, one delivery task per subscriber of its
// topic; `first`, `rate` and `closed` as offered_load_of() has them per handler.
load_row broker_row(const plan& p, const std::vector<int>& first, const std::vector<double>& rate,
                    const std::vector<char>& closed) {
  const scenario& s = *p.source;
  double publishes = 0, deliveries = 0;
  load_row row;
  row.name = "broker";
  row.workers = s.broker_workers;
  for (std::size_t i = 0; i < p.services.size(); ++i)
    for (std::size_t h = 0; h < p.services[i].handlers.size(); ++h) {
      const int g = first[i] + static_cast<int>(h);
      for_each_op(p.services[i].handlers[h].ops, [&](const op& o) {
        if (o.kind != op_kind::publish) return;
        publishes += rate[g];
        deliveries += rate[g] * static_cast<double>(s.topics[o.topic].subscribers.size());
        row.closed_loop = row.closed_loop || closed[g];
      });
    }
  const double work =
      (publishes * s.broker_publish_work.mean() + deliveries * s.broker_deliver_work.mean()) / 1e9;
  row.jobs_per_s = publishes + deliveries;
  row.mean_work_s = row.jobs_per_s > 0 ? work / row.jobs_per_s : 0;
  row.rho = work / row.workers;
  return row;
}

}  // namespace

offered_load offered_load_of(const plan& p) {
  const scenario& s = *p.source;
  // Handlers numbered across services: first[i] is service i's handler 0.
  std::vector<int> first;
  int count = 0;
  for (const auto& sp : p.services) {
    first.push_back(count);
    count += static_cast<int>(sp.handlers.size());
  }
  // Per handler, the handlers one run of it starts, once per call or delivery.
  std::vector<std::vector<int>> next(count);
  std::vector<int> waiting(count, 0);  // handlers that start it, not yet carried
  for (std::size_t i = 0; i < p.services.size(); ++i)
    for (std::size_t h = 0; h < p.services[i].handlers.size(); ++h) {
      auto& out = next[first[i] + h];
      for_each_op(p.services[i].handlers[h].ops, [&](const op& o) {
        if (o.kind == op_kind::call) out.push_back(first[o.service] + o.handler);
        if (o.kind != op_kind::publish) return;
        for (auto [svc, sub] : s.topics[o.topic].subscribers)
          out.push_back(first[svc] + p.subscription_handler(svc, sub));
      });
      for (int to : out) ++waiting[to];
    }
  std::vector<double> rate(count, 0);
  std::vector<char> closed(count, 0);
  for (const auto& w : s.workloads) {
    const int h = first[w.service] + w.endpoint;
    if (w.users > 0)
      closed[h] = 1;
    else
      rate[h] += w.profile ? w.profile->peak() : w.rate_per_s;  // the peak saturates
  }
  // Carry the rates along the calls and deliveries in topological order (the loader refuses
  // cycles of calls and of messages, so every handler is reached).
  std::vector<int> ready;
  for (int h = 0; h < count; ++h)
    if (waiting[h] == 0) ready.push_back(h);
  while (!ready.empty()) {
    const int h = ready.back();
    ready.pop_back();
    for (int to : next[h]) {
      rate[to] += rate[h];
      closed[to] = closed[to] || closed[h];
      if (--waiting[to] == 0) ready.push_back(to);
    }
  }
  offered_load load;
  load.mode = p.mode;
  for (std::size_t i = 0; i < p.services.size(); ++i) {
    const auto& svc = s.services[i];
    load_row row;
    row.name = svc.name;
    row.workers = svc.workers;
    row.instances = svc.instances;
    row.balance = svc.balance;
    double work = 0;  // seconds of work offered per second
    for (std::size_t h = 0; h < p.services[i].handlers.size(); ++h) {
      const int g = first[i] + static_cast<int>(h);
      row.jobs_per_s += rate[g];
      work += rate[g] * mean_work_s(p.services[i].handlers[h]);
      row.closed_loop = row.closed_loop || closed[g];
    }
    row.mean_work_s = row.jobs_per_s > 0 ? work / row.jobs_per_s : 0;
    row.rho = work / (svc.workers * svc.instances);
    row.waits_on_calls = svc.blocking && (!p.services[i].calls.empty() || p.services[i].confirms);
    load.rows.push_back(std::move(row));
  }
  if (s.broker_costs()) load.rows.push_back(broker_row(p, first, rate, closed));
  return load;
}

}  // namespace svcsim
