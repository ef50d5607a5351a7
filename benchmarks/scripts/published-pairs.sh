#!/usr/bin/env bash
# spec-drift on Dwolla's published history, as a CI job would run it: each
# spec against itself, then each consecutive pair, in the default scope (the
# client's operations) and with --all-operations. Prints a Markdown table:
# exit code, findings by class (wire-breaking / source-breaking /
# compatible / no-effect), lines of default text output and wall-clock
# seconds of that run (release build).
#
# Usage: benchmarks/scripts/published-pairs.sh [SPECS_DIR [REFERENCE]]
#   (default ../shared/specs and ../shared/reference/dwolla-openapi-d4901e4.yml)
set -euo pipefail
cd "$(dirname "$0")/../.."
specs=${1:-../shared/specs}
reference=${2:-../shared/reference/dwolla-openapi-d4901e4.yml}
[ -d "$specs" ] || { echo "no published specs at $specs" >&2; exit 2; }

cargo build -q --release -p spec-drift
drift=target/release/spec-drift
out=$(mktemp -d)
trap 'rm -rf "$out"' EXIT
TIMEFORMAT=%R

# Runs spec-drift OLD NEW [--all-operations] and prints one table row.
row() { # label old new [flag]
    local label=$1 old=$2 new=$3
    shift 3
    local seconds status=0
    seconds=$( { time "$drift" "$old" "$new" "$@" >"$out/text" 2>/dev/null; } 2>&1 ) || status=$?
    "$drift" "$old" "$new" "$@" --verbose --format json >"$out/json" 2>/dev/null || true
    local counts
    counts=$(python3 -c '
import json, sys
c = json.load(open(sys.argv[1]))["counts"]
print(" / ".join(str(c.get(k, 0)) for k in ("wire-breaking", "source-breaking", "compatible", "no-effect")))
' "$out/json")
    local scope=client
    [ $# -eq 0 ] || scope=all
    echo "| $label | $scope | $status | $counts | $(wc -l <"$out/text") | $seconds |"
}

echo "| pair | scope | exit | W / S / C / N | lines | s |"
echo "| --- | --- | --- | --- | --- | --- |"
all=("$specs"/dwolla-openapi-*.yml)
[ -f "$reference" ] && all+=("$reference")
for spec in "${all[@]}"; do
    name=$(basename "$spec" .yml)
    row "${name#dwolla-openapi-} itself" "$spec" "$spec"
    row "${name#dwolla-openapi-} itself" "$spec" "$spec" --all-operations
done
previous=
for spec in "${all[@]}"; do
    if [ -n "$previous" ]; then
        label="$(basename "$previous" .yml) -> $(basename "$spec" .yml)"
        label=${label//dwolla-openapi-/}
        row "$label" "$previous" "$spec"
        row "$label" "$previous" "$spec" --all-operations
    fi
    previous=$spec
done
