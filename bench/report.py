#!/usr/bin/env python3
"""Summarise a bench/compare.sh run: findings per rule, then the timing table.

Usage: report.py WORK

WORK is compare.sh's work directory. It holds expected.txt (the violations
inject.py put in), and per measured variant NAME: NAME.times (one line per
run from measure.py) and NAME.out (the standard output of the last run).
Variants and the tool whose output format they have:

  naleving        naleving, meldingen.jsonl          (the reference for ratios)
  naleving-json   naleving, the same records as one JSON array
  naleving-1t     naleving, meldingen.jsonl, RAYON_NUM_THREADS=1
  naleving-parse  naleving, meldingen.jsonl, no rules (reading only)
  regorus         regorus eval, input.json
  cfn-guard       cfn-guard validate, input.json

Findings are counted as distinct violating records per rule. Exits 1 when a
tool's counts differ from the injected ones (then the timing is meaningless),
0 otherwise.
"""
import json
import os
import re
import statistics
import sys

RULES = ["required", "enum", "bound"]
NALEVING_IDS = {
    "bench-verplichte-velden": "required",
    "bench-onbekende-waarde": "enum",
    "bench-beoordeling-voor-ontvangst": "bound",
}
VARIANTS = [
    ("naleving", "naleving", "meldingen.jsonl"),
    ("naleving-json", "naleving", "meldingen.json (array)"),
    ("naleving-1t", "naleving, 1 thread", "meldingen.jsonl"),
    ("naleving-parse", "naleving, 0 rules", "meldingen.jsonl"),
    ("regorus", "regorus", "input.json"),
    ("cfn-guard", "cfn-guard", "input.json"),
]


def count_naleving(doc):
    seen = {r: set() for r in RULES}
    for f in doc["findings"]:
        seen[NALEVING_IDS[f["rule"]]].add(f["record"])
    records = doc["summary"]["records"]
    if doc["summary"]["problems"]:
        print(f"naleving reported {doc['summary']['problems']} problems", file=sys.stderr)
        records = -1
    return {r: len(s) for r, s in seen.items()}, records


def count_regorus(doc):
    value = doc["result"][0]["expressions"][0]["value"]
    return {
        "required": len({pair[0] for pair in value.get("required", [])}),
        "enum": len(value.get("enum", [])),
        "bound": len(value.get("bound", [])),
    }, None


INDEX = re.compile(r"^/meldingen/(\d+)")


def paths(node):
    """Every `path` string anywhere below node."""
    if isinstance(node, dict):
        for k, v in node.items():
            if k == "path" and isinstance(v, str):
                yield v
            else:
                yield from paths(v)
    elif isinstance(node, list):
        for v in node:
            yield from paths(v)


def count_guard(doc):
    docs = doc if isinstance(doc, list) else [doc]
    seen = {r: set() for r in RULES}
    for d in docs:
        for entry in d.get("not_compliant", []):
            rule = entry["Rule"]
            for p in paths(rule["checks"]):
                m = INDEX.match(p)
                if m:
                    seen[rule["name"]].add(int(m.group(1)))
    return {r: len(s) for r, s in seen.items()}, None


COUNTERS = {"naleving": count_naleving, "naleving-json": count_naleving,
            "naleving-1t": count_naleving,
            "regorus": count_regorus, "cfn-guard": count_guard}


def read_times(path):
    runs = []
    with open(path, encoding="utf-8") as f:
        for line in f:
            wall, rss, code, cpu = line.split()
            runs.append((float(wall), int(rss), code, float(cpu)))
    return runs


def main():
    work = sys.argv[1]
    expected = {}
    with open(os.path.join(work, "expected.txt"), encoding="utf-8") as f:
        for line in f:
            rule, n = line.split()
            expected[rule] = int(n)

    with open(os.path.join(work, "data", "meldingen.jsonl"), "rb") as f:
        total = sum(1 for _ in f)

    # Findings per rule.
    counts = {}
    complete = True
    for name, _, _ in VARIANTS:
        out = os.path.join(work, f"{name}.out")
        times = os.path.join(work, f"{name}.times")
        if name not in COUNTERS or not os.path.exists(times):
            continue
        if read_times(times)[-1][2] == "timeout":
            continue  # killed: its output is incomplete
        if os.path.getsize(out):
            with open(out, encoding="utf-8") as f:
                counts[name], judged = COUNTERS[name](json.load(f))
            if judged is not None and judged != total:
                print(f"{name} read {judged} of {total} records", file=sys.stderr)
                complete = False
    agree = complete and all(c == expected for c in counts.values())
    names = list(counts)
    print("Violating records per rule (injected = what inject.py put in):")
    print()
    print("| rule | injected | " + " | ".join(names) + " | agree |")
    print("|---|" + "---:|" * (len(names) + 1) + "---|")
    for r in RULES:
        row = [str(counts[n][r]) for n in names]
        ok = all(counts[n][r] == expected[r] for n in names)
        print(f"| {r} | {expected[r]} | " + " | ".join(row) + f" | {'yes' if ok else 'NO'} |")
    print()

    # Timing.
    rows = []
    for name, tool, data in VARIANTS:
        path = os.path.join(work, f"{name}.times")
        if not os.path.exists(path):
            continue
        runs = read_times(path)
        done = [r for r in runs if r[2] != "timeout"]
        if not done:
            rows.append((name, tool, data, None, runs))
            continue
        rows.append((name, tool, data, statistics.median(r[0] for r in done), runs))
    base = next((m for n, _, _, m, _ in rows if n == "naleving"), None)
    print("Whole process, wall time (median of the runs), CPU time (user + system, median), "
          "peak RSS (max over the runs); ratio = median / naleving's median, so above 1 means naleving is faster:")
    print()
    print("| tool | input | runs | median s | min–max s | CPU s | peak RSS MB | ratio |")
    print("|---|---|---:|---:|---:|---:|---:|---:|")
    for name, tool, data, median, runs in rows:
        if median is None:
            print(f"| {tool} | {data} | {len(runs)} | did not finish within the timeout "
                  f"({runs[0][0]:.0f} s) | | | | |")
            continue
        done = [r for r in runs if r[2] != "timeout"]
        walls = [r[0] for r in done]
        cpu = statistics.median(r[3] for r in done)
        rss = max(r[1] for r in done) / 1024
        ratio = f"{median / base:.2f}" if base else "–"
        print(f"| {tool} | {data} | {len(done)} | {median:.2f} | {min(walls):.2f}–{max(walls):.2f} "
              f"| {cpu:.2f} | {rss:.0f} | {ratio} |")
    print()
    targets = {"regorus": (3, 5), "cfn-guard": (50, 100)}
    if base:
        for name, tool, _, median, _ in rows:
            if name in targets and median:
                need, aim = targets[name]
                verdict = "met" if median / base >= need else "NOT met"
                print(f"speed-up of naleving over {tool}: {median / base:.2f}x "
                      f"(issue 7 target: at least {need}x, aim {aim}x: {verdict})")
    if not agree:
        print("\nThe tools DISAGREE on the findings: the timings above compare different work.")
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
