#!/usr/bin/env bash
# Runs naleving's fuzz targets (fuzz/, cargo-fuzz on nightly; the project
# itself builds on stable) for a fixed number of executions each, and fails
# when a target finds anything: a panic, an abort (stack overflow), an
# out-of-memory, an input over the time limit, or a problem or finding
# without its place (see fuzz/src/lib.rs).
#
#   scripts/fuzz.sh                  every target, 1 000 000 executions each
#   scripts/fuzz.sh cel termijn      only these targets
#   FUZZ_RUNS=50000 scripts/fuzz.sh  another number of executions
#   FUZZ_SECONDS=600 scripts/fuzz.sh stop a target after 600 s even when it
#                                    has not reached FUZZ_RUNS (the count it
#                                    did reach is printed)
#   scripts/fuzz.sh --regressions    replay fuzz/regressions/<target>/* once
#                                    each (every input that once failed; each
#                                    fails until its defect is fixed — while
#                                    fuzzing, these known defects are let pass)
#   scripts/fuzz.sh --list           the targets
#
# Needs `cargo install cargo-fuzz` and the nightly toolchain. The targets
# are built without a sanitizer (`--sanitizer none`, FUZZ_SANITIZER to
# change it): naleving is safe Rust but for one function, and without
# AddressSanitizer the build (wasmtime included) is much faster and every
# execution about twice as fast. Panics, aborts, stack overflows, time-outs
# and memory blow-ups are caught either way.
#
# Seeds: fuzz/corpus/<target>/ (small, committed). What libFuzzer adds goes
# to fuzz/work/corpus/<target>/, logs to fuzz/work/logs/, crashing inputs
# to fuzz/artifacts/<target>/ (none of them committed). One target runs at
# a time, in one process.
set -euo pipefail
cd "$(dirname "$0")/.."

RUNS=${FUZZ_RUNS:-1000000}
SECONDS_LIMIT=${FUZZ_SECONDS:-0}
SANITIZER=${FUZZ_SANITIZER:-none}
# The time limit per input, in seconds: a slower input is a finding.
TIMEOUT=${FUZZ_TIMEOUT:-10}

# Target and the largest input it is given, in bytes.
TARGETS=(
  project_file:8192
  rule_file:8192
  data_jsonl:16384
  data_json:16384
  data_yaml:16384
  data_csv:16384
  waivers:8192
  baseline:8192
  calendar:8192
  cel:4096
  termijn:1024
  human_render:16384
)

build=(cargo +nightly fuzz build --sanitizer "$SANITIZER" --release --codegen-units 16)
run=(cargo +nightly fuzz run --sanitizer "$SANITIZER" --release --codegen-units 16)

max_len_of() {
  local entry
  for entry in "${TARGETS[@]}"; do
    if [[ ${entry%%:*} == "$1" ]]; then
      echo "${entry##*:}"
      return 0
    fi
  done
  return 1
}

mode=fuzz
selected=()
for arg in "$@"; do
  case $arg in
    --regressions) mode=regressions ;;
    --list)
      for entry in "${TARGETS[@]}"; do echo "${entry%%:*}"; done
      exit 0
      ;;
    -h | --help)
      sed -n '2,30p' "$0"
      exit 0
      ;;
    -*)
      echo "fuzz.sh: unknown option $arg" >&2
      exit 2
      ;;
    *)
      if ! max_len_of "$arg" >/dev/null; then
        echo "fuzz.sh: no target $arg (scripts/fuzz.sh --list)" >&2
        exit 2
      fi
      selected+=("$arg")
      ;;
  esac
done
if [[ ${#selected[@]} -eq 0 ]]; then
  for entry in "${TARGETS[@]}"; do selected+=("${entry%%:*}"); done
fi

if ! cargo +nightly fuzz --version >/dev/null 2>&1; then
  echo "fuzz.sh: needs cargo-fuzz and a nightly toolchain:" >&2
  echo "  rustup toolchain install nightly && cargo install cargo-fuzz" >&2
  exit 2
fi

"${build[@]}"

mkdir -p fuzz/work/logs
# The scratch projects of the targets go here, and are removed afterwards.
scratch=$(mktemp -d "${PWD}/fuzz/work/tmp.XXXXXX")
trap 'rm -rf "$scratch"' EXIT

failed=()
summary=()
for target in "${selected[@]}"; do
  max_len=$(max_len_of "$target")
  log=fuzz/work/logs/$target.log
  if [[ $mode == regressions ]]; then
    inputs=(fuzz/regressions/"$target"/*)
    if [[ ! -e ${inputs[0]} ]]; then
      summary+=("$target: no regressions")
      continue
    fi
    echo "== $target: replaying ${#inputs[@]} regression input(s)"
    if TMPDIR=$scratch "${run[@]}" "$target" "${inputs[@]/#/$PWD/}" \
      -- -timeout="$TIMEOUT" >"$log" 2>&1; then
      summary+=("$target: ${#inputs[@]} regression input(s) pass")
    else
      summary+=("$target: a regression input fails (see $log)")
      failed+=("$target")
    fi
    continue
  fi
  mkdir -p fuzz/work/corpus/"$target"
  echo "== $target: $RUNS executions, inputs up to $max_len bytes"
  args=(-runs="$RUNS" -max_len="$max_len" -timeout="$TIMEOUT" -print_final_stats=1)
  if [[ $SECONDS_LIMIT -gt 0 ]]; then
    args+=(-max_total_time="$SECONDS_LIMIT")
  fi
  # New inputs go into the first corpus directory: the uncommitted one.
  status=0
  TMPDIR=$scratch "${run[@]}" "$target" "$PWD/fuzz/work/corpus/$target" "$PWD/fuzz/corpus/$target" \
    -- "${args[@]}" >"$log" 2>&1 || status=$?
  executed=$(sed -n 's/^stat::number_of_executed_units: *//p' "$log" | tail -n 1)
  seconds=$(sed -n 's/^Done [0-9]* runs in \([0-9]*\) second.*/\1/p' "$log" | tail -n 1)
  if [[ $status -eq 0 ]]; then
    summary+=("$target: ${executed:-?} executions in ${seconds:-?} s, nothing found")
  else
    summary+=("$target: FOUND something after ${executed:-?} executions (see $log and fuzz/artifacts/$target/)")
    failed+=("$target")
  fi
  echo "${summary[-1]}"
done

echo
echo "fuzz.sh summary:"
printf '  %s\n' "${summary[@]}"
if [[ ${#failed[@]} -gt 0 ]]; then
  echo "fuzz.sh: failed: ${failed[*]}" >&2
  exit 1
fi
