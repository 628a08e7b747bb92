/*
 * SPDX-License-Identifier: GPL-2.0-only
 *
 * Runs the module's ns-3 TestSuites outside an ns-3 tree (standalone build): the suites link
 * into this binary and register themselves; ns-3's TestRunner does the rest (--list,
 * --suite=NAME, --verbose). Inside a tree, ns-3's own test-runner and test.py are used instead.
 */
#include "ns3/test.h"

int
main(int argc, char** argv)
{
    return ns3::TestRunner::Run(argc, argv);
}
