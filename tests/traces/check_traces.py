#!/usr/bin/env python3
"""Checks a trace file svcsim wrote: check_traces.py FORMAT FILE [--expect-links].

FORMAT is otlp, jaeger or chrome. Each is held to a JSON Schema (draft 2020-12) written from the
format's own definition (docs/dev/traces-research.md cites the sources: opentelemetry-proto's
JSON Protobuf Encoding, Jaeger UI's trace model, Chrome's Trace Event Format), strict about
unknown keys, plus what a schema cannot say: ends after starts, every parent and link resolves
within its trace, ids unique, every Jaeger processID defined, every flow end has a start.
Prints a one-line summary; exits 1 with the first problems on failure.
"""
import json
import sys

try:
    import jsonschema
except ImportError:  # the Debian package is for /usr/bin/python3
    import os
    if sys.executable != "/usr/bin/python3" and os.path.exists("/usr/bin/python3"):
        os.execv("/usr/bin/python3", ["/usr/bin/python3"] + sys.argv)
    print("check_traces.py: no jsonschema module (scripts/install-deps test installs it): skipped")
    sys.exit(77)

HEX32 = {"type": "string", "pattern": "^[0-9a-f]{32}$"}
HEX16 = {"type": "string", "pattern": "^[0-9a-f]{16}$"}
U64 = {"type": "string", "pattern": "^[0-9]{1,20}$"}  # fixed64 as a decimal string

ANY_VALUE = {
    "type": "object",
    "minProperties": 1, "maxProperties": 1,
    "properties": {
        "stringValue": {"type": "string"},
        "boolValue": {"type": "boolean"},
        "intValue": {"type": "string", "pattern": "^-?[0-9]{1,19}$"},
        "doubleValue": {"type": "number"},
    },
    "additionalProperties": False,
}
KEY_VALUES = {
    "type": "array",
    "items": {"type": "object", "required": ["key", "value"], "additionalProperties": False,
              "properties": {"key": {"type": "string", "minLength": 1}, "value": ANY_VALUE}},
}
OTLP = {
    "$schema": "https://json-schema.org/draft/2020-12/schema",
    "type": "object", "required": ["resourceSpans"], "additionalProperties": False,
    "properties": {"resourceSpans": {"type": "array", "items": {
        "type": "object", "required": ["resource", "scopeSpans"], "additionalProperties": False,
        "properties": {
            "resource": {"type": "object", "required": ["attributes"], "additionalProperties": False,
                         "properties": {"attributes": KEY_VALUES}},
            "scopeSpans": {"type": "array", "items": {
                "type": "object", "required": ["scope", "spans"], "additionalProperties": False,
                "properties": {
                    "scope": {"type": "object", "required": ["name"], "additionalProperties": False,
                              "properties": {"name": {"type": "string"}, "version": {"type": "string"}}},
                    "spans": {"type": "array", "items": {
                        "type": "object",
                        "required": ["traceId", "spanId", "name", "kind", "startTimeUnixNano",
                                     "endTimeUnixNano"],
                        "additionalProperties": False,
                        "properties": {
                            "traceId": HEX32, "spanId": HEX16, "parentSpanId": HEX16,
                            "name": {"type": "string", "minLength": 1},
                            "kind": {"type": "integer", "minimum": 1, "maximum": 5},
                            "startTimeUnixNano": U64, "endTimeUnixNano": U64,
                            "attributes": KEY_VALUES,
                            "links": {"type": "array", "items": {
                                "type": "object", "required": ["traceId", "spanId"],
                                "additionalProperties": False,
                                "properties": {"traceId": HEX32, "spanId": HEX16}}},
                            "status": {"type": "object", "required": ["code"],
                                       "additionalProperties": False,
                                       "properties": {"code": {"enum": [0, 1, 2]},
                                                      "message": {"type": "string"}}},
                        }}},
                }}},
        }}}},
}
TAGS = {"type": "array", "items": {
    "type": "object", "required": ["key", "value"], "additionalProperties": False,
    "properties": {"key": {"type": "string", "minLength": 1},
                   "type": {"enum": ["string", "bool", "int64", "float64"]},
                   "value": {"type": ["string", "boolean", "integer", "number"]}}}}
JAEGER = {
    "$schema": "https://json-schema.org/draft/2020-12/schema",
    "type": "object", "required": ["data"], "additionalProperties": False,
    "properties": {"data": {"type": "array", "items": {
        "type": "object", "required": ["traceID", "spans", "processes"], "additionalProperties": False,
        "properties": {
            "traceID": HEX32,
            "warnings": {"type": ["array", "null"]},
            "processes": {"type": "object", "additionalProperties": {
                "type": "object", "required": ["serviceName"], "additionalProperties": False,
                "properties": {"serviceName": {"type": "string", "minLength": 1}, "tags": TAGS}}},
            "spans": {"type": "array", "minItems": 1, "items": {
                "type": "object",
                "required": ["traceID", "spanID", "operationName", "references", "startTime",
                             "duration", "tags", "processID"],
                "additionalProperties": False,
                "properties": {
                    "traceID": HEX32, "spanID": HEX16,
                    "operationName": {"type": "string", "minLength": 1},
                    "references": {"type": "array", "items": {
                        "type": "object", "required": ["refType", "traceID", "spanID"],
                        "additionalProperties": False,
                        "properties": {"refType": {"enum": ["CHILD_OF", "FOLLOWS_FROM"]},
                                       "traceID": HEX32, "spanID": HEX16}}},
                    "flags": {"type": "integer"},
                    "startTime": {"type": "integer", "minimum": 1},
                    "duration": {"type": "integer", "minimum": 0},
                    "tags": TAGS, "logs": {"type": "array"},
                    "processID": {"type": "string"}, "warnings": {"type": ["array", "null"]},
                }}},
        }}}},
}
CHROME = {
    "$schema": "https://json-schema.org/draft/2020-12/schema",
    "type": "object", "required": ["traceEvents"],
    "properties": {"traceEvents": {"type": "array", "items": {
        "type": "object", "required": ["ph", "pid", "tid"],
        "properties": {"ph": {"enum": ["X", "M", "s", "f"]}, "pid": {"type": "integer"},
                       "tid": {"type": "integer"}, "ts": {"type": "number"},
                       "dur": {"type": "number", "minimum": 0}, "name": {"type": "string"}},
        "allOf": [
            {"if": {"properties": {"ph": {"const": "X"}}},
             "then": {"required": ["name", "ts", "dur"]}},
            {"if": {"properties": {"ph": {"enum": ["s", "f"]}}},
             "then": {"required": ["id", "ts", "cat", "name"]}},
            {"if": {"properties": {"ph": {"const": "M"}}},
             "then": {"required": ["name", "args"],
                      "properties": {"name": {"enum": ["process_name", "process_sort_index",
                                                       "thread_name"]}}}},
        ]}},
        "displayTimeUnit": {"enum": ["ms", "ns"]}},
}


def problems_otlp(doc):
    spans, out = {}, []
    for rs in doc["resourceSpans"]:
        keys = {a["key"] for a in rs["resource"]["attributes"]}
        if "service.name" not in keys:
            out.append("a resource without service.name")
        for ss in rs["scopeSpans"]:
            for s in ss["spans"]:
                key = (s["traceId"], s["spanId"])
                if key in spans:
                    out.append(f"span {key} twice")
                spans[key] = s
                if int(s["endTimeUnixNano"]) < int(s["startTimeUnixNano"]):
                    out.append(f"span {key} ends before it starts")
    links = 0
    for (trace, _), s in spans.items():
        if "parentSpanId" in s and (trace, s["parentSpanId"]) not in spans:
            out.append(f"span {s['spanId']} of {trace}: no parent {s['parentSpanId']}")
        for l in s.get("links", []):
            links += 1
            if (l["traceId"], l["spanId"]) not in spans:
                out.append(f"span {s['spanId']} of {trace}: no linked span {l['spanId']}")
    traces = {t for t, _ in spans}
    return out, f"{len(spans)} spans in {len(traces)} traces, {links} links", links


def problems_jaeger(doc):
    out, count, links = [], 0, 0
    for t in doc["data"]:
        ids = {}
        for s in t["spans"]:
            count += 1
            if s["traceID"] != t["traceID"]:
                out.append(f"span {s['spanID']} in trace {t['traceID']} says {s['traceID']}")
            if s["spanID"] in ids:
                out.append(f"span {s['spanID']} twice in {t['traceID']}")
            ids[s["spanID"]] = s
            if s["processID"] not in t["processes"]:
                out.append(f"span {s['spanID']}: process {s['processID']} not defined")
            kinds = [g for g in s["tags"] if g["key"] == "span.kind"]
            if len(kinds) != 1:
                out.append(f"span {s['spanID']}: {len(kinds)} span.kind tags")
        for s in t["spans"]:
            for r in s["references"]:
                links += r["refType"] == "FOLLOWS_FROM"
                if r["spanID"] not in ids:
                    out.append(f"span {s['spanID']}: reference to missing {r['spanID']}")
    return out, f"{count} spans in {len(doc['data'])} traces, {links} FOLLOWS_FROM", links


def problems_chrome(doc):
    out, starts, ends, slices = [], {}, [], 0
    for e in doc["traceEvents"]:
        if e["ph"] == "X":
            slices += 1
        elif e["ph"] == "s":
            starts[e["id"]] = e
        elif e["ph"] == "f":
            ends.append(e)
    for e in ends:
        if e["id"] not in starts:
            out.append(f"flow end {e['id']} without a start")
        elif starts[e["id"]]["ts"] > e["ts"]:
            out.append(f"flow {e['id']} ends before it starts")
    # Slices of one track nest or do not touch (how the viewers draw them).
    tracks = {}
    for e in doc["traceEvents"]:
        if e["ph"] == "X":
            tracks.setdefault((e["pid"], e["tid"]), []).append((e["ts"], e["ts"] + e["dur"]))
    for key, spans in tracks.items():
        spans.sort(key=lambda x: (x[0], -x[1]))
        stack = []
        for a, b in spans:
            while stack and stack[-1] <= a + 1e-6:  # ts + dur in floating point
                stack.pop()
            if stack and b > stack[-1] + 1e-6:
                out.append(f"track {key}: a slice at {a} overlaps one ending at {stack[-1]}")
                break
            stack.append(b)
    return out, f"{slices} slices, {len(ends)} flows", len(ends)


def main():
    fmt, path = sys.argv[1], sys.argv[2]
    with open(path) as f:
        doc = json.load(f)
    schema = {"otlp": OTLP, "jaeger": JAEGER, "chrome": CHROME}[fmt]
    validator = jsonschema.Draft202012Validator(schema)
    errors = sorted(validator.iter_errors(doc), key=lambda e: list(e.path))
    problems = [f"{'/'.join(map(str, e.path))}: {e.message}" for e in errors[:10]]
    if not errors:
        more, summary, links = {"otlp": problems_otlp, "jaeger": problems_jaeger,
                                "chrome": problems_chrome}[fmt](doc)
        problems += more
        if "--expect-links" in sys.argv and links == 0:
            problems.append("no links, though the run published")
    if problems:
        print(f"{path}: not valid {fmt}:", *problems[:20], sep="\n  ")
        sys.exit(1)
    print(f"{path}: valid {fmt}: {summary}")


if __name__ == "__main__":
    main()
