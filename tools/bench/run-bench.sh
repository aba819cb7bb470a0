#!/usr/bin/env bash
# run-bench.sh: measure one ddbd binary with ddbd-bench.
#
#   tools/bench/run-bench.sh DDBD_BINARY [DDBD_BENCH_BINARY]
#
# Starts DDBD_BINARY on a free loopback port with a fresh --data-dir, measures
# the start-up time to the first answered GET / and the idle RSS right after,
# runs the health, put (with --prepare), get, batchwrite (BatchWriteItem of 25
# puts, on the table put loaded) and query (with --prepare) workloads for DURATION seconds each at CONNECTIONS connections, prints a
# table with the ratios against GET / measured in the same run, and stops the
# server. Exits non-zero when the server did not come up or a run failed.
#
# Environment (defaults): DURATION=5 CONNECTIONS=32 KEYS=100000
# QUERY_KEYS=20000 SERVER_THREADS=1 BENCH_THREADS=1 KEEP_DATA=0 (1 keeps the
# data folder and the server log for a look afterwards).
set -u

die() { echo "run-bench: $*" >&2; exit 2; }

[ $# -ge 1 ] && [ $# -le 2 ] || die "usage: $0 DDBD_BINARY [DDBD_BENCH_BINARY]"
DDBD=$1
HERE=$(cd "$(dirname "$0")" && pwd)
BENCH=${2:-$HERE/../../build/tools/ddbd-bench}
[ -x "$DDBD" ] || die "$DDBD is not an executable"
[ -x "$BENCH" ] || die "$BENCH is not an executable (build it: ninja -C build)"

DURATION=${DURATION:-5}
CONNECTIONS=${CONNECTIONS:-32}
KEYS=${KEYS:-100000}
QUERY_KEYS=${QUERY_KEYS:-20000}
SERVER_THREADS=${SERVER_THREADS:-1}
BENCH_THREADS=${BENCH_THREADS:-1}
KEEP_DATA=${KEEP_DATA:-0}

# A free port: bind port 0 and read what the kernel picked. The port is free
# again once the helper exits; the window in between is tiny.
PORT=$(/usr/bin/python3 -c 'import socket
s = socket.socket()
s.bind(("127.0.0.1", 0))
print(s.getsockname()[1])') || die "cannot find a free port"

WORK=$(mktemp -d "${TMPDIR:-/tmp}/ddbd-bench.XXXXXX") || die "mktemp failed"
PID=

stop_server() {
    [ -n "$PID" ] || return 0
    if kill -0 "$PID" 2>/dev/null; then
        kill -TERM "$PID" 2>/dev/null
        for _ in $(seq 100); do
            kill -0 "$PID" 2>/dev/null || break
            sleep 0.1
        done
        if kill -0 "$PID" 2>/dev/null; then
            echo "run-bench: ddbd did not stop in 10 s after SIGTERM; killing it" >&2
            kill -KILL "$PID" 2>/dev/null
        fi
    fi
    wait "$PID" 2>/dev/null
    PID=
}

cleanup() {
    stop_server
    if [ "$KEEP_DATA" = 1 ]; then
        echo "run-bench: kept $WORK" >&2
    else
        rm -rf "$WORK"
    fi
}
trap cleanup EXIT
trap 'exit 130' INT TERM

mkdir "$WORK/data"
T0=$(date +%s%N)
"$DDBD" --host 127.0.0.1 --port "$PORT" --data-dir "$WORK/data" --threads "$SERVER_THREADS" \
    >"$WORK/ddbd.log" 2>&1 &
PID=$!

if ! "$BENCH" --port "$PORT" --wait-ready 30 --since-ns "$T0" --json >"$WORK/ready.json"; then
    echo "run-bench: ddbd did not answer GET / (last lines of its log follow)" >&2
    tail -n 20 "$WORK/ddbd.log" >&2
    exit 1
fi
kill -0 "$PID" 2>/dev/null || die "ddbd exited right after starting"
RSS_KB=$(awk '/^VmRSS:/ { print $2 }' "/proc/$PID/status")

COMMON=(--port "$PORT" --connections "$CONNECTIONS" --threads "$BENCH_THREADS"
        --duration "$DURATION" --json)
FAILED=0
run() {
    local name=$1
    shift
    echo "run-bench: $name ..." >&2
    if ! "$BENCH" "${COMMON[@]}" "$@" >"$WORK/$name.json" 2>"$WORK/$name.log"; then
        echo "run-bench: $name failed:" >&2
        cat "$WORK/$name.log" >&2
        FAILED=1
    fi
    kill -0 "$PID" 2>/dev/null || { echo "run-bench: ddbd died during $name" >&2; FAILED=1; }
}
run health health
run put --keys "$KEYS" --prepare put
run get --keys "$KEYS" get
run batchwrite --keys "$KEYS" batchwrite
run query --keys "$QUERY_KEYS" --prepare query

stop_server

/usr/bin/python3 - "$WORK" "$RSS_KB" "$CONNECTIONS" "$DURATION" <<'PY'
import json, sys
work, rss_kb, conns, duration = sys.argv[1], int(sys.argv[2]), sys.argv[3], sys.argv[4]

def load(name):
    try:
        with open(f"{work}/{name}.json") as f:
            return json.loads(f.read().strip().splitlines()[-1])
    except (OSError, ValueError, IndexError):
        return None

ready = load("ready")
runs = {n: load(n) for n in ("health", "put", "get", "batchwrite", "query")}
print(f"ddbd-bench: {conns} connections, {duration} s per workload")
print(f"{'workload':<10} {'ops/s':>12} {'p50 us':>10} {'p99 us':>10} {'p99.9 us':>10} {'errors':>8}")
for name, r in runs.items():
    if r is None:
        print(f"{name:<10} {'failed':>12}")
        continue
    print(f"{name:<10} {r['ops_per_s']:>12.0f} {r['p50_us']:>10.1f} {r['p99_us']:>10.1f} "
          f"{r['p999_us']:>10.1f} {r['errors']:>8}")
for name in ("put", "query"):
    r = runs[name]
    if r is not None and "prepare_ops_per_s" in r:
        print(f"{'load ' + name:<10} {r['prepare_ops_per_s']:>12.0f}   "
              f"({r['prepare_items']} items in {r['prepare_s']:.2f} s, PutItem)")
h = runs["health"]
print()
for name in ("get", "put", "batchwrite", "query"):
    r = runs[name]
    if h and r and h["ops_per_s"] > 0:
        print(f"{name + '/health':<18} {r['ops_per_s'] / h['ops_per_s']:.3f}")
    else:
        print(f"{name + '/health':<18} n/a")
bw = runs["batchwrite"]
if bw:
    # one BatchWriteItem request writes 25 items
    print(f"{'batchwrite items/s':<18} {bw['ops_per_s'] * 25:.0f}"
          + (f"  ({bw['ops_per_s'] * 25 / runs['put']['ops_per_s']:.2f} x PutItem's)"
             if runs["put"] and runs["put"]["ops_per_s"] > 0 else ""))
print()
print(f"start-up to first GET /  {ready['ready_ms']:.1f} ms" if ready else "start-up  n/a")
print(f"idle RSS after start     {rss_kb / 1024:.1f} MiB")
PY
exit $FAILED
