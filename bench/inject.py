#!/usr/bin/env python3
"""Inject known violations into generated meldingen, for bench/compare.sh.

Usage: inject.py IN.jsonl OUTDIR

Reads the generator's meldingen.jsonl and writes, with the same records in
the same order:

  OUTDIR/meldingen.jsonl   one object per line        (naleving)
  OUTDIR/meldingen.json    one JSON array              (naleving, .json reader)
  OUTDIR/input.json        {"meldingen": [...]}        (regorus, cfn-guard)
  OUTDIR/expected.txt      the injected violations per rule, "rule count"

Deterministic: which record is changed depends only on its line number i
(0-based), never on randomness, so the same generator seed gives the same
files. The generator itself produces no violation of these three rules.

  rule 1 (required: id, regio, soort, ontvangen_op present and non-empty)
    i % 1000 == 17   delete `regio`
    i % 1000 == 317  `ontvangen_op` = ""
    i % 1000 == 617  `soort` = ""            (also a rule-2 violation)
  rule 2 (soort in 2 values, melder in 8 values)
    i % 1000 == 117  `soort` = "zorgmelding"
    i % 1000 == 517  `melder` = "buurman"
  rule 3 (veiligheidsbeoordeling_op >= ontvangen_op, when both present)
    i % 500 == 217   `veiligheidsbeoordeling_op` = the day before `ontvangen_op`,
                     only on records that have a beoordeling

`id` is never removed: it is naleving's collection key, and a record without
it is a data problem (not judged) rather than a rule finding. Blank strings
("  ") are not injected either: naleving counts them as missing, the peers'
rules as written here would not.
"""
import datetime
import json
import sys

SOORT = {"melding", "advies"}
MELDER = {"politie", "gezondheidszorg", "onderwijs", "jeugdzorg", "ggz",
          "kinderopvang", "apotheek", "niet-beroepsmatig"}


def violations(r):
    """Which of the three rules record r violates (an independent oracle)."""
    out = []
    if any(r.get(f) in (None, "") for f in ("id", "regio", "soort", "ontvangen_op")):
        out.append("required")
    if ("soort" in r and r["soort"] not in SOORT) or ("melder" in r and r["melder"] not in MELDER):
        out.append("enum")
    if "ontvangen_op" in r and "veiligheidsbeoordeling_op" in r \
            and not r["veiligheidsbeoordeling_op"] >= r["ontvangen_op"]:
        out.append("bound")
    return out


def main():
    src, outdir = sys.argv[1], sys.argv[2]
    counts = {"required": 0, "enum": 0, "bound": 0}
    records = []
    with open(src, encoding="utf-8") as f, \
            open(f"{outdir}/meldingen.jsonl", "w", encoding="utf-8") as jl:
        for i, line in enumerate(f):
            r = json.loads(line)
            m = i % 1000
            if m == 17:
                del r["regio"]
            elif m == 317:
                r["ontvangen_op"] = ""
            elif m == 617:
                r["soort"] = ""
            elif m == 117:
                r["soort"] = "zorgmelding"
            elif m == 517:
                r["melder"] = "buurman"
            elif i % 500 == 217 and "veiligheidsbeoordeling_op" in r:
                d = datetime.date.fromisoformat(r["ontvangen_op"])
                r["veiligheidsbeoordeling_op"] = (d - datetime.timedelta(days=1)).isoformat()
            for v in violations(r):
                counts[v] += 1
            records.append(r)
            jl.write(json.dumps(r, ensure_ascii=False, separators=(",", ":")) + "\n")
    with open(f"{outdir}/meldingen.json", "w", encoding="utf-8") as f:
        json.dump(records, f, ensure_ascii=False, separators=(",", ":"))
    with open(f"{outdir}/input.json", "w", encoding="utf-8") as f:
        json.dump({"meldingen": records}, f, ensure_ascii=False, separators=(",", ":"))
    with open(f"{outdir}/expected.txt", "w", encoding="utf-8") as f:
        for k, v in counts.items():
            f.write(f"{k} {v}\n")
    print(f"{len(records)} records; injected violations: "
          + ", ".join(f"{k} {v}" for k, v in counts.items()), file=sys.stderr)


if __name__ == "__main__":
    main()
