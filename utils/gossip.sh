#!/usr/bin/env bash
# Standalone build and run of the gossip module against Debian's ns-3 (libns3-dev, ns-3.37).
#
#   utils/gossip.sh demo            install what is missing, build, run the flagship example
#   utils/gossip.sh test            install what is missing, build, run every test (GoogleTest
#                                   and ns-3 TestSuites); ends with "N passed, N failed"
#   utils/gossip.sh example NAME [ARGS]   run any example
#   utils/gossip.sh build           just build (into ./build, or $GOSSIP_BUILD_DIR)
#   utils/gossip.sh lab list        the teaching labs (doc/labs), one a line
#   utils/gossip.sh lab N           run lab N's commands; outputs and plots in results/labN/
#                                   (GOSSIP_LAB_QUICK=1: the reduced settings the tests use)
#   utils/gossip.sh docs            the module documentation and the labs as HTML (Sphinx),
#                                   into build/doc-html; fails on any Sphinx warning
#
# Needs root (or sudo) only when Debian packages are missing.
set -euo pipefail

here="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
build="${GOSSIP_BUILD_DIR:-$here/build}"
case "$build" in /*) ;; *) build="$PWD/$build" ;; esac # the labs run from their output folders
export CCACHE_BASEDIR="${CCACHE_BASEDIR:-$here}" # cache hits across checkouts
flagship="pbcast-datacenter"
packages=(build-essential cmake libns3-dev ns3 libboost-dev libgtest-dev libgsl-dev libsqlite3-dev
          libxml2-dev libpython3.11-dev gnuplot-nox ccache tshark python3-sphinx)

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
    # GOSSIP_CMAKE_ARGS: extra configure options, e.g. -DGOSSIP_SANITIZE=ON
    # shellcheck disable=SC2086
    cmake -S "$here" -B "$build" -DCMAKE_BUILD_TYPE="${GOSSIP_BUILD_TYPE:-Release}" \
        ${GOSSIP_CMAKE_ARGS:-} >/dev/null
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
    # Each suite and each further check: one pass or fail, its last lines on failure.
    report() { # report NAME EXIT_STATUS SECONDS OUTPUT_FILE
        if [ "$2" -eq 0 ]; then
            echo "PASS $1 ($3 s)"
            passed=$((passed + 1))
        else
            echo "FAIL $1 ($3 s)"
            tail -n 30 "$4"
            failed=$((failed + 1))
        fi
    }
    run_check() { # run_check NAME COMMAND...
        local t0 rc=0
        t0=$(date +%s)
        "${@:2}" >"$out" 2>&1 || rc=$?
        report "$1" "$rc" "$(($(date +%s) - t0))" "$out"
    }
    # The suites are independent processes: as many at a time as there are cores (the
    # sanitizer build's gossip-lpbcast alone takes minutes), reported in name order.
    # GOSSIP_TEST_FULLNESS: ns-3's test durations to run, QUICK, EXTENSIVE (default: the soaks
    # too) or TAKES_FOREVER (the hour-long soaks as well).
    local fullness="${GOSSIP_TEST_FULLNESS:-EXTENSIVE}"
    echo "== ns-3 TestSuites (scenarios, $fullness)"
    local s name rc secs suites dir
    suites=$("$build/gossip-test-runner" --list | sed 's/^ *//' | grep -v '^$' | sort)
    dir="$(mktemp -d)"
    for s in $suites; do
        while [ "$(jobs -rp | wc -l)" -ge "$(nproc)" ]; do wait -n || true; done
        (
            t0=$(date +%s)
            rc=0
            "$build/gossip-test-runner" --suite="$s" --fullness="$fullness" >"$dir/$s.out" 2>&1 || rc=$?
            echo "$rc $(($(date +%s) - t0))" >"$dir/$s.rc"
        ) &
    done
    wait
    for s in $suites; do
        read -r rc secs <"$dir/$s.rc"
        report "$s" "$rc" "$secs" "$dir/$s.out"
    done
    rm -rf "$dir"
    echo "== Example options (every option of every example, bad values: one-line error, exit 1)"
    run_check example-options python3 "$here/test/example-options-test.py" "$build/examples"
    echo "== Wireshark dissector (tshark on golden bytes and example pcaps)"
    run_check wireshark python3 "$here/test/wireshark-test.py" "$here" "$build/examples"
    # GOSSIP_TEST_LABS=0 skips them (CI's sanitizer step: the labs are whole example runs, which
    # the test command's own step already covers, and under ASan they take minutes).
    if [ "${GOSSIP_TEST_LABS:-1}" != 0 ]; then
        echo "== Labs end to end, reduced settings (doc/labs/commands)"
        local labtmp
        labtmp="$(mktemp -d)"
        for name in $(lab_list | cut -d' ' -f1); do
            run_check "lab $name" env GOSSIP_LAB_QUICK=1 GOSSIP_RESULTS_DIR="$labtmp" \
                bash "$here/utils/gossip.sh" lab-run "$name"
        done
        rm -rf "$labtmp"
    fi
    echo "== Documentation (Sphinx, warnings are errors)"
    run_check docs build_docs
    rm -f "$out"
    echo "$passed passed, $failed failed"
    [ "$failed" -eq 0 ]
}

labs="$here/doc/labs/commands"

lab_list() {
    local f n
    for f in "$labs"/lab*.txt; do
        n=$(basename "$f" .txt)
        echo "${n#lab}  $(head -n 1 "$f" | sed 's/^# *//')"
    done | sort -n
}

# Runs lab N's commands (doc/labs/commands/labN.txt) in results/labN: an example name and its
# arguments, "|| extra arguments" for the quick variant, or "$ shell command".
run_lab() {
    local n="$1" file="$labs/lab$1.txt" out="${GOSSIP_RESULTS_DIR:-$here/results}/lab$1" line cmd quick k=0 name log
    [ -f "$file" ] || { echo "no lab $n; utils/gossip.sh lab list" >&2; exit 2; }
    mkdir -p "$out"
    echo "== lab $n: $(head -n 1 "$file" | sed 's/^# *//') (outputs in $out)"
    while IFS= read -r line || [ -n "$line" ]; do
        case "$line" in "" | "#"*) continue ;; esac
        k=$((k + 1))
        cmd="${line%%||*}"
        quick=""
        [ "$cmd" != "$line" ] && quick="${line#*||}"
        [ "${GOSSIP_LAB_QUICK:-0}" = 1 ] && cmd="$cmd $quick"
        if [ "${cmd:0:2}" = '$ ' ]; then
            name="shell"
            log="$out/$k-shell.txt"
            echo "\$ ${cmd:2}"
            (cd "$out" && GOSSIP_ROOT="$here" bash -o pipefail -c "${cmd:2}") >"$log" 2>&1 ||
                { cat "$log"; echo "lab $n: command $k failed" >&2; exit 1; }
        else
            read -r -a argv <<<"$cmd"
            name="${argv[0]}"
            log="$out/$k-$name.txt"
            echo "\$ utils/gossip.sh example ${cmd}"
            (cd "$out" && "$build/examples/$name" "${argv[@]:1}") >"$log" 2>&1 ||
                { cat "$log"; echo "lab $n: command $k failed" >&2; exit 1; }
        fi
        tail -n 12 "$log" | sed 's/^/    /'
    done <"$file"
}

build_docs() {
    local missing=()
    command -v sphinx-build >/dev/null || missing+=(python3-sphinx)
    if [ ${#missing[@]} -gt 0 ]; then
        local sudo=""
        [ "$(id -u)" -eq 0 ] || sudo="sudo"
        $sudo apt-get update -qq
        DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq --no-install-recommends "${missing[@]}" >&2
    fi
    mkdir -p "$build"
    # "|| return": set -e does not apply when the test command calls this inside an if.
    sphinx-build -W --keep-going -q -b html "$here/doc" "$build/doc-html" || return 1
    echo "wrote $build/doc-html/index.html"
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
    lab)
        what="${1:?usage: utils/gossip.sh lab list, or lab N}"
        if [ "$what" = list ]; then lab_list; else do_build; run_lab "$what"; fi ;;
    lab-run) run_lab "${1:?usage: utils/gossip.sh lab-run N}" ;; # lab N without building first
    docs) build_docs ;;
    *) echo "usage: utils/gossip.sh {demo|test|build|example NAME [ARGS]|lab list|lab N|docs}" >&2; exit 2 ;;
esac
