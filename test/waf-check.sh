#!/usr/bin/env bash
# Checks the waf build (ns-3 <= 3.35): this checkout as contrib/gossip in an ns-3.35 tree.
#
#   test/waf-check.sh
#
# The ns-3.35 source comes from, in this order: $NS3_35_SRC_DIR (an extracted tree, copied, never
# changed), the release archive ns-3.35.tar.xz in $NS3_ARCHIVE_DIR (default ../shared/ns-3 beside
# this checkout, checked against its SHA256SUMS), or `git archive ns-3.35` of $NS3_GIT_DIR (a
# clone of ns-3-dev; three LTE .fad fading traces may be missing from partial clones, so
# src/lte/model/fading-traces is left out: gossip does not use LTE).
# Then: ./waf configure --disable-werror --enable-examples --enable-tests --enable-modules=gossip,
# ./waf build, ./test.py (every gossip suite, the logic tests as gossip-logic, and every example
# of test/examples-to-run.py), and the GoogleTest binary if built. If the build fails, the errors
# in gossip files are listed, the rest is built (waf -k) and the suites run through the
# test-runner directly, to show what else works. Prints a summary with wall times and a line
# "ns-3.35 waf: N passed, F failed"; exits non-zero on any failure.
#
# Environment (optional): DROPIN_WORKDIR (default ${TMPDIR:-/tmp}/gossip-waf),
# DROPIN_JOBS (default nproc), DROPIN_REUSE=1 (keep the tree and build: incremental).
set -uo pipefail

here="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
workdir="${DROPIN_WORKDIR:-${TMPDIR:-/tmp}/gossip-waf}"
jobs="${DROPIN_JOBS:-$(nproc)}"
tree="$workdir/ns-3.35"
logdir="$workdir/logs"
archive_dir="${NS3_ARCHIVE_DIR:-$here/../shared/ns-3}"

check_name=waf-check
check_title="gossip waf check (ns-3.35, contrib/gossip)"
# shellcheck source=check-common.sh
. "$here/test/check-common.sh"
packages=(build-essential python3 xz-utils libboost-dev libgtest-dev libsqlite3-dev libgsl-dev
          libxml2-dev gnuplot-nox ccache)

get_tree() {
    rm -rf "$tree"
    mkdir -p "$tree"
    if [ -n "${NS3_35_SRC_DIR:-}" ]; then
        cp -a "$NS3_35_SRC_DIR/." "$tree/"
    elif [ -f "$archive_dir/ns-3.35.tar.xz" ]; then
        if [ -f "$archive_dir/SHA256SUMS" ]; then
            (cd "$archive_dir" && grep ' ns-3.35.tar.xz$' SHA256SUMS | sha256sum -c --quiet -) || return 1
        fi
        tar -xJf "$archive_dir/ns-3.35.tar.xz" -C "$workdir" # gives $workdir/ns-3.35
    elif [ -n "${NS3_GIT_DIR:-}" ]; then
        # git archive reports the missing .fad blobs even though they are excluded, but the
        # archive is complete and the exit status is 0.
        git --git-dir="$NS3_GIT_DIR" archive --format=tar ns-3.35 -- \
            ':!src/lte/model/fading-traces' | tar -C "$tree" -xf -
    else
        echo "no ns-3.35 source: set NS3_35_SRC_DIR, NS3_ARCHIVE_DIR or NS3_GIT_DIR" >&2
        return 1
    fi
    [ -x "$tree/waf" ] && grep -qx 3.35 "$tree/VERSION"
}

mkdir -p "$workdir" "$logdir" || die "cannot create $workdir"
t0=$(date +%s)
install_deps "${packages[@]}" >"$logdir/apt.log" 2>&1 || { tail -n 20 "$logdir/apt.log" >&2; die "package installation"; }
if [ "${DROPIN_REUSE:-0}" != 1 ] || [ ! -x "$tree/waf" ]; then
    get_tree >"$logdir/source.log" 2>&1 || { tail "$logdir/source.log" >&2; die "getting ns-3.35"; }
fi
copy_module "$tree" || die "copying the module"
record PASS "ns-3.35 tree at $tree" $(($(date +%s) - t0))

cd "$tree" || die "cd $tree"
# GCC >= 12 warns in ns-3.35's own code: --disable-werror. waf knows no ccache of its own.
command -v ccache >/dev/null && export CXX="ccache g++"
step configure "$logdir/configure.log" python3 ./waf configure --disable-werror \
    --enable-examples --enable-tests --enable-modules=gossip || die configure recorded
sed -n '/^Modules built:/,/^$/p;/^Modules not built/,/^$/p' "$logdir/configure.log" |
    sed 's/^/  /' >&2
grep -E "gossip|GoogleTest" "$logdir/configure.log" | sed 's/^/  /' >&2
# No stale gossip binaries from an earlier build (DROPIN_REUSE=1) may stand in for new ones.
rm -rf build/contrib/gossip build/lib/*gossip*
built=1
if ! step "build (-j$jobs)" "$logdir/build.log" python3 ./waf build -j "$jobs"; then
    built=0
    # Build what still can be built (the overall result stays FAIL), then list every compile
    # error in gossip files: directly, or through an ns-3 template ("required from here").
    python3 ./waf build -k -j "$jobs" >"$logdir/build-k.log" 2>&1
    say "compile errors in gossip files (all of them, from $logdir/build-k.log):"
    grep -E "^\.\./contrib/gossip/[^:]+:[0-9]+:[0-9]+: (error|  required from here)" \
        "$logdir/build-k.log" | sed -E 's#^\.\./contrib/gossip/##' | cut -c1-160 | sort -u -t: -k1,1 -k2,2n |
        sed 's/^/  /' >&2
    grep -E "^ -> task in" "$logdir/build-k.log" | sort -u | sed 's/^/  /' >&2
fi

runner=$(find build/utils -type f -name 'ns3*-test-runner*' -perm -u+x 2>/dev/null | head -n 1)
if [ $built = 1 ]; then
    # One test.py run: every gossip suite and every example of test/examples-to-run.py.
    step "./test.py (suites and examples)" "$logdir/test.log" python3 ./test.py -n
    grep -E "(PASS|FAIL|CRASH|SKIP|VALGR).*: (TestSuite|Example)" "$logdir/test.log" |
        sed -E 's/\x1b\[[0-9;]*m//g; s/^/  /' >&2
    testpy_report "$logdir/test.log" "ns-3.35 waf"
    logic=$(env LD_LIBRARY_PATH="$tree/build/lib" "$runner" --suite=gossip-logic --verbose 2>/dev/null | grep -cE '^ +PASS ')
    totals+=("  gossip-logic ran $logic logic tests")
elif ! ls build/lib/*gossip-test* >/dev/null 2>&1; then
    record FAIL "gossip test library not built" 0
elif [ -n "$runner" ]; then
    for s in $(expected_suites); do
        step "test-runner --suite=$s (incomplete build)" "$logdir/test-$s.log" \
            env LD_LIBRARY_PATH="$tree/build/lib" "$runner" --suite="$s" --verbose
    done
fi
gtest=$(find build -type f -name '*gossip-gtest*' -perm -u+x | head -n 1)
if [ -n "$gtest" ]; then
    step "GoogleTest binary" "$logdir/gtest.log" env LD_LIBRARY_PATH="$tree/build/lib" "$gtest" --gtest_brief=1
    totals+=("  GoogleTest binary: $(grep -oE '^\[  PASSED  \] [0-9]+' "$logdir/gtest.log" | grep -oE '[0-9]+$' || echo 0) passed")
fi

print_summary
exit "$failed"
