#!/usr/bin/env bash
# Proves the drop-in build: this checkout as contrib/gossip inside an ns-3 source tree (CMake,
# ns-3.36 and later; test/waf-check.sh does ns-3.35).
#
#   NS3_VERSION=3.48 test/drop-in-check.sh                 (3.37, the default; 3.43; 3.48)
#   NS3_VERSION=3.48 NS3_PROFILES="debug default optimized" test/drop-in-check.sh
#
# 1. installs the Debian packages it needs (when missing; needs root or sudo);
# 2. gets the ns-3 source: $NS3_SRC_DIR (an extracted tree, the directory holding ./ns3); else
#    for 3.37 Debian's source package (`apt-get source ns3`, adding a deb-src entry when none is
#    configured), for 3.43 and 3.48 the release archive in $NS3_ARCHIVE_DIR (default
#    ../shared/ns-3 beside this checkout; checked against its SHA256SUMS). Unpacked once into
#    $NS3_SRC_CACHE, then copied, never changed;
# 3. copies this checkout's working tree (without build/, results/, .git) to contrib/gossip;
# 4. for each profile: configures only gossip and the modules it depends on, with examples and
#    tests, and builds;
# 5. runs ./test.py, which runs every gossip suite (the scenarios, and the logic tests as the
#    suite gossip-logic) and every example in test/examples-to-run.py; and the GoogleTest binary
#    when GoogleTest was found;
# 6. prints a summary with wall times and a line "ns-3.X in-tree (profile): N passed, F failed";
#    ends with RESULT: PASS or RESULT: FAIL, and exits non-zero on any failure.
#
# Environment (all optional):
#   NS3_VERSION       3.37 (default), 3.43 or 3.48; any other >= 3.36 with NS3_SRC_DIR
#   NS3_PROFILES      ns-3 build profiles to check, in order (default "debug": asserts on, C
#                     asserts on, warnings are errors); also "default" and "optimized"
#   DROPIN_WORKDIR    scratch directory (default ${TMPDIR:-/tmp}/gossip-drop-in); its ns-3 copy is
#                     replaced on every run unless DROPIN_REUSE=1 (then the build is incremental)
#   NS3_SRC_DIR       an extracted ns-3 tree to copy instead of the archive or Debian source
#   NS3_ARCHIVE_DIR   where ns-3.X.tar.xz and SHA256SUMS are (default ../shared/ns-3)
#   NS3_SRC_CACHE     where sources are unpacked (default $DROPIN_WORKDIR/src)
#   DROPIN_JOBS       parallel build jobs (default: nproc)
#   DROPIN_CCACHE_DIR ccache directory (default $CCACHE_DIR, else $DROPIN_WORKDIR/ccache)
set -uo pipefail

here="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
workdir="${DROPIN_WORKDIR:-${TMPDIR:-/tmp}/gossip-drop-in}"
src_cache="${NS3_SRC_CACHE:-$workdir/src}"
archive_dir="${NS3_ARCHIVE_DIR:-$here/../shared/ns-3}"
jobs="${DROPIN_JOBS:-$(nproc)}"
ns3_version="${NS3_VERSION:-3.37}"
profiles="${NS3_PROFILES:-debug}"
tree="$workdir/ns-$ns3_version"
logdir="$workdir/logs-$ns3_version"
export CCACHE_DIR="${DROPIN_CCACHE_DIR:-${CCACHE_DIR:-$workdir/ccache}}"
packages=(build-essential cmake python3 dpkg-dev xz-utils libboost-dev libgtest-dev libsqlite3-dev
          libgsl-dev libxml2-dev ccache gnuplot-nox)

check_name=drop-in
check_title="gossip drop-in check (ns-$ns3_version, contrib/gossip)"
# shellcheck source=check-common.sh
. "$here/test/check-common.sh"

case "$ns3_version" in
    3.3[6-9] | 3.[4-9][0-9]) ;;
    *) die "NS3_VERSION=$ns3_version: this script does CMake trees (3.36 and later); use test/waf-check.sh for 3.35" ;;
esac
for p in $profiles; do
    case "$p" in
        debug | default | optimized | release) ;;
        *) die "NS3_PROFILES: '$p' is not an ns-3 profile (allowed: debug, default, optimized, release)" ;;
    esac
done

mkdir -p "$workdir" "$logdir" "$CCACHE_DIR" || die "cannot create $workdir"

t0=$(date +%s)
install_deps "${packages[@]}" >"$logdir/apt.log" 2>&1 || { tail -n 20 "$logdir/apt.log" >&2; die "package installation"; }
src="$(get_source 2>"$logdir/source.log")" || { cat "$logdir/source.log" >&2; die "getting the ns-$ns3_version source"; }
record PASS "packages + ns-$ns3_version source ($src)" $(($(date +%s) - t0))

# ---- 3. tree with this checkout at contrib/gossip ----
t0=$(date +%s)
if [ "${DROPIN_REUSE:-0}" != 1 ] || ! is_ns3_tree "$tree"; then
    rm -rf "$tree"
    cp -a "$src" "$tree" || die "copying $src"
    rm -rf "$tree/build" "$tree/cmake-cache" "$tree"/.lock-ns3*
fi
copy_module "$tree" || die "copying the module"
record PASS "tree at $tree" $(($(date +%s) - t0))

cd "$tree" || die "cd $tree"

for profile in $profiles; do
    # --enable-modules=gossip: ns-3 keeps gossip and the modules its CMakeLists.txt names
    #   (${libNAME} tokens, resolved recursively).
    # --filter-module-examples-and-tests=gossip: examples and tests of those other modules are
    #   not built (their libraries are), which is most of the saving.
    filter=()
    if ./ns3 configure --help 2>/dev/null | grep -q -- --filter-module-examples-and-tests; then
        filter=(--filter-module-examples-and-tests=gossip)
    fi
    [ "${DROPIN_REUSE:-0}" = 1 ] || rm -rf cmake-cache build
    step "[$profile] configure" "$logdir/configure-$profile.log" \
        ./ns3 configure -d "$profile" --enable-examples --enable-tests --enable-modules=gossip \
        "${filter[@]}" --disable-python-bindings || { print_summary; exit 1; }
    sed -n '/^Modules configured to be built:/,/^$/p' "$logdir/configure-$profile.log" | sed 's/^/  /' >&2
    # Not `./ns3 build -j N`: some releases cap jobs at nproc-1 (so -j1 on 2 cores). This is the
    # command it would run, with the requested job count.
    if ! step "[$profile] build (-j$jobs)" "$logdir/build-$profile.log" cmake --build cmake-cache -j "$jobs"; then
        totals+=("ns-$ns3_version in-tree ($profile): build failed")
        continue
    fi
    # Warnings in the module's own files, whatever the profile (debug makes them errors anyway).
    warnings=$(grep -E "contrib/gossip/[^:]+:[0-9]+:[0-9]+: warning" "$logdir/build-$profile.log" | sort -u)
    if [ -n "$warnings" ]; then
        record FAIL "[$profile] warnings in gossip files ($(wc -l <<<"$warnings"))" 0
        sed 's/^/  /' <<<"$warnings" | head -n 20 >&2
    else
        record PASS "[$profile] no warnings in gossip files" 0
    fi

    # Everything the sources declare must be in the tree's test-runner.
    runner=$(find build -type f -name "ns$ns3_version-test-runner*" -perm -u+x | head -n 1)
    registered=$("$runner" --print-test-name-list 2>/dev/null | grep '^gossip-' | sort -u)
    for s in $(expected_suites); do
        grep -qx "$s" <<<"$registered" || record FAIL "[$profile] suite $s not in the test-runner" 0
    done

    # One test.py run: every gossip suite and every example of test/examples-to-run.py.
    step "[$profile] ./test.py (suites and examples)" "$logdir/test-$profile.log" ./test.py -n
    grep -E "(PASS|FAIL|CRASH|SKIP|VALGR).*: (TestSuite|Example)" "$logdir/test-$profile.log" |
        sed -E 's/\x1b\[[0-9;]*m//g; s/^/  /' >&2
    testpy_report "$logdir/test-$profile.log" "ns-$ns3_version in-tree ($profile)"
    logic=$("$runner" --suite=gossip-logic --verbose 2>/dev/null | grep -cE '^ +PASS ')
    totals+=("  gossip-logic ran $logic logic tests")

    gtest=$(find build -type f -name 'gossip-gtest*' -perm -u+x | head -n 1)
    if [ -n "$gtest" ]; then
        step "[$profile] GoogleTest binary" "$logdir/gtest-$profile.log" "$gtest" --gtest_brief=1
        totals+=("  GoogleTest binary: $(grep -oE '^\[  PASSED  \] [0-9]+' "$logdir/gtest-$profile.log" | grep -oE '[0-9]+$' || echo 0) passed")
    fi
done

print_summary
exit "$failed"
