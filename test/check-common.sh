# Shared by test/drop-in-check.sh and test/waf-check.sh (sourced, not run): steps with logs and
# wall times, the summary, Debian packages, and what ./test.py ran.
#
# The sourcing script sets: check_title (the summary's heading) and logdir.

t_start=$(date +%s)
summary=()
totals=()
failed=0

say() { echo "${check_name:-check}: $*" >&2; }
record() { summary+=("$(printf '%-6s %-58s %5ss' "$1" "$2" "$3")"); [ "$1" = PASS ] || failed=1; }
print_summary() {
    echo
    echo "==== $check_title ===="
    printf '%s\n' "${summary[@]}"
    echo "total wall time: $(($(date +%s) - t_start)) s; logs in $logdir"
    [ ${#totals[@]} -gt 0 ] && printf '%s\n' "${totals[@]}"
    if [ "$failed" -eq 0 ]; then echo "RESULT: PASS"; else echo "RESULT: FAIL"; fi
}
die() { # die MESSAGE [recorded]: stop; record MESSAGE as a failure unless a step already did
    say "$1"
    [ "${2:-}" = recorded ] || record FAIL "$1" $(($(date +%s) - t_start))
    print_summary
    exit 1
}
sudo_cmd() { if [ "$(id -u)" -eq 0 ]; then "$@"; else sudo "$@"; fi; }

install_deps() { # install_deps PACKAGE...: installs the Debian packages that are missing
    local missing=() p
    for p in "$@"; do
        dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" ||
            missing+=("$p")
    done
    [ ${#missing[@]} -eq 0 ] && return 0
    say "installing ${missing[*]}"
    sudo_cmd apt-get update -qq &&
        DEBIAN_FRONTEND=noninteractive sudo_cmd apt-get install -y -qq --no-install-recommends \
            "${missing[@]}" >&2
}

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

copy_module() { # copy_module TREE: this checkout's working tree (uncommitted edits included) as TREE/contrib/gossip
    rm -rf "$1/contrib/gossip"
    mkdir -p "$1/contrib/gossip"
    tar -C "$here" --exclude=./build --exclude='./build-*' --exclude=./results --exclude=./.git \
        --exclude=./cmake-cache \
        -cf - . | tar -C "$1/contrib/gossip" -xf -
}

expected_suites() { # the gossip suites the sources declare, and gossip-logic for the TEST()s
    (sed -nE 's/.*TestSuite[[:space:]]*\([[:space:]]*"(gossip-[^"]+)".*/\1/p' "$here"/test/*-test-suite.cc
     grep -qs '^TEST(' "$here"/test/*-gtest.cc && echo gossip-logic) | sort -u
}

testpy_report() { # testpy_report LOG PROFILE_LABEL: checks that test.py ran every suite and example
    # and records that; appends "<label>: N passed, F failed (...)" to the totals.
    local log="$1" label="$2" report
    report=$(python3 - "$log" "$here/test/examples-to-run.py" "$(expected_suites | tr '\n' ' ')" <<'EOF'
import os, re, runpy, sys
log = re.sub(r"\x1b\[[0-9;]*m", "", open(sys.argv[1], errors="replace").read())
want_examples = {e[0].split()[0] for e in runpy.run_path(sys.argv[2])["cpp_examples"]}
want_suites = set(sys.argv[3].split())
passed = failed = 0
suites, examples = set(), set()
for line in log.splitlines():
    m = re.match(r"^(?:\[\d+/\d+\] )?(PASS|FAIL|CRASH|SKIP|VALGR\w*)(?: \([0-9.]+\))?: (TestSuite|Example) (\S+)", line)
    if not m:
        continue
    status, kind, name = m.groups()
    if kind == "TestSuite" and not name.startswith("gossip-"):
        continue  # other modules' suites that ns-3 keeps in the tree (3.37 does)
    if kind == "TestSuite":
        suites.add(name)
    else:
        base = os.path.basename(name)
        base = re.sub(r"^ns3[.0-9a-z-]*?-(?=[a-z])", "", base) if base not in want_examples else base
        base = re.sub(r"-(debug|default|optimized|release)$", "", base)
        if base not in want_examples:
            continue  # other modules' examples that test.py runs too (waf trees)
        examples.add(base)
    if status == "PASS":
        passed += 1
    elif status != "SKIP":
        failed += 1
missing = sorted(want_suites - suites) + sorted(want_examples - examples)
print(passed, failed, len(suites), len(examples), " ".join(missing))
EOF
    )
    local passed failed nsuites nexamples missing
    read -r passed failed nsuites nexamples missing <<<"$report"
    if [ -n "$missing" ]; then
        record FAIL "$label test.py did not run: $missing" 0
    else
        record PASS "$label test.py ran every suite and example" 0
    fi
    totals+=("$label: $passed passed, $failed failed ($nsuites gossip suites, $nexamples examples)")
}

# ---- the ns-3 source (drop-in and MPI checks): needs ns3_version, src_cache, archive_dir ----
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
unpack_archive() {
    local a="$archive_dir/ns-$ns3_version.tar.xz"
    [ -f "$a" ] || { say "no $a (set NS3_ARCHIVE_DIR, or NS3_SRC_DIR to an extracted tree)"; return 1; }
    if [ -f "$archive_dir/SHA256SUMS" ]; then
        (cd "$archive_dir" && grep " ns-$ns3_version.tar.xz\$" SHA256SUMS | sha256sum -c --quiet -) ||
            { say "$a does not match $archive_dir/SHA256SUMS"; return 1; }
    fi
    mkdir -p "$src_cache"
    say "unpacking $a into $src_cache"
    rm -rf "$src_cache/ns-$ns3_version"
    tar -xJf "$a" -C "$src_cache"
}
get_source() {
    if [ -n "${NS3_SRC_DIR:-}" ]; then
        is_ns3_tree "$NS3_SRC_DIR" || { say "NS3_SRC_DIR=$NS3_SRC_DIR is not an ns-$ns3_version tree"; return 1; }
        echo "$NS3_SRC_DIR"
        return 0
    fi
    find_cached_tree && return 0
    if [ "$ns3_version" = 3.37 ]; then
        # What Debian users build: bookworm's source package.
        add_deb_src || return 1
        mkdir -p "$src_cache"
        say "apt-get source ns3 (into $src_cache)"
        (cd "$src_cache" && apt-get source -qq ns3 >&2) || return 1
    else
        unpack_archive || return 1
    fi
    find_cached_tree || { say "no ns-$ns3_version tree in $src_cache"; return 1; }
}
