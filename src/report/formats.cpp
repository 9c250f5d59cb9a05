#include "report/formats.hpp"

#include "report/coupling_report.hpp"
#include "report/csv_report.hpp"
#include "report/html_report.hpp"
#include "report/json_report.hpp"
#include "report/md_report.hpp"
#include "report/sweep_report.hpp"
#include "report/text_report.hpp"

namespace svcsim {

const std::vector<report_format> report_formats = {
    {"text", to_text, coupling_to_text, true, sweep_to_text},
    {"json", to_json, coupling_to_json, false, sweep_to_json},
    {"csv", to_csv, coupling_to_csv, false, sweep_to_csv},
    {"md", to_markdown, coupling_to_markdown, true, sweep_to_markdown},
    {"html", to_html, coupling_to_html, true, sweep_to_html},
};

const report_format* find_format(const std::string& name) {
  for (const auto& f : report_formats)
    if (name == f.name) return &f;
  return nullptr;
}

}  // namespace svcsim
