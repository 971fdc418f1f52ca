#!/usr/bin/env bash
# bench/compare.sh — whole-process comparison of naleving with regorus (Rego)
# and cfn-guard (CloudFormation Guard) on the same generated records, in two
# workloads: wide records with few violations (issue 7, item 5) and narrow
# records with many (issue 20).
#
# What it does:
#   0. copies the naleving and gen binaries into its temp dir, so a rebuild
#      during the runs cannot mix versions, and prints machine, versions,
#      the binary's sha256 and the git state;
#   1. generates RECORDS meldingen with the project's generator
#      (target/release/examples/gen --kind meldingen --seed SEED);
#   2. wide: injects known violations of three rules, deterministically
#      (bench/inject.py), and writes the same records three ways:
#      meldingen.jsonl and meldingen.json (array) for naleving,
#      input.json = {"meldingen": [...]} for regorus and cfn-guard;
#      narrow: writes RECORDS records of five fields (bench/narrow.py, seeded
#      with SEED), about 40% of them violating one of three other rules, as
#      narrow.jsonl for naleving and narrow-input.json for the peers;
#   3. runs, RUNS times each and round-robin (so background load hits every
#      tool alike), each run starting one variant further along the list
#      (so every variant runs in every place, none always right after
#      cfn-guard), with every tool writing its findings as JSON to a file:
#        naleving  check --format json   bench/naleving/naleving.yaml (.jsonl)
#        naleving  the same on the .json array (naleving-json.yaml; skipped
#                  after its first run if that exceeds JSON_TIMEOUT)
#        naleving  the .jsonl again on one thread (RAYON_NUM_THREADS=1), since
#                  regorus and cfn-guard use one core
#        naleving  reading only: the .jsonl with no rules (naleving-parse.yaml)
#        regorus   eval -d bench/regorus/bench.rego -i input.json data.bench
#        cfn-guard validate -d input.json -r bench/cfn-guard/bench.guard -o json
#      and for the narrow workload (variants named *-narrow):
#        naleving  check --format json   naleving-narrow.yaml, 2 threads and 1
#        naleving  reading only: naleving-narrow-parse.yaml
#        regorus   eval -d bench/regorus/narrow.rego -i narrow-input.json
#                  data.narrow.deny
#        cfn-guard validate -d narrow-input.json -r bench/cfn-guard/narrow.guard
#   4. checks that every tool found exactly the expected violations per rule
#      (distinct records; for the narrow workload the findings too) and
#      prints that table, then the timing table: median wall seconds, CPU,
#      user and system seconds, peak RSS, ratio to naleving, and the targets
#      of issue 20 (bench/report.py). Exits 1 if the tools disagree.
#
# The wide workload's three rules, written for each tool:
#   required  id, regio, soort, ontvangen_op present and non-empty
#   enum      soort in [melding, advies]; melder in its 8 values (when present)
#   bound     veiligheidsbeoordeling_op >= ontvangen_op when both present
#             (ISO dates compared as strings)
# The narrow workload's (bench/naleving/rules-narrow, narrow.rego, narrow.guard):
#   required  id, soort, regio, ontvangen_op present and non-empty
#   enum      soort in [melding, advies] (when present)
#   bound     betrokkenen <= 6
#
# Run from anywhere (needs bash, python3; the release binaries must be built):
#   bench/compare.sh
#   RUNS=3 RECORDS=100000 bench/compare.sh
# Environment: RUNS (5), RECORDS (200000), SEED (42), WORKLOADS ("wide
# narrow", either or both), JSON_TIMEOUT (120 s,
# for the naleving .json variant), PEER_TIMEOUT (1800 s, per run of any other
# variant), KEEP=1 keeps the work directory, NALEVING, GEN, REGORUS, CFN_GUARD
# (paths of the binaries; defaults: target/release/naleving,
# target/release/examples/gen, regorus and cfn-guard on PATH or in
# ~/.cargo/bin). Peers: `cargo install regorus --example regorus`,
# `cargo install cfn-guard`. A peer that is not installed is skipped.
# Note: cfn-guard needs about 9 GB of memory at 200,000 wide records, and
# 5.3 GB at 200,000 narrow ones.
set -eu

here=$(cd "$(dirname "$0")" && pwd)
root=$(dirname "$here")

RUNS=${RUNS:-5}
RECORDS=${RECORDS:-200000}
SEED=${SEED:-42}
JSON_TIMEOUT=${JSON_TIMEOUT:-120}
PEER_TIMEOUT=${PEER_TIMEOUT:-1800}
KEEP=${KEEP:-0}
WORKLOADS=${WORKLOADS:-wide narrow}
wide=0 narrow=0
for w in $WORKLOADS; do
    case $w in
        wide) wide=1 ;;
        narrow) narrow=1 ;;
        *) echo "compare.sh: unknown workload $w (wide, narrow)" >&2; exit 2 ;;
    esac
done
NALEVING=${NALEVING:-$root/target/release/naleving}
GEN=${GEN:-$root/target/release/examples/gen}

find_tool() {
    if command -v "$1" >/dev/null 2>&1; then
        command -v "$1"
    elif [ -x "$HOME/.cargo/bin/$1" ]; then
        echo "$HOME/.cargo/bin/$1"
    fi
}
REGORUS=${REGORUS:-$(find_tool regorus)}
CFN_GUARD=${CFN_GUARD:-$(find_tool cfn-guard)}

for bin in "$NALEVING" "$GEN"; do
    if [ ! -x "$bin" ]; then
        echo "compare.sh: $bin is missing; build it with" \
            "\`cargo build --release --bin naleving --example gen\`" >&2
        exit 2
    fi
done
command -v python3 >/dev/null 2>&1 || { echo "compare.sh: python3 is needed" >&2; exit 2; }

work=$(mktemp -d "${TMPDIR:-/tmp}/naleving-compare.XXXXXX")
cleanup() {
    if [ "$KEEP" = 1 ]; then
        echo "work directory kept: $work" >&2
    else
        rm -rf "$work"
    fi
}
trap cleanup EXIT

# The binaries are copied first, so that a rebuild while this runs (cargo
# replaces target/release/naleving in place) cannot mix two versions.
mkdir -p "$work/bin"
cp "$NALEVING" "$work/bin/naleving"
cp "$GEN" "$work/bin/gen"
naleving_src=$NALEVING
NALEVING=$work/bin/naleving
GEN=$work/bin/gen

# --- machine and versions -------------------------------------------------
echo "## naleving whole-process comparison"
echo
echo "date:     $(date -u +%Y-%m-%dT%H:%M:%SZ)"
echo "machine:  $(nproc) CPUs, $(lscpu 2>/dev/null | sed -n 's/^Model name: *//p' | head -n 1)," \
    "$(awk '/MemTotal/ { printf "%.0f GiB", $2 / 1048576 }' /proc/meminfo) memory"
echo "load:     $(cut -d ' ' -f 1-3 /proc/loadavg) (1, 5, 15 min) at the start"
echo "naleving: $("$NALEVING" --version) ($naleving_src, built" \
    "$(date -u -r "$naleving_src" +%Y-%m-%dT%H:%M:%SZ)," \
    "sha256 $(sha256sum "$NALEVING" | cut -c 1-12))"
if git -C "$root" rev-parse --git-dir >/dev/null 2>&1; then
    dirty=$(git -C "$root" status --porcelain -- src Cargo.toml Cargo.lock | wc -l)
    if [ "$dirty" = 0 ]; then
        echo "commit:   $(git -C "$root" rev-parse --short HEAD) (src/ clean)"
    else
        echo "commit:   $(git -C "$root" rev-parse --short HEAD) plus $dirty uncommitted" \
            "file(s) in src/, Cargo.toml, Cargo.lock (the binary may be built from either)"
    fi
fi
if [ -n "$REGORUS" ]; then
    echo "regorus:  $("$REGORUS" --version) ($REGORUS)"
else
    echo "regorus:  not installed, skipped (cargo install regorus --example regorus)"
fi
if [ -n "$CFN_GUARD" ]; then
    echo "cfn-guard: $("$CFN_GUARD" --version) ($CFN_GUARD)"
else
    echo "cfn-guard: not installed, skipped (cargo install cfn-guard)"
fi
echo "python3:  $(python3 --version 2>&1 | cut -d ' ' -f 2) (data preparation and timing only)"
echo "records:  $RECORDS (seed $SEED), runs: $RUNS, workloads: $WORKLOADS"
echo

# --- data -------------------------------------------------------------------
mkdir -p "$work/data"
cp -R "$here/naleving" "$work/naleving"
mkdir -p "$work/naleving/data"
if [ "$wide" = 1 ]; then
    "$GEN" --kind meldingen --records "$RECORDS" --seed "$SEED" --out "$work/gen" 2>/dev/null
    gen_sha=$(sha256sum "$work/gen/meldingen.jsonl" | cut -c 1-12)
    python3 "$here/inject.py" "$work/gen/meldingen.jsonl" "$work/data"
    rm -rf "$work/gen"
    cp "$work/data/expected.txt" "$work/expected.txt"
    ln -s "$work/data/meldingen.jsonl" "$work/naleving/data/meldingen.jsonl"
    ln -s "$work/data/meldingen.json" "$work/naleving/data/meldingen.json"
    echo "wide:     $(du -h "$work/data/meldingen.jsonl" | cut -f 1) JSONL," \
        "$(du -h "$work/data/input.json" | cut -f 1) JSON, in $work/data" \
        "(generated file: sha256 $gen_sha)"
fi
if [ "$narrow" = 1 ]; then
    python3 "$here/narrow.py" "$RECORDS" "$SEED" "$work/data"
    cp "$work/data/narrow-expected.txt" "$work/narrow-expected.txt"
    ln -s "$work/data/narrow.jsonl" "$work/naleving/data/narrow.jsonl"
    echo "narrow:   $(du -h "$work/data/narrow.jsonl" | cut -f 1) JSONL," \
        "$(du -h "$work/data/narrow-input.json" | cut -f 1) JSON, in $work/data" \
        "(sha256 $(sha256sum "$work/data/narrow.jsonl" | cut -c 1-12))"
fi
echo

# --- the commands -----------------------------------------------------------
# run NAME TIMEOUT OK_CODES COMMAND...: one timed run, stdout to NAME.out.
run() {
    name=$1 limit=$2 ok=$3
    shift 3
    status=0
    python3 "$here/measure.py" "$work/$name.times" "$work/$name.out" "$limit" "$ok" -- "$@" \
        2>>"$work/$name.err" || status=$?
    case $status in
        0) return 0 ;;
        124) echo "  $name: timed out after $limit s" >&2; return 124 ;;
        *) echo "  $name failed (status $status); its stderr:" >&2
           tail -n 20 "$work/$name.err" >&2
           exit 1 ;;
    esac
}

nal_project="$work/naleving"
json_ok=1

# One function per variant, so that the order can turn from run to run.
v_naleving_narrow() {
    run naleving-narrow "$PEER_TIMEOUT" 1 \
        "$NALEVING" check --project "$nal_project/naleving-narrow.yaml" --format json
}
v_naleving_narrow_1t() {
    run naleving-narrow-1t "$PEER_TIMEOUT" 1 \
        env RAYON_NUM_THREADS=1 "$NALEVING" check \
        --project "$nal_project/naleving-narrow.yaml" --format json
}
v_naleving_narrow_parse() {
    run naleving-narrow-parse "$PEER_TIMEOUT" 0 \
        "$NALEVING" check --project "$nal_project/naleving-narrow-parse.yaml" --format json
}
v_regorus_narrow() {
    run regorus-narrow "$PEER_TIMEOUT" 0 \
        "$REGORUS" eval -d "$here/regorus/narrow.rego" \
        -i "$work/data/narrow-input.json" data.narrow.deny
}
v_cfn_guard_narrow() {
    # 19 is cfn-guard's exit code for "validation failed" (findings).
    run cfn-guard-narrow "$PEER_TIMEOUT" 19 \
        "$CFN_GUARD" validate -d "$work/data/narrow-input.json" \
        -r "$here/cfn-guard/narrow.guard" -o json --show-summary none
}
v_naleving() {
    run naleving "$PEER_TIMEOUT" 1 \
        "$NALEVING" check --project "$nal_project/naleving.yaml" --format json
}
v_naleving_json() {
    if [ "$json_ok" = 1 ]; then
        run naleving-json "$JSON_TIMEOUT" 1 \
            "$NALEVING" check --project "$nal_project/naleving-json.yaml" --format json \
            || json_ok=0
    fi
}
v_naleving_1t() {
    run naleving-1t "$PEER_TIMEOUT" 1 \
        env RAYON_NUM_THREADS=1 "$NALEVING" check --project "$nal_project/naleving.yaml" --format json
}
v_naleving_parse() {
    run naleving-parse "$PEER_TIMEOUT" 0 \
        "$NALEVING" check --project "$nal_project/naleving-parse.yaml" --format json
}
v_regorus() {
    run regorus "$PEER_TIMEOUT" 0 \
        "$REGORUS" eval -d "$here/regorus/bench.rego" -i "$work/data/input.json" data.bench
}
v_cfn_guard() {
    run cfn-guard "$PEER_TIMEOUT" 19 \
        "$CFN_GUARD" validate -d "$work/data/input.json" -r "$here/cfn-guard/bench.guard" \
        -o json --show-summary none
}
variants=""
if [ "$narrow" = 1 ]; then
    variants="$variants v_naleving_narrow v_naleving_narrow_1t v_naleving_narrow_parse"
    [ -n "$REGORUS" ] && variants="$variants v_regorus_narrow"
    [ -n "$CFN_GUARD" ] && variants="$variants v_cfn_guard_narrow"
fi
if [ "$wide" = 1 ]; then
    variants="$variants v_naleving v_naleving_json v_naleving_1t v_naleving_parse"
    [ -n "$REGORUS" ] && variants="$variants v_regorus"
    [ -n "$CFN_GUARD" ] && variants="$variants v_cfn_guard"
fi
set -- $variants
count=$#

# Run i starts at the (i-1)th variant and goes round: every variant takes
# every place in the order about equally often, so none always runs right
# after cfn-guard (whose gigabytes the kernel is still taking back).
i=1
while [ "$i" -le "$RUNS" ]; do
    echo "run $i of $RUNS" >&2
    k=0
    while [ "$k" -lt "$count" ]; do
        n=$(( (i - 1 + k) % count + 1 ))
        eval "variant=\${$n}"
        "$variant"
        k=$((k + 1))
    done
    i=$((i + 1))
done

echo "load:     $(cut -d ' ' -f 1-3 /proc/loadavg) (1, 5, 15 min) at the end"
echo
python3 "$here/report.py" "$work"
