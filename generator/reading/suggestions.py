""""Did you mean": the closest known name to an unknown one, and a note on look-alike characters."""

from __future__ import annotations

import bisect
import difflib
import unicodedata
from dataclasses import dataclass, field
from typing import Iterable

from generator.model.core import People


def did_you_mean(name: str, candidates: Iterable[str]) -> str:
    """"; did you mean 'x'?" (or ""), after a note naming any look-alike character in ``name``."""
    return Suggestions(candidates)(name)


# "did you mean" costs a comparison with every candidate: bounded, so that thousands of
# unknown names against a large registry stay fast. A small registry is searched whole
# (the suggestion is the closest name); a large one only near the name in sorted order,
# read forwards and backwards (a typo keeps the start or the end of the name).
FULL_SEARCH_CANDIDATES = 200


NEIGHBOURS = 50  # on each side of the name, in each order


SUGGESTIONS_PER_KIND = 20  # distinct unknown names per kind that get a suggestion


@dataclass
class Suggestions:
    """"did you mean" against one set of names (people, teams, objective ids), cached per
    name; after SUGGESTIONS_PER_KIND names only the look-alike note is given."""

    candidates: Iterable[str]
    budget: int = SUGGESTIONS_PER_KIND
    _sorted: list[str] | None = field(default=None, repr=False)
    _reversed: list[tuple[str, str]] | None = field(default=None, repr=False)
    _memo: dict[str, str] = field(default_factory=dict, repr=False)

    def __call__(self, name: str) -> str:
        if name not in self._memo:
            close = None
            if self.budget > 0:
                self.budget -= 1
                close = self._closest(name)
            self._memo[name] = look_alike_note(name, close) + (f"; did you mean '{close}'?" if close else "")
        return self._memo[name]

    def _closest(self, name: str) -> str | None:
        if self._sorted is None:
            self._sorted = sorted(self.candidates)
        names = self._sorted
        if len(names) > FULL_SEARCH_CANDIDATES:
            if self._reversed is None:
                self._reversed = sorted((n[::-1], n) for n in names)
            at = bisect.bisect_left(names, name)
            back = bisect.bisect_left(self._reversed, (name[::-1], ""))
            near = set(names[max(0, at - NEIGHBOURS):at + NEIGHBOURS])
            near.update(n for _, n in self._reversed[max(0, back - NEIGHBOURS):back + NEIGHBOURS])
            names = sorted(near)
        close = difflib.get_close_matches(name, names, n=1, cutoff=0.6)
        return close[0] if close else None


def look_alike_note(name: str, close: str | None = None) -> str:
    """": 'аlice' contains U+0430 CYRILLIC SMALL LETTER A, which looks like 'a'" for the
    non-ASCII characters of ``name`` (homoglyphs, invisible characters): a suggestion
    alone would not show why 'аlice' is not 'alice'."""
    odd = []
    for char in dict.fromkeys(c for c in name if not c.isascii()):
        described = f"U+{ord(char):04X} {unicodedata.name(char, 'an unnamed character')}"
        like = _plain_twin(char, name, close)
        odd.append(described + (f", which looks like '{like}'" if like else ""))
    return f": '{name}' contains {', '.join(odd)}" if odd else ""


def _plain_twin(char: str, name: str, close: str | None) -> str | None:
    """The ASCII character ``char`` passes for: its compatibility form (fullwidth 'ａ' is
    'a'), else the one at its place in the suggested name of the same length."""
    folded = unicodedata.normalize("NFKC", char)
    if folded != char and folded.isascii() and folded.isprintable():
        return folded
    if close is not None and len(close) == len(name):
        twin = close[name.index(char)]
        return twin if " " <= twin <= "~" else None
    return None


@dataclass
class RegistrySuggestions:
    """The suggestions for unknown persons and teams, shared by every file of a run."""

    persons: Suggestions
    teams: Suggestions

    @classmethod
    def of(cls, people: People) -> RegistrySuggestions:
        return cls(Suggestions(people.persons), Suggestions(people.teams))
