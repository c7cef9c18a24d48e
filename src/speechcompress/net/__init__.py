"""scc's network layer: one HTTP client factory, one failure vocabulary, one guard.

The arXiv client, the link checker and every source to come build on these modules.
Nothing here is imported until a command talks to the network.
"""
