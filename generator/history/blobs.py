"""Historic blobs -> an objective or a finding; on a large history, parsed ahead of the walk on every core."""

from __future__ import annotations

import math
from typing import TYPE_CHECKING

from generator.history.gitlog import BlobReader, GitRepository, HistoryUnavailable
from generator.model.core import Objective
from generator.reading.findings import ERROR, Finding
from generator.reading.loader import check_objective, objective_from_data
from generator.runtime.parallel import map_items

if TYPE_CHECKING:
    from generator.reading.fastschema import QuickValidator
    from generator.reading.frontmatter import Document


def read_blob(item: tuple[bytes | None, str, str], check: QuickValidator) -> Objective | Finding:
    """A historic blob (its bytes, the objective's id and path) as an objective, or its first error."""
    raw, ident, rel = item
    if raw is None:
        return Finding(rel, 1, 1, ERROR, "history-unparsable", "git does not have the file's content")
    # Historic blobs are untrusted input that no check ever saw: whatever goes wrong
    # reading one becomes a warning, never a crash of the build.
    try:
        document, findings = check_objective(raw, check, path=rel)
        problems = [f for f in findings if f.severity == ERROR]
        if document is not None and not problems:
            problems = _unusable_numbers(document, rel)
        if document is not None and not problems:
            objective = objective_from_data(ident, document, path=rel)
            objective.progress  # noqa: B018 - any arithmetic failure surfaces here, on this blob
            return objective
    except Exception as err:  # noqa: BLE001 - e.g. a looser custom schema, a nesting bomb, an overflow
        problems = [Finding(rel, 1, 1, ERROR, "schema", f"cannot be read as an objective: {err!r}")]
    return min(problems)


_NUMBERS = ("start", "target", "stretch", "current", "at_least", "at_most", "confidence", "weight")


def _unusable_numbers(document: Document, rel: str) -> list[Finding]:
    """Numbers of an old blob that the history cannot compute with: beyond a float (a
    400-digit integer) or not finite. Older versions of the checks accepted them; the
    history skips such a version rather than carry them into sums, series and the cache."""
    found = []
    for index, kr in enumerate(document.data.get("key_results") or ()):
        for name in _NUMBERS:
            value = kr.get(name) if isinstance(kr, dict) else None
            if isinstance(value, bool) or not isinstance(value, (int, float)):
                continue
            try:
                finite = math.isfinite(value)  # an int beyond a float raises here
            except OverflowError:
                finite = False
            if not finite:
                line, column = document.value_at(("key_results", index, name))
                found.append(Finding(rel, line, column, ERROR, "history-unparsable",
                                     f"key result {kr.get('id')!r}: {name} is not a number the history can "
                                     "compute with (infinite, NaN, or beyond 1e308)"))
    return found


class ParsedAhead:
    """The walk's blobs, read from git and parsed ahead of it on every core, a window at a
    time (so memory stays bounded); handed out in the order the walk asks for them."""

    WINDOW = 4096

    def __init__(self, repository: GitRepository, order: list[str], first: dict[str, tuple[str, str]],
                 check: QuickValidator) -> None:
        self.repository, self.order, self.first, self.check = repository, order, first, check
        self.position = 0
        self.ready: dict[str, Objective | Finding] = {}

    def next_outcome(self, sha: str) -> Objective | Finding:
        while sha not in self.ready:
            window = self.order[self.position:self.position + self.WINDOW]
            if not window:
                raise HistoryUnavailable(f"blob {sha} was not among those to read")
            self.position += len(window)
            reader = BlobReader(self.repository, window)
            try:
                raws = [reader.next_blob(blob) for blob in window]
            finally:
                reader.close()  # its feeding thread ends before the workers are forked
            items = [(raw, *self.first[blob]) for raw, blob in zip(raws, window)]
            self.ready.update(zip(window, map_items(read_blob, items, self.check, min_items=1)))
        return self.ready.pop(sha)

    def next_blob(self, sha: str) -> None:
        """A blob the walk skips (it did not parse before): drop its outcome."""
        self.next_outcome(sha)

    def close(self) -> None:
        self.ready.clear()
