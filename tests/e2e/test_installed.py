"""The package as a regular `pip install .` leaves it: no checkout beside it, the theme
overrides a namespace package read through importlib.resources. `okrs init` and `okrs
demo` must still give a repository whose site has its stylesheet and scripts.

The package is installed with pip into a folder of its own (its dependencies are this
environment's) and run from there, far from the source checkout.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

PROJECT = Path(__file__).resolve().parents[2]
OVERRIDES = sorted(p.relative_to(PROJECT).as_posix() for p in (PROJECT / "site_overrides").rglob("*") if p.is_file())


@pytest.fixture(scope="module")
def installed(tmp_path_factory: pytest.TempPathFactory) -> Path:
    # Built from a copy of what the package is made of: setuptools builds in the source
    # folder (build/), where another test process may be building it at the same time.
    source = tmp_path_factory.mktemp("source")
    for name in ("pyproject.toml", "README.md"):
        shutil.copy2(PROJECT / name, source / name)
    for name in ("generator", "schema", "site_overrides"):
        shutil.copytree(PROJECT / name, source / name, ignore=shutil.ignore_patterns("__pycache__"))
    target = tmp_path_factory.mktemp("installed")
    result = subprocess.run([sys.executable, "-m", "pip", "install", "--quiet", "--no-deps", "--target", str(target),
                             str(source)], capture_output=True, text=True, timeout=300)
    assert result.returncode == 0, result.stderr
    assert not (target / "generator" / "site_overrides" / "__init__.py").exists()  # a namespace package
    return target


def okrs(installed: Path, cwd: Path, *args: str) -> subprocess.CompletedProcess:
    env = {**os.environ, "PYTHONPATH": str(installed)}
    code = ("import sys, generator; assert generator.__file__.startswith(sys.argv[1]), generator.__file__; "
            "from generator.cli.main import main; sys.exit(main(sys.argv[2:]))")
    return subprocess.run([sys.executable, "-c", code, str(installed), *args], cwd=cwd, env=env,
                          capture_output=True, text=True, timeout=300)


def test_okrs_init_from_an_installed_package_writes_the_theme_overrides(installed: Path, tmp_path: Path) -> None:
    result = okrs(installed, tmp_path, "init", "acme", "--org", "Acme")
    assert result.returncode == 0, result.stderr
    written = sorted(p.relative_to(tmp_path / "acme").as_posix() for p in (tmp_path / "acme" / "site_overrides").rglob("*")
                     if p.is_file())
    assert written == OVERRIDES
    assert (tmp_path / "acme" / "site_overrides" / "assets" / "okrs.css").read_bytes() == \
        (PROJECT / "site_overrides" / "assets" / "okrs.css").read_bytes()


def test_okrs_demo_from_an_installed_package_builds_the_styled_site(installed: Path, tmp_path: Path) -> None:
    result = okrs(installed, tmp_path, "demo", "demo", "--objectives", "3", "--weeks", "2")
    assert result.returncode == 0, result.stderr
    as_of = result.stderr.rsplit("--as-of ", 1)[1].split("`")[0]
    assert (tmp_path / "demo" / "site_overrides" / "assets" / "okrs.css").is_file()
    result = okrs(installed, tmp_path, "build", "--root", "demo", "--as-of", as_of)
    assert result.returncode == 0, result.stderr
    site = tmp_path / "demo" / "site"
    assert (site / "assets" / "okrs.css").read_bytes() == (PROJECT / "site_overrides" / "assets" / "okrs.css").read_bytes()
    assert 'href="assets/okrs.css"' in (site / "index.html").read_text(encoding="utf-8")
