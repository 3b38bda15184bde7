"""Benchmarks of the site: a cold build, a plain MkDocs reference, output size, an
incremental build, and `okrs serve` reloading one edited objective.

Run by hand through `run_all.py` (pytest never collects it). Every build runs in its
own process through `build_probe.py`, which times our own steps inside the build; the
rest of the build is MkDocs' own.
"""

from __future__ import annotations

import json
import os
import shutil
import socket
import statistics
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

import yaml

sys.path.insert(0, str(Path(__file__).resolve().parent))
from measure import ROOT, run  # noqa: E402

PROBE = Path(__file__).resolve().parent / "build_probe.py"
CACHE_DIR = ".okrs-cache"
GIT_ENV = {"GIT_CONFIG_NOSYSTEM": "1", "GIT_CONFIG_GLOBAL": os.devnull, "GIT_AUTHOR_NAME": "Bench Mark",
           "GIT_AUTHOR_EMAIL": "bench@example.com", "GIT_COMMITTER_NAME": "Bench Mark",
           "GIT_COMMITTER_EMAIL": "bench@example.com"}

PLAIN_BUILD = r"""
import json, sys, time
from mkdocs.commands.build import build
from mkdocs.config import load_config
started = time.perf_counter()
build(load_config(sys.argv[1], site_dir=sys.argv[2]))
print(json.dumps({"total": time.perf_counter() - started}))
"""


def make_repository(target: Path, *, objectives: int, commits: int, weeks: int = 6, seed: int = 7,
                    closed_years: int = 0) -> tuple[Path, str]:
    """An `okrs demo` repository (with ``closed_years`` of closed periods before its own)
    and the as-of date of its last week."""
    from generator.demo.repository import create_demo

    summary = create_demo(target, weeks=weeks, objectives=objectives, seed=seed, commits=commits, template_root=ROOT,
                          closed_years=closed_years)
    return target, summary.rsplit("--as-of ", 1)[1].rstrip("`")


def probe_build(root: Path, site: Path, as_of: str, *, cache: bool, keep_site: bool = False) -> dict:
    """One `okrs build` in its own process: our seconds, MkDocs' seconds, the whole process.
    ``keep_site``: into the site folder (and its spare) the builds before it left, as a
    user's next `okrs build` is; else into a new one."""
    if not cache:
        shutil.rmtree(root / CACHE_DIR, ignore_errors=True)
    if not keep_site:
        shutil.rmtree(site, ignore_errors=True)
        shutil.rmtree(site.with_name(f".{site.name}.spare"), ignore_errors=True)
    sample = run([sys.executable, PROBE, "build", root, site, as_of])
    timings = json.loads(sample.stdout.strip().splitlines()[-1])
    if timings["code"] != 0:
        raise SystemExit(f"okrs build failed:\n{sample.stderr[-3000:]}")
    return {**timings, "process": sample.seconds, "peak_mb": sample.peak_mb}


def site_size(site: Path) -> tuple[float, int]:
    """(MB of output, number of HTML pages)."""
    files = [p for p in site.rglob("*") if p.is_file()]
    return sum(p.stat().st_size for p in files) / 1e6, sum(1 for p in files if p.name.endswith(".html"))


def plain_project(target: Path, pages: int) -> Path:
    """A MkDocs project of ``pages`` plain Markdown pages with our theme and a shallow navigation."""
    config = yaml.safe_load((ROOT / "mkdocs.yml").read_text(encoding="utf-8"))
    config["plugins"] = [p for p in config.get("plugins", []) if p != "okrs" and not (isinstance(p, dict) and "okrs" in p)]
    config["nav"] = [{"Home": "index.md"}] + [{f"Section {s}": f"s{s}/index.md"} for s in range(5)]
    target.mkdir(parents=True)
    shutil.copytree(ROOT / "site_overrides", target / "site_overrides")
    (target / "mkdocs.yml").write_text(yaml.safe_dump(config, sort_keys=False), encoding="utf-8")
    docs = target / "docs"
    (docs).mkdir()
    (docs / "index.md").write_text("# Home\n\nA plain page.\n", encoding="utf-8")
    for number in range(pages - 1):
        section = docs / f"s{number % 5}"
        section.mkdir(exist_ok=True)
        name = "index" if number < 5 else f"page-{number}"
        (section / f"{name}.md").write_text(
            f"# Page {number}\n\n" + "\n\n".join(
                f"Paragraph {k} of page {number}: plain text with a [link](../index.md) and *emphasis*, "
                "about as long as a key result's title and note together." for k in range(6)) + "\n",
            encoding="utf-8")
    return target


def plain_build(project: Path, site: Path) -> float:
    shutil.rmtree(site, ignore_errors=True)
    sample = run([sys.executable, "-c", PLAIN_BUILD, project / "mkdocs.yml", site])
    return json.loads(sample.stdout.strip().splitlines()[-1])["total"]


def measure_site(root: Path, as_of: str, work: Path, runs: int) -> dict:
    """Cold builds (no cache) interleaved with a plain MkDocs build of as many pages."""
    site = work / "site-cold"
    first = probe_build(root, site, as_of, cache=False)
    megabytes, pages = site_size(site)
    project = plain_project(work / "plain", pages)
    plain_site = work / "site-plain"
    cold, plain = [first], []
    for index in range(runs):
        if index % 2:
            cold.append(probe_build(root, site, as_of, cache=False))
            plain.append(plain_build(project, plain_site))
        else:
            plain.append(plain_build(project, plain_site))
            cold.append(probe_build(root, site, as_of, cache=False))
    plain_mb, plain_pages = site_size(plain_site)
    return {"ours": _median(cold, "ours"), "mkdocs": _median(cold, "mkdocs"), "total": _median(cold, "total"),
            "process": _median(cold, "process"), "peak_mb": max(c["peak_mb"] for c in cold),
            "load": _median(cold, "load_repository"), "on_config": _median(cold, "on_config"),
            "pages": pages, "mb": megabytes, "plain": statistics.median(plain), "plain_pages": plain_pages,
            "plain_mb": plain_mb}


def measure_size(root: Path, as_of: str, site: Path) -> tuple[float, int]:
    probe_build(root, site, as_of, cache=False)
    return site_size(site)


def _median(rows: list[dict], key: str) -> float:
    return statistics.median(row.get(key, 0.0) for row in rows)


def objective_to_edit(root: Path) -> Path:
    files = sorted(p for p in (root / "okrs").rglob("*.md") if p.name != "README.md")
    return files[len(files) // 2]


def retitle(path: Path, label: str) -> str:
    text = path.read_text(encoding="utf-8")
    lines = text.split("\n")
    index = next(i for i, line in enumerate(lines) if line.startswith("objective: "))
    title = f"Edited objective {label}"
    lines[index] = f"objective: {title}"
    path.write_text("\n".join(lines), encoding="utf-8")
    return title


def check_in(path: Path, number: int) -> str:
    """Set the first key result's ``current`` to ``number`` (a check-in); returns how the
    objective's page prints it (thousands separated)."""
    text = path.read_text(encoding="utf-8")
    lines = text.split("\n")
    index = next(i for i, line in enumerate(lines) if line.lstrip().startswith(("current:", "done:")))
    indent = lines[index][:len(lines[index]) - len(lines[index].lstrip())]
    if lines[index].lstrip().startswith("done:"):
        raise SystemExit(f"{path}: its first key result is a milestone; choose a metric")
    lines[index] = f"{indent}current: {number}"
    path.write_text("\n".join(lines), encoding="utf-8")
    return f"{number:,}"


def git(root: Path, *args: str) -> None:
    subprocess.run(["git", *args], cwd=root, check=True, capture_output=True, env={**os.environ, **GIT_ENV})


def commit_on(root: Path, as_of: str, message: str, *, minute: int = 0) -> None:
    """Commit the working tree on the evening of the as-of day, as a check-in made that day:
    dated now, it would fall in a week after the build's and every chart would change."""
    when = f"{as_of}T20:{minute % 60:02d}:00+00:00"
    subprocess.run(["git", "commit", "-q", "-am", message], cwd=root, check=True, capture_output=True,
                   env={**os.environ, **GIT_ENV, "GIT_AUTHOR_DATE": when, "GIT_COMMITTER_DATE": when})


def measure_incremental(root: Path, as_of: str, work: Path, runs: int) -> dict:
    """Cold build (fills the cache), then per run: one objective edited and committed, built
    with the cache, and built again without it (cold) to compare the two sites byte for byte."""
    incremental, cold, identical = [], [], True
    probe_build(root, work / "site-warm", as_of, cache=False)  # the cache of the state before the edit
    for index in range(runs):
        retitle(objective_to_edit(root), f"in run {index}")
        commit_on(root, as_of, f"Retitle for run {index}", minute=index)
        incremental.append(probe_build(root, work / "site-incremental", as_of, cache=True))
        cold.append(probe_build(root, work / "site-cold-again", as_of, cache=False))  # refills the cache
        identical &= _same_files(work / "site-incremental", work / "site-cold-again")
    return {"ours": _median(incremental, "ours"), "total": _median(incremental, "total"),
            "mkdocs": _median(incremental, "mkdocs"), "cold_ours": _median(cold, "ours"),
            "cold_total": _median(cold, "total"), "identical": identical}


def _same_files(a: Path, b: Path) -> bool:
    files_a = {p.relative_to(a): p for p in a.rglob("*") if p.is_file()}
    files_b = {p.relative_to(b): p for p in b.rglob("*") if p.is_file()}
    return files_a.keys() == files_b.keys() and all(files_a[k].read_bytes() == files_b[k].read_bytes() for k in files_a)


def measure_serve(root: Path, work: Path, edits: int, *, timeout: float = 900, edit: str = "title") -> dict:
    """`okrs serve`; per edit of one objective (its title, or with ``edit="value"`` a key
    result's current value): seconds until the served page shows it."""
    port = _free_port()
    timings = work / "serve-timings.jsonl"
    log = open(work / "serve.log", "wb")  # noqa: SIM115 - closed below
    process = subprocess.Popen([sys.executable, PROBE, "serve", str(root), str(port), str(timings)],
                               stdout=log, stderr=subprocess.STDOUT, env={**os.environ, "NO_MKDOCS_2_WARNING": "1"})
    path = objective_to_edit(root)
    ident = path.relative_to(root / "okrs").as_posix()[:-3]
    url = f"http://127.0.0.1:{port}/objectives/{ident}/"
    reloads, ours = [], []
    try:
        started = time.time()
        _wait(lambda: timings.exists() and _get(url) is not None, timeout, process, "the first build")
        first_build = time.time() - started
        for index in range(edits):
            builds = len(timings.read_text().splitlines())
            time.sleep(1.0)  # a new modification time, even on coarse file systems
            title = retitle(path, f"served {index}") if edit == "title" else check_in(path, 900_001 + 1_111 * index)
            edited = time.time()
            _wait(lambda: title in (_get(url) or ""), timeout, process, "the rebuild")
            reloads.append(time.time() - edited)
            _wait(lambda: len(timings.read_text().splitlines()) > builds, 60, process, "the timings")
            ours.append(json.loads(timings.read_text().splitlines()[-1])["ours"])
    finally:
        process.terminate()
        try:
            process.wait(timeout=30)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()
        log.close()
    return {"first_build": first_build, "reload": statistics.median(reloads), "ours": statistics.median(ours),
            "reloads": reloads}


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def _get(url: str) -> str | None:
    try:
        with urllib.request.urlopen(url, timeout=10) as response:
            return response.read().decode("utf-8", "replace")
    except OSError:
        return None


def _wait(condition, timeout: float, process: subprocess.Popen, what: str) -> None:
    deadline = time.time() + timeout
    while time.time() < deadline:
        if process.poll() is not None:
            raise SystemExit(f"okrs serve stopped while waiting for {what}")
        if condition():
            return
        time.sleep(0.1)
    raise SystemExit(f"timed out waiting for {what}")
