"""`okrs new`: the text and conventional path of a new objective file, and what `okrs
check` would say about it (pure: nothing is written here)."""

from __future__ import annotations

import json
import re
import unicodedata
from datetime import date

from generator.config import Config
from generator.model.core import People
from generator.reading.findings import Finding
from generator.reading.loader import objective_id
from generator.reading.pipeline import check_bytes, file_check, relative_path
from generator.reading.across_files import ParentRef, page_rules
from generator.reading.source_files import source_listing


def slugify(title: str, *, max_length: int = 60) -> str:
    """'Make checkout boringly reliable!' -> 'make-checkout-boringly-reliable'."""
    ascii_title = unicodedata.normalize("NFKD", title).encode("ascii", "ignore").decode("ascii")
    slug = re.sub(r"[^a-z0-9]+", "-", ascii_title.lower()).strip("-")
    if len(slug) > max_length:
        slug = slug[:max_length].rsplit("-", 1)[0] or slug[:max_length]
    return slug or "objective"


def quarter_of(day: date) -> str:
    return f"{day.year}-Q{(day.month - 1) // 3 + 1}"


def _yaml_string(text: str) -> str:
    """A YAML scalar for any text: JSON strings are valid YAML and never coerced."""
    return json.dumps(text, ensure_ascii=False)


def objective_text(*, title: str, team: str, owner: str, period: str) -> str:
    """A new objective with one key result skeleton owned by ``owner``."""
    return (
        "---\n"
        f"objective: {_yaml_string(title)}\n"
        f"owner: {owner}\n"
        f"team: {team}\n"
        f"period: {period}\n"
        "status: draft                # set to active once the team commits to it\n"
        "key_results:\n"
        "  - id: first-result\n"
        "    title: \"Describe one measurable result\"\n"
        f"    owner: {owner}              # one person leads each key result\n"
        "    # a metric (this one); or `type: milestone` with `done: false` (and `due: DATE`),\n"
        "    # or `type: maintain` with `at_least` / `at_most` and `current`: see How to edit OKRs\n"
        "    start: 0                   # leave out while the baseline is being measured\n"
        "    target: 100\n"
        "    current: 0\n"
        "    unit: \"%\"\n"
        "    confidence: 0.5\n"
        "---\n"
        "Why this objective matters, and how the key results show it is met.\n"
    )


def new_objective_findings(text: str, *, ident: str, path: str, config: Config, people: People) -> list[Finding]:
    """The findings `okrs check` would report at the new file once written: the check
    pipeline with the registry, and the page rule against the files already there (the
    new file has no parent, so the parent rules have nothing to say about it)."""
    shared = file_check(config, people=people, today=True)
    result = check_bytes(text.encode("utf-8"), ident=ident, path=path, shared=shared)
    findings = list(result.findings)
    if result.parent is not None:
        source_rel = relative_path(config.source_dir, config.root)
        prefix = f"{source_rel}/" if source_rel not in ("", ".") else ""
        refs = [ParentRef(objective_id(relative), prefix + relative, None)
                for relative in source_listing(str(config.source_dir)).files if prefix + relative != path]
        findings += [f for f in page_rules([*refs, result.parent]) if f.path == path]
    return sorted(findings)
