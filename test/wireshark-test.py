#!/usr/bin/env python3
"""The Wireshark dissector (utils/wireshark/gossip.lua) against the module's real wire formats.

usage: wireshark-test.py MODULE_DIR EXAMPLES_DIR

1. A pcap of the golden bytes of every message type (test/gossip-wire-gtest.cc, which pins the
   encoders' output): tshark must decode known field values exactly.
2. Pcaps written by the examples (--pcap): every gossip datagram must decode with no malformed
   or truncated field, and each protocol's main messages must be there.

If a header's layout changes, the golden test fails unless its hex (and then this dissector,
checked here) changes with it; a dissector that no longer matches what the examples send fails
part 2. Prints "wireshark: N checked, F failed" and exits non-zero on a failure.
"""
import os
import re
import struct
import subprocess
import sys
import tempfile

module, examples = os.path.abspath(sys.argv[1]), os.path.abspath(sys.argv[2])
lua = os.path.join(module, "utils", "wireshark", "gossip.lua")
checked = 0
failures = []

PORTS = {"Pbcast": 7946, "Rmcast": 7947, "Lpbcast": 7150, "Astrolabe": 5405, "Aggregation": 9100}


def check(ok, what):
    global checked
    checked += 1
    if not ok:
        failures.append(what)
        print("FAIL " + what)


def write_pcap(path, payloads):
    """payloads: [(port, bytes)] as IPv4/UDP datagrams, linktype RAW (101)."""
    with open(path, "wb") as f:
        f.write(struct.pack("<IHHiIII", 0xA1B2C3D4, 2, 4, 0, 0, 65535, 101))
        for i, (port, data) in enumerate(payloads):
            udp = struct.pack("!HHHH", port, port, 8 + len(data), 0) + data
            ip = struct.pack("!BBHHHBBH4s4s", 0x45, 0, 20 + len(udp), i, 0, 64, 17, 0,
                             bytes([10, 0, 0, 1]), bytes([10, 0, 0, 2]))
            s = sum(struct.unpack("!10H", ip))
            s = (s >> 16) + (s & 0xFFFF)
            s += s >> 16
            ip = ip[:10] + struct.pack("!H", ~s & 0xFFFF) + ip[12:]
            frame = ip + udp
            f.write(struct.pack("<IIII", i, 0, len(frame), len(frame)) + frame)


def tshark(pcap, *extra):
    r = subprocess.run(["tshark", "-X", "lua_script:" + lua, "-r", pcap] + list(extra),
                       capture_output=True, text=True)
    return r.returncode, r.stdout, r.stderr


# ---- 1. golden bytes ----
src = open(os.path.join(module, "test", "gossip-wire-gtest.cc")).read()
golden = []
for m in re.finditer(r"TEST\(GossipWireGolden, (\w+)\)\n\{(.*?)\n\}", src, re.S):
    name, body = m.groups()
    hexes = "".join(re.findall(r'"([0-9a-f]+)"', body.split("Hex(h)")[-1]))
    port = next((p for k, p in PORTS.items() if name.startswith(k)), None)
    if port and hexes:
        golden.append((name, port, bytes.fromhex(hexes)))
check(len(golden) >= 15, f"golden messages found in gossip-wire-gtest.cc: {len(golden)}")

expected = {
    "PbcastData": ["Origin: 42", "Sequence number: 123456789", "Sent (ns): 987654321",
                   "Sent by IP multicast: True"],
    "PbcastGossip": ["Sender: 7: 14, 16, 22-71 from 7", "Sender: 9: 1000000 from 9",
                     "Floor: 300", "Member: 300 at 10.1.2.3, dc 1, heartbeat 1099511627776",
                     "Round: 77"],
    "PbcastSolicit": ["Round field is a send time: True", "Sender: 3: 1-18 from 3"],
    "PbcastJoin": ["JOIN reply: True", "Member: 2 at 10.0.0.9, dc 3, heartbeat 0"],
    "RmcastNack": ["Type: NACK (3)", "Sequence number: 17", "Value (NACK: end of the gap): 23",
                   "Sent (ns): 123456789"],
    "LpbcastGossip": ["Event: 10.0.1.1:5 age 3", "Payload: 01020304",
                      "eventIds: 1-18 from 3; 11 from 4; 14, 16, 22-71 from 7; 1000000 from 9",
                      "Subscriber: 10.0.1.3", "Unsubscribed at (ns): 5000000000"],
    "LpbcastRequest": ["Event: 10.0.1.2:9"],
    "LpbcastProbe": ["Nonce: 77", "Sent (ns): 1234567"],
    "AggregationEcho": ["Query id: 3", "Sum: 2.5", "Argmax node: 9", "Partial: True",
                        "Missing: 2"],
    "AggregationFlood": ["Budget (us): 5000", "Function: AVG (2)", "Root: 10.0.1.1"],
    "AggregationPushsum": ["s (mass): 1.5", "w (weight): 0.25", "Running-sum seq: 11"],
    "AggregationNaive": ["Value: -3.75"],
    "AggregationTopc": ["Largest entry: node 3 value 9.5", "Smallest entry: node 7 value 0.5"],
    "AstrolabeGossip": ["Sender: /dc0/r1/h1", "Entry /dc0/r1/h2 rep /dc0/r1/h2 issued -7",
                        "AFC digest load issued 99 by /dc0/r1/h1"],
    "AstrolabeRows": ["Row /z/h1 (rep /z/h1, issued 5): contacts={10.0.0.1}, load=0.5, n=3, "
                      "name='bob', up=true", "AFC avg: SELECT AVG(load) AS load",
                      "Max output bytes: 100", "Request /z: /z/h2 rep /z/h2"],
}
with tempfile.TemporaryDirectory() as tmp:
    pcap = os.path.join(tmp, "golden.pcap")
    write_pcap(pcap, [(port, data) for _, port, data in golden])
    for i, (name, _, _) in enumerate(golden):
        rc, out, err = tshark(pcap, "-V", "-Y", f"frame.number == {i + 1}")
        check(rc == 0, f"tshark runs on golden {name}: {err.strip()[:200]}")
        check("ns-3 gossip" in out, f"golden {name} is claimed by the dissector")
        bad = [l for l in out.splitlines() if re.search(r"\btruncated\b(?!\])|Malformed|Expert Info \(Error", l)]
        check(not bad, f"golden {name} decodes without errors: {bad[:3]}")
        for text in expected.get(name, []):
            check(text in out, f"golden {name} shows '{text}'")
    check(set(expected) <= {n for n, _, _ in golden}, "every expected golden message exists")

# ---- 2. pcaps of the examples ----
runs = [
    ("pbcast", ["pbcast-datacenter", "--racks=2", "--hostsPerRack=10", "--duration=1"],
     ["DATA", "GOSSIP", "SOLICIT"]),
    ("lpbcast", ["lpbcast-small-world", "--datacenters=2", "--racks=1", "--hostsPerRack=5",
                 "--events=3"], ["GOSSIP"]),
    ("astrolabe", ["astrolabe-spreadsheet", "--duration=60"], ["GOSSIP from", "ROWS from"]),
    ("aggregation", ["push-sum-loss", "--hostsPerRack=5", "--racks=2", "--rounds=5"],
     ["PUSH_SUM"]),
    ("aggregation", ["aggregation-compare", "--sizes=40", "--astrolabeMax=0", "--maxRounds=3"],
     ["TREE_FLOOD", "TREE_ECHO"]),
]
for proto, argv, infos in runs:
    exe = os.path.join(examples, argv[0])
    if not os.path.exists(exe):
        check(False, f"{argv[0]} is built")
        continue
    helptext = subprocess.run([exe, "--PrintHelp"], capture_output=True, text=True).stdout
    if "--pcap" not in helptext:
        check(False, f"{argv[0]} has --pcap")
        continue
    with tempfile.TemporaryDirectory() as tmp:
        r = subprocess.run([exe] + argv[1:] + ["--pcap", "--prefix=" + os.path.join(tmp, "x")],
                           cwd=tmp, capture_output=True, text=True, timeout=600)
        check(r.returncode == 0, f"{argv[0]} --pcap runs: {r.stderr.strip()[-200:]}")
        pcaps = sorted(f for f in os.listdir(tmp) if f.endswith(".pcap"))
        check(len(pcaps) > 0, f"{argv[0]} wrote pcaps")
        summary = ""
        verbose = ""
        for f in pcaps:
            rc, out, _ = tshark(os.path.join(tmp, f))
            summary += out
            rc, out, _ = tshark(os.path.join(tmp, f), "-V")
            verbose += out
        col = proto.upper()
        n = len([l for l in summary.splitlines() if f" {col} " in l])
        check(n > 0, f"{argv[0]}: {col} datagrams in its pcaps ({n})")
        for info in infos:
            check(info in summary, f"{argv[0]}: a '{info}' datagram decodes")
        bad = [l for l in verbose.splitlines() if re.search(r"\btruncated\b(?!\])|Malformed|Expert Info \(Error", l)]
        check(not bad, f"{argv[0]}: every datagram decodes without errors: {bad[:3]}")

print(f"wireshark: {checked} checked, {len(failures)} failed")
sys.exit(1 if failures else 0)
