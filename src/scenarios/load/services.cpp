// Reading `services:`: each service's settings, endpoints and subscriptions, and the steps of
// their handlers. Names are checked here; what they refer to is resolved in validate.cpp.
#include <algorithm>
#include <cctype>
#include <functional>

#include "scenarios/load/loader_parts.hpp"
#include "scenarios/load/suggest.hpp"

namespace svcsim::detail {
namespace {

const std::vector<std::string> step_actions = {"work", "call", "notify", "publish", "parallel"};
// The keys of a call policy, allowed on call and notify steps only.
const std::vector<std::string> policy_keys = {"timeout", "retries",  "backoff",
                                              "jitter",  "optional", "breaker"};
// The keys of how a step publishes, allowed on publish and notify steps only.
const std::vector<std::string> publish_keys = {"confirm", "on_broker_down", "key"};
const std::vector<std::string> step_keys = [] {
  std::vector<std::string> keys = step_actions;
  keys.push_back("mode");  // notify only
  keys.insert(keys.end(), policy_keys.begin(), policy_keys.end());
  keys.insert(keys.end(), publish_keys.begin(), publish_keys.end());
  return keys;
}();

// How much has been read so far: a YAML alias repeats the part of the file it refers to, so a
// small file can stand for a huge (or, referring to itself, endless) scenario.
struct reading {
  std::int64_t items = 0;                 // handlers and steps, each use of an alias counted again
  data_files* files = nullptr;            // empirical data
  const call_policy* defaults = nullptr;  // sync's, under every call and notify step
  const publish_policy* publishing = nullptr;  // the broker's, under every publish and notify
  balance_policy balance = balance_policy::round_robin;  // of services without their own
  std::int64_t instances = 0;                            // of the services read so far

  void count(source_pos at) {
    if (++items > max_items)
      fail(at, "the scenario has more than " + std::to_string(max_items) +
                   " handlers and steps "
                   "in all (each use of a YAML alias counts again); make it smaller");
  }
};

void read_steps(const entry& list, const std::string& label, int depth, reading& r,
                std::vector<step>& out);

// A call or notify step's policy: sync's defaults, with the step's own keys over them.
call_policy read_step_policy(const fields& f, const call_policy& defaults) {
  call_policy p = defaults;
  read_call_policy(f, p);
  if (const entry* e = f.find("optional")) p.optional = boolean(*e);
  return p;
}

// A publish or notify step's publish policy: the broker's, with the step's own keys over it.
publish_policy read_publish_policy(const fields& f, const reading& r) {
  publish_policy p = *r.publishing;
  if (const entry* c = f.find("confirm")) p.confirm = read_confirm(*c);
  if (const entry* o = f.find("on_broker_down")) p.on_down = read_on_broker_down(*o);
  return p;
}

// `key: uniform(N)` or `key: request`: how a publish picks its partition.
message_key read_message_key(const entry& e) {
  const std::string example =
      "write e.g. 'key: uniform(1000)' (a key drawn from 1000), or 'key: "
      "request' (one key per request)";
  const std::string s = text(e, "key: uniform(1000)");
  message_key k;
  k.pos = e.value_pos();
  if (s == "request") {
    k.k = message_key::kind::request;
    return k;
  }
  const std::string head = "uniform(";
  if (s.compare(0, head.size(), head) != 0 || s.back() != ')')
    fail(e.value_pos(), "'key' must be uniform(N) or request, not " + quoted(s) + "; " + example);
  const std::string n = s.substr(head.size(), s.size() - head.size() - 1);
  char* end = nullptr;
  const long long v = std::strtoll(n.c_str(), &end, 10);
  if (n.empty() || *end != '\0' || v < 1 || v > 1000000000)
    fail(e.value_pos(),
         "'key' uniform(N) needs N, the number of keys, from 1 to 1000000000, "
         "not " +
             quoted(n) + "; " + example);
  k.k = message_key::kind::uniform;
  k.values = v;
  return k;
}

// Fails on a key of `keys` in a step of kind `a`, where it has no meaning.
void refuse_keys(const fields& f, const std::vector<std::string>& keys, const std::string& a,
                 const char* applies) {
  for (const auto& option : keys)
    if (const entry* e = f.find(option))
      fail(e->key_pos(), quoted(option) + " applies only to " + applies + " steps; remove it " +
                             "from this " + a + " step");
}

// `depth`: how many 'parallel' steps this one is inside.
step read_step(const entry& it, const std::string& label, int depth, reading& r) {
  r.count(position(it.value));
  const std::string example = "write e.g. '- call: billing.open' or '- work: 2ms'";
  expect_map(it, "a step of " + label, example);
  const fields f(it, "in a step of " + label, step_keys);
  const entry* action = nullptr;
  for (const entry& e : f.all()) {
    bool is_action = false;
    for (const auto& a : step_actions) is_action = is_action || a == e.name;
    if (!is_action) continue;
    if (action)
      fail(e.key_pos(), "a step of " + label + " has both " + quoted(action->name) + " and " +
                            quoted(e.name) + "; give each its own '- ' item in the list");
    action = &e;
  }
  if (!action)
    fail(f.pos(), "a step of " + label +
                      " does nothing; give it one of work, call, notify, "
                      "publish or parallel, e.g. '- call: billing.open'");
  step st;
  st.pos = action->value_pos();
  const std::string& a = action->name;
  if (a == "call" || a == "notify")
    st.policy = read_step_policy(f, *r.defaults);
  else
    refuse_keys(f, policy_keys, a, "call and notify");
  if (a == "publish" || a == "notify") {
    st.publishing = read_publish_policy(f, r);
    if (const entry* k = f.find("key")) st.key = read_message_key(*k);
  } else
    refuse_keys(f, publish_keys, a, "publish and notify");
  if (const entry* m = f.find("mode")) {
    if (a == "publish")
      fail(m->key_pos(),
           "'mode' applies only to notify steps: a publish step publishes to the broker in every "
           "mode; remove it, or write 'notify:' to let the mode decide");
    if (a != "notify") refuse_keys(f, {"mode"}, a, "notify");
    st.pinned = mode_of(*m);
  }
  if (a == "work") {
    st.kind = step_kind::work;
    st.work = distribution_of(*action, r.files);
  } else if (a == "call") {
    st.kind = step_kind::call;
    st.target = text(*action, "call: billing.open");
    if (!is_call_target(st.target))
      fail(st.pos, "call target " + quoted(st.target) + " in " + label +
                       " must be service.endpoint; write e.g. 'call: billing.open'");
  } else if (a == "notify" || a == "publish") {
    st.kind = a == "notify" ? step_kind::notify : step_kind::publish;
    st.target = text(*action, a + ": user.created");
    if (!is_topic_name(st.target))
      fail(st.pos, "topic name " + quoted(st.target) +
                       " may use only letters, digits, '.', "
                       "'_' and '-'; write e.g. '" +
                       a + ": user.created'");
  } else {
    st.kind = step_kind::parallel;
    st.pos = action->key_pos();
    expect_list(*action, "'parallel'",
                "write the steps to run at once as a list, e.g. '- call: a.x' and '- call: b.y'");
    if (depth == max_parallel_depth)
      fail(st.pos, "'parallel' in " + label + " is nested more than " +
                       std::to_string(max_parallel_depth) +
                       " deep (a YAML alias may refer to "
                       "itself); nest fewer levels");
    read_steps(*action, label, depth + 1, r, st.branches);
    if (st.branches.empty())
      fail(st.pos, "'parallel' in " + label +
                       " has no steps; list at least one, e.g. "
                       "'- call: a.x'");
  }
  return st;
}

void read_steps(const entry& list, const std::string& label, int depth, reading& r,
                std::vector<step>& out) {
  if (list.empty()) return;
  for (const auto& node : list.value) out.push_back(read_step(item(node), label, depth, r));
}

handler read_handler(const entry& e, const std::string& label, reading& r) {
  handler h;
  h.pos = e.key_pos();
  r.count(h.pos);
  expect_map(e, label, "write its work and steps, e.g. 'work: 2ms'");
  const fields f(e, "in " + label, {"work", "steps"});
  if (const entry* w = f.find("work")) {
    step st;
    st.kind = step_kind::work;
    st.pos = w->value_pos();
    st.work = distribution_of(*w, r.files);
    h.steps.push_back(std::move(st));
  }
  if (const entry* steps = f.find("steps")) {
    expect_list(*steps, "'steps' of " + label,
                "write one step per '- ' item, e.g. '- call: billing.open'");
    read_steps(*steps, label, 0, r, h.steps);
  }
  return h;
}

void read_endpoints(const entry& e, service& svc, reading& r) {
  expect_map(e, "'endpoints' of service " + quoted(svc.name),
             "write each endpoint as a name with its work and steps, e.g. 'create: {work: 2ms}'");
  for (const entry& ep : entries(e, "in the endpoints of service " + quoted(svc.name))) {
    if (!is_name(ep.name))
      fail(ep.key_pos(), "endpoint name " + quoted(ep.name) +
                             " may use only letters, digits, "
                             "'_' and '-'; write e.g. " +
                             quoted(as_name(ep.name, false)));
    if (svc.endpoints.size() == static_cast<std::size_t>(max_endpoints))
      fail(ep.key_pos(), "service " + quoted(svc.name) +
                             " has more than 10000 endpoints; keep "
                             "at most 10000");
    handler h = read_handler(ep, svc.name + "." + ep.name, r);
    h.name = ep.name;
    svc.endpoints.push_back(std::move(h));
  }
}

void read_subscriptions(const entry& e, service& svc, reading& r) {
  expect_map(e, "'subscribes' of service " + quoted(svc.name),
             "write each topic with its handler, e.g. 'user.created: {work: 1ms}'");
  for (const entry& sub : entries(e, "in the subscriptions of service " + quoted(svc.name))) {
    if (!is_topic_name(sub.name))
      fail(sub.key_pos(), "topic name " + quoted(sub.name) +
                              " may use only letters, digits, "
                              "'.', '_' and '-'; write e.g. " +
                              quoted(as_name(sub.name, false)));
    subscription s;
    s.on_message = read_handler(sub, svc.name + " (on " + sub.name + ")", r);
    s.on_message.name = sub.name;
    svc.subscriptions.push_back(std::move(s));
  }
}

service read_service(const entry& e, reading& r) {
  service svc;
  svc.name = e.name;
  svc.pos = e.key_pos();
  if (!is_name(svc.name))
    fail(svc.pos, "service name " + quoted(svc.name) +
                      " may use only letters, digits, '_' and "
                      "'-' (no dots); write e.g. " +
                      quoted(as_name(svc.name, false)));
  const std::string where = "service " + quoted(svc.name);
  expect_map(e, where, "write its settings, e.g. 'workers: 4' and 'endpoints:'");
  const fields f(
      e, "in " + where,
      {"workers", "queue", "blocking", "instances", "balance", "endpoints", "subscribes"});
  if (const entry* i = f.find("instances"))
    svc.instances = static_cast<int>(integer(*i, 1, max_instances, "instances: 4"));
  svc.balance = r.balance;
  if (const entry* b = f.find("balance")) svc.balance = read_balance(*b);
  if (const entry* w = f.find("workers"))
    svc.workers = static_cast<int>(integer(*w, 1, 1000000, "workers: 4"));
  if (const entry* q = f.find("queue")) {
    if (text(*q, "queue: 1000") != "unlimited")
      svc.queue = integer(*q, 0, 1000000000, "queue: 1000");
  }
  if (const entry* b = f.find("blocking")) svc.blocking = boolean(*b);
  if (const entry* eps = f.find("endpoints")) read_endpoints(*eps, svc, r);
  if (const entry* subs = f.find("subscribes")) read_subscriptions(*subs, svc, r);
  return svc;
}

}  // namespace

balance_policy read_balance(const entry& e) {
  const std::vector<std::string> names(std::begin(balance_names), std::end(balance_names));
  const std::string name = choice(e, names);
  return static_cast<balance_policy>(std::find(names.begin(), names.end(), name) - names.begin());
}

void read_services(const entry& services, scenario& s, data_files& files,
                   std::optional<source_pos> outbox_pos) {
  expect_map(services, "'services'",
             "write each service as a name with its settings, e.g. 'users: {workers: 4}'");
  const auto list = entries(services, "in services");
  if (list.empty())
    fail(services.value_pos(),
         "'services' is empty; declare at least one, e.g. "
         "'users: {endpoints: {create: {work: 2ms}}}'");
  reading r;
  r.files = &files;
  r.defaults = &s.sync_defaults;
  r.publishing = &s.broker_publishing;
  r.balance = s.default_balance;
  for (const entry& e : list) {
    if (s.services.size() == static_cast<std::size_t>(max_services))
      fail(e.key_pos(), "there are more than 10000 services; keep at most 10000");
    s.services.push_back(read_service(e, r));
    r.instances += s.services.back().instances;
    if (r.instances > max_instances)
      fail(e.key_pos(), "the services have more than " + std::to_string(max_instances) +
                            " instances in all; keep at most " + std::to_string(max_instances));
    if (s.services.back().name == "broker")
      warn(s, e.key_pos(),
           "service 'broker' has the message broker's name: 'service: broker' in failures means "
           "this service, so the broker cannot be failed, and reports call both 'broker'; "
           "rename it, e.g. 'broker-api'");
  }
  // broker.outbox sizes the outboxes of the steps with on_broker_down: outbox.
  bool outbox = s.broker_publishing.on_down == broker_down::outbox;
  const std::function<void(const std::vector<step>&)> scan = [&](const std::vector<step>& steps) {
    for (const auto& st : steps) {
      outbox = outbox || ((st.kind == step_kind::publish || st.kind == step_kind::notify) &&
                          st.publishing.on_down == broker_down::outbox);
      scan(st.branches);
    }
  };
  for (const auto& svc : s.services) {
    for (const auto& h : svc.endpoints) scan(h.steps);
    for (const auto& sub : svc.subscriptions) scan(sub.on_message.steps);
  }
  if (s.broker_outbox >= 0 && !outbox && outbox_pos)
    warn(s, *outbox_pos,
         "'outbox' has no effect: no publish keeps its messages in an outbox; add "
         "'on_broker_down: outbox' to the broker or to a publish or notify step");
}

std::string folder_of(const std::string& file) {
  const auto slash = file.rfind('/');
  return slash == std::string::npos ? "" : slash == 0 ? "/" : file.substr(0, slash);
}

bool is_call_target(const std::string& s) {
  const auto dot = s.find('.');
  if (dot == std::string::npos) return false;
  return is_name(s.substr(0, dot)) && is_name(s.substr(dot + 1));
}

bool is_topic_name(const std::string& s) {
  if (s.empty()) return false;
  for (unsigned char c : s)
    if (!(std::isalnum(c) || c == '_' || c == '-' || c == '.')) return false;
  return true;
}

}  // namespace svcsim::detail
