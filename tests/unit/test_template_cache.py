"""Compiled templates in the build cache: a new process renders them without compiling
them again, and compiles again whatever is not the same source or not signed here."""

from __future__ import annotations

import base64
import json
from pathlib import Path

import jinja2

from generator.runtime.cache import CACHE_DIR, Store
from generator.runtime.template_cache import NAME, TemplateCache, _key


def _environment(folder: Path, cache: TemplateCache) -> tuple[jinja2.Environment, list[str]]:
    """A fresh environment (as a new process has) that notes every template it compiles."""
    env = jinja2.Environment(loader=jinja2.FileSystemLoader(folder), autoescape=True, bytecode_cache=cache)
    compiled: list[str] = []
    compile_source = env.compile

    def compile_noted(source, name=None, filename=None, *args, **kwargs):
        compiled.append(name)
        return compile_source(source, name, filename, *args, **kwargs)

    env.compile = compile_noted  # type: ignore[method-assign]
    return env, compiled


def _templates(tmp_path: Path) -> Path:
    folder = tmp_path / "templates"
    folder.mkdir()
    (folder / "base.html").write_text("<h1>{{ title }}</h1>{% block body %}{% endblock %}", encoding="utf-8")
    (folder / "page.html").write_text('{% extends "base.html" %}{% block body %}<p>{{ text }}</p>{% endblock %}',
                                      encoding="utf-8")
    return folder


def _render(env: jinja2.Environment) -> str:
    return env.get_template("page.html").render(title="Grow", text="<b>bold</b>")


def test_a_new_process_renders_the_kept_templates_without_compiling_them(tmp_path: Path) -> None:
    folder, store = _templates(tmp_path), Store(tmp_path)
    first = TemplateCache(store)
    env, compiled = _environment(folder, first)
    expected = _render(env)
    assert sorted(compiled) == ["base.html", "page.html"]
    assert first.save()
    assert not first.save(), "nothing compiled since: nothing to write"

    env, compiled = _environment(folder, TemplateCache(store))
    assert _render(env) == expected == "<h1>Grow</h1><p>&lt;b&gt;bold&lt;/b&gt;</p>"
    assert compiled == []


def test_an_edited_template_is_compiled_again_and_kept_as_it_is_now(tmp_path: Path) -> None:
    folder, store = _templates(tmp_path), Store(tmp_path)
    cache = TemplateCache(store)
    _render(_environment(folder, cache)[0])
    cache.save()
    (folder / "page.html").write_text('{% extends "base.html" %}{% block body %}<em>{{ text }}</em>{% endblock %}',
                                      encoding="utf-8")
    cache = TemplateCache(store)
    env, compiled = _environment(folder, cache)
    assert _render(env) == "<h1>Grow</h1><em>&lt;b&gt;bold&lt;/b&gt;</em>"
    assert compiled == ["page.html"]  # the base is the same source: its kept code serves
    cache.save()
    env, compiled = _environment(folder, TemplateCache(store))
    assert _render(env) == "<h1>Grow</h1><em>&lt;b&gt;bold&lt;/b&gt;</em>" and compiled == []


def test_code_not_signed_here_or_not_jinjas_is_never_run(tmp_path: Path) -> None:
    folder, store = _templates(tmp_path), Store(tmp_path)
    cache = TemplateCache(store)
    expected = _render(_environment(folder, cache)[0])
    cache.save()
    path = tmp_path / CACHE_DIR / f"{NAME}.json"
    header, body = path.read_bytes().split(b"\n", 1)
    codes = json.loads(body)
    # Another's code in place of ours, the signature left as it was: the file reads as nothing.
    other = {key: base64.b64encode(b"not jinja's code").decode("ascii") for key in codes}
    path.write_bytes(header + b"\n" + json.dumps(other, separators=(",", ":")).encode("ascii"))
    env, compiled = _environment(folder, TemplateCache(store))
    assert _render(env) == expected and sorted(compiled) == ["base.html", "page.html"]
    # Signed here but not code Jinja wrote (an older format, a torn write): compiled again.
    for junk in ("not base64!", base64.b64encode(b"j2 and then nothing").decode("ascii"), 42):
        store.save(NAME, _key(), {key: junk for key in codes})
        env, compiled = _environment(folder, TemplateCache(store))
        assert _render(env) == expected and sorted(compiled) == ["base.html", "page.html"]
