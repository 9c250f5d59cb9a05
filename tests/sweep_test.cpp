// The sweep's grid (lists, ranges as exact decimals, order, limits) and its knees on a queue
// worked out by hand.
#include "studies/sweep.hpp"

#include <catch2/catch.hpp>
#include <string>
#include <vector>

#include "scenarios/load/loader.hpp"
#include "studies/sweep_grid.hpp"

using namespace svcsim;

TEST_CASE("sweep grid: lists split outside brackets, ranges are exact decimals in their unit") {
  std::string error;
  CHECK(expand_values("poisson(100/s),uniform(1ms, 3ms), 5", &error) ==
        std::vector<std::string>{"poisson(100/s)", "uniform(1ms, 3ms)", "5"});
  CHECK(expand_values("50/s..200/s step 50/s", &error) ==
        std::vector<std::string>{"50/s", "100/s", "150/s", "200/s"});
  CHECK(expand_values("0.1..0.5 step 0.1", &error) ==
        std::vector<std::string>{"0.1", "0.2", "0.3", "0.4", "0.5"});
  CHECK(expand_values("1ms..2ms step 0.25ms", &error) ==
        std::vector<std::string>{"1ms", "1.25ms", "1.5ms", "1.75ms", "2ms"});
  CHECK(expand_values("1..8 step 3", &error) == std::vector<std::string>{"1", "4", "7"});
  CHECK(error.empty());
  expand_values("50/s..600ms step 50/s", &error);
  CHECK(error ==
        "the range '50/s..600ms step 50/s' mixes units ('/s', 'ms', '/s'); give all three in "
        "one unit, e.g. '50/s..600/s step 50/s' or '1..8 step 1'");
  // Review: a range without its step, tabs, and more digits than fit were misread.
  expand_values("50/s..600/s", &error);
  CHECK(error ==
        "the range '50/s..600/s' has no step; write A..B step S, e.g. '50/s..600/s step 50/s' "
        "or '1..8 step 1'");
  CHECK(expand_values("1..3\tstep\t1", &error) == std::vector<std::string>{"1", "2", "3"});
  expand_values("100000000000000..100000000000000 step 0.000001", &error);
  CHECK(error ==
        "the range '100000000000000..100000000000000 step 0.000001' has more digits than a "
        "range can step through exactly; use fewer decimals or smaller numbers, e.g. "
        "'50/s..600/s step 50/s' or '1..8 step 1'");
  expand_values("600/s..50/s step 50/s", &error);
  CHECK(error ==
        "the range '600/s..50/s step 50/s' runs backwards; write the smaller end first: "
        "'50/s..600/s step 50/s'");
  expand_values("1..8 step 0", &error);
  CHECK(error ==
        "the range '1..8 step 0' has a step of 0; the step must be above 0, e.g. "
        "'50/s..600/s step 50/s' or '1..8 step 1'");
  expand_values("-1..8 step 1", &error);
  CHECK(error ==
        "the range '-1..8 step 1' has a negative end; sweep values from 0 up, e.g. "
        "'50/s..600/s step 50/s' or '1..8 step 1'");
  expand_values("1,,2", &error);
  CHECK(error ==
        "the values '1,,2' hold an empty one; write values between the commas, e.g. "
        "'100/s,200/s', or a range, e.g. '50/s..600/s step 50/s' or '1..8 step 1'");
}

TEST_CASE("sweep grid: the cartesian product, the last key fastest; too many points refused") {
  std::string error;
  const auto points = sweep_points({{"a", {"1", "2"}}, {"b", {"x", "y", "z"}}}, &error);
  CHECK(points == std::vector<std::vector<std::string>>{
                      {"1", "x"}, {"1", "y"}, {"1", "z"}, {"2", "x"}, {"2", "y"}, {"2", "z"}});
  sweep_points(
      {{"a", std::vector<std::string>(200, "1")}, {"b", std::vector<std::string>(51, "1")}},
      &error);
  CHECK(error ==
        "the sweep would have more than 10000 points (the product of the numbers of values of "
        "its keys); give fewer values or take larger steps");
  sweep_points({{"a", {"1"}}, {"a", {"2"}}}, &error);
  CHECK(error ==
        "--set a is given twice; give each key once, with all its values: --set a=V1,V2,...");
}

TEST_CASE("sweep: the knee of an M/M/1 queue is where p99 passes 3x its first value") {
  // One worker, exp(10ms) work: mu = 100/s. The p99 of an M/M/1 sojourn time is
  // ln(100) / (mu - lambda): 57.6 ms at 20/s, 70.8 at 35/s, 92.1 at 50/s, 131.6 at 65/s (2.3x),
  // 230.3 at 80/s (4.0x). 3 x 57.6 ms = 172.7 ms is crossed between 65/s and 80/s: the knee is
  // 80/s, point 4.
  const std::string mm1 = R"(name: mm1
seed: 7
duration: 300s
warmup: 20s
services:
  s:
    workers: 1
    endpoints:
      e: {work: exp(10ms)}
workloads:
  - name: w
    target: s.e
    arrivals: poisson(20/s)
)";
  std::string error;
  const auto axis = parse_sweep_axis("workloads.w.rate=20/s..95/s step 15/s", &error);
  REQUIRE(error.empty());
  const auto points = sweep_points({axis}, &error);
  std::vector<scenario> scenarios;
  for (const auto& p : points) {
    auto r = parse_scenario(mm1, "mm1.yaml", {{axis.key, p[0]}});
    REQUIRE(r.value);
    scenarios.push_back(*r.value);
  }
  sweep_options options;
  options.modes = {mode::sync};
  options.jobs = 2;
  const auto r = run_sweep(scenarios, {axis.key}, points, options);
  REQUIRE(r.error.empty());
  REQUIRE(r.knees.size() == 1);
  CHECK(r.knees[0].point == 4);
  CHECK(r.knees[0].bottleneck == "s");
  CHECK(r.knees[0].why.rfind("p99 of w ", 0) == 0);
  CHECK(r.summary == "sync saturates at 80/s (s)");
}

TEST_CASE("sweep: the summary names points of several keys as key=value, modes apart by ';'") {
  sweep_result r;
  r.keys = {"a", "b"};
  r.points = {{{"1", "x"}, {}}, {{"2", "y"}, {}}};
  sweep_knee sync, async;
  sync.point = 1;
  sync.bottleneck = "email";
  async.mode = mode::async;
  r.knees = {sync, async};
  CHECK(knee_summary(r) == "sync saturates at a=2, b=y (email); async holds up to a=2, b=y");
  r.keys = {"a"};
  r.points = {{{"50/s"}, {}}, {{"100/s"}, {}}};
  async.point = 0;
  async.bottleneck = "broker";
  r.knees = {sync, async};
  CHECK(knee_summary(r) == "sync saturates at 100/s (email), async at 50/s (broker)");
  // Each sign has its verb; the second mode says its own when it differs.
  r.knees[1].sign = knee_sign::backlog;
  CHECK(knee_summary(r) == "sync saturates at 100/s (email), async falls behind at 50/s (broker)");
  r.knees[0].sign = knee_sign::availability;
  CHECK(knee_summary(r) ==
        "sync loses requests at 100/s (email), async falls behind at 50/s (broker)");
}
