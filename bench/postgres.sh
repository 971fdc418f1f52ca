#!/usr/bin/env bash
# The reference pack over 10^6 generated meldingen kept in PostgreSQL
# (#18): pushed down, pulled (--no-pushdown) and read from the JSONL file,
# for the whole pack, for the four per-record rules of `required`/`expr`,
# for the three deadline rules with a fixed term, for those seven
# together (every per-record rule of the pack that can be pushed down), for
# the two regional norms (counting aggregates) and for all nine.
# Whole process, wall time and peak RSS (bench/measure.py), RUNS runs each,
# interleaved; the findings of the three are compared (without locations).
#
# Usage: bench/postgres.sh [RECORDS] [RUNS]   (default 1000000 3)
# Needs PostgreSQL's server binaries (Debian: apt-get install -y postgresql);
# the server is a throwaway one in a temporary directory, on a Unix socket
# only, run as the `postgres` user when this script runs as root.
set -euo pipefail

records=${1:-1000000}
runs=${2:-3}
repo=$(cd "$(dirname "$0")/.." && pwd)
work=$(mktemp -d /tmp/naleving-pg-bench.XXXXXX)
chmod 755 "$work"
bin=$(ls -d /usr/lib/postgresql/*/bin | sort -V | tail -1)
as_pg=()
if [ "$(id -u)" = 0 ]; then as_pg=(runuser -u postgres --); fi

cleanup() {
  "${as_pg[@]}" "$bin/pg_ctl" -D "$work/data" -m immediate stop >/dev/null 2>&1 || true
  rm -rf "$work"
}
trap cleanup EXIT

mkdir -p "$work/data" "$work/sock"
chown -R postgres: "$work/data" "$work/sock" 2>/dev/null || true
"${as_pg[@]}" "$bin/initdb" -D "$work/data" -U postgres -A trust >/dev/null
"${as_pg[@]}" "$bin/pg_ctl" -D "$work/data" -l "$work/sock/log" -w \
  -o "-k $work/sock -c listen_addresses='' -p 5499" start >/dev/null
psql=(psql -X -q -v ON_ERROR_STOP=1 -h "$work/sock" -p 5499 -U postgres)
url="host=$work/sock port=5499 user=postgres dbname=postgres"

cd "$repo"
cargo build --release -q --example gen
cargo build --release -q
naleving="$repo/target/release/naleving"
./target/release/examples/gen --kind meldingen --seed 42 --records "$records" --out "$work" >/dev/null

# The table as the schema types it: dates as date, booleans as boolean.
"${psql[@]}" <<'SQL'
CREATE SCHEMA vt;
CREATE TABLE vt.meldingen (
  id text PRIMARY KEY, regio text, soort text, ontvangen_op date,
  veiligheidsbeoordeling_op date, melder text, aard text, onderzoek_nodig boolean,
  vervolg text, vastgesteld_op date, onderzoek_gestart_op date,
  onderzoek_afgerond_op date, terugkoppeling_op date, terugkoppeling_onderzoek_op date,
  vervolgmelding boolean, codewoord boolean, betrokkenen jsonb);
SQL
# One JSON document per line, loaded as jsonb and mapped by PostgreSQL.
"${psql[@]}" <<SQL
CREATE TABLE ruw (doc jsonb);
\copy ruw FROM '$work/meldingen.jsonl' WITH (FORMAT csv, QUOTE e'\x01', DELIMITER e'\x02')
INSERT INTO vt.meldingen SELECT (jsonb_populate_record(NULL::vt.meldingen, doc)).* FROM ruw;
DROP TABLE ruw;
VACUUM ANALYZE vt.meldingen;
SQL
echo "loaded $("${psql[@]}" -At -c 'SELECT count(*) FROM vt.meldingen') rows"

# The reference project with meldingen from the table, and from the file,
# in the work directory beside links to the repository's fixtures, rules
# and plugins (a project's paths are relative to its file).
sed "s|path: fixtures/ghnt/veilig-thuis/meldingen.jsonl|source: { postgres: { table: vt.meldingen, timeout_ms: 600000 } }|" \
  naleving.yaml >"$work/db.yaml"
sed "s|path: fixtures/ghnt/veilig-thuis/meldingen.jsonl|path: meldingen.jsonl|" \
  naleving.yaml >"$work/file.yaml"
for dir in fixtures rules plugins; do ln -s "$repo/$dir" "$work/$dir"; done
cd "$work"

per_record=(--rule beoordeling-voor-ontvangst --rule codewoord-melding-voor-invoering
  --rule melding-zonder-ontvangstdatum --rule terugkoppeling-ontbreekt)
deadlines=(--rule veiligheidsbeoordeling-te-laat --rule onderzoek-start-te-laat
  --rule onderzoek-te-laat)
norms=(--rule veiligheidsbeoordeling-norm-regio --rule onderzoek-norm-regio)
results="$work/results"
: >"$results"
measure() { # name, output, command...
  local name=$1 out=$2
  shift 2
  python3 "$repo/bench/measure.py" "$work/$name.t" "$out" 0 0,1,2,3 -- "$@"
}
for run in $(seq "$runs"); do
  for shape in pack per-record deadlines both norms pushable; do
    extra=()
    case $shape in
      per-record) extra=("${per_record[@]}") ;;
      deadlines) extra=("${deadlines[@]}") ;;
      both) extra=("${per_record[@]}" "${deadlines[@]}") ;;
      norms) extra=("${norms[@]}") ;;
      pushable) extra=("${per_record[@]}" "${deadlines[@]}" "${norms[@]}") ;;
    esac
    NALEVING_DATABASE_URL=$url measure "$shape-pushed" "$work/$shape-pushed.json" \
      "$naleving" check --project "$work/db.yaml" --format json --lang en "${extra[@]}"
    NALEVING_DATABASE_URL=$url measure "$shape-pulled" "$work/$shape-pulled.json" \
      "$naleving" check --project "$work/db.yaml" --format json --lang en --no-pushdown "${extra[@]}"
    measure "$shape-file" "$work/$shape-file.json" \
      "$naleving" check --project "$work/file.yaml" --format json --lang en "${extra[@]}"
  done
done

python3 - "$work" <<'PY'
import json, statistics, sys
work = sys.argv[1]
def strip(path):
    report = json.load(open(path))
    findings = []
    for f in report["findings"]:
        f = dict(f); f.pop("location", None)
        d = f.get("details")
        if isinstance(d, dict): d.pop("members", None)
        findings.append(json.dumps(f, sort_keys=True))
    rows = [i for i in report["manifest"]["inputs"] if "rows" in i]
    return sorted(findings), report["summary"], rows
print("| run | wall (median) | peak RSS (median) | findings | rows read |")
print("|---|---:|---:|---:|---:|")
for shape in ["pack", "per-record", "deadlines", "both", "norms", "pushable"]:
    base = None
    for how in ["pushed", "pulled", "file"]:
        lines = [l.split() for l in open(f"{work}/{shape}-{how}.t")]
        wall = statistics.median(float(l[0]) for l in lines)
        rss = statistics.median(int(l[1]) for l in lines) / 1024
        findings, summary, rows = strip(f"{work}/{shape}-{how}.json")
        read = ", ".join(str(r.get("rows_read", r["rows"])) for r in rows) or "-"
        print(f"| {shape}, {how} | {wall:.2f} s | {rss:.0f} MB | {summary['findings']} | {read} |")
        if base is None:
            base = findings
        elif findings != base:
            sys.exit(f"{shape}: {how} gives other findings than pushed")
print("findings equal across pushed, pulled and file for each shape")
PY
