# -*- Mode: python; py-indent-offset: 4; indent-tabs-mode: nil; coding: utf-8; -*-
# waf build for ns-3 trees up to ns-3.35. Lists the same files as CMakeLists.txt.

# ---- common pieces and topologies ----
gossip_sources = [
    'helper/datacenter-topology-helper.cc',
    'helper/wan-topology-helper.cc',
    'helper/gossip-delivery-stats.cc',
    'model/gossip-fabric-address.cc',
    'model/gossip-fabric-routing.cc',
    'model/gossip-wire.cc',
    'model/gossip-graph.cc',
    'model/gossip-infection-chain.cc',
    'model/gossip-application.cc',
    'helper/gossip-application-helper.cc',
    'helper/gossip-drop-counter.cc',
    'helper/gossip-mpi.cc',
]
gossip_headers = [
    'helper/datacenter-topology-helper.h',
    'helper/wan-topology-helper.h',
    'helper/gossip-delivery-stats.h',
    'model/gossip-fabric-address.h',
    'model/gossip-fabric-routing.h',
    'model/gossip-ns3-compat.h',
    'model/gossip-wire.h',
    'model/gossip-graph.h',
    'model/gossip-infection-chain.h',
    'model/gossip-message-id.h',
    'model/gossip-application.h',
    'helper/gossip-application-helper.h',
    'helper/gossip-drop-counter.h',
    'helper/gossip-mpi.h',
]
gossip_test_sources = [
    'test/gossip-topology-test-suite.cc',
    'test/gossip-logic-test-suite.cc',
]
gossip_gtest_sources = [
    'test/fabric-address-gtest.cc',
    'test/delivery-stats-gtest.cc',
    'test/output-helper-gtest.cc',
    'test/gossip-wire-gtest.cc',
    'test/gossip-graph-gtest.cc',
    'test/gossip-infection-chain-gtest.cc',
]

# ---- pbcast ----
gossip_sources += [
    'model/gossip-digest.cc',
    'model/pbcast-header.cc',
    'model/pbcast-membership.cc',
    'model/pbcast-receive-window.cc',
    'model/pbcast-application.cc',
    'model/pbcast-store.cc',
    'model/pbcast-rmcast-header.cc',
    'model/pbcast-rmcast-baseline.cc',
    'helper/pbcast-bimodal-run.cc',
    'helper/pbcast-helper.cc',
]
gossip_headers += [
    'model/gossip-digest.h',
    'model/pbcast-header.h',
    'model/pbcast-membership.h',
    'model/pbcast-receive-window.h',
    'model/pbcast-application.h',
    'model/pbcast-store.h',
    'model/pbcast-rmcast-header.h',
    'model/pbcast-rmcast-baseline.h',
    'helper/pbcast-bimodal-run.h',
    'helper/pbcast-helper.h',
]
gossip_test_sources += [
    'test/pbcast-test-suite.cc',
]
gossip_gtest_sources += [
    'test/gossip-digest-gtest.cc',
    'test/pbcast-header-gtest.cc',
    'test/pbcast-store-gtest.cc',
    'test/pbcast-membership-gtest.cc',
    'test/pbcast-receive-window-gtest.cc',
]

# ---- lpbcast ----
gossip_sources += [
    'model/lpbcast-event-ids.cc',
    'model/lpbcast-event-buffer.cc',
    'model/lpbcast-membership.cc',
    'model/lpbcast-retrieval.cc',
    'model/lpbcast-archive.cc',
    'model/lpbcast-overlay.cc',
    'model/lpbcast-overlay-metrics.cc',
    'model/lpbcast-header.cc',
    'model/lpbcast-application.cc',
    'helper/lpbcast-helper.cc',
]
gossip_headers += [
    'model/lpbcast-rng.h',
    'model/lpbcast-event.h',
    'model/lpbcast-event-ids.h',
    'model/lpbcast-event-buffer.h',
    'model/lpbcast-membership.h',
    'model/lpbcast-retrieval.h',
    'model/lpbcast-archive.h',
    'model/lpbcast-overlay.h',
    'model/lpbcast-overlay-metrics.h',
    'model/lpbcast-header.h',
    'model/lpbcast-application.h',
    'helper/lpbcast-helper.h',
]
gossip_test_sources += [
    'test/lpbcast-test-suite.cc',
]
gossip_gtest_sources += [
    'test/lpbcast-event-ids-gtest.cc',
    'test/lpbcast-event-buffer-gtest.cc',
    'test/lpbcast-membership-gtest.cc',
    'test/lpbcast-retrieval-gtest.cc',
    'test/lpbcast-archive-gtest.cc',
    'test/lpbcast-overlay-gtest.cc',
    'test/lpbcast-overlay-metrics-gtest.cc',
    'test/lpbcast-header-gtest.cc',
    'test/lpbcast-helper-gtest.cc',
]

# ---- astrolabe ----
gossip_sources += [
    'model/astrolabe-name.cc',
    'model/astrolabe-path.cc',
    'model/astrolabe-value.cc',
    'model/astrolabe-table.cc',
    'model/astrolabe-sql-parser.cc',
    'model/astrolabe-sql-eval.cc',
    'model/astrolabe-afc.cc',
    'model/astrolabe-codec.cc',
    'model/astrolabe-header.cc',
    'model/astrolabe-afc-table.cc',
    'model/astrolabe-mib.cc',
    'model/astrolabe-exchange.cc',
    'model/astrolabe-agent.cc',
    'helper/astrolabe-helper.cc',
]
gossip_headers += [
    'model/astrolabe-intern-index.h',
    'model/astrolabe-name.h',
    'model/astrolabe-path.h',
    'model/astrolabe-value.h',
    'model/astrolabe-table.h',
    'model/astrolabe-sql.h',
    'model/astrolabe-afc.h',
    'model/astrolabe-codec.h',
    'model/astrolabe-header.h',
    'model/astrolabe-afc-table.h',
    'model/astrolabe-mib.h',
    'model/astrolabe-exchange.h',
    'model/astrolabe-agent.h',
    'helper/astrolabe-helper.h',
]
gossip_test_sources += [
    'test/astrolabe-test-suite.cc',
]
gossip_gtest_sources += [
    'test/astrolabe-value-gtest.cc',
    'test/astrolabe-table-gtest.cc',
    'test/astrolabe-sql-gtest.cc',
    'test/astrolabe-afc-gtest.cc',
    'test/astrolabe-header-gtest.cc',
    'test/astrolabe-mib-gtest.cc',
    'test/astrolabe-exchange-gtest.cc',
]

# ---- aggregation baselines ----
gossip_sources += [
    'model/aggregation-partial.cc',
    'model/aggregation-push-sum.cc',
    'model/aggregation-running-sum.cc',
    'model/aggregation-top-c.cc',
    'model/aggregation-membership.cc',
    'model/aggregation-overlay.cc',
    'model/aggregation-info-flow.cc',
    'model/aggregation-header.cc',
    'model/aggregation-application.cc',
    'model/aggregation-flood-tree-application.cc',
    'model/aggregation-push-sum-application.cc',
    'model/aggregation-top-c-application.cc',
    'helper/aggregation-helper.cc',
]
gossip_headers += [
    'model/aggregation-partial.h',
    'model/aggregation-push-sum.h',
    'model/aggregation-running-sum.h',
    'model/aggregation-top-c.h',
    'model/aggregation-membership.h',
    'model/aggregation-overlay.h',
    'model/aggregation-info-flow.h',
    'model/aggregation-header.h',
    'model/aggregation-application.h',
    'model/aggregation-flood-tree-application.h',
    'model/aggregation-push-sum-application.h',
    'model/aggregation-top-c-application.h',
    'helper/aggregation-helper.h',
]
gossip_test_sources += [
    'test/aggregation-test-suite.cc',
    'test/gossip-memory-test-suite.cc',
]
gossip_gtest_sources += [
    'test/aggregation-partial-gtest.cc',
    'test/aggregation-push-sum-gtest.cc',
    'test/aggregation-top-c-gtest.cc',
    'test/aggregation-overlay-gtest.cc',
    'test/aggregation-info-flow-gtest.cc',
    'test/aggregation-header-gtest.cc',
]

# test/gossip-test-runner.cc is only for the standalone CMake build: a tree has test-runner.
# So are the libFuzzer targets test/fuzz/fuzz-wire.cc, test/fuzz/fuzz-astrolabe-sql.cc and
# test/fuzz/fuzz-receive.cc (clang, -DGOSSIP_FUZZ=ON; test/fuzz/run.sh).


def configure(conf):
    # The module is C++17. ns-3.35 defaults to -std=c++17; an older standard chosen with
    # --cxx-standard or CXXFLAGS disables the module (with a reason in the summary) instead of
    # failing later inside a compile.
    std = [f for f in conf.env['CXXFLAGS'] if f.startswith('-std=')]
    if std and std[-1].replace('gnu', 'c') in ('-std=c++98', '-std=c++03', '-std=c++0x', '-std=c++11',
                                                '-std=c++1y', '-std=c++14', '-std=c++1z'):
        conf.report_optional_feature("gossip", "gossip (C++17)", False,
                                     "needs C++17, configured with %s" % std[-1])
        conf.env['MODULES_NOT_BUILT'].append('gossip')
        return
    # Boost is used header-only (ICL, Spirit X3, Graph, Math); the top-level wscript found (or
    # not) the headers. Without them the module is not built, and configure says why.
    if not conf.require_boost_incs('gossip', 'gossip (Boost headers)'):
        return
    # model/gossip-ns3-compat.h: GOSSIP_NS3_VERSION = 1000 * major + minor (3.35 -> 3035).
    version = conf.srcnode.find_node('VERSION').read().strip()
    parts = version.split('.')
    try:
        code = int(parts[0]) * 1000 + int(parts[1])
    except (IndexError, ValueError):
        code = 3999  # a development tree: the newest API
    conf.env.append_value('DEFINES', 'GOSSIP_NS3_VERSION=%d' % code)
    # The logic tests always join the test library (suite gossip-logic, run by test.py); with
    # GoogleTest installed they are also built as a GoogleTest binary.
    conf.env['ENABLE_GOSSIP_GTEST'] = bool(conf.check_cxx(
        header_name='gtest/gtest.h', lib=['gtest_main', 'gtest', 'pthread'], uselib_store='GTEST',
        mandatory=False, msg='Checking for GoogleTest (gossip logic tests)'))


def build(bld):
    deps = ['internet', 'point-to-point', 'topology-read', 'stats', 'traffic-control']
    if bld.env['ENABLE_MPI']:
        deps.append('mpi')  # distributed runs (helper/gossip-mpi.cc); brings NS3_MPI and MPI's flags
    module = bld.create_ns3_module('gossip', deps)
    module.source = gossip_sources
    if bld.env['INCLUDES_BOOST']:
        module.use.append('BOOST')

    module_test = bld.create_ns3_module_test_library('gossip')
    module_test.source = gossip_test_sources + gossip_gtest_sources

    headers = bld(features='ns3header')
    headers.module = 'gossip'
    headers.source = gossip_headers

    if bld.env.ENABLE_EXAMPLES:
        bld.recurse('examples')

    if bld.env['ENABLE_GOSSIP_GTEST'] and bld.env.ENABLE_TESTS:
        gtest = bld.create_ns3_program('gossip-gtest', ['gossip'])
        gtest.source = gossip_gtest_sources
        gtest.use.append('GTEST')
        gtest.defines = ['GOSSIP_WITH_GOOGLETEST']
