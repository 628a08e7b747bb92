#!/usr/bin/env bash
# Standalone build and run of the gossip module against Debian's ns-3 (libns3-dev, ns-3.37).
#
#   utils/gossip.sh demo            install what is missing, build, run the flagship example
#   utils/gossip.sh test            install what is missing, build, run every test (GoogleTest
#                                   and ns-3 TestSuites); ends with "N passed, N failed"
#   utils/gossip.sh example NAME [ARGS]   run any example
#   utils/gossip.sh build           just build (into ./build, or $GOSSIP_BUILD_DIR)
#
# Needs root (or sudo) only when Debian packages are missing.
set -euo pipefail

here="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
build="${GOSSIP_BUILD_DIR:-$here/build}"
export CCACHE_BASEDIR="${CCACHE_BASEDIR:-$here}" # cache hits across checkouts
flagship="pbcast-datacenter"
packages=(build-essential cmake libns3-dev ns3 libboost-dev libgtest-dev libgsl-dev libsqlite3-dev
          libxml2-dev libpython3.11-dev gnuplot-nox ccache)

install_deps() {
    local missing=()
    for p in "${packages[@]}"; do
        dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
    done
    [ ${#missing[@]} -eq 0 ] && return 0
    echo "gossip: installing ${missing[*]}" >&2
    local sudo=""
    [ "$(id -u)" -eq 0 ] || sudo="sudo"
    $sudo apt-get update -qq
    DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq --no-install-recommends "${missing[@]}" >&2
}

do_build() {
    install_deps
    cmake -S "$here" -B "$build" -DCMAKE_BUILD_TYPE="${GOSSIP_BUILD_TYPE:-Release}" >/dev/null
    if ! cmake --build "$build" -j"$(nproc)" >"$build/build.log" 2>&1; then
        grep -E -A3 "error|Error" "$build/build.log" | head -n 60 >&2
        echo "gossip: build failed; full log in $build/build.log" >&2
        exit 1
    fi
}

run_tests() {
    local passed=0 failed=0 out
    echo "== GoogleTest (logic)"
    out="$(mktemp)"
    if "$build/gossip-gtest" --gtest_brief=1 >"$out" 2>&1; then :; fi
    tail -n 5 "$out"
    local gp gf
    gp=$(grep -E '^\[  PASSED  \] [0-9]+ test' "$out" | grep -oE '[0-9]+' | head -1 || true)
    gf=$(grep -E '^\[  FAILED  \] [0-9]+ test' "$out" | grep -oE '[0-9]+' | head -1 || true)
    if [ -z "$gp" ] && [ -z "$gf" ]; then
        echo "gossip-gtest did not report a result" >&2
        cat "$out" >&2
        gf=1
    fi
    passed=$((passed + ${gp:-0})); failed=$((failed + ${gf:-0}))
    grep -E '^\[  FAILED  \]' "$out" || true
    echo "== ns-3 TestSuites (scenarios)"
    local suites
    suites=$("$build/gossip-test-runner" --list | sed 's/^ *//' | grep -v '^$' | sort)
    for s in $suites; do
        local t0 t1
        t0=$(date +%s)
        if "$build/gossip-test-runner" --suite="$s" >"$out" 2>&1; then
            t1=$(date +%s)
            echo "PASS $s ($((t1 - t0)) s)"
            passed=$((passed + 1))
        else
            t1=$(date +%s)
            echo "FAIL $s ($((t1 - t0)) s)"
            tail -n 30 "$out"
            failed=$((failed + 1))
        fi
    done
    rm -f "$out"
    echo "$passed passed, $failed failed"
    [ "$failed" -eq 0 ]
}

cmd="${1:-test}"
shift || true
case "$cmd" in
    build) do_build ;;
    test) do_build; run_tests ;;
    demo) do_build; mkdir -p "$here/results"; cd "$here/results"; "$build/examples/$flagship" "$@" ;;
    example)
        do_build
        name="${1:?usage: utils/gossip.sh example NAME [ARGS]}"; shift
        mkdir -p "$here/results"; cd "$here/results"; "$build/examples/$name" "$@" ;;
    *) echo "usage: utils/gossip.sh {demo|test|build|example NAME [ARGS]}" >&2; exit 2 ;;
esac
