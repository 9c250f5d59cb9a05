// The HTML reports: the SVG writer's axes on hand-worked cases, and pages
// that are well formed (every element we open is closed, in order), escape every name, have
// each chart, and are the same bytes for the same seed.
#include <catch2/catch.hpp>
#include <map>
#include <regex>

#include "actors/simulate.hpp"
#include "report/format.hpp"
#include "report/graph_svg.hpp"
#include "report/html_report.hpp"
#include "report/markup.hpp"
#include "report/svg.hpp"
#include "support.hpp"

using namespace svcsim;
using namespace svcsim::testing;

namespace {

// The first element not closed in order ("" when every one is): void and self-closed elements
// aside, each <tag> must meet its </tag> before its parent's.
std::string unbalanced(const std::string& page) {
  static const std::regex tag("<(/?)([a-zA-Z][a-zA-Z0-9]*)[^>]*?(/?)>");
  static const std::vector<std::string> void_elements = {"meta", "br",    "hr",
                                                         "img",  "input", "link"};
  std::vector<std::string> open;
  for (std::sregex_iterator it(page.begin(), page.end(), tag), end; it != end; ++it) {
    const std::string name = (*it)[2];
    if ((*it)[3] == "/" ||
        std::find(void_elements.begin(), void_elements.end(), name) != void_elements.end())
      continue;
    if ((*it)[1] == "") {
      open.push_back(name);
    } else {
      if (open.empty() || open.back() != name) return name;
      open.pop_back();
    }
  }
  return open.empty() ? "" : open.back();
}

std::size_t count(const std::string& text, const std::string& what) {
  std::size_t n = 0;
  for (auto at = text.find(what); at != std::string::npos; at = text.find(what, at + 1)) ++n;
  return n;
}

constexpr double ms_ns = 1e6;

// "<b>" calls "b&c" and notifies topic "<t>" to "sub"; 200/s for 4 s, "b&c" down from 1 s
// to 2 s.
scenario hostile_names(double rate = 200) {
  auto s = base(0, 7);
  s.requests.reset();
  s.duration = static_cast<nanos>(4e9);
  const int callee = add_service(s, "b&c", 4, {work_step(exp_ms(2))});
  const auto ps = publish_to_subscriber(s, 8, {call_step(callee, 0)}, 4, {work_step(exp_ms(3))});
  s.services[ps.pub].endpoints[0].steps.back().kind = step_kind::notify;  // sync: a call
  s.services[ps.pub].name = "<b>";
  s.topics[ps.topic].name = "<t>";
  add_workload(s, ps.pub, rate);
  add_failure(s, callee, failure_kind::crash, 1000, 1000);
  return s;
}

report compare_of(const scenario& s) {
  report r;
  r.scenario = s.name + "<script>";
  r.seed = s.seed;
  for (mode m : {mode::sync, mode::async}) r.runs.push_back(simulate(s, m));
  return r;
}

}  // namespace

TEST_CASE("svg: nice axes on hand-worked ranges") {
  const nice_axis a(0, 97, 5);
  CHECK(a.lo == 0);
  CHECK(a.hi == Approx(100));
  CHECK(a.step == Approx(20));
  CHECK(a.ticks().size() == 6);
  const nice_axis b(0.013, 0.087, 4);
  CHECK(b.step == Approx(0.02));
  CHECK(b.lo == Approx(0));
  CHECK(b.hi == Approx(0.1));
  CHECK(b.ticks().back() == Approx(0.1));
  const nice_axis zero(0, 0, 5);
  CHECK(zero.lo == 0);
  CHECK(zero.hi == 1);
  const nice_axis flat(5, 5, 5);  // one step around it
  CHECK(flat.lo < 5);
  CHECK(flat.hi > 5);
  const nice_axis big(0, 1234, 5);
  CHECK(big.step == Approx(500));
  CHECK(big.hi == Approx(1500));
}

TEST_CASE("svg: log axes take powers of ten, with 2 and 5 when there are few") {
  const log_axis wide(3, 250);
  CHECK(wide.lo == Approx(1));
  CHECK(wide.hi == Approx(1000));
  CHECK(wide.ticks() == std::vector<double>{1, 10, 100, 1000});
  const log_axis narrow(2, 40);
  const auto t = narrow.ticks();
  REQUIRE(t.size() == 7);
  CHECK(t[1] == Approx(2));
  CHECK(t[2] == Approx(5));
  CHECK(t.back() == Approx(100));
  const log_axis small(0.3, 0.9);
  CHECK(small.lo == Approx(0.1));
  CHECK(small.hi == Approx(1));
}

TEST_CASE("svg: a log axis says so in its label and draws what it cannot show at its minimum") {
  chart c("test", "t", "rate", "ms");
  c.log_y();
  c.line("l", {{0, 0}, {1, 10}, {2, 1000}}, 0);
  const auto svg = c.svg();
  CHECK(svg.find(">ms (log scale)</text>") != std::string::npos);
  CHECK(svg.find(">rate</text>") != std::string::npos);
  CHECK(svg.find(">1000</text>") != std::string::npos);  // a tick at each power of ten
  std::smatch d;
  REQUIRE(std::regex_search(svg, d, std::regex("class=\"line s0\" d=\"([^\"]*)\"")));
  CHECK(count(d[1], "M") == 1);  // y = 0 at the axis's bottom: one line of three points
  CHECK(count(d[1], "L") == 2);
  CHECK(c.clamped());
}

TEST_CASE("svg: data lands where the scale puts it") {
  // The plot spans x 58 to 522 (640 wide, margins 58 and 118).
  chart linear("test", "t", "x", "y");
  linear.x_span(0, 100);
  linear.line("l", {{0, 0}, {50, 5}, {100, 10}}, 0);
  std::smatch d;
  const auto a = linear.svg();
  REQUIRE(std::regex_search(a, d,
                            std::regex("class=\"line s0\" d=\"M([0-9.]+) [0-9.]+ L([0-9.]+) "
                                       "[0-9.]+ L([0-9.]+) ")));
  CHECK(d[1] == "58.0");
  CHECK(d[2] == "290.0");
  CHECK(d[3] == "522.0");
  chart log("test", "t", "x", "y");
  log.log_x();
  log.line("l", {{1, 0}, {10, 1}, {100, 2}}, 0);
  const auto b = log.svg();
  REQUIRE(std::regex_search(b, d,
                            std::regex("class=\"line s0\" d=\"M([0-9.]+) [0-9.]+ L([0-9.]+) "
                                       "[0-9.]+ L([0-9.]+) ")));
  CHECK(d[1] == "58.0");
  CHECK(d[2] == "290.0");  // 10 is halfway from 1 to 100
  CHECK(d[3] == "522.0");
}

TEST_CASE("graph svg: columns by call depth, the broker between publishers and subscribers") {
  // a calls b; a publishes to the broker, which delivers to b and c.
  dependency_graph g;
  g.mode = mode::async;
  g.broker = true;
  const int broker = 3;
  g.edges = {{0, 1, {"get"}}, {0, broker, {"t"}}, {broker, 1, {"t"}}, {broker, 2, {"t"}}};
  const auto svg = graph_svg(g, {"a", "b", "<c>"}, "deps");
  CHECK(unbalanced(svg).empty());
  std::map<std::string, double> x;
  static const std::regex node(
      "<rect class=\"node[^\"]*\" x=\"([0-9.]+)\"[^>]*/><text[^>]*>([^<]*)</text>");
  for (std::sregex_iterator it(svg.begin(), svg.end(), node), end; it != end; ++it)
    x[(*it)[2]] = std::stod((*it)[1]);
  REQUIRE(x.size() == 4);
  CHECK(x["a"] < x["broker"]);
  CHECK(x["broker"] < x["b"]);
  CHECK(x["broker"] < x["&lt;c&gt;"]);
  CHECK(count(svg, "class=\"edge via-broker\"") == 3);
  CHECK(count(svg, "class=\"edge call\"") == 1);
  CHECK(count(svg, "marker-end=\"url(#arrow-async)\"") == 4);
}

TEST_CASE("svg: tick texts have the decimals their step needs") {
  CHECK(tick_text(0.2, 0.2) == "0.2");
  CHECK(tick_text(0.05, 0.01) == "0.05");
  CHECK(tick_text(100, 20) == "100");
  CHECK(tick_text(0, 0.2) == "0.0");
  CHECK(tick_text(20000, 5000) == "20k");
  CHECK(tick_text(2500000, 500000) == "2.5M");
}

TEST_CASE("svg: a chart escapes its texts, breaks lines at NaN, and draws bands and marks") {
  chart c("test", "a <title>", "x & y", "y");
  c.line("<line>", {{0, 1}, {1, std::nan("")}, {2, 3}, {3, 4}}, 0);
  c.band(1, 2, "crash \"x\"");
  c.mark(3, 4, "knee", 1);
  const auto svg = c.svg();
  CHECK(svg.find("<title>a &lt;title&gt;</title>") != std::string::npos);
  CHECK(svg.find("&lt;line&gt;") != std::string::npos);
  CHECK(svg.find("<line>") == std::string::npos);
  CHECK(svg.find("crash &quot;x&quot;") != std::string::npos);
  CHECK(svg.find("class=\"band\"") != std::string::npos);
  CHECK(svg.find("class=\"mark s1\"") != std::string::npos);
  CHECK(unbalanced(svg).empty());
  // Two pieces of line: a second move where the NaN is.
  std::smatch d;
  REQUIRE(std::regex_search(svg, d, std::regex("class=\"line s0\" d=\"([^\"]*)\"")));
  CHECK(count(d[1], "M") == 2);
}

TEST_CASE("html: the compare page is well formed, escapes names and has every chart") {
  const auto s = hostile_names();
  const auto r = compare_of(s);
  REQUIRE(r.runs[0].workloads[0].latency_cdf.size() > 10);
  const auto page = to_html(r);
  CHECK(unbalanced(page).empty());
  CHECK(page.rfind("<!DOCTYPE html>\n<html lang=\"en\">", 0) == 0);
  CHECK(page.find("<title>svcsim: test&lt;script&gt;</title>") != std::string::npos);
  for (const char* raw : {"<b>", "<t>", "<script", "b&c"})
    CHECK(page.find(raw) == std::string::npos);
  CHECK(page.find("&lt;b&gt;") != std::string::npos);
  CHECK(page.find("b&amp;c") != std::string::npos);
  // One CDF; per mode throughput, p99, failures, backlog and the graph.
  CHECK(count(page, "class=\"chart cdf\"") == 1);
  for (const char* kind : {"throughput", "p99", "failures", "graph"})
    CHECK(count(page, std::string("class=\"chart ") + kind + "\"") == 2);
  CHECK(count(page, "class=\"chart backlog\"") == 1);  // async only: sync has no broker
  CHECK(page.find("No broker in sync mode") != std::string::npos);
  CHECK(count(page, "class=\"node broker\"") == 1);        // async only
  CHECK(page.find("b&amp;c crash") != std::string::npos);  // the failure window's band
  CHECK(count(page, "<table class=\"metrics\">") >= 4);
  CHECK(page.find("<script") == std::string::npos);
  CHECK(page.find("http://") == page.find("http://www.w3.org/2000/svg"));  // no link out
  CHECK(page.find("https://") == std::string::npos);
}

TEST_CASE("html: the same seed gives the same bytes") {
  const auto s = hostile_names();
  CHECK(to_html(compare_of(s)) == to_html(compare_of(s)));
}

TEST_CASE("html: a sweep's page draws p99 and availability against the value, knees marked") {
  sweep_result sweep;
  sweep.scenario = "<sweep>";
  sweep.keys = {"workloads.load0.rate"};
  sweep.summary = "sync saturates at 400/s (b&c), async at none";
  for (double rate : {100.0, 400.0}) {
    sweep_result::point p;
    p.values = {fmt("%g/s", rate)};
    p.runs = compare_of(hostile_names(rate));
    sweep.points.push_back(std::move(p));
  }
  sweep.knees = {{mode::sync, 1, "p99 of load0 x, 3.4x", "b&c"}, {mode::async, -1, "", ""}};
  const auto page = sweep_to_html(sweep);
  CHECK(unbalanced(page).empty());
  CHECK(page.find("<sweep>") == std::string::npos);
  CHECK(page.find("sync saturates at 400/s (b&amp;c)") != std::string::npos);
  CHECK(count(page, "class=\"chart sweep-p99\"") == 1);
  CHECK(count(page, "class=\"chart sweep-availability\"") == 1);
  CHECK(count(page, "class=\"chart sweep-completion\"") == 1);
  CHECK(count(page, ">knee sync</text>") == 3);  // one per chart
  CHECK(page.find("knee async") == std::string::npos);
  CHECK(page.find("<td>400/s</td>") == std::string::npos);  // a key's value is its row's heading
  CHECK(page.find("<th>400/s</th>") != std::string::npos);
  CHECK(page.find(">workloads.load0.rate (/s)</text>") != std::string::npos);  // the x axis
  // Values in different units are not numbers on one axis: 500us is not 500 beside 1ms.
  sweep.points[0].values = {"500us"};
  sweep.points[1].values = {"1ms"};
  const auto units = sweep_to_html(sweep);
  CHECK(units.find(">point # (its values are in the tables)</text>") != std::string::npos);
  // A key of one value leaves the axis to the one that varies.
  sweep.keys = {"duration", "workloads.load0.rate"};
  sweep.points[0].values = {"5s", "100/s"};
  sweep.points[1].values = {"5s", "400/s"};
  const auto fixed = sweep_to_html(sweep);
  CHECK(fixed.find(">workloads.load0.rate (/s)</text>") != std::string::npos);
  CHECK(units.find(">workloads.load0.rate</text>") == std::string::npos);
}

namespace {

// The numbers of attribute `name` on the elements whose class starts with `cls`.
std::vector<double> attr_of(const std::string& svg, const std::string& cls,
                            const std::string& name) {
  std::vector<double> out;
  const std::regex re("class=\"" + cls + "[^\"]*\"[^>]*? " + name + "=\"([-0-9.]+)\"");
  for (std::sregex_iterator it(svg.begin(), svg.end(), re), end; it != end; ++it)
    out.push_back(std::stod((*it)[1]));
  return out;
}

// The points of the first solid line of style 0 in the first chart of `kind` on `page`.
std::string first_line(const std::string& page, const std::string& kind) {
  const auto chart = page.find("class=\"chart " + kind + "\"");
  const std::string path = "<path class=\"line s0\" d=\"";
  const auto at = page.find(path, chart);
  if (chart == std::string::npos || at == std::string::npos) return "";
  const auto from = at + path.size();
  return page.substr(from, page.find('"', from) - from);
}

// The viewBox's height of an SVG.
double view_height(const std::string& svg) {
  std::smatch m;
  REQUIRE(std::regex_search(svg, m, std::regex("viewBox=\"0 0 [0-9.]+ ([0-9.]+)\"")));
  return std::stod(m[1]);
}

}  // namespace

TEST_CASE("svg: many long names grow the drawing, not shrink the plot, and stay inside it") {
  chart c("test", "t", "x", "y");
  for (int i = 0; i < 16; ++i)  // 8 workloads in 2 modes, all ending near the same value
    c.line((i % 2 ? "async " : "sync ") + std::string("checkout-mobile-app-eu-") +
               std::to_string(i) + std::string(i == 3 ? 100 : 0, 'x'),
           {{0, 1}, {10, 2 + 0.01 * i}}, i, i % 2 == 1);
  const auto svg = c.svg();
  CHECK(unbalanced(svg).empty());
  const double height = view_height(svg);
  const auto frame_h = attr_of(svg, "frame", "height");
  const auto frame_y = attr_of(svg, "frame", "y");
  REQUIRE(frame_h.size() == 1);
  CHECK(frame_h[0] >= 150);                               // the plot keeps its height
  CHECK(frame_y[0] + frame_h[0] + 44 == Approx(height));  // the drawing grew instead
  // Legend entries within the width; the long name cut, whole in its title.
  for (double x : attr_of(svg, "legend", "x")) CHECK(x < 640);
  CHECK(svg.find("…<title>async checkout-mobile-app-eu-3" + std::string(100, 'x') + "</title>") !=
        std::string::npos);
  // End names cut to fit the right margin, left out when they would cover each other, never
  // below the plot.
  const auto ends = attr_of(svg, "end-label", "y");
  CHECK(!ends.empty());
  CHECK(ends.size() < 16);
  for (double y : ends) CHECK(y <= frame_y[0] + frame_h[0]);
  static const std::regex end_text("class=\"end-label[^\"]*\"[^>]*>([^<]*)<");
  for (std::sregex_iterator it(svg.begin(), svg.end(), end_text), end; it != end; ++it)
    CHECK((*it)[1].length() <= 15 + 2);  // 15 characters, the ellipsis 3 bytes for 1
  // The ninth style on has a dash pattern of its own.
  CHECK(svg.find("class=\"line s0 d1\"") != std::string::npos);
  CHECK(svg.find("class=\"line s1 dashed d1\"") != std::string::npos);
  CHECK(svg.find("class=\"swatch s0 d1\"") != std::string::npos);
}

TEST_CASE("svg: nothing to draw is a sentence; a line without points has no legend entry") {
  chart empty("cdf", "t", "x", "y");
  empty.log_x();
  empty.if_empty("no ok request in sync: no latency to draw");
  empty.line("sync", {{std::nan(""), 0.5}}, 0);
  CHECK(!empty.drawn());
  CHECK(empty.svg() == "<p class=\"no-chart cdf\">no ok request in sync: no latency to draw</p>\n");
  chart half("test", "t", "x", "y");
  half.line("nothing", {{0, std::nan("")}, {1, std::nan("")}}, 0);
  half.line("something", {{0, 1}, {1, 2}}, 1);
  const auto svg = half.svg();
  CHECK(svg.find(">nothing<") == std::string::npos);
  CHECK(svg.find("class=\"legend\" x=\"91.0\"") != std::string::npos);  // first in its row
  CHECK(svg.find(">something</text>") != std::string::npos);
}

TEST_CASE("svg: on a log axis a zero is drawn at the axis's minimum, and said") {
  chart c("test", "t", "latency ms", "share");
  c.log_x();
  c.line("zero", {{0, 0.5}, {0, 1}}, 0);
  CHECK(c.clamped());
  std::smatch d;
  const auto svg = c.svg();
  REQUIRE(std::regex_search(svg, d,
                            std::regex("class=\"line s0\" d=\"M([0-9.]+) [0-9.]+ L([0-9.]+) ")));
  CHECK(d[1] == "58.0");
  CHECK(d[2] == "58.0");
  chart positive("test", "t", "x", "y");
  positive.log_x();
  positive.line("l", {{1, 0.5}, {2, 1}}, 0);
  CHECK(!positive.clamped());
}

TEST_CASE("svg: an index axis has whole ticks only") {
  chart c("test", "t", "point #", "y");
  c.x_index();
  c.line("l", {{0, 1}, {1, 2}, {2, 3}}, 0);
  const auto svg = c.svg();
  CHECK(svg.find(">0.5</text>") == std::string::npos);
  CHECK(svg.find(">1</text>") != std::string::npos);
  chart plain("test", "t", "x", "y");
  plain.line("l", {{0, 1}, {1, 2}, {2, 3}}, 0);
  CHECK(plain.svg().find(">0.5</text>") != std::string::npos);
}

TEST_CASE("html: rates divide by the part of the last bucket inside the run") {
  auto r = compare_of(hostile_names());
  const auto& tl = r.runs[0].timeline;
  REQUIRE(tl.t_s.size() > 3);
  const std::size_t buckets = tl.t_s.size();
  // The run ends a quarter into its last bucket: that bucket is no rate; the axis ends there.
  for (auto& run : r.runs) run.sim_time_s = run.timeline.t_s.back() + run.timeline.bucket_s / 4;
  const auto page = to_html(r);
  CHECK(count(first_line(page, "throughput"), "L") + 1 == buckets - 1);
  // Three quarters inside: its rate is its count over 0.75 s, at the middle of that part.
  for (auto& run : r.runs) run.sim_time_s = run.timeline.t_s.back() + 0.75 * run.timeline.bucket_s;
  const auto again = to_html(r);
  const std::string path = first_line(again, "throughput");
  CHECK(count(path, "L") + 1 == buckets);
  // The x axis's last point is the run's end: the frame's right is the line's last x plus
  // half of what the bucket covers, on the plot's 464 px.
  const double end = r.runs[0].sim_time_s, last_mid = tl.t_s.back() + 0.375 * tl.bucket_s;
  std::smatch last;
  REQUIRE(std::regex_search(path, last, std::regex("L([0-9.]+) [0-9.]+$")));
  CHECK(std::stod(last[1]) == Approx(58 + 464 * last_mid / end).margin(0.1));
}

TEST_CASE("html: with no ok request, the latency charts are a sentence") {
  auto s = hostile_names();
  s.failures.front().service = s.workloads.front().service;
  s.failures.front().at = 0;
  s.failures.front().length.reset();  // "<b>" down the whole run: every request fails
  const auto r = compare_of(s);
  REQUIRE(r.runs[0].workloads[0].latency_ms.count == 0);
  const auto page = to_html(r);
  CHECK(unbalanced(page).empty());
  CHECK(count(page, "class=\"chart cdf\"") == 0);
  CHECK(page.find("no ok request in any mode: no latency to draw") != std::string::npos);
  CHECK(count(page, "class=\"chart p99\"") == 0);
  CHECK(page.find("no ok request in sync: no latency to draw") != std::string::npos);
  CHECK(page.find("no ok request in async: no latency to draw") != std::string::npos);
}

TEST_CASE("graph svg: an edge's label ends by its target, before the arrowhead") {
  dependency_graph g;
  g.mode = mode::sync;
  g.edges = {{0, 1, {"get"}}, {0, 2, {"put"}}};
  const auto svg = graph_svg(g, {"a", "b", "c"}, "deps");
  std::map<std::string, std::pair<double, double>> box;  // x, y of each box
  static const std::regex node(
      "<rect class=\"node[^\"]*\" x=\"([0-9.]+)\" y=\"([0-9.]+)\"[^>]*/><text[^>]*>([^<]*)</text>");
  for (std::sregex_iterator it(svg.begin(), svg.end(), node), end; it != end; ++it)
    box[(*it)[3]] = {std::stod((*it)[1]), std::stod((*it)[2])};
  static const std::regex label(
      "class=\"edge-label\" x=\"([0-9.]+)\" y=\"([0-9.]+)\" text-anchor=\"end\">([a-z]+)<");
  std::map<std::string, std::pair<double, double>> at;
  for (std::sregex_iterator it(svg.begin(), svg.end(), label), end; it != end; ++it)
    at[(*it)[3]] = {std::stod((*it)[1]), std::stod((*it)[2])};
  REQUIRE(at.size() == 2);
  CHECK(at["get"].first == Approx(box["b"].first - 14));
  CHECK(at["get"].second == Approx(box["b"].second + 10));  // above the edge, at its middle
  CHECK(at["put"].second == Approx(box["c"].second + 10));
}

TEST_CASE("html: a sweep of several keys numbers its points, the axis's ticks whole") {
  sweep_result sweep;
  sweep.scenario = "two";
  sweep.keys = {"workloads.load0.rate", "services.b.workers"};
  for (double rate : {100.0, 200.0, 300.0}) {
    sweep_result::point p;
    p.values = {fmt("%g/s", rate), fmt("%g", rate / 100)};  // both keys vary
    p.runs = compare_of(hostile_names(rate));
    sweep.points.push_back(std::move(p));
  }
  sweep.knees = {{mode::sync, -1, "", ""}, {mode::async, -1, "", ""}};
  const auto page = sweep_to_html(sweep);
  CHECK(unbalanced(page).empty());
  CHECK(count(page, "<th>#</th>") == 2);  // one table per mode
  CHECK(page.find("<th>2</th>") != std::string::npos);
  CHECK(page.find(">0.5</text>") == std::string::npos);
  CHECK(page.find(">point # (its values are in the tables)</text>") != std::string::npos);
}
