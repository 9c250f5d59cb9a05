// Resolving what the steps refer to (services, endpoints, topics), refusing cycles of
// synchronous calls between handlers, and checking that the breakers between two services agree.
#include <map>
#include <unordered_map>

#include "scenarios/load/loader_parts.hpp"
#include "scenarios/load/suggest.hpp"

namespace svcsim::detail {
namespace {

class resolver {
 public:
  explicit resolver(scenario& s) : s_(s) {
    for (std::size_t i = 0; i < s.services.size(); ++i) {
      service_index_[s.services[i].name] = static_cast<int>(i);
      service_names_.push_back(s.services[i].name);
    }
  }

  void run() {
    // Topics exist where they are subscribed, in service order...
    for (std::size_t si = 0; si < s_.services.size(); ++si) {
      auto& subs = s_.services[si].subscriptions;
      for (std::size_t k = 0; k < subs.size(); ++k) {
        subs[k].topic = topic_for(subs[k].on_message.name, subs[k].on_message.pos);
        s_.topics[subs[k].topic].subscribers.emplace_back(static_cast<int>(si),
                                                          static_cast<int>(k));
      }
    }
    for (const auto& t : s_.topics) subscribed_names_.push_back(t.name);
    used_.assign(s_.topics.size(), false);
    // ...then where they are published, in the order of the steps.
    for (std::size_t si = 0; si < s_.services.size(); ++si) {
      service& svc = s_.services[si];
      for (handler& h : svc.endpoints) resolve_steps(h.steps, svc.name + "." + h.name);
      for (subscription& sub : svc.subscriptions)
        resolve_steps(sub.on_message.steps, svc.name + " (on " + sub.on_message.name + ")");
    }
    check_subscriptions_used();
  }

 private:
  int topic_for(const std::string& name, source_pos pos) {
    auto it = topic_index_.find(name);
    if (it != topic_index_.end()) return it->second;
    if (s_.topics.size() == static_cast<std::size_t>(max_topics))
      fail(pos, "there are more than 10000 topics; keep at most 10000");
    topic t;
    t.name = name;
    s_.topics.push_back(std::move(t));
    used_.push_back(false);
    return topic_index_[name] = static_cast<int>(s_.topics.size() - 1);
  }

  void resolve_call(step& st, const std::string& label) {
    const auto dot = st.target.find('.');
    const std::string service_name = st.target.substr(0, dot);
    const std::string endpoint_name = st.target.substr(dot + 1);
    auto it = service_index_.find(service_name);
    if (it == service_index_.end())
      fail(st.pos, "call to unknown service " + quoted(service_name) + " in " + label + "; " +
                       suggestion(service_name, service_names_,
                                  "call one of " + join_names(service_names_, true, "or") +
                                      ", or declare it under services"));
    const service& callee = s_.services[it->second];
    st.service = it->second;
    st.endpoint = callee.find_endpoint(endpoint_name);
    if (st.endpoint >= 0) return;
    std::vector<std::string> names;
    for (const auto& ep : callee.endpoints) names.push_back(ep.name);
    fail(st.pos, "call to unknown endpoint " + quoted(endpoint_name) + " of service " +
                     quoted(callee.name) + " in " + label + "; " +
                     suggestion(endpoint_name, names,
                                names.empty() ? "add it under " + callee.name + "'s endpoints"
                                              : "its endpoints are " + join_names(names, true) +
                                                    "; call one of them or add it"));
  }

  void resolve_steps(std::vector<step>& steps, const std::string& label) {
    for (step& st : steps) {
      switch (st.kind) {
        case step_kind::work:
          break;
        case step_kind::call:
          resolve_call(st, label);
          break;
        case step_kind::notify: {
          auto it = topic_index_.find(st.target);
          if (it == topic_index_.end() || s_.topics[it->second].subscribers.empty())
            fail(st.pos, "notify of topic " + quoted(st.target) + " in " + label +
                             ", but nobody subscribes to topic " + quoted(st.target) + "; " +
                             suggestion(st.target, subscribed_names_,
                                        "add it under some service's subscribes, or use "
                                        "publish"));
          st.topic = it->second;
          used_[st.topic] = true;
          // In sync mode a notify is a call to every subscriber: bound what that expands to.
          sync_calls_ += static_cast<std::int64_t>(s_.topics[st.topic].subscribers.size());
          if (sync_calls_ > max_sync_calls)
            fail(st.pos, "the notify steps would make more than " + std::to_string(max_sync_calls) +
                             " calls in all in sync mode (each "
                             "calls every subscriber of its topic, and " +
                             quoted(st.target) + " has " +
                             std::to_string(s_.topics[st.topic].subscribers.size()) +
                             "); use fewer notify steps, or publish");
          break;
        }
        case step_kind::publish:
          st.topic = topic_for(st.target, st.pos);
          used_[st.topic] = true;
          break;
        case step_kind::parallel:
          resolve_steps(st.branches, label);
          break;
      }
    }
  }

  // A subscription to a topic no step sends is almost always a misspelt topic name.
  // A subscription nobody sends to is most likely a misspelt topic: warn, do not refuse.
  void check_subscriptions_used() {
    std::vector<std::string> sent;
    for (std::size_t t = 0; t < s_.topics.size(); ++t)
      if (used_[t]) sent.push_back(s_.topics[t].name);
    for (const service& svc : s_.services) {
      for (const subscription& sub : svc.subscriptions) {
        if (used_[sub.topic]) continue;
        const std::string& name = sub.on_message.name;
        warn(s_, sub.on_message.pos,
             "service " + quoted(svc.name) + " subscribes to topic " + quoted(name) +
                 ", but no step notifies or publishes it; " +
                 suggestion(name, sent, "it will never receive anything"));
      }
    }
  }

  scenario& s_;
  std::unordered_map<std::string, int> service_index_;
  std::vector<std::string> service_names_;
  std::unordered_map<std::string, int> topic_index_;
  std::vector<std::string> subscribed_names_;
  std::vector<bool> used_;       // per topic: some step notifies or publishes it
  std::int64_t sync_calls_ = 0;  // calls the notify steps so far make in sync mode
};

// Handlers as a graph: an edge for each sync call, for each notify to every subscriber (a
// notify is a call to each subscriber in sync mode), and for each publish to every subscriber.
// A cycle of calls would wait on itself; a cycle through a publish would send messages
// forever. Handler ids: per service, endpoints first, then subscriptions.
class call_graph {
 public:
  explicit call_graph(const scenario& s) : s_(s) {
    for (const service& svc : s.services) {
      first_.push_back(static_cast<int>(owner_.size()));
      for (std::size_t h = 0; h < svc.endpoints.size() + svc.subscriptions.size(); ++h)
        owner_.push_back(static_cast<int>(first_.size() - 1));
    }
    edges_.resize(owner_.size());
    for (std::size_t si = 0; si < s.services.size(); ++si) {
      const service& svc = s.services[si];
      int id = first_[si];
      for (const handler& h : svc.endpoints) add_edges(id++, h.steps);
      for (const subscription& sub : svc.subscriptions) add_edges(id++, sub.on_message.steps);
    }
  }

  // Fails at the call that closes the first cycle found.
  void check_acyclic() const {
    std::vector<int> state(owner_.size(), 0);  // 0 unseen, 1 on the path, 2 done
    struct frame {
      int node;
      std::size_t next_edge;
      bool by_publish;  // reached through a publish edge
    };
    for (std::size_t root = 0; root < owner_.size(); ++root) {
      if (state[root] != 0) continue;
      std::vector<frame> path{{static_cast<int>(root), 0, false}};
      state[root] = 1;
      while (!path.empty()) {
        frame& f = path.back();
        if (f.next_edge == edges_[f.node].size()) {
          state[f.node] = 2;
          path.pop_back();
          continue;
        }
        const edge& e = edges_[f.node][f.next_edge++];
        if (state[e.to] == 1) report_cycle(path, e);
        if (state[e.to] == 0) {
          state[e.to] = 1;
          path.push_back({e.to, 0, e.publish});
        }
      }
    }
  }

 private:
  struct edge {
    int to;
    source_pos pos;  // the call, notify or publish step
    bool publish;
  };

  void add_edges(int from, const std::vector<step>& steps) {
    for (const step& st : steps) {
      if (st.kind == step_kind::call) {
        edges_[from].push_back({first_[st.service] + st.endpoint, st.pos, false});
      } else if (st.kind == step_kind::notify || st.kind == step_kind::publish) {
        for (const auto& [svc, k] : s_.topics[st.topic].subscribers) {
          const int id = first_[svc] + static_cast<int>(s_.services[svc].endpoints.size()) + k;
          edges_[from].push_back({id, st.pos, st.kind == step_kind::publish});
        }
      } else if (st.kind == step_kind::parallel) {
        add_edges(from, st.branches);
      }
    }
  }

  template <class Path>
  [[noreturn]] void report_cycle(const Path& path, const edge& closing) const {
    std::string chain;
    bool in_cycle = false, published = closing.publish;
    for (const auto& f : path) {
      if (in_cycle) published = published || f.by_publish;  // the edge into f is in the cycle
      in_cycle = in_cycle || f.node == closing.to;
      if (in_cycle) chain += label(f.node) + " -> ";
    }
    chain += label(closing.to);
    if (published)
      fail(closing.pos, "messages form a cycle: " + chain +
                            "; every request would cause "
                            "messages forever, so remove one of these steps");
    fail(closing.pos, "sync calls form a cycle: " + chain +
                          "; a request would wait on itself, "
                          "so make one of these calls a publish to break it");
  }

  std::string label(int id) const {
    const int svc = owner_[id];
    return s_.handler_label(svc, id - first_[svc]);
  }

  const scenario& s_;
  std::vector<int> first_;  // per service: id of its first handler
  std::vector<int> owner_;  // per handler id: its service
  std::vector<std::vector<edge>> edges_;
};

// "none" or the breaker as a scenario file writes it.
std::string breaker_text(const breaker_policy& b) {
  if (b.failures == 0) return "none";
  return "{failures: " + std::to_string(b.failures) + ", window: " + format_duration(b.window) +
         ", open: " + format_duration(b.open) + "}";
}

// A breaker's state belongs to a caller service and a callee service, so every call from one
// service to another must carry the same breaker; a notify counts as a call to each subscriber
// (as in sync mode).
class breaker_check {
 public:
  explicit breaker_check(const scenario& s) : s_(s) {}

  // Fails at the first call whose breaker differs from an earlier call's between the same two.
  void run() {
    for (std::size_t si = 0; si < s_.services.size(); ++si) {
      const int caller = static_cast<int>(si);
      for (const handler& h : s_.services[si].endpoints) visit(caller, h.steps);
      for (const subscription& sub : s_.services[si].subscriptions)
        visit(caller, sub.on_message.steps);
    }
  }

 private:
  struct first_call {
    breaker_policy breaker;
    source_pos pos;
  };

  void visit(int caller, const std::vector<step>& steps) {
    for (const step& st : steps) {
      if (st.kind == step_kind::call) {
        check(caller, st.service, st);
      } else if (st.kind == step_kind::notify) {
        for (const auto& subscriber : s_.topics[st.topic].subscribers)
          check(caller, subscriber.first, st);
      } else if (st.kind == step_kind::parallel) {
        visit(caller, st.branches);
      }
    }
  }

  void check(int caller, int callee, const step& st) {
    const auto [first, inserted] =
        first_.emplace(std::make_pair(caller, callee), first_call{st.policy.breaker, st.pos});
    if (inserted || first->second.breaker == st.policy.breaker) return;
    const std::string& from = s_.services[caller].name;
    const std::string& to = s_.services[callee].name;
    const std::string how =
        st.kind == step_kind::notify
            ? " (a subscriber of " + quoted(st.target) + ", called by this notify in sync mode)"
            : "";
    fail(st.pos, from + " calls " + to + how + " with a different breaker (" +
                     breaker_text(st.policy.breaker) + ") than at " +
                     std::to_string(first->second.pos.line) + ":" +
                     std::to_string(first->second.pos.column) + " (" +
                     breaker_text(first->second.breaker) + "); give every call from " + from +
                     " to " + to +
                     " the same breaker, as it keeps one state per caller and "
                     "callee");
  }

  const scenario& s_;
  std::map<std::pair<int, int>, first_call> first_;  // by (caller, callee) service
};

}  // namespace

void resolve_references(scenario& s) {
  resolver(s).run();
  call_graph(s).check_acyclic();
  breaker_check(s).run();
}

namespace {

void check_keys(const scenario& s, const std::vector<step>& steps) {
  for (const step& st : steps) {
    if (st.kind == step_kind::parallel) check_keys(s, st.branches);
    if (st.key.k == message_key::kind::none || s.topics[st.topic].partitions > 0) continue;
    const std::string& t = s.topics[st.topic].name;
    fail(st.key.pos, "a key picks a partition, but topic " + quoted(t) +
                         " has none; give it partitions, e.g. 'topics: {" + t +
                         ": {partitions: 8}}', or remove the key");
  }
}

}  // namespace

void check_message_keys(const scenario& s) {
  for (const auto& svc : s.services) {
    for (const handler& h : svc.endpoints) check_keys(s, h.steps);
    for (const subscription& sub : svc.subscriptions) check_keys(s, sub.on_message.steps);
  }
}

void warn(scenario& s, source_pos at, const std::string& message) {
  if (at.set > 0 && at.set <= static_cast<int>(s.settings.size()))
    return s.warnings.push_back("--set " + s.settings[at.set - 1] + ": warning: " + message);
  s.warnings.push_back(s.file + ":" + std::to_string(at.line) + ":" + std::to_string(at.column) +
                       ": warning: " + message);
}

}  // namespace svcsim::detail
