#include "engine/plan.hpp"

#include <algorithm>

namespace svcsim {
namespace {

struct compiler {
  const scenario& s;
  const design& d;
  plan& p;

  // The one place that decides a notify's mode: the design's pin of its topic, else the step's
  // own `mode`, else its topic's (`topics:`), else the run's.
  mode mode_of(const step& st) const {
    for (const auto& [topic, m] : d.pins)
      if (topic == st.topic) return m;
    if (st.pinned) return *st.pinned;
    if (s.topics[st.topic].pinned) return *s.topics[st.topic].pinned;
    return d.mode;
  }

  op call_to(int service, int handler, const call_policy& policy) {
    op o;
    o.kind = op_kind::call;
    o.service = service;
    o.handler = handler;
    o.policy = &policy;
    return o;
  }

  void emit(const step& st, std::vector<op>& out) {
    switch (st.kind) {
      case step_kind::work: {
        op o;
        o.work = &st.work;
        out.push_back(o);
        break;
      }
      case step_kind::call:
        out.push_back(call_to(st.service, st.endpoint, st.policy));
        break;
      case step_kind::publish:
        out.push_back(publish_of(st));
        break;
      case step_kind::notify:
        if (mode_of(st) == mode::async) {
          out.push_back(publish_of(st));
          break;
        }
        if (s.sync_notify == notify_policy::sequential) {
          for (auto [svc, sub] : s.topics[st.topic].subscribers)
            out.push_back(call_to(svc, p.subscription_handler(svc, sub), st.policy));
        } else {
          op par;
          par.kind = op_kind::parallel;
          for (auto [svc, sub] : s.topics[st.topic].subscribers)
            par.branches.push_back({call_to(svc, p.subscription_handler(svc, sub), st.policy)});
          out.push_back(std::move(par));
        }
        break;
      case step_kind::parallel: {
        op par;
        par.kind = op_kind::parallel;
        for (const auto& branch : st.branches) {
          par.branches.emplace_back();
          emit(branch, par.branches.back());
        }
        out.push_back(std::move(par));
        break;
      }
    }
  }

  op publish_of(const step& st) {
    op o;
    o.kind = op_kind::publish;
    o.topic = st.topic;
    if (st.publishing.confirm) o.policy = &*st.publishing.confirm;
    o.on_down = st.publishing.on_down;
    o.key = &st.key;
    p.topics[st.topic].brokered = true;
    return o;
  }

  handler_plan compile_handler(const handler& h) {
    handler_plan hp;
    for (const auto& st : h.steps) emit(st, hp.ops);
    return hp;
  }
};

// Walks ops, noting calls and publishes of the service that owns them.
void scan(const std::vector<op>& ops, service_plan& sp, handler_plan& hp) {
  for_each_op(ops, [&](const op& o) {
    if (o.kind == op_kind::call) {
      hp.predictable = false;
      sp.calls.push_back(o.service);
    } else if (o.kind == op_kind::publish) {
      sp.publishes = true;
      if (!o.policy) return;
      hp.predictable = false;  // waits for the broker's confirm
      sp.confirms = true;
    }
  });
}

void mark_fed_services(const scenario& s, plan& p) {
  std::vector<int> sources(s.services.size(), 0), feeder(s.services.size(), -1);
  for (const auto& sp : p.services)
    for (int callee : sp.calls) ++sources[callee];
  for (std::size_t w = 0; w < s.workloads.size(); ++w) {
    const int target = s.workloads[w].service;
    ++sources[target];
    if (s.workloads[w].users == 0) feeder[target] = static_cast<int>(w);
  }
  for (std::size_t i = 0; i < s.services.size(); ++i) {
    auto& sp = p.services[i];
    if (sp.predictable && !sp.consumes && sources[i] == 1) sp.fed_by = feeder[i];
  }
}

}  // namespace

int plan::subscription_handler(int service, int subscription) const {
  return static_cast<int>(source->services[service].endpoints.size()) + subscription;
}

plan compile(const scenario& s, mode m) { return compile(s, design_of(m)); }

plan compile(const scenario& s, const design& d) {
  plan p;
  p.mode = d.mode;
  p.source = &s;
  p.topics.resize(s.topics.size());
  p.services.resize(s.services.size());
  compiler c{s, d, p};
  for (std::size_t i = 0; i < s.services.size(); ++i) {
    const auto& svc = s.services[i];
    auto& sp = p.services[i];
    for (const auto& e : svc.endpoints) sp.handlers.push_back(c.compile_handler(e));
    for (const auto& sub : svc.subscriptions)
      sp.handlers.push_back(c.compile_handler(sub.on_message));
  }
  for (std::size_t i = 0; i < s.services.size(); ++i) {
    auto& sp = p.services[i];
    for (auto& hp : sp.handlers) {
      scan(hp.ops, sp, hp);
      sp.predictable = sp.predictable && hp.predictable;
    }
    std::sort(sp.calls.begin(), sp.calls.end());
    sp.calls.erase(std::unique(sp.calls.begin(), sp.calls.end()), sp.calls.end());
    for (const auto& sub : s.services[i].subscriptions)
      sp.consumes = sp.consumes || p.topics[sub.topic].brokered;
  }
  mark_fed_services(s, p);
  return p;
}

}  // namespace svcsim
