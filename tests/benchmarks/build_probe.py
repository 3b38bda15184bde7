"""Run `okrs build` or `okrs serve` with stopwatches on our own steps (for the benchmarks).

    python build_probe.py build ROOT SITE_DIR AS_OF      # prints one JSON line of timings
    python build_probe.py serve ROOT PORT TIMINGS_FILE   # appends a JSON line per (re)build

"Ours" is everything the okrs code does: loading and checking the files (in `okrs
build`, before MkDocs starts, or in the plugin), the history walk and the page
generation (the plugin's on_config), and handing the pages to MkDocs (on_files). The
rest of the build is MkDocs' own: Markdown, the theme, the search index, writing files.
"""

from __future__ import annotations

import json
import sys
import time
from pathlib import Path


def _stopwatch(owner: object, name: str, totals: dict[str, float]) -> None:
    original = getattr(owner, name)

    def timed(*args, **kwargs):
        started = time.perf_counter()
        try:
            return original(*args, **kwargs)
        finally:
            totals[name] = totals.get(name, 0.0) + time.perf_counter() - started

    setattr(owner, name, timed)


def _instrument() -> dict[str, float]:
    import generator.cli.main as cli
    import generator.mkdocs.plugin as plugin

    totals: dict[str, float] = {}
    _stopwatch(cli, "load_repository", totals)  # the plugin's own load is part of its on_config
    _stopwatch(plugin.OkrsPlugin, "on_config", totals)
    _stopwatch(plugin.OkrsPlugin, "on_files", totals)
    return totals


def build(root: str, site: str, as_of: str) -> None:
    import generator.cli.main as cli

    totals = _instrument()
    started = time.perf_counter()
    code = cli.main(["build", "--root", root, "--site-dir", site, "--as-of", as_of])
    total = time.perf_counter() - started
    ours = sum(totals.values())
    print(json.dumps({"code": code, "total": total, "ours": ours, "mkdocs": total - ours, **totals}))


def serve(root: str, port: str, timings: str) -> None:
    import generator.mkdocs.plugin as plugin
    from generator.mkdocs.runner import serve as okrs_serve

    totals = _instrument()
    original = plugin.OkrsPlugin.on_files

    def on_files(self, files, *, config):
        result = original(self, files, config=config)
        with open(timings, "a", encoding="utf-8") as out:  # one line per build: our part of it
            out.write(json.dumps({"at": time.time(), "ours": sum(totals.values()), **totals}) + "\n")
        totals.clear()
        return result

    plugin.OkrsPlugin.on_files = on_files
    okrs_serve(Path(root), dev_addr=f"127.0.0.1:{port}")


if __name__ == "__main__":
    mode, *rest = sys.argv[1:]
    {"build": build, "serve": serve}[mode](*rest)
