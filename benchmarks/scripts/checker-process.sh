#!/usr/bin/env bash
# `conformance check` as a process, on $FILES exchange files (default 5,000):
# copies of the committed fixtures, half of them broken at a body field (a
# string member turned into a number, so the check runs to the body), made
# in target/checker-process/. Prints the process figures (wall time, files/s,
# CPU, peak RSS, from GNU time) for $ROUNDS runs, and one run's phases
# (`--timings`: spec load, validator compile, file IO, checks, output).
#
#   bash benchmarks/scripts/checker-process.sh
#   FILES=20000 ROUNDS=5 bash benchmarks/scripts/checker-process.sh
set -euo pipefail
cd "$(dirname "$0")/../.."
files=${FILES:-5000}
rounds=${ROUNDS:-3}
target=${CARGO_TARGET_DIR:-target}
out="$target/checker-process"
command -v /usr/bin/time >/dev/null || { echo "GNU time (/usr/bin/time) is needed" >&2; exit 2; }
command -v python3 >/dev/null || { echo "python3 is needed to write the corpus" >&2; exit 2; }

cargo build --release -p conformance-cli >&2
bin="$target/release/conformance"

rm -rf "$out/exchanges"
mkdir -p "$out/exchanges"
python3 - "$files" "$out/exchanges" conformance/fixtures <<'PY'
import json, pathlib, sys

count, dest, source = int(sys.argv[1]), pathlib.Path(sys.argv[2]), pathlib.Path(sys.argv[3])
fixtures = sorted(source.glob("*.json"))

def leaves(value, at=()):
    """Paths to the string members of a body, deepest first."""
    found = []
    if isinstance(value, dict):
        for key, inner in value.items():
            found += leaves(inner, at + (key,))
        if not value:
            return found
    elif isinstance(value, list):
        for index, inner in enumerate(value):
            found += leaves(inner, at + (index,))
    elif isinstance(value, str) and at:
        found.append(at)
    return sorted(found, key=len, reverse=True)

def break_body(exchange):
    """A string member of the response (else request) body made a number."""
    for side in ("response", "request"):
        body = exchange[side].get("body")
        paths = leaves(body) if body is not None else []
        if paths:
            *parents, last = paths[0]
            for step in parents:
                body = body[step]
            body[last] = 12345
            return True
    return False

for n in range(count):
    source_file = fixtures[n % len(fixtures)]
    exchange = json.loads(source_file.read_text())
    broken = n % 2 == 1 and break_body(exchange)
    name = f"{n:05d}-{'broken-' if broken else ''}{source_file.name}"
    (dest / name).write_text(json.dumps(exchange, indent=2))
PY
broken=$(ls "$out/exchanges" | grep -c -- '-broken-' || true)
echo "corpus: $files files in $out/exchanges ($broken broken at a body field)"

printf '%-6s %10s %12s %10s %10s %12s\n' round "wall s" "files/s" "user s" "sys s" "peak RSS MiB"
for round in $(seq 1 "$rounds"); do
    /usr/bin/time -f '%e %U %S %M' -o "$out/time.txt" \
        "$bin" check "$out/exchanges" >"$out/stdout.txt" 2>"$out/stderr.txt" || true
    read -r wall user sys rss < <(tail -n 1 "$out/time.txt")
    awk -v r="$round" -v w="$wall" -v u="$user" -v s="$sys" -v m="$rss" -v f="$files" \
        'BEGIN { printf "%-6s %10.3f %12.0f %10.3f %10.3f %12.1f\n", r, w, (w > 0 ? f / w : 0), u, s, m / 1024 }'
done
tail -n 2 "$out/stdout.txt"
echo
echo "phases of one run (--timings):"
"$bin" check --timings "$out/exchanges" 2>&1 >/dev/null | grep '^timings' || true
