#!/usr/bin/env bash
# Proves the drop-in build: this checkout as contrib/gossip inside an ns-3.37 source tree.
#
#   test/drop-in-check.sh
#
# 1. installs the Debian packages it needs (when missing; needs root or sudo);
# 2. gets the ns-3.37 source: $NS3_SRC_DIR (an extracted tree, the directory holding ./ns3), or a
#    tree cached in $NS3_SRC_CACHE, or `apt-get source ns3` into $NS3_SRC_CACHE (adds a deb-src
#    entry when none is configured, then apt-get update). The source tree is copied, never changed;
# 3. copies this checkout's working tree (without build/, results/, .git) to contrib/gossip;
# 4. configures only gossip and the modules it depends on, with examples and tests, and builds;
# 5. runs ./test.py -s <suite> for every gossip-* TestSuite in test/*-test-suite.cc, the
#    GoogleTest binary when GoogleTest was found, and `./ns3 run datacenter-multicast`;
# 6. prints a summary with wall times; exits non-zero on any failure.
#
# Environment (all optional):
#   DROPIN_WORKDIR    scratch directory (default ${TMPDIR:-/tmp}/gossip-drop-in); its ns-3 copy is
#                     replaced on every run unless DROPIN_REUSE=1 (then the build is incremental)
#   NS3_SRC_DIR       an extracted ns-3.37 tree to copy instead of downloading
#   NS3_VERSION       ns-3 version expected in NS3_SRC_DIR (default 3.37; Debian only has 3.37)
#   NS3_SRC_CACHE     where `apt-get source ns3` is unpacked (default $DROPIN_WORKDIR/src)
#   DROPIN_JOBS       parallel build jobs (default: nproc)
#   DROPIN_EXAMPLE    example to run (default datacenter-multicast)
#   DROPIN_CCACHE_DIR ccache directory (default $DROPIN_WORKDIR/ccache; ns-3 rewrites the
#                     ccache config, so keep it away from the user's own cache)
set -uo pipefail

here="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
workdir="${DROPIN_WORKDIR:-${TMPDIR:-/tmp}/gossip-drop-in}"
src_cache="${NS3_SRC_CACHE:-$workdir/src}"
jobs="${DROPIN_JOBS:-$(nproc)}"
example="${DROPIN_EXAMPLE:-datacenter-multicast}"
ns3_version="${NS3_VERSION:-3.37}" # other >= 3.36 trees: give NS3_SRC_DIR
tree="$workdir/ns-$ns3_version"
logdir="$workdir/logs"
export CCACHE_DIR="${DROPIN_CCACHE_DIR:-$workdir/ccache}"
packages=(build-essential cmake python3 dpkg-dev libboost-dev libgtest-dev libsqlite3-dev
          libgsl-dev libxml2-dev ccache)

t_start=$(date +%s)
summary=()
failed=0
say() { echo "drop-in: $*" >&2; }
record() { summary+=("$(printf '%-6s %-48s %5ss' "$1" "$2" "$3")"); [ "$1" = PASS ] || failed=1; }
die() {
    say "$*"
    record FAIL "$*" $(($(date +%s) - t_start))
    print_summary
    exit 1
}
print_summary() {
    echo
    echo "==== gossip drop-in check (ns-$ns3_version, contrib/gossip) ===="
    printf '%s\n' "${summary[@]}"
    echo "total wall time: $(($(date +%s) - t_start)) s; logs in $logdir"
    if [ "$failed" -eq 0 ]; then echo "RESULT: PASS"; else echo "RESULT: FAIL"; fi
}
sudo_cmd() { if [ "$(id -u)" -eq 0 ]; then "$@"; else sudo "$@"; fi; }

# ---- 1. packages ----
install_deps() {
    local missing=() p
    for p in "${packages[@]}"; do
        dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" ||
            missing+=("$p")
    done
    [ ${#missing[@]} -eq 0 ] && return 0
    say "installing ${missing[*]}"
    sudo_cmd apt-get update -qq &&
        DEBIAN_FRONTEND=noninteractive sudo_cmd apt-get install -y -qq --no-install-recommends \
            "${missing[@]}" >&2
}

# ---- 2. ns-3 source ----
have_deb_src() {
    grep -hqsE '^[[:space:]]*deb-src[[:space:]]' /etc/apt/sources.list /etc/apt/sources.list.d/*.list &&
        return 0
    grep -hqsE '^[[:space:]]*Types:.*\bdeb-src\b' /etc/apt/sources.list.d/*.sources
}
add_deb_src() {
    # Idempotent: only when no deb-src is configured, and always the same file and content.
    have_deb_src && return 0
    local codename
    codename="$(. /etc/os-release && echo "${VERSION_CODENAME:-bookworm}")"
    say "adding a deb-src entry for $codename (/etc/apt/sources.list.d/gossip-deb-src.sources)"
    printf 'Types: deb-src\nURIs: http://deb.debian.org/debian\nSuites: %s\nComponents: main\nSigned-By: /usr/share/keyrings/debian-archive-keyring.gpg\n' \
        "$codename" | sudo_cmd tee /etc/apt/sources.list.d/gossip-deb-src.sources >/dev/null
    sudo_cmd apt-get update -qq
}
is_ns3_tree() { [ -f "$1/ns3" ] && [ -f "$1/VERSION" ] && grep -qx "$ns3_version" "$1/VERSION"; }
find_cached_tree() {
    local d
    for d in "$src_cache"/ns3-*/ns-"$ns3_version" "$src_cache"/ns-"$ns3_version"; do
        is_ns3_tree "$d" && { echo "$d"; return 0; }
    done
    return 1
}
get_source() {
    if [ -n "${NS3_SRC_DIR:-}" ]; then
        is_ns3_tree "$NS3_SRC_DIR" || { say "NS3_SRC_DIR=$NS3_SRC_DIR is not an ns-$ns3_version tree"; return 1; }
        echo "$NS3_SRC_DIR"
        return 0
    fi
    find_cached_tree && return 0
    add_deb_src || return 1
    mkdir -p "$src_cache"
    say "apt-get source ns3 (into $src_cache)"
    (cd "$src_cache" && apt-get source -qq ns3 >&2) || return 1
    find_cached_tree || { say "apt-get source ns3 gave no ns-$ns3_version tree"; return 1; }
}

# ---- helpers ----
step() { # step NAME LOGFILE COMMAND...: runs a command with its output in a log, records the time
    local name="$1" log="$2" t0 rc
    shift 2
    t0=$(date +%s)
    say "$name (log: $log)"
    "$@" >"$log" 2>&1
    rc=$?
    if [ $rc -eq 0 ]; then
        record PASS "$name" $(($(date +%s) - t0))
    else
        record FAIL "$name (exit $rc)" $(($(date +%s) - t0))
        say "$name failed; last lines of $log:"
        tail -n 40 "$log" >&2
    fi
    return $rc
}

mkdir -p "$workdir" "$logdir" "$CCACHE_DIR" || die "cannot create $workdir"

t0=$(date +%s)
install_deps >"$logdir/apt.log" 2>&1 || { tail -n 20 "$logdir/apt.log" >&2; die "package installation"; }
src="$(get_source 2>"$logdir/source.log")" || { cat "$logdir/source.log" >&2; die "getting the ns-$ns3_version source"; }
record PASS "packages + ns-$ns3_version source ($src)" $(($(date +%s) - t0))

# ---- 3. tree with this checkout at contrib/gossip ----
t0=$(date +%s)
if [ "${DROPIN_REUSE:-0}" != 1 ] || ! is_ns3_tree "$tree"; then
    rm -rf "$tree"
    cp -a "$src" "$tree" || die "copying $src"
    rm -rf "$tree/build" "$tree/cmake-cache" "$tree"/.lock-ns3*
fi
rm -rf "$tree/contrib/gossip"
mkdir -p "$tree/contrib/gossip"
# The working tree as it is (uncommitted edits included), without build outputs or git data.
tar -C "$here" --exclude=./build --exclude=./results --exclude=./.git --exclude='./cmake-cache' \
    -cf - . | tar -C "$tree/contrib/gossip" -xf - || die "copying the module"
record PASS "tree at $tree" $(($(date +%s) - t0))

cd "$tree" || die "cd $tree"

# ---- 4. configure + build ----
# --enable-modules=gossip: ns-3.37 keeps gossip and the modules its CMakeLists.txt names
#   (${libNAME} tokens, resolved recursively).
# --filter-module-examples-and-tests=gossip: examples and tests of those other modules are not
#   built (their libraries are), which is most of the saving.
# Python bindings (and so the visualizer) are off: not needed.
filter=()
if ./ns3 configure --help 2>/dev/null | grep -q -- --filter-module-examples-and-tests; then
    filter=(--filter-module-examples-and-tests=gossip) # ns-3.37 and later
fi
step "configure" "$logdir/configure.log" \
    ./ns3 configure --enable-examples --enable-tests --enable-modules=gossip "${filter[@]}" \
    --disable-python-bindings || die "configure"
sed -n '/^Modules configured to be built:/,/^$/p' "$logdir/configure.log" | sed 's/^/  /' >&2
# Not `./ns3 build -j N`: ns-3.37's ns3 caps jobs at nproc-1 (so -j1 on 2 cores). This is the
# command it would run, with the requested job count.
step "build (-j$jobs)" "$logdir/build.log" cmake --build cmake-cache -j "$jobs" || die "build"

# ---- 5. tests and the example ----
suites=$(sed -nE 's/.*TestSuite[[:space:]]*\([[:space:]]*"(gossip-[^"]+)".*/\1/p' \
    "$here"/test/*-test-suite.cc | sort -u)
[ -n "$suites" ] || die "no gossip-* TestSuite found in test/*-test-suite.cc"
runner=$(find build -type f -name "ns$ns3_version-test-runner*" -perm -u+x | head -n 1)
registered=""
[ -n "$runner" ] && registered=$("$runner" --print-test-name-list 2>/dev/null | grep '^gossip-' | sort -u)
for s in $suites; do
    if [ -n "$runner" ] && ! grep -qx "$s" <<<"$registered"; then
        record FAIL "suite $s not in test-runner (file not built?)" 0
        continue
    fi
    step "test.py -s $s" "$logdir/test-$s.log" ./test.py -n -s "$s"
    grep -E "^(PASS|FAIL|CRASH|SKIP|VALGR)|tests passed" "$logdir/test-$s.log" | sed 's/^/  /' >&2
done
# Suites registered in the runner but not found by the grep above: run them too.
for s in $registered; do
    grep -qx "$s" <<<"$suites" && continue
    step "test.py -s $s" "$logdir/test-$s.log" ./test.py -n -s "$s"
done

gtest=$(find build -type f -name 'gossip-gtest*' -perm -u+x | head -n 1)
if [ -n "$gtest" ]; then
    step "GoogleTest ($gtest)" "$logdir/gtest.log" "$gtest" --gtest_brief=1
    grep -E '^\[  (PASSED|FAILED)  \]' "$logdir/gtest.log" | sed 's/^/  /' >&2
else
    say "no gossip-gtest binary (GoogleTest not found at configure time): skipped"
fi

mkdir -p "$workdir/run"
step "./ns3 run $example" "$logdir/example-$example.log" \
    ./ns3 run "$example" --no-build --cwd "$workdir/run"
tail -n 5 "$logdir/example-$example.log" | sed 's/^/  /' >&2

print_summary
exit "$failed"
