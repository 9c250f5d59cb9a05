#!/usr/bin/env python3
"""run_and_check.py SVCSIM SOURCE_DIR: the trace files of shipped scenarios, in every format
and both modes, pass check_traces.py; and check_traces.py fails on broken copies (so that it
can fail at all)."""
import json
import os
import subprocess
import sys
import tempfile

svcsim, source = sys.argv[1], sys.argv[2]
check = os.path.join(source, "tests", "traces", "check_traces.py")
failed = False


def run(args):
    return subprocess.run(args, capture_output=True, text=True)


with tempfile.TemporaryDirectory() as tmp:
    for scenario, mode, links in [("user-signup", "async", True), ("user-signup", "sync", False),
                                  ("order-checkout", "async", True)]:
        for fmt in ["otlp", "jaeger", "chrome"]:
            path = os.path.join(tmp, f"{scenario}-{mode}.{fmt}.json")
            r = run([svcsim, "run", os.path.join(source, "scenarios", scenario + ".yaml"),
                     "--mode", mode, "--trace-sample", "50", "--traces", path,
                     "--traces-format", fmt, "-q", "-o", os.path.join(tmp, "report.txt")])
            if r.returncode != 0:
                print(f"svcsim failed on {scenario} {mode} {fmt}: {r.stderr}")
                failed = True
                continue
            c = run([sys.executable, check, fmt, path] + (["--expect-links"] if links else []))
            if c.returncode == 77:  # no jsonschema here: ctest reports the test as skipped
                print(c.stdout.strip())
                sys.exit(77)
            print(c.stdout.strip() or c.stderr.strip())
            failed |= c.returncode != 0
    # Broken copies must fail: a parent that is not there, an end before a start, an unknown key.
    base = os.path.join(tmp, "user-signup-async.otlp.json")
    doc = json.load(open(base))
    span = doc["resourceSpans"][0]["scopeSpans"][0]["spans"][0]
    for name, breaks in [
        ("missing parent", lambda s: s.__setitem__("parentSpanId", "00000000deadbeef")),
        ("end before start", lambda s: s.__setitem__("endTimeUnixNano", "1")),
        ("kind as a name", lambda s: s.__setitem__("kind", "SPAN_KIND_SERVER")),
        ("unknown key", lambda s: s.__setitem__("parent_span_id", "x")),
    ]:
        broken = json.loads(json.dumps(doc))
        breaks(broken["resourceSpans"][0]["scopeSpans"][0]["spans"][0])
        path = os.path.join(tmp, "broken.json")
        json.dump(broken, open(path, "w"))
        if run([sys.executable, check, "otlp", path]).returncode == 0:
            print(f"check_traces.py accepted a file with a {name}")
            failed = True
sys.exit(1 if failed else 0)
