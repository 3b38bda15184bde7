"""The options of the `okrs` plugin entry in mkdocs.yml: the single config file."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from pathlib import Path
from typing import Any, Mapping
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

import yaml

from generator.model.core import Period

OWNERSHIP_POLICIES = ("individual", "individual-or-team")


class ConfigError(Exception):
    """The configuration cannot be used; the message says what to fix."""


@dataclass(frozen=True)
class Config:
    root: Path
    source: str = "okrs"
    ownership: str = "individual"
    max_key_results: int = 5
    timezone: str = "UTC"
    stale_after_weeks: int = 2
    periods: Mapping[str, Period] = field(default_factory=dict)

    @property
    def source_dir(self) -> Path:
        return self.root / self.source

    @property
    def tz(self) -> ZoneInfo:
        return ZoneInfo(self.timezone)


class _TolerantLoader(yaml.SafeLoader):
    """mkdocs.yml may hold tags for MkDocs (!ENV, !!python/name:...); we only need our entry."""


_TolerantLoader.add_multi_constructor("", lambda loader, suffix, node: None)


def read_mkdocs_options(root: Path) -> dict[str, Any]:
    """The `okrs` plugin's options from ``root/mkdocs.yml`` ({} if it has none)."""
    path = root / "mkdocs.yml"
    if not path.exists() and not path.is_symlink():
        return {}
    if not path.is_file():  # a folder, or a link to nothing: not a silent "no options"
        raise ConfigError(f"{path}: cannot read it: it is not a file (a folder, or a link to nothing); "
                          "mkdocs.yml must be the site's configuration file")
    try:
        data = yaml.load(path.read_text(encoding="utf-8"), Loader=_TolerantLoader)
    except (yaml.YAMLError, ValueError) as err:  # ValueError: not UTF-8, or a date like 2026-02-30
        mark = getattr(err, "problem_mark", None)  # one line, at the place of the problem
        where = f"{path}:{mark.line + 1}:{mark.column + 1}" if mark else str(path)
        reason = getattr(err, "problem", None) or " ".join(str(err).split())
        raise ConfigError(f"{where}: cannot read it as YAML: {reason}") from None
    except OSError as err:  # e.g. no permission to read it
        raise ConfigError(f"{path}: cannot read it: {err.strerror or err}") from None
    plugins = (data or {}).get("plugins") if isinstance(data, dict) else None
    if isinstance(plugins, dict):  # MkDocs also accepts `plugins:` as a mapping of name to options
        plugins = [{name: options} for name, options in plugins.items()]
    for entry in plugins if isinstance(plugins, list) else []:
        if entry == "okrs":
            return {}
        if isinstance(entry, dict) and "okrs" in entry:
            options = entry["okrs"] or {}
            if not isinstance(options, dict):
                raise ConfigError(f"{path}: the okrs plugin's options must be a mapping")
            return options
    return {}


def load_config(root: Path) -> Config:
    return config_from_options(root, read_mkdocs_options(root))


def config_from_options(root: Path, options: Mapping[str, Any]) -> Config:
    """Validate the plugin options (from mkdocs.yml or MkDocs itself) into a Config."""
    where = "mkdocs.yml, plugins: okrs"
    known = {"source", "ownership", "max_key_results", "timezone", "stale_after_weeks", "periods"}
    unknown = sorted(set(options) - known)
    if unknown:
        raise ConfigError(
            f"{where}: unknown option {', '.join(map(repr, unknown))}; "
            f"the options are {', '.join(sorted(known))}"
        )
    source = options.get("source", "okrs")
    if not isinstance(source, str) or not source or Path(source).is_absolute() or ".." in Path(source).parts:
        raise ConfigError(f"{where}: source must be a folder inside the repository, like 'okrs'")
    ownership = options.get("ownership", "individual")
    if ownership not in OWNERSHIP_POLICIES:
        raise ConfigError(f"{where}: ownership must be one of {', '.join(OWNERSHIP_POLICIES)}, not {ownership!r}")
    max_krs = _positive_int(options.get("max_key_results", 5), f"{where}: max_key_results")
    stale = _positive_int(options.get("stale_after_weeks", 2), f"{where}: stale_after_weeks")
    timezone = options.get("timezone", "UTC")
    try:
        ZoneInfo(str(timezone))
    except (ZoneInfoNotFoundError, ValueError):
        raise ConfigError(f"{where}: timezone {timezone!r} is not a known IANA time zone, like 'Europe/Rome'") from None
    return Config(
        root=root,
        source=source,
        ownership=ownership,
        max_key_results=max_krs,
        timezone=str(timezone),
        stale_after_weeks=stale,
        periods=_periods(options.get("periods") or {}, where),
    )


def _positive_int(value: Any, what: str) -> int:
    if isinstance(value, bool) or not isinstance(value, int) or value < 1:
        raise ConfigError(f"{what} must be a whole number of 1 or more, not {value!r}")
    return value


def _periods(raw: Any, where: str) -> dict[str, Period]:
    if not isinstance(raw, dict):
        raise ConfigError(f"{where}: periods must map names to {{start: DATE, end: DATE}}")
    periods = {}
    for name, span in raw.items():
        what = f"{where}: periods: {name}"
        if not isinstance(span, dict) or set(span) != {"start", "end"}:
            raise ConfigError(f"{what} must have exactly start and end, e.g. {{start: 2026-09-01, end: 2027-02-28}}")
        start, end = (_as_date(span[k], f"{what}: {k}") for k in ("start", "end"))
        if end < start:
            raise ConfigError(f"{what}: end {end} is before start {start}")
        periods[str(name)] = Period(str(name), start, end)
    return periods


def _as_date(value: Any, what: str) -> date:
    if isinstance(value, date):
        return value
    try:
        return date.fromisoformat(str(value))
    except ValueError:
        raise ConfigError(f"{what} must be a date like 2026-09-01, not {value!r}") from None
