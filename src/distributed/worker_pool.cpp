#include "distributed/worker_pool.hpp"

#include <caf/all.hpp>
#include <caf/io/middleman.hpp>
#include <chrono>
#include <cstdio>
#include <map>
#include <mutex>
#include <random>
#include <set>
#include <thread>

#include "distributed/canary.hpp"
#include "distributed/job_board.hpp"
#include "distributed/messages.hpp"
#include "distributed/result_codec.hpp"
#include "distributed/study_wire.hpp"
#include "scenarios/load/units.hpp"

namespace svcsim {

std::vector<endpoint> parse_workers(const std::string& text, std::string* error) {
  std::vector<endpoint> out;
  std::size_t start = 0;
  while (start <= text.size()) {
    std::size_t end = text.find(',', start);
    if (end == std::string::npos) end = text.size();
    const std::string item(trim(std::string_view(text).substr(start, end - start)));
    start = end + 1;
    const auto colon = item.rfind(':');
    std::string host = colon == std::string::npos ? "" : item.substr(0, colon);
    const std::string port = colon == std::string::npos ? "" : item.substr(colon + 1);
    if (host.size() > 2 && host.front() == '[' && host.back() == ']')
      host = host.substr(1, host.size() - 2);
    const bool digits = !port.empty() && port.size() <= 5 &&
                        port.find_first_not_of("0123456789") == std::string::npos;
    const long number = digits ? std::stol(port) : 0;
    if (host.empty() || number < 1 || number > 65535) {
      *error = "'" + item + "' is not HOST:PORT; write e.g. 10.0.0.2:7000,10.0.0.3:7000";
      return {};
    }
    for (const auto& e : out)
      if (e.host == host && e.port == number) {
        *error = "'" + item + "' is listed twice; list each worker once";
        return {};
      }
    out.push_back({host, static_cast<std::uint16_t>(number)});
  }
  return out;
}

namespace {

using tick_atom = caf::atom_constant<caf::atom("tick")>;
using steady = std::chrono::steady_clock;

// A worker as the pool sees it, from its greeting on.
struct link {
  endpoint where;
  caf::actor handle;
  int capacity = 1;  // runs in flight at most
  bool lost = false;
  std::string why;  // why it was lost or left out
  int done = 0;     // runs whose result counted
};

}  // namespace

struct pool_state {
  pool_options o;
  file_map files;
  caf::actor_system_config cfg;
  std::unique_ptr<caf::actor_system> sys;
  // Guards the links' lost, why and done, and `here`. Never held while calling the board,
  // whose progress callback takes it (through tally()).
  mutable std::mutex lock;
  std::vector<link> links;
  int here = 0;
  std::mt19937_64 ids{std::random_device{}()};

  void say(const std::string& line) const {
    if (o.log) *o.log << "svcsim: " << line << "\n" << std::flush;
  }
  bool lost(std::size_t k) const {
    std::lock_guard<std::mutex> guard(lock);
    return links[k].lost;
  }
  void lose(std::size_t k, const std::string& why) {
    std::lock_guard<std::mutex> guard(lock);
    links[k].lost = true;
    links[k].why = why;
  }
  void count(link* l) {
    std::lock_guard<std::mutex> guard(lock);
    ++(l ? l->done : here);
  }
  // Connects to and greets `l`: sets its handle and capacity, or lost and why.
  void greet(link& l);
};

void pool_state::greet(link& l) {
  const auto reached = probe(l.where.host, l.where.port, o.connect_s);
  if (!reached.error.empty()) {
    l.lost = true;
    l.why = "cannot be reached (" + reached.error + ")";
    return;
  }
  auto handle = connect_worker(*sys, reached.address, l.where.port, o.tls, o.connect_s);
  if (!handle) {
    l.lost = true;
    l.why = "cannot be reached (" + sys->render(handle.error()) + ")";
    if (handle.error() == caf::sec::disconnect_during_handshake ||
        handle.error() == caf::sec::cannot_connect_to_node)
      l.why +=
          "; is TLS on at one end only, or is one end's certificate not signed by the "
          "other's --tls-ca?";
    return;
  }
  caf::scoped_actor self{*sys};
  wire::welcome w;
  std::string failed;
  self->request(*handle, std::chrono::milliseconds(static_cast<long>(o.connect_s * 1000)),
                wire::hello{SVCSIM_VERSION, wire::wire_version, o.token})
      .receive(
          [&](wire::welcome& x) { w = std::move(x); },
          [&](caf::error& e) { failed = "did not answer the greeting (" + sys->render(e) + ")"; });
  if (failed.empty() && !w.refused.empty()) failed = "refused us: " + w.refused;
  if (failed.empty() && (w.version != SVCSIM_VERSION || w.wire != wire::wire_version))
    failed = "runs svcsim " + w.version + " (wire " + std::to_string(w.wire) + "), this is " +
             SVCSIM_VERSION + " (wire " + std::to_string(wire::wire_version) + ")";
  if (failed.empty() && w.canary != engine_canary())
    failed = "computes other numbers than this svcsim (its engine differs: another build?)";
  if (failed.empty() && (w.jobs < 1 || w.jobs > 4096))
    failed = "answered garbage (" + std::to_string(w.jobs) + " jobs)";
  if (!failed.empty()) {
    l.lost = true;
    l.why = failed;
    return;
  }
  l.handle = std::move(*handle);
  l.capacity = 2 * w.jobs;
}

namespace {

// The coordinator of one study: hands its runs to the usable workers, takes their answers,
// pings them, and loses those that fail, giving their runs back to the board.
struct study_state {
  pool_state* pool = nullptr;
  std::shared_ptr<job_board> board;
  const study* st = nullptr;  // run_all's, which outlives the actor
  const std::vector<run_spec>* specs = nullptr;
  std::shared_ptr<const wire::study_msg> msg;
  std::uint64_t next_attempt = 1;
  std::map<std::uint64_t, std::pair<std::size_t, int>> attempts;  // attempt: (link, run)
  std::vector<std::set<int>> out;                                 // per link: its runs
  std::vector<steady::time_point> heard;                          // per link: its last answer
  steady::duration tick{};
  std::map<std::pair<int, int>, std::size_t> crash_failures;  // failures_of()'s
};

using study_actor = caf::stateful_actor<study_state>;

// How many failures the run of `spec` has: its scenario's, or with the crash with_crash()
// gives it (computed once per crashed party).
std::size_t failures_of(study_actor* self, const run_spec& spec) {
  auto& s = self->state;
  const scenario& point = s.st->scenarios[static_cast<std::size_t>(spec.point)];
  if (spec.crashed < 0) return point.failures.size();
  const auto key = std::make_pair(spec.point, spec.crashed);
  auto it = s.crash_failures.find(key);
  if (it == s.crash_failures.end()) {
    std::string replaced;
    it = s.crash_failures
             .emplace(key, with_crash(point, spec.crashed, s.st->window, &replaced).failures.size())
             .first;
  }
  return it->second;
}

std::string seconds(double s) {
  char buf[32];
  std::snprintf(buf, sizeof buf, "%g s", s);
  return buf;
}

// Sends link k runs until it holds its capacity or none waits.
void fill(study_actor* self, std::size_t k) {
  auto& s = self->state;
  const link& l = s.pool->links[k];
  while (!s.pool->lost(k) && static_cast<int>(s.out[k].size()) < l.capacity) {
    const auto run = s.board->take();
    if (!run) return;
    const auto attempt = s.next_attempt++;
    s.attempts[attempt] = {k, *run};
    s.out[k].insert(*run);
    self->send(l.handle, to_wire((*s.specs)[static_cast<std::size_t>(*run)], s.msg->id, attempt,
                                 s.pool->o.token));
  }
}

void fill_all(study_actor* self) {
  for (std::size_t k = 0; k < self->state.out.size(); ++k) fill(self, k);
}

// Link k is lost: said once, its runs back on the board for the others (or this machine).
void lose(study_actor* self, std::size_t k, const std::string& why) {
  auto& s = self->state;
  if (s.pool->lost(k)) return;
  s.pool->lose(k, why);
  const auto given_back = s.out[k].size();
  for (int run : s.out[k]) s.board->give_back(run);
  s.out[k].clear();
  for (auto it = s.attempts.begin(); it != s.attempts.end();)
    it = it->second.first == k ? s.attempts.erase(it) : std::next(it);
  self->demonitor(s.pool->links[k].handle);
  int usable = 0;
  for (std::size_t j = 0; j < s.out.size(); ++j) usable += !s.pool->lost(j);
  const bool here = s.pool->o.here;
  s.pool->say("worker " + s.pool->links[k].where.name() + " lost (" + why + "); " +
              std::to_string(given_back) + " of its runs go to " +
              (usable > 0 ? (here ? "the others and this machine" : "the others")
                          : (here ? "this machine" : "nobody")));
  if (usable == 0 && !here)
    s.board->fail("every worker is lost (the last: " + s.pool->links[k].where.name() + ", " + why +
                  ") and --no-local keeps this machine from running the rest; run again "
                  "with other --workers, or without --no-local");
  fill_all(self);
}

// Whether `r` can be the result of a run of scenario `s` (with `failures` failures, the crash
// included) that keeps its timeline, and watches requests or not: what the report writers
// index by the scenario's workloads, services, topics, subscriptions, instances and failures,
// and by the timeline's buckets, has those sizes. A run that threw carries its error only (the
// studies stop at it). A worker that passed the canary never fails this; a broken one must not
// make the writers read out of bounds.
bool fits(const run_result& r, const scenario& s, std::size_t failures, bool keeps_timeline,
          bool watched) {
  const auto same = [](const auto& v, std::size_t n) { return v.size() == n; };
  const auto empty_or = [](const auto& v, std::size_t n) { return v.empty() || v.size() == n; };
  if (!r.error.empty() && r.workloads.empty() && r.services.empty() && r.topics.empty())
    return true;
  bool ok = same(r.workloads, s.workloads.size()) && same(r.services, s.services.size()) &&
            same(r.topics, s.topics.size()) && same(r.watched, watched ? s.workloads.size() : 0) &&
            r.brokers.size() <= 1;
  for (std::size_t i = 0; ok && i < r.services.size(); ++i) {
    const auto n = static_cast<std::size_t>(s.services[i].instances);
    ok = same(r.services[i].instances, n > 1 ? n : 0);
  }
  for (std::size_t i = 0; ok && i < r.topics.size(); ++i)
    ok = same(r.topics[i].subscriptions, s.topics[i].subscribers.size());
  const timeline& t = r.timeline;
  if (!ok || !keeps_timeline)  // replications but the first carry none
    return ok && t.t_s.empty() && t.workloads.empty() && t.topics.empty() && t.windows.empty();
  const std::size_t buckets = t.t_s.size();
  ok = same(t.workloads, s.workloads.size()) && same(t.topics, s.topics.size()) &&
       same(t.windows, failures);
  for (const auto& w : t.workloads)
    ok = ok && same(w.sent, buckets) && same(w.ok, buckets) && same(w.failed, buckets) &&
         same(w.p50_ms, buckets) && same(w.p99_ms, buckets) && empty_or(w.rate_per_s, buckets);
  const auto series_fit = [&](const delivery_timeline& d) {
    return same(d.backlog_max, buckets) && same(d.delivered, buckets) && same(d.lost, buckets);
  };
  for (std::size_t i = 0; ok && i < t.topics.size(); ++i) {
    ok = series_fit(t.topics[i]) && same(t.topics[i].subscriptions, s.topics[i].subscribers.size());
    for (const auto& sub : t.topics[i].subscriptions) ok = ok && series_fit(sub);
  }
  for (const auto& w : t.windows) {
    const int party = w.failure.service;
    ok = ok && same(w.workloads, s.workloads.size()) && same(w.topics, s.topics.size()) &&
         party >= 0 && party <= s.broker_party() &&
         (party == s.broker_party() || w.failure.instance < s.services[party].instances);
    for (std::size_t i = 0; ok && i < w.topics.size(); ++i)
      ok = same(w.topics[i].subscriptions, s.topics[i].subscribers.size());
  }
  return ok;
}

caf::behavior study_coordinator(study_actor* self, study_state init) {
  self->state = std::move(init);
  auto& s = self->state;
  s.out.resize(s.pool->links.size());
  s.heard.assign(s.pool->links.size(), steady::now());
  self->set_down_handler([self](caf::down_msg& d) {
    auto& s = self->state;
    for (std::size_t k = 0; k < s.out.size(); ++k)
      if (s.pool->links[k].handle.address() == d.source) lose(self, k, "its connection was lost");
  });
  for (std::size_t k = 0; k < s.out.size(); ++k) {
    if (s.pool->lost(k)) continue;
    self->monitor(s.pool->links[k].handle);
    self->send(s.pool->links[k].handle, *s.msg);
  }
  fill_all(self);
  self->send(self, tick_atom::value);
  return {
      [self](wire::job_done& d) {
        auto& s = self->state;
        const auto it = s.attempts.find(d.attempt);
        if (it == s.attempts.end()) return;  // from a worker since lost
        const auto [k, run] = it->second;
        s.attempts.erase(it);
        s.out[k].erase(run);
        s.heard[k] = steady::now();
        run_result r;
        std::string error;
        if (!d.failure.empty()) {
          s.board->give_back(run);
          return lose(self, k, "could not run a job: " + d.failure);
        }
        const auto& spec = (*s.specs)[static_cast<std::size_t>(run)];
        const scenario& point = s.st->scenarios[static_cast<std::size_t>(spec.point)];
        if (!decode(d.result, r, &error) ||
            !fits(r, point, failures_of(self, spec), spec.replication == 0,
                  s.st->options.watch.has_value())) {
          s.board->give_back(run);
          return lose(
              self, k,
              "answered garbage: " + (error.empty() ? "a result of another scenario" : error));
        }
        if (s.board->finish(run, std::move(r))) s.pool->count(&s.pool->links[k]);
        fill(self, k);
      },
      [self](wire::pong_atom) {
        auto& s = self->state;
        for (std::size_t k = 0; k < s.out.size(); ++k)
          if (s.pool->links[k].handle.address() == self->current_sender()->address())
            s.heard[k] = steady::now();
      },
      [self](tick_atom) {
        auto& s = self->state;
        const auto now = steady::now();
        const auto stall = std::chrono::duration<double>(s.pool->o.stall_s);
        for (std::size_t k = 0; k < s.out.size(); ++k) {
          if (s.pool->lost(k)) continue;
          if (!s.out[k].empty() && now - s.heard[k] > stall) {
            lose(self, k, "silent for more than " + seconds(s.pool->o.stall_s));
            continue;
          }
          if (s.out[k].empty()) s.heard[k] = now;  // silence counts only while it holds runs
          self->send(s.pool->links[k].handle, wire::ping_atom::value);
        }
        self->delayed_send(self, s.tick, tick_atom::value);
      },
      [self](wire::end_study_atom) {
        auto& s = self->state;
        for (std::size_t k = 0; k < s.out.size(); ++k)
          if (!s.pool->lost(k))
            self->send(s.pool->links[k].handle, wire::end_study_atom::value, s.msg->id);
        self->quit();
      },
  };
}

}  // namespace

worker_pool::worker_pool(const pool_options& o, file_map files)
    : state_(std::make_unique<pool_state>()) {
  auto& p = *state_;
  p.o = o;
  p.files = std::move(files);
  // A worker stopped (SIGSTOP, a frozen VM) is dropped after at most this silence, or after
  // `stall` by the pings' account; not sooner, so that a busy machine's late heartbeat does not
  // cost a worker.
  const double silence = std::max(5.0, o.stall_s);
  configure_transport(p.cfg, o.tls, silence / 3, silence);
  p.sys = std::make_unique<caf::actor_system>(p.cfg);
  for (const auto& e : o.workers) p.links.push_back({e, {}, 1, false, "", 0});
  std::vector<std::thread> greeting;
  for (auto& l : p.links) greeting.emplace_back([&p, &l] { p.greet(l); });
  for (auto& t : greeting) t.join();
  for (const auto& l : p.links)
    if (l.lost) p.say("worker " + l.where.name() + " " + l.why + "; left out");
}

worker_pool::~worker_pool() = default;

int worker_pool::usable() const {
  std::lock_guard<std::mutex> guard(state_->lock);
  int n = 0;
  for (const auto& l : state_->links) n += !l.lost;
  return n;
}

std::string worker_pool::tally() const {
  std::lock_guard<std::mutex> guard(state_->lock);
  std::string out = "here " + std::to_string(state_->here);
  for (const auto& l : state_->links)
    out += ", " + l.where.name() + " " + std::to_string(l.done) + (l.lost ? " (lost)" : "");
  return out;
}

std::vector<run_result> worker_pool::run_all(const study& st, const std::vector<run_spec>& specs,
                                             const runs_done& done) const {
  auto& p = *state_;
  std::vector<bool> here_only;
  for (const auto& spec : specs) here_only.push_back(spec.traced);
  auto board = std::make_shared<job_board>(static_cast<int>(specs.size()), done, here_only);
  study_state init;
  init.pool = &p;
  init.board = board;
  init.st = &st;
  init.specs = &specs;
  const int threads_here = std::max(1, std::min(p.o.jobs, static_cast<int>(specs.size())));
  const simulate_options options = thread_share(st.options, threads_here);
  auto msg = to_wire(st, p.files, p.ids(), p.o.token);
  msg.max_in_flight = options.max_in_flight;
  init.msg = std::make_shared<const wire::study_msg>(std::move(msg));
  init.tick = std::chrono::duration_cast<steady::duration>(
      std::chrono::duration<double>(std::min(1.0, p.o.stall_s / 4)));
  if (usable() == 0 && !p.o.here)
    board->fail("no worker of --workers can be used, and --no-local keeps this machine out");
  const auto coordinator = p.sys->spawn(study_coordinator, std::move(init));
  std::vector<std::thread> threads;
  const int local = p.o.here ? threads_here : 0;
  for (int t = 0; t < local; ++t)
    threads.emplace_back([&] {
      while (const auto run = board->take_or_wait())
        if (board->finish(*run, run_one(st, specs[static_cast<std::size_t>(*run)], options)))
          p.count(nullptr);
    });
  const std::string error = board->wait();
  {  // the coordinator uses `st` and `specs`: it ends before they do
    caf::scoped_actor self{*p.sys};
    self->monitor(coordinator);
    self->send(coordinator, wire::end_study_atom::value);
    self->receive([](const caf::down_msg&) {});
  }
  for (auto& t : threads) t.join();
  auto results = board->results();
  if (!error.empty())
    for (std::size_t i = 0; i < results.size(); ++i)
      if (!board->done(static_cast<int>(i))) results[i].error = error;
  return results;
}

}  // namespace svcsim
