#!/usr/bin/env bash
# Distributed runs on ns-3's MPI engine: the same results as one process.
#
#   test/mpi-check.sh                           (ns-3.37 from Debian's source package)
#   NS3_VERSION=3.48 test/mpi-check.sh          (a release archive in ../shared/ns-3)
#
# 1. installs the Debian packages it needs, OpenMPI among them (when missing; root or sudo);
# 2. gets the ns-3 source as test/drop-in-check.sh does, from the same cache;
# 3. copies this checkout's working tree to contrib/gossip of a tree of its own
#    ($DROPIN_WORKDIR/ns-X-mpi), configures it with --enable-mpi and only gossip and the modules
#    it depends on, with examples, and builds;
# 4. runs each example below in one process, under mpiexec -np 2 and -np 4, with the granted
#    time window and with null messages, and compares what each run reports with the
#    sequential run's, byte for byte:
#      topology-scale   the datagrams delivered;
#      pbcast-wan       per message, the members that delivered it (<prefix>-messages.csv),
#                       and every figure it prints;
#      astrolabe-wan    when nmembers and AVG(load) were right at every agent, before and
#                       after a datacenter fails, and the per-second convergence and per-agent
#                       load CSVs;
#      aggregation-compare  the flooding tree's root answers (COUNT, AVG, latency, messages,
#                       load spike) and push-sum's: the round at which every node was within
#                       eps, its error, messages and queue drops (stdout and CSV);
#    with the wall time of every run and its speedup over the sequential one;
# 5. ends with RESULT: PASS, or RESULT: FAIL and a non-zero exit on any difference or failure.
#
# Environment (all optional):
#   NS3_VERSION       3.37 (default); 3.43 or 3.48 from $NS3_ARCHIVE_DIR
#   MPI_PROFILE       ns-3 build profile (default release)
#   DROPIN_WORKDIR    scratch directory (default ${TMPDIR:-/tmp}/gossip-drop-in, shared with
#                     test/drop-in-check.sh for the source and ccache); DROPIN_REUSE=1 keeps the
#                     tree and build (incremental)
#   DROPIN_JOBS       parallel build jobs (default: nproc)
#   MPI_RANKS         rank counts to compare with one process (default "2 4")
#   MPI_BENCH=1       also the speed benchmark: pbcast-wan at 4 x 2,500 hosts, 20 ms WAN, 2 ranks
#                     (granted time window and null messages) against one process
set -uo pipefail

here="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
workdir="${DROPIN_WORKDIR:-${TMPDIR:-/tmp}/gossip-drop-in}"
src_cache="${NS3_SRC_CACHE:-$workdir/src}"
archive_dir="${NS3_ARCHIVE_DIR:-$here/../shared/ns-3}"
jobs="${DROPIN_JOBS:-$(nproc)}"
ns3_version="${NS3_VERSION:-3.37}"
profile="${MPI_PROFILE:-release}"
ranks_list="${MPI_RANKS:-2 4}"
tree="$workdir/ns-$ns3_version-mpi"
logdir="$workdir/logs-$ns3_version-mpi"
runs="$workdir/mpi-runs"
export CCACHE_DIR="${DROPIN_CCACHE_DIR:-${CCACHE_DIR:-$workdir/ccache}}"
# OpenMPI refuses root without these; more ranks than cores needs --oversubscribe.
export OMPI_ALLOW_RUN_AS_ROOT=1 OMPI_ALLOW_RUN_AS_ROOT_CONFIRM=1
packages=(build-essential cmake python3 dpkg-dev xz-utils libboost-dev libsqlite3-dev libgsl-dev
          libxml2-dev ccache libopenmpi-dev openmpi-bin)

check_name=mpi-check
check_title="gossip MPI check (ns-$ns3_version --enable-mpi, contrib/gossip)"
# shellcheck source=check-common.sh
. "$here/test/check-common.sh"

mkdir -p "$workdir" "$logdir" "$CCACHE_DIR" || die "cannot create $workdir"

t0=$(date +%s)
install_deps "${packages[@]}" >"$logdir/apt.log" 2>&1 || { tail -n 20 "$logdir/apt.log" >&2; die "package installation"; }
src="$(get_source 2>"$logdir/source.log")" || { cat "$logdir/source.log" >&2; die "getting the ns-$ns3_version source"; }
record PASS "packages + ns-$ns3_version source ($src)" $(($(date +%s) - t0))

t0=$(date +%s)
if [ "${DROPIN_REUSE:-0}" != 1 ] || ! is_ns3_tree "$tree"; then
    rm -rf "$tree"
    cp -a "$src" "$tree" || die "copying $src"
    rm -rf "$tree/build" "$tree/cmake-cache" "$tree"/.lock-ns3*
fi
copy_module "$tree" || die "copying the module"
record PASS "tree at $tree" $(($(date +%s) - t0))
cd "$tree" || die "cd $tree"

filter=()
if ./ns3 configure --help 2>/dev/null | grep -q -- --filter-module-examples-and-tests; then
    filter=(--filter-module-examples-and-tests=gossip)
fi
[ "${DROPIN_REUSE:-0}" = 1 ] || rm -rf cmake-cache build
step "configure -d $profile --enable-mpi" "$logdir/configure.log" \
    ./ns3 configure -d "$profile" --enable-mpi --enable-examples --enable-modules=gossip \
    "${filter[@]}" --disable-python-bindings || { print_summary; exit 1; }
grep -q "MPI Support *: .*ON" "$logdir/configure.log" ||
    { record FAIL "MPI support is not ON in the configured tree" 0; print_summary; exit 1; }
step "build (-j$jobs)" "$logdir/build.log" cmake --build cmake-cache -j "$jobs" ||
    { print_summary; exit 1; }

lib="$(dirname "$(find build -name 'libns3*-gossip*.so' | head -n 1)")"
export LD_LIBRARY_PATH="$tree/$lib${LD_LIBRARY_PATH:+:$LD_LIBRARY_PATH}"
declare -A example_of=([bench]=pbcast-wan) # run names that are not the example's
example() { find build -type f -perm -u+x -name "ns$ns3_version-$1-*" | head -n 1; }

# run NAME LABEL RANKS ENGINE ARGS...: one run in $runs/NAME/LABEL (stdout, stderr, wall time).
run() {
    local name=$1 label=$2 np=$3 engine=$4
    shift 4
    local bin dir
    bin="$tree/$(example "${example_of[$name]:-$name}")"
    dir="$runs/$name/$label"
    rm -rf "$dir" && mkdir -p "$dir"
    local mpi=() flags=()
    if [ "$np" -gt 0 ]; then
        mpi=(mpiexec --oversubscribe -np "$np")
        flags=(--mpi)
        [ "$engine" = nullmsg ] && flags+=(--nullmsg)
    fi
    local s e rc
    s=$(date +%s.%N)
    (cd "$dir" && "${mpi[@]}" "$bin" "$@" "${flags[@]}" --prefix=out >stdout 2>stderr)
    rc=$?
    e=$(date +%s.%N)
    awk -v s="$s" -v e="$e" 'BEGIN { printf "%.2f\n", e - s }' >"$dir/wall"
    return $rc
}

# What each example's runs must agree on, from a run directory.
result_of() {
    local name=$1 dir=$2
    case "$name" in
        topology-scale) grep -oE 'datagrams=[0-9]+ delivered=[0-9]+' "$dir/stdout" ;;
        pbcast-wan) grep -v '^wrote ' "$dir/stdout"; cat "$dir/out-messages.csv" ;;
        astrolabe-wan) cat "$dir/stdout" "$dir"/out-*.csv ;;
        aggregation-compare) cat "$dir/stdout" "$dir/out.csv" ;;
    esac
}

declare -A args
# The core links are the cut: 1 ms of lookahead, not the fabric's 2 us (each window is a
# synchronisation of every rank).
args[topology-scale]="--hosts=8000 --datagrams=50000 --coreDelay=1ms"
args[pbcast-wan]="--datacenters=4 --only=remote-multicast --racks=8 --duration=3"
args[astrolabe-wan]="--datacenters=4 --duration=200 --darkAt=100"
# 200 racks of 10 make 4 pods; Astrolabe is not run under --mpi (astrolabe-wan covers it).
# Under --mpi the run goes on to --maxRounds, each 1 ms of it a window: 1 s rounds keep 4
# null-message ranks on 2 cores to minutes (5 s rounds took 30 s of wall time a round).
args[aggregation-compare]="--sizes=2000 --hostsPerRack=10 --period=1s --maxRounds=35 --astrolabeMax=0 --coreDelay=1ms"

for name in topology-scale pbcast-wan astrolabe-wan aggregation-compare; do
    # shellcheck disable=SC2086
    if ! run "$name" seq 0 - ${args[$name]}; then
        record FAIL "$name: the sequential run failed (see $runs/$name/seq/stderr)" 0
        continue
    fi
    seq_wall=$(cat "$runs/$name/seq/wall")
    result_of "$name" "$runs/$name/seq" >"$runs/$name/seq/result"
    [ -s "$runs/$name/seq/result" ] || { record FAIL "$name: the sequential run reported nothing" 0; continue; }
    record PASS "$name, 1 process ($(printf '%.1f' "$seq_wall") s)" "$(printf '%.0f' "$seq_wall")"
    for np in $ranks_list; do
        for engine in gtw nullmsg; do
            label="np$np-$engine"
            # shellcheck disable=SC2086
            if ! run "$name" "$label" "$np" "$engine" ${args[$name]}; then
                record FAIL "$name, $np ranks, $engine: the run failed (see $runs/$name/$label/stderr)" 0
                continue
            fi
            wall=$(cat "$runs/$name/$label/wall")
            result_of "$name" "$runs/$name/$label" >"$runs/$name/$label/result"
            speedup=$(awk -v a="$seq_wall" -v b="$wall" 'BEGIN { printf "%.2f", a / b }')
            if cmp -s "$runs/$name/seq/result" "$runs/$name/$label/result"; then
                record PASS "$name, $np ranks, $engine: identical, speedup $speedup" "$(printf '%.0f' "$wall")"
            else
                record FAIL "$name, $np ranks, $engine: differs from 1 process" "$(printf '%.0f' "$wall")"
                diff "$runs/$name/seq/result" "$runs/$name/$label/result" | head -n 10 | sed 's/^/  /' >&2
            fi
        done
    done
done

# The speed benchmark (MPI_BENCH=1; about 3 minutes on 2 cores): pbcast-wan at 4 datacenters of
# 2,500 hosts with 20 ms WAN links, 2 ranks of each engine against one process, results compared
# as above. Figures, not a pass/fail on speed: machines are noisy.
if [ "${MPI_BENCH:-0}" = 1 ]; then
    bench="--datacenters=4 --hostsPerRack=50 --racks=50 --wanDelay=20ms --only=remote-multicast --duration=1"
    # shellcheck disable=SC2086
    run bench seq 0 - $bench || true
    bin_ok=1
    [ -s "$runs/bench/seq/stdout" ] || bin_ok=0
    totals+=("benchmark: pbcast-wan $bench")
    if [ $bin_ok = 1 ]; then
        seq_wall=$(cat "$runs/bench/seq/wall")
        result_of pbcast-wan "$runs/bench/seq" >"$runs/bench/seq/result"
        totals+=("  1 process                      $(printf '%7.1f' "$seq_wall") s")
        for engine in gtw nullmsg; do
            # shellcheck disable=SC2086
            run bench "np2-$engine" 2 "$engine" $bench
            wall=$(cat "$runs/bench/np2-$engine/wall")
            result_of pbcast-wan "$runs/bench/np2-$engine" >"$runs/bench/np2-$engine/result"
            same=identical
            cmp -s "$runs/bench/seq/result" "$runs/bench/np2-$engine/result" || { same=DIFFERENT; failed=1; }
            totals+=("  2 ranks, $(printf '%-8s' "$engine")              $(printf '%7.1f' "$wall") s  speedup $(awk -v a="$seq_wall" -v b="$wall" 'BEGIN { printf "%.2f", a / b }')  $same")
        done
    else
        record FAIL "benchmark: the one-process run failed (see $runs/bench/seq/stderr)" 0
    fi
fi

print_summary
exit "$failed"
