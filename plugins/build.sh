#!/usr/bin/env bash
# Rebuilds every plugin component and test fixture from source, then prints
# their sha256 (pin those in naleving.yaml / the tests).
#
#   plugins/build.sh            # needs only cargo and the wasm32 target:
#                               #   rustup target add wasm32-unknown-unknown
#
# Each guest crate is built for wasm32-unknown-unknown (no WASI: the only
# import is the world's `log`) and turned into a component by the small
# `plugins/componentize` tool (wit-component's ComponentEncoder). All guests
# share one target directory, plugins/target, so wit-bindgen builds once.
set -euo pipefail

root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$root"
export CARGO_TARGET_DIR="$root/plugins/target"
# Host flags (e.g. from CI) must not leak into the wasm builds.
unset RUSTFLAGS CARGO_ENCODED_RUSTFLAGS

cargo build --quiet --release --manifest-path plugins/componentize/Cargo.toml
componentize="$CARGO_TARGET_DIR/release/componentize"

# build_guest CRATE_DIR OUT.wasm
build_guest() {
    local dir="$1" out="$2" crate
    crate="$(sed -n 's/^name = "\(.*\)"/\1/p' "$dir/Cargo.toml" | head -n1 | tr - _)"
    cargo build --quiet --release --target wasm32-unknown-unknown --manifest-path "$dir/Cargo.toml"
    "$componentize" "$CARGO_TARGET_DIR/wasm32-unknown-unknown/release/$crate.wasm" "$out"
}

built=()
for manifest in plugins/*/Cargo.toml; do
    dir="$(dirname "$manifest")"
    [[ "$dir" == plugins/componentize ]] && continue
    build_guest "$dir" "$dir.wasm"
    built+=("$dir.wasm")
done
for manifest in fixtures/plugins/*/Cargo.toml; do
    dir="$(dirname "$manifest")"
    build_guest "$dir" "$dir.wasm"
    built+=("$dir.wasm")
done
for wat in fixtures/plugins/*/*.wat; do
    out="fixtures/plugins/$(basename "$wat" .wat).wasm"
    "$componentize" "$wat" "$out"
    built+=("$out")
done
"$componentize" --tamper plugins/afwegingskader.wasm fixtures/plugins/tampered.wasm
built+=(fixtures/plugins/tampered.wasm)

sha256sum "${built[@]}"
