#! /usr/bin/env python3

# A list of C++ examples to run in order to ensure that they remain
# buildable and runnable over time.  Each tuple in the list contains
#
#     (example_name, do_run, do_valgrind_run).
#
# See test.py for more information.
#
# Every example of the module is listed, with arguments that make it finish in about a second
# (a few seconds in the debug profile). utils/regression-set.sh runs longer versions.
cpp_examples = [
    ("datacenter-multicast --racks=2 --hostsPerRack=4 --senders=2 --datagrams=2", "True", "True"),
    ("datacenter-multicast --racks=2 --hostsPerRack=4 --loss=0.2 --pcap", "True", "False"),
    ("topology-scale --hosts=1000 --datagrams=2000", "True", "False"),
    ("protocol-scale --protocol=push-sum --hosts=40 --rounds=3", "True", "False"),
    ("gossip-quickstart --racks=1", "True", "True"),
    ("pbcast-stability --groups=8 --probs=0,0.5 --duration=2 --rate=50", "True", "False"),
    ("pbcast-wan --datacenters=2 --hostsPerRack=2 --racks=2 --duration=1 --rate=5", "True", "False"),
    ("pbcast-bimodal --n=20 --fanouts=1,2 --messages=20", "True", "False"),
    ("pbcast-datacenter --racks=2 --hostsPerRack=10 --duration=1 --crashed=1", "True", "False"),
    ("lpbcast-infection --n=25 --fanouts=3 --views=10 --events=2 --runs=1 --rounds=6", "True", "False"),
    ("lpbcast-purging --n=20 --loads=10,20 --runs=1", "True", "False"),
    ("lpbcast-small-world --datacenters=2 --racks=1 --hostsPerRack=5 --events=3", "True", "False"),
    ("lpbcast-vs-pbcast --hostsPerRack=5 --racks=2 --losses=0,0.1 --messages=5 --runs=1", "True", "False"),
    ("astrolabe-wan --datacenters=2 --hostsPerRack=2 --racks=2 --duration=60 --darkAt=30", "True", "False"),
    ("astrolabe-overload --hostsPerRack=2 --racks=2 --pods=1 --duration=60 --slowAt=20", "True", "False"),
    ("astrolabe-spreadsheet --duration=40", "True", "False"),
    ("astrolabe-propagation --branching=3 --levels=2 --warmup=5 --measure=5", "True", "False"),
    ("dreadful-tree --maxN=64", "True", "False"),
    ("aggregation-compare --sizes=40 --astrolabeMax=40 --maxRounds=10", "True", "False"),
    ("gossip-top-c --hosts=40 --rounds=10", "True", "False"),
    ("push-sum-loss --hostsPerRack=5 --racks=2 --rounds=10", "True", "False"),
]

# A list of Python examples to run in order to ensure that they remain
# runnable over time.  Each tuple in the list contains
#
#     (example_name, do_run).
#
# See test.py for more information.
python_examples = []
