// The scenario loader: units, the model it builds, and the exact text of each class of error
// (FILE:LINE:COLUMN: error: WHAT IS WRONG; WHAT TO WRITE INSTEAD).
#include "scenarios/load/loader.hpp"

#include <sys/wait.h>
#include <unistd.h>

#include <catch2/catch.hpp>
#include <limits>
#include <string>

#include "scenarios/load/units.hpp"

using namespace svcsim;

namespace {

// A small valid scenario; the error tests change one part of it.
const std::string base = R"(name: shop
duration: 10s
services:
  users:
    workers: 4
    endpoints:
      create:
        work: exp(2ms)
        steps:
          - call: billing.open
          - notify: user.created
  billing:
    endpoints:
      open: {work: 1ms}
    subscribes:
      user.created:
        work: 1ms
workloads:
  - name: signup
    target: users.create
    arrivals: poisson(200/s)
)";

// `yaml` with the first `from` replaced by `to`.
std::string replaced(std::string yaml, const std::string& from, const std::string& to) {
  const auto at = yaml.find(from);
  REQUIRE(at != std::string::npos);
  return yaml.replace(at, from.size(), to);
}

// `base` with the first `from` replaced by `to`.
std::string with(const std::string& from, const std::string& to) {
  return replaced(base, from, to);
}

// `base` with `lines` added after the line `duration: 10s`.
std::string top(const std::string& lines) {
  return with("duration: 10s\n", "duration: 10s\n" + lines + "\n");
}

scenario load_ok(const std::string& yaml) {
  auto r = parse_scenario(yaml, "s.yaml");
  INFO(r.error);
  REQUIRE(r.value);
  CHECK(r.error.empty());
  return *r.value;
}

std::string error_of(const std::string& yaml) {
  auto r = parse_scenario(yaml, "s.yaml");
  CHECK_FALSE(r.value);
  return r.error;
}

// error_of(yaml) in a child process that is killed after 10 s: text on which a loader without
// its guard would allocate until the OOM killer comes fails the test instead.
std::string bounded_error_of(const std::string& yaml) {
  int out[2];
  REQUIRE(pipe(out) == 0);
  const pid_t child = fork();
  REQUIRE(child >= 0);
  if (child == 0) {
    close(out[0]);
    alarm(10);
    const std::string error = parse_scenario(yaml, "s.yaml").error;
    const bool written =
        write(out[1], error.data(), error.size()) == static_cast<ssize_t>(error.size());
    _exit(written ? 0 : 1);
  }
  close(out[1]);
  std::string error;
  char buffer[4096];
  for (ssize_t n; (n = read(out[0], buffer, sizeof buffer)) > 0;) error.append(buffer, n);
  close(out[0]);
  int status = 0;
  waitpid(child, &status, 0);
  INFO(yaml);
  CHECK((WIFEXITED(status) && WEXITSTATUS(status) == 0));
  return error;
}

}  // namespace

TEST_CASE("durations need a unit") {
  CHECK(parse_duration("2ms").value == 2000000);
  CHECK(parse_duration("1.5s").value == 1500000000);
  CHECK(parse_duration("250us").value == 250000);
  CHECK(parse_duration("7ns").value == 7);
  CHECK(parse_duration("2m").value == 120000000000);
  CHECK(parse_duration("1h").value == 3600000000000);
  CHECK(parse_duration("0s").value == 0);
  CHECK(parse_duration("200").error ==
        "duration '200' has no unit; write it with one, e.g. '200ms' or '200s'");
  CHECK(parse_duration("5sec").error ==
        "duration '5sec' has an unknown unit 'sec'; use ns, us, ms, s, m or h, e.g. '5s'");
  CHECK(parse_duration("-5ms").error ==
        "duration '-5ms' is negative; write zero or more, e.g. '5ms'");
  CHECK(parse_duration("fast").error ==
        "'fast' is not a duration; write a number with a unit, e.g. '2ms' or '1.5s'");
  CHECK(parse_duration("87660h").ok());
  CHECK(parse_duration("87661h").error ==
        "duration '87661h' is longer than the limit of 10 years; write at most '87660h'");
  CHECK(parse_duration("exp(2ms)").error ==
        "'exp(2ms)' is a distribution, but a fixed duration is needed here; write one with a "
        "unit, e.g. '2ms'");
}

TEST_CASE("rates are per unit of time and returned per second") {
  CHECK(parse_rate("200/s").value == 200);
  CHECK(parse_rate("12000/m").value == 200);
  CHECK(parse_rate("0.8/s").value == Approx(0.8));
  CHECK(parse_rate("5/ms").value == 5000);
  CHECK(parse_rate("1/us").value == 1e6);
  CHECK(parse_rate("1/ns").value == 1e9);
  CHECK(parse_rate("3600/h").value == 1);
  CHECK(parse_rate("200").error ==
        "rate '200' has no time unit; write it per unit of time, e.g. '200/s' or '200/m'");
  CHECK(parse_rate("0/s").error ==
        "rate '0/s' is not above zero; write a positive rate, e.g. '1/s'");
  CHECK(parse_rate("2/ns").error ==
        "rate '2/ns' is above the limit of 1000000000/s; write a lower rate");
  CHECK(parse_rate("1e-12/s").error ==
        "rate '1e-12/s' is below one per 10 years, the lowest allowed; write a higher rate, "
        "e.g. '1/h'");
  CHECK(parse_rate("5/sec").error ==
        "rate '5/sec' has an unknown time unit 'sec'; use /ns, /us, /ms, /s, /m or /h, e.g. "
        "'5/s'");
}

TEST_CASE("probabilities are shares or percentages") {
  CHECK(parse_probability("0.1").value == 0.1);
  CHECK(parse_probability("10%").value == Approx(0.1));
  CHECK(parse_probability("1").value == 1);
  CHECK(parse_probability("1.5").error ==
        "probability '1.5' is not between 0 and 1; write e.g. '0.1' or '10%'");
  CHECK(parse_probability("150%").error ==
        "probability '150%' is not between 0% and 100%; write e.g. '0.1' or '10%'");
  CHECK(parse_probability("often").error ==
        "'often' is not a probability; write a share from 0 to 1, e.g. '0.1', or a percentage, "
        "e.g. '10%'");
}

TEST_CASE("a minimal scenario gets the spec's defaults") {
  const auto s = load_ok(base);
  CHECK(s.file == "s.yaml");
  CHECK(s.name == "shop");
  CHECK(s.seed == 1);
  CHECK(s.duration == 10000000000LL);
  CHECK_FALSE(s.requests);
  CHECK(s.warmup == 0);
  CHECK(s.drain == 3600LL * 1000000000LL);
  CHECK(s.default_mode == mode::sync);
  CHECK(s.network_latency == 0);
  CHECK(s.broker_latency == 0);
  CHECK(s.sync_notify == notify_policy::sequential);
  REQUIRE(s.services.size() == 2);
  CHECK(s.services[1].workers == 1);
  CHECK(s.services[1].queue == -1);
  CHECK(s.services[1].blocking);
}

TEST_CASE("a scenario using every feature is stored faithfully") {
  const auto s = load_ok(R"(name: rich_1
description: every feature
seed: 18446744073709551615
duration: 1.5m
requests: 5000
warmup: 250ms
drain: 2m
mode: async
network: {latency: 500us}
sync: {notify: parallel, timeout: none, retries: 0}
broker: {latency: 1ms, capacity: unlimited, delivery: at-least-once, prefetch: 0}
services:
  front:
    workers: 8
    queue: 100
    blocking: true
    endpoints:
      order:
        work: uniform(1ms, 3ms)
        steps:
          - parallel:
              - call: stock.reserve
              - parallel:
                  - call: pay.charge
                  - work: 2ms
          - notify: order.placed
          - publish: audit
          - work: normal(5ms, 1ms)
      ping: {}
  stock:
    endpoints:
      reserve: {work: 'erlang(4, 2ms)'}
    subscribes:
      order.placed:
        work: exp(1ms)
        steps:
          - publish: stock.changed
  pay:
    queue: unlimited
    endpoints:
      charge:
        steps:
          - work: hyperexp(0.9, 1ms, 10ms)
          - {call: stock.reserve, timeout: none, retries: 0, optional: false}
    subscribes:
      audit: {work: 'lognormal(5ms, 2ms)'}
      order.placed:
  mail:
    subscribes:
      order.placed: {work: const(3ms)}
workloads:
  - name: shoppers
    target: front.order
    arrivals: poisson(12000/m)
  - name: pings
    target: front.ping
    arrivals: constant(0.5/s)
failures: []
)");
  CHECK(s.name == "rich_1");
  CHECK(s.description == "every feature");
  CHECK(s.seed == 18446744073709551615ULL);
  CHECK(s.duration == 90000000000LL);
  CHECK(s.requests == 5000);
  CHECK(s.warmup == 250000000);
  CHECK(s.drain == 120000000000LL);
  CHECK(s.default_mode == mode::async);
  CHECK(s.network_latency == 500000);
  CHECK(s.sync_notify == notify_policy::parallel);
  CHECK(s.broker_latency == 1000000);

  REQUIRE(s.services.size() == 4);
  const service& front = s.services[0];
  CHECK(front.name == "front");
  CHECK((front.pos.line == 13 && front.pos.column == 3));
  CHECK(front.workers == 8);
  CHECK(front.queue == 100);
  CHECK(s.services[2].queue == -1);
  REQUIRE(front.endpoints.size() == 2);
  const auto& order = front.endpoints[0].steps;
  REQUIRE(order.size() == 5);
  CHECK(order[0].kind == step_kind::work);  // the endpoint's `work` comes first
  CHECK(order[0].work.k == distribution::kind::uniform);
  CHECK(order[0].work.text == "uniform(1ms, 3ms)");
  CHECK(order[1].kind == step_kind::parallel);
  REQUIRE(order[1].branches.size() == 2);
  CHECK(order[1].branches[0].kind == step_kind::call);
  CHECK(order[1].branches[0].target == "stock.reserve");
  CHECK(order[1].branches[0].service == 1);
  CHECK(order[1].branches[0].endpoint == 0);
  CHECK((order[1].branches[0].pos.line == 22 && order[1].branches[0].pos.column == 23));
  const auto& inner = order[1].branches[1];
  CHECK(inner.kind == step_kind::parallel);
  REQUIRE(inner.branches.size() == 2);
  CHECK((inner.branches[0].service == 2 && inner.branches[0].endpoint == 0));
  CHECK(inner.branches[1].kind == step_kind::work);
  CHECK(order[2].kind == step_kind::notify);
  CHECK(order[2].topic == 0);
  CHECK(order[3].kind == step_kind::publish);
  CHECK(order[3].topic == 1);
  CHECK(order[4].work.k == distribution::kind::normal);
  CHECK(front.endpoints[1].name == "ping");
  CHECK(front.endpoints[1].steps.empty());
  CHECK(s.services[2].endpoints[0].steps.size() == 2);
  CHECK_FALSE(s.services[2].endpoints[0].steps[1].policy.timeout);
  CHECK(s.services[2].endpoints[0].steps[1].policy.retries == 0);

  // Topics by first appearance: subscriptions in service order, then publishes.
  REQUIRE(s.topics.size() == 3);
  CHECK(s.topics[0].name == "order.placed");
  CHECK(s.topics[1].name == "audit");
  CHECK(s.topics[2].name == "stock.changed");
  CHECK(s.topics[0].subscribers == std::vector<std::pair<int, int>>{{1, 0}, {2, 1}, {3, 0}});
  CHECK(s.topics[1].subscribers == std::vector<std::pair<int, int>>{{2, 0}});
  CHECK(s.topics[2].subscribers.empty());
  const auto& stock_sub = s.services[1].subscriptions[0];
  CHECK(stock_sub.topic == 0);
  CHECK(stock_sub.on_message.name == "order.placed");
  REQUIRE(stock_sub.on_message.steps.size() == 2);
  CHECK(stock_sub.on_message.steps[1].topic == 2);
  CHECK(s.services[2].subscriptions[1].on_message.steps.empty());

  REQUIRE(s.workloads.size() == 2);
  CHECK(s.workloads[0].name == "shoppers");
  CHECK((s.workloads[0].service == 0 && s.workloads[0].endpoint == 0));
  CHECK(s.workloads[0].arrivals == arrival_kind::poisson);
  CHECK(s.workloads[0].rate_per_s == 200);
  CHECK((s.workloads[1].service == 0 && s.workloads[1].endpoint == 1));
  CHECK(s.workloads[1].arrivals == arrival_kind::constant);
  CHECK(s.workloads[1].rate_per_s == 0.5);

  CHECK(s.find_service("pay") == 2);
  CHECK(s.find_service("nobody") == -1);
  CHECK(s.find_topic("audit") == 1);
  CHECK(front.find_endpoint("ping") == 1);
  CHECK(std::string(to_string(mode::async)) == "async");
}

TEST_CASE("files that cannot be read or are not YAML or are empty or not a mapping") {
  CHECK(load_scenario("nope.yaml").error ==
        "nope.yaml: error: cannot read the scenario file (No such file or directory)");
  CHECK(error_of("name: [shop\nduration: 1s\n") ==
        "s.yaml:2:9: error: this is not valid YAML (end of sequence flow not found); check the "
        "indentation, colons and quotes here");
  CHECK(error_of("") ==
        "s.yaml:1:1: error: the scenario file is empty; write a YAML mapping of "
        "keys such as name, duration, services and workloads");
  CHECK(error_of("# only a comment\n") ==
        "s.yaml:1:1: error: the scenario file is empty; write a YAML mapping of keys such as "
        "name, duration, services and workloads");
  CHECK(error_of("- name: shop\n") ==
        "s.yaml:1:1: error: a scenario must be a YAML mapping of keys such as name, duration, "
        "services and workloads");
  CHECK(error_of("just some text\n") ==
        "s.yaml:1:1: error: a scenario must be a YAML mapping of keys such as name, duration, "
        "services and workloads");
  CHECK(error_of(base + "---\nname: other\n") ==
        "s.yaml:23:1: error: the file holds more than one YAML document; keep only one scenario "
        "per file (remove this '---' part)");
}

// yaml-cpp 0.7.0 (Debian's) loops in LoadAll on these, pushing null documents until memory runs
// out (yaml-cpp issue #1040); the loader's first pass (parse_guard.cpp) refuses them at once.
TEST_CASE("text yaml-cpp 0.7 would loop on is refused at once, with its place") {
  const std::string cannot_start =
      " cannot start a value here); remove it, or put the value it begins in quotes";
  CHECK(bounded_error_of(",") == "s.yaml:1:1: error: this is not valid YAML (','" + cannot_start);
  CHECK(bounded_error_of(",,,") == "s.yaml:1:1: error: this is not valid YAML (','" + cannot_start);
  CHECK(bounded_error_of(",\n") == "s.yaml:1:1: error: this is not valid YAML (','" + cannot_start);
  CHECK(bounded_error_of(", a") == "s.yaml:1:1: error: this is not valid YAML (','" + cannot_start);
  CHECK(bounded_error_of("  ,") == "s.yaml:1:3: error: this is not valid YAML (','" + cannot_start);
  CHECK(bounded_error_of("---\n,\n") ==
        "s.yaml:2:1: error: this is not valid YAML (','" + cannot_start);
  CHECK(bounded_error_of("...\n,\n") ==
        "s.yaml:2:1: error: this is not valid YAML (','" + cannot_start);
  CHECK(bounded_error_of("%YAML 1.2\n---\n,\n") ==
        "s.yaml:3:1: error: this is not valid YAML (','" + cannot_start);
  CHECK(bounded_error_of("\"a\" ,") ==
        "s.yaml:1:5: error: this is not valid YAML (','" + cannot_start);
  CHECK(bounded_error_of(base + "---\n,\n") ==
        "s.yaml:23:1: error: this is not valid YAML (','" + cannot_start);
  // Neighbours that yaml-cpp already refuses keep their messages.
  CHECK(error_of("]") ==
        "s.yaml:1:1: error: this is not valid YAML (illegal flow end); check the "
        "indentation, colons and quotes here");
  CHECK(error_of("}") ==
        "s.yaml:1:1: error: this is not valid YAML (illegal flow end); check the "
        "indentation, colons and quotes here");
  CHECK(error_of("- ,") ==
        "s.yaml:1:3: error: this is not valid YAML (end of sequence not found); "
        "check the indentation, colons and quotes here");
  CHECK(error_of("a: ,") ==
        "s.yaml:1:4: error: this is not valid YAML (end of map not found); "
        "check the indentation, colons and quotes here");
  CHECK(error_of("[,") ==
        "s.yaml:1:1: error: this is not valid YAML (end of sequence flow not "
        "found); check the indentation, colons and quotes here");
  // Empty documents after the scenario are still allowed, but not without end.
  load_ok(base + "---\n---\n...\n");
  std::string many = base;
  for (int i = 0; i < 200; ++i) many += "---\n";
  CHECK(error_of(many) ==
        "s.yaml:121:1: error: the file holds more than 100 YAML documents; "
        "keep only one scenario per file (remove the '---' lines from here on)");
  // The place and the character after a byte order mark, and in UTF-16.
  CHECK(bounded_error_of("\xEF\xBB\xBF,") ==
        "s.yaml:1:1: error: this is not valid YAML (','" + cannot_start);
  CHECK(bounded_error_of(std::string("\xFF\xFE,\0", 4)) ==
        "s.yaml:1:1: error: this is not valid YAML (this" + cannot_start);
}

#ifdef SVCSIM_SOURCE_DIR
TEST_CASE("the shipped scenarios load") {
  for (const char* name : {"user-signup", "order-checkout", "price-fanout"}) {
    const auto r = load_scenario(std::string(SVCSIM_SOURCE_DIR) + "/scenarios/" + name + ".yaml");
    INFO(name << ": " << r.error);
    CHECK(r.value);
  }
}
#endif

TEST_CASE("unknown keys at every level with a did-you-mean") {
  CHECK(error_of(with("    workers: 4", "    workrs: 4")) ==
        "s.yaml:5:5: error: unknown key 'workrs' in service 'users'; did you mean 'workers'?");
  CHECK(error_of(with("    workers: 4", "    threads: 4")) ==
        "s.yaml:5:5: error: unknown key 'threads' in service 'users'; use one of workers, "
        "queue, blocking, instances, balance, endpoints or subscribes");
  CHECK(error_of(top("servics: {}")) ==
        "s.yaml:3:1: error: unknown key 'servics' at the top level; did you mean 'services'?");
  CHECK(
      error_of(top("colour: blue")) ==
      "s.yaml:3:1: error: unknown key 'colour' at the top level; use one of name, "
      "description, seed, duration, requests, warmup, drain, mode, balance, network, sync, broker, "
      "services, workloads, failures, topics or designs");
  CHECK(error_of(top("network: {latncy: 1ms}")) ==
        "s.yaml:3:11: error: unknown key 'latncy' in network; did you mean 'latency'?");
  CHECK(error_of(top("sync: {notfy: parallel}")) ==
        "s.yaml:3:8: error: unknown key 'notfy' in sync; did you mean 'notify'?");
  CHECK(error_of(top("broker: {prefetc: 0}")) ==
        "s.yaml:3:10: error: unknown key 'prefetc' in broker; did you mean 'prefetch'?");
  CHECK(error_of(with("        steps:", "        stps:")) ==
        "s.yaml:9:9: error: unknown key 'stps' in users.create; did you mean 'steps'?");
  CHECK(error_of(with("      user.created:\n        work: 1ms",
                      "      user.created:\n        wrk: 1ms")) ==
        "s.yaml:17:9: error: unknown key 'wrk' in billing (on user.created); did you mean "
        "'work'?");
  // In a { } mapping a comma ends the value, which cuts a distribution in two.
  CHECK(error_of(with("open: {work: 1ms}", "open: {work: uniform(1ms, 3ms)}")) ==
        "s.yaml:14:33: error: unknown key '3ms)' in billing.open; inside { } a comma ends a "
        "value, so quote values that hold commas, e.g. 'work: \"uniform(1ms, 3ms)\"'");
  CHECK(error_of(with("- call: billing.open", "- cal: billing.open")) ==
        "s.yaml:10:13: error: unknown key 'cal' in a step of users.create; did you mean 'call'?");
  CHECK(error_of(with("    target: users.create", "    tagret: users.create")) ==
        "s.yaml:20:5: error: unknown key 'tagret' in workload 'signup'; did you mean 'target'?");
  CHECK(error_of(top("failures:\n  - servce: users")) ==
        "s.yaml:4:5: error: unknown key 'servce' in failure #1; did you mean 'service'?");
}

TEST_CASE("duplicate keys") {
  CHECK(error_of(with("    workers: 4", "    workers: 4\n    workers: 5")) ==
        "s.yaml:6:5: error: duplicate key 'workers' in service 'users' (first on line 5); keep "
        "only one");
  CHECK(error_of(top("name: again")) ==
        "s.yaml:3:1: error: duplicate key 'name' at the top level (first on line 1); keep only "
        "one");
  CHECK(error_of(with("  billing:\n", "  users: {}\n  billing:\n")) ==
        "s.yaml:12:3: error: duplicate key 'users' in services (first on line 4); keep only one");
  CHECK(error_of(with("    arrivals: poisson(200/s)\n",
                      "    arrivals: poisson(200/s)\n  - name: signup\n    target: "
                      "users.create\n    arrivals: constant(1/s)\n")) ==
        "s.yaml:22:11: error: workload name 'signup' is used twice (first on line 19); give "
        "each workload its own name");
}

TEST_CASE("missing required keys") {
  CHECK(error_of(with("name: shop\n", "")) ==
        "s.yaml:1:1: error: the scenario has no name; add e.g. 'name: user-signup'");
  CHECK(error_of(with("duration: 10s\n", "")) ==
        "s.yaml:1:1: error: the scenario has neither duration nor requests, so arrivals would "
        "never stop; add e.g. 'duration: 60s' or 'requests: 100000'");
  CHECK(load_ok(with("duration: 10s", "requests: 100")).requests == 100);
  CHECK(error_of("name: x\nduration: 1s\nworkloads: []\n") ==
        "s.yaml:1:1: error: the scenario has no services; add e.g. 'services: {users: "
        "{endpoints: {create: {work: 2ms}}}}'");
  CHECK(error_of(base.substr(0, base.find("workloads:"))) ==
        "s.yaml:1:1: error: the scenario has no workloads; add e.g. 'workloads: [{name: "
        "signup, target: users.create, arrivals: poisson(200/s)}]'");
  CHECK(error_of(
            with("  - name: signup\n    target: users.create\n", "  - target: users.create\n")) ==
        "s.yaml:19:5: error: workload #1 has no name; add e.g. 'name: signup'");
  CHECK(error_of(with("    target: users.create\n", "")) ==
        "s.yaml:19:5: error: workload 'signup' has no target; add e.g. 'target: users.create'");
  CHECK(error_of(with("    arrivals: poisson(200/s)\n", "")) ==
        "s.yaml:19:5: error: workload 'signup' has no arrivals; add e.g. 'arrivals: "
        "poisson(200/s)', or 'users: 50' with 'think: exp(1s)' for a closed loop");
  CHECK(error_of(with("duration: 10s", "duration:")) ==
        "s.yaml:2:1: error: 'duration' has no value; write e.g. 'duration: 2ms'");
}

TEST_CASE("wrong types") {
  CHECK(error_of(with("name: shop", "name: [shop]")) ==
        "s.yaml:1:7: error: 'name' must be a single value, not a list; write e.g. 'name: "
        "user-signup'");
  CHECK(error_of(top("network: [1ms]")) ==
        "s.yaml:3:10: error: 'network' must be a mapping, not a list; write e.g. 'network: "
        "{latency: 1ms}'");
  CHECK(error_of("name: x\nduration: 1s\nservices:\n  - users\nworkloads: []\n") ==
        "s.yaml:4:3: error: 'services' must be a mapping, not a list; write each service as a "
        "name with its settings, e.g. 'users: {workers: 4}'");
  CHECK(error_of(with("    endpoints:\n      open: {work: 1ms}", "    endpoints: [open]")) ==
        "s.yaml:13:16: error: 'endpoints' of service 'billing' must be a mapping, not a list; "
        "write each endpoint as a name with its work and steps, e.g. 'create: {work: 2ms}'");
  CHECK(error_of(with("        steps:\n          - call: billing.open\n          - notify: "
                      "user.created\n",
                      "        steps: {notify: user.created}\n")) ==
        "s.yaml:9:16: error: 'steps' of users.create must be a list, not a mapping; write one "
        "step per '- ' item, e.g. '- call: billing.open'");
  CHECK(error_of(with("- call: billing.open", "- billing.open")) ==
        "s.yaml:10:13: error: a step of users.create must be a mapping, not a single value; "
        "write e.g. '- call: billing.open' or '- work: 2ms'");
  CHECK(error_of(with("- call: billing.open", "- parallel: {call: billing.open}")) ==
        "s.yaml:10:23: error: 'parallel' must be a list, not a mapping; write the steps to run "
        "at once as a list, e.g. '- call: a.x' and '- call: b.y'");
  CHECK(error_of(with("  - name: signup\n    target: users.create\n    arrivals: "
                      "poisson(200/s)\n",
                      "  signup: {}\n")) ==
        "s.yaml:19:3: error: 'workloads' must be a list, not a mapping; write one workload per "
        "'- ' item, e.g. '- {name: signup, target: users.create, arrivals: poisson(200/s)}'");
  CHECK(error_of(with("  - name: signup\n    target: users.create\n    arrivals: "
                      "poisson(200/s)\n",
                      "  - signup\n")) ==
        "s.yaml:19:5: error: workload #1 must be a mapping, not a single value; write e.g. '- "
        "{name: signup, target: users.create, arrivals: poisson(200/s)}'");
  CHECK(error_of(with("name: shop", "? [a, b]\n: 1\nname: shop")) ==
        "s.yaml:1:3: error: a key at the top level is a list; write keys as plain names");
  CHECK(error_of(with("    workers: 4", "    workers: four")) ==
        "s.yaml:5:14: error: 'workers' must be a whole number from 1 to 1000000, not 'four'; "
        "write e.g. 'workers: 4'");
  CHECK(error_of(with("    workers: 4", "    workers: 4\n    blocking: maybe")) ==
        "s.yaml:6:15: error: 'blocking' must be true or false, not 'maybe'; write e.g. "
        "'blocking: true'");
}

TEST_CASE("steps hold exactly one action") {
  CHECK(error_of(with("- call: billing.open", "- {}")) ==
        "s.yaml:10:13: error: a step of users.create does nothing; give it one of work, call, "
        "notify, publish or parallel, e.g. '- call: billing.open'");
  CHECK(error_of(with("- call: billing.open", "- call: billing.open\n            work: 1ms")) ==
        "s.yaml:11:13: error: a step of users.create has both 'call' and 'work'; give each its "
        "own '- ' item in the list");
  CHECK(error_of(with("- call: billing.open", "- parallel: []")) ==
        "s.yaml:10:13: error: 'parallel' in users.create has no steps; list at least one, e.g. "
        "'- call: a.x'");
}

TEST_CASE("unknown services and endpoints and topics") {
  CHECK(error_of(with("call: billing.open", "call: biling.open")) ==
        "s.yaml:10:19: error: call to unknown service 'biling' in users.create; did you mean "
        "'billing'?");
  CHECK(error_of(with("call: billing.open", "call: ledger.open")) ==
        "s.yaml:10:19: error: call to unknown service 'ledger' in users.create; call one of "
        "'users' or 'billing', or declare it under services");
  CHECK(error_of(with("call: billing.open", "call: billing.opn")) ==
        "s.yaml:10:19: error: call to unknown endpoint 'opn' of service 'billing' in "
        "users.create; did you mean 'open'?");
  CHECK(error_of(with("call: billing.open", "call: billing.close")) ==
        "s.yaml:10:19: error: call to unknown endpoint 'close' of service 'billing' in "
        "users.create; its endpoints are 'open'; call one of them or add it");
  CHECK(error_of(with("call: billing.open", "call: billing")) ==
        "s.yaml:10:19: error: call target 'billing' in users.create must be service.endpoint; "
        "write e.g. 'call: billing.open'");
  CHECK(error_of(with("notify: user.created", "notify: user.deleted")) ==
        "s.yaml:11:21: error: notify of topic 'user.deleted' in users.create, but nobody "
        "subscribes to topic 'user.deleted'; add it under some service's subscribes, or use "
        "publish");
  CHECK(error_of(with("notify: user.created", "notify: user.creatd")) ==
        "s.yaml:11:21: error: notify of topic 'user.creatd' in users.create, but nobody "
        "subscribes to topic 'user.creatd'; did you mean 'user.created'?");
  // A publish needs no subscriber: it creates the topic.
  const auto s = load_ok(with("- call: billing.open", "- publish: audit"));
  REQUIRE(s.topics.size() == 2);
  CHECK(s.topics[1].name == "audit");
  CHECK(s.topics[1].subscribers.empty());
  // A subscription nobody sends to is most likely a misspelt topic: a warning.
  const auto dead = load_ok(with("      user.created:\n",
                                 "      user.created:\n        work: 1ms\n      "
                                 "user.create:\n"));
  REQUIRE(dead.warnings.size() == 1);
  CHECK(dead.warnings[0] ==
        "s.yaml:18:7: warning: service 'billing' subscribes to topic 'user.create', but no step "
        "notifies or publishes it; did you mean 'user.created'?");
  CHECK(error_of(with("    target: users.create", "    target: usrs.create")) ==
        "s.yaml:20:13: error: workload 'signup' targets unknown service 'usrs'; did you mean "
        "'users'?");
  CHECK(error_of(with("    target: users.create", "    target: users.creat")) ==
        "s.yaml:20:13: error: workload 'signup' targets unknown endpoint 'creat' of service "
        "'users'; did you mean 'create'?");
  CHECK(error_of(with("    target: users.create", "    target: users")) ==
        "s.yaml:20:13: error: workload target 'users' must be service.endpoint; write e.g. "
        "'target: users.create'");
}

TEST_CASE("cycles of sync calls are refused and the cycle is named") {
  CHECK(error_of(with("open: {work: 1ms}", "open: {steps: [{call: users.create}]}")) ==
        "s.yaml:14:29: error: sync calls form a cycle: users.create -> billing.open -> "
        "users.create; a request would wait on itself, so make one of these calls a publish to "
        "break it");
  // notify is a call to every subscriber in sync mode
  CHECK(error_of(with("        work: 1ms\nworkloads",
                      "        steps: [{call: users.create}]\nworkloads")) ==
        "s.yaml:17:24: error: sync calls form a cycle: users.create -> billing (on "
        "user.created) -> users.create; a request would wait on itself, so make one of these "
        "calls a publish to break it");
  CHECK(
      error_of(with("open: {work: 1ms}", "open: {steps: [{parallel: [{call: billing.open}]}]}")) ==
      "s.yaml:14:41: error: sync calls form a cycle: billing.open -> billing.open; a request "
      "would wait on itself, so make one of these calls a publish to break it");
  // Calling the same service twice, or two paths to one handler, is no cycle.
  load_ok(with("- call: billing.open", "- parallel: [{call: billing.open}, {call: billing.open}]"));
  // publish is asynchronous: no cycle
  load_ok(with("- notify: user.created", "- publish: user.created") + "");
  // ...but a cycle through a publish would send messages forever.
  std::string cycle = with("- notify: user.created", "- publish: user.created");
  const std::string handler = "        work: 1ms\nworkloads";
  cycle.replace(cycle.find(handler), handler.size(),
                "        steps: [{call: users.create}]\nworkloads");
  CHECK(error_of(cycle) ==
        "s.yaml:17:24: error: messages form a cycle: users.create -> billing (on user.created) "
        "-> users.create; every request would cause messages forever, so remove one of these "
        "steps");
}

TEST_CASE("closed-loop workloads: users and think") {
  const std::string closed =
      with("    arrivals: poisson(200/s)", "    users: 50\n    think: exp(1s)");
  const auto s = load_ok(closed);
  CHECK(s.workloads[0].users == 50);
  CHECK(s.workloads[0].think.mean() == 1e9);
  CHECK(error_of(with("    target: users.create",
                      "    target: users.create\n    users: 50\n    "
                      "think: exp(1s)")) ==
        "s.yaml:21:5: error: workload 'signup' has both arrivals (open loop) and users (closed "
        "loop); keep one, e.g. 'arrivals: poisson(200/s)' or 'users: 50' with 'think: exp(1s)'");
  CHECK(error_of(with("    arrivals: poisson(200/s)", "    users: 50")) ==
        "s.yaml:21:5: error: workload 'signup' has users but no think time; add e.g. 'think: "
        "exp(1s)'");
  CHECK(error_of(with("    arrivals: poisson(200/s)", "    users: 5\n    think: 0ms")) ==
        "s.yaml:22:12: error: think time '0ms' has a mean of zero, so a user could send without "
        "end in no time; give it a mean above zero, e.g. 'think: exp(1s)'");
  std::string capped = closed;
  capped.replace(capped.find("duration: 10s"), 13, "duration: 10s\nrequests: 10");
  CHECK(error_of(capped) ==
        "s.yaml:3:1: error: 'requests' cannot end closed-loop workloads (such as signup) yet; "
        "end the run with 'duration' instead");
}

TEST_CASE("a run that would send more than 1000000000 requests is refused") {
  CHECK(error_of(with("duration: 10s", "duration: 2000h")) ==
        "s.yaml:2:11: error: this scenario would send about 1.44e+09 requests (the workloads' "
        "rates times duration), more than the 1000000000 one run may simulate; shorten "
        "duration, lower the rates, or cap them with 'requests: N'");
  load_ok(with("duration: 10s", "duration: 2000h\nrequests: 1000"));
}

TEST_CASE("names must be well formed") {
  CHECK(error_of(with("name: shop", "name: Shop Now")) ==
        "s.yaml:1:7: error: name 'Shop Now' may use only lowercase letters, digits, '_' and "
        "'-'; write e.g. 'shop-now'");
  CHECK(error_of(with("  users:\n", "  users.v2:\n")) ==
        "s.yaml:4:3: error: service name 'users.v2' may use only letters, digits, '_' and '-' "
        "(no dots); write e.g. 'users-v2'");
  CHECK(error_of(with("      create:", "      create.v2:")) ==
        "s.yaml:7:7: error: endpoint name 'create.v2' may use only letters, digits, '_' and "
        "'-'; write e.g. 'create-v2'");
  CHECK(error_of(with("      user.created:", "      user created:")) ==
        "s.yaml:16:7: error: topic name 'user created' may use only letters, digits, '.', '_' "
        "and '-'; write e.g. 'user-created'");
}

TEST_CASE("bad units and values and limits") {
  CHECK(error_of(with("work: exp(2ms)", "work: 200")) ==
        "s.yaml:8:15: error: duration '200' has no unit; write it with one, e.g. '200ms' or "
        "'200s'");
  CHECK(error_of(with("work: exp(2ms)", "work: gamma(2ms)")) ==
        "s.yaml:8:15: error: unknown distribution 'gamma'; use one of const, exp, uniform, "
        "normal, lognormal, erlang or hyperexp, e.g. 'exp(2ms)'");
  CHECK(error_of(top("network: {latency: exp(1ms)}")) ==
        "s.yaml:3:20: error: 'exp(1ms)' is a distribution, but a fixed duration is needed here; "
        "write one with a unit, e.g. '2ms'");
  CHECK(error_of(with("duration: 10s", "duration: 0s")) ==
        "s.yaml:2:11: error: 'duration' must be more than zero; write e.g. 'duration: 60s'");
  CHECK(error_of(with("duration: 10s", "duration: 100000h")) ==
        "s.yaml:2:11: error: duration '100000h' is longer than the limit of 10 years; write at "
        "most '87660h'");
  CHECK(error_of(top("warmup: 10s")) ==
        "s.yaml:3:9: error: warmup '10s' is not shorter than duration '10s', so nothing would "
        "be measured; make it shorter, e.g. 'warmup: 0s'");
  CHECK(error_of(top("drain: -1m")) ==
        "s.yaml:3:8: error: duration '-1m' is negative; write zero or more, e.g. '1m'");
  CHECK(error_of(top("seed: -3")) ==
        "s.yaml:3:7: error: 'seed' must be a non-negative whole number, not '-3'; write e.g. "
        "'seed: 42'");
  CHECK(error_of(top("requests: 0")) ==
        "s.yaml:3:11: error: 'requests' must be a whole number from 1 to 1000000000, not '0'; "
        "write e.g. 'requests: 100000'");
  CHECK(error_of(top("mode: snyc")) ==
        "s.yaml:3:7: error: 'mode' must be sync or async, not 'snyc'; did you mean 'sync'?");
  CHECK(error_of(top("mode: fast")) ==
        "s.yaml:3:7: error: 'mode' must be sync or async, not 'fast'; write e.g. 'mode: sync'");
  CHECK(error_of(top("sync: {notify: paralel}")) ==
        "s.yaml:3:16: error: 'notify' must be sequential or parallel, not 'paralel'; did you "
        "mean 'parallel'?");
  CHECK(error_of(with("    workers: 4", "    workers: 0")) ==
        "s.yaml:5:14: error: 'workers' must be a whole number from 1 to 1000000, not '0'; "
        "write e.g. 'workers: 4'");
  CHECK(load_ok(with("    workers: 4", "    workers: 1000000")).services[0].workers == 1000000);
  CHECK(error_of(with("    workers: 4", "    workers: 1000001")) ==
        "s.yaml:5:14: error: 'workers' must be a whole number from 1 to 1000000, not '1000001'; "
        "write e.g. 'workers: 4'");
  CHECK(load_ok(with("    workers: 4", "    queue: 0")).services[0].queue == 0);
  CHECK(load_ok(with("    workers: 4", "    queue: 1000000000")).services[0].queue == 1000000000);
  CHECK(error_of(with("    workers: 4", "    queue: 1000000001")) ==
        "s.yaml:5:12: error: 'queue' must be a whole number from 0 to 1000000000, not "
        "'1000000001'; write e.g. 'queue: 1000'");
  CHECK(error_of(with("poisson(200/s)", "poisson(200)")) ==
        "s.yaml:21:15: error: rate '200' has no time unit; write it per unit of time, e.g. "
        "'200/s' or '200/m'");
  CHECK(error_of(with("poisson(200/s)", "poisson(-5/s)")) ==
        "s.yaml:21:15: error: rate '-5/s' is not above zero; write a positive rate, e.g. '1/s'");
  CHECK(error_of(with("poisson(200/s)", "poisson(2e9/s)")) ==
        "s.yaml:21:15: error: rate '2e9/s' is above the limit of 1000000000/s; write a lower "
        "rate");
  CHECK(error_of(with("poisson(200/s)", "poison(200/s)")) ==
        "s.yaml:21:15: error: unknown arrival process 'poison'; did you mean 'poisson'?");
  CHECK(error_of(with("poisson(200/s)", "200/s")) ==
        "s.yaml:21:15: error: arrivals '200/s' must name a process and a rate; write e.g. "
        "'arrivals: poisson(200/s)' or 'arrivals: constant(200/s)'");
}

TEST_CASE("at most 10000 services and endpoints per service and topics") {
  const std::string head = "name: big\nduration: 1s\nservices:\n";
  const std::string tail = "workloads: [{name: w, target: s0.e, arrivals: poisson(1/s)}]\n";
  std::string many_services = head;
  for (int i = 0; i <= 10000; ++i)
    many_services += "  s" + std::to_string(i) + ": {endpoints: {e: {}}}\n";
  CHECK(error_of(many_services + tail) ==
        "s.yaml:10004:3: error: there are more than 10000 services; keep at most 10000");

  std::string many_endpoints = head + "  s0:\n    endpoints:\n";
  for (int i = 0; i <= 10000; ++i) many_endpoints += "      e" + std::to_string(i) + ": {}\n";
  CHECK(error_of(many_endpoints + tail) ==
        "s.yaml:10006:7: error: service 's0' has more than 10000 endpoints; keep at most 10000");

  std::string many_topics = head + "  s0:\n    endpoints:\n      e:\n        steps:\n";
  for (int i = 0; i <= 10000; ++i)
    many_topics += "          - publish: t" + std::to_string(i) + "\n";
  CHECK(error_of(many_topics + tail) ==
        "s.yaml:10008:22: error: there are more than 10000 topics; keep at most 10000");
}

TEST_CASE("a missing empirical data file is named") {
  CHECK(error_of(with("work: exp(2ms)", "work: empirical(data/email.csv)")) ==
        "s.yaml:8:15: error: cannot read empirical data 'data/email.csv' (No such file or "
        "directory); give a path relative to the scenario file");
}

TEST_CASE("sync defaults fill the policy of every call and notify step") {
  const auto s =
      load_ok(top("sync:\n  timeout: 500ms\n  retries: 2\n  backoff: 10ms\n  jitter: "
                  "true\n  breaker: {failures: 5, window: 20s, open: 1m}"));
  const call_policy& d = s.sync_defaults;
  CHECK(d.timeout == 500000000);
  CHECK(d.retries == 2);
  CHECK(d.backoff == 10000000);
  CHECK(d.jitter);
  CHECK_FALSE(d.optional);
  CHECK(d.breaker.failures == 5);
  CHECK(d.breaker.window == 20000000000LL);
  CHECK(d.breaker.open == 60000000000LL);
  const auto& steps = s.services[0].endpoints[0].steps;
  REQUIRE(steps.size() == 3);
  for (const step* st : {&steps[1], &steps[2]}) {  // the call and the notify
    CHECK(st->policy.timeout == 500000000);
    CHECK(st->policy.retries == 2);
    CHECK(st->policy.backoff == 10000000);
    CHECK(st->policy.jitter);
    CHECK_FALSE(st->policy.optional);
    CHECK(st->policy.breaker == d.breaker);
  }
  CHECK(steps[0].policy.retries == 0);  // a work step has no policy

  // Without sync's keys: no timeout, no retries, no backoff, no jitter, no breaker.
  const auto plain = load_ok(base);
  const call_policy& p = plain.services[0].endpoints[0].steps[1].policy;
  CHECK_FALSE(p.timeout);
  CHECK(p.retries == 0);
  CHECK(p.backoff == 0);
  CHECK_FALSE(p.jitter);
  CHECK(p.breaker.failures == 0);
  CHECK(plain.sync_defaults.breaker == breaker_policy{});

  // A breaker's window and open time default to 10s and 30s; none is no breaker.
  const auto short_breaker = load_ok(top("sync: {breaker: {failures: 3}}"));
  CHECK(short_breaker.sync_defaults.breaker.failures == 3);
  CHECK(short_breaker.sync_defaults.breaker.window == 10000000000LL);
  CHECK(short_breaker.sync_defaults.breaker.open == 30000000000LL);
  const auto none = load_ok(top("sync: {timeout: none, retries: 0, breaker: none}"));
  CHECK_FALSE(none.sync_defaults.timeout);
  CHECK(none.sync_defaults.breaker.failures == 0);
}

TEST_CASE("a step's own keys override sync's defaults") {
  const std::string defaults =
      "sync: {timeout: 1s, retries: 3, backoff: 1ms, breaker: {failures: 5}}";
  std::string yaml = replaced(top(defaults), "- call: billing.open",
                              "- {call: billing.open, timeout: 200ms, retries: 0, backoff: 5ms, "
                              "jitter: true, optional: true}");
  yaml = replaced(yaml, "- notify: user.created",
                  "- {notify: user.created, timeout: none, optional: true}");
  const auto s = load_ok(yaml);
  const auto& steps = s.services[0].endpoints[0].steps;
  const call_policy& call = steps[1].policy;
  CHECK(call.timeout == 200000000);
  CHECK(call.retries == 0);
  CHECK(call.backoff == 5000000);
  CHECK(call.jitter);
  CHECK(call.optional);
  CHECK(call.breaker.failures == 5);  // from sync
  const call_policy& notify = steps[2].policy;
  CHECK_FALSE(notify.timeout);
  CHECK(notify.retries == 3);
  CHECK(notify.backoff == 1000000);
  CHECK_FALSE(notify.jitter);
  CHECK(notify.optional);
  CHECK(notify.breaker.failures == 5);
  // Steps inside parallel get the defaults too.
  const auto p = load_ok(
      replaced(top(defaults), "- call: billing.open", "- parallel: [{call: billing.open}]"));
  CHECK(p.services[0].endpoints[0].steps[1].branches[0].policy.retries == 3);
  CHECK(p.services[0].endpoints[0].steps[1].branches[0].policy.timeout == 1000000000);
}

TEST_CASE("call policy values are checked") {
  CHECK(error_of(top("sync: {timeout: 0s}")) ==
        "s.yaml:3:17: error: 'timeout' must be more than zero; write e.g. 'timeout: 500ms', or "
        "'timeout: none' to wait as long as it takes");
  CHECK(error_of(top("sync: {timeout: 500}")) ==
        "s.yaml:3:17: error: duration '500' has no unit; write it with one, e.g. '500ms' or "
        "'500s'");
  CHECK(error_of(top("sync: {retries: 1001}")) ==
        "s.yaml:3:17: error: 'retries' must be a whole number from 0 to 1000, not '1001'; write "
        "e.g. 'retries: 2'");
  CHECK(error_of(top("sync: {backoff: -1ms}")) ==
        "s.yaml:3:17: error: duration '-1ms' is negative; write zero or more, e.g. '1ms'");
  CHECK(error_of(top("sync: {jitter: yes}")) ==
        "s.yaml:3:16: error: 'jitter' must be true or false, not 'yes'; write e.g. 'jitter: "
        "true'");
  CHECK(error_of(top("sync: {retires: 2}")) ==
        "s.yaml:3:8: error: unknown key 'retires' in sync; did you mean 'retries'?");
  CHECK(error_of(top("sync: {optional: true}")) ==
        "s.yaml:3:8: error: unknown key 'optional' in sync; use one of notify, timeout, "
        "retries, backoff, jitter or breaker");
  CHECK(error_of(with("- call: billing.open", "- {call: billing.open, timeout: 0ms}")) ==
        "s.yaml:10:43: error: 'timeout' must be more than zero; write e.g. 'timeout: 500ms', or "
        "'timeout: none' to wait as long as it takes");
  CHECK(error_of(with("- notify: user.created", "- {notify: user.created, optional: maybe}")) ==
        "s.yaml:11:46: error: 'optional' must be true or false, not 'maybe'; write e.g. "
        "'optional: true'");
  CHECK(error_of(with("- call: billing.open", "- {call: billing.open, retrys: 1}")) ==
        "s.yaml:10:34: error: unknown key 'retrys' in a step of users.create; did you mean "
        "'retries'?");
}

TEST_CASE("breakers are a mapping or none") {
  CHECK(error_of(top("sync: {breaker: 5}")) ==
        "s.yaml:3:17: error: 'breaker' must be a mapping or none, not '5'; write e.g. 'breaker: "
        "{failures: 5, window: 10s, open: 30s}', or 'breaker: none'");
  CHECK(error_of(top("sync: {breaker: [5]}")) ==
        "s.yaml:3:17: error: 'breaker' must be a mapping or none, not a list; write e.g. "
        "'breaker: {failures: 5, window: 10s, open: 30s}', or 'breaker: none'");
  CHECK(error_of(top("sync:\n  breaker:")) ==
        "s.yaml:4:3: error: 'breaker' has no value; write e.g. 'breaker: {failures: 5, window: "
        "10s, open: 30s}'");
  CHECK(error_of(top("sync: {breaker: {window: 5s}}")) ==
        "s.yaml:3:17: error: the breaker has no failures (how many failed attempts open it); "
        "add e.g. 'failures: 5'");
  CHECK(error_of(top("sync: {breaker: {failures: 0}}")) ==
        "s.yaml:3:28: error: 'failures' must be a whole number from 1 to 1000000, not '0'; "
        "write e.g. 'failures: 5'");
  CHECK(error_of(top("sync: {breaker: {failures: 3, window: 0s}}")) ==
        "s.yaml:3:39: error: 'window' must be more than zero; write e.g. 'window: 10s'");
  CHECK(error_of(top("sync: {breaker: {failures: 3, open: 0ms}}")) ==
        "s.yaml:3:37: error: 'open' must be more than zero; write e.g. 'open: 30s'");
  CHECK(error_of(top("sync: {breaker: {failures: 3, opn: 1s}}")) ==
        "s.yaml:3:31: error: unknown key 'opn' in breaker; did you mean 'open'?");
  const std::string breaker = "breaker: {failures: 2, window: 1s, open: 500ms}}";
  const auto s = load_ok(replaced(with("- call: billing.open", "- {call: billing.open, " + breaker),
                                  "- notify: user.created", "- {notify: user.created, " + breaker));
  const breaker_policy& b = s.services[0].endpoints[0].steps[1].policy.breaker;
  CHECK(b.failures == 2);
  CHECK(b.window == 1000000000);
  CHECK(b.open == 500000000);
  CHECK(s.services[0].endpoints[0].steps[2].policy.breaker == b);
}

TEST_CASE("policy keys apply only to call and notify steps") {
  CHECK(
      error_of(with("- notify: user.created", "- publish: user.created\n            retries: 0")) ==
      "s.yaml:12:13: error: 'retries' applies only to call and notify steps; remove it from "
      "this publish step");
  CHECK(error_of(with("- call: billing.open", "- {work: 1ms, breaker: none}")) ==
        "s.yaml:10:25: error: 'breaker' applies only to call and notify steps; remove it from "
        "this work step");
  CHECK(error_of(with("- call: billing.open",
                      "- {parallel: [{call: billing.open}], jitter: "
                      "true}")) ==
        "s.yaml:10:48: error: 'jitter' applies only to call and notify steps; remove it from "
        "this parallel step");
}

TEST_CASE("all calls from one service to another have the same breaker") {
  // users calls billing.open, and its notify of user.created calls billing in sync mode.
  CHECK(error_of(with("- call: billing.open", "- {call: billing.open, breaker: {failures: 5}}")) ==
        "s.yaml:11:21: error: users calls billing (a subscriber of 'user.created', called by "
        "this notify in sync mode) with a different breaker (none) than at 10:20 ({failures: 5, "
        "window: 10s, open: 30s}); give every call from users to billing the same breaker, as it "
        "keeps one state per caller and callee");
  CHECK(error_of(with("- call: billing.open",
                      "- {call: billing.open, breaker: {failures: 5}}\n"
                      "          - {call: billing.open, breaker: "
                      "{failures: 5, open: 1m}}")) ==
        "s.yaml:11:20: error: users calls billing with a different breaker ({failures: 5, "
        "window: 10s, open: 1m}) than at 10:20 ({failures: 5, window: 10s, open: 30s}); give "
        "every call from users to billing the same breaker, as it keeps one state per caller "
        "and callee");
  // The same breaker everywhere, from sync's default or written out, is fine.
  load_ok(top("sync: {breaker: {failures: 5}}"));
  load_ok(replaced(top("sync: {breaker: {failures: 5}}"), "- call: billing.open",
                   "- {call: billing.open, breaker: {failures: 5, open: 30s}}"));
  const std::string users_to_billing =
      replaced(with("- call: billing.open", "- {call: billing.open, breaker: {failures: 5}}"),
               "- notify: user.created",
               "- {notify: user.created, breaker: {failures: 5, window: 10s, open: 30s}}");
  load_ok(users_to_billing);
  // Breakers of different callers to one callee may differ: billing calls itself without one.
  load_ok(replaced(users_to_billing, "open: {work: 1ms}",
                   "open: {steps: [{call: billing.check}]}\n      check: {work: 1ms}"));
}

TEST_CASE("broker capacity, delivery and prefetch") {
  const auto defaults = load_ok(base);
  CHECK(defaults.broker_capacity == -1);
  CHECK(defaults.broker_delivery == delivery_mode::at_least_once);
  CHECK(defaults.broker_prefetch == 0);
  const auto s = load_ok(top("broker: {capacity: 1000, delivery: at-most-once, prefetch: 10}"));
  CHECK(s.broker_capacity == 1000);
  CHECK(s.broker_delivery == delivery_mode::at_most_once);
  CHECK(s.broker_prefetch == 10);
  const auto most =
      load_ok(top("broker: {capacity: 1000000000, delivery: at-least-once, "
                  "prefetch: 1000000}"));
  CHECK(most.broker_capacity == 1000000000);
  CHECK(most.broker_delivery == delivery_mode::at_least_once);
  CHECK(most.broker_prefetch == 1000000);
  CHECK(load_ok(top("broker: {capacity: unlimited}")).broker_capacity == -1);
  CHECK(error_of(top("broker: {capacity: 0}")) ==
        "s.yaml:3:20: error: a broker capacity of 0 would hold no message, so every publish "
        "would be lost; write at least 1, e.g. 'capacity: 1000', or 'capacity: unlimited'");
  CHECK(error_of(top("broker: {capacity: 1000000001}")) ==
        "s.yaml:3:20: error: 'capacity' must be a whole number from 1 to 1000000000, not "
        "'1000000001'; write e.g. 'capacity: 1000'");
  CHECK(error_of(top("broker: {capacity: lots}")) ==
        "s.yaml:3:20: error: 'capacity' must be a whole number from 1 to 1000000000, not "
        "'lots'; write e.g. 'capacity: 1000'");
  CHECK(error_of(top("broker: {delivery: exactly-once}")) ==
        "s.yaml:3:20: error: 'delivery' must be at-least-once or at-most-once, not "
        "'exactly-once'; write e.g. 'delivery: at-least-once'");
  CHECK(error_of(top("broker: {delivery: at-most-onse}")) ==
        "s.yaml:3:20: error: 'delivery' must be at-least-once or at-most-once, not "
        "'at-most-onse'; did you mean 'at-most-once'?");
  CHECK(error_of(top("broker: {prefetch: 1000001}")) ==
        "s.yaml:3:20: error: 'prefetch' must be a whole number from 0 to 1000000, not "
        "'1000001'; write e.g. 'prefetch: 10'");
}

TEST_CASE("the broker as a resource: workers, queue, work, durable, outbox") {
  const auto defaults = load_ok(base);
  CHECK_FALSE(defaults.broker_costs());
  CHECK(defaults.broker_workers == 1);
  CHECK(defaults.broker_queue == -1);
  CHECK_FALSE(defaults.broker_durable);
  CHECK(defaults.broker_outbox == -1);
  CHECK_FALSE(defaults.broker_publishing.confirm);
  CHECK(defaults.broker_publishing.on_down == broker_down::fail);
  const auto s =
      load_ok(top("broker: {workers: 4, queue: 100, work: {publish: exp(200us), deliver: 50us}, "
                  "durable: true, outbox: 500, on_broker_down: outbox}"));
  CHECK(s.broker_costs());
  CHECK(s.broker_workers == 4);
  CHECK(s.broker_queue == 100);
  CHECK(s.broker_publish_work.mean() == Approx(200000));
  CHECK(s.broker_deliver_work.mean() == Approx(50000));
  CHECK(s.broker_durable);
  CHECK(s.broker_outbox == 500);
  CHECK(s.warnings.empty());
  const auto unused = load_ok(top("broker: {outbox: 500}"));
  REQUIRE(unused.warnings.size() == 1);
  CHECK(unused.warnings[0] ==
        "s.yaml:3:10: warning: 'outbox' has no effect: no publish keeps its messages in an "
        "outbox; add 'on_broker_down: outbox' to the broker or to a publish or notify step");
  const auto slow = load_ok(top("failures: [{service: broker, kind: slow(2), at: 1s}]"));
  REQUIRE(slow.warnings.size() == 1);
  CHECK(slow.warnings[0] ==
        "s.yaml:3:36: warning: failure #1 slows the broker's work, but it has none, so it has no "
        "effect; give the broker work, e.g. 'work: {publish: exp(200us), deliver: exp(50us)}'");
  CHECK(load_ok(top("broker: {work: {deliver: 1ms}, queue: unlimited}")).broker_queue == -1);
  CHECK(error_of(top("broker: {workers: 0, work: {publish: 1ms}}")) ==
        "s.yaml:3:19: error: 'workers' must be a whole number from 1 to 1000000, not '0'; "
        "write e.g. 'workers: 4'");
  CHECK(error_of(top("broker: {outbox: 0}")) ==
        "s.yaml:3:18: error: an outbox of 0 would keep no message, so every publish would fail "
        "while the broker is down; write at least 1, e.g. 'outbox: 10000', or 'outbox: "
        "unlimited'");
  CHECK(error_of(top("broker: {work: 1ms}")) ==
        "s.yaml:3:16: error: the broker's 'work' must be a mapping, not a single value; write "
        "e.g. 'work: {publish: exp(200us), deliver: exp(50us)}'");
  CHECK(error_of(top("broker: {work: {publsh: 1ms}}")) ==
        "s.yaml:3:17: error: unknown key 'publsh' in the broker's work; did you mean "
        "'publish'?");
  const auto idle = load_ok(top("broker: {workers: 4}"));
  REQUIRE(idle.warnings.size() == 1);
  CHECK(idle.warnings[0] ==
        "s.yaml:3:10: warning: the broker's 'workers' has no effect while it has no work, so "
        "it costs nothing; add e.g. 'work: {publish: exp(200us), deliver: exp(50us)}'");
}

TEST_CASE("publishes may wait for the broker's confirm and say what to do while it is down") {
  const auto confirmed = load_ok(top("broker: {confirm: true}"));
  REQUIRE(confirmed.broker_publishing.confirm);
  CHECK_FALSE(confirmed.broker_publishing.confirm->timeout);
  CHECK(confirmed.broker_publishing.on_down == broker_down::fail);
  const auto& notify = confirmed.services[0].endpoints[0].steps[2];
  REQUIRE(notify.kind == step_kind::notify);
  CHECK(notify.publishing.confirm);
  CHECK(notify.publishing.on_down == broker_down::fail);
  // A step's own keys over the broker's.
  const auto own = load_ok(with("          - notify: user.created",
                                "          - notify: user.created\n"
                                "            confirm: {timeout: 50ms, retries: 2}"));
  const auto& step = own.services[0].endpoints[0].steps[2];
  REQUIRE(step.publishing.confirm);
  CHECK(step.publishing.confirm->timeout == 50000000);
  CHECK(step.publishing.confirm->retries == 2);
  CHECK(step.publishing.on_down == broker_down::fail);
  const auto outbox =
      load_ok(replaced(top("broker: {on_broker_down: outbox}"), "          - notify: user.created",
                       "          - notify: user.created\n            confirm: true"));
  CHECK(outbox.services[0].endpoints[0].steps[2].publishing.on_down == broker_down::outbox);
  CHECK(error_of(with("          - call: billing.open",
                      "          - call: billing.open\n            confirm: true")) ==
        "s.yaml:11:13: error: 'confirm' applies only to publish and notify steps; remove it "
        "from this call step");
  CHECK(error_of(top("broker: {on_broker_down: retry}")) ==
        "s.yaml:3:26: error: 'on_broker_down' must be fail, drop or outbox, not 'retry'; write "
        "e.g. 'on_broker_down: fail'");
  CHECK(error_of(top("broker: {confirm: maybe}")) ==
        "s.yaml:3:19: error: 'confirm' must be true or false, not 'maybe'; write e.g. "
        "'confirm: true'");
  CHECK(error_of(top("broker: {confirm: {optional: true}}")) ==
        "s.yaml:3:20: error: unknown key 'optional' in confirm; use one of timeout, retries, "
        "backoff, jitter or breaker");
}

TEST_CASE("failures may name the broker") {
  const auto s = load_ok(top("failures: [{service: broker, kind: crash, at: 1s, for: 2s}]"));
  REQUIRE(s.failures.size() == 1);
  CHECK(s.failures[0].service == s.broker_party());
  CHECK(s.party_name(s.failures[0].service) == "broker");
}

TEST_CASE("a service may be non-blocking") {
  const auto s = load_ok(with("    workers: 4", "    workers: 4\n    blocking: false"));
  CHECK_FALSE(s.services[0].blocking);
  CHECK(s.services[1].blocking);
}

TEST_CASE("failures are stored sorted by service, then start") {
  const auto s =
      load_ok(top("failures:\n"
                  "  - {service: billing, kind: crash, at: 5s, for: 1s}\n"
                  "  - {service: users, kind: slow(2.5), at: 1s}\n"
                  "  - {service: billing, kind: hang, at: 1s, for: 2s}\n"
                  "  - {service: billing, kind: errors(10%), at: 7s}\n"
                  "  - {service: users, kind: errors(0.25), at: 0s, for: 1s}\n"
                  "  - {service: billing, kind: slow(5), at: 6s, for: 500ms}"));
  REQUIRE(s.failures.size() == 6);
  const failure& a = s.failures[0];  // users, at 0s
  CHECK(a.service == 0);
  CHECK(a.kind == failure_kind::errors);
  CHECK(a.probability == 0.25);
  CHECK(a.at == 0);
  CHECK(a.length == 1000000000);
  CHECK((a.pos.line == 8 && a.pos.column == 5));
  const failure& b = s.failures[1];  // users, at 1s, until the end
  CHECK(b.service == 0);
  CHECK(b.kind == failure_kind::slow);
  CHECK(b.factor == 2.5);
  CHECK(b.at == 1000000000);
  CHECK_FALSE(b.length);
  CHECK(b.end() == std::numeric_limits<nanos>::max());
  CHECK((s.failures[2].service == 1 && s.failures[2].kind == failure_kind::hang));
  CHECK(s.failures[2].end() == 3000000000LL);
  CHECK((s.failures[3].kind == failure_kind::crash && s.failures[3].at == 5000000000LL));
  CHECK((s.failures[4].kind == failure_kind::slow && s.failures[4].factor == 5));
  CHECK(s.failures[4].length == 500000000);
  CHECK(s.failures[5].kind == failure_kind::errors);
  CHECK(s.failures[5].probability == Approx(0.1));
  CHECK(s.warnings.empty());
  // Windows that touch do not overlap.
  CHECK(load_ok(top("failures:\n  - {service: users, kind: crash, at: 1s, for: 1s}\n"
                    "  - {service: users, kind: hang, at: 2s}"))
            .failures.size() == 2);
}

TEST_CASE("a failure that starts after arrivals end is a warning") {
  const auto s = load_ok(top("failures:\n  - {service: users, kind: crash, at: 10s}"));
  REQUIRE(s.failures.size() == 1);
  REQUIRE(s.warnings.size() == 1);
  CHECK(s.warnings[0] ==
        "s.yaml:4:39: warning: failure #1 (users) starts at 10s, when arrivals have ended "
        "(duration 10s), so only what is still running then meets it; start it earlier to see "
        "its effect on the requests");
  // Without a duration, the end of arrivals is not known.
  CHECK(load_ok(with("duration: 10s",
                     "requests: 100\nfailures: [{service: users, kind: crash, "
                     "at: 1h}]"))
            .warnings.empty());
}

TEST_CASE("failures are checked") {
  CHECK(error_of(top("failures: [{service: biling, kind: crash, at: 1s}]")) ==
        "s.yaml:3:22: error: failure #1 names unknown service 'biling'; did you mean "
        "'billing'?");
  CHECK(error_of(top("failures: [{service: email, kind: crash, at: 1s}]")) ==
        "s.yaml:3:22: error: failure #1 names unknown service 'email'; name one of 'users', "
        "'billing' or 'broker'");
  CHECK(error_of(top("failures: [{kind: crash, at: 1s}]")) ==
        "s.yaml:3:12: error: failure #1 has no service; add e.g. 'service: email'");
  CHECK(error_of(top("failures: [{service: users, at: 1s}]")) ==
        "s.yaml:3:12: error: failure #1 has no kind; add e.g. 'kind: crash'");
  CHECK(error_of(top("failures: [{service: users, kind: crash}]")) ==
        "s.yaml:3:12: error: failure #1 has no start; add e.g. 'at: 20s'");
  CHECK(error_of(top("failures: [{service: users, kind: crash, at: 1s, until: 2s}]")) ==
        "s.yaml:3:50: error: unknown key 'until' in failure #1; use one of service, instance, "
        "kind, at or for");
  CHECK(error_of(top("failures: [users]")) ==
        "s.yaml:3:12: error: failure #1 must be a mapping, not a single value; write e.g. '- "
        "{service: email, kind: crash, at: 20s}'");
  CHECK(error_of(top("failures: {service: users}")) ==
        "s.yaml:3:11: error: 'failures' must be a list, not a mapping; write one failure per "
        "'- ' item, e.g. '- {service: email, kind: crash, at: 20s}'");
  CHECK(error_of(top("failures: [{service: users, kind: crash, at: 1s, for: 0s}]")) ==
        "s.yaml:3:55: error: 'for' must be more than zero; write e.g. 'for: 10s', or leave it "
        "out to last until the end");
  CHECK(error_of(top("failures: [{service: users, kind: crash, at: -1s}]")) ==
        "s.yaml:3:46: error: duration '-1s' is negative; write zero or more, e.g. '1s'");
}

TEST_CASE("failure kinds are checked") {
  auto kind = [](const std::string& k) {
    return error_of(top("failures: [{service: users, at: 1s, kind: '" + k + "'}]"));
  };
  CHECK(kind("crsh") == "s.yaml:3:43: error: unknown failure kind 'crsh'; did you mean 'crash'?");
  CHECK(kind("explode") ==
        "s.yaml:3:43: error: unknown failure kind 'explode'; use crash, hang, slow(5) or "
        "errors(10%)");
  CHECK(kind("crash(1)") ==
        "s.yaml:3:43: error: failure kind 'crash(1)': crash takes no argument; write 'kind: "
        "crash'");
  CHECK(kind("slow") ==
        "s.yaml:3:43: error: failure kind 'slow' needs a factor in parentheses; write e.g. "
        "'kind: slow(5)'");
  CHECK(kind("errors(10%") ==
        "s.yaml:3:43: error: failure kind 'errors(10%' needs a probability in parentheses; "
        "write e.g. 'kind: errors(10%)'");
  CHECK(kind("slow(0)") ==
        "s.yaml:3:43: error: slow factor '0' must be a number above 0 and at most 1000000; "
        "write e.g. 'kind: slow(5)' for work that takes 5 times as long");
  CHECK(kind("slow(fast)") ==
        "s.yaml:3:43: error: slow factor 'fast' must be a number above 0 and at most 1000000; "
        "write e.g. 'kind: slow(5)' for work that takes 5 times as long");
  CHECK(kind("errors(0%)") ==
        "s.yaml:3:43: error: 'errors(0%)' would fail no request; write a probability above 0, "
        "e.g. 'kind: errors(10%)'");
  CHECK(kind("errors(150%)") ==
        "s.yaml:3:43: error: probability '150%' is not between 0% and 100%; write e.g. '0.1' or "
        "'10%'");
  CHECK(load_ok(top("failures: [{service: users, at: 1s, kind: 'errors(100%)'}]"))
            .failures[0]
            .probability == 1);
}

TEST_CASE("two failures of one service may not overlap") {
  CHECK(error_of(top("failures:\n"
                     "  - {service: users, kind: crash, at: 25s}\n"
                     "  - {service: billing, kind: crash, at: 1s}\n"
                     "  - {service: users, kind: hang, at: 20s, for: 10s}")) ==
        "s.yaml:6:5: error: failure #3 (users, 20s..30s) overlaps failure #1 (users, 25s..); a "
        "service has one failure at a time, so end failure #3 when failure #1 starts, with "
        "'for: 5s', or move one of them");
  CHECK(error_of(top("failures:\n"
                     "  - {service: users, kind: crash, at: 1s, for: 1s}\n"
                     "  - {service: users, kind: slow(2), at: 1s, for: 1500ms}")) ==
        "s.yaml:5:5: error: failure #2 (users, 1s..2500ms) overlaps failure #1 (users, 1s..2s); "
        "a service has one failure at a time, so start them at different times");
}

TEST_CASE("instances and balancing: read, defaulted, and bad values refused with the fix") {
  const auto s = load_ok(top("balance: random"));
  CHECK(s.services[0].instances == 1);
  CHECK(s.services[0].balance == balance_policy::random);  // the scenario's default
  const auto t = load_ok(with("    workers: 4",
                              "    workers: 4\n    instances: 3\n    balance: "
                              "least-outstanding"));
  CHECK(t.services[0].instances == 3);
  CHECK(t.services[0].balance == balance_policy::least_outstanding);
  CHECK(t.services[1].balance == balance_policy::round_robin);
  CHECK(error_of(with("    workers: 4", "    instances: 0")) ==
        "s.yaml:5:16: error: 'instances' must be a whole number from 1 to 10000, not '0'; write "
        "e.g. 'instances: 4'");
  CHECK(error_of(with("    workers: 4", "    balance: power-of-2")) ==
        "s.yaml:5:14: error: 'balance' must be round-robin, random, least-outstanding or "
        "power-of-two, not 'power-of-2'; did you mean 'power-of-two'?");
  CHECK(error_of(top("balance: leastoutstanding")) ==
        "s.yaml:3:10: error: 'balance' must be round-robin, random, least-outstanding or "
        "power-of-two, not 'leastoutstanding'; did you mean 'least-outstanding'?");
}

TEST_CASE("failures of one instance: in range, and one failure at a time per instance") {
  const std::string four = "    workers: 4\n    instances: 4";
  const auto s =
      load_ok(replaced(with("    workers: 4", four), "duration: 10s\n",
                       "duration: 10s\nfailures:\n  - {service: users, instance: 2, kind: "
                       "crash, at: 1s}\n  - {service: users, instance: 3, kind: hang, at: "
                       "1500ms}\n"));
  REQUIRE(s.failures.size() == 2);
  CHECK(s.failures[0].instance == 1);
  CHECK(s.failures[1].instance == 2);
  CHECK(error_of(replaced(with("    workers: 4", four), "duration: 10s\n",
                          "duration: 10s\nfailures: [{service: users, instance: 5, kind: crash, "
                          "at: 1s}]\n")) ==
        "s.yaml:3:39: error: failure #1 names instance 5 of 'users', which has 4 instances; "
        "write 1 to 4, or leave it out to fail every instance");
  CHECK(error_of(top("failures: [{service: users, instance: 2, kind: crash, at: 1s}]")) ==
        "s.yaml:3:39: error: failure #1 names instance 2 of 'users', which has 1 instance; write "
        "'instance: 1' or leave it out");
  CHECK(error_of(top("failures: [{service: broker, instance: 1, kind: crash, at: 1s}]")) ==
        "s.yaml:3:30: error: failure #1 names an instance of the broker, which has none; remove "
        "'instance'");
  CHECK(error_of(replaced(with("    workers: 4", four), "duration: 10s\n",
                          "duration: 10s\nfailures:\n  - {service: users, instance: 2, kind: "
                          "crash, at: 1s}\n  - {service: users, kind: slow(2), at: 1500ms}\n")) ==
        "s.yaml:5:5: error: failure #2 (users, 1500ms..) overlaps failure #1 (users#2, 1s..); an "
        "instance has one failure at a time, so end failure #1 when failure #2 starts, with "
        "'for: 500ms', or move one of them");
}

TEST_CASE("designs: topics, a notify step's mode and designs are read") {
  const auto s =
      load_ok(top("mode: async\n"
                  "topics: {user.created: {mode: sync}}\n"
                  "designs:\n"
                  "  events-for-email: {mode: sync, async: [user.created]}\n"
                  "  plain: {}"));
  const int t = s.find_topic("user.created");
  REQUIRE(s.topics[t].pinned);
  CHECK(*s.topics[t].pinned == mode::sync);
  REQUIRE(s.designs.size() == 2);
  CHECK(s.designs[0].name == "events-for-email");
  CHECK(s.designs[0].mode == mode::sync);
  CHECK(s.designs[0].pins == std::vector<std::pair<int, mode>>{{t, mode::async}});
  CHECK(s.designs[1].mode == mode::async);  // the scenario's
  CHECK(s.designs[1].pins.empty());
  const auto step =
      load_ok(with("- notify: user.created", "- {notify: user.created, mode: async}"));
  const auto& notify = step.services[0].endpoints[0].steps.back();
  REQUIRE(notify.pinned);
  CHECK(*notify.pinned == mode::async);
  CHECK_FALSE(step.services[0].endpoints[0].steps[1].pinned);  // the call
}

TEST_CASE("designs: errors in topics, modes and designs") {
  CHECK(error_of(top("topics: {user.create: {mode: async}}")) ==
        "s.yaml:3:10: error: topic 'user.create' under topics is neither subscribed nor "
        "published; did you mean 'user.created'?");
  CHECK(error_of(top("topics: {orders: {mode: async}}")) ==
        "s.yaml:3:10: error: topic 'orders' under topics is neither subscribed nor published; "
        "the topics are 'user.created'");
  CHECK(error_of(top("topics: {user.created: {mode: asynch}}")) ==
        "s.yaml:3:31: error: 'mode' must be sync or async, not 'asynch'; did you mean 'async'?");
  CHECK(error_of(top("topics: {user.created: {mod: async}}")) ==
        "s.yaml:3:25: error: unknown key 'mod' in topic 'user.created'; did you mean 'mode'?");
  CHECK(error_of(top("topics: {user.created: async}")) ==
        "s.yaml:3:24: error: topic 'user.created' must be a mapping, not a single value; write "
        "its settings, e.g. 'mode: async' or 'partitions: 8'");
  CHECK(error_of(top("topics: [user.created]")) ==
        "s.yaml:3:9: error: 'topics' must be a mapping, not a list; write each topic with its "
        "settings, e.g. 'user.created: {mode: async}'");
  CHECK(error_of(with("- call: billing.open", "- {call: billing.open, mode: async}")) ==
        "s.yaml:10:34: error: 'mode' applies only to notify steps; remove it from this call step");
  CHECK(error_of(with("- call: billing.open", "- {publish: audit, mode: async}")) ==
        "s.yaml:10:30: error: 'mode' applies only to notify steps: a publish step publishes to "
        "the broker in every mode; remove it, or write 'notify:' to let the mode decide");
  CHECK(error_of(with("- notify: user.created", "- {notify: user.created, mode: later}")) ==
        "s.yaml:11:42: error: 'mode' must be sync or async, not 'later'; write e.g. 'mode: sync'");
  CHECK(error_of(top("designs: {sync: {mode: async}}")) ==
        "s.yaml:3:11: error: design name 'sync' is a mode's name, which '--design sync' already "
        "means; name it otherwise, e.g. 'all-sync'");
  CHECK(error_of(top("designs: {'a b': {mode: async}}")) ==
        "s.yaml:3:11: error: design name 'a b' may use only letters, digits, '_' and '-'; write "
        "e.g. 'a-b'");
  CHECK(error_of(top("designs: {x: {mode: sync, async: [user.create]}}")) ==
        "s.yaml:3:35: error: topic 'user.create' in 'async' of design 'x' is neither subscribed "
        "nor published; did you mean 'user.created'?");
  CHECK(error_of(top("designs: {x: {sync: [user.created], async: [user.created]}}")) ==
        "s.yaml:3:45: error: topic 'user.created' is pinned twice in design 'x' (sync and "
        "async); keep it in one list");
  CHECK(error_of(top("designs: {x: {async: user.created}}")) ==
        "s.yaml:3:22: error: 'async' of design 'x' must be a list, not a single value; write the "
        "topics to pin as a list, e.g. 'async: [user.created]'");
  CHECK(error_of(top("designs: {x: {asinc: [user.created]}}")) ==
        "s.yaml:3:15: error: unknown key 'asinc' in design 'x'; did you mean 'async'?");
  CHECK(error_of(top("designs: {}")) ==
        "s.yaml:3:10: error: 'designs' is empty; declare at least one, e.g. 'events-for-email: "
        "{mode: sync, async: [user.created]}', or remove it");
}

TEST_CASE("partitions and keys: read, and refused where they mean nothing") {
  const std::string keyed = "          - notify: user.created\n            key: uniform(1000)";
  const auto s =
      load_ok(replaced(with("          - notify: user.created", keyed), "duration: 10s\n",
                       "duration: 10s\ntopics: {user.created: {partitions: 8}}\n"));
  REQUIRE(s.topics.size() == 1);
  CHECK(s.topics[0].partitions == 8);
  const auto& st = s.services[0].endpoints[0].steps.back();
  CHECK(st.key.k == message_key::kind::uniform);
  CHECK(st.key.values == 1000);
  CHECK(error_of(with("          - notify: user.created", keyed)) ==
        "s.yaml:12:18: error: a key picks a partition, but topic 'user.created' has none; give "
        "it partitions, e.g. 'topics: {user.created: {partitions: 8}}', or remove the key");
  CHECK(error_of(replaced(with("          - notify: user.created",
                               "          - notify: user.created\n            key: customer"),
                          "duration: 10s\n",
                          "duration: 10s\ntopics: {user.created: {partitions: 8}}\n")) ==
        "s.yaml:13:18: error: 'key' must be uniform(N) or request, not 'customer'; write e.g. "
        "'key: uniform(1000)' (a key drawn from 1000), or 'key: request' (one key per request)");
  CHECK(error_of(top("topics: {user.created: {partitions: 100000}}")) ==
        "s.yaml:3:37: error: 'partitions' must be a whole number from 1 to 10000, not '100000'; "
        "write e.g. 'partitions: 8'");
  CHECK(error_of(with("          - call: billing.open",
                      "          - call: billing.open\n            key: request")) ==
        "s.yaml:11:13: error: 'key' applies only to publish and notify steps; remove it from "
        "this call step");
}
