"""The options of the `okrs` plugin entry in mkdocs.yml: the single config file.

`OPTIONS` is the one table of them: the core `Config` below and the MkDocs side
(`OkrsConfig` in generator/mkdocs/plugin.py) are both made from it. mkdocs.yml is read
here the way MkDocs reads it (`!ENV`, `INHERIT`), without importing MkDocs, so that
`okrs check` sees the same options as `mkdocs build`.
"""

from __future__ import annotations

import os
from dataclasses import dataclass, field, fields
from datetime import date, datetime
from pathlib import Path
from typing import Any, Callable, Mapping
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

import mergedeep
import yaml
import yaml_env_tag

from generator.model.core import Period

OWNERSHIP_POLICIES = ("individual", "individual-or-team")
WHERE = "mkdocs.yml, plugins: okrs"


class ConfigError(Exception):
    """The configuration cannot be used; the message says what to fix."""


# --- the table ----------------------------------------------------------------------------


@dataclass(frozen=True)
class Option:
    """One option of the plugin: what MkDocs checks (``kind``, ``default``), then what we do."""

    name: str
    kind: type | tuple[type, ...]  # the Python type(s) MkDocs accepts before `normalise` runs
    default: Any
    normalise: Callable[[Any], Any]  # the value, valid and in the form Config holds; or ConfigError
    description: str
    per_build: bool = False  # a value for one build (set by `okrs build`), not a setting of the site


def _source(value: Any) -> str:
    if not isinstance(value, str) or not value or Path(value).is_absolute() or ".." in Path(value).parts:
        raise ConfigError(f"{WHERE}: source must be a folder inside the repository, like 'okrs'")
    return value


def _ownership(value: Any) -> str:
    if value not in OWNERSHIP_POLICIES:
        raise ConfigError(f"{WHERE}: ownership must be one of {', '.join(OWNERSHIP_POLICIES)}, not {value!r}")
    return value


def _positive_int(name: str) -> Callable[[Any], int]:
    def check(value: Any) -> int:
        if isinstance(value, bool) or not isinstance(value, int) or value < 1:
            raise ConfigError(f"{WHERE}: {name} must be a whole number of 1 or more, not {value!r}")
        return value
    return check


def _timezone(value: Any) -> str:
    try:
        ZoneInfo(str(value))
    except (ZoneInfoNotFoundError, ValueError):
        raise ConfigError(f"{WHERE}: timezone {value!r} is not a known IANA time zone, like 'Europe/Rome'") from None
    return str(value)


def _periods(raw: Any) -> dict[str, Period]:
    raw = raw or {}  # `periods:` left empty means none
    if not isinstance(raw, dict):
        raise ConfigError(f"{WHERE}: periods must map names to {{start: DATE, end: DATE}}")
    periods = {}
    for name, span in raw.items():
        what = f"{WHERE}: periods: {name}"
        if not isinstance(span, dict) or set(span) != {"start", "end"}:
            raise ConfigError(f"{what} must have exactly start and end, e.g. {{start: 2026-09-01, end: 2027-02-28}}")
        start, end = (_as_date(span[k], f"{what}: {k}") for k in ("start", "end"))
        if end < start:
            raise ConfigError(f"{what}: end {end} is before start {start}")
        periods[str(name)] = Period(str(name), start, end)
    return periods


def _as_of(value: Any) -> date | None:
    if value is None:
        return None
    if isinstance(value, datetime):  # YAML reads `2026-11-20 10:00` as a datetime: not a day
        raise ConfigError(f"{WHERE}: as_of must be a date like 2026-11-20, not {value!r}")
    return _as_date(value, f"{WHERE}: as_of")


def _as_date(value: Any, what: str) -> date:
    if isinstance(value, date):
        return value
    try:
        return date.fromisoformat(str(value))
    except ValueError:
        raise ConfigError(f"{what} must be a date like 2026-09-01, not {value!r}") from None


OPTIONS: tuple[Option, ...] = (
    Option("source", str, "okrs", _source, "the folder of the OKR files, inside the repository"),
    Option("ownership", str, "individual", _ownership,
           "who may own an objective: individual, or individual-or-team"),
    Option("max_key_results", int, 5, _positive_int("max_key_results"),
           "more key results than this on an objective is a warning"),
    Option("timezone", str, "UTC", _timezone, "the IANA time zone of weeks and of today"),
    Option("stale_after_weeks", int, 2, _positive_int("stale_after_weeks"),
           "a key result not checked in for this many weeks is stale"),
    Option("baseline_weeks", int, 3, _positive_int("baseline_weeks"),
           "a metric still without a start (baseline pending) this many weeks into its period is a warning"),
    Option("periods", dict, {}, _periods, "named periods: {NAME: {start: DATE, end: DATE}}"),
    Option("as_of", (str, date), None, _as_of,
           "compute status and weeks as of this date (default: today in the time zone)", per_build=True),
)
OPTION_NAMES = frozenset(option.name for option in OPTIONS)


# --- the core configuration ------------------------------------------------------------------


@dataclass(frozen=True)
class Config:
    """The validated options (one field per entry of OPTIONS) and the repository they apply to."""

    root: Path
    source: str = "okrs"
    ownership: str = "individual"
    max_key_results: int = 5
    timezone: str = "UTC"
    stale_after_weeks: int = 2
    baseline_weeks: int = 3
    periods: Mapping[str, Period] = field(default_factory=dict)
    as_of: date | None = None  # None: today in `timezone` (see `today`)

    @property
    def source_dir(self) -> Path:
        return self.root / self.source

    @property
    def tz(self) -> ZoneInfo:
        return ZoneInfo(self.timezone)

    def today(self) -> date:
        """The day the build is as of: `as_of`, or today in the configured time zone."""
        return self.as_of or datetime.now(self.tz).date()


def _fields_follow_the_table() -> None:
    """Config is written out for readers and type checkers; it must not drift from OPTIONS."""
    written = {f.name: f.default_factory() if callable(f.default_factory) else f.default
               for f in fields(Config) if f.name != "root"}
    tabled = {option.name: option.normalise(option.default) for option in OPTIONS}
    if written != tabled:
        raise AssertionError(f"Config's fields {written} differ from OPTIONS {tabled}")


_fields_follow_the_table()


def config_from_options(root: Path, options: Mapping[str, Any]) -> Config:
    """Validate the plugin options (from mkdocs.yml or MkDocs itself) into a Config."""
    unknown = sorted(set(options) - OPTION_NAMES)
    if unknown:
        settings = sorted(option.name for option in OPTIONS if not option.per_build)
        per_build = sorted(option.name for option in OPTIONS if option.per_build)
        raise ConfigError(
            f"{WHERE}: unknown option {', '.join(map(repr, unknown))}; "
            f"the options are {', '.join(settings)}, and for one build {', '.join(per_build)}"
        )
    values = {option.name: option.normalise(_given(options, option)) for option in OPTIONS}
    return Config(root=root, **values)


def _given(options: Mapping[str, Any], option: Option) -> Any:
    """The value set, or the default when it is missing or empty: as MkDocs reads an empty
    option (`source:`, or `source: !ENV NAME` with NAME unset) as its default."""
    value = options.get(option.name)
    return option.default if value is None else value


def load_config(root: Path) -> Config:
    return config_from_options(root, read_mkdocs_options(root))


# --- reading mkdocs.yml as MkDocs does ---------------------------------------------------------


class _MkDocsYamlLoader(yaml.SafeLoader):
    """Safe YAML, plus MkDocs' `!ENV` (the same constructor MkDocs registers); the other tags
    MkDocs or its extensions define (!!python/name:..., !relative) are read as nothing: only
    our entry matters here, and nothing in the file is ever run."""


_MkDocsYamlLoader.add_constructor("!ENV", yaml_env_tag.construct_env_tag)
_MkDocsYamlLoader.add_multi_constructor("", lambda loader, suffix, node: None)


def read_mkdocs_options(root: Path) -> dict[str, Any]:
    """The `okrs` plugin's options from ``root/mkdocs.yml`` ({} if it has none)."""
    path = root / "mkdocs.yml"
    if not path.exists() and not path.is_symlink():
        return {}
    data = read_mkdocs_yml(path)
    plugins = data.get("plugins") if isinstance(data, dict) else None
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


def read_mkdocs_yml(path: Path, *, inheriting: tuple[Path, ...] = (), loader: type | None = None) -> Any:
    """The whole of a mkdocs.yml with `INHERIT: parent.yml` followed as MkDocs follows it:
    the parent (itself read this way, its path relative to the file naming it) is deep-merged
    with this file by `mergedeep.merge(parent, child)`, the child winning. ``loader``: a
    YAML loader other than ours (`okrs render` keeps the tags as written)."""
    data = _yaml_file(path, loader or _MkDocsYamlLoader)
    if not isinstance(data, dict) or "INHERIT" not in data:
        return data
    relative = data.pop("INHERIT")
    parent_path = Path(os.path.normpath(path.parent / str(relative)))
    if not parent_path.exists():
        raise ConfigError(f"{path}: INHERIT: the inherited file {relative!r} does not exist at {parent_path}")
    if parent_path.resolve() in inheriting:  # MkDocs would recurse until Python gives up
        raise ConfigError(f"{path}: INHERIT: {relative!r} inherits from itself, through {parent_path}")
    parent = read_mkdocs_yml(parent_path, inheriting=inheriting + (path.resolve(),), loader=loader)
    if not isinstance(parent, dict):
        parent = {}  # MkDocs reads an empty parent as {} (and refuses other non-mappings later)
    return mergedeep.merge(parent, data)


def _yaml_file(path: Path, loader: type) -> Any:
    if not path.is_file():  # a folder, or a link to nothing: not a silent "no options"
        raise ConfigError(f"{path}: cannot read it: it is not a file (a folder, or a link to nothing); "
                          "mkdocs.yml must be the site's configuration file")
    try:
        return yaml.load(path.read_text(encoding="utf-8"), Loader=loader)
    except (yaml.YAMLError, ValueError) as err:  # ValueError: not UTF-8, or a date like 2026-02-30
        mark = getattr(err, "problem_mark", None)  # one line, at the place of the problem
        where = f"{path}:{mark.line + 1}:{mark.column + 1}" if mark else str(path)
        reason = getattr(err, "problem", None) or " ".join(str(err).split())
        raise ConfigError(f"{where}: cannot read it as YAML: {reason}") from None
    except OSError as err:  # e.g. no permission to read it
        raise ConfigError(f"{path}: cannot read it: {err.strerror or err}") from None
