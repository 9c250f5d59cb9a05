#!/usr/bin/env python3
"""Renders svcsim's HTML reports in headless Chromium and checks what a reader would see.

Each page is built with the real binary, copied with a small script appended that measures it,
rendered with `chromium --headless --dump-dom` at 1280 px, and the measures read back:
  - no message on the console, no script error, nothing to fetch (self-contained: no element
    with a source, no CSS url() or @import, no request made);
  - every chart (svg.chart) present, drawn (a path.line or path.edge with points), not tiny;
  - nothing wider than the window: documentElement.scrollWidth <= 1280.
Two broken pages (an empty chart, a 2000 px table) must fail, so a passing run means something.
Usage: check_page.py SVCSIM SOURCE_DIR [CHROMIUM]   (exit 0: every page passed)
"""
import json
import os
import re
import subprocess
import sys
import tempfile

WIDTH = 1280

# Pages: the command's arguments, the chart kinds each must have (at least one of each).
PAGES = [
    (["compare", "scenarios/user-signup-outage.yaml"],
     ["cdf", "throughput", "p99", "failures", "backlog", "graph"]),
    (["run", "scenarios/daily-peak.yaml", "--mode", "async"],
     ["cdf", "throughput", "p99", "backlog", "graph"]),
    (["coupling", "scenarios/user-signup.yaml"], []),
    (["sweep", "scenarios/user-signup.yaml", "--set", "workloads.signup.rate=100/s..500/s step 100/s"],
     ["sweep-p99", "sweep-availability", "sweep-completion"]),
]

MEASURE = """<script>
(function () {
  const facts = {scrollWidth: document.documentElement.scrollWidth, charts: [], errors: [],
                 requests: performance.getEntriesByType('resource').map(e => e.name)};
  // What would be fetched, loaded or not: elements with a source, and CSS that imports.
  for (const e of document.querySelectorAll('[src], link[href], iframe, object, embed'))
    facts.requests.push(e.outerHTML.slice(0, 80));
  for (const style of document.querySelectorAll('style'))
    if (/url\(|@import/.test(style.textContent)) facts.requests.push('CSS url() or @import');
  window.addEventListener('error', e => facts.errors.push(String(e.message)));
  for (const svg of document.querySelectorAll('svg.chart')) {
    const box = svg.getBoundingClientRect();
    const drawn = [...svg.querySelectorAll('path.line, path.edge, polyline')].filter(
        p => /[0-9]/.test(p.getAttribute('d') || p.getAttribute('points') || '')).length;
    facts.charts.push({kind: svg.getAttribute('class'), label: svg.getAttribute('aria-label'),
                       drawn: drawn, width: box.width, height: box.height});
  }
  const out = document.createElement('pre');
  out.id = 'svcsim-facts';
  out.textContent = JSON.stringify(facts);
  document.body.appendChild(out);
})();
</script>"""


def render(chromium, path):
    """Starts Chromium on `path` (a page with MEASURE appended); returns the process."""
    return subprocess.Popen(
        [chromium, "--headless", "--disable-gpu", "--no-sandbox", "--no-first-run",
         f"--window-size={WIDTH},1000", "--enable-logging=stderr", "--v=0",
         "--dump-dom", "file://" + path],
        stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)


def problems(proc, kinds):
    """What is wrong with the rendered page, as sentences (none: it passed)."""
    try:
        dom, log = proc.communicate(timeout=60)
    except subprocess.TimeoutExpired:
        proc.kill()
        return ["chromium did not finish in 60 s"]
    found = re.search(r'<pre id="svcsim-facts">(.*?)</pre>', dom, re.S)
    if not found:
        return ["the page was not rendered (no facts in the DOM)"]
    facts = json.loads(found.group(1).replace("&quot;", '"').replace("&lt;", "<")
                       .replace("&gt;", ">").replace("&amp;", "&"))
    out = []
    out += [f"console: {line.strip()}" for line in log.splitlines() if ":CONSOLE" in line]
    out += [f"script error: {e}" for e in facts["errors"]]
    out += [f"requested {r}: the page must be self-contained" for r in facts["requests"]]
    if facts["scrollWidth"] > WIDTH:
        out.append(f"the page is {facts['scrollWidth']} px wide, more than {WIDTH}")
    for chart in facts["charts"]:
        if chart["drawn"] == 0:
            out.append(f"chart '{chart['label']}' draws nothing")
        if chart["width"] < 200 or chart["height"] < 100:
            out.append(f"chart '{chart['label']}' is {chart['width']:.0f}x"
                       f"{chart['height']:.0f} px")
    for kind in kinds:
        if not any(kind in c["kind"].split() for c in facts["charts"]):
            out.append(f"no chart of kind {kind}")
    return out


def main():
    if len(sys.argv) < 3:
        print(__doc__, file=sys.stderr)
        return 2
    svcsim, source = sys.argv[1], sys.argv[2]
    chromium = sys.argv[3] if len(sys.argv) > 3 else "chromium"
    with tempfile.TemporaryDirectory() as tmp:
        jobs = []  # (name, process, chart kinds, must pass)
        def start(name, html, kinds, must_pass):
            path = os.path.join(tmp, name + ".html")
            with open(path, "w", encoding="utf-8") as f:
                f.write(html.replace("</body>", MEASURE + "\n</body>"))
            jobs.append((name, render(chromium, path), kinds, must_pass))

        for args, kinds in PAGES:
            built = subprocess.run([svcsim, *args, "--format", "html", "-q"], cwd=source,
                                   capture_output=True, text=True)
            if built.returncode != 0:
                print(f"FAIL svcsim {' '.join(args)}: exit {built.returncode}: {built.stderr}")
                return 1
            start(args[0], built.stdout, kinds, True)
        # The broken pages: built from the first one, they must fail.
        first = subprocess.run([svcsim, *PAGES[0][0], "--format", "html", "-q"], cwd=source,
                               capture_output=True, text=True).stdout
        # The first chart with its lines' points taken away; the others as they are.
        at = first.index('<svg class="chart')
        end = first.index("</svg>", at)
        emptied = re.sub(r'(class="line [^"]*" d=")[^"]*"', r'\1"', first[at:end])
        start("broken-empty-chart", first[:at] + emptied + first[end:], [], False)
        start("broken-wide-table", first.replace(
            "</main>", '<table style="min-width:2000px"><tr><td>wide</td></tr></table></main>'), [],
            False)
        failed = False
        for name, proc, kinds, must_pass in jobs:
            found = problems(proc, kinds)
            if must_pass and found:
                failed = True
                print(f"FAIL {name}:\n  " + "\n  ".join(found))
            elif not must_pass and not found:
                failed = True
                print(f"FAIL {name}: a broken page passed the checks")
            else:
                print(f"ok   {name}" + (f" (fails as it must: {found[0]})" if found else ""))
        return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
