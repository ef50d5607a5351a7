#!/usr/bin/env bash
# Build cost, as benchmarks/README.md reports it: the code generator's own time (the
# build script run alone, on the vendored spec and on Dwolla's full spec when
# it is beside the checkout) and incremental rebuilds after touching src/ and
# the spec. Wall-clock seconds, three runs each.
set -euo pipefail
cd "$(dirname "$0")/../.."
TIMEFORMAT=%R

cargo build -q
script=$(ls -t target/debug/build/dwolla-exchange-sessions-*/build-script-build | head -n 1)
out=$(mktemp -d)
trap 'rm -rf "$out"' EXIT

runs() { # label, command...
    local label=$1
    shift
    local times=()
    for _ in 1 2 3; do
        times+=("$( { time "$@" >/dev/null 2>&1; } 2>&1 )")
    done
    echo "$label: ${times[*]} s"
}

runs "codegen, vendored spec (build script alone)" env CARGO_MANIFEST_DIR="$PWD" OUT_DIR="$out" "$script"
reference=../shared/reference/dwolla-openapi-d4901e4.yml
if [ -f "$reference" ]; then
    runs "codegen, Dwolla's full spec (build script alone)" env CARGO_MANIFEST_DIR="$PWD" OUT_DIR="$out" DWOLLA_OPENAPI="$reference" "$script"
fi
runs "incremental build after touching src/lib.rs" sh -c 'touch src/lib.rs && cargo build -q'
runs "incremental build after touching openapi/dwolla.yml" sh -c 'touch openapi/dwolla.yml && cargo build -q'
