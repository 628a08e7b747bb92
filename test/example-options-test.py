#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-2.0-only
"""Every example rejects a bad command-line value cleanly.

    test/example-options-test.py EXAMPLES_DIR [NAME ...] [-j JOBS] [-v]

For every example binary in EXAMPLES_DIR (an executable whose name is that of one of the
repository's examples/*.cc, or only the NAMEs given), the options are read from --PrintHelp
(ns-3's "    --name:  help [default]" lines; ns-3's own general arguments are skipped). Each
option is then given bad values, one run each:

  * empty (--name=), except for a yes/no option, where it means true;
  * for numbers: a huge number (99999999999), one past the largest allowed value, -3 and one
    below the smallest allowed value, when the allowed range excludes them; "abc", and "1.5x"
    (integers) or "nan" (other numbers);
  * for times: -3, 99999999999, "abc", "5parsecs", above the largest and below the smallest
    allowed time;
  * for comma-separated lists: the same, and a bad element after a good one ("4,abc",
    "4,<too big>", "4,");
  * for a word from a fixed set: "abc", "-3" and 99999999999 (when not in the set);
  * for yes/no options: "abc", "-3", "2", 99999999999;
  * for --prefix: a directory that does not exist, a trailing slash (any other word is a valid
    prefix, so "abc" is not tried).

The kind and the allowed values of an option come from the example itself: the empty value is
tried first, and its message ("... is invalid: allowed an integer 1..256") says what is allowed.
Every bad value must fail while parsing: exit code 1 (no signal), within 20 s, and exactly one
non-empty line on stderr, "error: --name=value is invalid: allowed ...". Runs happen in a
scratch directory (nothing is written there when the check works). Prints one line per failure
and "example options: N checked, F failed"; exits 1 on any failure (2: nothing to test).
-j: parallel runs (default 2); -v: print every run with the example's message.
"""

import argparse
import concurrent.futures
import glob
import os
import re
import shutil
import subprocess
import sys
import tempfile
import threading
import time

TIMEOUT = 20.0
HUGE = "99999999999"
# ns-3's general arguments (and anything else that is not an example's own option).
GENERIC = {
    "PrintHelp",
    "PrintGlobals",
    "PrintGroups",
    "PrintGroup",
    "PrintTypeIds",
    "PrintAttributes",
    "PrintVersion",
}
OPTION_LINE = re.compile(r"^\s+--([A-Za-z0-9_.:\-]+)(?:=\[[^\]]*\])?:\s*(.*?)\s*$")
DEFAULT = re.compile(r"\[([^\[\]]*)\]$")
TIME_UNITS = {"h": 3600e9, "min": 60e9, "s": 1e9, "ms": 1e6, "us": 1e3, "ns": 1.0}
TIME_TEXT = re.compile(r"^([0-9.eE+-]+)(h|min|ms|us|ns|s)?$")

print_lock = threading.Lock()


def say(line):
    with print_lock:
        print(line, flush=True)


class Run:
    """One run of an example: exit code (negative: killed by that signal), stderr, seconds."""

    def __init__(self, argv, cwd, env):
        start = time.monotonic()
        self.timed_out = False
        try:
            p = subprocess.run(
                argv,
                cwd=cwd,
                env=env,
                stdin=subprocess.DEVNULL,
                stdout=subprocess.PIPE,
                stderr=subprocess.PIPE,
                timeout=TIMEOUT,
            )
            self.rc = p.returncode
            self.stdout = p.stdout.decode("utf-8", "replace")
            self.stderr = p.stderr.decode("utf-8", "replace")
        except subprocess.TimeoutExpired as e:
            self.timed_out = True
            self.rc = None
            self.stdout = (e.stdout or b"").decode("utf-8", "replace")
            self.stderr = (e.stderr or b"").decode("utf-8", "replace")
        self.seconds = time.monotonic() - start


def number_text(x):
    """A number as a user would type it (no exponent, no trailing zeros)."""
    if float(x).is_integer():
        return str(int(x))
    return ("%.9f" % x).rstrip("0").rstrip(".")


def parse_time_ns(text):
    m = TIME_TEXT.match(text)
    if not m:
        return None
    try:
        return float(m.group(1)) * TIME_UNITS[m.group(2) or "s"]
    except ValueError:
        return None


def parse_number(text):
    try:
        return float(text)
    except ValueError:
        return None


class Option:
    def __init__(self, example, name, default):
        self.example = example
        self.name = name
        self.default = default  # None if the help line shows none


def bad_values(opt, allowed):
    """The kind of opt from its message for the empty value (or its default); the bad values
    to try besides the empty one."""
    if opt.default in ("true", "false"):
        return "bool", ["abc", "-3", "2", HUGE]
    if allowed is None:
        # The empty value was not refused properly (already a failure): nothing is known about
        # what the option allows, so try only what no option of any kind accepts.
        return "unknown", []
    m = re.match(r"^an integer (-?\d+)\.\.(-?\d+)$", allowed)
    if m:
        lo, hi = int(m.group(1)), int(m.group(2))
        vals = ["abc", "1.5x"]
        vals += [v for v in (HUGE, str(hi + 1)) if int(v) > hi]
        vals += [v for v in ("-3", str(lo - 1)) if int(v) < lo]
        return "integer", vals
    m = re.match(r"^a number (\S+)\.\.(\S+)$", allowed)
    if m:
        lo, hi = parse_number(m.group(1)), parse_number(m.group(2))
        vals = ["abc", "nan"]
        if lo is not None and hi is not None:
            if float(HUGE) > hi:
                vals.append(HUGE)
            vals.append(number_text(hi + max(1.0, abs(hi))))
            if -3 < lo:
                vals.append("-3")
            vals.append("0" if lo > 0 else number_text(lo - 1))
        return "number", vals
    m = re.match(r"^a time (\S+) \.\. (\S+)", allowed)
    if m:
        lo, hi = parse_time_ns(m.group(1)), parse_time_ns(m.group(2))
        vals = ["abc", "-3", "5parsecs"]
        if hi is not None:
            vals.append(HUGE)
            vals.append("%dns" % (int(hi) * 2 + 1))
        if lo is not None and lo > 0:
            vals.append("0s")
            if lo >= 2:
                vals.append("%dns" % (int(lo) // 2))
        return "time", vals
    m = re.match(r"^(integers|numbers) (\S+)\.\.(\S+), separated by commas", allowed)
    if m:
        lo, hi = parse_number(m.group(2)), parse_number(m.group(3))
        if lo is None or hi is None:
            return "list", ["abc", ","]
        good = number_text(lo)
        above = number_text(hi + 1 if m.group(1) == "integers" else hi + max(1.0, abs(hi)))
        vals = ["abc", ",", good + ",abc", good + "," + above, good + ",", good + ",," + good]
        if float(HUGE) > hi:
            vals.append(HUGE)
        if -3 < lo:
            vals.append("-3")
        return "list", vals
    m = re.match(r"^one of (.+)$", allowed)
    if m:
        choices = set(c.strip() for c in m.group(1).split(","))
        return "choice", [v for v in ("abc", "-3", HUGE) if v not in choices]
    if "prefix" in allowed:
        return "prefix", ["no-such-directory/x", "no-such-directory/", "/proc/no/such/dir/x"]
    if "IPv4" in allowed:
        return "address", ["abc", "-3", HUGE, "256.1.1.1", "1.2.3"]
    return "unknown", []


def check(opt, value, run):
    """\return the reasons why run is not a clean rejection of --name=value ([] if it is)."""
    why = []
    if run.timed_out:
        why.append("still running after %.0f s: not refused while parsing" % TIMEOUT)
        return why
    if run.rc is not None and run.rc < 0:
        why.append("killed by signal %d" % -run.rc)
    elif run.rc != 1:
        why.append("exit code %s, not 1" % run.rc)
    if run.seconds >= TIMEOUT:
        why.append("took %.1f s" % run.seconds)
    text = run.stderr[:-1] if run.stderr.endswith("\n") else run.stderr
    want = re.compile(
        r"^error: --%s=%s is invalid: allowed .+$" % (re.escape(opt.name), re.escape(value))
    )
    if not text or "\n" in text or not want.match(text):
        shown = run.stderr.strip().splitlines()
        head = " | ".join(shown[:3]) + (" | ..." if len(shown) > 3 else "")
        why.append(
            "stderr is not one line 'error: --%s=%s is invalid: allowed ...' (%d lines: %s)"
            % (opt.name, value, len(shown), head[:300] or "empty")
        )
    return why


def read_options(binary, cwd, env):
    """The example's own options from --PrintHelp, or an error text."""
    run = Run([binary, "--PrintHelp"], cwd, env)
    if run.timed_out or run.rc != 0:
        return None, "--PrintHelp failed (exit %s): %s" % (run.rc, run.stderr.strip()[:300])
    options = []
    section = None
    for line in run.stdout.splitlines():
        if line and not line.startswith(" "):
            section = line.strip().rstrip(":")
            continue
        if section != "Program Options":
            continue
        m = OPTION_LINE.match(line)
        if not m or m.group(1) in GENERIC or "::" in m.group(1):
            continue
        d = DEFAULT.search(m.group(2))
        options.append((m.group(1), d.group(1) if d else None))
    if not options:
        return None, "--PrintHelp lists no options"
    return options, None


def main():
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("examples_dir", help="directory of the built example binaries")
    ap.add_argument("names", nargs="*", help="only these examples (default: all)")
    ap.add_argument("-j", "--jobs", type=int, default=2, help="parallel runs (default 2)")
    ap.add_argument("-v", "--verbose", action="store_true", help="print every run")
    args = ap.parse_args()

    here = os.path.dirname(os.path.abspath(__file__))
    sources = sorted(glob.glob(os.path.join(here, "..", "examples", "*.cc")))
    known = [os.path.splitext(os.path.basename(s))[0] for s in sources]
    wanted = args.names or known
    unknown = [n for n in wanted if n not in known]
    if unknown:
        print("not an example of this repository: %s" % ", ".join(unknown), file=sys.stderr)
        return 2
    binaries = []
    for name in wanted:
        path = os.path.join(args.examples_dir, name)
        if os.path.isfile(path) and os.access(path, os.X_OK):
            binaries.append((name, os.path.abspath(path)))
        else:
            say("note: %s is not built in %s: skipped" % (name, args.examples_dir))
    if not binaries:
        print("no example binaries in %s" % args.examples_dir, file=sys.stderr)
        return 2

    env = {k: v for k, v in os.environ.items() if not k.startswith("NS_")}
    scratch = tempfile.mkdtemp(prefix="example-options-")
    start = time.monotonic()
    checked = 0
    failed = 0
    counter_lock = threading.Lock()

    def count(ok):
        nonlocal checked, failed
        with counter_lock:
            checked += 1
            failed += 0 if ok else 1

    def try_value(name, binary, opt, value):
        run = Run([binary, "--%s=%s" % (opt.name, value)], scratch, env)
        why = check(opt, value, run)
        count(not why)
        if why:
            say("FAIL %s --%s=%s: %s" % (name, opt.name, value, "; ".join(why)))
        elif args.verbose:
            say(
                "ok   %s --%s=%s (%.2f s): %s"
                % (name, opt.name, value, run.seconds, run.stderr.strip())
            )
        return run

    def test_option(name, binary, opt):
        allowed = None
        if opt.default not in ("true", "false"):
            run = try_value(name, binary, opt, "")
            m = re.search(r" is invalid: allowed (.+)$", run.stderr.strip())
            if m and "\n" not in run.stderr.strip():
                allowed = m.group(1)
        kind, values = bad_values(opt, allowed)
        for v in values:
            try_value(name, binary, opt, v)
        return kind

    try:
        with concurrent.futures.ThreadPoolExecutor(max_workers=max(1, args.jobs)) as pool:
            helps = {
                name: pool.submit(read_options, binary, scratch, env) for name, binary in binaries
            }
            jobs = []
            for name, binary in binaries:
                options, error = helps[name].result()
                if error:
                    count(False)
                    say("FAIL %s: %s" % (name, error))
                    continue
                for opt_name, default in options:
                    opt = Option(name, opt_name, default)
                    jobs.append(pool.submit(test_option, name, binary, opt))
            for j in jobs:
                j.result()
    finally:
        left = os.listdir(scratch)
        shutil.rmtree(scratch, ignore_errors=True)
    if left:
        failed += 1
        say("FAIL files written by runs that should have stopped while parsing: %s" % left[:10])
    print("%d examples, %.0f s" % (len(binaries), time.monotonic() - start))
    print("example options: %d checked, %d failed" % (checked, failed))
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
