#include "distributed/worker.hpp"

#include <arpa/inet.h>

#include <caf/all.hpp>
#include <caf/io/middleman.hpp>
#include <chrono>
#include <condition_variable>
#include <deque>
#include <map>
#include <memory>
#include <mutex>
#include <set>
#include <thread>
#include <vector>

#include "distributed/canary.hpp"
#include "distributed/messages.hpp"
#include "distributed/result_codec.hpp"
#include "distributed/study_wire.hpp"

namespace svcsim {
namespace {

// A study as a worker holds it: the message and its files, the scenarios loaded on first use.
struct held_study {
  wire::study_msg msg;
  std::shared_ptr<const file_map> files;
  caf::actor_addr owner;            // the coordinator that sent it
  std::mutex lock;                  // guards `loaded` and the loading of st.scenarios
  study st;                         // study_frame(msg), its scenarios filled as loaded
  std::vector<std::string> loaded;  // per point: "" not yet, "ok", or why it cannot load
};

// Point p of `h`, loaded once; nullptr with `*error` set when it cannot be.
const scenario* point_of(held_study& h, int p, std::string* error) {
  std::lock_guard<std::mutex> lock(h.lock);
  if (p < 0 || p >= static_cast<int>(h.loaded.size())) {
    *error = "the study has no point " + std::to_string(p);
    return nullptr;
  }
  auto& state = h.loaded[static_cast<std::size_t>(p)];
  if (state.empty()) {
    auto s = load_point(h.msg, static_cast<std::size_t>(p), shipped_reader(h.files), error);
    state = s ? "ok" : *error;
    if (s) h.st.scenarios[static_cast<std::size_t>(p)] = std::move(*s);
  }
  if (state != "ok") {
    *error = state;
    return nullptr;
  }
  return &h.st.scenarios[static_cast<std::size_t>(p)];
}

struct queued_job {
  std::shared_ptr<held_study> study;
  wire::job_msg job;
  caf::actor reply_to;
};

// The threads that run jobs, one at a time each, in the order they came.
class job_runners {
 public:
  job_runners(int threads, const std::atomic<bool>& cancel) : cancel_(cancel) {
    for (int t = 0; t < threads; ++t) threads_.emplace_back([this] { work(); });
  }
  ~job_runners() { stop(); }

  void push(queued_job j) {
    std::lock_guard<std::mutex> lock(lock_);
    if (stopping_) return;
    queue_.push_back(std::move(j));
    changed_.notify_one();
  }

  // Drops the waiting jobs of a coordinator that left.
  void drop_of(const caf::actor_addr& owner) {
    std::lock_guard<std::mutex> lock(lock_);
    for (auto it = queue_.begin(); it != queue_.end();)
      it = it->study->owner == owner ? queue_.erase(it) : std::next(it);
  }

  // Drops the waiting jobs of a study that ended.
  void drop_of(const held_study* study) {
    std::lock_guard<std::mutex> lock(lock_);
    for (auto it = queue_.begin(); it != queue_.end();)
      it = it->study.get() == study ? queue_.erase(it) : std::next(it);
  }

  // (running, waiting) jobs.
  std::pair<int, int> load() {
    std::lock_guard<std::mutex> lock(lock_);
    return {running_, static_cast<int>(queue_.size())};
  }

  // Drops the waiting jobs and joins the threads (`cancel` ends the running ones).
  void stop() {
    {
      std::lock_guard<std::mutex> lock(lock_);
      stopping_ = true;
      queue_.clear();
      changed_.notify_all();
    }
    for (auto& t : threads_)
      if (t.joinable()) t.join();
  }

 private:
  void work() {
    for (;;) {
      queued_job j;
      {
        std::unique_lock<std::mutex> lock(lock_);
        changed_.wait(lock, [&] { return stopping_ || !queue_.empty(); });
        if (stopping_) return;
        j = std::move(queue_.front());
        queue_.pop_front();
        ++running_;
      }
      wire::job_done done;
      done.attempt = j.job.attempt;
      std::string error;
      const scenario* s = point_of(*j.study, j.job.point, &error);
      const auto spec = s ? spec_of(j.job, *s, &error) : std::nullopt;
      if (spec) {
        simulate_options o = j.study->st.options;  // max_in_flight: each run's, as sent
        o.cancel = &cancel_;
        const run_result r = run_one(j.study->st, *spec, o);
        if (!cancel_.load()) done.result = encode(r);
      } else {
        done.failure = error;
      }
      if (!cancel_.load()) caf::anon_send(j.reply_to, std::move(done));
      std::lock_guard<std::mutex> lock(lock_);
      --running_;
    }
  }

  const std::atomic<bool>& cancel_;
  std::mutex lock_;
  std::condition_variable changed_;
  std::deque<queued_job> queue_;
  int running_ = 0;
  bool stopping_ = false;
  std::vector<std::thread> threads_;
};

// Equal strings, in a time that does not tell how much of them matched.
bool same_secret(const std::string& a, const std::string& b) {
  unsigned char diff = a.size() == b.size() ? 0 : 1;
  for (std::size_t i = 0; i < a.size(); ++i)
    diff |= static_cast<unsigned char>(a[i] ^ (i < b.size() ? b[i] : 0));
  return diff == 0;
}

struct worker_state {
  const worker_options* options = nullptr;
  job_runners* runners = nullptr;
  std::uint64_t canary = 0;
  std::ostream* log = nullptr;
  std::map<std::uint64_t, std::shared_ptr<held_study>> studies;
  std::set<caf::actor_addr> owners;           // the studies' senders, monitored
  std::map<caf::node_id, std::string> names;  // coordinators greeted: their names for the log
  std::set<caf::node_id> refused;             // said once each
};

using worker_ptr = caf::stateful_actor<worker_state>*;

// Logs line(who) about the sender of the current message, who its address ("10.0.0.5:41234",
// as the middleman knows it) or else its node.
void say_about_sender(worker_ptr self, std::function<std::string(const std::string&)> line) {
  const auto sender = self->current_sender();
  const auto node = sender ? sender->node() : caf::node_id();
  const std::string by_node = "node " + caf::to_string(node);
  self->request(self->home_system().middleman().actor_handle(), std::chrono::seconds(5),
                caf::get_atom::value, node)
      .then(
          [self, line, by_node](const caf::node_id&, const std::string& host, std::uint16_t port) {
            *self->state.log << "svcsim worker: "
                             << line(host.empty() ? by_node : host + ":" + std::to_string(port))
                             << "\n"
                             << std::flush;
          },
          [self, line, by_node](caf::error&) {
            *self->state.log << "svcsim worker: " << line(by_node) << "\n" << std::flush;
          });
}

caf::behavior worker_actor(caf::stateful_actor<worker_state>* self, const worker_options* o,
                           job_runners* runners, std::uint64_t canary, std::ostream* log) {
  auto& st = self->state;
  st.options = o;
  st.runners = runners;
  st.canary = canary;
  st.log = log;
  // A study's sender that goes (its coordinator ended, or its connection was lost): its studies
  // and waiting runs go too. A study it ended itself is gone already.
  self->set_down_handler([self](caf::down_msg& d) {
    auto& st = self->state;
    st.owners.erase(d.source);
    int dropped = 0;
    for (auto it = st.studies.begin(); it != st.studies.end();)
      if (it->second->owner == d.source) {
        it = st.studies.erase(it);
        ++dropped;
      } else {
        ++it;
      }
    if (dropped == 0) return;
    st.runners->drop_of(d.source);
    const auto name = st.names.find(d.source.node());
    *st.log << "svcsim worker: coordinator "
            << (name != st.names.end() ? name->second : "node " + caf::to_string(d.source.node()))
            << " left during a study; its runs here are dropped\n"
            << std::flush;
  });
  // Whether the message's token is the worker's; a wrong one is said once per node.
  auto admitted = [self](const std::string& token) {
    auto& st = self->state;
    if (same_secret(token, st.options->token)) return true;
    const auto node = self->current_sender() ? self->current_sender()->node() : caf::node_id();
    if (st.refused.size() >= 1000) st.refused.clear();  // only for the log: bounded
    if (st.refused.insert(node).second)
      say_about_sender(self, [](const std::string& who) {
        return "refused a coordinator at " + who + ": wrong token";
      });
    return false;
  };
  return {
      [self, admitted](const wire::hello& h) {
        auto& st = self->state;
        wire::welcome w;
        w.version = st.options->version;
        w.wire = wire::wire_version;
        w.jobs = st.options->jobs;
        w.canary = st.canary;
        if (!admitted(h.token)) {
          w.refused = "wrong token";
          return w;
        }
        if (h.version != w.version || h.wire != w.wire) {
          w.refused = "this worker runs svcsim " + w.version + " (wire " + std::to_string(w.wire) +
                      "), the coordinator " + h.version + " (wire " + std::to_string(h.wire) + ")";
          say_about_sender(self, [h](const std::string& who) {
            return "refused a coordinator at " + who + ": it runs svcsim " + h.version + " (wire " +
                   std::to_string(h.wire) + ")";
          });
          return w;
        }
        const auto node = self->current_sender() ? self->current_sender()->node() : caf::node_id();
        say_about_sender(self, [self, node](const std::string& who) {
          auto& names = self->state.names;
          if (names.size() >= 1000) names.clear();  // only for the log: bounded
          names[node] = who;
          return "coordinator " + who + " connected";
        });
        return w;
      },
      [self, admitted](wire::study_msg& m) {
        if (!admitted(m.token)) return;
        auto h = std::make_shared<held_study>();
        h->owner = caf::actor_cast<caf::actor_addr>(self->current_sender());
        if (self->current_sender() && self->state.owners.insert(h->owner).second)
          self->monitor(self->current_sender());
        h->st = study_frame(m);
        h->st.scenarios.resize(m.points.size());
        h->loaded.resize(m.points.size());
        h->files = std::make_shared<const file_map>(m.files.begin(), m.files.end());
        m.files.clear();
        const auto id = m.id;
        const auto node = h->owner.node();
        const auto name = self->state.names.find(node);
        *self->state.log << "svcsim worker: a study from "
                         << (name != self->state.names.end() ? name->second
                                                             : "node " + caf::to_string(node))
                         << ": " << m.points.size() << " scenario(s), " << h->files->size()
                         << " file(s)\n"
                         << std::flush;
        h->msg = std::move(m);
        self->state.studies[id] = std::move(h);
      },
      [self, admitted](wire::job_msg& j) {
        if (!admitted(j.token)) return;
        auto& st = self->state;
        auto reply_to = caf::actor_cast<caf::actor>(self->current_sender());
        const auto it = st.studies.find(j.study);
        if (it == st.studies.end()) {
          self->send(reply_to,
                     wire::job_done{j.attempt, "", "no study " + std::to_string(j.study)});
          return;
        }
        st.runners->push({it->second, std::move(j), std::move(reply_to)});
      },
      [self](wire::end_study_atom, std::uint64_t id) {
        auto& st = self->state;
        const auto it = st.studies.find(id);
        if (it != st.studies.end() &&
            it->second->owner == caf::actor_cast<caf::actor_addr>(self->current_sender())) {
          st.runners->drop_of(it->second.get());
          st.studies.erase(it);
        }
      },
      [](wire::ping_atom) { return wire::pong_atom::value; },
  };
}

// A coordinator silent this long (stopped, unplugged) is dropped, with its studies. The
// worker's heartbeat is below the shortest silence a coordinator allows (5 s).
constexpr double coordinator_silence_s = 60;
constexpr double worker_heartbeat_s = 1;

bool loopback(const std::string& address) {
  in_addr v4{};
  return address == "localhost" || address == "::1" ||
         (inet_pton(AF_INET, address.c_str(), &v4) == 1 && (ntohl(v4.s_addr) >> 24) == 127);
}

}  // namespace

std::string refusal(const worker_options& o) {
  if (o.token.empty() && !loopback(o.bind))
    return "--bind " + o.bind +
           " listens beyond this machine, where anyone could send runs; give a --token (or "
           "SVCSIM_TOKEN) that coordinators must show";
  return o.tls.enabled() ? o.tls.check() : "";
}

int serve(const worker_options& o, const std::atomic<bool>& stop, std::ostream& log) {
  if (const std::string why = refusal(o); !why.empty()) {
    log << "svcsim worker: error: " << why << "\n";
    return 2;
  }
  caf::actor_system_config cfg;
  configure_transport(cfg, o.tls, worker_heartbeat_s, coordinator_silence_s);
  // CAF 0.17's ~actor_system waits for a large message to a stopped coordinator: armed at stop,
  // this exits the process, status 0, if the system is not gone 10 s later.
  struct watchdog {
    std::shared_ptr<std::atomic<bool>> gone = std::make_shared<std::atomic<bool>>(false);
    ~watchdog() { *gone = true; }
    void arm() const {
      std::thread([gone = gone] {
        for (int i = 0; i < 200 && !gone->load(); ++i)
          std::this_thread::sleep_for(std::chrono::milliseconds(50));
        if (gone->load()) return;
        std::fputs("svcsim worker: a connection did not close within 10 s of stopping; exiting\n",
                   stderr);
        std::_Exit(0);
      }).detach();
    }
  } shutdown;
  // Both outlive the system, whose destructor waits for the worker actor that uses them.
  std::atomic<bool> cancel{false};
  job_runners runners(o.jobs, cancel);
  caf::actor_system sys{cfg};
  const std::uint64_t canary = engine_canary();
  auto worker = sys.spawn(worker_actor, &o, &runners, canary, &log);
  const auto port = publish_worker(worker, o.port, o.bind, o.tls);
  if (!port) {
    log << "svcsim worker: error: cannot listen on " << o.bind << ":" << o.port << " ("
        << sys.render(port.error()) << ")\n";
    caf::anon_send_exit(worker, caf::exit_reason::user_shutdown);
    runners.stop();
    return 2;
  }
  log << "svcsim worker: listening on " << o.bind << ":" << *port << " (svcsim " << o.version
      << ", " << o.jobs << (o.jobs == 1 ? " job" : " jobs") << ", "
      << (o.tls.enabled() ? "TLS" : "plain TCP") << (o.token.empty() ? ", no token" : ", token")
      << ")\n"
      << std::flush;
  if (!loopback(o.bind) && !o.tls.enabled())
    log << "svcsim worker: warning: listening beyond this machine without TLS: the token and the "
           "scenarios cross the network in clear, and anyone who reaches the port can make CAF "
           "read a message of up to 4 GiB before the token is checked; give --tls-cert, "
           "--tls-key and --tls-ca (docs/distributed.md)\n";
  if (o.listening) o.listening(*port);
  while (!stop.load()) std::this_thread::sleep_for(std::chrono::milliseconds(50));
  const auto [running, waiting] = runners.load();
  log << "svcsim worker: stopping; " << running << " runs under way cancelled, " << waiting
      << " waiting dropped\n"
      << std::flush;
  shutdown.arm();
  cancel = true;
  runners.stop();
  sys.middleman().unpublish(worker, *port);
  caf::anon_send_exit(worker, caf::exit_reason::user_shutdown);
  return 0;
}

}  // namespace svcsim
