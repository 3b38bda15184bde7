"""The progress line: only for a person at a terminal, never in CI, logs or pipes."""

from __future__ import annotations

import io

import pytest

from generator.runtime.progress import ProgressLine, wanted


class Terminal(io.StringIO):
    def isatty(self) -> bool:
        if self.closed:
            raise ValueError("I/O operation on closed file")  # as a real stream does
        return True


@pytest.fixture(autouse=True)
def no_ci(monkeypatch):
    monkeypatch.delenv("CI", raising=False)
    monkeypatch.setenv("TERM", "xterm")


def test_a_terminal_sees_the_line_and_then_a_clean_line():
    stream = Terminal()
    line = ProgressLine(stream, interval=0)
    for done in range(0, 301, 100):
        line.update("reading the history: commit", done, 300)
    line.done()
    shown = stream.getvalue()
    assert "reading the history: commit 100/300 (33%)" in shown and "300/300 (100%)" in shown
    assert shown.endswith("\r\x1b[K")  # cleared: what comes next starts on a clean line


def test_updates_are_throttled_but_the_last_one_shows():
    stream = Terminal()
    line = ProgressLine(stream, interval=60)
    for done in range(1, 1001):
        line.update("building pages", done, 1000)
    assert stream.getvalue().count("building pages") == 2  # the first and the last
    assert "1,000/1,000" in stream.getvalue()


@pytest.mark.parametrize("stream, env", [(io.StringIO(), {}), (Terminal(), {"CI": "true"}),
                                         (Terminal(), {"TERM": "dumb"})])
def test_quiet_in_pipes_ci_and_dumb_terminals(stream, env, monkeypatch):
    for name, value in env.items():
        monkeypatch.setenv(name, value)
    assert not wanted(stream)
    line = ProgressLine(stream, interval=0)
    line.update("x", 1, 2)
    line.callback("y")(2, 2)
    line.done()
    assert stream.getvalue() == ""


def test_a_closed_stream_is_not_a_terminal():
    stream = Terminal()
    stream.close()
    assert not wanted(stream)
