#include "report/html_page.hpp"

#include "report/markup.hpp"

namespace svcsim {
namespace {

// Colours: s0..s7 for lines (d1..d3 add a dash pattern for the 9th line on) (Okabe-Ito, told apart
// by most colour-blind readers too; each line also has its name written), a0..a4 for availability
// in the heat map (its value is in the cell too). Print drops nothing that carries meaning.
constexpr const char* css = R"CSS(
body{font:14px/1.45 system-ui,-apple-system,"Segoe UI",Roboto,sans-serif;color:#1b1f24;margin:0}
main{max-width:1220px;margin:0 auto;padding:12px 24px 32px;box-sizing:border-box}
h1{font-size:22px;margin:8px 0}h2{font-size:18px;border-bottom:1px solid #d0d7de;margin:28px 0 8px}
h3{font-size:15px;margin:14px 0 4px}h4{font-size:14px;margin:14px 0 2px;break-after:avoid}
h1,h2,h3,h4,p,li{overflow-wrap:anywhere}
.lead{font-size:16px}.muted,.note,figcaption{color:#57606a;font-size:12px}
.row{display:grid;grid-template-columns:repeat(auto-fit,minmax(420px,1fr));gap:8px 24px}
figure{margin:0 0 12px;break-inside:avoid}
svg.chart{width:100%;height:auto;display:block;max-width:760px}
svg.graph{width:auto;max-width:100%}.graphs{display:flex;flex-wrap:wrap;gap:0 48px}
.graphs figure{max-width:100%}
.tables{column-width:520px;column-gap:28px}.tables table{break-inside:avoid;width:100%}
table{border-collapse:collapse;font-size:13px;margin:4px 0 10px;max-width:100%}
th,td{border:1px solid #d0d7de;padding:2px 8px;overflow-wrap:anywhere}
td{text-align:right;font-variant-numeric:tabular-nums}th{text-align:left;font-weight:600}
thead th{background:#f6f8fa}table.text td{text-align:left}
pre{white-space:pre-wrap;overflow-wrap:anywhere;font-size:12px;background:#f6f8fa;padding:8px}
svg text{font:11px system-ui,sans-serif;fill:#1b1f24}
.chart-title{font-weight:600;font-size:13px}.tick,.axis-label{fill:#57606a}
.gridline{stroke:#eaeef2}.frame{fill:none;stroke:#8c959f}
.band{fill:#cf222e;fill-opacity:.08;stroke:#cf222e;stroke-opacity:.4;stroke-dasharray:3 3}
.band-label{font-size:10px;fill:#a40e26}
.s0{--c:#0072b2}.s1{--c:#d55e00}.s2{--c:#009e73}.s3{--c:#cc79a7}
.s4{--c:#e69f00}.s5{--c:#56b4e9}.s6{--c:#000}.s7{--c:#999933}
.line,.swatch{fill:none;stroke:var(--c);stroke-width:2}.dashed{stroke-dasharray:7 4}
.d1{stroke-dasharray:2 3}.dashed.d1{stroke-dasharray:9 3 2 3}.d2{stroke-dasharray:12 3}
.dashed.d2{stroke-dasharray:12 3 2 3 2 3}.d3{stroke-dasharray:1 5}.dashed.d3{stroke-dasharray:4 8}
.no-chart{color:#57606a;font-style:italic;margin:8px 0}
.end-label{fill:var(--c);font-weight:600}.mark{fill:var(--c);stroke:#fff;stroke-width:1.5}
.mark-label{font-weight:700}
.node{fill:#f6f8fa;stroke:#57606a}.node.broker{fill:#fff8c5;stroke:#9a6700;stroke-width:2}
.node-label{font-size:12px}.edge{fill:none;stroke:#57606a;stroke-width:1.5}
.edge.via-broker{stroke:#9a6700;stroke-dasharray:6 4}.arrowhead{fill:#57606a}
.edge-label{font-size:10px;paint-order:stroke;stroke:#fff;stroke-width:3px}
td.heat{text-align:center}.a0{background:#dafbe1}.a1{background:#aceebb}
.a2{background:#fff8c5}.a3{background:#ffd8b5}.a4{background:#ffcecb;font-weight:600}
@media print{main{max-width:none;padding:0}body{font-size:11px}h2{break-after:avoid}
figure,svg,tr{break-inside:avoid}.row{display:block}pre{background:none}
.tables{column-width:auto;columns:1}}
)CSS";

}  // namespace

std::string html_document(const std::string& title, const std::string& body) {
  return "<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n"
         "<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n<title>" +
         escape(title) + "</title>\n<style>" + css + "</style>\n</head>\n<body>\n<main>\n" + body +
         "</main>\n</body>\n</html>\n";
}

std::string html_table(const std::vector<std::string>& head,
                       const std::vector<std::vector<std::string>>& rows,
                       const std::string& css_class) {
  std::string out =
      "<table" + (css_class.empty() ? "" : " class=\"" + css_class + "\"") + "><thead><tr>";
  for (const auto& h : head) out += "<th>" + escape(h) + "</th>";
  out += "</tr></thead><tbody>\n";
  for (const auto& row : rows) {
    out += "<tr>";
    for (std::size_t i = 0; i < row.size(); ++i)
      out += (i == 0 ? "<th>" : "<td>") + escape(row[i]) + (i == 0 ? "</th>" : "</td>");
    out += "</tr>\n";
  }
  return out + "</tbody></table>\n";
}

}  // namespace svcsim
