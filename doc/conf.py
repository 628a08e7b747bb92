# Sphinx configuration for the gossip module's documentation and teaching labs
# (utils/gossip.sh docs). Inside an ns-3 tree the module chapter (gossip.rst) is meant to be
# included by ns-3's own models manual; here it is built on its own with the labs.
project = "gossip: epidemic protocols over ns-3 IP networks"
author = "the gossip module's authors"
master_doc = "index"
# The protocol chapters are pulled into gossip.rst with ``.. include::``; they are not
# documents of their own.
exclude_patterns = [
    "_build",
    "topology.rst",
    "topology-scale-results.rst",
    "pbcast.rst",
    "lpbcast.rst",
    "astrolabe.rst",
    "aggregation.rst",
]
highlight_language = "none"
html_theme = "alabaster"
html_theme_options = {"page_width": "1100px"}
