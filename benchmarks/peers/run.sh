#!/usr/bin/env bash
# This client beside Dwolla's Node SDKs on one workload, as a user choosing
# a client would try them: a fresh client fetches its token once, then runs
# create-exchange-session + retrieve-exchange-session, $SEQUENCES times one
# after the other and $SEQUENCES times over $TASKS concurrent tasks, against
# one neutral keep-alive server on 127.0.0.1 (the test kit's MockDwolla, a
# fresh one per run, which checks every request against the spec and counts
# the tokens it issues). Rounds are interleaved; the table shows medians.
# Not run in CI (it installs from npm).
#
#   bash benchmarks/peers/run.sh
#   SEQUENCES=4000 TASKS=64 ROUNDS=5 bash benchmarks/peers/run.sh
#
# Columns: sequences/s (wall); CPU per sequence (the client process's user +
# system time over the measured sequences, all threads; the server's is
# not counted); peak RSS of the client process; token requests the server
# answered during the run; cold start (process launch to the end of its
# first sequence, token fetch included).
#
# Needs node (20+), npm, python3, cargo. The SDKs go to target/peers.
set -euo pipefail
cd "$(dirname "$0")/../.."
sequences=${SEQUENCES:-2000}
tasks=${TASKS:-64}
rounds=${ROUNDS:-3}
target=${CARGO_TARGET_DIR:-target}
peers="$target/peers"
clients=(rust dwolla dwolla-v2)

for tool in node npm python3 cargo; do
    command -v "$tool" >/dev/null || { echo "$tool is needed" >&2; exit 2; }
done
mkdir -p "$peers"
npm install --prefix "$peers" --no-audit --no-fund --silent dwolla@1.1.1 dwolla-v2@3.4.2 >&2
cargo build --release -p benchmarks --bin peers >&2
bin="$target/release/peers"
results="$peers/results.txt"
: >"$results"

# One run of `client` with `concurrency` tasks against a fresh server; appends
# "client shape json counts cold_ms" to the results.
run() {
    local client=$1 concurrency=$2 shape=$3 base partner launched line counts
    coproc SERVER { exec "$bin" serve; }
    local server_pid=$SERVER_PID server_out=${SERVER[0]} server_in=${SERVER[1]}
    read -r base <&"$server_out"
    read -r partner <&"$server_out"
    launched=$(date +%s%3N)
    if [[ $client == rust ]]; then
        line=$("$bin" client "$base" "$partner" "$sequences" "$concurrency")
    else
        line=$(node benchmarks/peers/run.mjs "$peers/node_modules" "$client" "$base" "$partner" \
            "$sequences" "$concurrency")
    fi
    eval "exec $server_in>&-"
    read -r counts <&"$server_out"
    wait "$server_pid"
    echo "$client $shape $line $counts launched=$launched" >>"$results"
}

for round in $(seq 1 "$rounds"); do
    for client in "${clients[@]}"; do
        echo "round $round: $client" >&2
        run "$client" 1 sequential
        run "$client" "$tasks" "tasks"
    done
done

python3 - "$results" "$tasks" "$sequences" <<'PY'
import json, statistics, sys

rows = {}
for line in open(sys.argv[1]):
    client, shape, figures, *counts = line.split()
    figures = json.loads(figures)
    counts = dict(c.split("=") for c in counts)
    figures["tokens"] = int(counts["tokens"])
    figures["cold_ms"] = figures["first_sequence_epoch_ms"] - int(counts["launched"])
    rows.setdefault(client, {}).setdefault(shape, []).append(figures)

def median(runs, key):
    return statistics.median(r[key] for r in runs)

def spread(runs, key):
    values = sorted(r[key] for r in runs)
    return f"{values[0]:.0f}–{values[-1]:.0f}" if values[0] != values[-1] else f"{values[0]:.0f}"

names = {"rust": "this client (Rust)", "dwolla": "`dwolla` 1.1.1 (official TS SDK)", "dwolla-v2": "`dwolla-v2` 3.4.2"}
tasks = sys.argv[2]
print(f"{sys.argv[3]} sequences per run; medians of {len(rows['rust']['sequential'])} interleaved rounds")
print()
print(f"| client | seq/s, sequential | CPU µs/seq | seq/s, {tasks} tasks | CPU µs/seq | token requests at {tasks} tasks | peak RSS MiB | cold start to first sequence, ms |")
print("|---|---|---|---|---|---|---|---|")
for client, shapes in rows.items():
    one, many = shapes["sequential"], shapes["tasks"]
    rss = spread(one + many, "peak_rss_mib")
    print(
        f"| {names[client]} | {median(one, 'seq_per_s'):,.0f} | {median(one, 'cpu_us_per_seq'):,.0f} "
        f"| {median(many, 'seq_per_s'):,.0f} | {median(many, 'cpu_us_per_seq'):,.0f} "
        f"| {spread(many, 'tokens')} | {rss} | {median(one, 'cold_ms'):,.0f} |"
    )
PY
