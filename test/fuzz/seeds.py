#!/usr/bin/env python3
"""Seed corpora for test/fuzz/run.sh.

usage: seeds.py MODULE_DIR FUZZ_BUILD_DIR CORPUS_DIR

- The golden bytes of every message type (test/gossip-wire-gtest.cc holds them as hex).
- The UDP payloads of pcaps that the examples write with --pcap (from MODULE_DIR/build/examples
  when the standalone build exists), split by destination port.
- A few SQL queries (the lecture's and the module's system AFC).
For fuzz-receive every payload is prefixed with the byte that selects its protocol.
"""
import hashlib
import os
import re
import struct
import subprocess
import sys
import tempfile

module, build, corpus = sys.argv[1:4]

# port -> (header target, fuzz-receive selector); see test/fuzz/fuzz-receive.cc
PORTS = {
    7946: ("fuzz-pbcast-header", 0),
    7947: ("fuzz-rmcast-header", 1),
    7150: ("fuzz-lpbcast-header", 2),
    5405: ("fuzz-astrolabe-header", 3),
    9100: ("fuzz-aggregation-header", 4),
    9200: ("fuzz-aggregation-header", 5),
    9201: ("fuzz-aggregation-header", 5),
    9300: ("fuzz-aggregation-header", 6),
}
GOLDEN_PREFIX = {
    "Pbcast": 7946,
    "Rmcast": 7947,
    "Lpbcast": 7150,
    "Astrolabe": 5405,
    "Aggregation": 9100,
}

written = {}


def put(target, data):
    d = os.path.join(corpus, target)
    os.makedirs(d, exist_ok=True)
    name = hashlib.sha1(data).hexdigest()
    path = os.path.join(d, name)
    if not os.path.exists(path):
        with open(path, "wb") as f:
            f.write(data)
        written[target] = written.get(target, 0) + 1


def payload(port, data):
    if port not in PORTS:
        return
    target, selector = PORTS[port]
    put(target, data)
    put("fuzz-receive", bytes([selector]) + data)


# ---- golden bytes ----
src = open(os.path.join(module, "test", "gossip-wire-gtest.cc")).read()
for m in re.finditer(r"TEST\(GossipWireGolden, (\w+)\)\n\{(.*?)\n\}", src, re.S):
    name, body = m.groups()
    hexes = "".join(re.findall(r'"([0-9a-f]+)"', body.split("Hex(h)")[-1]))
    port = next((p for k, p in GOLDEN_PREFIX.items() if name.startswith(k)), None)
    if port and hexes:
        payload(port, bytes.fromhex(hexes))

# ---- SQL ----
for q in [
    "SELECT AVG(load) AS load, MIN(load) AS minload",
    "SELECT COUNT(*) AS busy WHERE load > 2",
    "SELECT SUM(nmembers) AS nmembers, FIRST(3, contacts) AS contacts ORDER BY load LIMIT 2",
    "SELECT MAX(load) AS m, OR(weblogic) AS wl WHERE name != 'x' AND NOT weblogic",
    "SELECT RANDOM(2, contacts) AS c, AVG(load * 2 + 1) AS x",
]:
    put("fuzz-astrolabe-sql", q.encode())
afc = os.path.join(module, "model", "astrolabe-afc.cc")
if os.path.exists(afc):
    for text in re.findall(r'"(SELECT [^"]+)"', open(afc).read()):
        put("fuzz-astrolabe-sql", text.encode())


# ---- pcaps of the examples ----
def pcap_payloads(path):
    with open(path, "rb") as f:
        data = f.read()
    if len(data) < 24:
        return
    magic = struct.unpack("<I", data[:4])[0]
    endian = "<" if magic == 0xA1B2C3D4 else ">"
    linktype = struct.unpack(endian + "I", data[20:24])[0]
    off = 24
    while off + 16 <= len(data):
        _, _, incl, _ = struct.unpack(endian + "IIII", data[off:off + 16])
        frame = data[off + 16:off + 16 + incl]
        off += 16 + incl
        if linktype == 9:  # PPP: 2-byte protocol, 0x0021 = IPv4
            if frame[:2] != b"\x00\x21":
                continue
            ip = frame[2:]
        elif linktype == 101:
            ip = frame
        else:
            continue
        if len(ip) < 20 or ip[9] != 17:
            continue
        ihl = (ip[0] & 0x0F) * 4
        frag = struct.unpack("!H", ip[6:8])[0]
        if frag & 0x3FFF:
            continue  # fragments: not a whole datagram
        udp = ip[ihl:]
        if len(udp) < 8:
            continue
        dport = struct.unpack("!H", udp[2:4])[0]
        yield dport, udp[8:]


examples = os.path.join(module, "build", "examples")
runs = [
    ["pbcast-datacenter", "--racks=2", "--hostsPerRack=10", "--duration=1", "--pcap"],
    ["lpbcast-small-world", "--datacenters=2", "--racks=1", "--hostsPerRack=5", "--events=3", "--pcap"],
    ["astrolabe-spreadsheet", "--duration=60", "--pcap"],
    ["gossip-top-c", "--hosts=40", "--rounds=5", "--pcap"],
    ["push-sum-loss", "--hostsPerRack=5", "--racks=2", "--rounds=5", "--pcap"],
    ["aggregation-compare", "--sizes=40", "--astrolabeMax=0", "--maxRounds=5", "--pcap"],
    ["pbcast-stability", "--groups=8", "--probs=0.5", "--duration=2", "--pcap"],
]
with tempfile.TemporaryDirectory() as tmp:
    for argv in runs:
        exe = os.path.join(examples, argv[0])
        if not os.path.exists(exe):
            continue
        helptext = subprocess.run([exe, "--PrintHelp"], capture_output=True, text=True).stdout
        if "--pcap" not in helptext:
            continue
        subprocess.run([exe] + argv[1:] + ["--prefix=" + os.path.join(tmp, argv[0])],
                       cwd=tmp, capture_output=True, timeout=600)
    count = 0
    for f in sorted(os.listdir(tmp)):
        if f.endswith(".pcap"):
            for port, data in pcap_payloads(os.path.join(tmp, f)):
                payload(port, data)
                count += 1
                if count > 20000:
                    break

for t, n in sorted(written.items()):
    print(f"{t}: {n} seeds")
