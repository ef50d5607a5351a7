#!/usr/bin/env bash
# Instructions per create-then-retrieve sequence, the client against the floor
# (bare reqwest), as benchmarks/README.md reports them: valgrind's callgrind counts
# every instruction the client process executes (all its threads); the server
# runs natively in its own process, so none of its work is counted. Each
# side and shape runs twice, with 0 and with $SEQUENCES sequences after the
# same warm-up, and the difference is divided by $SEQUENCES, so start-up
# (runtime, TLS roots, the token) drops out.
#
#   bash benchmarks/scripts/overhead-instructions.sh            # 1280 sequences per run
#   SEQUENCES=1280 bash benchmarks/scripts/overhead-instructions.sh
#
# The callgrind files stay in target/overhead-instructions/ for
# `callgrind_annotate --inclusive=yes FILE`.
set -euo pipefail
cd "$(dirname "$0")/../.."
sequences=${SEQUENCES:-1280}
if (( sequences % 64 != 0 )); then
    echo "SEQUENCES must be a multiple of 64 (the tasks shape runs 64 tasks)" >&2
    exit 2
fi
command -v valgrind >/dev/null || { echo "valgrind is needed" >&2; exit 2; }

bin=$(cargo bench -p benchmarks --bench overhead_counts --no-run --message-format=json 2>/dev/null |
    grep -o '"executable":"[^"]*"' | tail -n 1 | cut -d'"' -f4)
target=${CARGO_TARGET_DIR:-target}
out="$target/overhead-instructions"
mkdir -p "$out"

coproc SERVER { "$bin" serve; }
server_pid=$SERVER_PID
trap 'kill "$server_pid" 2>/dev/null || true' EXIT
read -r base <&"${SERVER[0]}"

instructions() { # side, shape, sequences
    local file="$out/$1-$2-$3.callgrind"
    valgrind --tool=callgrind --callgrind-out-file="$file" \
        "$bin" run "$1" "$2" "$3" "$base" >/dev/null 2>&1
    awk '/^(summary|totals):/ { print $2; exit }' "$file"
}

printf '%-11s %15s %15s %7s\n' shape "floor instr/seq" "client instr/seq" ratio
for shape in sequential tasks; do
    declare -A per=()
    for side in floor client; do
        base_count=$(instructions "$side" "$shape" 0)
        full_count=$(instructions "$side" "$shape" "$sequences")
        per[$side]=$(( (full_count - base_count) / sequences ))
    done
    ratio=$(awk -v c="${per[client]}" -v f="${per[floor]}" 'BEGIN { printf "%.3f", c / f }')
    printf '%-11s %15d %15d %7s\n' "$shape" "${per[floor]}" "${per[client]}" "$ratio"
done
