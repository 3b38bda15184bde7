"""The fast paths of the YAML reader give what the general ones give.

The converter skips PyYAML's constructors for common scalars, and positions are looked
up along one path instead of indexing the whole document: both must agree with the
general way on every input.
"""

from __future__ import annotations

import itertools
import random

import pytest
import yaml

from generator.reading.frontmatter import parse_yaml

SCALARS = [
    "0", "7", "42", "0755", "0x1F", "0o17", "0b101", "-5", "+5", "1_000", "1:30", "190:20:30", "12345678901234567890",
    "1.5", "0.7", "1.", "1.5e+3", "6.8523015e+5", "1.0e-2", ".5", "-.5", "+1.5", "-0.0", "1_0.5", "1:30.5", "1e400",
    "true", "True", "yes", "No", "off", "ON", "y", "n", "~", "null", "Null", "", "2026-10-01",
    "2026-10-01T10:00:00Z", "2026-10-01 10:00:00.5 +02:00", "text", "'quoted 1'", '"2"', "'yes'", "١٢٣",
    "!!int 12", "!!float 3", "!!float '2.5'", "!!str 5", "!!bool yes", "!!null x", "!!int '0x10'",
]


def reference(text: str):
    """What PyYAML's own safe constructors make of ``key: text``."""
    return yaml.load(f"key: {text}\n", Loader=yaml.CSafeLoader)["key"]


@pytest.mark.parametrize("text", SCALARS)
def test_scalars_convert_as_pyyaml_does(text):
    expected = reference(text)
    got = parse_yaml(f"key: {text}\n").data["key"]
    if isinstance(expected, (int, float)) and not isinstance(expected, bool) and not abs(expected) <= 10 ** 15:
        assert got is None  # non-finite and too large numbers: the reader refuses them (number-invalid)
    else:
        assert got == expected and type(got) is type(expected)


@pytest.mark.parametrize("text", ["!!bool maybe", "!!int abc", "!!int ''", "!!float 1x", "!!float ''",
                                  "!!timestamp 2026-02-30"])
def test_explicit_tags_on_values_they_cannot_read_keep_the_text(text):
    assert isinstance(parse_yaml(f"key: {text}\n").data["key"], str)  # the schema says what is wrong


DOCUMENT = """\
objective: Make it fast
owner: alice
period: 2026-Q4
contributors: [bob, carol]
key_results:
  - id: one
    owner: bob
    start: 1
    target: 2
    weird: {a: [1, {b: no}]}
  - id: two
    owner: no
    owner: carol
    done: false
nested:
  - - deep
    - {x: 1}
"""


def paths(data, prefix=()):
    yield prefix
    items = data.items() if isinstance(data, dict) else enumerate(data) if isinstance(data, list) else []
    for key, value in items:
        yield from paths(value, prefix + (key,))


def test_positions_along_a_path_equal_the_full_index():
    known = list(paths(parse_yaml(DOCUMENT, first_line=2).data))
    unknown = [p + ("missing",) for p in known] + [p + (5,) for p in known] + [("key_results", 9, "id"), ("nope",)]
    for path in known + unknown:
        lazy = parse_yaml(DOCUMENT, first_line=2)
        full = parse_yaml(DOCUMENT, first_line=2)
        full.values  # noqa: B018 - build the whole index: value_at and key_at then read it
        assert lazy.value_at(path) == full.value_at(path), path
        assert lazy.key_at(path) == full.key_at(path), path


def test_random_documents_agree_with_pyyaml_and_the_full_index():
    rng = random.Random(5)
    for _ in range(200):
        lines = []
        for index in range(rng.randint(1, 6)):
            value = rng.choice(SCALARS[:48])
            if rng.random() < 0.3:
                value = "[" + ", ".join(rng.choice(["1", "x", "2.5", "no", "~"]) for _ in range(3)) + "]"
            lines.append(f"k{index}: {value}")
        text = "\n".join(lines) + "\n"
        try:
            expected = yaml.load(text, Loader=yaml.CSafeLoader)
        except yaml.YAMLError:
            continue
        document = parse_yaml(text)
        for key, value in expected.items():
            got = document.data[key]
            if isinstance(value, (int, float)) and not isinstance(value, bool) and not abs(value) <= 10 ** 15:
                continue  # refused by the reader
            assert got == value and type(got) is type(value), (text, key)
        full = parse_yaml(text)
        full.values  # noqa: B018
        for path in itertools.chain(paths(document.data), [("k9",), ("k0", 7)]):
            assert document.value_at(path) == full.value_at(path)
            assert document.key_at(path) == full.key_at(path)


def test_libyaml_reads_and_its_absence_is_never_silent(monkeypatch, capsys, tmp_path):
    from generator.cli import main as cli
    from generator.reading import frontmatter

    assert frontmatter.LIBYAML and issubclass(frontmatter._Loader, yaml.CSafeLoader)
    monkeypatch.setattr(cli, "LIBYAML", False)
    cli.main(["check", "--root", str(tmp_path / "nowhere")])
    assert "without libyaml" in capsys.readouterr().err


def test_other_libraries_adding_resolvers_to_pyyaml_do_not_change_how_okr_files_read(monkeypatch):
    import re

    monkeypatch.setattr(yaml.CSafeLoader, "yaml_implicit_resolvers",
                        {k: list(v) for k, v in yaml.CSafeLoader.yaml_implicit_resolvers.items()})
    yaml.add_implicit_resolver("!shout", re.compile(r"^HELLO$"), list("H"), Loader=yaml.CSafeLoader)
    assert parse_yaml("a: HELLO\n").data == {"a": "HELLO"}
