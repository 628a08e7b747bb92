#!/usr/bin/env bash
# Builds the module's libFuzzer targets with clang (ASan + UBSan, C asserts and NS_ASSERT on) and
# runs each one: first over the crash inputs found so far (test/fuzz/regressions/<target>/, they
# must all pass), then fuzzing from a seed corpus of real packets.
#
#   test/fuzz/run.sh                      every target for 60 s (CI runs --seconds=30)
#   test/fuzz/run.sh --seconds=600        longer
#   test/fuzz/run.sh --runs=10000000      a fixed number of executions per target
#   test/fuzz/run.sh --only=fuzz-receive  one target
#   test/fuzz/run.sh --no-build           run the targets already built (a long campaign
#                                         while the sources change)
#
# Seeds: the golden bytes of every message type (test/fuzz/seeds/) and the UDP payloads of pcaps
# the examples write (--pcap), split by port. Prints, per target, the executions, the corpus
# size, crashes, leaks and UB reports; a crash input is kept in build-fuzz/artifacts/. Exits
# non-zero if any target found anything.
set -uo pipefail

here="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
build="${GOSSIP_FUZZ_BUILD:-$here/build-fuzz}"
seconds=60
runs=""
only=""
build_first=1
for a in "$@"; do
    case "$a" in
        --seconds=*) seconds="${a#*=}" ;;
        --runs=*) runs="${a#*=}" ;;
        --only=*) only="${a#*=}" ;;
        --no-build) build_first=0 ;;
        *) echo "usage: test/fuzz/run.sh [--seconds=S|--runs=N] [--only=TARGET] [--no-build]" >&2; exit 2 ;;
    esac
done
targets=(fuzz-pbcast-header fuzz-rmcast-header fuzz-lpbcast-header fuzz-astrolabe-header
         fuzz-aggregation-header fuzz-astrolabe-sql fuzz-receive)
[ -n "$only" ] && targets=("$only")

need=(clang libclang-rt-14-dev cmake libns3-dev ns3 libboost-dev libgtest-dev libgsl-dev
      libsqlite3-dev libxml2-dev libpython3.11-dev)
missing=()
for p in "${need[@]}"; do
    dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
done
if [ ${#missing[@]} -gt 0 ]; then
    sudo=""
    [ "$(id -u)" -eq 0 ] || sudo="sudo"
    $sudo apt-get update -qq
    DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq --no-install-recommends "${missing[@]}" >&2
fi

mkdir -p "$build"
if [ "$build_first" -eq 1 ]; then
    CXX=clang++ cmake -S "$here" -B "$build" -DCMAKE_BUILD_TYPE=Debug -DGOSSIP_FUZZ=ON >"$build/configure.log" 2>&1 ||
        { tail -n 30 "$build/configure.log"; exit 1; }
    cmake --build "$build" -j"$(nproc)" --target "${targets[@]}" >"$build/build.log" 2>&1 ||
        { grep -E -A3 "error" "$build/build.log" | head -n 40; exit 1; }
fi

# ---- seed corpora ----
corpus="$build/corpus"
mkdir -p "$corpus"
python3 "$here/test/fuzz/seeds.py" "$here" "$build" "$corpus" >"$build/seeds.log" 2>&1 ||
    { cat "$build/seeds.log"; exit 1; }

export ASAN_OPTIONS="detect_leaks=1:abort_on_error=1:symbolize=1"
export UBSAN_OPTIONS="print_stacktrace=1:halt_on_error=1"
status=0
table=()
mkdir -p "$build/artifacts" "$build/logs"
for t in "${targets[@]}"; do
    log="$build/logs/$t.log"
    reg="$here/test/fuzz/regressions/$t"
    if [ -d "$reg" ] && [ -n "$(ls -A "$reg" 2>/dev/null)" ]; then
        if ! "$build/fuzz/$t" "$reg"/* >"$build/logs/$t-regressions.log" 2>&1; then
            echo "$t: a regression input fails again:"
            tail -n 30 "$build/logs/$t-regressions.log"
            status=1
        fi
    fi
    limit=(-max_total_time="$seconds")
    [ -n "$runs" ] && limit=(-runs="$runs")
    # fuzz-receive keeps one simulation across inputs, so its heap legitimately changes from
    # one input to the next: libFuzzer's per-input leak check then scans the whole heap almost
    # every time, and ASan's allocation stacks fill its stack depot. Both off for it (12x
    # faster); leaks are the sanitizer build's job (GOSSIP_SANITIZE) and the other targets'.
    extra=()
    asan="$ASAN_OPTIONS"
    if [ "$t" = fuzz-receive ]; then
        extra=(-detect_leaks=0 -entropic=0)
        asan="$ASAN_OPTIONS:detect_leaks=0:malloc_context_size=0"
    fi
    # -timeout: an input takes milliseconds (fuzz-receive's every-256th, one gossip round:
    # tens of ms), so 120 s is a hang; 25 s once fired in two processes at the same second when
    # the virtual machine was paused for a snapshot ("crng reseeded due to virtual machine fork").
    mkdir -p "$corpus/$t"
    t0=$(date +%s)
    ASAN_OPTIONS="$asan" "$build/fuzz/$t" "$corpus/$t" "${limit[@]}" "${extra[@]}" \
        -print_final_stats=1 -timeout=120 -rss_limit_mb=4096 \
        -artifact_prefix="$build/artifacts/$t-" >"$log" 2>&1
    rc=$?
    execs=$(grep -oE 'stat::number_of_executed_units: *[0-9]+' "$log" | grep -oE '[0-9]+$' | tail -n 1)
    crashes=$(grep -cE 'ERROR: (AddressSanitizer|libFuzzer)|SUMMARY: (AddressSanitizer|UndefinedBehaviorSanitizer)|runtime error:' "$log")
    leaks=$(grep -c 'ERROR: LeakSanitizer' "$log")
    size=$(ls "$corpus/$t" | wc -l)
    [ "$rc" -eq 0 ] && [ "$crashes" -eq 0 ] && [ "$leaks" -eq 0 ] || status=1
    table+=("$(printf '%-26s %12s executions  %6s in corpus  %s crashes/UB  %s leaks  %4ss  %s' \
        "$t" "${execs:-0}" "$size" "$crashes" "$leaks" "$(($(date +%s) - t0))" \
        "$([ "$rc" -eq 0 ] && echo ok || echo "FAILED (exit $rc, see $log)")")")
done
echo "==== gossip fuzzing ===="
printf '%s\n' "${table[@]}"
[ "$status" -eq 0 ] && echo "RESULT: PASS" || echo "RESULT: FAIL"
exit $status
