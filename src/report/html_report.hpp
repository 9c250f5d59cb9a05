// The HTML reports (--format html): one self-contained page each (html_page.hpp), the same
// bytes for the same input (no time, no wall-clock duration). Charts are inline SVG (svg.hpp,
// graph_svg.hpp), each with a title, and every table's numbers come from the code the text
// report uses (table.hpp, metric_rows.hpp), so the page never disagrees with it.
//  - run / compare: the header; the latency CDF of every mode and workload; per mode, against
//    simulated time, throughput (with the offered rate of a rate profile), p99 latency,
//    failures and the broker's backlog, the scenario's failure windows shaded and named; the
//    dependency graph of each mode; the metric tables, the spans around failures, who knows
//    whom, the warnings and the terms.
//  - coupling: the blast radius as a heat map (a row per crashed party, a column per workload
//    and mode, coloured by the availability of the requests sent in the crash window, the
//    value in the cell), then the static coupling per mode and what each crash takes down.
//  - sweep: its summary as the lead; p99 latency and availability against the swept value
//    (against the point's index with several keys), a line per mode and workload, each mode's
//    knee marked; the table of points.
#pragma once

#include <string>

#include "engine/results.hpp"
#include "studies/blast_radius.hpp"
#include "studies/sweep.hpp"

namespace svcsim {

std::string to_html(const report& r);
std::string coupling_to_html(const scenario& s, const blast_radius& b);
std::string sweep_to_html(const sweep_result& sweep);

}  // namespace svcsim
