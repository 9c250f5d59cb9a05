#include "cli/commands.hpp"

#include <sys/ioctl.h>
#include <unistd.h>

#include <CLI/CLI.hpp>
#include <algorithm>
#include <atomic>
#include <chrono>
#include <cmath>
#include <csignal>
#include <cstdio>
#include <filesystem>
#include <new>
#include <ostream>
#include <stdexcept>
#include <thread>

#include "actors/simulate.hpp"
#include "cli/output.hpp"
#include "cli/trace_file.hpp"
#include "distributed/shipped_files.hpp"
#include "distributed/worker.hpp"
#include "distributed/worker_pool.hpp"
#include "engine/dependency_graph.hpp"
#include "infer/infer.hpp"
#include "infer/read_traces.hpp"
#include "infer/scenario_writer.hpp"
#include "report/describe.hpp"
#include "report/format.hpp"
#include "report/formats.hpp"
#include "report/graph_report.hpp"
#include "scenarios/load/designs.hpp"
#include "scenarios/load/loader.hpp"
#include "scenarios/load/suggest.hpp"
#include "scenarios/load/units.hpp"
#include "studies/blast_radius.hpp"
#include "studies/replicate.hpp"
#include "studies/sweep.hpp"
#include "studies/sweep_grid.hpp"
#include "traces/waterfall.hpp"

namespace svcsim {
namespace {

struct cli_options {
  std::string file;
  std::string mode;
  std::string clock = "virtual";
  std::string seed;
  std::string format = report_formats.front().name;
  std::string output;
  bool quiet = false;
  int replications = 1;
  int jobs = 0;
  std::string window;
  std::string bucket;  // empty: fit_bucket()'s default
  std::string graph_format = graph_formats.front().name;
  std::vector<std::string> sets;     // --set, as given
  std::vector<std::string> designs;  // --design, as given
  double knee_factor = 3;
  std::uint64_t trace_sample = 0;             // --trace-sample
  std::vector<std::uint64_t> trace_requests;  // --trace-requests
  std::string traces;                         // --traces FILE
  std::string traces_format = "otlp";
  std::uint64_t request = 0;             // trace --request
  double percentile = 0;                 // trace --percentile; 0: not given (100)
  std::vector<std::string> trace_files;  // infer: the trace files
  std::string work = "fit";              // infer: fit or empirical
  std::string sampling;                  // infer: each request's chance of being traced, or ""
  std::string name;                      // infer: the scenario's name, or ""
  std::string report;                    // infer: the problems report as JSON, or ""
  std::string workers;                   // --workers HOST:PORT,...
  bool no_local = false;                 // --no-local
  std::string worker_timeout = "30s";    // --worker-timeout
  std::string token;                     // --token, or SVCSIM_TOKEN
  tls_options tls;                       // --tls-cert, --tls-key, --tls-ca
  int port = 0;                          // worker --port
  std::string bind = "127.0.0.1";        // worker --bind
};

// Where a command's runs go: this machine's threads, or with --workers worker nodes too. The
// scenario files are read through files.reader(), which keeps them to ship to the workers.
struct run_place {
  file_recorder files;
  std::unique_ptr<worker_pool> pool;
  std::unique_ptr<thread_executor> threads;
  const run_executor& executor() const {
    return pool ? static_cast<const run_executor&>(*pool) : *threads;
  }
};

struct io {
  std::ostream& out;
  std::ostream& err;
  run_place place;  // closed by close_place() once the command has its exit status
};

// Bad usage: the message, exit status 2.
int usage_error(io& io, const std::string& what) {
  io.err << "svcsim: error: " << what << "\n";
  return 2;
}

// The file with `settings` over it, and --seed; errors and warnings said on stderr.
std::optional<scenario> load(const cli_options& o, io& io, const std::vector<setting>& settings,
                             const file_reader& reader = {}) {
  auto loaded = load_scenario(o.file, settings, reader);
  if (!loaded.value) {
    io.err << loaded.error << "\n";
    return std::nullopt;
  }
  for (const auto& w : loaded.value->warnings) io.err << w << "\n";
  if (!o.seed.empty()) loaded.value->seed = std::stoull(o.seed);  // checked by parse_seed
  return std::move(loaded.value);
}

// The file with --set's overrides over it.
std::optional<scenario> load(const cli_options& o, io& io, const file_reader& reader = {}) {
  std::vector<setting> settings;
  for (const auto& text : o.sets) {
    std::string error;
    settings.push_back(parse_setting(text, &error));
    if (!error.empty()) {
      usage_error(io, error);
      return std::nullopt;
    }
  }
  return load(o, io, settings, reader);
}

// The width of the terminal on stderr (80 when it does not say): a progress line longer than it
// would wrap, and '\r' would no longer go back over it.
std::size_t terminal_width() {
  winsize w{};
  return ioctl(STDERR_FILENO, TIOCGWINSZ, &w) == 0 && w.ws_col > 0 ? w.ws_col : 80;
}

// On a terminal, unless -q: "svcsim: STUDY: 17 of 40 runs done, ~12 s left", and with workers
// the runs each did ("here 5, 10.0.0.2:7000 6"), for a study's progress(done, total); empty
// otherwise. end_progress() clears its line.
runs_done runs_progress(const cli_options& o, io& io, const char* study,
                        const worker_pool* pool = nullptr) {
  if (o.quiet || !isatty(STDERR_FILENO)) return nullptr;
  return [&io, study, pool, started = std::chrono::steady_clock::now()](int done, int total) {
    const double wall =
        std::chrono::duration<double>(std::chrono::steady_clock::now() - started).count();
    char buf[96];
    std::snprintf(buf, sizeof buf, "svcsim: %s: %d of %d runs done, ~%.0f s left", study, done,
                  total, wall * (total - done) / done);
    std::string line = buf;
    if (pool) line += " (" + pool->tally() + ")";
    line.resize(terminal_width() - 1, ' ');
    io.err << "\r" << line << std::flush;
  };
}

void end_progress(io& io) {
  io.err << "\r" << std::string(terminal_width() - 1, ' ') << "\r" << std::flush;
}

// On a terminal: how far the run is, in simulated time, and about how long it has to go.
simulate_options progress_for(const cli_options& o, io& io, const std::string& label) {
  simulate_options so;
  if (o.quiet || !isatty(STDERR_FILENO)) return so;
  const auto started = std::chrono::steady_clock::now();
  so.progress = [&io, label, started](nanos now, nanos end) {
    const double t = static_cast<double>(now) / 1e9, total = static_cast<double>(end) / 1e9;
    const double wall =
        std::chrono::duration<double>(std::chrono::steady_clock::now() - started).count();
    char buf[128];
    if (now < end)
      std::snprintf(buf, sizeof buf,
                    "\rsvcsim: %s: %.1f of %.1f s simulated (%.0f%%), ~%.0f s left ", label.c_str(),
                    t, total, 100 * t / total, wall * (total - t) / std::max(t, 1e-9));
    else
      std::snprintf(buf, sizeof buf, "\rsvcsim: %s: arrivals done, draining at %.1f s ",
                    label.c_str(), t);
    io.err << buf << std::flush;
  };
  return so;
}

// --jobs, or the machine's cores.
int jobs_of(const cli_options& o) {
  return o.jobs > 0 ? o.jobs : static_cast<int>(std::max(1u, std::thread::hardware_concurrency()));
}

// The reader a command's scenario files are read through: with --workers, place.files's.
file_reader reader_of(const cli_options& o, const run_place& place) {
  return o.workers.empty() ? file_reader() : place.files.reader();
}

// --tls-*: all three or none, and files that TLS can use; else a usage error (exit 2).
int check_tls(const cli_options& o, io& io) {
  if (!o.tls.enabled()) return 0;
  if (const std::string missing = o.tls.missing(); !missing.empty())
    return usage_error(io, "TLS needs --tls-cert, --tls-key and --tls-ca; add " + missing);
  if (const std::string wrong = o.tls.check(); !wrong.empty()) return usage_error(io, wrong);
  return 0;
}

// Makes place's executor, once the scenario files are read: `--jobs` threads, or with
// --workers the pool of them (connected and greeted now) and --jobs threads unless --no-local.
// Returns an exit status: 1 when no worker can be used under --no-local.
int open_place(const cli_options& o, io& io, run_place& place) {
  place.threads = std::make_unique<thread_executor>(jobs_of(o));
  if (o.workers.empty()) {
    if (o.no_local) return usage_error(io, "--no-local needs --workers, who would run instead");
    if (o.tls.enabled())
      return usage_error(io, "--tls-cert, --tls-key and --tls-ca are for --workers; add it");
    return 0;
  }
  if (const int status = check_tls(o, io)) return status;
  pool_options p;
  std::string error;
  p.workers = parse_workers(o.workers, &error);  // checked by workers_check
  p.token = o.token;
  p.tls = o.tls;
  p.jobs = jobs_of(o);
  p.here = !o.no_local;
  p.stall_s = static_cast<double>(parse_duration(o.worker_timeout).value) / 1e9;
  p.log = &io.err;
  place.pool = std::make_unique<worker_pool>(p, place.files.files());
  if (place.pool->usable() > 0) return 0;
  if (o.no_local) {
    io.err << "svcsim: error: no worker of --workers can be used, and --no-local keeps this "
              "machine out\n";
    return 1;
  }
  io.err << "svcsim: warning: no worker of --workers can be used; running here\n";
  return 0;
}

// Closes the connections to the workers, then returns `status`. CAF 0.17's ~actor_system waits
// for a message that a stopped worker never reads (a study's large files, say): after 10 s the
// process exits with `status` anyway, the report long written.
int close_place(io& io, int status) {
  if (!io.place.pool) return status;
  io.out.flush();
  io.err.flush();
  auto closed = std::make_shared<std::atomic<bool>>(false);
  std::thread([closed, status] {
    for (int i = 0; i < 200 && !closed->load(); ++i)
      std::this_thread::sleep_for(std::chrono::milliseconds(50));
    if (closed->load()) return;
    std::fputs("svcsim: warning: a worker's connection did not close within 10 s; exiting\n",
               stderr);
    std::fflush(stdout);
    std::_Exit(status);
  }).detach();
  io.place.pool.reset();
  *closed = true;
  return status;
}

// With workers, unless -q: the runs each did, on stderr.
void say_tally(const cli_options& o, io& io, const run_place& place) {
  if (place.pool && !o.quiet) io.err << "svcsim: runs done: " << place.pool->tally() << "\n";
}

// Warnings shown nowhere else: when the format does not show them, or goes to -o, on stderr.
void warn_unseen(const cli_options& o, io& io, const std::string& m,
                 const std::vector<std::string>& warnings) {
  if (find_format(o.format)->shows_warnings && o.output.empty()) return;
  for (const auto& w : warnings) io.err << "svcsim: warning (" << m << "): " << w << "\n";
}

void warn_unseen(const cli_options& o, io& io, mode m, const std::vector<std::string>& warnings) {
  warn_unseen(o, io, std::string(to_string(m)), warnings);
}

// What the reports for people say besides the runs: the clock, each workload's load, a legend.
void describe_for_people(report& r, const cli_options& o, const scenario& s) {
  r.clock = o.clock;
  r.loads = load_lines(s);
  r.legend = !o.quiet;
}

// The designs --design names, in order; when none, for `compare` (and `validate`) the file's
// designs, or else sync and async; for `run`, the mode --mode names, or else the scenario's.
// nullopt once a bad --design is said on stderr.
std::optional<std::vector<design>> designs_of(const cli_options& o, io& io, const scenario& s,
                                              bool compare) {
  std::vector<design> designs;
  for (const auto& text : o.designs) {
    std::string error;
    auto d = parse_design(s, text, &error);
    for (const auto& before : designs)
      if (d && before.name == d->name)
        error = "--design " + svcsim::quoted(text) + " is given twice";
    if (!error.empty()) {
      usage_error(io, error);
      return std::nullopt;
    }
    designs.push_back(std::move(*d));
  }
  if (!designs.empty()) return designs;
  if (compare && !s.designs.empty()) return s.designs;
  if (compare) return std::vector<design>{design_of(mode::sync), design_of(mode::async)};
  return std::vector<design>{design_of(o.mode.empty()      ? s.default_mode
                                       : o.mode == "async" ? mode::async
                                                           : mode::sync)};
}

// Which requests --traces records: --trace-sample, --trace-requests, or by default every
// 100th; nullopt once an option without --traces is said on stderr.
std::optional<span_sampling> traces_of(const cli_options& o, io& io) {
  span_sampling t;
  if (o.traces.empty()) {
    if (o.trace_sample == 0 && o.trace_requests.empty()) return t;
    usage_error(io, std::string(o.trace_sample ? "--trace-sample" : "--trace-requests") +
                        " needs --traces FILE, the file to write the spans to");
    return std::nullopt;
  }
  if (o.traces == "-") {
    usage_error(io, "--traces - would mix the spans with the report on stdout; name a file");
    return std::nullopt;
  }
  namespace fs = std::filesystem;
  std::error_code e1, e2;
  if (!o.output.empty() && o.output != "-" &&
      fs::weakly_canonical(o.traces, e1) == fs::weakly_canonical(o.output, e2)) {
    usage_error(io, "--traces " + o.traces + " is also -o's file; give the spans their own");
    return std::nullopt;
  }
  if (check_output(o.traces, io.err)) return std::nullopt;
  t.every = o.trace_sample;
  t.requests = o.trace_requests;
  std::sort(t.requests.begin(), t.requests.end());
  if (!t.any()) t.every = 100;
  return t;
}

// Simulates the designs designs_of() gives and reports them side by side.
int simulate_and_report(const cli_options& o, io& io, bool compare) {
  run_place& place = io.place;
  auto s = load(o, io, reader_of(o, place));
  if (!s) return 2;
  if (!compare && o.designs.size() > 1)
    return usage_error(io, "run takes one --design; to see several side by side, use compare");
  if (!o.mode.empty() && !o.designs.empty())
    return usage_error(io, "--mode " + o.mode + " and --design " +
                               svcsim::quoted(o.designs.front()) +
                               " both choose what to run; give one of them");
  const auto designs = designs_of(o, io, *s, compare);
  if (!designs) return 2;
  if (const int status = check_output(o.output, io.err)) return status;
  const auto tracing = traces_of(o, io);
  if (!tracing) return 2;
  if (!o.traces.empty() && o.no_local)
    return usage_error(io,
                       "--traces records its spans on this machine, which --no-local keeps "
                       "from running; drop one of them");
  if (const int status = open_place(o, io, place)) return status;
  std::unique_ptr<trace_file> traces;
  if (!o.traces.empty())
    traces = std::make_unique<trace_file>(o.traces, *find_trace_format(o.traces_format), *s,
                                          *tracing, io.out);
  std::vector<std::vector<run_result>> per_mode;
  std::uint64_t per_mode_late = 0;  // traced: spans not written
  for (const design& d : *designs) {
    const std::string label = label_of(d);
    // One run shows how far it has simulated; replications, how many have ended.
    auto options = o.replications == 1 ? progress_for(o, io, label) : simulate_options{};
    if (traces) {
      options.trace = *tracing;
      options.spans = traces->sink();
    }
    const auto ended =
        o.replications > 1 ? runs_progress(o, io, label.c_str(), place.pool.get()) : nullptr;
    if (!o.bucket.empty()) options.bucket = parse_duration(o.bucket).value;  // bucket_check
    auto reps = replicate(*s, d, o.replications, place.executor(), options, ended);
    if (options.progress || ended) end_progress(io);
    for (const auto& rep : reps)
      if (!rep.error.empty()) {
        io.err << "svcsim: error: the " << label << " run of " << o.file
               << " stopped: " << rep.error << "\n";
        return 1;
      }
    per_mode_late += reps.front().late_spans;
    per_mode.push_back(std::move(reps));
  }
  say_tally(o, io, place);
  report r = report_of_runs(*s, std::move(per_mode));
  describe_for_people(r, o, *s);
  // The text report shows warnings itself; elsewhere they would go unseen.
  for (const auto& run : r.runs) warn_unseen(o, io, run.label(), run.warnings);
  const std::string text = find_format(o.format)->run_report(r);
  if (traces) {
    if (const int status = traces->commit(io.err)) return status;
    if (!o.quiet)
      io.err << "svcsim: wrote " << traces->spans() << " spans of " << traces->requests()
             << " requests to " << o.traces << " (" << o.traces_format << ")\n";
    if (per_mode_late > 0)
      io.err << "svcsim: warning: " << per_mode_late
             << " spans started after their request was written and are not in " << o.traces
             << "\n";
  }
  return write_output(o.output, text, io.out, io.err);
}

int cmd_run(const cli_options& o, io& io) { return simulate_and_report(o, io, false); }

int cmd_compare(const cli_options& o, io& io) { return simulate_and_report(o, io, true); }

int cmd_validate(const cli_options& o, io& io) {
  auto s = load(o, io);
  if (!s) return 2;
  const auto designs = designs_of(o, io, *s, true);
  if (!designs) return 2;
  io.out << describe_scenario(*s, design_views(*s, *designs));
  return 0;
}

int cmd_coupling(const cli_options& o, io& io) {
  run_place& place = io.place;
  auto s = load(o, io, reader_of(o, place));
  if (!s) return 2;
  std::optional<nanos> length;
  if (!o.window.empty()) length = parse_duration(o.window).value;  // checked by duration_check
  const auto window = choose_window(*s, length);
  if (!window.error.empty()) return usage_error(io, window.error);
  if (const int status = check_output(o.output, io.err)) return status;
  if (const int status = open_place(o, io, place)) return status;
  const auto progress = runs_progress(o, io, "coupling", place.pool.get());
  const auto b = measure_blast_radius(*s, window, place.executor(), {}, progress, o.replications);
  if (progress) end_progress(io);
  say_tally(o, io, place);
  if (!b.error.empty()) {
    io.err << "svcsim: error: " << o.file << ": " << b.error << "\n";
    return 1;
  }
  for (mode m : {mode::sync, mode::async}) warn_unseen(o, io, m, b.warnings[static_cast<int>(m)]);
  const std::string text = find_format(o.format)->coupling_report(*s, b);
  return write_output(o.output, text, io.out, io.err);
}

// The grid of --set's values: every point loaded (and so checked) first, then all its runs.
int cmd_sweep(const cli_options& o, io& io) {
  if (o.sets.empty())
    return usage_error(io,
                       "sweep needs values to sweep; add --set KEY=V1,V2,... or --set "
                       "'KEY=A..B step S', e.g. svcsim sweep " +
                           o.file + " --set 'workloads.signup.rate=50/s..600/s step 50/s'");
  std::vector<sweep_axis> axes;
  std::string error;
  for (const auto& text : o.sets) {
    axes.push_back(parse_sweep_axis(text, &error));
    if (!error.empty()) return usage_error(io, error);
  }
  const auto points = sweep_points(axes, &error);
  if (!error.empty()) return usage_error(io, error);
  std::vector<std::string> keys;
  for (const auto& a : axes) keys.push_back(a.key);
  std::vector<scenario> scenarios;
  std::vector<std::string> loader_warnings;  // each once, though every point repeats the file's
  run_place& place = io.place;
  for (std::size_t p = 0; p < points.size(); ++p) {
    std::vector<setting> settings;
    for (std::size_t k = 0; k < keys.size(); ++k) settings.push_back({keys[k], points[p][k]});
    auto loaded = load_scenario(o.file, settings, reader_of(o, place));
    if (!loaded.value) {
      io.err << loaded.error << " (sweep point " << p + 1 << " of " << points.size() << ")\n";
      return 2;
    }
    for (const auto& w : loaded.value->warnings)
      if (std::find(loader_warnings.begin(), loader_warnings.end(), w) == loader_warnings.end())
        loader_warnings.push_back(w);
    if (!o.seed.empty()) loaded.value->seed = std::stoull(o.seed);  // checked by seed_check
    scenarios.push_back(std::move(*loaded.value));
  }
  for (const auto& w : loader_warnings) io.err << w << "\n";
  if (const int status = check_output(o.output, io.err)) return status;
  if (const int status = open_place(o, io, place)) return status;
  sweep_options options;
  if (!o.mode.empty()) options.modes = {o.mode == "async" ? mode::async : mode::sync};
  options.replications = o.replications;
  options.executor = &place.executor();
  options.knee_factor = o.knee_factor;
  options.progress = runs_progress(o, io, "sweep", place.pool.get());
  auto result = run_sweep(scenarios, keys, points, options);
  if (options.progress) end_progress(io);
  say_tally(o, io, place);
  if (!result.error.empty()) {
    io.err << "svcsim: error: " << o.file << ": " << result.error << "\n";
    return 1;
  }
  for (std::size_t p = 0; p < result.points.size(); ++p) {
    auto& r = result.points[p].runs;
    describe_for_people(r, o, scenarios[p]);
    for (const auto& run : r.runs)
      warn_unseen(
          o, io,
          std::string(to_string(run.mode)) + " at " + point_name(result, static_cast<int>(p)),
          run.warnings);
  }
  const std::string text = find_format(o.format)->sweep_report(result);
  return write_output(o.output, text, io.out, io.err);
}

// The dependency graph of --mode's mode, or of both modes.
int cmd_graph(const cli_options& o, io& io) {
  auto s = load(o, io);
  if (!s) return 2;
  std::vector<dependency_graph> graphs;
  for (mode m : {mode::sync, mode::async})
    if (o.mode.empty() || o.mode == to_string(m))
      graphs.push_back(dependency_graph_of(compile(*s, m)));
  for (const auto& f : graph_formats)
    if (o.graph_format == f.name)
      return write_output(o.output, f.write(*s, graphs), io.out, io.err);
  return usage_error(io, "unknown graph format " + o.graph_format);  // checked by IsMember
}

// One request of design `d`'s run, its spans: --request's, or the measured request at
// --percentile of the latencies (the slowest at 100), found by a first run that traces all.
traced_request trace_one(const cli_options& o, const scenario& s, const design& d) {
  traced_request out;
  out.label = label_of(d);
  span_sampling pick;
  const double percentile = o.percentile > 0 ? o.percentile : 100;
  if (o.request > 0) {
    pick.requests = {o.request};
    out.why = "as asked";
  } else {
    std::vector<std::pair<nanos, std::uint64_t>> latencies;  // measured requests'
    simulate_options all;
    all.trace.every = 1;
    all.spans = [&](const std::vector<span>& batch) {
      latencies.emplace_back(batch[0].end - batch[0].start, batch[0].request);
    };
    const auto first = simulate(s, d, all);
    if (!first.error.empty()) throw std::runtime_error(first.error);
    if (latencies.empty()) {
      out.why = "no measured request to show";
      return out;
    }
    std::sort(latencies.begin(), latencies.end());
    const auto n = latencies.size();
    const auto rank = std::clamp<std::size_t>(
        static_cast<std::size_t>(std::ceil(percentile / 100 * static_cast<double>(n))), 1, n);
    pick.requests = {latencies[rank - 1].second};
    char buf[96];
    if (rank == n)
      std::snprintf(buf, sizeof buf, "the slowest of %zu measured", n);
    else
      std::snprintf(buf, sizeof buf, "p%g of %zu measured", percentile, n);
    out.why = buf;
  }
  span_exporter exporter(s);
  simulate_options one;
  one.trace = pick;
  one.spans = [&](const std::vector<span>& batch) { exporter.convert(batch, out.spans); };
  const auto run = simulate(s, d, one);
  if (!run.error.empty()) throw std::runtime_error(run.error);
  return out;
}

// The waterfall of one request per design: both modes, or --mode's, or --design's.
int cmd_trace(const cli_options& o, io& io) {
  auto s = load(o, io);
  if (!s) return 2;
  if (!o.mode.empty() && !o.designs.empty())
    return usage_error(io, "--mode " + o.mode + " and --design " +
                               svcsim::quoted(o.designs.front()) +
                               " both choose what to trace; give one of them");
  if (o.request > 0 && o.percentile != 0)
    return usage_error(io, "--request and --percentile both choose the request; give one of them");
  if (std::isnan(o.percentile))
    return usage_error(io, "--percentile: expected a number above 0 and at most 100, e.g. 99");
  const auto designs = designs_of(o, io, *s, o.mode.empty());
  if (!designs) return 2;
  if (const int status = check_output(o.output, io.err)) return status;
  std::vector<traced_request> requests;
  for (const design& d : *designs) {
    requests.push_back(trace_one(o, *s, d));
    if (o.request > 0 && requests.back().spans.empty())
      return usage_error(io, "no request " + std::to_string(o.request) + " in the " + label_of(d) +
                                 " run of " + o.file +
                                 ": it created fewer; give a smaller --request");
  }
  const span_exporter names(*s);
  return write_output(o.output, waterfall(names.processes(), requests), io.out, io.err);
}

// Traces to a scenario file: read, infer, report the problems on stderr, write the scenario
// (and with --work empirical its data files in STEM-work/ beside it) atomically.
int cmd_infer(const cli_options& o, io& io) {
  namespace fs = std::filesystem;
  const bool to_file = !o.output.empty() && o.output != "-";
  if (o.work == "empirical" && !to_file)
    return usage_error(io, "--work empirical writes data files beside the scenario; give -o FILE");
  infer::diagnostics d;
  auto read = infer::read_traces(o.trace_files, d);
  if (!read.error.empty()) {
    io.err << read.error << "\n";
    return 2;
  }
  if (read.data.traces.empty()) {
    io.err << "svcsim: error: no span could be read from " << join(o.trace_files, ", ") << "\n"
           << d.text();
    return 2;
  }
  if (const int status = check_output(o.output, io.err)) return status;
  if (!o.report.empty()) {
    std::error_code e1, e2;
    if (o.report == "-"
            ? !to_file
            : to_file && fs::weakly_canonical(o.report, e1) == fs::weakly_canonical(o.output, e2))
      return usage_error(io, "--report " + o.report +
                                 " is where the scenario goes too; give the report its own file");
    if (const int status = check_output(o.report, io.err)) return status;
  }
  infer::infer_options options;
  if (!o.sampling.empty()) options.sampling = std::stod(o.sampling);  // checked by sampling_check
  const auto in = infer::infer_scenario(read.data, options, d);
  if (in.workloads.empty())
    return usage_error(io, "no root span of " + join(o.trace_files, ", ") +
                               " reaches a traced endpoint: no workload to write");
  infer::writer_options w;
  const std::string stem = to_file ? fs::path(o.output).stem().string()
                                   : fs::path(o.trace_files.front()).stem().string();
  w.name = o.name.empty() ? stem : o.name;
  w.empirical = o.work == "empirical";
  w.data_prefix = stem + "-work/";
  w.sources = read.data.files;
  std::int64_t problems = 0;
  for (const auto& [kind, p] : d.problems()) problems += p.count;
  if (problems > 0)
    w.problems = "svcsim infer reported " + std::to_string(problems) +
                 " problems in the traces (on stderr, or --report)";
  const auto written = infer::write_scenario(in, w);
  io.err << "svcsim infer: read " << read.data.files.size() << " file(s): " << in.traces
         << " trace(s), " << in.spans << " span(s); wrote " << in.services.size() << " service(s), "
         << in.handlers.size() << " handler(s), " << in.workloads.size() << " workload(s)\n"
         << d.text();
  if (!written.files.empty()) {
    const fs::path folder = fs::path(o.output).parent_path() / (stem + "-work");
    std::error_code ec;
    fs::create_directories(folder, ec);
    if (ec) {
      io.err << "svcsim: error: cannot create " << folder.string() << ": " << ec.message() << "\n";
      return 2;
    }
    for (const auto& f : written.files)
      if (const int status = write_output((fs::path(o.output).parent_path() / f.path).string(),
                                          f.text, io.out, io.err))
        return status;
  }
  if (!o.report.empty())
    if (const int status = write_output(o.report, d.json(), io.out, io.err)) return status;
  return write_output(o.output, written.yaml, io.out, io.err);
}

// A worker node until SIGTERM or SIGINT: runs under way are cancelled, exit 0. The signals are
// blocked in every thread (CAF's threads inherit the mask) and awaited by one of their own.
int cmd_worker(const cli_options& o, io& io) {
  if (const int status = check_tls(o, io)) return status;
  worker_options w;
  w.port = static_cast<std::uint16_t>(o.port);
  w.bind = o.bind;
  w.jobs = jobs_of(o);
  w.token = o.token;
  w.tls = o.tls;
  if (const std::string why = refusal(w); !why.empty()) return usage_error(io, why);
  sigset_t stop_signals;
  sigemptyset(&stop_signals);
  sigaddset(&stop_signals, SIGTERM);
  sigaddset(&stop_signals, SIGINT);
  pthread_sigmask(SIG_BLOCK, &stop_signals, nullptr);
  static std::atomic<bool> stop{false};
  std::thread([stop_signals] {
    int signal = 0;
    sigwait(&stop_signals, &signal);
    stop = true;
  }).detach();
  return serve(w, stop, io.err);
}

// --workers: HOST:PORT,...
CLI::Validator workers_check() {
  return CLI::Validator(
      [](std::string& text) -> std::string {
        std::string error;
        parse_workers(text, &error);
        return error;
      },
      "HOST:PORT,...");
}

// A duration with its unit, at least `least`; `too_short` says what to write instead.
CLI::Validator duration_check(nanos least, const std::string& too_short) {
  return CLI::Validator(
      [least, too_short](std::string& text) -> std::string {
        const auto d = parse_duration(text);
        if (!d.ok()) return d.error;
        return d.value >= least ? "" : too_short;
      },
      "DURATION");
}

// --sampling: a probability above 0, at most 1.
CLI::Validator sampling_check() {
  return CLI::Validator(
      [](std::string& text) -> std::string {
        char* end = nullptr;
        const double p = std::strtod(text.c_str(), &end);
        if (text.empty() || *end != '\0' || !(p > 0 && p <= 1))
          return "expected the share of requests traced, above 0 and at most 1 (e.g. 0.01), "
                 "not '" +
                 text + "'";
        return "";
      },
      "P");
}

// A seed is a whole number from 0 to 2^64-1, written in decimal.
CLI::Validator seed_check() {
  return CLI::Validator(
      [](std::string& text) -> std::string {
        const bool digits = !text.empty() && text.size() <= 20 &&
                            text.find_first_not_of("0123456789") == std::string::npos;
        if (digits && (text.size() < 20 || text <= "18446744073709551615")) return "";
        return "expected a whole number from 0 to 18446744073709551615, not '" + text + "'";
      },
      "SEED");
}

// The timeline's bucket: a duration with a unit, above 0.
CLI::Validator bucket_check() {
  return CLI::Validator(
      [](std::string& text) -> std::string {
        const auto d = parse_duration(text);
        if ((d.ok() && d.value == 0) || text.rfind('-', 0) == 0)
          return "'" + text +
                 "' is not above 0; write a duration above 0 with a unit, e.g. '1s' or '500ms'";
        return d.error;
      },
      "DURATION");
}

// What a command takes besides FILE; `command_name`: a command's name instead of FILE.
enum option_set : unsigned {
  simulation = 1,
  one_mode = 2,
  window = 4,
  buckets = 8,
  drawing = 16,  // --format among graph_formats, -o
  command_name = 32,
  settings = 64,       // --set KEY=VALUE
  grid = 128,          // --set KEY=VALUES (a sweep's grid), --knee-factor; --mode's default is both
  one_design = 256,    // --design, once
  many_designs = 512,  // --design, repeatable
  tracing = 1024,      // --traces FILE, --trace-sample, --trace-requests, --traces-format
  picking = 2048,      // --request, --percentile, --seed, -o
  trace_files = 4096,  // TRACES... instead of FILE, and infer's options
  serving = 8192,      // no FILE: a worker's --port, --bind, --jobs, --token, --tls-*
  distributing = 16384,  // --workers, --no-local, --worker-timeout, --token, --tls-*
};

struct command {
  const char* name;
  const char* summary;
  unsigned options;
  int (*run)(const cli_options&, io&);
};

const command commands[] = {
    {"run", "simulate the scenario in one mode (its `mode`, or --mode) and report",
     simulation | one_mode | buckets | settings | one_design | tracing | distributing, cmd_run},
    {"compare",
     "simulate sync and async mode (or the designs --design names, or the file's designs) on "
     "the same seed and report them side by side",
     simulation | buckets | settings | many_designs | distributing, cmd_compare},
    {"validate",
     "check a scenario file; print its services, topics, workloads, and per design (as compare "
     "runs them) the offered load and coupling",
     settings | many_designs, cmd_validate},
    {"coupling",
     "crash each service in turn, sync and async: what each workload keeps, who "
     "knows whom",
     simulation | window | settings | distributing, cmd_coupling},
    {"sweep",
     "run both modes over a grid of --set values (a load ramp, say) and find where each "
     "saturates",
     simulation | one_mode | grid | distributing, cmd_sweep},
    {"graph",
     "print who depends on whom per mode (sync calls, the broker's topics) as Graphviz DOT or "
     "a Mermaid flowchart; both modes without --mode",
     one_mode | drawing | settings, cmd_graph},
    {"trace",
     "draw one request's spans as a waterfall, per mode on one time axis: where its time went "
     "(queued, working, waiting on calls, in the broker); the slowest unless --request or "
     "--percentile",
     one_mode | settings | many_designs | picking, cmd_trace},
    {"infer",
     "infer a scenario from trace files (Jaeger, OTLP or Zipkin v2 JSON): services, calls, "
     "topics, work, network latency, workloads; the problems found on stderr",
     trace_files, cmd_infer},
    {"worker",
     "serve runs to coordinators (sweep, coupling, run and compare given --workers) on this "
     "machine's cores, until stopped (docs/distributed.md)",
     serving, cmd_worker},
    {"help", "show the help of a command (svcsim help run), or without one this help", command_name,
     nullptr},  // run_cli answers it: it needs the help text
};

// --format's choices, from the table of formats, and their help: "text (default) or json".
std::vector<std::string> format_names() {
  std::vector<std::string> names;
  for (const auto& f : report_formats) names.push_back(f.name);
  return names;
}

std::string format_help() {
  const auto names = format_names();
  std::string help = names.front() + " (default)";
  for (std::size_t i = 1; i < names.size(); ++i)
    help += (i + 1 == names.size() ? " or " : ", ") + names[i];
  return help;
}

const char* footer =
    "\nExamples:\n"
    "  svcsim compare scenarios/user-signup.yaml          sync vs async, side by side\n"
    "  svcsim compare scenarios/user-signup.yaml --design sync --design async:user.created\n"
    "                                                      only user.created as an event\n"
    "  svcsim run scenarios/user-signup.yaml --mode async --format json | jq .runs[0]\n"
    "  svcsim validate my-system.yaml                      check a file before running it\n"
    "  svcsim trace scenarios/user-signup.yaml            where the slowest sign-up's time went\n"
    "  svcsim run scenarios/user-signup.yaml --mode async --traces t.json   spans, as OTLP JSON\n"
    "  svcsim coupling scenarios/user-signup.yaml         what each service's crash takes down\n"
    "  svcsim run scenarios/user-signup.yaml --set services.email.workers=2   one value changed\n"
    "  svcsim sweep scenarios/user-signup.yaml --set 'workloads.signup.rate=50/s..600/s step "
    "50/s'\n"
    "                                                      where sync and async saturate\n"
    "  svcsim infer traces.json -o my-system.yaml          a scenario from Jaeger, OTLP or "
    "Zipkin traces\n"
    "\nExit status: 0 ok, 2 bad usage or bad scenario, 1 any other failure.\n"
    "File format: docs/scenario-format.md. Reports go to stdout (or -o FILE), progress and\n"
    "diagnostics to stderr.";

}  // namespace

int run_cli(int argc, char** argv, std::ostream& out, std::ostream& err) {
  io io{out, err, {}};
  CLI::App app{"svcsim " SVCSIM_VERSION
               " - simulate microservices wired with synchronous calls or publish/subscribe,\n"
               "and see what each costs in latency, time to consistency, availability and "
               "coupling.",
               "svcsim"};
  app.set_version_flag("--version", "svcsim " SVCSIM_VERSION);
  app.require_subcommand(1);
  app.footer(footer);
  cli_options o;
  const command* chosen = nullptr;
  for (const auto& c : commands) {
    auto* sub = app.add_subcommand(c.name, c.summary);
    if (c.options & command_name)
      sub->add_option("COMMAND", o.file, "the command to explain");
    else if (c.options & trace_files)
      sub->add_option("TRACES", o.trace_files,
                      "trace files: Jaeger JSON, OTLP JSON (or JSON Lines), Zipkin v2 JSON")
          ->required();
    else if (!(c.options & serving))
      sub->add_option("FILE", o.file, "scenario file (YAML)")->required();
    if (c.options & one_mode)
      sub->add_option("--mode", o.mode,
                      c.options & (drawing | grid | picking)
                          ? "sync or async (default: both, side by side)"
                          : "sync or async (default: the scenario's mode)")
          ->check(CLI::IsMember({"sync", "async"}));
    if (c.options & simulation) {
      sub->add_option("--clock", o.clock, "virtual (the default and only clock: deterministic)")
          ->check(CLI::IsMember({"virtual"}));
      sub->add_option("--seed", o.seed, "override the scenario's seed (0 to 2^64-1)")
          ->check(seed_check());
      sub->add_option("--format", o.format, format_help())->check(CLI::IsMember(format_names()));
      sub->add_option("-o,--output", o.output, "write the report to FILE (atomically)");
      sub->add_flag("-q,--quiet", o.quiet, "no progress on stderr");
      sub->add_option("--replications", o.replications,
                      c.run == cmd_sweep
                          ? "independent replications of each point; the tables show their means"
                          : "independent replications; reports means with 95% confidence "
                            "intervals")
          ->check(CLI::Range(1, 10000));
      sub->add_option("--jobs", o.jobs,
                      "threads on this machine for replications, coupling's and sweep's runs "
                      "(default: the cores)")
          ->check(CLI::Range(1, 1024));
    }
    if (c.options & drawing) {
      std::vector<std::string> names;
      for (const auto& f : graph_formats) names.push_back(f.name);
      sub->add_option("--format", o.graph_format,
                      join(names, " or ") + " (default " + names.front() + ")")
          ->check(CLI::IsMember(names));
      sub->add_option("-o,--output", o.output, "write the graph to FILE (atomically)");
    }
    if (c.options & settings)
      sub->add_option("--set", o.sets,
                      "KEY=VALUE: replace (or add) one value of the file, KEY a dotted path "
                      "(services.email.workers=2, workloads.signup.rate=100/s); repeatable")
          ->expected(1)
          ->multi_option_policy(CLI::MultiOptionPolicy::TakeAll);
    if (c.options & grid) {
      sub->add_option("--set", o.sets,
                      "KEY=V1,V2,... or 'KEY=A..B step S' with one unit (e.g. "
                      "'workloads.signup.rate=50/s..600/s step 50/s', 'services.email.workers="
                      "1..8 step 1'); repeatable: the grid of all combinations, the last fastest")
          ->expected(1)
          ->multi_option_policy(CLI::MultiOptionPolicy::TakeAll);
      sub->add_option("--knee-factor", o.knee_factor,
                      "a mode's knee is the first point where a workload's p99 latency exceeds "
                      "this many times its first measured value (default 3), its "
                      "availability drops below 99%, or a backlog keeps growing; or the first "
                      "point, when a service there is already busy all the time")
          ->check(CLI::Range(1.0, 1e6));
    }
    if (c.options & (one_design | many_designs))
      sub->add_option("--design", o.designs,
                      std::string(c.options & one_design ? "run one design instead of a mode: "
                                  : c.options & picking
                                      ? "repeatable; trace these designs instead of both modes: "
                                      : "repeatable; compare these designs, the "
                                        "differences against the first: ") +
                          "sync or async (that mode), MODE:TOPIC,... (the other mode, but these "
                          "topics' notify steps in MODE, e.g. async:user.created), or the name of "
                          "a design under the file's designs")
          ->expected(1)
          ->multi_option_policy(CLI::MultiOptionPolicy::TakeAll);
    if (c.options & trace_files) {
      sub->add_option("-o,--output", o.output,
                      "write the scenario to FILE (atomically; default stdout)");
      sub->add_option("--work", o.work,
                      "fit (default): each handler's work a distribution fitted to its self "
                      "times (lowest AIC); empirical: empirical(FILE) of them, files in "
                      "STEM-work/ beside -o FILE")
          ->check(CLI::IsMember({"fit", "empirical"}));
      sub->add_option("--sampling", o.sampling,
                      "each request's chance of being traced (0 < P <= 1), over the traces' "
                      "sampler.type/sampler.param tags: rates are divided by it")
          ->check(sampling_check());
      sub->add_option("--name", o.name, "the scenario's name (default: -o FILE's stem)");
      sub->add_option("--report", o.report,
                      "also write the problems found in the traces as JSON to FILE");
    }
    if (c.options & buckets)
      sub->add_option("--bucket", o.bucket,
                      "width of the timeline's buckets of simulated time (default 1s; for runs "
                      "too long for 100,000 of them, a round width giving about 1,000)")
          ->check(bucket_check());
    if (c.options & tracing) {
      std::vector<std::string> names;
      std::string help = "the trace file's format: ";
      for (const auto& f : trace_formats()) {
        names.push_back(f.name);
        help += std::string(names.size() > 1 ? "; " : "") + f.name + ", " + f.summary;
      }
      sub->add_option("--traces", o.traces,
                      "write the spans of sampled requests to FILE (atomically; docs/traces.md): "
                      "each job's queue wait and work, each call attempt, publish, broker stay "
                      "and delivery; with replications, the first's");
      sub->add_option("--trace-sample", o.trace_sample,
                      "with --traces: every N-th measured request (default 100)")
          ->check(CLI::Range(std::uint64_t{1}, std::uint64_t{1} << 62));
      sub->add_option("--trace-requests", o.trace_requests,
                      "with --traces: these requests (1,17,40), measured or not, by number from 1 "
                      "as the clients create them (in send order within an open-loop "
                      "workload)")
          ->delimiter(',')
          ->check(CLI::Range(std::uint64_t{1}, std::uint64_t{1} << 62));
      sub->add_option("--traces-format", o.traces_format, help + " (default " + names.front() + ")")
          ->check(CLI::IsMember(names));
    }
    if (c.options & picking) {
      sub->add_option("--request", o.request,
                      "the request to show, by number from 1 as the clients create them (in send "
                      "order within an open-loop workload)")
          ->check(CLI::Range(std::uint64_t{1}, std::uint64_t{1} << 62));
      sub->add_option("--percentile", o.percentile,
                      "show the measured request at this percentile of latency, e.g. 99 "
                      "(default 100: the slowest)")
          ->check(CLI::Range(0.001, 100.0));
      sub->add_option("--seed", o.seed, "override the scenario's seed (0 to 2^64-1)")
          ->check(seed_check());
      sub->add_option("-o,--output", o.output, "write the waterfall to FILE (atomically)");
    }
    if (c.options & (serving | distributing)) {
      sub->add_option("--token", o.token,
                      "the secret coordinators and workers share; a worker runs nothing for a "
                      "coordinator without it (default: $SVCSIM_TOKEN; on a shared machine "
                      "prefer it to this option, which others can see)")
          ->envname("SVCSIM_TOKEN");
      sub->add_option("--tls-cert", o.tls.cert, "TLS: this end's certificate (PEM)")
          ->check(CLI::ExistingFile);
      sub->add_option("--tls-key", o.tls.key, "TLS: this end's private key (PEM)")
          ->check(CLI::ExistingFile);
      sub->add_option("--tls-ca", o.tls.ca,
                      "TLS: the authority that signed the other ends' certificates (PEM); with "
                      "all three every connection is TLS and both ends are checked")
          ->check(CLI::ExistingFile);
    }
    if (c.options & serving) {
      sub->add_option("--port", o.port, "the port to listen on (0: any free one, logged)")
          ->check(CLI::Range(0, 65535))
          ->required();
      sub->add_option("--bind", o.bind,
                      "the address to listen on (default 127.0.0.1: this machine only; wider, "
                      "e.g. 0.0.0.0, needs --token)");
      sub->add_option("--jobs", o.jobs, "runs at once (default: the cores)")
          ->check(CLI::Range(1, 1024));
    }
    if (c.options & distributing) {
      sub->add_option("--workers", o.workers,
                      "HOST:PORT,...: also run on these svcsim workers; the report is the same "
                      "as without them (docs/distributed.md)")
          ->check(workers_check());
      sub->add_flag("--no-local", o.no_local, "with --workers: run nothing on this machine");
      sub->add_option("--worker-timeout", o.worker_timeout,
                      "with --workers: a worker silent this long while it holds runs is lost, "
                      "its runs run elsewhere (default 30s)")
          ->check(duration_check(1000000000, "the timeout must be at least 1s, e.g. '30s'"));
    }
    if (c.options & window)
      sub->add_option("--window", o.window,
                      "how long each service stays crashed, with a unit (10s, 500ms); the crash "
                      "is centred in the arrival window [0, end of arrivals); default: its "
                      "middle tenth, from 45% to 55%")
          ->check(duration_check(1, "the crash window must be longer than 0, e.g. '10s'"));
    sub->callback([&chosen, &c] { chosen = &c; });
  }
  try {
    app.parse(argc, argv);
  } catch (const CLI::CallForHelp& e) {
    out << app.help();
    return 0;
  } catch (const CLI::CallForVersion&) {
    out << "svcsim " SVCSIM_VERSION << "\n";
    return 0;
  } catch (const CLI::ParseError& e) {
    if (e.get_exit_code() == 0) return app.exit(e, out, err);
    return usage_error(io, std::string(e.what()) + "; see 'svcsim --help'");
  }
  if (!chosen->run) {  // help [COMMAND]: as COMMAND --help, or --help
    std::vector<std::string> names;
    for (const auto& c : commands) names.push_back(c.name);
    if (!o.file.empty() && std::find(names.begin(), names.end(), o.file) == names.end())
      return usage_error(
          io, "no command " + svcsim::quoted(o.file) + "; " +
                  suggestion(o.file, names, "the commands are " + join_names(names, true, "and")));
    std::string program = argv[0];
    std::vector<char*> args{program.data()};
    if (!o.file.empty()) args.push_back(o.file.data());
    std::string flag = "--help";
    args.push_back(flag.data());
    return run_cli(static_cast<int>(args.size()), args.data(), out, err);
  }
  try {
    return close_place(io, chosen->run(o, io));
  } catch (const std::bad_alloc&) {
    err << "svcsim: error: out of memory\n";
    return 1;
  } catch (const std::exception& e) {
    err << "svcsim: error: " << e.what() << "\n";
    return 1;
  }
}

}  // namespace svcsim
