#!/usr/bin/env bash
# tools/dev.sh: the README's two commands.
#
#   bash tools/dev.sh run    install what is missing, build, start ddbd on 127.0.0.1:8000
#   bash tools/dev.sh test   install what is missing, build, run every test
#
# Safe to repeat: each step does only what is missing. Run from anywhere as
# root on Debian 12 (apt-get is used for missing packages).
set -euo pipefail

ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
cd "$ROOT"

DEB_PACKAGES=(gcc pkg-config meson ninja-build libh2o-evloop-dev librocksdb-dev libssl-dev
              zlib1g-dev libjansson-dev python3 python3-boto3 python3-pytest awscli curl)

say() { printf '== %s\n' "$*"; }

install_packages() {
    local missing=()
    for p in "${DEB_PACKAGES[@]}"; do
        dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
    done
    if ! command -v node >/dev/null 2>&1; then missing+=(nodejs); fi
    if ! command -v npm >/dev/null 2>&1; then missing+=(npm); fi
    if [ ${#missing[@]} -gt 0 ]; then
        say "installing ${missing[*]}"
        export DEBIAN_FRONTEND=noninteractive
        apt-get update -qq
        apt-get install -y -qq "${missing[@]}" >/dev/null
    fi
}

install_npm() {
    # the JavaScript SDK v3 for conformance/js, pinned by its package-lock.json
    if [ -f conformance/js/package.json ]; then
        # a node_modules linked from another checkout is that checkout's to install:
        # npm ci would empty the folder it points to
        if [ -L conformance/js/node_modules ]; then
            return 0
        fi
        if [ ! -d conformance/js/node_modules ] ||
           [ conformance/js/package-lock.json -nt conformance/js/node_modules ]; then
            say "installing the JavaScript test packages"
            (cd conformance/js && npm ci --no-audit --no-fund --loglevel=error >/dev/null)
            touch conformance/js/node_modules
        fi
    fi
}

build() { # build DIR [meson options...]
    local dir=$1; shift
    if [ ! -f "$dir/build.ninja" ]; then
        say "configuring $dir"
        meson setup "$dir" "$@" >/dev/null
    elif [ $# -gt 0 ]; then
        # a folder configured earlier gets today's options (nothing happens if unchanged)
        meson configure "$dir" "$@" >/dev/null
    fi
    say "building $dir"
    if ! ninja -C "$dir" >"$dir/ninja.out" 2>&1; then
        cat "$dir/ninja.out"
        return 1
    fi
}

free_port() {
    /usr/bin/python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1]); s.close()'
}

# build/ is the release build (-O3, NDEBUG): what users run, and the optimisation level at
# which gcc's flow warnings (maybe-uninitialized) appear, so -Werror checks them on every test run.
RELEASE=(-Dbuildtype=release)

cmd_run() {
    install_packages
    build build "${RELEASE[@]}"
    say "starting ddbd (Ctrl-C stops it)"
    exec "$ROOT/build/server/ddbd" --host 127.0.0.1 --port 8000 --data-dir "$ROOT/ddbd-data"
}

# ---- test ----

PASSED=0
FAILED=0
count() { # count SUMMARY_FILE RUNNER_EXIT_CODE NAME: add its "N passed, N failed" figures
    # A suite that ran no test, or whose runner exited non-zero with no failure counted,
    # counts as one failure: a broken runner must not read as a pass.
    local p f
    p=$(sed -n 's/^\([0-9]*\) passed, \([0-9]*\) failed$/\1/p' "$1" | tail -n1)
    f=$(sed -n 's/^\([0-9]*\) passed, \([0-9]*\) failed$/\2/p' "$1" | tail -n1)
    p=${p:-0} f=${f:-1}
    if [ "$p" -eq 0 ] && [ "$f" -eq 0 ]; then
        say "$3 ran no test: counted as a failure"
        f=1
    elif [ "$2" -ne 0 ] && [ "$f" -eq 0 ]; then
        say "$3 exited with $2 but counted no failure: counted as a failure"
        f=1
    fi
    PASSED=$((PASSED + p))
    FAILED=$((FAILED + f))
}

unit_tests() { # unit_tests BUILD_DIR LABEL
    local dir=$1 label=$2 out
    out=$(mktemp)
    say "unit tests and fuzz-corpus replays ($label)"
    local rc=0
    meson test -C "$dir" --print-errorlogs >/dev/null 2>&1 || rc=$?
    /usr/bin/python3 tools/testlog_count.py "$dir/meson-logs/testlog.json" | tee "$out" | tail -n 1
    count "$out" "$rc" "meson test ($label)"
    rm -f "$out"
}

SERVER_PID=
stop_server() {
    if [ -n "$SERVER_PID" ] && kill -0 "$SERVER_PID" 2>/dev/null; then
        kill "$SERVER_PID" 2>/dev/null || true
        wait "$SERVER_PID" 2>/dev/null || true
    fi
    SERVER_PID=
}
trap stop_server EXIT

conformance() { # conformance DDBD_BINARY LABEL
    local bin=$1 label=$2 port data logs out endpoint rc
    port=$(free_port)
    data=$(mktemp -d /tmp/ddbd-test-XXXXXX)
    # every ddbd of this run, the main server and those the tests start, logs here
    logs=$(mktemp -d /tmp/ddbd-logs-XXXXXX)
    out=$(mktemp)
    endpoint="http://127.0.0.1:$port"
    say "conformance suites against the $label ddbd on $endpoint"
    "$bin" --host 127.0.0.1 --port "$port" --data-dir "$data" >"$logs/main.log" 2>&1 &
    SERVER_PID=$!
    for _ in $(seq 1 100); do
        curl -fs "$endpoint/" >/dev/null 2>&1 && break
        sleep 0.05
    done
    export DDB_ENDPOINT=$endpoint DDBD_BIN=$bin DDBD_LOG_DIR=$logs AWS_PAGER=""
    rc=0
    /usr/bin/python3 -m pytest -q -p no:cacheprovider conformance/python conformance/cli \
        --junitxml="$out.xml" >"$out.pytest" 2>&1 || rc=$?
    tail -n 3 "$out.pytest"
    grep -E "^(FAILED|ERROR) " "$out.pytest" || true
    /usr/bin/python3 tools/junit_count.py "$out.xml" >"$out"
    count "$out" "$rc" "pytest ($label)"
    if [ -d conformance/js/node_modules ]; then
        rc=0
        node --test conformance/js/ >"$out.node" 2>&1 || rc=$?
        local p f c
        p=$(sed -n 's/^# pass \([0-9]*\)$/\1/p' "$out.node")
        f=$(sed -n 's/^# fail \([0-9]*\)$/\1/p' "$out.node")
        c=$(sed -n 's/^# cancelled \([0-9]*\)$/\1/p' "$out.node")
        # a cancelled test (a timeout, an unfinished promise) did not pass: it counts as failed
        [ -n "$f" ] && f=$((f + ${c:-0}))
        echo "javascript: ${p:-0} passed, ${f:-1} failed"
        [ "${f:-1}" = 0 ] && [ "$rc" = 0 ] || grep -E "^not ok|Error" "$out.node" | head -20
        printf '%s passed, %s failed\n' "${p:-0}" "${f:-1}" >"$out"
        count "$out" "$rc" "node --test ($label)"
    fi
    stop_server
    if grep -l -E "ERROR: (Address|Undefined|Leak)Sanitizer|runtime error:" "$logs"/*.log >"$out.san"; then
        say "the sanitizers reported errors in the $label servers:"
        while read -r log; do
            echo "-- $log"
            grep -E -A20 "ERROR: |runtime error:" "$log" | head -60
        done <"$out.san"
        FAILED=$((FAILED + 1))
    fi
    rm -rf "$data" "$logs" "$out" "$out.xml" "$out.pytest" "$out.node" "$out.san"
    unset DDBD_LOG_DIR
}

cmd_test() {
    install_packages
    install_npm
    build build "${RELEASE[@]}"
    build build-asan -Db_sanitize=address,undefined -Db_lundef=false -Dbuildtype=debug
    export ASAN_OPTIONS=detect_leaks=1:abort_on_error=0 UBSAN_OPTIONS=print_stacktrace=1:halt_on_error=1
    export LSAN_OPTIONS=suppressions=$ROOT/tools/lsan.supp:print_suppressions=0
    unit_tests build "release build"
    unit_tests build-asan "ASan+UBSan build"
    conformance "$ROOT/build/server/ddbd" "release"
    conformance "$ROOT/build-asan/server/ddbd" "ASan+UBSan"
    echo
    echo "$PASSED passed, $FAILED failed"
    [ "$FAILED" -eq 0 ]
}

case "${1:-}" in
run) cmd_run ;;
test) cmd_test ;;
*) echo "usage: bash tools/dev.sh run|test" >&2; exit 2 ;;
esac
