// Chrome's trace-event format (JSON object with traceEvents), as Perfetto, chrome://tracing and
// speedscope open it: a process per service (and the broker, the client), a track per instance
// and lane. A lane holds spans of one instance that do not overlap, first fit in the order they
// come (a job's queue wait nests in its job), so a track reads as one worker's timeline; with
// sampling, most of the work on it is not shown. Timestamps are microseconds of simulated time
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
      const bool queue_wait =
          s.name == "queue" && s.kind == span_kind::internal && placed.count(s.parent_id) != 0;
      const int tid = queue_wait ? placed[s.parent_id].tid : lane(s);
      const int pid = pids_[static_cast<std::size_t>(s.process)];
      placed[s.span_id] = {pid, tid, s.start};
      event_start();
      out_ << "{\"ph\":\"X\",\"name\":";
      json_string(out_, s.name);
      out_ << ",\"cat\":\"" << span_exporter::kind_name(s.kind) << "\",\"ts\":";
      json_micros(out_, s.start - span_exporter::unix_epoch_ns);
      out_ << ",\"dur\":";
      json_micros(out_, s.end - s.start);
      out_ << ",\"pid\":" << pid << ",\"tid\":" << tid << ",\"args\":{\"trace\":\"" << s.trace_id
           << "\",\"span\":\"" << s.span_id << '"';
      if (!s.parent_id.empty()) out_ << ",\"parent\":\"" << s.parent_id << '"';
      if (s.status != span_status::ok)
        out_ << ",\"status\":\"" << span_exporter::status_name(s.status) << '"';
      out_ << "}}";
      auto from = placed.find(s.link_id);
      if (s.link_id.empty() || from == placed.end()) continue;
      ++flows_;
      event_start();
      out_ << "{\"ph\":\"s\",\"name\":\"message\",\"cat\":\"link\",\"id\":" << flows_ << ",\"ts\":";
      json_micros(out_, from->second.at - span_exporter::unix_epoch_ns);
      out_ << ",\"pid\":" << from->second.pid << ",\"tid\":" << from->second.tid << '}';
      event_start();
      out_ << "{\"ph\":\"f\",\"bp\":\"e\",\"name\":\"message\",\"cat\":\"link\",\"id\":" << flows_
           << ",\"ts\":";
      json_micros(out_, s.start - span_exporter::unix_epoch_ns);
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
  };

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
