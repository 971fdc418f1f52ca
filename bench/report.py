#!/usr/bin/env python3
"""Summarise a bench/compare.sh run: findings per rule, then the timing table,
for each workload that ran.

Usage: report.py WORK

WORK is compare.sh's work directory. Per workload it holds what the data
scripts wrote (expected.txt from inject.py for the wide workload,
narrow-expected.txt from narrow.py for the narrow one), and per measured
variant NAME: NAME.times (one line per run from measure.py) and NAME.out
(the standard output of the last run).

Wide workload (issue 7): 200,000 generated meldingen of about a dozen
fields, 1,392 injected violations. Variants:

  naleving        naleving, meldingen.jsonl          (the reference for ratios)
  naleving-json   naleving, the same records as one JSON array
  naleving-1t     naleving, meldingen.jsonl, RAYON_NUM_THREADS=1
  naleving-parse  naleving, meldingen.jsonl, no rules (reading only)
  regorus         regorus eval, input.json
  cfn-guard       cfn-guard validate, input.json

Narrow workload (issue 20): 200,000 records of five fields, about 40%
violating a rule (about 84,000 findings). Variants, named as above with
`-narrow`: naleving-narrow, naleving-narrow-1t, naleving-narrow-parse,
regorus-narrow, cfn-guard-narrow.

Findings are counted as distinct violating records per rule and, for the
narrow workload, as findings too (one per missing field for `required`).
Exits 1 when a tool's counts differ from the expected ones (then the timing
is meaningless), 0 otherwise.
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
    "narrow-verplichte-velden": "required",
    "narrow-onbekende-soort": "enum",
    "narrow-te-veel-betrokkenen": "bound",
}


def count_naleving(doc):
    seen = {r: set() for r in RULES}
    findings = {r: 0 for r in RULES}
    for f in doc["findings"]:
        rule = NALEVING_IDS[f["rule"]]
        seen[rule].add(f["record"])
        findings[rule] += 1
    records = doc["summary"]["records"]
    if doc["summary"]["problems"]:
        print(f"naleving reported {doc['summary']['problems']} problems", file=sys.stderr)
        records = -1
    return {r: (len(seen[r]), findings[r]) for r in RULES}, records


def count_regorus(doc):
    value = doc["result"][0]["expressions"][0]["value"]
    required = value.get("required", [])
    return {
        "required": (len({pair[0] for pair in required}), len(required)),
        "enum": (len(value.get("enum", [])), len(value.get("enum", []))),
        "bound": (len(value.get("bound", [])), len(value.get("bound", []))),
    }, None


def count_regorus_deny(doc):
    """`data.narrow.deny`: one "<rule> <id>[ <field>]" string per finding."""
    value = doc["result"][0]["expressions"][0]["value"]
    seen = {r: set() for r in RULES}
    findings = {r: 0 for r in RULES}
    for entry in value:
        rule, record = entry.split(" ")[:2]
        seen[rule].add(record)
        findings[rule] += 1
    return {r: (len(seen[r]), findings[r]) for r in RULES}, None


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
    """Distinct records per rule (any path below a failed rule), and the
    failed clauses (one per finding in the narrow workload: each check of a
    rule is one clause on one record)."""
    docs = doc if isinstance(doc, list) else [doc]
    seen = {r: set() for r in RULES}
    findings = {r: 0 for r in RULES}
    for d in docs:
        for entry in d.get("not_compliant", []):
            rule = entry["Rule"]
            findings[rule["name"]] += len(rule["checks"])
            for p in paths(rule["checks"]):
                m = INDEX.match(p)
                if m:
                    seen[rule["name"]].add(int(m.group(1)))
    return {r: (len(seen[r]), findings[r]) for r in RULES}, None


# name, tool, input, counter (None: reads only, no findings to count)
WIDE = [
    ("naleving", "naleving", "meldingen.jsonl", count_naleving),
    ("naleving-json", "naleving", "meldingen.json (array)", count_naleving),
    ("naleving-1t", "naleving, 1 thread", "meldingen.jsonl", count_naleving),
    ("naleving-parse", "naleving, 0 rules", "meldingen.jsonl", None),
    ("regorus", "regorus", "input.json", count_regorus),
    ("cfn-guard", "cfn-guard", "input.json", count_guard),
]
NARROW = [
    ("naleving-narrow", "naleving", "narrow.jsonl", count_naleving),
    ("naleving-narrow-1t", "naleving, 1 thread", "narrow.jsonl", count_naleving),
    ("naleving-narrow-parse", "naleving, 0 rules", "narrow.jsonl", None),
    ("regorus-narrow", "regorus", "narrow-input.json", count_regorus_deny),
    ("cfn-guard-narrow", "cfn-guard", "narrow-input.json", count_guard),
]
# Issue 20, point 5: naleving at least this many times faster.
TARGETS = {"regorus": 5, "cfn-guard": 100}


def read_times(path):
    runs = []
    with open(path, encoding="utf-8") as f:
        for line in f:
            parts = line.split()
            wall, rss, code, cpu = parts[:4]
            user, system = (float(parts[4]), float(parts[5])) if len(parts) >= 6 else (None, None)
            runs.append((float(wall), int(rss), code, float(cpu), user, system))
    return runs


def read_expected(path):
    """rule -> (records, findings or None)."""
    expected = {}
    with open(path, encoding="utf-8") as f:
        for line in f:
            parts = line.split()
            expected[parts[0]] = (int(parts[1]), int(parts[2]) if len(parts) > 2 else None)
    return expected


def agreement(work, variants, expected, total):
    """Prints the findings table; True when every tool found what was expected."""
    counts = {}
    complete = True
    for name, _, _, counter in variants:
        out = os.path.join(work, f"{name}.out")
        times = os.path.join(work, f"{name}.times")
        if counter is None or not os.path.exists(times):
            continue
        if read_times(times)[-1][2] == "timeout":
            continue  # killed: its output is incomplete
        if os.path.getsize(out):
            with open(out, encoding="utf-8") as f:
                counts[name], judged = counter(json.load(f))
            if judged is not None and judged != total:
                print(f"{name} read {judged} of {total} records", file=sys.stderr)
                complete = False
    with_findings = all(v[1] is not None for v in expected.values())

    def same(got, want):
        return got[0] == want[0] and (want[1] is None or got[1] == want[1])

    agree = complete and all(same(c[r], expected[r]) for c in counts.values() for r in RULES)
    names = list(counts)
    if with_findings:
        print("Violating records / findings per rule (expected = what the data script wrote):")
    else:
        print("Violating records per rule (injected = what inject.py put in):")
    print()
    head = "expected" if with_findings else "injected"
    print(f"| rule | {head} | " + " | ".join(names) + " | agree |")
    print("|---|" + "---:|" * (len(names) + 1) + "---|")

    def show(c):
        return f"{c[0]} / {c[1]}" if with_findings else str(c[0])

    for r in RULES:
        row = [show(counts[n][r]) for n in names]
        ok = all(same(counts[n][r], expected[r]) for n in names)
        print(f"| {r} | {show(expected[r])} | " + " | ".join(row) + f" | {'yes' if ok else 'NO'} |")
    print()
    return agree


def timing(work, variants, reference, floor):
    """Prints the timing table and the targets; returns nothing."""
    rows = []
    for name, tool, data, _ in variants:
        path = os.path.join(work, f"{name}.times")
        if not os.path.exists(path):
            continue
        runs = read_times(path)
        done = [r for r in runs if r[2] != "timeout"]
        if not done:
            rows.append((name, tool, data, None, runs))
            continue
        rows.append((name, tool, data, statistics.median(r[0] for r in done), runs))
    base = next((m for n, _, _, m, _ in rows if n == reference), None)
    print("Whole process, wall time (median of the runs), CPU time (user + system, median), "
          "user and system time (medians), peak RSS (max over the runs); ratio = median / "
          "naleving's median, so above 1 means naleving is faster:")
    print()
    print("| tool | input | runs | median s | min–max s | CPU s | user s | sys s "
          "| peak RSS MB | ratio |")
    print("|---|---|---:|---:|---:|---:|---:|---:|---:|---:|")
    for name, tool, data, median, runs in rows:
        if median is None:
            print(f"| {tool} | {data} | {len(runs)} | did not finish within the timeout "
                  f"({runs[0][0]:.0f} s) | | | | | | |")
            continue
        done = [r for r in runs if r[2] != "timeout"]
        walls = [r[0] for r in done]
        cpu = statistics.median(r[3] for r in done)
        if all(r[4] is not None for r in done):
            user = f"{statistics.median(r[4] for r in done):.2f}"
            system = f"{statistics.median(r[5] for r in done):.2f}"
        else:
            user = system = "–"
        rss = max(r[1] for r in done) / 1024
        ratio = f"{median / base:.2f}" if base else "–"
        print(f"| {tool} | {data} | {len(done)} | {median:.2f} | {min(walls):.2f}–{max(walls):.2f} "
              f"| {cpu:.2f} | {user} | {system} | {rss:.0f} | {ratio} |")
    print()
    if not base:
        return
    for name, tool, _, median, runs in rows:
        peer = next((p for p in TARGETS if name == p or name.startswith(p + "-")), None)
        if peer and median:
            need = TARGETS[peer]
            verdict = "met" if median / base >= need else "NOT met"
            print(f"speed-up of naleving over {tool}: {median / base:.2f}x "
                  f"(issue 20 target: at least {need}x: {verdict})")
        if name == reference:
            done = [r for r in runs if r[2] != "timeout" and r[4]]
            if done:
                share = statistics.median(r[5] / r[4] for r in done)
                verdict = "met" if share < 0.2 else "NOT met"
                print(f"naleving's system time: {100 * share:.0f}% of its user time "
                      f"(median; issue 20 target: below 20%: {verdict})")
    parse = next((m for n, _, _, m, _ in rows if n == floor), None)
    if parse:
        line = f"naleving against reading only: {base / parse:.2f}x"
        if floor == "naleving-narrow-parse":
            verdict = "met" if base <= 2 * parse else "NOT met"
            line += f" (issue 20 target: within 2x: {verdict})"
        print(line)


def main():
    work = sys.argv[1]
    ok = True
    workloads = [
        ("Wide workload (issue 7)", WIDE, "expected.txt", "meldingen.jsonl",
         "naleving", "naleving-parse"),
        ("Narrow workload (issue 20)", NARROW, "narrow-expected.txt", "narrow.jsonl",
         "naleving-narrow", "naleving-narrow-parse"),
    ]
    for title, variants, expected_file, data, reference, floor in workloads:
        expected_path = os.path.join(work, expected_file)
        if not os.path.exists(expected_path):
            continue
        print(f"### {title}")
        print()
        with open(os.path.join(work, "data", data), "rb") as f:
            total = sum(1 for _ in f)
        agree = agreement(work, variants, read_expected(expected_path), total)
        timing(work, variants, reference, floor)
        if not agree:
            print("\nThe tools DISAGREE on the findings: the timings above compare different work.")
            ok = False
        print()
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
