"""Digests of values that a later build compares (runtime/fingerprint.py): equal values give
equal digests, in this process and in another; different values, different digests; a value
that cannot be written is equal to nothing."""

from __future__ import annotations

import os
import subprocess
import sys
from datetime import date
from pathlib import Path

import pytest
from markupsafe import Markup

from generator.model.core import KeyResult, Objective
from generator.runtime.fingerprint import fingerprint, quick_fingerprint

PROJECT = Path(__file__).resolve().parents[2]
DIGESTS = (fingerprint, quick_fingerprint)


def objective(current: float = 5.0) -> Objective:
    return Objective("2026-Q4/a/b", "Grow", "ana", "team", "2026-Q4",
                     (KeyResult("kr1", "Users", "ana", start=0.0, target=10.0, current=current),), tags=("x", "y"))


def page_values(current: float = 5.0) -> list:
    """What a page is rendered from: nested mappings and lists, text and markup, dates,
    dataclasses."""
    return ["objectives/index", date(2026, 11, 8),
            {"rows": [{"title": "Grow", "owner": {"id": "ana", "page": "people/ana"}, "bar": Markup("<b>50%</b>"),
                       "objective": objective(current)}], "total": 1}]


@pytest.mark.parametrize("digest", DIGESTS)
def test_equal_values_have_equal_digests_and_different_ones_differ(digest) -> None:
    assert digest(page_values()) == digest(page_values())
    assert digest(page_values()) != digest(page_values(current=6.0))
    assert digest(["a", 1]) != digest(["a", 1.5]) != digest(["a", "1"])
    assert digest({"a": Markup("x")}) != digest({"a": Markup("y")})


@pytest.mark.parametrize("digest", DIGESTS)
def test_a_value_that_cannot_be_written_equals_nothing(digest) -> None:
    function = {"link": lambda: None}
    assert digest(function) != digest(function)
    assert digest(function).startswith("unique:")


@pytest.mark.parametrize("digest", DIGESTS)
def test_what_a_cached_property_keeps_is_not_part_of_the_value(digest) -> None:
    asked, fresh = objective(), objective()
    assert asked.progress == 0.5  # now in the instance's __dict__, as a page's view leaves it
    assert "progress" in vars(asked) and "progress" not in vars(fresh)
    assert digest([asked]) == digest([fresh])


def test_shared_and_equal_objects_write_alike() -> None:
    """Pickle would write a second reference to one object as a back-reference: the quick
    digest writes no memo, so sharing does not change it."""
    text = "a text long enough not to be interned" * 3
    shared = [text, text]
    separate = [text, "".join(["a text long enough not to be interned"] * 3)]
    assert shared[0] is shared[1] and separate[0] is not separate[1]
    assert quick_fingerprint(shared) == quick_fingerprint(separate)


@pytest.mark.parametrize("name", ["fingerprint", "quick_fingerprint"])
def test_the_digest_is_the_same_in_another_process(name: str) -> None:
    """Another process, another hash seed: the digests a build kept still compare."""
    script = ("import sys; sys.path.insert(0, 'tests/unit'); from test_fingerprint import page_values; "
              f"from generator.runtime.fingerprint import {name}; print({name}(page_values()))")
    digests = set()
    for seed in ("1", "2"):
        result = subprocess.run([sys.executable, "-c", script], cwd=PROJECT, capture_output=True, text=True,
                                env={**os.environ, "PYTHONHASHSEED": seed}, check=True)
        digests.add(result.stdout.strip())
    assert digests == {globals()[name](page_values())}
