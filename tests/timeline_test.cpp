// The timeline: exact counts per bucket on small deterministic scenarios, per topic and per
// subscription, the backlog carried over quiet buckets, the automatic widening, the spans around
// failures, and the reports.
#include "engine/timeline.hpp"

#include <catch2/catch.hpp>
#include <cmath>
#include <nlohmann/json.hpp>
#include <numeric>

#include "actors/simulate.hpp"
#include "report/json_report.hpp"
#include "report/text_report.hpp"
#include "studies/replicate.hpp"
#include "support.hpp"

using namespace svcsim;
using namespace svcsim::testing;

namespace {

constexpr nanos ms = 1000000, sec = 1000000000;

// 100 requests per second for 10 s, each served in exactly 5 ms: latency 5 ms, no waiting.
scenario steady() {
  auto s = base(0);
  s.requests.reset();
  s.duration = 10 * sec;
  add_workload(s, add_service(s, "a", 1, {work_step(const_ms(5))}), 100, arrival_kind::constant);
  return s;
}

// Five messages published at 0..4 ms to one subscriber worker that handles each for 1 s: the
// broker holds 5, then one fewer at every acknowledgement, at 1, 2, 3, 4 and 5 s.
scenario backlog() {
  auto s = base(5);
  const auto ps = publish_to_subscriber(s, 1, {}, 1, {work_step(const_ms(1000))});
  add_workload(s, ps.pub, 1000, arrival_kind::constant);
  return s;
}

// backlog() with a second subscriber, "fast", that handles each message in 300 ms: it
// acknowledges at 0.3, 0.6, 0.9, 1.2 and 1.5 s, while "sub" does at 1, 2, 3, 4 and 5 s.
scenario two_speeds() {
  auto s = backlog();
  const int fast = add_service(s, "fast", 1, {});
  s.services[fast].endpoints.clear();
  subscribe(s, fast, 0, {work_step(const_ms(300))});
  return s;
}

simulate_options bucket(nanos width) {
  simulate_options o;
  o.bucket = width;
  return o;
}

// A failure of a service nobody calls: the spans around it see the undisturbed run.
void fail_idle(scenario& s, nanos at, std::optional<nanos> length) {
  if (s.find_service("idle") < 0) add_service(s, "idle", 1, {});
  failure f;
  f.service = s.find_service("idle");
  f.at = at;
  f.length = length;
  s.failures.push_back(f);
}

std::int64_t sum(const std::vector<std::int64_t>& xs) {
  return std::accumulate(xs.begin(), xs.end(), std::int64_t{0});
}

}  // namespace

TEST_CASE("timeline: sent per bucket is rate x bucket, ok sums to the run's ok") {
  const auto r = simulate(steady(), mode::sync);
  const auto& tl = r.timeline;
  CHECK(tl.bucket_s == 1.0);
  REQUIRE(tl.t_s.size() == 10);  // the last reply comes at 9.995 s
  CHECK(tl.t_s[3] == 3.0);
  const auto& w = tl.workloads.at(0);
  for (std::size_t k = 0; k < 10; ++k) {
    INFO("bucket " << k);
    CHECK(w.sent[k] == 100);
    CHECK(w.failed[k] == 0);
    CHECK(w.p50_ms[k] == 5.0);  // constant service time: every latency is 5 ms
    CHECK(w.p99_ms[k] == 5.0);
  }
  CHECK(sum(w.ok) == r.workloads[0].ok);
  CHECK(w.ok[0] == 100);  // sent at 0, 10, ..., 990 ms; answered 5 ms later

  const auto half = simulate(steady(), mode::sync, bucket(500 * ms)).timeline;
  CHECK(half.bucket_s == 0.5);
  REQUIRE(half.t_s.size() == 20);
  CHECK(half.t_s[19] == 9.5);
  for (auto n : half.workloads[0].sent) CHECK(n == 50);
}

TEST_CASE("timeline: requests sent during the warm-up are counted too") {
  auto s = steady();
  s.warmup = 2 * sec;
  const auto r = simulate(s, mode::sync);
  CHECK(r.workloads[0].requests == 800);
  CHECK(sum(r.timeline.workloads[0].sent) == 1000);
  CHECK(r.timeline.workloads[0].sent[0] == 100);
  CHECK(sum(r.timeline.workloads[0].ok) == 1000);
}

TEST_CASE("timeline: a topic's backlog is carried over buckets where nothing changed") {
  const auto r = simulate(backlog(), mode::async);
  CHECK(r.topics[0].backlog_max == 5);
  const auto& t = r.timeline.topics.at(0);
  CHECK(t.backlog_max == std::vector<std::int64_t>{5, 5, 4, 3, 2, 1});
  CHECK(t.delivered == std::vector<std::int64_t>{0, 1, 1, 1, 1, 1});
  CHECK(sum(t.delivered) == r.topics[0].delivered);
  CHECK(sum(t.lost) == 0);
  const auto& w = r.timeline.workloads.at(0);
  CHECK(w.sent == std::vector<std::int64_t>{5, 0, 0, 0, 0, 0});
  CHECK(w.ok[0] == 5);
  CHECK(std::isnan(w.p50_ms[1]));  // no reply in that bucket

  const auto half = simulate(backlog(), mode::async, bucket(500 * ms)).timeline;
  CHECK(half.topics[0].backlog_max == std::vector<std::int64_t>{5, 5, 5, 4, 4, 3, 3, 2, 2, 1, 1});
}

TEST_CASE("timeline: each subscription has its own series, which add up to the topic's") {
  const auto r = simulate(two_speeds(), mode::async);
  const auto& t = r.timeline.topics.at(0);
  REQUIRE(t.subscriptions.size() == 2);  // sub, then fast: the order of the topic's subscribers
  const auto &slow = t.subscriptions[0], &fast = t.subscriptions[1];
  // Held from 4 ms on: 5 each. sub's level drops at each whole second; fast's is 2 from 0.9 s,
  // when bucket 1 starts, and 0 from 1.5 s. The topic holds their sum: 10, then 7 when bucket 1
  // starts (sub 5 + fast 2), 4 when bucket 2 does (4 + 0), then sub's alone.
  CHECK(slow.backlog_max == std::vector<std::int64_t>{5, 5, 4, 3, 2, 1});
  CHECK(fast.backlog_max == std::vector<std::int64_t>{5, 2, 0, 0, 0, 0});
  CHECK(t.backlog_max == std::vector<std::int64_t>{10, 7, 4, 3, 2, 1});
  CHECK(slow.delivered == std::vector<std::int64_t>{0, 1, 1, 1, 1, 1});
  CHECK(fast.delivered == std::vector<std::int64_t>{3, 2, 0, 0, 0, 0});
  CHECK(t.delivered == std::vector<std::int64_t>{3, 3, 1, 1, 1, 1});
  CHECK(sum(fast.lost) + sum(slow.lost) + sum(t.lost) == 0);
  CHECK(r.topics[0].subscriptions[1].backlog_max == 5);

  // A subscription nothing reaches still has its series, all 0: in sync mode a notify is calls.
  auto notify = two_speeds();
  notify.services[0].endpoints[0].steps.back().kind = step_kind::notify;
  const auto sync = simulate(notify, mode::sync).timeline;
  REQUIRE(sync.topics.at(0).subscriptions.size() == 2);
  CHECK(sync.topics[0].subscriptions[1].backlog_max.size() == sync.t_s.size());
  CHECK(sum(sync.topics[0].subscriptions[1].delivered) == 0);
}

TEST_CASE("timeline: a backlog still held when the drain ends shows until the end") {
  auto s = backlog();
  s.drain = 2500 * ms;  // arrivals end at 4 ms, the run at 2.504 s with 3 messages held
  const auto r = simulate(s, mode::async);
  CHECK(r.sim_time_s == Approx(2.504));
  CHECK(r.timeline.topics[0].backlog_max == std::vector<std::int64_t>{5, 5, 4});
  s.drain = 3500 * ms;  // the last acknowledgement, at 3 s, leaves 2 held until 3.504 s
  CHECK(simulate(s, mode::async).timeline.topics[0].backlog_max ==
        std::vector<std::int64_t>{5, 5, 4, 3});
}

TEST_CASE("timeline: buckets are widened to at most 100,000, with a warning") {
  CHECK(fit_bucket(ms, 100 * sec - 1).width == ms);  // buckets 0 .. 99,999
  CHECK(fit_bucket(ms, 100 * sec - 1).warning.empty());
  CHECK(fit_bucket(ms, 100 * sec).width == 2 * ms);  // one more would be needed
  CHECK(fit_bucket(sec, 3660 * sec).width == sec);   // the default drain of 1 h
  CHECK(fit_bucket(1000, 3660 * sec).width == 36601 * 1000);

  auto s = backlog();
  s.drain = sec;  // the run stops at 1.004 s at the latest: 1,004,001 buckets of 1 us
  const auto r = simulate(s, mode::async, bucket(1000));
  CHECK(r.timeline.bucket_s == Approx(11e-6));  // 91,273 buckets
  CHECK(r.timeline.t_s.size() <= timeline_recorder::max_buckets);
  REQUIRE(r.warnings.size() == 1);
  CHECK(r.warnings[0] ==
        "timeline: a run that may last 1.004 s (end of arrivals + drain) needs more than 100000 "
        "buckets of 1us, so its buckets are 11us wide; pass a wider --bucket, or shorten drain");
  CHECK(simulate(s, mode::async, bucket(ms)).warnings.empty());
}

TEST_CASE("timeline: the default bucket is 1 s unless the run is too long for it") {
  // Up to 100,000 buckets of 1 s the reports stay as they were.
  CHECK(fit_bucket(0, 3660 * sec, 60 * sec).width == sec);
  CHECK(fit_bucket(0, 0, 0).width == sec);  // no end
  CHECK(fit_bucket(0, 99999 * sec, 96399 * sec).width == sec);
  // Beyond: a round width giving the arrivals at most 1,000 buckets, without a warning.
  const auto mm1 = fit_bucket(0, 1253600 * sec, 1250000 * sec);  // 1e6 requests at 0.8/s
  CHECK(mm1.width == 2000 * sec);                                // 625 buckets
  CHECK(mm1.warning.empty());
  CHECK(fit_bucket(0, 100000 * sec, 96400 * sec).width == 100 * sec);
  // A long drain after short arrivals: at most 100,000 buckets still.
  CHECK(fit_bucket(0, 1000000 * sec, 60 * sec).width == 20 * sec);
}

TEST_CASE("timeline: replies are tallied in the spans before, during and after a failure") {
  auto s = steady();
  fail_idle(s, 2 * sec, sec);
  fail_idle(s, 8 * sec, std::nullopt);  // until the end
  const auto r = simulate(s, mode::sync);
  REQUIRE(r.timeline.windows.size() == 2);
  const auto& w = r.timeline.windows[0];
  CHECK(w.before_s == 1.0);
  CHECK(w.at_s == 2.0);
  CHECK(w.end_s == 3.0);
  CHECK(w.after_s == 4.0);
  for (const auto* span : {&w.workloads[0].before, &w.workloads[0].during, &w.workloads[0].after}) {
    CHECK(span->ok == 100);  // replies at 1.000, 1.010, ..., 1.990 s for the span before
    CHECK(span->failed == 0);
    CHECK(span->p99_ms == 5.0);
  }
  const auto& open = r.timeline.windows[1];
  CHECK(open.before_s == 0.0);
  CHECK(open.end_s == r.sim_time_s);
  CHECK(open.after_s == open.end_s);
  CHECK(open.workloads[0].before.ok == 800);
  CHECK(open.workloads[0].during.ok == 200);
  CHECK(open.workloads[0].after.ok == 0);
  CHECK(std::isnan(open.workloads[0].after.p99_ms));
}

TEST_CASE("timeline: a topic catches up in the first bucket back at its level before") {
  auto s = backlog();  // backlog_max per 1 s bucket: 5, 5, 4, 3, 2, 1; the run ends at 5 s
  fail_idle(s, 2 * sec, sec);
  fail_idle(s, 500 * ms, 500 * ms);
  fail_idle(s, 4 * sec, std::nullopt);
  auto r = simulate(s, mode::async);
  REQUIRE(r.timeline.windows.size() == 3);
  const auto& later = r.timeline.windows[0].topics.at(0);
  CHECK(later.before_max == 5);
  CHECK(later.backlog_max == 4);
  CHECK(std::isnan(later.caught_up_s));  // the backlog never grew past 5: nothing to catch up
  // Before 0.5 s nothing was held, and the broker is empty again only in the last bucket.
  const auto& early = r.timeline.windows[1].topics.at(0);
  CHECK(early.before_max == 0);
  CHECK(early.backlog_max == 5);
  CHECK(early.caught_up_s == Approx(5.0));
  CHECK(std::isnan(r.timeline.windows[2].topics[0].caught_up_s));  // no end, no catching up

  s.drain = 2500 * ms;  // 3 messages are still held when the run stops
  r = simulate(s, mode::async);
  CHECK(std::isinf(r.timeline.windows[1].topics[0].caught_up_s));
}

TEST_CASE("timeline: each subscription catches up on its own") {
  auto s = two_speeds();  // per 1 s bucket: sub 5, 5, 4, 3, 2, 1; fast 5, 2, 0, ...
  fail_idle(s, 500 * ms, 500 * ms);
  auto r = simulate(s, mode::async);
  const auto& w = r.timeline.windows.at(0).topics.at(0);
  REQUIRE(w.subscriptions.size() == 2);
  CHECK(w.before_max == 0);
  CHECK(w.backlog_max == 10);
  CHECK(w.caught_up_s == Approx(5.0));  // the end of the run, when sub is done
  CHECK(w.subscriptions[0].backlog_max == 5);
  CHECK(w.subscriptions[0].caught_up_s == Approx(5.0));
  CHECK(w.subscriptions[1].backlog_max == 5);
  CHECK(w.subscriptions[1].caught_up_s == Approx(2.0));  // bucket 2 is the first at 0

  report rep;
  rep.scenario = "test";
  rep.runs.push_back(r);
  const auto text = to_text(rep);
  const auto at = text.find("\n  subscriber fast\n    backlog max before");
  REQUIRE(at != std::string::npos);
  const auto line = text.find("\n    caught up at ", at);
  REQUIRE(line != std::string::npos);
  CHECK(text.substr(line, text.find('\n', line + 1) - line).find(" 2.000 s") != std::string::npos);

  s.drain = 1200 * ms;  // at 1.204 s, sub still holds 4 and fast 1
  r = simulate(s, mode::async);
  CHECK(std::isinf(r.timeline.windows[0].topics[0].subscriptions[0].caught_up_s));
  CHECK(std::isinf(r.timeline.windows[0].topics[0].subscriptions[1].caught_up_s));
  s.drain = 1600 * ms;  // fast is done at 1.5 s; the run stops at 1.604 s, in bucket 1
  r = simulate(s, mode::async);
  CHECK(std::isinf(r.timeline.windows[0].topics[0].subscriptions[0].caught_up_s));
  CHECK(r.timeline.windows[0].topics[0].subscriptions[1].caught_up_s == Approx(1.604));
}

TEST_CASE("timeline: JSON has equal-length columns, nulls, and no intervals") {
  report rep;
  rep.scenario = "test";
  rep.runs.push_back(simulate(backlog(), mode::async));
  auto j = nlohmann::json::parse(to_json(rep));
  const nlohmann::json tl = j["runs"][0]["timeline"];  // a copy: j is parsed again below
  CHECK(tl["bucket_s"] == 1.0);
  const auto n = tl["t_s"].size();
  CHECK(n == 6);
  for (const auto& [name, series] : tl["workloads"].items())
    for (const char* key : {"sent", "ok", "failed", "p50_ms", "p99_ms"})
      CHECK(series[key].size() == n);
  for (const auto& [name, series] : tl["topics"].items())
    for (const char* key : {"backlog_max", "delivered", "lost"}) CHECK(series[key].size() == n);
  // Beside the topics, their subscriptions by topic and service: arrays only, one table each.
  REQUIRE(tl["subscriptions"].size() == tl["topics"].size());
  for (const auto& [name, subs] : tl["subscriptions"].items())
    for (const auto& [service, series] : subs.items()) {
      CHECK(series.size() == 3);
      for (const char* key : {"backlog_max", "delivered", "lost"}) CHECK(series[key].size() == n);
    }
  CHECK(tl["subscriptions"]["t"]["sub"]["backlog_max"] == tl["topics"]["t"]["backlog_max"]);
  CHECK(tl["workloads"]["load0"]["p50_ms"][1].is_null());
  CHECK(tl["topics"]["t"]["backlog_max"] == nlohmann::json::array({5, 5, 4, 3, 2, 1}));

  // With replications: replication 0's timeline, as it is, and no _ci95 inside it.
  rep.replicas.push_back(replicate(backlog(), mode::async, 3, 1));
  rep.runs[0] = rep.replicas[0][0];
  j = nlohmann::json::parse(to_json(rep));
  const auto& run = j["runs"][0];
  CHECK(run.contains("sim_time_s_ci95"));
  CHECK(run["timeline"]["topics"]["t"]["backlog_max"] == tl["topics"]["t"]["backlog_max"]);
  CHECK(run["timeline"].dump().find("_ci95") == std::string::npos);
  CHECK(rep.replicas[0][1].timeline.t_s.empty());  // only replication 0 keeps one
}

TEST_CASE("timeline: the text report summarises the spans only when there are failures") {
  report rep;
  rep.scenario = "test";
  rep.runs.push_back(simulate(steady(), mode::sync));
  CHECK(to_text(rep).find("failure") == std::string::npos);
  auto s = steady();
  fail_idle(s, 2 * sec, sec);
  rep.runs[0] = simulate(s, mode::sync);
  const auto text = to_text(rep);
  CHECK(text.find("\nfailure idle crash from 2.000 s to 3.000 s") != std::string::npos);
  CHECK(text.find("  availability during            100.00%\n") != std::string::npos);
  CHECK(text.find("  latency ms p99 after              5.00\n") != std::string::npos);
}

TEST_CASE("timeline: times out of order and on bucket edges land in their buckets") {
  // index() keeps the last bucket's bounds; each time must still land where t / bucket says.
  timeline_recorder t(1, 0, 10);
  const std::vector<nanos> at{0, 9, 10, 5, 19, 20, 3, 29, 10, 0, 30, 9};
  for (const nanos x : at) t.sent(0, x);
  const auto out = t.finish(30, {});
  CHECK(out.workloads[0].sent == std::vector<std::int64_t>{6, 3, 2, 1});
}
