#!/usr/bin/env python3
"""round_trip.py SVCSIM SOURCE_DIR [SCENARIO:MODE ...]: the test of truth for svcsim infer
(docs/traces.md); the cases named, or all four.

For each case (a shipped scenario in a mode): simulate it tracing every request, infer a
scenario from the trace file, simulate that one at the same load, and compare
- the call graph (svcsim graph): the same edges between services (and, in async mode, topics);
- per endpoint, the mean work each run did (self time from both runs' traces): within 5%;
- end-to-end latency of the workload: mean within 5%, p99 within 10%.
Prints a table of what it measured; exits 1 when a tolerance does not hold. ctest runs it as
infer_round_trip_cli; tests/infer_round_trip_test.cpp checks the same cases in-process.
"""
import json
import os
import re
import subprocess
import sys
import tempfile

svcsim, source = sys.argv[1], sys.argv[2]
CASES = [("user-signup", "sync"), ("user-signup", "async"),
         ("order-checkout", "sync"), ("order-checkout", "async")]
if len(sys.argv) > 3:
    unknown = set(sys.argv[3:]) - {f"{c[0]}:{c[1]}" for c in CASES}
    if unknown:
        raise SystemExit(f"round_trip.py: no such case: {' '.join(sorted(unknown))}")
    CASES = [c for c in CASES if f"{c[0]}:{c[1]}" in sys.argv[3:]]


def run(*args):
    r = subprocess.run([svcsim, *args], capture_output=True, text=True)
    if r.returncode != 0:
        raise SystemExit(f"svcsim {' '.join(args)} failed ({r.returncode}):\n{r.stderr}")
    return r.stdout


def edges(scenario, mode):
    dot = run("graph", scenario, "--mode", mode, "--format", "dot")
    labels = dict(re.findall(r'^\s*"([^"]+)" \[label="([^"]+)"', dot, re.M))
    out = set()
    for a, b, label in re.findall(r'^\s*"([^"]+)" -> "([^"]+)"(?: \[label="([^"]*)"\])?', dot, re.M):
        # async edges carry their topic; sync calls' endpoint names are the inferred file's own
        out.add((labels.get(a, a), labels.get(b, b), label if mode == "async" else ""))
    return out


def name(s):
    return re.sub(r"[^a-z0-9]+", "-", s.lower()).strip("-")


def mean_work(path):
    """Per (service, operation) of SERVER and CONSUMER spans: the mean self time in ms (the
    span less its queue wait and the calls it waited for)."""
    doc = json.load(open(path))
    sums = {}
    for trace in doc["data"]:
        spans = {s["spanID"]: s for s in trace["spans"]}
        kids = {}
        for s in trace["spans"]:
            for r in s["references"]:
                if r["refType"] == "CHILD_OF":
                    kids.setdefault(r["spanID"], []).append(s)
        for s in trace["spans"]:
            tags = {t["key"]: t["value"] for t in s["tags"]}
            if tags["span.kind"] not in ("server", "consumer") or tags.get("svcsim.status"):
                continue
            a, b = s["startTime"], s["startTime"] + s["duration"]
            waits = []
            for k in kids.get(s["spanID"], []):
                kt = {t["key"]: t["value"] for t in k["tags"]}
                if kt["span.kind"] in ("client", "producer") or "svcsim.wait" in kt:
                    waits.append((max(a, k["startTime"]), min(b, k["startTime"] + k["duration"])))
            covered, end = 0, a
            for x, y in sorted(waits):
                x = max(x, end)
                if y > x:
                    covered += y - x
                    end = y
            service = trace["processes"][s["processID"]]["serviceName"]
            key = (service, name(s["operationName"]))
            total, n = sums.get(key, (0, 0))
            sums[key] = (total + (b - a - covered) / 1000, n + 1)
    return {k: t / n for k, (t, n) in sums.items()}


def latency(report):
    w = next(iter(json.load(open(report))["runs"][0]["workloads"].values()))
    return w["latency_ms"]["mean"], w["latency_ms"]["p99"]


failed = False
with tempfile.TemporaryDirectory() as tmp:
    for scenario, mode in CASES:
        original = os.path.join(source, "scenarios", scenario + ".yaml")
        t0, r0 = (os.path.join(tmp, f"{scenario}-{mode}.{x}") for x in ("traces.json", "report.json"))
        inferred = os.path.join(tmp, f"{scenario}-{mode}.inferred.yaml")
        t1, r1 = (os.path.join(tmp, f"{scenario}-{mode}.inferred.{x}") for x in ("traces.json", "report.json"))
        run("run", original, "--mode", mode, "--trace-sample", "1", "--traces", t0,
            "--traces-format", "jaeger", "--format", "json", "-o", r0, "-q")
        run("infer", t0, "-o", inferred)
        run("validate", inferred)
        run("run", inferred, "--mode", mode, "--trace-sample", "1", "--traces", t1,
            "--traces-format", "jaeger", "--format", "json", "-o", r1, "-q")
        print(f"{scenario}, {mode}:")
        e0, e1 = edges(original, mode), edges(inferred, mode)
        ok = e0 == e1
        print(f"  edges: {len(e0)} {'the same' if ok else f'differ: only original {sorted(e0 - e1)}, only inferred {sorted(e1 - e0)}'}")
        failed |= not ok
        w0, w1 = mean_work(t0), mean_work(t1)
        for key in sorted(w0):
            if key not in w1:
                print(f"  work of {key}: {w0[key]:.3f} ms, not in the inferred run")
                failed = True
                continue
            d = w1[key] / w0[key] - 1
            ok = abs(d) <= 0.05
            failed |= not ok
            print(f"  work of {key[0]}.{key[1]}: {w0[key]:.3f} ms, inferred {w1[key]:.3f} ms ({d:+.1%}){'' if ok else '  OUT OF 5%'}")
        (m0, p0), (m1, p1) = latency(r0), latency(r1)
        for what, a, b, tol in [("mean latency", m0, m1, 0.05), ("p99 latency", p0, p1, 0.10)]:
            d = b / a - 1
            ok = abs(d) <= tol
            failed |= not ok
            print(f"  {what}: {a:.2f} ms, inferred {b:.2f} ms ({d:+.1%}){'' if ok else f'  OUT OF {tol:.0%}'}")
sys.exit(1 if failed else 0)
