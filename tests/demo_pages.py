"""The pages of an `okrs demo` organisation with history, as the site model makes them,
and the options of Material's search index that the search tests index them with."""

from __future__ import annotations

from datetime import date
from pathlib import Path

from generator.config import load_config
from generator.demo.repository import create_demo
from generator.history.walk import read_history
from generator.reading.loader import load_repository
from generator.site.build import build_site_model
from generator.site.render import SitePage

REPO = Path(__file__).resolve().parents[1]
SEARCH = {"lang": ["en"], "separator": r"[\s\-]+", "pipeline": ["stemmer"], "fields": {}}


def demo_pages(root: Path, *, objectives: int, seed: int) -> list[SitePage]:
    """Every page of a demo made at ``root`` (six weeks of check-ins), as of its last week."""
    summary = create_demo(root, weeks=6, objectives=objectives, seed=seed, template_root=REPO)
    as_of = date.fromisoformat(summary.rsplit("--as-of ", 1)[1].rstrip("`"))
    config = load_config(root)
    return build_site_model(load_repository(config), read_history(config, as_of=as_of), config, as_of=as_of).pages
