// svcsim infer: the readers on public fixtures (tests/data/traces, counts checked by hand with
// jq), inference on a synthetic trace set of known works, calls, topic and rate, the problems
// report on crafted bad input, and the command end to end (infer, validate, run).
#include "infer/infer.hpp"

#include <algorithm>
#include <catch2/catch.hpp>
#include <cmath>
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <nlohmann/json.hpp>
#include <random>
#include <sstream>

#include "infer/fit.hpp"
#include "infer/json_fields.hpp"
#include "infer/read_traces.hpp"
#include "infer/scenario_writer.hpp"
#include "run_cli.hpp"
#include "scenarios/load/loader.hpp"

using namespace svcsim::infer;

namespace {

const std::string data_dir = SVCSIM_SOURCE_DIR "/tests/data/traces/";

observed read_one(const std::string& path, diagnostics& d) {
  auto r = read_traces({path}, d);
  REQUIRE(r.error.empty());
  return std::move(r.data);
}

int count_kind(const observed& o, span_kind k) {
  int n = 0;
  for (const auto& t : o.traces)
    for (const auto& s : t.spans) n += s.kind == k;
  return n;
}

const observed_span* span_of(const observed& o, const std::string& id) {
  for (const auto& t : o.traces)
    for (const auto& s : t.spans)
      if (s.span_id == id) return &s;
  return nullptr;
}

int handler_of(const inferred& in, const std::string& service, const std::string& name,
               bool subscription) {
  for (std::size_t h = 0; h < in.handlers.size(); ++h)
    if (in.handlers[h].service == service && in.handlers[h].name == name &&
        in.handlers[h].subscription == subscription)
      return static_cast<int>(h);
  return -1;
}

double mean(const std::vector<double>& v) {
  double s = 0;
  for (double x : v) s += x;
  return s / static_cast<double>(v.size());
}

}  // namespace

TEST_CASE("the Jaeger reader on jaeger-ui's TraceGraph test trace", "[infer]") {
  diagnostics d;
  const auto o = read_one(data_dir + "jaeger/jaeger-ui_TraceGraph_testTrace.json", d);
  REQUIRE(o.traces.size() == 1);
  CHECK(o.traces[0].trace_id == "trace-123");
  CHECK(o.traces[0].spans.size() == 11);
  // jq '[.spans[].tags[] | select(.key=="span.kind") | .value]': 2 server, 3 client, 1 each.
  CHECK(count_kind(o, span_kind::server) == 2);
  CHECK(count_kind(o, span_kind::client) == 3);
  CHECK(count_kind(o, span_kind::producer) == 1);
  CHECK(count_kind(o, span_kind::consumer) == 1);
  CHECK(count_kind(o, span_kind::unspecified) == 4);
  const auto* s4 = span_of(o, "span-4");
  REQUIRE(s4);
  CHECK(s4->parent_id == "span-3");
  CHECK(s4->service == "service2");
  CHECK(s4->instance == "foobar.org");  // process tag hostname
  CHECK(s4->start_ns == 1542666453179000LL * 1000);
  CHECK(s4->duration_ns == 20000LL * 1000);
  const auto* s7 = span_of(o, "span-7");
  REQUIRE(s7);
  CHECK(s7->parent_id == "span-6");  // its only reference, FOLLOWS_FROM
  CHECK(s7->follows_from);
  CHECK(span_of(o, "span-2")->error);  // tag error = "true"
  CHECK(d.problems().empty());
}

TEST_CASE("inference on the TraceGraph trace: a call, a topic, the network gap", "[infer]") {
  diagnostics d;
  auto o = read_one(data_dir + "jaeger/jaeger-ui_TraceGraph_testTrace.json", d);
  const auto in = infer_scenario(o, {}, d);
  const int op1 = handler_of(in, "service1", "op1", false);
  const int callee = handler_of(in, "service2", "op1", false);
  const int sub = handler_of(in, "service2", "op4", true);  // the producer's name as topic
  REQUIRE(op1 >= 0);
  REQUIRE(callee >= 0);
  REQUIRE(sub >= 0);
  CHECK(in.handlers.size() == 3);
  const auto& steps = in.handlers[op1].steps;
  REQUIRE(steps.size() == 2);
  CHECK(steps[0].k == inferred_step::kind::call);  // span-3 at +180 ms, span-6 later
  CHECK(steps[0].target == callee);
  CHECK(steps[0].mean == 1);
  CHECK(steps[1].k == inferred_step::kind::publish);
  CHECK(steps[1].topic == "op4");
  // span-3 (client) 66 ms, span-4 (server) 20 ms: (66 - 20) / 2.
  CHECK(in.network_pairs == 1);
  CHECK(in.network_one_way_ns == Approx(23e6));
  // op1 390 ms less span-3's 66 ms and span-2's 33 ms (tag error, no server: a failed call, a
  // wait); span-2_1 (37 ms, no server, no error) stays the caller's work.
  REQUIRE(in.handlers[op1].self_ns.size() == 1);
  CHECK(in.handlers[op1].self_ns[0] == Approx(291e6));
  CHECK(d.count("failed-call") == 1);
  CHECK(d.count("client-without-server") == 1);
  REQUIRE(in.workloads.size() == 1);
  CHECK(in.workloads[0].target == op1);
  CHECK(in.workloads[0].rate_per_s == 0);  // one request: no rate
}

TEST_CASE("the OTLP reader: hex ids lowercased, kinds, a missing parent, a duplicate id",
          "[infer]") {
  diagnostics d;
  auto o = read_one(data_dir + "otlp/opentelemetry-proto_examples_trace.json", d);
  REQUIRE(o.traces.size() == 1);
  REQUIRE(o.traces[0].spans.size() == 1);
  const auto& s = o.traces[0].spans[0];
  CHECK(s.trace_id == "5b8efff798038103d269b633813fc60c");
  CHECK(s.span_id == "eee19b7ec3c1b174");
  CHECK(s.parent_id == "eee19b7ec3c1b173");
  CHECK(s.kind == span_kind::server);
  CHECK(s.service == "my.service");
  CHECK(s.duration_ns == 1000000000);  // 1544712660000000000 to 1544712661000000000

  // Three services; kinds 2, 3 and three unset (jq on resourceSpans[].scopeSpans[].spans[]).
  diagnostics d2;
  auto ex = read_one(data_dir + "otlp/jaeger_integration_example_trace.json", d2);
  REQUIRE(ex.traces.size() == 1);
  CHECK(ex.traces[0].spans.size() == 5);
  CHECK(count_kind(ex, span_kind::server) == 1);
  CHECK(count_kind(ex, span_kind::client) == 1);
  CHECK(count_kind(ex, span_kind::unspecified) == 3);

  // Two spans with one spanId, under a parent not in the file.
  diagnostics d3;
  auto dup = read_one(data_dir + "otlp/jaeger-ui_otlp2jaeger-in.json", d3);
  REQUIRE(dup.traces.size() == 1);
  CHECK(dup.traces[0].spans.size() == 2);
  const auto in = infer_scenario(dup, {}, d3);
  CHECK(d3.count("duplicate-id") == 1);
  CHECK(d3.count("orphan") == 2);
  REQUIRE(d3.problems().at("orphan").traces.size() == 1);
  CHECK(d3.problems().at("orphan").traces[0] == "83a9efd15c1c98a977e0711cc93ee28b");
  // Both orphans under one placeholder: one invocation, one workload.
  CHECK(handler_of(in, "telemetrygen", "missing-parent", false) >= 0);
  CHECK(in.workloads.size() == 1);
}

TEST_CASE("the Zipkin reader: kinds, local spans, a shared span, messaging", "[infer]") {
  diagnostics d;
  auto o = read_one(data_dir + "zipkin/zipkin-lens_messaging2.json", d);
  REQUIRE(o.traces.size() == 1);
  // jq '.[] | .kind': CLIENT 4, SERVER 2, PRODUCER 1, CONSUMER 1, none 3 (local spans).
  CHECK(o.traces[0].spans.size() == 11);
  CHECK(count_kind(o, span_kind::client) == 4);
  CHECK(count_kind(o, span_kind::server) == 2);
  CHECK(count_kind(o, span_kind::producer) == 1);
  CHECK(count_kind(o, span_kind::consumer) == 1);
  CHECK(count_kind(o, span_kind::internal) == 3);
  const auto* gw = span_of(o, "0d1a94ebc9256244");
  REQUIRE(gw);
  CHECK(gw->service == "mobile-gateway");
  CHECK(gw->instance == "172.17.0.12");
  CHECK(gw->parent_id.empty());

  // ascend.json: two SERVER spans share their CLIENT's id (shared: true); each becomes the
  // CLIENT's child under its own id ID~server.
  diagnostics d2;
  auto a = read_one(data_dir + "zipkin/zipkin-lens_ascend.json", d2);
  int unshared = 0;
  for (const auto& s : a.traces[0].spans)
    if (s.span_id.size() > 7 && s.span_id.substr(s.span_id.size() - 7) == "~server") {
      ++unshared;
      CHECK(s.parent_id + "~server" == s.span_id);
      CHECK(s.kind == span_kind::server);
    }
  CHECK(unshared == 2);
  const auto in = infer_scenario(a, {}, d2);
  CHECK(d2.count("duplicate-id") == 0);
  CHECK(in.network_pairs == 2);
}

TEST_CASE("a Kafka consumer's processing after its poll stretches the poll, counted", "[infer]") {
  diagnostics d;
  auto o = read_one(data_dir + "zipkin/zipkin-lens_messaging-kafka.json", d);
  CHECK(o.traces[0].spans.size() == 28);
  CHECK(count_kind(o, span_kind::producer) == 9);
  CHECK(count_kind(o, span_kind::consumer) == 7);
  const auto in = infer_scenario(o, {}, d);
  // Six CONSUMER spans under PRODUCER spans of topic 'messages' (kafka.topic): three in each
  // service; the seventh is the root poll, an endpoint.
  const int a = handler_of(in, "servicea", "messages", true);
  const int b = handler_of(in, "serviceb", "messages", true);
  REQUIRE(a >= 0);
  REQUIRE(b >= 0);
  CHECK(in.handlers[a].invocations == 3);
  CHECK(in.handlers[b].invocations == 3);
  CHECK(d.count("outside-parent") == 9);
  CHECK(d.count("orphan") == 0);
}

namespace {

// A synthetic Jaeger trace set: `requests` sign-ups arriving as Poisson at 50/s, traced with
// probability 0.5 (so 100/s offered). client -> frontend.order: work exp(2ms), a call to
// stock.reserve (exp(3ms)), on every other request a second one, a publish of order.placed,
// then work exp(1ms); billing consumes order.placed after a marked queue wait exp(1ms), works
// exp(5ms). Network 0.5 ms one way. Returns the text; `truth` gets the drawn means.
struct truth {
  std::vector<double> frontend, stock, billing;  // self times drawn, ns
  double first = 0, last = 0;                    // first and last arrival, s
};

std::string synthetic_jaeger(int requests, truth& t) {
  std::mt19937_64 rng(42);
  auto exp_us = [&](double mean_us) {
    std::exponential_distribution<double> e(1 / mean_us);
    return std::max<std::int64_t>(1, std::llround(e(rng)));  // no span of 0: a problem
  };
  const std::int64_t net = 500;
  std::int64_t now = 1700000000000000;
  nlohmann::json traces = nlohmann::json::array();
  std::int64_t ids = 0;
  auto tag = [](const std::string& k, const std::string& v) {
    return nlohmann::json{{"key", k}, {"type", "string"}, {"value", v}};
  };
  for (int r = 0; r < requests; ++r) {
    now += std::max<std::int64_t>(1, exp_us(20000));  // 50/s
    if (r == 0) t.first = static_cast<double>(now) / 1e6;
    t.last = static_cast<double>(now) / 1e6;
    const std::string trace = "t" + std::to_string(r);
    nlohmann::json spans = nlohmann::json::array();
    auto span = [&](const std::string& pid, const std::string& op, const std::string& kind,
                    std::int64_t start, std::int64_t dur, const std::string& parent,
                    const char* ref, nlohmann::json tags) {
      const std::string id = "s" + std::to_string(++ids);
      if (!kind.empty()) tags.push_back(tag("span.kind", kind));
      nlohmann::json refs = nlohmann::json::array();
      if (!parent.empty())
        refs.push_back({{"refType", ref}, {"traceID", trace}, {"spanID", parent}});
      spans.push_back({{"traceID", trace},
                       {"spanID", id},
                       {"operationName", op},
                       {"references", refs},
                       {"startTime", start},
                       {"duration", dur},
                       {"tags", tags},
                       {"processID", pid}});
      return id;
    };
    // Front end: work, call(s), publish, work.
    const std::int64_t w1 = exp_us(2000), w3 = exp_us(1000);
    const int calls = r % 2 ? 2 : 1;
    std::vector<std::int64_t> w2;
    for (int c = 0; c < calls; ++c) w2.push_back(exp_us(3000));
    std::int64_t front_dur = w1 + w3;
    for (auto w : w2) front_dur += w + 2 * net;
    const std::int64_t front_start = now + net;
    const std::string root = span("client", "signup", "client", now, front_dur + 2 * net, "", "",
                                  {tag("sampler.type", "probabilistic"),
                                   tag("sampler.param", "0.5"), tag("svcsim.workload", "signup")});
    const std::string front =
        span("frontend", "order", "server", front_start, front_dur, root, "CHILD_OF", {});
    std::int64_t at = front_start + w1;
    for (auto w : w2) {
      const std::string call =
          span("frontend", "reserve", "client", at, w + 2 * net, front, "CHILD_OF", {});
      span("stock", "reserve", "server", at + net, w, call, "CHILD_OF", {});
      t.stock.push_back(static_cast<double>(w) * 1000);
      at += w + 2 * net;
    }
    const std::string producer =
        span("frontend", "send order.placed", "producer", at, 0, front, "CHILD_OF",
             {tag("messaging.destination.name", "order.placed")});
    t.frontend.push_back(static_cast<double>(w1 + w3) * 1000);
    const std::int64_t q = exp_us(1000), w4 = exp_us(5000);
    const std::string consumer =
        span("billing", "process order.placed", "consumer", at + 2 * net, q + w4, producer,
             "FOLLOWS_FROM", {tag("messaging.destination.name", "order.placed")});
    span("billing", "queue", "", at + 2 * net, q, consumer, "CHILD_OF",
         {tag("svcsim.wait", "queue")});
    t.billing.push_back(static_cast<double>(w4) * 1000);
    traces.push_back({{"traceID", trace},
                      {"spans", spans},
                      {"processes",
                       {{"client", {{"serviceName", "client"}}},
                        {"frontend", {{"serviceName", "frontend"}}},
                        {"stock", {{"serviceName", "stock"}}},
                        {"billing", {{"serviceName", "billing"}}}}}});
  }
  return nlohmann::json{{"data", traces}}.dump();
}

}  // namespace

TEST_CASE("inference on synthetic traces of known works, calls, topic and rate", "[infer]") {
  truth t;
  const std::string text = synthetic_jaeger(2000, t);
  diagnostics d;
  observed o;
  REQUIRE(read_trace_text(text, "synthetic.json", o, d).empty());
  REQUIRE(o.traces.size() == 2000);
  const auto in = infer_scenario(o, {}, d);
  INFO(d.text());
  CHECK(d.problems().empty());
  const int front = handler_of(in, "frontend", "order", false);
  const int stock = handler_of(in, "stock", "reserve", false);
  const int billing = handler_of(in, "billing", "order.placed", true);
  REQUIRE(front >= 0);
  REQUIRE(stock >= 0);
  REQUIRE(billing >= 0);
  CHECK(in.handlers.size() == 3);  // the client is no service
  CHECK(in.services.size() == 3);
  // Edges: 1.5 calls per order (every other request two), one publish of order.placed.
  const auto& steps = in.handlers[front].steps;
  REQUIRE(steps.size() == 2);
  CHECK(steps[0].k == inferred_step::kind::call);
  CHECK(steps[0].target == stock);
  CHECK(steps[0].mean == 1.5);
  CHECK(steps[1].k == inferred_step::kind::publish);
  CHECK(steps[1].topic == "order.placed");
  CHECK(steps[1].mean == 1);
  // Mean self time within 2% of the works drawn (the queue wait excluded at billing).
  CHECK(mean(in.handlers[front].self_ns) == Approx(mean(t.frontend)).epsilon(0.02));
  CHECK(mean(in.handlers[stock].self_ns) == Approx(mean(t.stock)).epsilon(0.02));
  CHECK(mean(in.handlers[billing].self_ns) == Approx(mean(t.billing)).epsilon(0.02));
  CHECK(in.waits_marked);
  // And within 5% of the distributions' means.
  CHECK(mean(in.handlers[stock].self_ns) == Approx(3e6).epsilon(0.05));
  CHECK(mean(in.handlers[billing].self_ns) == Approx(5e6).epsilon(0.05));
  // Network: every pair gaps 2 x 0.5 ms.
  CHECK(in.network_pairs == 3000 + 2000);  // 3000 calls, 2000 client -> frontend
  CHECK(in.network_one_way_ns == Approx(0.5e6).epsilon(0.001));
  // The workload: signup -> frontend.order, 1999 gaps over the window, / 0.5 sampled.
  REQUIRE(in.workloads.size() == 1);
  const auto& w = in.workloads[0];
  CHECK(w.name == "signup");
  CHECK(w.target == front);
  CHECK(w.sampling == 0.5);
  CHECK(w.rate_per_s == Approx(1999 / (t.last - t.first) / 0.5).epsilon(1e-6));
  CHECK(w.rate_per_s == Approx(100).epsilon(0.05));
  CHECK_FALSE(w.constant);  // exponential gaps: CV near 1
  CHECK(w.cv == Approx(1).epsilon(0.1));
  // --sampling overrides the tags.
  diagnostics d2;
  observed o2;
  REQUIRE(read_trace_text(text, "synthetic.json", o2, d2).empty());
  infer_options half;
  half.sampling = 1;
  CHECK(infer_scenario(o2, half, d2).workloads[0].rate_per_s == Approx(w.rate_per_s / 2));
  // Exponential works are fitted as exp by the lowest AIC.
  CHECK(fit_work(in.handlers[stock].self_ns).text.rfind("exp(", 0) == 0);
  // The scenario written is one the loader accepts.
  writer_options wo;
  wo.name = "synthetic";
  const auto written = write_scenario(in, wo);
  const auto loaded = svcsim::parse_scenario(written.yaml, "synthetic.yaml");
  INFO(written.yaml);
  REQUIRE(loaded.error == "");
  CHECK(written.yaml.find("          - call: stock.reserve  # 1.5 per invocation") !=
        std::string::npos);
  CHECK(written.yaml.find("    arrivals: poisson(") != std::string::npos);
}

TEST_CASE("fit_work: a constant, and the lowest AIC among the format's distributions", "[infer]") {
  CHECK(fit_work({2e6, 2e6, 2e6}).text == "2ms");
  CHECK(fit_work({2e6, 2e6, 2e6}).candidates.empty());
  std::mt19937_64 rng(7);
  std::gamma_distribution<double> g(20, 0.25e6);  // erlang(20, 5ms)
  std::vector<double> v;
  for (int i = 0; i < 3000; ++i) v.push_back(g(rng));
  const auto f = fit_work(v);
  CHECK(f.candidates.size() == 4);
  // Narrow and nearly symmetric: erlang, lognormal or normal, never exp.
  CHECK(f.text.rfind("exp(", 0) != 0);
  CHECK(f.mean_ns == Approx(5e6).epsilon(0.02));
  CHECK(duration_text(1234567) == "1.23457ms");
  CHECK(duration_text(0) == "0ms");
}

TEST_CASE("the problems report: missing parents, clock skew, unknown formats, bad JSON",
          "[infer]") {
  SECTION("spans whose parent is missing are grouped under one placeholder, counted") {
    const std::string text = R"([
      {"traceId":"aa","id":"1","parentId":"gone","name":"a","timestamp":1000,"duration":10,
       "localEndpoint":{"serviceName":"x"}},
      {"traceId":"aa","id":"2","parentId":"gone","name":"b","timestamp":1020,"duration":10,
       "localEndpoint":{"serviceName":"x"}},
      {"traceId":"aa","id":"3","parentId":"2","name":"c","timestamp":1022,"duration":5,
       "localEndpoint":{"serviceName":"x"}}])";
    diagnostics d;
    observed o;
    REQUIRE(read_trace_text(text, "orphans.json", o, d).empty());
    const auto in = infer_scenario(o, {}, d);
    CHECK(d.count("orphan") == 2);
    CHECK(d.problems().at("orphan").traces == std::vector<std::string>{"aa"});
    CHECK(d.text().find("2 spans name a parent missing from their trace") != std::string::npos);
    CHECK(d.json().find("\"orphan\"") != std::string::npos);
    REQUIRE(in.workloads.size() == 1);
    CHECK(in.handlers[in.workloads[0].target].name == "missing-parent");
    // 1000 to 1030 us: the envelope of its two children.
    CHECK(o.traces[0].spans.back().duration_ns == 30000);
  }
  SECTION("a server span outside its client (another clock) is shifted into its middle") {
    const std::string text = R"([
      {"traceId":"bb","id":"1","kind":"SERVER","name":"in","timestamp":1000,"duration":100,
       "localEndpoint":{"serviceName":"front"}},
      {"traceId":"bb","id":"2","parentId":"1","kind":"CLIENT","name":"get","timestamp":1010,
       "duration":50,"localEndpoint":{"serviceName":"front"}},
      {"traceId":"bb","id":"3","parentId":"2","kind":"SERVER","name":"get","timestamp":900,
       "duration":30,"localEndpoint":{"serviceName":"back"}}])";
    diagnostics d;
    observed o;
    REQUIRE(read_trace_text(text, "skew.json", o, d).empty());
    const auto in = infer_scenario(o, {}, d);
    CHECK(d.count("clock-skew") == 1);
    CHECK(d.problems().at("clock-skew").traces == std::vector<std::string>{"bb"});
    CHECK(o.traces[0].spans[2].start_ns == (1010 + 10) * 1000);  // (50 - 30) / 2 after 1010
    CHECK(in.network_one_way_ns == Approx(10e3));
    const int front = handler_of(in, "front", "in", false);
    REQUIRE(front >= 0);
    CHECK(in.handlers[front].self_ns[0] == Approx(50e3));  // 100 - the 50 of the call
  }
  SECTION("unknown formats and bad JSON are errors naming the file") {
    diagnostics d;
    observed o;
    const auto unknown = read_trace_text(R"({"foo": 1})", "x.json", o, d);
    CHECK(unknown.rfind("x.json: error: unknown trace format", 0) == 0);
    CHECK(unknown.find("Zipkin v2 JSON") != std::string::npos);
    const auto bad = read_trace_text("[{\"traceId\":\n  1,]", "bad.json", o, d);
    CHECK(bad.rfind("bad.json:2:", 0) == 0);
    CHECK(read_trace_text("[]", "empty.json", o, d).find("an empty array") != std::string::npos);
    CHECK(o.traces.empty());
  }
  SECTION("unreadable spans, duplicate ids and negative durations are counted, not dropped") {
    const std::string text = R"({"resourceSpans":[{"resource":{"attributes":[
      {"key":"service.name","value":{"stringValue":"s"}}]},"scopeSpans":[{"spans":[
      {"traceId":"CC","spanId":"01","name":"a","kind":2,"startTimeUnixNano":"100",
       "endTimeUnixNano":"50"},
      {"traceId":"CC","spanId":"01","name":"b","kind":2,"startTimeUnixNano":"100",
       "endTimeUnixNano":"200"},
      {"traceId":"CC","name":"no id","startTimeUnixNano":"100","endTimeUnixNano":"200"}]}]}]})";
    diagnostics d;
    observed o;
    REQUIRE(read_trace_text(text, "dup.json", o, d).empty());
    CHECK(d.count("span-unreadable") == 1);
    REQUIRE(o.traces.size() == 1);
    CHECK(o.traces[0].spans.size() == 2);
    infer_scenario(o, {}, d);
    CHECK(d.count("duplicate-id") == 1);
    CHECK(d.count("negative-duration") == 1);
    CHECK(o.traces[0].spans[1].span_id == "01#2");
  }
  SECTION("OTLP JSON Lines") {
    const std::string line =
        R"({"resourceSpans":[{"resource":{"attributes":[{"key":"service.name","value":{"stringValue":"s"}}]},"scopeSpans":[{"spans":[{"traceId":"ID","spanId":"0N","name":"a","kind":"SPAN_KIND_SERVER","startTimeUnixNano":"1000","endTimeUnixNano":2000}]}]}]})";
    std::string text;
    for (int i = 0; i < 3; ++i) {
      std::string l = line;
      l.replace(l.find("\"ID\""), 4, "\"t" + std::to_string(i) + "\"");
      text += l + "\n";
    }
    diagnostics d;
    observed o;
    REQUIRE(read_trace_text(text, "lines.jsonl", o, d).empty());
    CHECK(o.traces.size() == 3);
    CHECK(count_kind(o, span_kind::server) == 3);
  }
}

using svcsim::testing::slurp;
using svcsim::testing::svcsim_cli;
using svcsim::testing::temp_dir;

TEST_CASE("svcsim infer on public fixtures writes scenarios that validate and run", "[infer]") {
  for (const std::string fixture :
       {"jaeger/jaeger-ui_TraceGraph_testTrace.json", "zipkin/zipkin-lens_messaging2.json",
        "otlp/jaeger_integration_example_trace.json",
        "zipkin/zipkin-lens_smartthings-oauth-authorization.json"}) {
    INFO(fixture);
    const std::string out = temp_dir() + "/inferred.yaml";
    const auto inferred = svcsim_cli("infer tests/data/traces/" + fixture + " -o " + out);
    INFO(inferred.err);
    REQUIRE(inferred.status == 0);
    CHECK(inferred.out.empty());
    CHECK(inferred.err.rfind("svcsim infer: read 1 file(s)", 0) == 0);
    const auto valid = svcsim_cli("validate " + out);
    INFO(valid.err);
    CHECK(valid.status == 0);
    const auto ran = svcsim_cli("run -q " + out + " --set duration=5s");
    INFO(ran.err);
    CHECK(ran.status == 0);
  }
  // Two files of two formats at once, empirical works, the report as JSON.
  const std::string out = temp_dir() + "/both.yaml";
  const auto both = svcsim_cli(
      "infer tests/data/traces/jaeger/jaeger-ui_TraceGraph_testTrace.json "
      "tests/data/traces/zipkin/zipkin-lens_skew.json --work empirical --name two -o " +
      out + " --report " + temp_dir() + "/report.json");
  INFO(both.err);
  REQUIRE(both.status == 0);
  CHECK(slurp(out).find("name: two\n") != std::string::npos);
  CHECK(slurp(out).find("work: empirical(both-work/service1.op1.txt)") != std::string::npos);
  CHECK(std::filesystem::exists(temp_dir() + "/both-work/service1.op1.txt"));
  const auto report = nlohmann::json::parse(slurp(temp_dir() + "/report.json"));
  CHECK(report["problems"]["clock-skew"]["count"] == 1);
  CHECK(report["problems"]["clock-skew"]["traces"][0] == "1e223ff1f80f1c69");
  CHECK(svcsim_cli("run -q " + out + " --set duration=5s").status == 0);
}

TEST_CASE("svcsim infer: bad input exits 2 with the file named, writing nothing", "[infer]") {
  const std::string bad = temp_dir() + "/chrome.json";
  std::filesystem::copy_file(SVCSIM_SOURCE_DIR
                             "/tests/data/traces/chrome/speedscope_multiprocess.json",
                             bad, std::filesystem::copy_options::overwrite_existing);
  const std::string out = temp_dir() + "/never.yaml";
  auto r = svcsim_cli("infer " + bad + " -o " + out);
  CHECK(r.status == 2);
  CHECK(r.err.rfind(bad + ": error: unknown trace format", 0) == 0);
  CHECK_FALSE(std::filesystem::exists(out));
  r = svcsim_cli("infer tests/data/traces -o " + out);
  CHECK(r.status == 2);
  CHECK(r.err == "tests/data/traces: error: a directory, not a trace file; name the files in it\n");
  r = svcsim_cli("infer " + temp_dir() + "/missing.json -o " + out);
  CHECK(r.status == 2);
  CHECK(r.err.find("missing.json: error: cannot read the trace file") != std::string::npos);
  r = svcsim_cli("infer tests/data/traces/zipkin/zipkin-lens_skew.json --sampling 0");
  CHECK(r.status == 2);
  CHECK(r.err.find("above 0 and at most 1") != std::string::npos);
  r = svcsim_cli("infer tests/data/traces/zipkin/zipkin-lens_skew.json --work empirical");
  CHECK(r.status == 2);
  CHECK(r.err.find("give -o FILE") != std::string::npos);
  r = svcsim_cli("infer tests/data/traces/zipkin/zipkin-lens_skew.json --work best");
  CHECK(r.status == 2);
  CHECK_FALSE(std::filesystem::exists(out));
  // To stdout without -o; --help names every option.
  r = svcsim_cli("infer tests/data/traces/zipkin/zipkin-lens_skew.json --sampling 0.01");
  CHECK(r.status == 0);
  CHECK(r.out.find("sampled with probability 0.01") == std::string::npos);  // one request
  CHECK(r.out.find("name: zipkin-lens_skew\n") != std::string::npos);
  r = svcsim_cli("help infer");
  CHECK(r.status == 0);
  for (const char* option : {"--work", "--sampling", "--name", "--report", "--output"})
    CHECK(r.out.find(option) != std::string::npos);
}

namespace {

// An OTLP resourceSpans entry of `service` with `spans` (JSON text of each).
std::string resource(const std::string& service, const std::vector<std::string>& spans) {
  std::string out = R"({"resource":{"attributes":[{"key":"service.name","value":{"stringValue":")" +
                    service + R"("}}]},"scopeSpans":[{"spans":[)";
  for (std::size_t i = 0; i < spans.size(); ++i) out += (i ? "," : "") + spans[i];
  return out + "]}]}";
}

std::string otlp_span(const std::string& id, const std::string& parent, int kind,
                      const std::string& name, int start_us, int end_us,
                      const std::string& extra = "") {
  return R"({"traceId":"0af7651916cd43dd8448eb211c80319c","spanId":")" + id +
         R"(","parentSpanId":")" + parent + R"(","name":")" + name + R"(","kind":)" +
         std::to_string(kind) + R"(,"startTimeUnixNano":")" + std::to_string(start_us) +
         R"(000","endTimeUnixNano":")" + std::to_string(end_us) + R"(000")" + extra + "}";
}

std::string attr(const std::string& k, const std::string& v) {
  return R"({"key":")" + k + R"(","value":{"stringValue":")" + v + R"("}})";
}

}  // namespace

TEST_CASE("svcsim's own export: the broker is walked through, one publish for two consumers",
          "[infer]") {
  const std::string topic = attr("messaging.destination.name", "user.created");
  const std::string link = R"(,"links":[{"traceId":"0af7651916cd43dd8448eb211c80319c",)"
                           R"("spanId":"00000000000000a3"}])";
  const std::string broker_attrs = R"(,"attributes":[)" + attr("messaging.system", "svcsim") + "," +
                                   topic + "," + attr("messaging.operation", "deliver") + "]" +
                                   link;
  const std::string text =
      R"({"resourceSpans":[)" +
      resource("client", {otlp_span("00000000000000a1", "", 3, "signup", 1000, 1010,
                                    R"(,"attributes":[)" + attr("svcsim.workload", "signup") + "," +
                                        attr("sampler.type", "probabilistic") + "," +
                                        attr("sampler.param", "0.1") + "]")}) +
      "," +
      resource("users",
               {otlp_span("00000000000000a2", "00000000000000a1", 2, "create", 1001, 1009),
                otlp_span("00000000000000a3", "00000000000000a2", 4, "publish user.created", 1005,
                          1005, R"(,"attributes":[)" + topic + "]")}) +
      "," +
      resource("broker",
               {otlp_span("00000000000000b1", "", 1, "user.created", 1006, 1008, broker_attrs),
                otlp_span("00000000000000b2", "", 1, "user.created", 1006, 1009, broker_attrs)}) +
      "," +
      resource("email", {otlp_span("00000000000000c1", "00000000000000b1", 5, "user.created", 1008,
                                   1020, R"(,"attributes":[)" + topic + "]" + link),
                         otlp_span("00000000000000c2", "00000000000000c1", 1, "queue", 1008, 1012,
                                   R"(,"attributes":[)" + attr("svcsim.wait", "queue") + "]")}) +
      "," +
      resource("billing", {otlp_span("00000000000000d1", "00000000000000b2", 5, "user.created",
                                     1009, 1014, R"(,"attributes":[)" + topic + "]" + link)}) +
      "]}";
  diagnostics d;
  observed o;
  REQUIRE(read_trace_text(text, "svcsim.json", o, d).empty());
  const auto in = infer_scenario(o, {}, d);
  INFO(d.text());
  CHECK(d.problems().empty());
  CHECK(in.brokers == std::vector<std::string>{"broker"});
  CHECK(in.services.size() == 3);  // users, email, billing: neither the client nor the broker
  const int create = handler_of(in, "users", "create", false);
  const int email = handler_of(in, "email", "user.created", true);
  const int billing = handler_of(in, "billing", "user.created", true);
  REQUIRE(create >= 0);
  REQUIRE(email >= 0);
  REQUIRE(billing >= 0);
  REQUIRE(in.handlers[create].steps.size() == 1);
  CHECK(in.handlers[create].steps[0].k == inferred_step::kind::publish);
  CHECK(in.handlers[create].steps[0].topic == "user.created");
  CHECK(in.handlers[create].steps[0].count == 1);  // one publish, though two consumers
  CHECK(in.handlers[email].self_ns == std::vector<double>{8000});  // 12 us less 4 us queued
  CHECK(in.handlers[billing].self_ns == std::vector<double>{5000});
  REQUIRE(in.workloads.size() == 1);
  CHECK(in.workloads[0].name == "signup");
  CHECK(in.workloads[0].target == create);
  CHECK(in.workloads[0].sampling == 0.1);
  CHECK(in.network_one_way_ns == Approx(1000));  // (10 - 8) / 2 us
  const auto written = write_scenario(in, {});
  INFO(written.yaml);
  CHECK(svcsim::parse_scenario(written.yaml, "svcsim.yaml").error == "");
}

TEST_CASE("a cycle of sync calls in the traces is broken, counted", "[infer]") {
  const std::string text = R"([
    {"traceId":"dd","id":"1","kind":"SERVER","name":"x","timestamp":100,"duration":100,
     "localEndpoint":{"serviceName":"a"}},
    {"traceId":"dd","id":"2","parentId":"1","kind":"CLIENT","name":"y","timestamp":110,
     "duration":80,"localEndpoint":{"serviceName":"a"}},
    {"traceId":"dd","id":"3","parentId":"2","kind":"SERVER","name":"y","timestamp":120,
     "duration":60,"localEndpoint":{"serviceName":"b"}},
    {"traceId":"dd","id":"4","parentId":"3","kind":"CLIENT","name":"x","timestamp":130,
     "duration":40,"localEndpoint":{"serviceName":"b"}},
    {"traceId":"dd","id":"5","parentId":"4","kind":"SERVER","name":"x","timestamp":140,
     "duration":20,"localEndpoint":{"serviceName":"a"}}])";
  diagnostics d;
  observed o;
  REQUIRE(read_trace_text(text, "cycle.json", o, d).empty());
  const auto in = infer_scenario(o, {}, d);
  CHECK(d.count("call-cycle") == 1);
  CHECK(in.handlers[handler_of(in, "a", "x", false)].invocations == 2);
  const auto written = write_scenario(in, {});
  INFO(written.yaml);
  CHECK(svcsim::parse_scenario(written.yaml, "cycle.yaml").error == "");
}

TEST_CASE("callees named only by their callers add handlers while a handler is read", "[infer]") {
  // One SERVER span over 64 CLIENT spans, each to a service that sent no span: 64 handlers
  // appear while the server's invocation is counted (a reference into them would dangle).
  std::string text = R"([{"traceId":"ee","id":"1","kind":"SERVER","name":"fan","timestamp":100,)"
                     R"("duration":1000,"localEndpoint":{"serviceName":"front"}})";
  for (int i = 0; i < 64; ++i)
    text += R"(,{"traceId":"ee","id":"c)" + std::to_string(i) +
            R"(","parentId":"1","kind":"CLIENT","name":"get","timestamp":)" +
            std::to_string(110 + 10 * i) +
            R"(,"duration":5,"localEndpoint":{"serviceName":"front"},)"
            R"("remoteEndpoint":{"serviceName":"back)" +
            std::to_string(i) + R"("}})";
  text += "]";
  diagnostics d;
  observed o;
  REQUIRE(read_trace_text(text, "fan.json", o, d).empty());
  const auto in = infer_scenario(o, {}, d);
  CHECK(d.count("untraced-callee") == 64);
  CHECK(in.handlers.size() == 65);
  const int fan = handler_of(in, "front", "fan", false);
  REQUIRE(fan >= 0);
  CHECK(in.handlers[fan].self_ns == std::vector<double>{(1000 - 64 * 5) * 1000.0});
  CHECK(in.handlers[fan].steps.size() == 64);
  CHECK(in.handlers[handler_of(in, "back7", "get", false)].self_ns == std::vector<double>{5000});
}

TEST_CASE("times that could overflow are unreadable spans, counted", "[infer]") {
  std::int64_t n = 0;
  CHECK(whole_of(nullptr, n) == false);
  const json big = "9999999999999999999", max = "9223372036854775807", neg = "-12";
  CHECK_FALSE(whole_of(&big, n));
  CHECK(whole_of(&max, n));
  CHECK(n == INT64_MAX);
  CHECK(whole_of(&neg, n));
  CHECK(n == -12);
  const std::string text = R"({"resourceSpans":[{"scopeSpans":[{"spans":[
    {"traceId":"ff","spanId":"01","startTimeUnixNano":"9223372036854775000",
     "endTimeUnixNano":"9223372036854775807"},
    {"traceId":"ff","spanId":"02","startTimeUnixNano":"100","endTimeUnixNano":"200"}]}]}]})";
  diagnostics d;
  observed o;
  REQUIRE(read_trace_text(text, "late.json", o, d).empty());
  CHECK(d.count("span-unreadable") == 1);
  REQUIRE(o.traces.size() == 1);
  CHECK(o.traces[0].spans.size() == 1);
  const std::string zipkin =
      R"([{"traceId":"aa","id":"1","timestamp":9223372036854775,"duration":1},)"
      R"({"traceId":"aa","id":"2","timestamp":1,"duration":400000000000000}])";
  diagnostics d2;
  observed o2;
  REQUIRE(read_trace_text(zipkin, "late.json", o2, d2).empty());
  CHECK(d2.count("span-unreadable") == 2);  // after 2116; over 10 years
}

TEST_CASE("names YAML would misread, topics that clean alike, deep attribute values", "[infer]") {
  // A service and an operation called null, two topics that clean to the same text (each with
  // its own consumer), and an attribute nested 200,000 deep (printing it overflowed the stack).
  const std::string deep = R"({"key":"deep","value":{"arrayValue":)" + std::string(200000, '[') +
                           std::string(200000, ']') + "}}";
  const std::string t1 = attr("messaging.destination.name", "orders v1");
  const std::string t2 = attr("messaging.destination.name", "orders/v1");
  const std::string text =
      R"({"resourceSpans":[)" +
      resource("null", {otlp_span("00000000000000a1", "", 2, "null", 1000, 1010,
                                  R"(,"attributes":[)" + deep + "]"),
                        otlp_span("00000000000000a2", "00000000000000a1", 4, "publish", 1002, 1002,
                                  R"(,"attributes":[)" + t1 + "]"),
                        otlp_span("00000000000000a3", "00000000000000a1", 4, "publish", 1003, 1003,
                                  R"(,"attributes":[)" + t2 + "]")}) +
      "," +
      resource("one", {otlp_span("00000000000000b1", "00000000000000a2", 5, "orders v1", 1004, 1006,
                                 R"(,"attributes":[)" + t1 + "]")}) +
      "," +
      resource("two", {otlp_span("00000000000000c1", "00000000000000a3", 5, "orders/v1", 1004, 1007,
                                 R"(,"attributes":[)" + t2 + "]")}) +
      "]}";
  diagnostics d;
  observed o;
  REQUIRE(read_trace_text(text, "names.json", o, d).empty());
  const auto in = infer_scenario(o, {}, d);
  const auto written = write_scenario(in, {});
  INFO(written.yaml);
  const auto parsed = svcsim::parse_scenario(written.yaml, "names.yaml");
  REQUIRE(parsed.error == "");
  const auto& s = *parsed.value;
  CHECK(s.find_topic("orders-v1") >= 0);
  CHECK(s.find_topic("orders-v1-2") >= 0);  // two topics, each to its own consumer
  for (const auto& t : s.topics) CHECK(t.subscribers.size() == 1);
  CHECK(written.yaml.find("  null_:\n") != std::string::npos);
  CHECK(scenario_name("NULL") == "null_");
}
