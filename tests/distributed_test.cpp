// Runs on worker nodes (src/distributed/): the job board's accounting, the study on the wire and
// back, and workers served in this process on loopback: their results equal this machine's byte
// for byte; a wrong token, another version, a worker answering garbage or falling silent, and
// losing every worker under --no-local. Every wait is bounded, so a hang fails the test.
#include <caf/all.hpp>
#include <caf/io/middleman.hpp>
#include <catch2/catch.hpp>
#include <chrono>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <future>
#include <sstream>
#include <thread>

#include "distributed/canary.hpp"
#include "distributed/job_board.hpp"
#include "distributed/messages.hpp"
#include "distributed/result_codec.hpp"
#include "distributed/study_wire.hpp"
#include "distributed/worker.hpp"
#include "distributed/worker_pool.hpp"
#include "scenarios/load/loader.hpp"
#include "studies/blast_radius.hpp"
#include "studies/replicate.hpp"
#include "studies/sweep.hpp"
#include "temp_folder.hpp"

using namespace svcsim;
namespace fs = std::filesystem;

namespace {

// A scenario whose work, and its broker's, are empirical data in files beside it, so a worker
// needs all three files.
struct scenario_dir {
  testing::temp_folder folder{"svcsim-distributed"};
  fs::path dir = folder.path();
  std::string file;
  scenario_dir() {
    file = (dir / "shop.yaml").string();
    std::ofstream(dir / "work.csv") << "ms\n1\n2\n3\n5\n8\n";
    std::ofstream(dir / "broker.csv") << "0.1\n0.2\n0.4\n";
    std::ofstream(file) << R"(name: shop
seed: 3
duration: 2s
broker:
  work: {deliver: empirical(broker.csv)}
services:
  api:
    workers: 3
    endpoints:
      order: {work: empirical(work.csv), steps: [{notify: order.placed}, {work: 1ms}]}
  ledger:
    workers: 2
    subscribes:
      order.placed: {work: exp(4ms)}
  audit:
    subscribes:
      order.placed: {work: 2ms}
workloads:
  - {name: orders, target: api.order, arrivals: poisson(150/s)}
)";
  }
  scenario load(const file_reader& reader, const std::vector<setting>& settings = {}) const {
    auto r = load_scenario(file, settings, reader);
    INFO(r.error);
    REQUIRE(r.value);
    return *r.value;
  }
};

// A worker served on a thread of this process, on a free loopback port.
struct served_worker {
  std::atomic<bool> stop{false};
  std::ostringstream log;
  std::uint16_t port = 0;
  std::thread thread;
  std::future<int> status;

  explicit served_worker(worker_options o) {
    std::promise<std::uint16_t> listening;
    auto port_ready = listening.get_future();
    o.listening = [&listening](std::uint16_t p) { listening.set_value(p); };
    std::packaged_task<int()> task([this, o] { return serve(o, stop, log); });
    status = task.get_future();
    thread = std::thread(std::move(task));
    REQUIRE(port_ready.wait_for(std::chrono::seconds(20)) == std::future_status::ready);
    port = port_ready.get();
  }
  ~served_worker() {
    stop = true;
    if (status.wait_for(std::chrono::seconds(20)) != std::future_status::ready) std::abort();
    thread.join();
  }
  endpoint where() const { return {"127.0.0.1", port}; }
};

worker_options options_with(int jobs, const std::string& token = "s3cret") {
  worker_options o;
  o.jobs = jobs;
  o.token = token;
  return o;
}

pool_options pool_of(std::vector<endpoint> workers, std::ostream* log, int local_jobs = 0,
                     const std::string& token = "s3cret") {
  pool_options p;
  p.workers = std::move(workers);
  p.token = token;
  p.jobs = std::max(1, local_jobs);
  p.here = local_jobs > 0;
  p.stall_s = 5;
  p.connect_s = 10;
  p.log = log;
  return p;
}

// Every result encoded, wall time aside: equal strings mean equal reports.
std::vector<std::string> encoded(std::vector<run_result> runs) {
  std::vector<std::string> out;
  for (auto& r : runs) {
    r.wall_time_s = 0;
    out.push_back(encode(r));
  }
  return out;
}

// A fake worker: greets like a real one, then answers jobs with `answer` (none: silence) and
// pings only when `pongs`.
struct fake_worker {
  caf::actor_system_config cfg;
  std::unique_ptr<caf::actor_system> sys;
  std::uint16_t port = 0;
  caf::actor actor;
  fake_worker(std::function<std::optional<wire::job_done>(const wire::job_msg&)> answer,
              bool pongs) {
    configure_transport(cfg, {}, 1, 60);
    sys = std::make_unique<caf::actor_system>(cfg);
    actor = sys->spawn([answer, pongs](caf::event_based_actor* self) -> caf::behavior {
      return {
          [](const wire::hello&) {
            return wire::welcome{"", SVCSIM_VERSION, wire::wire_version, 1, engine_canary()};
          },
          [](const wire::study_msg&) {},
          [self, answer](const wire::job_msg& j) {
            if (auto d = answer(j))
              self->send(caf::actor_cast<caf::actor>(self->current_sender()), *d);
          },
          [self, pongs](wire::ping_atom) {
            if (pongs)
              self->send(caf::actor_cast<caf::actor>(self->current_sender()),
                         wire::pong_atom::value);
          },
          [](wire::end_study_atom, std::uint64_t) {},
      };
    });
    auto p = publish_worker(actor, 0, "127.0.0.1", {});
    REQUIRE(p);
    port = *p;
  }
  ~fake_worker() {
    sys->middleman().close(port);
    caf::anon_send_exit(actor, caf::exit_reason::user_shutdown);
  }
};

}  // namespace

TEST_CASE(
    "job board: runs given back wait again; a run's first result counts, a late one is dropped",
    "[distributed]") {
  int progress = 0;
  job_board board(3, [&](int done, int) { progress = done; }, {false, true, false});
  CHECK(board.take() == 0);
  CHECK(board.take() == 2);  // run 1 is this machine's only
  CHECK_FALSE(board.take());
  board.give_back(0);
  CHECK(board.take() == 0);
  run_result r;
  r.events = 7;
  CHECK(board.finish(0, r));
  CHECK_FALSE(board.finish(0, run_result{}));  // a second answer for run 0: dropped
  board.give_back(0);                          // done: stays done
  CHECK(board.take_or_wait() == 1);
  CHECK(board.finish(1, run_result{}));
  board.give_back(2);                    // lost with its worker ...
  CHECK(board.finish(2, run_result{}));  // ... and answered after all: not run again
  CHECK_FALSE(board.take());
  CHECK(board.wait().empty());
  CHECK(progress == 3);
  CHECK(board.results()[0].events == 7);
}

TEST_CASE("job board: a failed board wakes its waiting threads with the reason", "[distributed]") {
  job_board board(1, nullptr);
  REQUIRE(board.take() == 0);
  auto waiting = std::async(std::launch::async, [&] { return board.take_or_wait(); });
  CHECK(waiting.wait_for(std::chrono::milliseconds(50)) == std::future_status::timeout);
  board.fail("every worker is lost");
  REQUIRE(waiting.wait_for(std::chrono::seconds(5)) == std::future_status::ready);
  CHECK_FALSE(waiting.get());
  CHECK(board.wait() == "every worker is lost");
}

TEST_CASE("worker lists: HOST:PORT lists, IPv6 in brackets; anything else refused with an example",
          "[distributed]") {
  std::string error;
  const auto w = parse_workers("10.0.0.2:7000, [::1]:7001 ,node-3:65535", &error);
  REQUIRE(error.empty());
  REQUIRE(w.size() == 3);
  CHECK(w[0].name() == "10.0.0.2:7000");
  CHECK(w[1].host == "::1");
  CHECK(w[2].port == 65535);
  const std::pair<const char*, const char*> bad[] = {{"", ""},
                                                     {"10.0.0.2", "10.0.0.2"},
                                                     {"10.0.0.2:0", "10.0.0.2:0"},
                                                     {"h:70000", "h:70000"},
                                                     {":7000", ":7000"},
                                                     {"h:7000,", ""},
                                                     {"a:1,h:7x", "h:7x"}};
  for (const auto& [text, item] : bad) {
    error.clear();
    CHECK(parse_workers(text, &error).empty());
    CHECK(error ==
          "'" + std::string(item) + "' is not HOST:PORT; write e.g. 10.0.0.2:7000,10.0.0.3:7000");
  }
  CHECK(parse_workers("a:1,b:2, a:1", &error).empty());
  CHECK(error == "'a:1' is listed twice; list each worker once");
}

TEST_CASE(
    "study on the wire: a worker loads the points from the shipped files only, and runs "
    "them as here",
    "[distributed]") {
  scenario_dir d;
  file_recorder files;
  study st;
  st.scenarios = {d.load(files.reader(), {{"services.ledger.workers", "2"}})};
  st.scenarios[0].seed = 99;  // as --seed sets it
  st.options.bucket = 500000000;
  const auto m = to_wire(st, files.files(), 5, "t");
  CHECK(m.files.size() == 3);  // the scenario, work.csv and broker.csv
  const auto shipped = std::make_shared<const file_map>(m.files.begin(), m.files.end());
  std::string error;
  auto there = study_frame(m);
  auto point = load_point(m, 0, shipped_reader(shipped), &error);
  INFO(error);
  REQUIRE(point);
  CHECK(point->seed == 99);
  there.scenarios = {*point};
  run_spec spec{0, design_of(mode::async), 2, 1};
  const auto job = to_wire(spec, 5, 1, "t");
  const auto back = spec_of(job, *point, &error);
  REQUIRE(back);
  CHECK(encoded({run_one(there, *back, there.options)}) ==
        encoded({run_one(st, spec, st.options)}));
  // Without work.csv the worker cannot load the point: it reads no file of its own.
  auto missing = std::make_shared<file_map>(*shipped);
  missing->erase((d.dir / "work.csv").string());
  CHECK_FALSE(load_point(m, 0, shipped_reader(missing), &error));
  CHECK(error.find("cannot read empirical data 'work.csv' (No such file or directory)") !=
        std::string::npos);
  // A job that does not fit the scenario is refused, never run.
  auto bad = job;
  bad.crashed = 17;
  CHECK_FALSE(spec_of(bad, *point, &error));
}

TEST_CASE(
    "workers: a sweep, replications and a coupling study through two workers equal this "
    "machine's results byte for byte",
    "[distributed]") {
  scenario_dir d;
  served_worker a(options_with(1)), b(options_with(2));
  file_recorder files;
  std::vector<scenario> points;
  std::vector<std::vector<std::string>> values;
  for (const char* rate : {"100/s", "200/s"}) {
    points.push_back(d.load(files.reader(), {{"workloads.orders.rate", rate}}));
    values.push_back({rate});
  }
  std::ostringstream log;
  worker_pool pool(pool_of({a.where(), b.where()}, &log), files.files());
  REQUIRE(pool.usable() == 2);

  sweep_options local, remote;
  local.replications = remote.replications = 2;
  local.jobs = 2;
  remote.executor = &pool;
  const auto here = run_sweep(points, {"workloads.orders.rate"}, values, local);
  const auto there = run_sweep(points, {"workloads.orders.rate"}, values, remote);
  REQUIRE(there.error.empty());
  REQUIRE(here.points.size() == there.points.size());
  for (std::size_t p = 0; p < here.points.size(); ++p)
    for (std::size_t m = 0; m < here.points[p].runs.replicas.size(); ++m)
      CHECK(encoded(here.points[p].runs.replicas[m]) == encoded(there.points[p].runs.replicas[m]));
  CHECK(here.summary == there.summary);

  const auto reps_here = replicate(points[0], design_of(mode::sync), 3, thread_executor(1));
  const auto reps_there = replicate(points[0], design_of(mode::sync), 3, pool);
  CHECK(encoded(reps_here) == encoded(reps_there));

  const auto w = choose_window(points[1], std::nullopt);
  const auto b_here = measure_blast_radius(points[1], w, 2);
  const auto b_there = measure_blast_radius(points[1], w, pool);
  REQUIRE(b_there.error.empty());
  REQUIRE(b_there.rows.size() == b_here.rows.size());
  for (std::size_t r = 0; r < b_here.rows.size(); ++r)
    for (int m = 0; m < 2; ++m)
      for (std::size_t k = 0; k < b_here.rows[r].cells[m].size(); ++k) {
        const auto &x = b_here.rows[r].cells[m][k], &y = b_there.rows[r].cells[m][k];
        CHECK(x.window_ok == y.window_ok);
        CHECK(x.availability == y.availability);
        CHECK(x.catch_up_s == y.catch_up_s);
      }
  // Both workers took runs; this machine none (no local threads).
  const auto tally = pool.tally();
  CHECK(tally.rfind("here 0, ", 0) == 0);
  CHECK(tally.find(a.where().name() + " 0") == std::string::npos);
  CHECK(tally.find(b.where().name() + " 0") == std::string::npos);
  CHECK(log.str().empty());
}

TEST_CASE("workers: a wrong token and another svcsim version are refused, and say why",
          "[distributed]") {
  served_worker good(options_with(1, "right")), other_version([] {
    auto o = options_with(1, "s3cret");
    o.version = "0.0.0-other";
    return o;
  }());
  std::ostringstream log;
  worker_pool pool(pool_of({good.where(), other_version.where()}, &log, 0, "wrong"), {});
  CHECK(pool.usable() == 0);
  const std::string said = log.str();
  CHECK(said.find("svcsim: worker " + good.where().name() + " refused us: wrong token; left out") !=
        std::string::npos);
  CHECK(said.find("svcsim: worker " + other_version.where().name()) != std::string::npos);
  // The other-version worker checks the token first: it refuses "wrong" as well.
  worker_pool right(pool_of({other_version.where()}, &log), {});
  CHECK(right.usable() == 0);
  const std::string wire = " (wire " + std::to_string(wire::wire_version) + ")";
  CHECK(log.str().find("svcsim: worker " + other_version.where().name() +
                       " refused us: this worker runs svcsim 0.0.0-other" + wire +
                       ", the coordinator " SVCSIM_VERSION + wire + "; left out") !=
        std::string::npos);
  // The worker logs the refusal, never the token.
  CHECK(good.log.str().find("refused a coordinator") != std::string::npos);
  CHECK(good.log.str().find("wrong token") != std::string::npos);
  CHECK(good.log.str().find("\"wrong\"") == std::string::npos);
  CHECK(good.log.str().find(": wrong\n") == std::string::npos);
}

TEST_CASE(
    "workers: one answering garbage, one a result of another shape, one falling silent "
    "are lost; their runs run elsewhere, each counted once",
    "[distributed]") {
  scenario_dir d;
  file_recorder files;
  const scenario s = d.load(files.reader());
  fake_worker garbage(
      [](const wire::job_msg& j) {
        return wire::job_done{j.attempt, "SVR1 not a result", ""};
      },
      true);
  auto misshapen_result = simulate(s, mode::async);
  misshapen_result.timeline.topics[0].subscriptions.pop_back();  // the writers would index it
  fake_worker misshapen(
      [bytes = encode(misshapen_result)](const wire::job_msg& j) {
        return wire::job_done{j.attempt, bytes, ""};
      },
      true);
  fake_worker silent([](const wire::job_msg&) { return std::nullopt; }, false);
  served_worker real(options_with(1));
  std::ostringstream log;
  auto p = pool_of({{"127.0.0.1", garbage.port},
                    {"127.0.0.1", misshapen.port},
                    {"127.0.0.1", silent.port},
                    real.where()},
                   &log, 1);
  p.stall_s = 2;  // long enough for the real worker under a loaded, sanitized build
  worker_pool pool(p, files.files());
  REQUIRE(pool.usable() == 4);
  int calls = 0, last = 0;
  const auto there = replicate(s, design_of(mode::async), 6, pool, {},
                               [&](int done, int) { ++calls, last = done; });
  CHECK(encoded(there) == encoded(replicate(s, design_of(mode::async), 6, thread_executor(2))));
  CHECK(calls == 6);  // each run counted once
  CHECK(last == 6);
  const std::string said = log.str();
  const auto lost = [&](const fake_worker& w, const std::string& why) {
    return said.find("worker 127.0.0.1:" + std::to_string(w.port) + " lost (" + why) !=
           std::string::npos;
  };
  CHECK(lost(garbage, "answered garbage: "));
  CHECK(lost(misshapen, "answered garbage: a result of another scenario)"));
  CHECK(lost(silent, "silent for more than 2 s)"));
  CHECK(pool.usable() == 1);
}

TEST_CASE("workers: with every worker lost and no local threads the study fails, saying so",
          "[distributed]") {
  scenario_dir d;
  file_recorder files;
  const scenario s = d.load(files.reader());
  fake_worker silent([](const wire::job_msg&) { return std::nullopt; }, false);
  std::ostringstream log;
  auto p = pool_of({{"127.0.0.1", silent.port}}, &log);
  p.stall_s = 0.3;
  worker_pool pool(p, files.files());
  const auto runs = replicate(s, design_of(mode::sync), 2, pool);
  for (const auto& r : runs)
    CHECK(r.error.find("every worker is lost (the last: 127.0.0.1:" + std::to_string(silent.port) +
                       ", silent for more than 0.3 s) and --no-local keeps this machine from "
                       "running the rest") != std::string::npos);
}

TEST_CASE("workers: a run beyond its share of max_in_flight fails there as it fails here",
          "[distributed]") {
  scenario_dir d;
  served_worker a(options_with(4));
  file_recorder files;
  const scenario s = d.load(files.reader());
  std::ostringstream log;
  auto p = pool_of({a.where()}, &log);
  p.jobs = 2;  // as --jobs 2 --no-local: each run gets half of max_in_flight, as here
  worker_pool pool(p, files.files());
  simulate_options o;
  o.max_in_flight = 4;
  const auto here = replicate(s, design_of(mode::sync), 3, thread_executor(2), o);
  REQUIRE_FALSE(here[0].error.empty());
  CHECK(here[0].error.find("more than 2 requests") != std::string::npos);
  CHECK(encoded(replicate(s, design_of(mode::sync), 3, pool, o)) == encoded(here));
}

TEST_CASE("workers: a run that threw there comes back with its error and costs no worker",
          "[distributed]") {
  scenario_dir d;
  file_recorder files;
  const scenario s = d.load(files.reader());
  run_result threw;
  threw.error = "out of memory";  // all run_one() keeps of a simulate() that threw
  fake_worker thrower(
      [bytes = encode(threw)](const wire::job_msg& j) {
        return wire::job_done{j.attempt, bytes, ""};
      },
      true);
  std::ostringstream log;
  worker_pool pool(pool_of({{"127.0.0.1", thrower.port}}, &log), files.files());
  const auto runs = replicate(s, design_of(mode::sync), 2, pool);
  CHECK(runs[1].error == "replication 1 (--seed " + std::to_string(replication_seed(s.seed, 1)) +
                             "): out of memory");
  CHECK(pool.usable() == 1);
  CHECK(log.str().empty());
}
