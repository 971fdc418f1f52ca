#!/usr/bin/env python3
"""Writes the Parquet copy of the 1% sample (fixtures/ghnt/steekproef/parquet/):
meldingen.parquet and dossiers.parquet from their JSONL files, with the types a
data team would give them: every `*_op` field (nested ones too) a DATE,
booleans BOOLEAN, text STRING, `stappen` and `afweging` nested structs, the
meldingen's `betrokkenen` a list of structs (each person's `*_op` a DATE).
Row groups of 1,000 rows; meldingen compressed with zstd, dossiers with snappy,
so both codecs are read. tests/steekproef.rs checks that the findings equal
those of the JSONL files.

    pip install pyarrow
    scripts/steekproef-parquet.py
"""
import datetime
import json
import pathlib

import pyarrow as pa
import pyarrow.parquet as pq

here = pathlib.Path(__file__).resolve().parent.parent / "fixtures/ghnt/steekproef"


def date(text):
    return None if text is None else datetime.date.fromisoformat(text)


def convert(record):
    out = {}
    for key, value in record.items():
        if isinstance(value, dict):
            out[key] = {k: (date(v) if k in STEP_DATES else v) for k, v in value.items()}
        elif isinstance(value, list):
            out[key] = [
                {k: (date(v) if k.endswith("_op") else v) for k, v in item.items()}
                for item in value
            ]
        elif key.endswith("_op"):
            out[key] = date(value)
        else:
            out[key] = value
    return out


STEP_DATES = {
    "signalen",
    "collegiale_consultatie",
    "gesprek",
    "wegen",
    "veilig_thuis_geraadpleegd",
    "beslissen",
}


def write(name, codec):
    records = [convert(json.loads(line)) for line in open(here / f"{name}.jsonl")]
    fields = []
    for record in records:
        for key in record:
            if key not in fields:
                fields.append(key)
    # pyarrow infers a table's schema from its first row: give every row
    # every field (None where the JSONL has none), nested ones too, and
    # every struct in a list every field of that list's structs.
    nested = {}
    listed = {}
    for record in records:
        for key, value in record.items():
            if isinstance(value, dict):
                names = nested.setdefault(key, [])
                names.extend(k for k in value if k not in names)
            elif isinstance(value, list):
                names = listed.setdefault(key, [])
                for item in value:
                    names.extend(k for k in item if k not in names)
    rows = []
    for record in records:
        row = {f: record.get(f) for f in fields}
        for key, names in nested.items():
            if row[key] is not None:
                row[key] = {n: row[key].get(n) for n in names}
        for key, names in listed.items():
            if row[key] is not None:
                row[key] = [{n: item.get(n) for n in names} for item in row[key]]
        rows.append(row)
    table = pa.Table.from_pylist(rows)
    out = here / "parquet"
    out.mkdir(exist_ok=True)
    pq.write_table(table, out / f"{name}.parquet", compression=codec, row_group_size=1000)


write("meldingen", "zstd")
write("dossiers", "snappy")
