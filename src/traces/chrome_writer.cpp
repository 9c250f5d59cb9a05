// Chrome's trace-event format (JSON object with traceEvents), as Perfetto, chrome://tracing and
// speedscope open it: a process per service (and the broker, the client), a track per instance
// and lane. A span nests in its parent's slice when it runs on the same instance within it and
// after the parent's other children there (a job's queue wait, its calls one after another);
// else it takes the first lane of its instance free from its start on. So slices of a track nest
// or do not touch, and a track reads as one worker's timeline; with sampling, most of the work
// on it is not shown. Timestamps are microseconds of simulated time (to 1/8 µs)
// from the run's start; links (publish to delivery) are flow arrows.
#include <map>
#include <ostream>
#include <unordered_map>

#include "traces/json_out.hpp"
#include "traces/trace_writer.hpp"

namespace svcsim {
namespace {

class chrome_writer : public trace_writer {
 public:
  chrome_writer(std::ostream& out, const std::vector<trace_process>& processes)
      : out_(out), processes_(processes), lanes_(processes.size()), tids_(processes.size()) {
    std::map<std::string, int> pid_of;
    for (const auto& p : processes) {
      auto [it, fresh] = pid_of.emplace(p.service, static_cast<int>(pid_of.size()) + 1);
      pids_.push_back(it->second);
      if (!fresh) continue;
      event_start();
      out_ << "{\"ph\":\"M\",\"name\":\"process_name\",\"pid\":" << it->second
           << ",\"tid\":0,\"args\":{\"name\":";
      json_string(out_, p.service);
      out_ << "}}";
      event_start();
      out_ << "{\"ph\":\"M\",\"name\":\"process_sort_index\",\"pid\":" << it->second
           << ",\"tid\":0,\"args\":{\"sort_index\":" << it->second << "}}";
    }
  }

  void request(const std::vector<exported_span>& spans) override {
    std::unordered_map<std::string, place> placed;
    for (const auto& s : spans) {
      // Within its parent on the parent's track when it fits there (after the parent's other
      // children there), else on the first free lane.
      auto parent = placed.find(s.parent_id);
      const bool nests = parent != placed.end() && parent->second.process == s.process &&
                         s.start >= parent->second.nested_end && s.end <= parent->second.end;
      const int tid = nests ? parent->second.tid : lane(s);
      if (nests) parent->second.nested_end = s.end;
      const int pid = pids_[static_cast<std::size_t>(s.process)];
      placed[s.span_id] = {pid, tid, s.start, s.process, s.start, s.end};
      event_start();
      out_ << "{\"ph\":\"X\",\"name\":";
      json_string(out_, s.name);
      out_ << ",\"cat\":\"" << span_exporter::kind_name(s.kind) << "\",\"ts\":";
      json_micros(out_, tick(s.start));
      out_ << ",\"dur\":";
      json_micros(out_, tick(s.end) - tick(s.start));
      // args: few, since speedscope names a frame by its name and args
      out_ << ",\"pid\":" << pid << ",\"tid\":" << tid << ",\"args\":{\"trace\":\"" << s.trace_id
           << '"';
      if (s.status != span_status::ok)
        out_ << ",\"status\":\"" << span_exporter::status_name(s.status) << '"';
      out_ << "}}";
      auto from = placed.find(s.link_id);
      if (s.link_id.empty() || from == placed.end()) continue;
      ++flows_;
      event_start();
      out_ << "{\"ph\":\"s\",\"name\":\"message\",\"cat\":\"link\",\"id\":" << flows_ << ",\"ts\":";
      json_micros(out_, tick(from->second.at));
      out_ << ",\"pid\":" << from->second.pid << ",\"tid\":" << from->second.tid << '}';
      event_start();
      out_ << "{\"ph\":\"f\",\"bp\":\"e\",\"name\":\"message\",\"cat\":\"link\",\"id\":" << flows_
           << ",\"ts\":";
      json_micros(out_, tick(s.start));
      out_ << ",\"pid\":" << pid << ",\"tid\":" << tid << '}';
    }
  }

  void finish() override {
    out_ << "\n],\"displayTimeUnit\":\"ms\",\"otherData\":{\"generator\":\"svcsim " SVCSIM_VERSION
            "\"}}\n";
  }

 private:
  struct place {
    int pid = 0, tid = 0;
    std::int64_t at = 0;
    int process = 0;
    std::int64_t nested_end = 0, end = 0;  // of its children on its track so far; its own
  };

  // Simulated time from the start, rounded down to 1/8 µs: viewers add ts and dur in floating
  // point, which keeps slices that touch touching (not nested) only when both are exact.
  static std::int64_t tick(std::int64_t t) {
    return (t - span_exporter::unix_epoch_ns) / 125 * 125;
  }

  void event_start() {
    out_ << (first_ ? "{\"traceEvents\":[\n" : ",\n");
    first_ = false;
  }

  // The first lane of span s's process free from its start on; a new one when none is.
  int lane(const exported_span& s) {
    const auto p = static_cast<std::size_t>(s.process);
    auto& ends = lanes_[p];
    std::size_t k = 0;
    while (k < ends.size() && ends[k] > s.start) ++k;
    if (k == ends.size()) {
      ends.push_back(s.end);
      tids_[p].push_back(++next_tid_);
      event_start();
      out_ << "{\"ph\":\"M\",\"name\":\"thread_name\",\"pid\":" << pids_[p]
           << ",\"tid\":" << next_tid_ << ",\"args\":{\"name\":";
      json_string(out_, processes_[p].instance + " lane " + std::to_string(k + 1));
      out_ << "}}";
    }
    ends[k] = s.end;
    return tids_[p][k];
  }

  std::ostream& out_;
  const std::vector<trace_process>& processes_;
  std::vector<int> pids_;                         // per process
  std::vector<std::vector<std::int64_t>> lanes_;  // per process: each lane's last end
  std::vector<std::vector<int>> tids_;            // per process: each lane's tid
  int next_tid_ = 0;
  long long flows_ = 0;
  bool first_ = true;
};

}  // namespace

std::unique_ptr<trace_writer> make_chrome_writer(std::ostream& out,
                                                 const std::vector<trace_process>& processes) {
  return std::make_unique<chrome_writer>(out, processes);
}

}  // namespace svcsim
