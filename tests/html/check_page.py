#!/usr/bin/env python3
"""Renders svcsim's HTML reports in headless Chromium and checks what a reader would see.

Each page is built with the real binary, copied with a small script appended that measures it,
rendered with `chromium --headless --dump-dom` at 1280 px, and the measures read back:
  - no message on the console, no script error, nothing to fetch (self-contained: no element
    with a source, no CSS url() or @import, no request made);
  - every chart (svg.chart) present, drawn (a path.line or path.edge with points, or a graph's
    boxes), not tiny;
  - every legend entry of a chart names a drawn line (a chart with nothing to draw is a sentence,
    p.no-chart, instead: a page's expected kind may be that sentence);
  - no SVG text outside its svg's box (cut off);
  - nothing wider than the window: documentElement.scrollWidth <= 1280;
  - the coupling page has its heat map (td.heat).
Besides the fixed pages, two built from scenarios written here (8 workloads with long names;
every request failing). Two broken pages must fail, each with every problem put in it, so a
passing run means something. Chromium runs a few pages at a time.
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
    (["compare", "scenarios/hybrid-signup.yaml"],  # three designs of the file
     ["cdf", "throughput", "p99", "backlog", "graph"]),
    (["coupling", "scenarios/user-signup.yaml"], ["td.heat"]),
    (["sweep", "scenarios/user-signup.yaml", "--set", "workloads.signup.rate=100/s..500/s step 100/s"],
     ["sweep-p99", "sweep-availability", "sweep-completion"]),
]

# Scenarios written to the temp dir, compared: (file name, text, kinds: a chart or its sentence).
LONG = "this-is-a-very-long-service-name-that-goes-on-and-on-for-more-than-one-hundred-characters-xx"
TOPIC = "topic.with.a.rather.long.name.that.keeps.going.and.going.beyond.one.hundred.characters.yes"
EIGHT = f"""name: eight-workloads
seed: 1
duration: 10s
warmup: 1s
services:
  front:
    workers: 4
    endpoints:
      a_b:
        work: exp(2ms)
        steps:
          - call: {LONG}.go
          - notify: {TOPIC}
  {LONG}:
    workers: 2
    endpoints:
      go:
        work: exp(1ms)
    subscribes:
      {TOPIC}:
        work: exp(3ms)
workloads:
""" + "".join(f"""  - name: checkout-{app}-app-{region}
    target: front.a_b
    arrivals: poisson(5/s)
""" for region in ["eu", "us", "ap", "sa"] for app in ["web", "mobile"])
DEAD = """name: all-dead
seed: 1
duration: 5s
warmup: 1s
services:
  api:
    workers: 2
    endpoints:
      go:
        work: exp(1ms)
failures:
  - service: api
    kind: crash
    at: 0s
workloads:
  - name: w
    target: api.go
    arrivals: poisson(20/s)
"""
WRITTEN = [("eight-workloads.yaml", EIGHT, ["cdf", "throughput", "p99", "backlog", "graph"]),
           ("all-dead.yaml", DEAD, ["cdf", "throughput", "p99", "failures", "graph"])]
SELECTORS = ["td.heat"]  # kinds that are elements to find, not charts
RUNNING = 3  # Chromium processes at a time

MEASURE = """<script>
(function () {
  const SELECTORS = """ + json.dumps(SELECTORS) + """;
  const facts = {scrollWidth: document.documentElement.scrollWidth, charts: [], errors: [],
                 requests: performance.getEntriesByType('resource').map(e => e.name)};
  // What would be fetched, loaded or not: elements with a source, and CSS that imports.
  for (const e of document.querySelectorAll('[src], link[href], iframe, object, embed'))
    facts.requests.push(e.outerHTML.slice(0, 80));
  for (const style of document.querySelectorAll('style'))
    if (/url\(|@import/.test(style.textContent)) facts.requests.push('CSS url() or @import');
  for (const e of document.querySelectorAll('[style]'))
    if (/url\(|@import/.test(e.getAttribute('style'))) facts.requests.push('style url(): ' +
        e.tagName);
  facts.found = {};
  for (const sel of SELECTORS) facts.found[sel] = document.querySelectorAll(sel).length;
  facts.sentences = [...document.querySelectorAll('p.no-chart')].map(
      p => ({kind: p.getAttribute('class'), text: p.textContent}));
  // A name: its <title> when it has one (the text may be cut), else its text.
  const name = e => (e.querySelector('title') || e).textContent.trim();
  window.addEventListener('error', e => facts.errors.push(String(e.message)));
  for (const svg of document.querySelectorAll('svg.chart')) {
    const box = svg.getBoundingClientRect();
    // Lines with points; a graph's boxes (one service alone has no edge).
    const drawn = [...svg.querySelectorAll('path.line, path.edge, polyline')].filter(
        p => /[0-9]/.test(p.getAttribute('d') || p.getAttribute('points') || '')).length +
        svg.querySelectorAll('rect.node').length;
    const lines = new Set([...svg.querySelectorAll('path.line')].filter(
        p => /[0-9]/.test(p.getAttribute('d') || '')).map(name));
    const unlined = [...svg.querySelectorAll('text.legend')].map(name).filter(n => !lines.has(n));
    const cut = [];
    for (const t of svg.querySelectorAll('text')) {
      const r = t.getBoundingClientRect();
      if (r.width > 0 && (r.left < box.left - 1 || r.right > box.right + 1 ||
                          r.top < box.top - 1 || r.bottom > box.bottom + 1))
        cut.push(t.textContent.slice(0, 40));
    }
    facts.charts.push({kind: svg.getAttribute('class'), label: svg.getAttribute('aria-label'),
                       drawn: drawn, width: box.width, height: box.height, unlined: unlined,
                       cut: cut});
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
        out += [f"chart '{chart['label']}': legend entry '{n}' has no line"
                for n in chart["unlined"]]
        out += [f"chart '{chart['label']}': text cut off: '{t}'" for t in chart["cut"]]
    for kind in kinds:
        if kind in SELECTORS:
            if not facts["found"][kind]:
                out.append(f"no {kind}")
        elif not any(kind in c["kind"].split() for c in facts["charts"]) and not any(
                kind in p["kind"].split() and p["text"] for p in facts["sentences"]):
            out.append(f"no chart of kind {kind}, nor a sentence in its place")
    return out


def main():
    if len(sys.argv) < 3:
        print(__doc__, file=sys.stderr)
        return 2
    svcsim, source = sys.argv[1], sys.argv[2]
    chromium = sys.argv[3] if len(sys.argv) > 3 else "chromium"
    with tempfile.TemporaryDirectory() as tmp:
        jobs = []  # (name, page's path, chart kinds, problems it must have: None, must pass)

        def add(name, html, kinds, must_have=None):
            path = os.path.join(tmp, name + ".html")
            with open(path, "w", encoding="utf-8") as f:
                f.write(html.replace("</body>", MEASURE + "\n</body>"))
            jobs.append((name, path, kinds, must_have))

        def build(args):
            built = subprocess.run([svcsim, *args, "--format", "html", "-q"], cwd=source,
                                   capture_output=True, text=True)
            if built.returncode != 0:
                raise RuntimeError(f"svcsim {' '.join(args)}: exit {built.returncode}: "
                                   f"{built.stderr}")
            return built.stdout

        pages = list(PAGES)
        for file, text, kinds in WRITTEN:
            with open(os.path.join(tmp, file), "w", encoding="utf-8") as f:
                f.write(text)
            pages.append((["compare", os.path.join(tmp, file)], kinds))
        built = {}
        try:
            for args, kinds in pages:
                html = build(args)
                built.setdefault(args[0], html)  # the first of each command
                add(args[0] + "-" + os.path.basename(args[1]).replace(".yaml", ""), html, kinds)
        except RuntimeError as e:
            print(f"FAIL {e}")
            return 1
        # The broken pages, each with every problem it must be found to have.
        first = built["compare"]
        # The first chart with its lines' points taken away and a text past its right edge.
        at = first.index('<svg class="chart')
        end = first.index("</svg>", at)
        emptied = re.sub(r'(class="line [^"]*" d=")[^"]*"', r'\1"', first[at:end])
        broken = (first[:at] + emptied + '<text x="600" y="40">cut off at the right</text>' +
                  first[end:]).replace(
            "</main>", '<table style="min-width:2000px"><tr><td>wide</td></tr></table>'
            '<div style="background:url(x.png)"></div></main>')
        add("broken-compare", broken, ["cdf"],
            ["draws nothing", "has no line", "text cut off", "px wide", "style url()"])
        add("broken-coupling", built["coupling"].replace('class="heat', 'class="cool'),
            ["td.heat"], ["no td.heat"])
        failed = False
        running = []  # (job, process), at most RUNNING at a time, reported in order

        def finish(job, proc):
            nonlocal failed
            name, _, kinds, must_have = job
            found = problems(proc, kinds)
            if must_have is None and found:
                failed = True
                print(f"FAIL {name}:\n  " + "\n  ".join(found))
            elif must_have is not None:
                missed = [m for m in must_have if not any(m in f for f in found)]
                if missed:
                    failed = True
                    print(f"FAIL {name}: a broken page was not found to have: {missed}; "
                          f"found: {found}")
                else:
                    print(f"ok   {name} (fails as it must: {'; '.join(found)})")
            else:
                print(f"ok   {name}")

        for job in jobs:
            if len(running) >= RUNNING:
                finish(*running.pop(0))
            running.append((job, render(chromium, job[1])))
        for job, proc in running:
            finish(job, proc)
        return 1 if failed else 0

if __name__ == "__main__":
    sys.exit(main())
