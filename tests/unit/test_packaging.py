"""A non-editable install (`pip install .`, the README's first command) ships every package."""

from __future__ import annotations

import tomllib
from pathlib import Path

PROJECT = Path(__file__).resolve().parents[2]


def test_every_package_of_generator_is_listed_for_setuptools():
    listed = set(tomllib.loads((PROJECT / "pyproject.toml").read_text(encoding="utf-8"))["tool"]["setuptools"]["packages"])
    found = {".".join(init.parent.relative_to(PROJECT).parts) for init in (PROJECT / "generator").rglob("__init__.py")}
    assert found - listed == set()
