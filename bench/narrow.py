#!/usr/bin/env python3
"""Write the narrow, high-failure workload of bench/compare.sh (issue 20).

Usage: narrow.py RECORDS SEED OUTDIR

Writes RECORDS narrow meldingen of five fields — `id`, `soort`, `regio`,
`ontvangen_op` (an ISO date) and `betrokkenen` (a small integer, 1 to 9) —
the same records three ways, and what the three narrow rules must find:

  OUTDIR/narrow.jsonl        one object per line        (naleving)
  OUTDIR/narrow-input.json   {"meldingen": [...]}       (regorus, cfn-guard)
  OUTDIR/narrow-expected.txt "rule records findings" per rule: the violating
                             records and the findings (one per missing field
                             for `required`, one per record for the others)

The three rules (bench/naleving/rules-narrow, bench/regorus/narrow.rego,
bench/cfn-guard/narrow.guard):

  required  id, soort, regio, ontvangen_op present and non-empty
  enum      soort in [melding, advies]   (when present)
  bound     betrokkenen <= 6              (a number)

Deterministic (Python's Mersenne Twister seeded with SEED, which gives the
same sequence on every platform and version), about 40% of the records
violate a rule: 2% miss a required field (`regio` left out, or `soort` or
`ontvangen_op` empty — an empty `soort` is an enum violation too), 10% have
an unknown `soort`, and `betrokkenen` is 7, 8 or 9 in 30% of the records.
At 200,000 records that is about 84,000 findings.
"""
import datetime
import json
import random
import sys

SOORT = ("melding", "advies")
UNKNOWN_SOORT = ("zorgmelding", "Melding", "advies ", "onbekend")
REGIO = ("Amsterdam-Amstelland", "Drenthe", "Flevoland", "Fryslân", "Gelderland-Midden",
         "Gelderland-Zuid", "Gooi en Vechtstreek", "Groningen", "Haaglanden",
         "Hollands Midden", "IJsselland", "Kennemerland", "Limburg-Noord",
         "Midden- en West-Brabant", "Noord-Holland-Noord", "Noord- en Oost-Gelderland",
         "Rotterdam-Rijnmond", "Twente", "Utrecht", "Zaanstreek-Waterland", "Zeeland",
         "Zuid-Holland-Zuid", "Zuid-Limburg", "Brabant-Noord", "Brabant-Zuidoost")
REQUIRED = ("id", "soort", "regio", "ontvangen_op")
BOUND = 6


def violations(r):
    """What record r violates, per rule: the findings (an independent oracle
    for every tool)."""
    out = {"required": 0, "enum": 0, "bound": 0}
    out["required"] = sum(1 for f in REQUIRED if r.get(f) in (None, ""))
    if "soort" in r and r["soort"] not in SOORT:
        out["enum"] = 1
    if "betrokkenen" in r and r["betrokkenen"] > BOUND:
        out["bound"] = 1
    return out


def record(i, rng):
    start = datetime.date(2020, 1, 1)
    r = {
        "id": f"N{i + 1:07d}",
        "soort": SOORT[rng.randrange(2)],
        "regio": REGIO[rng.randrange(len(REGIO))],
        "ontvangen_op": (start + datetime.timedelta(days=rng.randrange(366))).isoformat(),
        "betrokkenen": rng.randint(7, 9) if rng.random() < 0.3 else rng.randint(1, 6),
    }
    # Required fields: 2% of the records lack one.
    miss = rng.random()
    if miss < 0.01:
        del r["regio"]
    elif miss < 0.015:
        r["ontvangen_op"] = ""
    elif miss < 0.02:
        r["soort"] = ""
    # 10% an unknown soort (a record with an empty one already fails).
    elif rng.random() < 0.1:
        r["soort"] = UNKNOWN_SOORT[rng.randrange(len(UNKNOWN_SOORT))]
    return r


def main():
    records, seed, outdir = int(sys.argv[1]), int(sys.argv[2]), sys.argv[3]
    rng = random.Random(seed)
    found = {"required": [0, 0], "enum": [0, 0], "bound": [0, 0]}
    rows = []
    with open(f"{outdir}/narrow.jsonl", "w", encoding="utf-8") as jl:
        for i in range(records):
            r = record(i, rng)
            for rule, n in violations(r).items():
                if n:
                    found[rule][0] += 1
                    found[rule][1] += n
            rows.append(r)
            jl.write(json.dumps(r, ensure_ascii=False, separators=(",", ":")) + "\n")
    with open(f"{outdir}/narrow-input.json", "w", encoding="utf-8") as f:
        json.dump({"meldingen": rows}, f, ensure_ascii=False, separators=(",", ":"))
    with open(f"{outdir}/narrow-expected.txt", "w", encoding="utf-8") as f:
        for rule, (n, findings) in found.items():
            f.write(f"{rule} {n} {findings}\n")
    failing = sum(1 for r in rows if any(violations(r).values()))
    total = sum(v[1] for v in found.values())
    print(f"{records} narrow records, {failing} ({100 * failing / records:.1f}%) violate a rule, "
          f"{total} findings: " + ", ".join(f"{k} {v[0]}" for k, v in found.items()),
          file=sys.stderr)


if __name__ == "__main__":
    main()
