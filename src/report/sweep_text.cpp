// The sweep's reports for people, text and Markdown: the same tables (sweep_table_of), knees
// and summary, laid out for a terminal or for a page.
#include <algorithm>
#include <sstream>

#include "report/format.hpp"
#include "report/sweep_report.hpp"

namespace svcsim {
namespace {

std::size_t shown_width(const std::string& s) {
  std::size_t n = 0;
  for (unsigned char c : s) n += (c & 0xC0) != 0x80;
  return n;
}

void text_table(std::ostream& out, const sweep_table& t) {
  std::vector<std::size_t> width(t.header.size(), 0);
  const auto measure = [&](const std::vector<std::string>& cells) {
    for (std::size_t i = 0; i < cells.size(); ++i)
      width[i] = std::max(width[i], shown_width(cells[i]));
  };
  measure(t.header);
  for (const auto& row : t.rows) measure(row);
  const auto put = [&](const std::vector<std::string>& cells) {
    std::string line;
    for (std::size_t i = 0; i < cells.size(); ++i) {
      const std::string space(width[i] - shown_width(cells[i]), ' ');
      line += "  " + (t.left[i] ? cells[i] + space : space + cells[i]);
    }
    out << line.substr(0, line.find_last_not_of(' ') + 1) << "\n";
  };
  put(t.header);
  for (const auto& row : t.rows) put(row);
}

void markdown_table(std::ostream& out, const sweep_table& t) {
  const auto put = [&](const std::vector<std::string>& cells) {
    out << "|";
    for (const auto& c : cells) out << " " << c << " |";
    out << "\n";
  };
  put(t.header);
  out << "|";
  for (std::size_t i = 0; i < t.header.size(); ++i) {
    out << (t.left[i] ? " --- |" : " ---: |");
  }
  out << "\n";
  for (const auto& row : t.rows) put(row);
}

std::string what_was_run(const sweep_result& r) {
  const report& first = r.points.front().runs;
  std::string modes;
  for (const auto& run : first.runs)
    modes += (modes.empty() ? "" : ", ") + std::string(to_string(run.mode));
  const std::size_t reps = first.replicas.empty() ? 1 : first.replicas.front().size();
  return std::to_string(r.points.size()) + " point" + (r.points.size() == 1 ? "" : "s") + " x " +
         std::to_string(first.runs.size()) + " mode" + (first.runs.size() == 1 ? "" : "s") + " (" +
         modes + ") x " + std::to_string(reps) + " replication" + (reps == 1 ? "" : "s") + " = " +
         std::to_string(r.points.size() * first.runs.size() * reps) + " runs" +
         (reps > 1 ? "; the tables show means over the replications" : "");
}

}  // namespace

std::string knee_criteria(const sweep_result& r) {
  return "the first point where a workload's p99 latency exceeds " + fmt("%g", r.knee_factor) +
         "x its first measured value, its availability drops below 99%, or a backlog keeps "
         "growing (or the first point, if a service there is busy 99% of the time)";
}

std::string knee_line(const sweep_result& r, const sweep_knee& k) {
  if (k.point < 0)
    return std::string(to_string(k.mode)) + ": none up to " +
           point_name(r, static_cast<int>(r.points.size()) - 1);
  // A backlog's reason names what fell behind already.
  return std::string(to_string(k.mode)) + ": at " + point_name(r, k.point) + ": " + k.why +
         (k.sign == knee_sign::backlog || k.bottleneck.empty() ? "" : "; busiest: " + k.bottleneck);
}

std::vector<std::string> sweep_warnings(const sweep_result& r) {
  std::vector<std::string> out;
  for (std::size_t p = 0; p < r.points.size(); ++p)
    for (const auto& run : r.points[p].runs.runs)
      for (const auto& w : run.warnings)
        out.push_back(std::string(to_string(run.mode)) + " at " +
                      point_name(r, static_cast<int>(p)) + ": " + w);
  return out;
}

std::string sweep_to_text(const sweep_result& r) {
  std::ostringstream out;
  const report& first = r.points.front().runs;
  out << "svcsim " << SVCSIM_VERSION << " - sweep of scenario " << r.scenario << ", seed " << r.seed
      << ", " << first.clock << " clock\n"
      << "  swept: " << join(r.keys, ", ") << "\n  " << what_was_run(r) << "\n";
  for (std::size_t run = 0; run < first.runs.size(); ++run) {
    out << "\n" << to_string(first.runs[run].mode) << "\n";
    text_table(out, sweep_table_of(r, run));
  }
  out << "\nknees: " << knee_criteria(r) << "\n";
  for (const auto& k : r.knees) out << "  " << knee_line(r, k) << "\n";
  out << "\nsummary: " << r.summary << "\n";
  const auto warnings = sweep_warnings(r);
  if (!warnings.empty()) {
    out << "\nwarnings\n";
    for (const auto& w : warnings) out << "  " << w << "\n";
  }
  return out.str();
}

std::string sweep_to_markdown(const sweep_result& r) {
  std::ostringstream out;
  const report& first = r.points.front().runs;
  out << "### svcsim " << SVCSIM_VERSION << " - sweep of scenario " << r.scenario << ", seed "
      << r.seed << ", " << first.clock << " clock\n\n"
      << "- swept: " << join(r.keys, ", ") << "\n- " << what_was_run(r) << "\n";
  for (std::size_t run = 0; run < first.runs.size(); ++run) {
    out << "\n#### " << to_string(first.runs[run].mode) << "\n\n";
    markdown_table(out, sweep_table_of(r, run));
  }
  out << "\n#### knees\n\n" << knee_criteria(r) << ":\n\n";
  for (const auto& k : r.knees) out << "- " << knee_line(r, k) << "\n";
  out << "\n**" << r.summary << "**\n";
  const auto warnings = sweep_warnings(r);
  if (!warnings.empty()) {
    out << "\n**Warnings**\n\n";
    for (const auto& w : warnings) out << "- " << w << "\n";
  }
  return out.str();
}

}  // namespace svcsim
