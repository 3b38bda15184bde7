"""The okrs plugin entry of mkdocs.yml: the single config file."""

from __future__ import annotations

import textwrap
from datetime import date
from pathlib import Path

import pytest

from generator.config import Config, ConfigError, config_from_options, load_config, read_mkdocs_options
from generator.model.core import Period


def write_mkdocs(root: Path, text: str) -> Path:
    root.mkdir(parents=True, exist_ok=True)
    path = root / "mkdocs.yml"
    path.write_text(textwrap.dedent(text), encoding="utf-8")
    return path


def config_error(root: Path, text: str) -> str:
    write_mkdocs(root, text)
    with pytest.raises(ConfigError) as caught:
        load_config(root)
    message = str(caught.value)
    assert "\n" not in message  # one line, for a terminal and for CI logs
    return message


def test_defaults_without_mkdocs_yml(tmp_path):
    config = load_config(tmp_path)
    assert config == Config(root=tmp_path)
    assert (config.source, config.ownership, config.max_key_results, config.timezone,
            config.stale_after_weeks, dict(config.periods)) == ("okrs", "individual", 5, "UTC", 2, {})
    assert config.source_dir == tmp_path / "okrs"
    assert str(config.tz) == "UTC"


def test_options_from_a_list_entry(tmp_path):
    write_mkdocs(tmp_path, """\
        site_name: OKRs
        plugins:
          - search
          - okrs:
              source: data/okrs
              ownership: individual-or-team
              max_key_results: 3
              timezone: Europe/Rome
              stale_after_weeks: 4
              periods:
                FY27: {start: 2026-09-01, end: 2027-08-31}
        """)
    config = load_config(tmp_path)
    assert (config.source, config.ownership, config.max_key_results, config.timezone,
            config.stale_after_weeks) == ("data/okrs", "individual-or-team", 3, "Europe/Rome", 4)
    assert config.periods == {"FY27": Period("FY27", date(2026, 9, 1), date(2027, 8, 31))}
    assert config.source_dir == tmp_path / "data" / "okrs"


def test_bare_okrs_entry_means_defaults(tmp_path):
    write_mkdocs(tmp_path, """\
        plugins:
          - search
          - okrs
        """)
    assert read_mkdocs_options(tmp_path) == {}
    assert load_config(tmp_path).ownership == "individual"


def test_okrs_entry_without_options(tmp_path):
    write_mkdocs(tmp_path, "plugins:\n  - okrs:\n")
    assert read_mkdocs_options(tmp_path) == {}


def test_plugins_as_a_mapping(tmp_path):
    write_mkdocs(tmp_path, """\
        plugins:
          search: {}
          okrs:
            ownership: individual-or-team
        """)
    assert load_config(tmp_path).ownership == "individual-or-team"


def test_mkdocs_yml_without_okrs_plugin(tmp_path):
    write_mkdocs(tmp_path, "site_name: x\nplugins: [search]\n")
    assert read_mkdocs_options(tmp_path) == {}


def test_mkdocs_yml_that_is_not_a_mapping(tmp_path):
    write_mkdocs(tmp_path, "- just\n- a list\n")
    assert read_mkdocs_options(tmp_path) == {}


def test_other_tags_in_mkdocs_yml_are_tolerated(tmp_path):
    marker = tmp_path / "executed"
    write_mkdocs(tmp_path, f"""\
        site_name: !ENV [SITE_NAME, "OKRs"]
        repo_url: !ENV SOMETHING
        markdown_extensions:
          - pymdownx.emoji:
              emoji_index: !!python/name:material.extensions.emoji.twemoji
              emoji_generator: !!python/name:material.extensions.emoji.to_svg
          - pymdownx.superfences:
              custom_fences:
                - name: mermaid
                  format: !!python/name:pymdownx.superfences.fence_code_format
        hooks: !relative hooks.py
        extra: !!python/object/apply:os.system ["touch {marker}"]
        plugins:
          - okrs:
              timezone: America/New_York
        """)
    assert load_config(tmp_path).timezone == "America/New_York"
    assert not marker.exists()


@pytest.mark.parametrize("text, words", [
    ("plugins:\n  - okrs:\n      colour: red\n",
     "mkdocs.yml, plugins: okrs: unknown option 'colour'; the options are baseline_weeks, max_key_results, ownership,"),
    ("plugins:\n  - okrs:\n      ownership: team\n",
     "ownership must be one of individual, individual-or-team, not 'team'"),
    ("plugins:\n  - okrs:\n      timezone: Mars/Olympus\n",
     "timezone 'Mars/Olympus' is not a known IANA time zone"),
    ("plugins:\n  - okrs:\n      timezone: ../../etc/passwd\n", "is not a known IANA time zone"),
    ("plugins:\n  - okrs:\n      periods: [FY27]\n", "periods must map names to {start: DATE, end: DATE}"),
    ("plugins:\n  - okrs:\n      periods:\n        FY27: {start: 2026-09-01}\n",
     "periods: FY27 must have exactly start and end"),
    ("plugins:\n  - okrs:\n      periods:\n        FY27: {start: 2026-09-01, end: 2026-08-31}\n",
     "periods: FY27: end 2026-08-31 is before start 2026-09-01"),
    ("plugins:\n  - okrs:\n      periods:\n        FY27: {start: soon, end: 2026-08-31}\n",
     "periods: FY27: start must be a date like 2026-09-01, not 'soon'"),
    ("plugins:\n  - okrs:\n      periods:\n        FY27: {start: 2026-02-30, end: 2026-08-31}\n",
     "cannot read it as YAML"),
    ("plugins:\n  - okrs:\n      max_key_results: 0\n", "max_key_results must be a whole number of 1 or more, not 0"),
    ("plugins:\n  - okrs:\n      max_key_results: true\n", "max_key_results must be a whole number"),
    ("plugins:\n  - okrs:\n      stale_after_weeks: 1.5\n", "stale_after_weeks must be a whole number"),
    ("plugins:\n  - okrs:\n      source: ../elsewhere\n", "source must be a folder inside the repository"),
    ("plugins:\n  - okrs:\n      source: /abs\n", "source must be a folder inside the repository"),
    ("plugins:\n  - okrs: [a, b]\n", "the okrs plugin's options must be a mapping"),
    ("plugins:\n  okrs: 5\n", "the okrs plugin's options must be a mapping"),
    ("plugins: [\n", "cannot read it as YAML"),
])
def test_config_errors_are_one_clear_line(tmp_path, text, words):
    assert words in config_error(tmp_path, text)


def test_a_yaml_error_in_mkdocs_yml_names_its_line(tmp_path):
    message = config_error(tmp_path, "site_name: x\nnav:\n  - a: b: c\n")
    assert message.startswith(f"{tmp_path / 'mkdocs.yml'}:3:")


def test_mkdocs_yml_not_utf8(tmp_path):
    (tmp_path / "mkdocs.yml").write_bytes(b"site_name: caf\xe9\n")
    with pytest.raises(ConfigError, match="cannot read it as YAML"):
        load_config(tmp_path)


def test_config_from_options_is_what_the_plugin_uses(tmp_path):
    config = config_from_options(tmp_path, {"periods": {"2027": {"start": "2027-02-01", "end": "2028-01-31"}}})
    assert config.periods["2027"] == Period("2027", date(2027, 2, 1), date(2028, 1, 31))


# --- the one table of options ------------------------------------------------------------------


def test_config_has_one_field_per_option_of_the_table(tmp_path):
    from dataclasses import fields

    from generator.config import OPTIONS

    assert [f.name for f in fields(Config)] == ["root"] + [option.name for option in OPTIONS]
    assert all(option.description for option in OPTIONS)


def test_the_mkdocs_options_are_made_from_the_table():
    from generator.config import OPTIONS
    from generator.mkdocs.plugin import OkrsConfig

    assert [name for name, _ in OkrsConfig._schema] == [option.name for option in OPTIONS]


def test_unknown_option_lists_the_settings_then_the_per_build_option(tmp_path):
    message = config_error(tmp_path, "plugins:\n  - okrs:\n      colour: red\n")
    assert message == ("mkdocs.yml, plugins: okrs: unknown option 'colour'; the options are baseline_weeks, max_key_results, "
                       "ownership, periods, source, stale_after_weeks, timezone, and for one build as_of")


@pytest.mark.parametrize("value, expected", [
    (None, None), ("2026-11-20", date(2026, 11, 20)), (date(2026, 11, 20), date(2026, 11, 20)),
])
def test_as_of_is_a_date_or_none(tmp_path, value, expected):
    config = config_from_options(tmp_path, {"as_of": value})
    assert config.as_of == expected
    assert config.today() == (expected or config.today())


def test_as_of_in_mkdocs_yml_is_the_day_of_the_build(tmp_path):
    write_mkdocs(tmp_path, "plugins:\n  - okrs:\n      as_of: 2026-11-20\n")
    assert load_config(tmp_path).today() == date(2026, 11, 20)


@pytest.mark.parametrize("text, words", [
    ("plugins:\n  - okrs:\n      as_of: soon\n", "as_of must be a date like 2026-09-01, not 'soon'"),
    ("plugins:\n  - okrs:\n      as_of: 2026-11-20 10:00:00\n", "as_of must be a date like 2026-11-20, not"),
])
def test_as_of_errors(tmp_path, text, words):
    assert words in config_error(tmp_path, text)


def test_today_without_as_of_is_today_in_the_time_zone(tmp_path):
    from datetime import datetime
    from zoneinfo import ZoneInfo

    config = config_from_options(tmp_path, {"timezone": "Pacific/Kiritimati"})
    assert config.today() in {datetime.now(ZoneInfo("Pacific/Kiritimati")).date(), date.today()}


# --- mkdocs.yml as MkDocs reads it -----------------------------------------------------------------


def test_env_tag_scalar_and_list(tmp_path, monkeypatch):
    monkeypatch.setenv("OKRS_TEST_ZONE", "Europe/Rome")
    monkeypatch.delenv("OKRS_TEST_UNSET", raising=False)
    write_mkdocs(tmp_path, """\
        plugins:
          - okrs:
              timezone: !ENV OKRS_TEST_ZONE
              source: !ENV [OKRS_TEST_UNSET, goals]
              max_key_results: !ENV [OKRS_TEST_UNSET, 3]
        """)
    config = load_config(tmp_path)
    assert (config.timezone, config.source, config.max_key_results) == ("Europe/Rome", "goals", 3)


def test_an_option_left_empty_is_its_default_as_in_mkdocs(tmp_path, monkeypatch):
    monkeypatch.delenv("OKRS_TEST_UNSET", raising=False)
    write_mkdocs(tmp_path, "plugins:\n  - okrs:\n      source: !ENV OKRS_TEST_UNSET\n      max_key_results:\n")
    assert load_config(tmp_path) == Config(root=tmp_path)


def test_inherit_deep_merges_the_parent(tmp_path):
    (tmp_path / "base").mkdir()
    (tmp_path / "base" / "site.yml").write_text(
        "plugins:\n  okrs:\n    source: goals\n    timezone: Europe/Rome\n", encoding="utf-8")
    write_mkdocs(tmp_path, "INHERIT: base/site.yml\nplugins:\n  okrs:\n    timezone: Asia/Tokyo\n")
    assert read_mkdocs_options(tmp_path) == {"source": "goals", "timezone": "Asia/Tokyo"}


def test_inherit_errors_are_one_line(tmp_path):
    assert "INHERIT: the inherited file 'nope.yml' does not exist" in config_error(tmp_path, "INHERIT: nope.yml\n")
    (tmp_path / "a.yml").write_text("INHERIT: b.yml\n", encoding="utf-8")
    (tmp_path / "b.yml").write_text("INHERIT: a.yml\n", encoding="utf-8")
    assert "inherits from itself" in config_error(tmp_path, "INHERIT: a.yml\n")
