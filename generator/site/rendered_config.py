"""The mkdocs.yml of a rendered folder: the project's own, without the okrs plugin.

The project's mkdocs.yml (INHERIT followed) is read keeping every tag as written
(`!ENV`, `!!python/name:` of Markdown extensions, `!relative`), so the rendered file
says what the original says: nothing is run or resolved here. Then only what must
change for the folder to stand alone changes: the okrs plugin goes, docs_dir and the
theme's custom_dir point into the folder, the navigation is the site model's when
mkdocs.yml has none, and the settings of paths outside the folder (site_dir, watch)
go.
"""

from __future__ import annotations

import copy
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import yaml

from generator.config import read_mkdocs_yml

DOCS_DIR = "docs"
OVERRIDES_DIR = "overrides"
# Paths relative to the project, meaningless in the rendered folder (site_dir: the
# default, DIR/site, is used; watch: the OKR files are not in the folder).
DROPPED = ("site_dir", "watch")


@dataclass(frozen=True)
class Tagged:
    """A YAML node with a tag we keep as written: ``!ENV [NAME, default]``, ``!!python/name:x``."""

    tag: str
    value: Any


class _KeepTags(yaml.SafeLoader):
    pass


def _tagged(loader: yaml.SafeLoader, suffix: str, node: yaml.Node) -> Tagged:
    if isinstance(node, yaml.ScalarNode):
        value: Any = loader.construct_scalar(node)
    elif isinstance(node, yaml.SequenceNode):
        value = loader.construct_sequence(node, deep=True)
    else:
        value = loader.construct_mapping(node, deep=True)
    return Tagged(node.tag, value)


_KeepTags.add_multi_constructor("!", _tagged)
_KeepTags.add_multi_constructor("tag:yaml.org,2002:python/", _tagged)


class _Dumper(yaml.SafeDumper):
    pass


def _represent_tagged(dumper: yaml.SafeDumper, data: Tagged) -> yaml.Node:
    if isinstance(data.value, list):
        return dumper.represent_sequence(data.tag, data.value, flow_style=True)
    if isinstance(data.value, dict):
        return dumper.represent_mapping(data.tag, data.value)
    return dumper.represent_scalar(data.tag, data.value)


_Dumper.add_representer(Tagged, _represent_tagged)


def read_project_config(path: Path) -> dict[str, Any]:
    """The project's mkdocs.yml, INHERIT followed, tags kept (raises ConfigError)."""
    data = read_mkdocs_yml(path, loader=_KeepTags)
    return data if isinstance(data, dict) else {}


def rendered_config(data: dict[str, Any], *, nav: list[Any]) -> dict[str, Any]:
    """``data`` (a project's mkdocs.yml) for the rendered folder; ``nav`` is used when it has none."""
    out = {key: copy.deepcopy(value) for key, value in data.items() if key not in DROPPED}
    out["docs_dir"] = DOCS_DIR
    theme = out.get("theme")
    theme = dict(theme) if isinstance(theme, dict) else {"name": theme if theme is not None else "mkdocs"}
    theme["custom_dir"] = OVERRIDES_DIR
    out["theme"] = theme
    plugins = out.get("plugins")
    if isinstance(plugins, dict):
        out["plugins"] = {name: options for name, options in plugins.items() if name != "okrs"}
    elif isinstance(plugins, list):
        out["plugins"] = [entry for entry in plugins
                          if entry != "okrs" and not (isinstance(entry, dict) and "okrs" in entry)]
    if not out.get("nav"):
        out["nav"] = nav
    return out


def dump_config(data: dict[str, Any]) -> str:
    head = ("# Made by `okrs render` from the project's mkdocs.yml: build it with\n"
            "#   mkdocs build -f mkdocs.yml    (or properdocs, or zensical)\n"
            "# The next `okrs render` into this folder replaces it.\n")
    return head + yaml.dump(data, Dumper=_Dumper, sort_keys=False, allow_unicode=True, default_flow_style=False,
                            width=10_000)
