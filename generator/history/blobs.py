"""Historic blobs -> an objective or a finding; on a large history, parsed ahead of the walk on every core."""

from __future__ import annotations

from generator.history.gitlog import BlobReader, GitRepository, HistoryUnavailable
from generator.model.core import Objective
from generator.reading.findings import ERROR, Finding
from generator.reading.pipeline import FileCheck, check_bytes
from generator.runtime.parallel import Pending, start_map


def read_blob(item: tuple[bytes | None, str, str], shared: FileCheck) -> Objective | Finding:
    """A historic blob (its bytes, the objective's id and path) as an objective, or its
    first error: the same check as `okrs check`'s, but the references to people (the
    registry of today is not that of the commit)."""
    raw, ident, rel = item
    if raw is None:
        return Finding(rel, 1, 1, ERROR, "history-unparsable", "git does not have the file's content")
    result = check_bytes(raw, ident=ident, path=rel, shared=shared)
    errors = result.errors
    if errors or result.objective is None:
        return min(errors)
    return result.objective


class ParsedAhead:
    """The walk's blobs, read from git and parsed ahead of it on every core, a window at a
    time (so memory stays bounded); handed out in the order the walk asks for them. While
    the walk goes through one window, the next is parsed."""

    WINDOW = 4096

    def __init__(self, repository: GitRepository, order: list[str], first: dict[str, tuple[str, str]],
                 shared: FileCheck) -> None:
        self.repository, self.order, self.first, self.shared = repository, order, first, shared
        self.position = 0
        self.ready: dict[str, Objective | Finding] = {}
        self.parsing: tuple[list[str], Pending[Objective | Finding]] | None = None

    def next_outcome(self, sha: str) -> Objective | Finding:
        while sha not in self.ready:
            if self.parsing is None:
                self.parsing = self._start_window()
                if self.parsing is None:
                    raise HistoryUnavailable(f"blob {sha} was not among those to read")
            window, pending = self.parsing
            self.ready.update(zip(window, pending.results()))  # its workers are gone after this
            self.parsing = self._start_window()  # the next window, while the walk takes this one
        return self.ready.pop(sha)

    def _start_window(self) -> tuple[list[str], Pending[Objective | Finding]] | None:
        window = self.order[self.position:self.position + self.WINDOW]
        if not window:
            return None
        self.position += len(window)
        reader = BlobReader(self.repository, window)
        try:
            raws = [reader.next_blob(blob) for blob in window]
        finally:
            reader.close()  # its feeding thread ends before the workers are forked
        items = [(raw, *self.first[blob]) for raw, blob in zip(raws, window)]
        return window, start_map(read_blob, items, self.shared, min_items=1)

    def next_blob(self, sha: str) -> None:
        """A blob the walk skips (it did not parse before): drop its outcome."""
        self.next_outcome(sha)

    def close(self) -> None:
        if self.parsing is not None:
            self.parsing[1].close()
            self.parsing = None
        self.ready.clear()
