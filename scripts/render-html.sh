#!/usr/bin/env bash
# Renders naleving's HTML report of the reference data in headless Chromium
# and saves a screenshot, to check the report in a real browser: that it is
# self-contained (Chromium runs with networking features off and a fresh
# profile) and readable.
#
#   scripts/render-html.sh [OUT_DIR]     (default: target/html-check)
#
# Writes OUT_DIR/report.html, OUT_DIR/report.png (screen) and
# OUT_DIR/report.pdf (print style sheet). Needs `chromium` (or
# CHROMIUM=/path/to/chrome); exits 0 without doing anything when it is absent.
set -euo pipefail
cd "$(dirname "$0")/.."

chromium=${CHROMIUM:-$(command -v chromium || command -v chromium-browser || true)}
if [[ -z "$chromium" ]]; then
  echo "render-html: chromium not found; skipped" >&2
  exit 0
fi

out=${1:-target/html-check}
mkdir -p "$out"
out=$(cd "$out" && pwd)

# The report itself: exit 1 means findings, which the reference data has.
status=0
# The binary `cargo test` just built, when there is one: `cargo run` would
# build it again with other dependency features.
if [[ -x target/debug/naleving ]]; then
  target/debug/naleving check --format "html=$out/report.html" || status=$?
else
  cargo run --quiet -- check --format "html=$out/report.html" || status=$?
fi
if [[ $status -ne 0 && $status -ne 1 ]]; then
  echo "render-html: naleving check failed with exit code $status" >&2
  exit 1
fi

profile=$(mktemp -d)
trap 'rm -rf "$profile"' EXIT
flags=(--headless --no-sandbox --disable-gpu --disable-background-networking
  --disable-component-update --disable-sync --no-first-run --disable-extensions
  --user-data-dir="$profile" --hide-scrollbars)

"$chromium" "${flags[@]}" --window-size=1200,2400 \
  --screenshot="$out/report.png" "file://$out/report.html" 2>"$out/chromium.log"
"$chromium" "${flags[@]}" --no-pdf-header-footer \
  --print-to-pdf="$out/report.pdf" "file://$out/report.html" 2>>"$out/chromium.log"

for file in report.png report.pdf; do
  if [[ ! -s "$out/$file" ]]; then
    echo "render-html: Chromium wrote no $file (see $out/chromium.log)" >&2
    exit 1
  fi
done
echo "render-html: $out/report.png and $out/report.pdf"
