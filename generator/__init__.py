"""okrs: OKRs as code.

The pure library (model, front matter, loading, rules, history, pages) knows nothing of
MkDocs or the command line; ``plugin.py`` and ``cli.py`` are the two thin adapters.
"""

__version__ = "0.1.0"
