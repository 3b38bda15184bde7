"""What the site's Markdown renderer is given to render: limits on a narrative (pure).

Python-Markdown's time grows faster than the text for some input (each ``[`` looks ahead
for its ``]``: 16,000 of them take most of a minute) and its recursion follows the
nesting of lists and quotes. A narrative past these limits is shown as plain text; the
check warns about it (rule ``narrative-too-complex``). No real narrative comes near them.
"""

from __future__ import annotations

import re

MAX_CHARACTERS = 20_000
MAX_BRACKETS = 500  # '[' opens a link or an image
MAX_NESTING = 50  # lists and quotes inside one another

# The markers that open a nested block at the start of a line: '>', '-', '*', '+', '1.', '1)'.
_BLOCK_MARKERS = re.compile(r"[ \t]*(?:>|[-*+](?=[ \t])|\d{1,9}[.)](?=[ \t]))")


def nesting(line: str) -> int:
    """How deeply the blocks a line opens nest: its block markers, plus its indentation
    (four spaces nest one level) before the first one."""
    indent = len(line) - len(line.lstrip(" \t"))
    depth, position = indent // 4, 0
    while (marker := _BLOCK_MARKERS.match(line, position)) is not None and marker.end() > position:
        depth, position = depth + 1, marker.end()
    return depth


def narrative_problem(text: str) -> str | None:
    """Why ``text`` would be shown as plain text rather than rendered, or None."""
    if len(text) > MAX_CHARACTERS:
        return f"it has {len(text):,} characters (more than {MAX_CHARACTERS:,})"
    brackets = text.count("[")
    if brackets > MAX_BRACKETS:
        return f"it has {brackets:,} '[' (more than {MAX_BRACKETS:,})"
    deepest = max(map(nesting, text.splitlines()), default=0)
    if deepest > MAX_NESTING:
        return f"its lists or quotes nest {deepest:,} deep (more than {MAX_NESTING})"
    return None
