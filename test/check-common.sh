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
