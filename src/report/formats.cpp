#include "report/formats.hpp"

#include "report/coupling_report.hpp"
#include "report/csv_report.hpp"
#include "report/html_report.hpp"
#include "report/json_report.hpp"
#include "report/md_report.hpp"
#include "report/text_report.hpp"

namespace svcsim {

const std::vector<report_format> report_formats = {
    {"text", to_text, coupling_to_text, true}, {"json", to_json, coupling_to_json, false},
    {"csv", to_csv, coupling_to_csv, false},   {"md", to_markdown, coupling_to_markdown, true},
    {"html", to_html, coupling_to_html, true},
};

const report_format* find_format(const std::string& name) {
  for (const auto& f : report_formats)
    if (name == f.name) return &f;
  return nullptr;
}

}  // namespace svcsim
