// The engine against queueing theory, each check over independent replications.
//
// Every model runs `reps` replications (seeds 1..reps) and compares the analytic value with the
// 95% confidence interval of the replication means (Student t). A check passes when the
// analytic value lies within the half-width plus 1% of the value: the 1% covers the bias of
// starting each run empty (no warm-up here) and the histogram's bucket error (< 0.4%) for
// percentiles. Seeds are fixed, so a result never flickers; a modelling error (a lost hop, a
// wrong discipline, a wrong parameterisation) moves the estimate by far more than this.
// Every run also checks the utilization law on its stations; single-station runs also check
// Little's law, and the closed loop the response time law.
#include <catch2/catch.hpp>
#include <cmath>
#include <cstdio>
#include <cstdlib>
#include <functional>
#include <utility>

#include "actors/simulate.hpp"
#include "support.hpp"

using namespace svcsim;
using namespace svcsim::testing;

namespace {

constexpr int reps = 8;
constexpr double t_975_7 = 2.365;  // Student t, 7 degrees of freedom, 97.5%

struct estimate {
  double mean = 0, half = 0;
};

estimate replicate(scenario s, const std::function<double(const run_result&)>& metric,
                   const std::function<void(const scenario&, const run_result&)>& laws,
                   const simulate_options& options = {}) {
  double sum = 0, squares = 0;
  for (int i = 1; i <= reps; ++i) {
    s.seed = static_cast<std::uint64_t>(i);
    const auto r = simulate(s, mode::sync, options);
    laws(s, r);
    const double x = metric(r);
    sum += x;
    squares += x * x;
  }
  const double mean = sum / reps;
  const double var = (squares - reps * mean * mean) / (reps - 1);
  return {mean, t_975_7 * std::sqrt(std::max(var, 0.0) / reps)};
}

// With SVCSIM_VALIDATION_TABLE set, also prints a row of docs/validation.md's table.
void check_close(const char* model, const estimate& e, double analytic) {
  if (std::getenv("SVCSIM_VALIDATION_TABLE"))
    std::printf("| %s | %.4f | %.4f ± %.4f | %+.2f%% |\n", model, analytic, e.mean, e.half,
                100 * (e.mean - analytic) / analytic);
  INFO("simulated " << e.mean << " +- " << e.half << ", analytic " << analytic);
  CHECK(std::abs(e.mean - analytic) <= e.half + 0.01 * analytic);
}

// Little's law (L = X W) and the utilization law (U = X S / c) on a single station that is a
// workload's only target, with no network latency.
auto station_laws(int service, double mean_service_ms) {
  return [=](const scenario& s, const run_result& r) {
    const auto& w = r.workloads[0];
    const auto& st = r.services[service];
    const int c = s.services[service].workers;
    const double x_per_ms = w.throughput_rps / 1000;
    CHECK(st.queue_mean + st.utilization * c == Approx(x_per_ms * w.latency_ms.mean).epsilon(0.02));
    CHECK(st.utilization == Approx(x_per_ms * mean_service_ms / c).epsilon(0.02));
  };
}

// The utilization law (U = X S / c) on every station that each request visits once, with
// mean work S (ms) per station index.
auto utilization_laws(std::vector<std::pair<int, double>> stations) {
  return [=](const scenario& s, const run_result& r) {
    const double x_per_ms = r.workloads[0].throughput_rps / 1000;
    for (auto [service, mean_ms] : stations)
      CHECK(r.services[service].utilization ==
            Approx(x_per_ms * mean_ms / s.services[service].workers).epsilon(0.02));
  };
}

double mean_latency(const run_result& r) { return r.workloads[0].latency_ms.mean; }

scenario single_station(distribution work, int workers, double rate) {
  auto s = base(100000);
  const int a = add_service(s, "a", workers, {work_step(work)});
  add_workload(s, a, rate);
  return s;
}

distribution parsed(distribution::kind k, double a, double b = 0, double c = 0, int phases = 1) {
  distribution d;
  d.k = k;
  d.a = a;
  d.b = b;
  d.c = c;
  d.phases = phases;
  return d;
}

// Pollaczek-Khinchine: mean sojourn of M/G/1 in ms, for rate per ms and service moments in ms.
double pollaczek_khinchine(double lambda, double es, double es2) {
  return es + lambda * es2 / (2 * (1 - lambda * es));
}

}  // namespace

TEST_CASE("validation: M/M/1 mean and percentiles", "[validation]") {
  const auto s = single_station(exp_ms(1), 1, 800);
  const double w = 1 / (1.0 - 0.8);  // ms
  check_close("M/M/1 ρ=0.8, mean sojourn (ms)", replicate(s, mean_latency, station_laws(0, 1)), w);
  check_close(
      "M/M/1 ρ=0.8, p50 (ms)",
      replicate(
          s, [](const run_result& r) { return r.workloads[0].latency_ms.p50; }, station_laws(0, 1)),
      std::log(2.0) * w);
  check_close(
      "M/M/1 ρ=0.8, p99 (ms)",
      replicate(
          s, [](const run_result& r) { return r.workloads[0].latency_ms.p99; }, station_laws(0, 1)),
      std::log(100.0) * w);
}

TEST_CASE("validation: M/M/1 on the event-driven path", "[validation]") {
  const auto s = single_station(exp_ms(1), 1, 800);
  simulate_options event_driven;
  event_driven.force_event_driven = true;
  check_close("M/M/1 ρ=0.8 on the event-driven path, mean sojourn (ms)",
              replicate(s, mean_latency, station_laws(0, 1), event_driven), 1 / (1.0 - 0.8));
}

TEST_CASE("validation: M/M/c mean matches Erlang C", "[validation]") {
  for (auto [c, rho] : {std::pair{2, 0.75}, std::pair{3, 0.8}, std::pair{4, 0.75}}) {
    const double a = c * rho;  // offered load in Erlangs, mu = 1/ms
    const auto s = single_station(exp_ms(1), c, 1000 * a);
    char model[64];
    std::snprintf(model, sizeof model, "M/M/%d ρ=%g, mean sojourn, Erlang C (ms)", c, rho);
    check_close(model, replicate(s, mean_latency, station_laws(0, 1)),
                erlang_c(c, a) / (c - a) + 1);
  }
}

TEST_CASE("validation: M/G/1 with deterministic and Erlang and hyperexponential work",
          "[validation]") {
  using k = distribution::kind;
  const double lambda = 0.7;  // per ms
  SECTION("M/D/1") {
    const auto s = single_station(parsed(k::constant, 1e6), 1, 700);
    check_close("M/D/1 ρ=0.7, mean sojourn, P-K (ms)",
                replicate(s, mean_latency, station_laws(0, 1)), pollaczek_khinchine(lambda, 1, 1));
  }
  SECTION("M/E4/1") {
    const auto s = single_station(parsed(k::erlang, 1e6, 0, 0, 4), 1, 700);
    check_close("M/E4/1 ρ=0.7, mean sojourn, P-K (ms)",
                replicate(s, mean_latency, station_laws(0, 1)),
                pollaczek_khinchine(lambda, 1, 1 + 1.0 / 4));
  }
  SECTION("M/H2/1") {
    // p = 0.9 of mean 0.5ms, else 5.5ms: mean 1ms, E[S^2] = 2 (0.9 * 0.25 + 0.1 * 30.25) = 6.5
    const auto s = single_station(parsed(k::hyperexp, 0.9, 0.5e6, 5.5e6), 1, 700);
    check_close("M/H2/1 ρ=0.7 (c²=5.5), mean sojourn, P-K (ms)",
                replicate(s, mean_latency, station_laws(0, 1)),
                pollaczek_khinchine(lambda, 1, 6.5));
  }
}

TEST_CASE("validation: a three-station tandem of sync calls sums three M/M/1 sojourns",
          "[validation]") {
  auto s = base(100000);
  const int a = add_service(s, "a", 1, {work_step(exp_ms(1))});
  const int b = add_service(s, "b", 1, {work_step(exp_ms(0.8))});
  const int c = add_service(s, "c", 1, {work_step(exp_ms(0.5))});
  const int front =
      add_service(s, "front", 100000, {call_step(a, 0), call_step(b, 0), call_step(c, 0)});
  add_workload(s, front, 700);
  const double lambda = 0.7;
  const double w = 1 / (1 - lambda) + 1 / (1 / 0.8 - lambda) + 1 / (2 - lambda);
  check_close("tandem of 3 M/M/1 via sync calls, mean latency (ms)",
              replicate(s, mean_latency, utilization_laws({{a, 1}, {b, 0.8}, {c, 0.5}})), w);
}

TEST_CASE("validation: a parallel fork-join of two M/M/1 stations (Nelson-Tantawi)",
          "[validation]") {
  auto s = base(100000);
  const int a = add_service(s, "a", 1, {work_step(exp_ms(1))});
  const int b = add_service(s, "b", 1, {work_step(exp_ms(1))});
  const int front =
      add_service(s, "front", 100000, {parallel_step({call_step(a, 0), call_step(b, 0)})});
  add_workload(s, front, 600);
  const double rho = 0.6;
  const double r1 = 1 / (1 - rho);  // one M/M/1 station, ms
  check_close("fork-join of 2 M/M/1 ρ=0.6, Nelson-Tantawi (ms)",
              replicate(s, mean_latency, utilization_laws({{a, 1}, {b, 1}})), (12 - rho) / 8 * r1);
}

TEST_CASE("validation: the broker path to an M/M/1 subscriber", "[validation]") {
  auto s = base(100000);
  const auto ps = publish_to_subscriber(s, 100000, {}, 1, {work_step(exp_ms(1))});
  const int sub = ps.sub;
  add_workload(s, ps.pub, 750);
  check_close("publish to an M/M/1 subscriber ρ=0.75, mean lag (ms)",
              replicate(
                  s, [](const run_result& r) { return r.topics[0].lag_ms.mean; },
                  utilization_laws({{sub, 1}})),
              1 / (1 - 0.75));
}

// `pub` (no work, workers enough never to wait) publishes "t" with a confirm to a broker of
// `workers` workers doing exp(`publish_ms`) per publish; network latency `hop_ms`.
scenario confirmed_publishes(int workers, double publish_ms, double rate, double hop_ms) {
  auto s = base(100000);
  const auto ps = publish_to_subscriber(s, 100000, {}, 100000, {work_step(const_ms(0))});
  s.services[ps.pub].endpoints[0].steps.back().publishing.confirm = call_policy{};
  s.broker_workers = workers;
  s.broker_publish_work = exp_ms(publish_ms);
  s.network_latency = static_cast<nanos>(hop_ms * 1e6);
  add_workload(s, ps.pub, rate);
  return s;
}

// The utilization law on the broker: U = X S / c, with one publish task per request.
auto broker_utilization_law(double publish_ms) {
  return [=](const scenario& s, const run_result& r) {
    REQUIRE(r.brokers.size() == 1);
    CHECK(
        r.brokers[0].utilization ==
        Approx(r.workloads[0].throughput_rps / 1000 * publish_ms / s.broker_workers).epsilon(0.02));
  };
}

TEST_CASE("validation: a confirmed publish waits for the broker as an M/M/1", "[validation]") {
  // Four hops of 0.5ms (client, publish, confirm, reply) plus the broker's M/M/1 sojourn.
  const auto s = confirmed_publishes(1, 1, 700, 0.5);
  check_close("confirmed publish, broker M/M/1 ρ=0.7, latency = 4 hops + 1/(μ-λ) (ms)",
              replicate(s, mean_latency, broker_utilization_law(1)), 2 + 1 / (1 - 0.7));
}

TEST_CASE("validation: a broker with c workers is an M/M/c", "[validation]") {
  const double a = 2.4;  // Erlangs: 1200/s x 2ms, on 3 workers (ρ=0.8)
  const auto s = confirmed_publishes(3, 2, 1200, 0);
  check_close("confirmed publish, broker M/M/3 ρ=0.8, Erlang C (ms)",
              replicate(s, mean_latency, broker_utilization_law(2)),
              2 * (erlang_c(3, a) / (3 - a) + 1));
}

TEST_CASE("validation: a closed loop matches mean value analysis", "[validation]") {
  // 10 users thinking exp(100ms) in front of one exp(10ms) server.
  auto s = base(0);
  s.requests.reset();
  s.duration = 1000LL * 1000000000;  // about 78,000 requests a replication
  s.warmup = 20LL * 1000000000;
  const int server = add_service(s, "server", 1, {work_step(exp_ms(10))});
  add_workload(s, server, 1);
  s.workloads[0].users = 10;
  s.workloads[0].think = exp_ms(100);
  double q = 0, response_ms = 0, x_per_ms = 0;  // exact MVA
  for (int n = 1; n <= 10; ++n) {
    response_ms = 10 * (1 + q);
    x_per_ms = n / (response_ms + 100);
    q = x_per_ms * response_ms;
  }
  const auto laws = [](const scenario& sc, const run_result& r) {
    station_laws(0, 10)(sc, r);
    const auto& w = r.workloads[0];  // response time law: R = N/X - Z
    CHECK(w.latency_ms.mean == Approx(10 / (w.throughput_rps / 1000) - 100).epsilon(0.03));
  };
  check_close("closed loop, 10 users, Z=100ms, S=10ms: mean response, MVA (ms)",
              replicate(s, mean_latency, laws), response_ms);
  check_close("closed loop, 10 users: throughput, MVA (per s)",
              replicate(
                  s, [](const run_result& r) { return r.workloads[0].throughput_rps; }, laws),
              1000 * x_per_ms);
}

namespace {

// Service "a": `k` instances of one worker doing exp(1ms), picked by `policy`, fed at
// `rate` per second.
scenario instances_of(int k, balance_policy policy, double rate) {
  auto s = single_station(exp_ms(1), 1, rate);
  s.services[0].instances = k;
  s.services[0].balance = policy;
  return s;
}

// Little's law and the utilization law on a service of several one-worker instances that is
// the workload's only target: queue_mean (all instances) + busy instances = X W, and each
// instance's utilization = X S / k.
auto instance_laws(double mean_service_ms) {
  return [=](const scenario& s, const run_result& r) {
    const auto& w = r.workloads[0];
    const auto& st = r.services[0];
    const int k = s.services[0].instances;
    const double x_per_ms = w.throughput_rps / 1000;
    REQUIRE(st.instances.size() == static_cast<std::size_t>(k));
    CHECK(st.queue_mean + st.utilization * k == Approx(x_per_ms * w.latency_ms.mean).epsilon(0.02));
    CHECK(st.utilization == Approx(x_per_ms * mean_service_ms / k).epsilon(0.02));
  };
}

double p99_latency(const run_result& r) { return r.workloads[0].latency_ms.p99; }

// E_k/M/1 (each of k round-robin instances sees every k-th Poisson arrival): mean sojourn
// 1/(μ(1−σ)), σ the root in (0, 1) of σ = A*(μ(1−σ)), A*(s) = (kλ/(kλ + s))^k the Laplace
// transform of an Erlang-k interarrival of mean k/λ (λ: the total rate; per ms, μ = 1/ms).
double erlang_k_m_1(int k, double lambda) {
  double sigma = 0.5;
  for (int i = 0; i < 10000; ++i) sigma = std::pow(lambda / (lambda + 1 - sigma), k);
  return 1 / (1 - sigma);
}

}  // namespace

TEST_CASE("validation: random balancing over k instances is k M/M/1 queues", "[validation]") {
  const auto s = instances_of(4, balance_policy::random, 3200);  // ρ = 0.8 per instance
  check_close("4 instances, random, ρ=0.8: M/M/1 at λ/4, mean sojourn (ms)",
              replicate(s, mean_latency, instance_laws(1)), 1 / (1.0 - 0.8));
  check_close("4 instances, random, ρ=0.8: M/M/1 at λ/4, p99 (ms)",
              replicate(s, p99_latency, instance_laws(1)), std::log(100.0) / (1.0 - 0.8));
}

TEST_CASE("validation: round-robin over k instances is k E_k/M/1 queues", "[validation]") {
  for (int k : {2, 4}) {
    const auto s = instances_of(k, balance_policy::round_robin, 800.0 * k);
    char model[96];
    std::snprintf(model, sizeof model,
                  "%d instances, round-robin, ρ=0.8: E%d/M/1, mean sojourn, GI/M/1 root (ms)", k,
                  k);
    check_close(model, replicate(s, mean_latency, instance_laws(1)), erlang_k_m_1(k, 0.8 * k));
  }
}

TEST_CASE("validation: a consumer group of k one-worker instances is an M/M/k", "[validation]") {
  auto s = base(100000);
  const auto ps = publish_to_subscriber(s, 100000, {}, 1, {work_step(exp_ms(1))});
  s.services[ps.sub].instances = 4;
  add_workload(s, ps.pub, 3200);  // a = 3.2 Erlangs on 4 instances: ρ = 0.8
  const auto laws = [sub = ps.sub](const scenario&, const run_result& r) {
    const auto& st = r.services[sub];
    CHECK(st.utilization == Approx(r.workloads[0].throughput_rps / 1000 / 4).epsilon(0.02));
    CHECK(r.topics[0].delivered == r.topics[0].published);
  };
  check_close("consumer group of 4 one-worker instances, ρ=0.8: M/M/4 mean lag (ms)",
              replicate(
                  s, [](const run_result& r) { return r.topics[0].lag_ms.mean; }, laws),
              erlang_c(4, 3.2) / (4 - 3.2) + 1);
}

TEST_CASE("validation: least-outstanding and power-of-two lie between M/M/k and random",
          "[validation]") {
  const double lambda = 3600;  // 4 instances at ρ = 0.9
  const double lower = erlang_c(4, 3.6) / (4 - 3.6) + 1, upper = 1 / (1 - 0.9);  // ms
  const auto random_p99 =
      replicate(instances_of(4, balance_policy::random, lambda), p99_latency, instance_laws(1));
  for (auto policy : {balance_policy::least_outstanding, balance_policy::power_of_two}) {
    const auto s = instances_of(4, policy, lambda);
    const auto mean = replicate(s, mean_latency, instance_laws(1));
    const auto p99 = replicate(s, p99_latency, instance_laws(1));
    if (std::getenv("SVCSIM_VALIDATION_TABLE"))
      std::printf(
          "| 4 instances, %s, ρ=0.9: mean sojourn (ms), between M/M/4 %.4f and random "
          "%.4f | | %.4f ± %.4f | |\n| 4 instances, %s, ρ=0.9: p99 (ms), below random's "
          "%.4f | | %.4f ± %.4f | |\n",
          to_string(policy), lower, upper, mean.mean, mean.half, to_string(policy), random_p99.mean,
          p99.mean, p99.half);
    INFO(to_string(policy) << ": mean " << mean.mean << ", p99 " << p99.mean << " vs random "
                           << random_p99.mean);
    CHECK(mean.mean - mean.half > lower);
    CHECK(mean.mean + mean.half < upper);
    CHECK(p99.mean + p99.half < random_p99.mean - random_p99.half);
  }
}

TEST_CASE("validation: P partitions with uniform keys are P M/M/1 queues", "[validation]") {
  // 1,000 keys over 4 partitions (250 each), one one-worker instance per partition: each
  // partition is served one message at a time, an M/M/1 at λ/4.
  auto s = base(100000);
  const auto ps = publish_to_subscriber(s, 100000, {}, 1, {work_step(exp_ms(1))});
  s.topics[ps.topic].partitions = 4;
  auto& key = s.services[ps.pub].endpoints[0].steps.back().key;
  key.k = message_key::kind::uniform;
  key.values = 1000;
  s.services[ps.sub].instances = 4;
  add_workload(s, ps.pub, 3200);  // ρ = 0.8 per partition
  const auto laws = [](const scenario&, const run_result& r) {
    const auto& sub = r.topics[0].subscriptions[0];
    CHECK(sub.worst_partition_lag_ms_mean >= r.topics[0].lag_ms.mean);
    CHECK(r.topics[0].delivered == r.topics[0].published);
  };
  check_close("4 partitions, uniform keys, one consumer each, ρ=0.8: M/M/1 mean lag (ms)",
              replicate(
                  s, [](const run_result& r) { return r.topics[0].lag_ms.mean; }, laws),
              1 / (1.0 - 0.8));
}
