"""Compiled Jinja templates kept in the build cache, so that a new process does not compile them again.

Every `okrs build` is a new process, and Jinja compiles every template it renders from
its source: our page templates and the theme's (Material's base page and its partials).
A rebuild that renders a few pages spends a tenth of its time there. Jinja keeps compiled
code through a "bytecode cache"; this one keeps it in the repository's build cache
(``runtime.cache``), one file for all templates, read when first asked for and written
when a template had to be compiled.

The code read there is run, so it comes only from a file signed with this user's key, as
every cache file is; Jinja itself takes it only for the same Python (its magic number)
and the same source of the template (its checksum), else compiles the template again.
"""

from __future__ import annotations

import base64
import binascii
import pickle
import sys

import jinja2
import jinja2.bccache

from generator.runtime.cache import Store

NAME = "templates"


class TemplateCache(jinja2.BytecodeCache):
    """Jinja's bytecode cache over a ``Store``: give it to an environment
    (``environment.bytecode_cache``), then ``save()`` once the templates were rendered."""

    def __init__(self, store: Store) -> None:
        self.store = store
        self._codes: dict[str, str] | None = None  # template key -> its compiled code (base64)
        self._compiled = False

    def load_bytecode(self, bucket: jinja2.bccache.Bucket) -> None:
        code = self._kept().get(bucket.key)
        if not isinstance(code, str):
            return
        try:
            bucket.bytecode_from_string(base64.b64decode(code, validate=True))
        except (binascii.Error, ValueError, EOFError, TypeError, pickle.UnpicklingError):
            bucket.reset()  # not code Jinja wrote: the template is compiled again

    def dump_bytecode(self, bucket: jinja2.bccache.Bucket) -> None:
        self._kept()[bucket.key] = base64.b64encode(bucket.bytecode_to_string()).decode("ascii")
        self._compiled = True

    def save(self) -> bool:
        """Keep what was compiled since the cache was read; False if nothing was, or it could not."""
        if not self._compiled:
            return False
        self._compiled = False
        return self.store.save(NAME, _key(), self._kept())

    def _kept(self) -> dict[str, str]:
        if self._codes is None:
            loaded = self.store.load(NAME, _key())
            self._codes = loaded if isinstance(loaded, dict) else {}
        return self._codes


def _key() -> str:
    """What compiled code depends on besides the template's source: Jinja and Python."""
    return f"jinja2 {jinja2.__version__}; python {sys.version}"
