// Hybrid designs (docs/scenario-format.md, "Hybrid designs"): a notify step takes the mode its
// design, its own `mode` or its topic's gives it, decided in compile() alone. A design that pins
// every topic to one mode is that mode; one that pins some lies between.
#include <algorithm>
#include <catch2/catch.hpp>
#include <filesystem>
#include <regex>
#include <string>
#include <vector>

#include "actors/simulate.hpp"
#include "engine/coupling.hpp"
#include "engine/plan.hpp"
#include "report/json_report.hpp"
#include "report_diff.hpp"
#include "scenarios/load/designs.hpp"
#include "scenarios/load/loader.hpp"
#include "support.hpp"

using namespace svcsim;
using svcsim::testing::for_each_shipped_scenario;

namespace {

// The JSON report of one run of design d, without what measures the simulation (`events`,
// `wall_time_s`) and without what names the design (`mode`, `design`).
std::string report_of(const scenario& s, const design& d) {
  report r;
  r.scenario = s.name;
  r.runs.push_back(simulate(s, d));
  return std::regex_replace(
      to_json(r), std::regex(R"re(\n *"(events|wall_time_s|mode|design)": [^\n]*)re"), "");
}

// Run mode `run`, with every topic pinned to `pinned`.
design pinning_all(const scenario& s, mode run, mode pinned) {
  design d = design_of(run);
  for (std::size_t t = 0; t < s.topics.size(); ++t)
    d.pins.emplace_back(static_cast<int>(t), pinned);
  return d;
}

scenario loaded(const std::string& yaml) {
  const auto r = parse_scenario(yaml, "s.yaml");
  INFO(r.error);
  REQUIRE(r.value);
  return *r.value;
}

design parsed(const scenario& s, const std::string& text) {
  std::string error;
  const auto d = parse_design(s, text, &error);
  INFO(error);
  REQUIRE(d);
  return *d;
}

double mean_latency(const run_result& r) { return r.workloads.front().latency_ms.mean; }

// users.create calls billing.open and notifies user.created (email) and user.logged
// (analytics): three ways to reach three services.
const std::string two_topics = R"(name: two-topics
seed: 7
duration: 20s
warmup: 2s
network: {latency: 500us}
broker: {latency: 1ms}
services:
  users:
    workers: 8
    endpoints:
      create:
        work: exp(2ms)
        steps:
          - call: billing.open
          - notify: user.created
          - notify: user.logged
  billing:
    workers: 4
    endpoints:
      open: {work: exp(2ms)}
  email:
    workers: 4
    subscribes:
      user.created: {work: exp(8ms)}
  analytics:
    workers: 2
    subscribes:
      user.logged: {work: exp(1ms)}
workloads:
  - name: signup
    target: users.create
    arrivals: poisson(200/s)
)";

}  // namespace

TEST_CASE("designs: pinning every topic to a mode gives that mode's whole report", "[repeats]") {
  for_each_shipped_scenario([](const scenario& s) {
    CHECK(report_of(s, pinning_all(s, mode::sync, mode::async)) ==
          report_of(s, design_of(mode::async)));
    CHECK(report_of(s, pinning_all(s, mode::async, mode::sync)) ==
          report_of(s, design_of(mode::sync)));
  });
}

TEST_CASE("designs: a topic's mode, a step's mode and a design's pins, in that order") {
  const scenario file = loaded(two_topics);
  const auto knows = [](const scenario& s, const design& d) {
    return coupling_of(compile(s, d)).front().knows;  // users'
  };
  using names = std::vector<std::string>;
  CHECK(knows(file, design_of(mode::sync)) == names{"analytics", "billing", "email"});
  CHECK(knows(file, design_of(mode::async)) == names{"billing", "broker"});
  // async:user.created: the broker, and only the services called in sync.
  CHECK(knows(file, parsed(file, "async:user.created")) == names{"analytics", "billing", "broker"});
  CHECK(knows(file, parsed(file, "sync:user.created")) == names{"billing", "broker", "email"});
  CHECK(knows(file, parsed(file, "async:user.created,user.logged")) ==
        knows(file, design_of(mode::async)));
  // The file's topics: pin over the run's mode; a step's mode over its topic's.
  const scenario pinned = loaded(two_topics + "topics: {user.created: {mode: async}}\n");
  CHECK(knows(pinned, design_of(mode::sync)) == names{"analytics", "billing", "broker"});
  CHECK(knows(pinned, design_of(mode::async)) == names{"billing", "broker"});
  const std::string step = "          - notify: user.created\n";
  std::string yaml = two_topics + "topics: {user.created: {mode: async}}\n";
  yaml.replace(yaml.find(step), step.size(), "          - {notify: user.created, mode: sync}\n");
  const scenario stepped = loaded(yaml);
  CHECK(knows(stepped, design_of(mode::async)) == names{"billing", "broker", "email"});
  // A design's pin wins over both.
  CHECK(knows(stepped, parsed(stepped, "async:user.created")) ==
        names{"analytics", "billing", "broker"});
}

TEST_CASE("designs: async:user.created lies between sync and async") {
  const scenario s = loaded(two_topics);
  const double sync = mean_latency(simulate(s, design_of(mode::sync)));
  const double async = mean_latency(simulate(s, design_of(mode::async)));
  const double hybrid = mean_latency(simulate(s, parsed(s, "async:user.created")));
  CHECK(async < hybrid);
  CHECK(hybrid < sync);
  // user-signup has one topic: pinning it async is all of async, at async's latency.
  const auto l = load_scenario(SVCSIM_SOURCE_DIR "/scenarios/user-signup.yaml");
  REQUIRE(l.value);
  const auto signup = parsed(*l.value, "async:user.created");
  CHECK(coupling_of(compile(*l.value, signup)).front().knows == std::vector<std::string>{"broker"});
  const double signup_sync = mean_latency(simulate(*l.value, design_of(mode::sync)));
  const double signup_async = mean_latency(simulate(*l.value, design_of(mode::async)));
  const double signup_hybrid = mean_latency(simulate(*l.value, signup));
  CHECK(signup_hybrid >= signup_async);
  CHECK(signup_hybrid <= signup_sync);
}

TEST_CASE("designs: the file's designs and --design's errors") {
  const scenario s = loaded(two_topics +
                            "designs:\n"
                            "  events-for-email: {mode: sync, async: [user.created]}\n"
                            "  all-events: {mode: async}\n");
  REQUIRE(s.designs.size() == 2);
  CHECK(s.designs[0].name == "events-for-email");
  CHECK(s.designs[0].mode == mode::sync);
  CHECK(s.designs[0].pins ==
        std::vector<std::pair<int, mode>>{{s.find_topic("user.created"), mode::async}});
  CHECK(parsed(s, "all-events").mode == mode::async);
  CHECK(parsed(s, "async:user.created,user.logged").name == "async:user.created,user.logged");
  const auto error_of = [&](const std::string& text) {
    std::string error;
    CHECK_FALSE(parse_design(s, text, &error));
    return error;
  };
  CHECK(error_of("asyn:user.created") ==
        "--design 'asyn:user.created': 'asyn' is not a mode; did you mean 'async'?");
  CHECK(error_of("async:user.create") ==
        "--design 'async:user.create': no topic 'user.create'; did you mean 'user.created'?");
  CHECK(error_of("async:orders") ==
        "--design 'async:orders': no topic 'orders'; the topics are 'user.created' and "
        "'user.logged'");
  CHECK(error_of("async:user.created,") ==
        "--design 'async:user.created,': a topic name is missing after 'async:user.created,'; "
        "name each topic to pin, e.g. 'async:user.created'");
  CHECK(error_of("events-for-emal") ==
        "--design 'events-for-emal': no design 'events-for-emal'; did you mean "
        "'events-for-email'?");
  CHECK(error_of("hybrid") ==
        "--design 'hybrid': no design 'hybrid'; write sync, async, MODE:TOPIC,... (e.g. "
        "'async:user.created') or a design of the file: 'events-for-email' or 'all-events'");
}
