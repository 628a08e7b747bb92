#!/usr/bin/env bash
# Regression set for changes that must not alter behaviour (refactors, speed-ups): a short run of
# every example, its stdout and every file it writes, in one directory per example.
#
#   utils/regression-set.sh OUTDIR [EXAMPLES_DIR]      (EXAMPLES_DIR default: build/examples)
#   diff -r before/ after/                              byte-identical, or explain each difference
#
# Lines that report wall time or memory are dropped from stdout (they differ between any two
# runs); PNGs are left out (gnuplot output, derived from the .plt and .csv that are kept).
set -euo pipefail

here="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
out="${1:?usage: utils/regression-set.sh OUTDIR [EXAMPLES_DIR]}"
bin="${2:-$here/build/examples}"
mkdir -p "$out"
out="$(cd "$out" && pwd)"

# One run per example: about 40 s in all with a Release build.
runs=(
    "datacenter-multicast"
    "gossip-quickstart --racks=2"
    "topology-scale --hosts=1000 --datagrams=5000"
    "protocol-scale --protocol=pbcast --hosts=200 --rounds=20"
    "pbcast-stability --groups=8 --probs=0,0.6 --duration=3"
    "pbcast-wan --duration=2"
    "pbcast-bimodal --messages=100"
    "pbcast-datacenter --duration=1"
    "lpbcast-infection --runs=1 --events=3"
    "lpbcast-purging --runs=1"
    "lpbcast-small-world --events=5"
    "lpbcast-vs-pbcast --messages=10 --runs=1"
    "astrolabe-wan --duration=200 --darkAt=100"
    "astrolabe-overload --duration=200"
    "astrolabe-spreadsheet"
    "astrolabe-propagation --branching=5 --levels=3 --warmup=20 --measure=15"
    "dreadful-tree --agents=true --maxN=1024"
    "aggregation-compare --sizes=200 --astrolabeMax=200 --maxRounds=30"
    "gossip-top-c --hosts=200 --rounds=20"
    "push-sum-loss --rounds=40"
)
# Wall-clock and memory figures, never reproducible: progress lines and timing fields are masked.
mask() {
    sed -E -e '/real time\) [0-9]+ events processed/d' \
        -e '/wall clock:/d' \
        -e 's/\([0-9.]+ s\)$/(T s)/' -e 's/wall [0-9.]+ s/wall T s/g' \
        -e 's/\([0-9.]+ s wall\)/(T s wall)/' -e 's/simulated in [0-9.]+ s/simulated in T s/' -e 's/built in [0-9.]+ s/built in T s/' \
        -e 's/\b(build_s|install_s|peak_rss_mb|kb_per_host|datagrams_per_s|wall_s|replay_wall_s|rss_mb|us_per_member_round)=[0-9.-]+/\1=T/g' \
        -e 's/^ratio to raw UDP: .*/ratio to raw UDP: T/'
}

status=0
for r in "${runs[@]}"; do
    read -r -a argv <<<"$r"
    name="${argv[0]}"
    dir="$out/$name"
    rm -rf "$dir"
    mkdir -p "$dir"
    if ! (cd "$dir" && "$bin/$name" "${argv[@]:1}" >stdout.raw 2>&1); then
        echo "FAIL $r" >&2
        status=1
    fi
    mask <"$dir/stdout.raw" >"$dir/stdout"
    rm -f "$dir/stdout.raw" "$dir"/*.png
    echo "$r" >"$dir/command"
    echo "done $r" >&2
done
exit $status
