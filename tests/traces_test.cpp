// The spans of one request, as tracing systems show it (engine/spans.hpp): in async mode a
// sign-up is the client's request, the user service's SERVER span under it, its PRODUCER span,
// the broker's stay per subscription and a CONSUMER span per subscriber, linked to the publish.
#include <algorithm>
#include <catch2/catch.hpp>
#include <map>
#include <set>
#include <string>

#include "actors/simulate.hpp"
#include "scenarios/load/loader.hpp"

using namespace svcsim;

TEST_CASE(
    "traces: an async sign-up is a request, its server span, a publish and three deliveries") {
  const auto l = load_scenario(SVCSIM_SOURCE_DIR "/scenarios/user-signup.yaml");
  REQUIRE(l.value);
  const scenario& s = *l.value;
  std::map<std::uint64_t, std::vector<span>> by_request;
  simulate_options o;
  o.trace.every = 100;
  o.spans = [&](const std::vector<span>& batch) {
    for (const auto& sp : batch) by_request[sp.request].push_back(sp);
  };
  simulate(s, mode::async, o);
  REQUIRE(by_request.size() > 50);  // 1 in 100 of about 10,000 measured requests
  int complete = 0;
  for (const auto& [request, spans] : by_request) {
    CAPTURE(request);
    REQUIRE(spans.size() >= 2);
    const span& root = spans[0];
    CHECK(root.kind == span_kind::client);
    CHECK(root.parent == 0);
    const span& server = spans[1];
    CHECK(server.kind == span_kind::server);
    CHECK(server.parent == root.id);
    CHECK(s.services[static_cast<std::size_t>(server.party)].name == "users");
    // The request reaches users one hop after it is sent, and its reply one hop after it ends.
    CHECK(server.start == root.start + s.network_latency);
    CHECK(root.end == server.end + s.network_latency);
    CHECK(server.queued >= 0);
    CHECK(server.queued <= server.end - server.start);
    // One publish, instant, from within the user service's job.
    std::vector<const span*> producers, stays, consumers;
    for (const auto& sp : spans) {
      if (sp.kind == span_kind::producer) producers.push_back(&sp);
      if (sp.kind == span_kind::internal) stays.push_back(&sp);
      if (sp.kind == span_kind::consumer) consumers.push_back(&sp);
    }
    REQUIRE(producers.size() == 1);
    const span& producer = *producers[0];
    CHECK(producer.parent == server.id);
    CHECK(producer.party == server.party);
    CHECK(producer.start == producer.end);
    CHECK(producer.start >= server.start + server.queued);
    CHECK(producer.start <= server.end);
    // The broker holds it for each subscription from its arrival, one hop after the publish,
    // until the delivery goes out; the delivery arrives the broker's latency and a hop later.
    REQUIRE(stays.size() == 3);
    std::map<std::uint64_t, const span*> stay_by_id;
    for (const span* st : stays) {
      stay_by_id[st->id] = st;
      CHECK(st->parent == producer.id);
      CHECK(st->link == producer.id);
      CHECK(st->start == producer.start + s.network_latency);
      CHECK(st->end >= st->start);
      CHECK(st->status == span_status::ok);
    }
    REQUIRE(consumers.size() == 3);
    std::set<int> members;
    for (const span* c : consumers) {
      CHECK(c->status == span_status::ok);
      CHECK(c->link == producer.id);
      REQUIRE(stay_by_id.count(c->parent) == 1);
      const span& st = *stay_by_id[c->parent];
      members.insert(st.member);
      CHECK(c->start == st.end + s.broker_latency + s.network_latency);
    }
    CHECK(members.size() == 3);  // one delivery per subscription
    complete += 1;
  }
  CHECK(complete == static_cast<int>(by_request.size()));
}

namespace {

// Each request's spans, as comparable text without their ids (a parent is named by its kind
// and party), sorted.
std::map<std::uint64_t, std::vector<std::string>> spans_of(const scenario& s, mode m,
                                                           bool event_driven) {
  std::vector<span> all;
  simulate_options o;
  o.trace.every = 10;
  o.force_event_driven = event_driven;
  o.spans = [&](const std::vector<span>& batch) {
    all.insert(all.end(), batch.begin(), batch.end());
  };
  simulate(s, m, o);
  std::map<std::uint64_t, const span*> by_id;
  for (const auto& sp : all) by_id[sp.id] = &sp;
  std::map<std::uint64_t, std::vector<std::string>> out;
  for (const auto& sp : all) {
    std::string parent = "-";
    if (sp.parent)
      parent = std::to_string(static_cast<int>(by_id.at(sp.parent)->kind)) + "@" +
               std::to_string(by_id.at(sp.parent)->party);
    out[sp.request].push_back(std::to_string(static_cast<int>(sp.kind)) + "@" +
                              std::to_string(sp.party) + " h" + std::to_string(sp.handler) + " " +
                              std::to_string(sp.start) + ".." + std::to_string(sp.end) + " q" +
                              std::to_string(sp.queued) + " s" +
                              std::to_string(static_cast<int>(sp.status)) + " under " + parent +
                              " link " + std::to_string(sp.link != 0) + " t" +
                              std::to_string(sp.topic) + " m" + std::to_string(sp.member));
  }
  for (auto& [r, v] : out) std::sort(v.begin(), v.end());
  return out;
}

}  // namespace

TEST_CASE("traces: both kinds of station record the same spans") {
  for (const char* f :
       {"user-signup", "user-signup-outage", "broker-outage", "order-checkout", "retry-storm"}) {
    const auto l = load_scenario(std::string(SVCSIM_SOURCE_DIR "/scenarios/") + f + ".yaml");
    REQUIRE(l.value);
    for (mode m : {mode::sync, mode::async}) {
      CAPTURE(f, m == mode::sync ? "sync" : "async");
      const auto a = spans_of(*l.value, m, false);
      CHECK(a.size() > 10);
      CHECK(a == spans_of(*l.value, m, true));
    }
  }
}

TEST_CASE("traces: a sync sign-up is one tree: each call's client span over its callee's job") {
  const auto l = load_scenario(SVCSIM_SOURCE_DIR "/scenarios/user-signup.yaml");
  REQUIRE(l.value);
  const scenario& s = *l.value;
  std::vector<span> all;
  simulate_options o;
  o.trace.every = 100;
  o.spans = [&](const std::vector<span>& batch) {
    all.insert(all.end(), batch.begin(), batch.end());
  };
  simulate(s, mode::sync, o);
  std::map<std::uint64_t, const span*> by_id;
  for (const auto& sp : all) by_id[sp.id] = &sp;
  int calls = 0;
  for (const auto& sp : all) {
    if (sp.kind != span_kind::server ||
        s.services[static_cast<std::size_t>(sp.party)].name == "users")
      continue;
    // email, billing, analytics: under the users' CLIENT span of that call, one hop later
    const span& call = *by_id.at(sp.parent);
    CHECK(call.kind == span_kind::client);
    CHECK(call.callee_party == sp.party);
    CHECK(sp.start == call.start + s.network_latency);
    if (call.status == span_status::ok) CHECK(call.end == sp.end + s.network_latency);
    const span& job = *by_id.at(call.parent);
    CHECK(job.kind == span_kind::server);
    CHECK(s.services[static_cast<std::size_t>(job.party)].name == "users");
    ++calls;
  }
  CHECK(calls > 100);
}

TEST_CASE("traces: spans of every measured request agree with the report") {
  // The report's latency is send to reply of the ok requests, its completion send until the
  // last piece is handled: the root span's length, and the request's last span's end.
  for (const char* file : {"/scenarios/user-signup.yaml", "/scenarios/order-checkout.yaml"}) {
    const auto l = load_scenario(std::string(SVCSIM_SOURCE_DIR) + file);
    REQUIRE(l.value);
    for (mode m : {mode::sync, mode::async}) {
      CAPTURE(file, m == mode::sync ? "sync" : "async");
      double latency = 0, completion = 0;
      std::int64_t roots = 0, ok = 0;
      simulate_options o;
      o.trace.every = 1;
      o.spans = [&](const std::vector<span>& batch) {
        const span& root = batch[0];
        ++roots;
        if (root.status != span_status::ok) return;
        ++ok;
        nanos last = root.end;
        for (const auto& sp : batch) last = std::max(last, sp.end);
        latency += static_cast<double>(root.end - root.start) / 1e6;
        completion += static_cast<double>(last - root.start) / 1e6;
      };
      const auto r = simulate(*l.value, m, o);
      std::int64_t requests = 0, replied = 0;
      double mean_latency = 0, mean_completion = 0;
      for (const auto& w : r.workloads) {
        requests += w.requests;
        replied += w.ok;
        mean_latency += w.latency_ms.mean * static_cast<double>(w.latency_ms.count);
        mean_completion += w.completion_ms.mean * static_cast<double>(w.completion_ms.count);
      }
      CHECK(roots == requests);
      CHECK(ok == replied);
      CHECK(latency / static_cast<double>(ok) ==
            Approx(mean_latency / static_cast<double>(replied)).epsilon(1e-9));
      CHECK(completion / static_cast<double>(ok) ==
            Approx(mean_completion / static_cast<double>(replied)).epsilon(1e-9));
    }
  }
}
