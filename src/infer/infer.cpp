#include "infer/infer.hpp"

#include <algorithm>
#include <cmath>
#include <functional>
#include <map>
#include <set>
#include <unordered_map>

namespace svcsim::infer {

std::string topic_attribute(const observed_span& s) {
  for (const char* key : {"messaging.destination.name", "messaging.destination",
                          "message_bus.destination", "kafka.topic"}) {
    const auto it = s.attributes.find(key);
    if (it != s.attributes.end() && !it->second.empty()) return it->second;
  }
  return "";
}

namespace {

constexpr int none = -1;

bool has(const observed_span& s, const char* key) { return s.attributes.count(key) > 0; }

// One trace with its tree: indexes of parents and children, after repairs.
struct tree {
  observed_trace* trace;
  std::vector<int> parent;
  std::vector<std::vector<int>> children;
  std::vector<int> order;  // parents before children
};

// Duplicate ids renamed, missing parents made roots, parent cycles broken, negative durations
// set to 0; all counted.
tree repair(observed_trace& t, diagnostics& d) {
  tree tr{&t, {}, {}, {}};
  auto& spans = t.spans;
  const int n = static_cast<int>(spans.size());
  std::unordered_map<std::string, int> index;
  for (int i = 0; i < n; ++i) {
    auto& s = spans[i];
    if (!index.emplace(s.span_id, i).second) {
      d.add("duplicate-id", t.trace_id, "spans repeat a span id already in their trace",
            "kept, renamed ID#N; children stay with the first");
      int k = 2;
      while (index.count(s.span_id + "#" + std::to_string(k))) ++k;
      s.span_id += "#" + std::to_string(k);
      index.emplace(s.span_id, i);
    }
    if (s.duration_ns < 0) {
      d.add("negative-duration", t.trace_id, "spans have a negative duration", "set to 0");
      s.duration_ns = 0;
    } else if (s.duration_ns == 0 && s.kind != span_kind::producer && !has(s, "svcsim.wait")) {
      d.add("zero-duration", t.trace_id, "spans (not PRODUCER) have a duration of 0",
            "kept: their self time is 0");
    }
  }
  // A parent missing from the trace: one placeholder root per missing id, over its children,
  // in the service of its first child, so that they stay one invocation.
  for (int i = 0; i < n; ++i) {
    auto& s = spans[i];
    if (s.parent_id.empty()) continue;
    if (s.parent_id == s.span_id) {
      d.add("self-parent", t.trace_id, "spans name themselves as parent", "treated as roots");
      s.parent_id.clear();
      continue;
    }
    if (index.count(s.parent_id)) {
      if (index[s.parent_id] >= n) {  // a placeholder: stretch it over this child too
        auto& p = spans[index[s.parent_id]];
        const std::int64_t end = std::max(p.start_ns + p.duration_ns, s.start_ns + s.duration_ns);
        p.start_ns = std::min(p.start_ns, s.start_ns);
        p.duration_ns = end - p.start_ns;
        d.add("orphan", t.trace_id, "spans name a parent missing from their trace",
              "each missing parent replaced by one placeholder root span 'missing-parent' over "
              "its children");
      }
      continue;
    }
    d.add("orphan", t.trace_id, "spans name a parent missing from their trace",
          "each missing parent replaced by one placeholder root span 'missing-parent' over "
          "its children");
    observed_span p;
    p.trace_id = t.trace_id;
    p.span_id = s.parent_id;
    p.service = s.service;
    p.instance = s.instance;
    p.operation = "missing-parent";
    p.kind = span_kind::unspecified;
    p.start_ns = s.start_ns;
    p.duration_ns = s.duration_ns;
    index.emplace(p.span_id, static_cast<int>(spans.size()));
    spans.push_back(std::move(p));
  }
  const int total = static_cast<int>(spans.size());
  tr.parent.assign(total, none);
  for (int i = 0; i < total; ++i)
    if (!spans[i].parent_id.empty()) tr.parent[i] = index.at(spans[i].parent_id);
  const int m = total;
  // Parent cycles: what no root reaches.
  for (;;) {
    tr.children.assign(m, {});
    for (int i = 0; i < m; ++i)
      if (tr.parent[i] != none) tr.children[tr.parent[i]].push_back(i);
    tr.order.clear();
    std::vector<char> seen(m, 0);
    for (int i = 0; i < m; ++i)
      if (tr.parent[i] == none) {
        tr.order.push_back(i);
        seen[i] = 1;
      }
    for (std::size_t k = 0; k < tr.order.size(); ++k)
      for (int c : tr.children[tr.order[k]])
        if (!seen[c]) {
          seen[c] = 1;
          tr.order.push_back(c);
        }
    const auto lost = std::find(seen.begin(), seen.end(), 0);
    if (lost == seen.end()) break;
    const int i = static_cast<int>(lost - seen.begin());
    d.add("parent-cycle", t.trace_id, "spans are their own ancestors (a cycle of parents)",
          "the first made a root");
    tr.parent[i] = none;
    spans[i].parent_id.clear();
  }
  return tr;
}

// Whether a child's time is part of its parent's (not a message sent on, nor a send that may
// finish after its sender).
bool sync_relation(const observed_span& parent, const observed_span& child) {
  return !child.follows_from && child.kind != span_kind::consumer &&
         child.kind != span_kind::producer && parent.kind != span_kind::producer;
}

// Children outside their parent beyond the tolerance: a child of another service (another
// clock) that fits is shifted, with its subtree, to the middle of its parent; else clamped.
void fix_skew(tree& tr, const std::set<std::string>& brokers, std::int64_t tolerance,
              diagnostics& d) {
  auto& spans = tr.trace->spans;
  auto shift = [&](int from, std::int64_t by) {  // the subtree, without recursion
    std::vector<int> todo{from};
    while (!todo.empty()) {
      const int i = todo.back();
      todo.pop_back();
      spans[i].start_ns += by;
      todo.insert(todo.end(), tr.children[i].begin(), tr.children[i].end());
    }
  };
  for (int i : tr.order) {
    const int p = tr.parent[i];
    if (p == none) continue;
    auto& s = spans[i];
    const auto& ps = spans[p];
    if (!sync_relation(ps, s) || brokers.count(s.service) || brokers.count(ps.service)) continue;
    const std::int64_t end = s.start_ns + s.duration_ns, pend = ps.start_ns + ps.duration_ns;
    if (s.start_ns >= ps.start_ns - tolerance && end <= pend + tolerance) continue;
    if (s.service != ps.service && s.duration_ns <= ps.duration_ns) {
      d.add("clock-skew", tr.trace->trace_id,
            "spans of another service start before their parent or end after it, clock skew",
            "shifted with their subtree to the middle of the parent");
      shift(i, ps.start_ns + (ps.duration_ns - s.duration_ns) / 2 - s.start_ns);
    } else if (s.service == ps.service) {
      // Work of the same service outside its parent (a Kafka consumer's processing after its
      // poll, say): the parents in the service stretched over it.
      d.add("outside-parent", tr.trace->trace_id,
            "spans start before their parent or end after it, in the same service",
            "their parents in that service stretched to cover them");
      for (int a = p; a != none && spans[a].service == s.service; a = tr.parent[a]) {
        auto& as = spans[a];
        const std::int64_t aend = std::max(as.start_ns + as.duration_ns, end);
        as.start_ns = std::min(as.start_ns, s.start_ns);
        as.duration_ns = aend - as.start_ns;
      }
    } else {
      d.add("longer-than-parent", tr.trace->trace_id,
            "spans of another service outlast their parent", "clamped to the parent");
      const std::int64_t start = std::clamp(s.start_ns, ps.start_ns, pend);
      s.duration_ns = std::max<std::int64_t>(0, std::min(end, pend) - start);
      s.start_ns = start;
    }
  }
}

// Length of the union of intervals, clipped to [lo, hi].
std::int64_t covered(std::vector<std::pair<std::int64_t, std::int64_t>> v, std::int64_t lo,
                     std::int64_t hi) {
  std::sort(v.begin(), v.end());
  std::int64_t total = 0, at = lo;
  for (auto [a, b] : v) {
    a = std::max(a, at);
    b = std::min(b, hi);
    if (b > a) {
      total += b - a;
      at = b;
    }
  }
  return total;
}

// Whether two of the intervals overlap (sorts them).
bool overlap(std::vector<std::pair<std::int64_t, std::int64_t>>& v) {
  std::sort(v.begin(), v.end());
  for (std::size_t k = 1; k < v.size(); ++k)
    if (v[k].first < v[k - 1].second) return true;
  return false;
}

struct handler_stats {
  std::int64_t invocations = 0;
  std::vector<double> self_ns;
  double held_total = 0;
  std::int64_t overlapping = 0, overlapping_notifies = 0;
  // step key -> count, offset sum
  std::map<std::tuple<int, int, std::string>, std::pair<std::int64_t, double>> steps;
};

class builder {
 public:
  builder(const infer_options& o, diagnostics& d) : options_(o), d_(d) {}

  inferred run(observed& data) {
    std::vector<tree> trees;
    for (auto& t : data.traces) trees.push_back(repair(t, d_));
    find_brokers(trees);
    for (auto& tr : trees) fix_skew(tr, brokers_, options_.skew_tolerance_ns, d_);
    for (auto& tr : trees) analyse(tr);
    return finish(data);
  }

 private:
  const infer_options& options_;
  diagnostics& d_;
  std::set<std::string> brokers_;
  inferred out_;
  std::map<std::tuple<std::string, std::string, bool>, int> handler_index_;
  std::vector<handler_stats> stats_;
  // workload (name, target) -> root starts, sampling
  std::map<std::pair<std::string, int>, std::pair<std::vector<std::int64_t>, double>> roots_;
  // (service, instance) -> job intervals
  std::map<std::pair<std::string, std::string>, std::vector<std::pair<std::int64_t, std::int64_t>>>
      jobs_;
  std::map<std::string, std::set<std::string>> instances_;
  double gap_total_ = 0;

  void find_brokers(std::vector<tree>& trees) {
    std::map<std::string, std::pair<bool, bool>> seen;  // service -> (all messaging, over consumer)
    for (auto& tr : trees) {
      auto& spans = tr.trace->spans;
      for (std::size_t i = 0; i < spans.size(); ++i) {
        const auto& s = spans[i];
        auto [it, fresh] = seen.emplace(s.service, std::make_pair(true, false));
        const bool messaging =
            (s.kind == span_kind::internal || s.kind == span_kind::unspecified) &&
            has(s, "messaging.system");
        it->second.first = it->second.first && messaging;
        for (int c : tr.children[i])
          if (spans[c].kind == span_kind::consumer) it->second.second = true;
      }
    }
    for (const auto& [service, flags] : seen)
      if (flags.first && flags.second) {
        brokers_.insert(service);
        out_.brokers.push_back(service);
        d_.note("service '" + service +
                "' is a broker (only INTERNAL messaging spans over CONSUMER spans): walked "
                "through, not written as a service");
      }
  }

  int handler(const std::string& service, const std::string& name, const std::string& op,
              bool subscription) {
    auto [it, fresh] = handler_index_.emplace(std::make_tuple(service, name, subscription),
                                              static_cast<int>(out_.handlers.size()));
    if (fresh) {
      inferred_handler h;
      h.service = service;
      h.name = name;
      h.operation = op;
      h.subscription = subscription;
      out_.handlers.push_back(h);
      stats_.emplace_back();
    }
    return it->second;
  }

  void add_step(int h, inferred_step::kind k, int target, const std::string& topic, double offset) {
    auto& st = stats_[h].steps[{static_cast<int>(k), target, topic}];
    ++st.first;
    st.second += offset;
  }

  // One estimate of the one-way latency: half the client's time not spent in its server.
  void network_pair(const observed_span& client, const observed_span& server,
                    const std::string& trace) {
    const double gap = static_cast<double>(client.duration_ns - server.duration_ns) / 2.0;
    if (gap >= 0) {
      gap_total_ += gap;
      ++out_.network_pairs;
    } else {
      d_.add("server-longer", trace, "SERVER spans last longer than their CLIENT span",
             "not used for the network latency");
    }
  }

  void analyse(tree& tr) {
    auto& spans = tr.trace->spans;
    const int n = static_cast<int>(spans.size());
    out_.traces += 1;
    out_.spans += n;
    auto broker = [&](int i) { return i != none && brokers_.count(spans[i].service) > 0; };
    auto client_root = [&](int i) {
      return tr.parent[i] == none && spans[i].kind == span_kind::client && !broker(i);
    };
    // The first span of this trace that `s` links to, or none.
    std::unordered_map<std::string, int> index;
    for (int j = 0; j < n; ++j) index.emplace(spans[j].span_id, j);
    auto linked_in_trace = [&](const observed_span& s) {
      for (const auto& l : s.links) {
        const auto it = index.find(l.span_id);
        if (l.trace_id == tr.trace->trace_id && it != index.end()) return it->second;
      }
      return none;
    };
    std::vector<int> entry_of(n, none), handler_of(n, none), publisher(n, none);
    std::vector<std::string> topic(n);
    std::vector<char> entry(n, 0);
    for (int i : tr.order) {
      const auto& s = spans[i];
      if (broker(i) || client_root(i)) continue;
      int p = tr.parent[i];
      const bool notified = has(s, "svcsim.notify");
      bool consumer_side = s.kind == span_kind::consumer || s.follows_from || broker(p);
      int from = p;
      if (broker(p)) {
        from = tr.parent[p] != none ? tr.parent[p] : linked_in_trace(spans[p]);
        if (const int l = linked_in_trace(s); l != none) from = l;
      }
      if (consumer_side && from == none) from = linked_in_trace(s);
      const bool is_entry = s.kind == span_kind::server || s.kind == span_kind::consumer ||
                            p == none || broker(p) || client_root(p) ||
                            spans[p].service != s.service || s.follows_from;
      if (!is_entry) {
        entry_of[i] = entry_of[p];
        continue;
      }
      entry[i] = 1;
      entry_of[i] = i;
      if (notified) {
        topic[i] = s.attributes.at("svcsim.notify");
        handler_of[i] = handler(s.service, topic[i], s.operation, true);
      } else if (consumer_side && from != none && !broker(from)) {
        std::string t = topic_attribute(s);
        if (t.empty() && broker(p)) t = topic_attribute(spans[p]);
        if (t.empty()) t = topic_attribute(spans[from]);
        if (t.empty() && spans[from].kind == span_kind::producer) t = spans[from].operation;
        if (t.empty()) t = s.operation;
        topic[i] = t;
        publisher[i] = from;
        handler_of[i] = handler(s.service, t, s.operation, true);
      } else {
        handler_of[i] = handler(s.service, s.operation, s.operation, false);
      }
    }
    // Workloads: the roots.
    for (int i : tr.order) {
      if (tr.parent[i] != none || broker(i)) continue;
      const auto& s = spans[i];
      double p = 1;
      const auto type = s.attributes.find("sampler.type");
      const auto param = s.attributes.find("sampler.param");
      if (type != s.attributes.end() && type->second == "probabilistic" &&
          param != s.attributes.end()) {
        char* end = nullptr;
        const double v = std::strtod(param->second.c_str(), &end);
        if (end != param->second.c_str() && v > 0 && v <= 1) p = v;
      }
      if (options_.sampling) p = *options_.sampling;
      std::vector<int> targets;
      std::string name;
      if (client_root(i)) {
        const auto w = s.attributes.find("svcsim.workload");
        name = w != s.attributes.end() ? w->second : s.service;
        for (int c : tr.children[i])
          if (entry[c] && !out_.handlers[handler_of[c]].subscription) {
            targets.push_back(c);
            network_pair(s, spans[c], tr.trace->trace_id);
          }
        if (targets.empty())
          d_.add("client-root-alone", tr.trace->trace_id, "root CLIENT spans have no traced server",
                 "no workload from them");
      } else if (entry[i]) {
        if (out_.handlers[handler_of[i]].subscription) {
          d_.add("root-subscription", tr.trace->trace_id,
                 "root spans are notified subscription handlers", "no workload from them");
          continue;
        }
        name = s.service + "-" + s.operation;
        targets.push_back(i);
      }
      for (int c : targets) {
        auto& r = roots_[{name, handler_of[c]}];
        r.first.push_back(spans[i].start_ns);
        r.second = p;
      }
    }
    // Per entry: calls, waits, self time, publishes.
    std::vector<char> consumed(n, 0);  // publishing spans some consumer names
    for (int c = 0; c < n; ++c)
      if (publisher[c] != none) consumed[publisher[c]] = 1;
    for (int e = 0; e < n; ++e) {
      if (!entry[e]) continue;
      const auto& es = spans[e];
      const int h = handler_of[e];
      ++stats_[h].invocations;  // no reference kept: handler() below may grow stats_
      std::vector<std::pair<std::int64_t, std::int64_t>> sync, notifies, waits;
      std::int64_t job_start = es.start_ns;
      std::vector<int> todo(tr.children[e].begin(), tr.children[e].end());
      while (!todo.empty()) {
        const int c = todo.back();
        todo.pop_back();
        const auto& cs = spans[c];
        const std::pair<std::int64_t, std::int64_t> span{cs.start_ns, cs.start_ns + cs.duration_ns};
        const double offset = static_cast<double>(cs.start_ns - es.start_ns);
        if (entry[c]) {  // a call straight into another handler, or a consumer
          if (publisher[c] == none && sync_relation(es, cs)) {
            const bool notify = out_.handlers[handler_of[c]].subscription;
            (notify ? notifies : sync).push_back(span);
            add_step(h, notify ? inferred_step::kind::notify : inferred_step::kind::call,
                     handler_of[c], topic[c], offset);
          }
          continue;
        }
        if (broker(c)) continue;
        if (has(cs, "svcsim.wait")) {
          waits.push_back(span);
          if (cs.start_ns <= es.start_ns + 1000) job_start = std::max(job_start, span.second);
          continue;
        }
        if (cs.kind == span_kind::client) {
          bool traced = false, notify = false;
          for (int g : tr.children[c])
            if (entry[g] && publisher[g] == none) {
              traced = true;
              notify = out_.handlers[handler_of[g]].subscription;
              add_step(h, notify ? inferred_step::kind::notify : inferred_step::kind::call,
                       handler_of[g], topic[g], offset);
              network_pair(cs, spans[g], tr.trace->trace_id);
            }
          if (!traced && (cs.error || has(cs, "svcsim.status"))) {
            // A failed attempt (refused, timed out, short-circuited): the caller waited, but
            // there is no callee's work to learn from it.
            d_.add("failed-call", tr.trace->trace_id,
                   "CLIENT spans failed without a traced server (an error, svcsim.status)",
                   "their time a wait of the caller, not work; no callee written for them");
            sync.push_back(span);
            continue;
          }
          if (!traced && !cs.remote_service.empty()) {
            traced = true;
            const int u = handler(cs.remote_service, cs.operation, cs.operation, false);
            out_.handlers[u].untraced = true;
            ++stats_[u].invocations;
            stats_[u].self_ns.push_back(static_cast<double>(cs.duration_ns));
            stats_[u].held_total += static_cast<double>(cs.duration_ns);
            add_step(h, inferred_step::kind::call, u, "", offset);
            d_.add("untraced-callee", tr.trace->trace_id,
                   "CLIENT spans call a service that sent no span (named by remoteEndpoint or "
                   "peer.service)",
                   "the callee written with the client span's duration as its work");
          }
          if (traced) {
            (notify ? notifies : sync).push_back(span);
          } else {
            d_.add("client-without-server", tr.trace->trace_id,
                   "CLIENT spans have no SERVER child and name no remote service",
                   "their time counted as the caller's work");
          }
          continue;
        }
        if (cs.kind == span_kind::producer) {
          if (!consumed[c]) {
            std::string t = topic_attribute(cs);
            add_step(h, inferred_step::kind::publish, none, t.empty() ? cs.operation : t, offset);
          }
        }
        for (int g : tr.children[c]) todo.push_back(g);
      }
      // Overlapping sync calls, and notified subscribers.
      auto& st = stats_[h];
      st.overlapping += overlap(sync);
      st.overlapping_notifies += overlap(notifies);
      auto both = sync;
      both.insert(both.end(), notifies.begin(), notifies.end());
      both.insert(both.end(), waits.begin(), waits.end());
      const std::int64_t end = es.start_ns + es.duration_ns;
      const std::int64_t self = es.duration_ns - covered(both, es.start_ns, end);
      st.self_ns.push_back(static_cast<double>(std::max<std::int64_t>(0, self)));
      st.held_total += static_cast<double>(end - job_start);
      if (!waits.empty()) out_.waits_marked = true;
      jobs_[{es.service, es.instance}].push_back({job_start, end});
      instances_[es.service].insert(es.instance);
    }
    // Publishes seen from their consumers: one per publishing span and topic.
    std::set<std::pair<int, std::string>> counted;
    for (int c = 0; c < n; ++c) {
      const int p = publisher[c];
      if (p == none || !counted.insert({p, topic[c]}).second) continue;
      const int owner = entry_of[p];
      if (owner == none) {
        d_.add("publisher-unknown", tr.trace->trace_id,
               "consumer spans come from a span in no handler (e.g. a root CLIENT)",
               "the subscription kept; no publish step written for it");
        continue;
      }
      add_step(handler_of[owner], inferred_step::kind::publish, none, topic[c],
               static_cast<double>(spans[p].start_ns - spans[owner].start_ns));
    }
  }

  inferred finish(observed& data) {
    (void)data;
    // Handlers' stats.
    for (std::size_t h = 0; h < out_.handlers.size(); ++h) {
      auto& hd = out_.handlers[h];
      auto& st = stats_[h];
      hd.invocations = std::max<std::int64_t>(1, st.invocations);
      hd.self_ns = std::move(st.self_ns);
      hd.held_ns = st.held_total / static_cast<double>(hd.invocations);
      hd.overlapping = st.overlapping;
      hd.overlapping_notifies = st.overlapping_notifies;
      for (const auto& [key, v] : st.steps) {
        inferred_step s;
        s.k = static_cast<inferred_step::kind>(std::get<0>(key));
        s.target = std::get<1>(key);
        s.topic = std::get<2>(key);
        s.count = v.first;
        s.mean = static_cast<double>(v.first) / static_cast<double>(hd.invocations);
        s.offset_ns = v.second / static_cast<double>(v.first);
        hd.steps.push_back(s);
      }
      std::stable_sort(hd.steps.begin(), hd.steps.end(),
                       [](const auto& a, const auto& b) { return a.offset_ns < b.offset_ns; });
    }
    break_cycles();
    if (out_.network_pairs > 0) out_.network_one_way_ns = gap_total_ / out_.network_pairs;
    // Workloads.
    std::int64_t first = INT64_MAX, last = INT64_MIN;
    for (auto& [key, r] : roots_) {
      auto& starts = r.first;
      std::sort(starts.begin(), starts.end());
      first = std::min(first, starts.front());
      last = std::max(last, starts.back());
      inferred_workload w;
      w.name = key.first;
      w.target = key.second;
      w.roots = static_cast<std::int64_t>(starts.size());
      w.sampling = r.second;
      if (starts.size() >= 2 && starts.back() > starts.front()) {
        const double span_s = static_cast<double>(starts.back() - starts.front()) / 1e9;
        w.rate_per_s = static_cast<double>(starts.size() - 1) / span_s / w.sampling;
        double mean = span_s / static_cast<double>(starts.size() - 1), var = 0;
        for (std::size_t k = 1; k < starts.size(); ++k) {
          const double g = static_cast<double>(starts[k] - starts[k - 1]) / 1e9 - mean;
          var += g * g;
        }
        var /= static_cast<double>(starts.size() - 1);
        w.cv = std::sqrt(var) / mean;
        w.constant = starts.size() >= 3 && w.cv < 0.2 && w.sampling >= 1;
      }
      out_.workloads.push_back(w);
    }
    if (last > first) out_.window_s = static_cast<double>(last - first) / 1e9;
    // Services: those with a handler.
    std::map<std::string, int> index;
    for (const auto& h : out_.handlers)
      if (index.emplace(h.service, static_cast<int>(out_.services.size())).second)
        out_.services.push_back({h.service, 1, 1, 0});
    for (auto& [key, v] : jobs_) {
      std::vector<std::pair<std::int64_t, int>> events;
      for (auto [a, b] : v) {
        events.push_back({a, 1});
        events.push_back({b, -1});
      }
      std::sort(events.begin(), events.end());  // an end before a start at the same time
      int at = 0, most = 0;
      for (auto [t, delta] : events) most = std::max(most, at += delta);
      auto& s = out_.services[index[key.first]];
      s.workers_seen = std::max(s.workers_seen, most);
    }
    for (auto& [service, ids] : instances_) {
      auto& s = out_.services[index[service]];
      s.instances = static_cast<int>(ids.size() - ids.count(""));
      s.instances = std::max(1, s.instances);
    }
    // Load: the workloads' rates spread over each handler's invocations per request.
    double rate = 0;
    std::int64_t requests = 0;
    for (const auto& w : out_.workloads) {
      rate += w.rate_per_s;
      requests += w.roots;
    }
    if (requests > 0)
      for (const auto& h : out_.handlers)
        out_.services[index[h.service]].busy += rate * static_cast<double>(h.invocations) /
                                                static_cast<double>(requests) * h.held_ns / 1e9;
    return std::move(out_);
  }

  // Sync calls and notifies that close a cycle are left out, and counted (a notify: every
  // notify of that topic in the handler). Depth first, without recursion.
  void break_cycles() {
    const int n = static_cast<int>(out_.handlers.size());
    std::vector<int> colour(n, 0);
    std::vector<std::vector<char>> dropped(n);
    for (int h = 0; h < n; ++h) dropped[h].assign(out_.handlers[h].steps.size(), 0);
    for (int root = 0; root < n; ++root) {
      if (colour[root] != 0) continue;
      std::vector<std::pair<int, std::size_t>> stack{{root, 0}};
      colour[root] = 1;
      while (!stack.empty()) {
        const int h = stack.back().first;
        const std::size_t k = stack.back().second++;
        auto& steps = out_.handlers[h].steps;
        if (k == steps.size()) {
          colour[h] = 2;
          stack.pop_back();
          continue;
        }
        const auto& st = steps[k];
        const int t = st.k == inferred_step::kind::publish || dropped[h][k] ? none : st.target;
        if (t == none) continue;
        if (colour[t] == 1) {
          d_.add("call-cycle", "",
                 "sync call edges close a cycle of calls (the first: " + out_.handlers[h].service +
                     "." + out_.handlers[h].name + " -> " + out_.handlers[t].service + "." +
                     out_.handlers[t].name + ")",
                 "left out: the format refuses cycles of sync calls");
          for (std::size_t j = 0; j < steps.size(); ++j)
            if (j == k || (st.k == inferred_step::kind::notify &&
                           steps[j].k == inferred_step::kind::notify && steps[j].topic == st.topic))
              dropped[h][j] = 1;
        } else if (colour[t] == 0) {
          colour[t] = 1;
          stack.push_back({t, 0});
        }
      }
    }
    for (int h = 0; h < n; ++h) {
      auto& steps = out_.handlers[h].steps;
      std::vector<inferred_step> kept;
      for (std::size_t j = 0; j < steps.size(); ++j)
        if (!dropped[h][j]) kept.push_back(steps[j]);
      steps = std::move(kept);
    }
  }
};

}  // namespace

inferred infer_scenario(observed& data, const infer_options& options, diagnostics& d) {
  return builder(options, d).run(data);
}

}  // namespace svcsim::infer
