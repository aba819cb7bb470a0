#!/usr/bin/env bash
# tools/fuzz.sh: run the fuzz targets of tests/fuzz/ with libFuzzer (a
# developer tool; the test command only replays the corpora).
#
#   bash tools/fuzz.sh [--seconds N] [--merge] [TARGET...]
#
# Builds build-fuzz/ (clang, ASan+UBSan, -fsanitize=fuzzer-no-link, meson
# option libfuzzer=true, which links tests/fuzz/libfuzzer_<target> for every
# entry of fuzz_targets in tests/fuzz/meson.build against the same
# dependencies as its replay test), then runs each TARGET (default: all) for
# N seconds (default 60) starting from tests/fuzz/corpus/<target>/, with the
# dictionary tests/fuzz/<target>.dict when there is one.
#
# The corpus is only read: new inputs go to build-fuzz/fuzz-new/<target>/.
# With --merge they are then merged into the corpus with libFuzzer's
# -merge=1 (only inputs that add coverage are copied). A crash leaves its
# input in build-fuzz/fuzz-crashes/<target>/ and makes the script exit 1;
# fix the bug, then copy the input into the corpus so the tests replay it.
set -euo pipefail

ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
cd "$ROOT"
BUILD=build-fuzz
SECONDS_EACH=60
MERGE=0
TARGETS=()

usage() { echo "usage: bash tools/fuzz.sh [--seconds N] [--merge] [TARGET...]" >&2; exit 2; }
while [ $# -gt 0 ]; do
    case "$1" in
    --seconds) [ $# -ge 2 ] || usage; SECONDS_EACH=$2; shift 2 ;;
    --seconds=*) SECONDS_EACH=${1#--seconds=}; shift ;;
    --merge) MERGE=1; shift ;;
    -h|--help) usage ;;
    -*) usage ;;
    *) TARGETS+=("$1"); shift ;;
    esac
done
case "$SECONDS_EACH" in ''|*[!0-9]*) usage ;; esac

say() { printf '== %s\n' "$*"; }

if [ ! -f "$BUILD/build.ninja" ]; then
    say "configuring $BUILD (clang, libFuzzer, ASan+UBSan)"
    CC=clang meson setup "$BUILD" -Dlibfuzzer=true -Db_sanitize=address,undefined \
        -Db_lundef=false -Dc_args=-fsanitize=fuzzer-no-link >/dev/null
fi

# regenerate after a meson.build change, so the introspection below is current
ninja -C "$BUILD" build.ninja >/dev/null

# Every target meson knows (the fuzz_targets dict), or check the ones asked for.
mapfile -t KNOWN < <(meson introspect --targets "$BUILD" | /usr/bin/python3 -c '
import json, sys
for t in json.load(sys.stdin):
    if t["type"] == "executable" and t["name"].startswith("libfuzzer_"):
        print(t["name"][len("libfuzzer_"):])' | sort)
if [ ${#TARGETS[@]} -eq 0 ]; then
    TARGETS=("${KNOWN[@]}")
fi
for t in "${TARGETS[@]}"; do
    if ! printf '%s\n' "${KNOWN[@]}" | grep -qx -- "$t"; then
        echo "fuzz.sh: unknown target '$t' (known: ${KNOWN[*]})" >&2
        exit 2
    fi
done

say "building ${TARGETS[*]}"
ninja -C "$BUILD" "${TARGETS[@]/#/tests/fuzz/libfuzzer_}" >"$BUILD/fuzz-ninja.out" 2>&1 ||
    { cat "$BUILD/fuzz-ninja.out"; exit 1; }

export ASAN_OPTIONS=${ASAN_OPTIONS:-detect_leaks=1}
export UBSAN_OPTIONS=${UBSAN_OPTIONS:-print_stacktrace=1:halt_on_error=1}
export LSAN_OPTIONS=${LSAN_OPTIONS:-suppressions=$ROOT/tools/lsan.supp:print_suppressions=0}
failed=()
for t in "${TARGETS[@]}"; do
    corpus=tests/fuzz/corpus/$t
    new=$BUILD/fuzz-new/$t
    crashes=$BUILD/fuzz-crashes/$t
    mkdir -p "$corpus" "$new" "$crashes"
    dict=()
    [ -f "tests/fuzz/$t.dict" ] && dict=("-dict=tests/fuzz/$t.dict")
    say "fuzzing $t for ${SECONDS_EACH}s"
    if ! "$BUILD/tests/fuzz/libfuzzer_$t" -max_total_time="$SECONDS_EACH" -print_final_stats=1 \
            "${dict[@]}" -artifact_prefix="$crashes/" "$new" "$corpus" >"$BUILD/fuzz-$t.log" 2>&1; then
        failed+=("$t")
        grep -E -A30 "ERROR: |runtime error:|==[0-9]+==|deadly signal" "$BUILD/fuzz-$t.log" | head -60
        echo "fuzz.sh: $t crashed; inputs in $crashes/ (log: $BUILD/fuzz-$t.log)"
        continue
    fi
    grep -E "^stat::number_of_executed_units|^stat::new_units_added" "$BUILD/fuzz-$t.log" |
        sed "s/^/  $t /"
    if [ "$MERGE" = 1 ]; then
        before=$(ls "$corpus" | wc -l)
        "$BUILD/tests/fuzz/libfuzzer_$t" -merge=1 "$corpus" "$new" >"$BUILD/fuzz-$t.merge.log" 2>&1
        echo "  $t corpus: $before -> $(ls "$corpus" | wc -l) files"
        rm -rf "$new"
    fi
done
if [ ${#failed[@]} -gt 0 ]; then
    echo "fuzz.sh: crashes in: ${failed[*]}"
    exit 1
fi
say "no crashes"
