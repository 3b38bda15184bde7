"""`okrs serve`: the theme's files listed once, not on every rebuild.

Every MkDocs build lists every file of the theme's folders (Material's are 14,500, its
icons most of them) and matches each name against a dozen patterns, to find the 60 or so
it copies into the site: 0.13 s of each rebuild after an edit. The installed theme does
not change while the server runs; the project's own theme folder (``custom_dir``, our
``site_overrides``) may, so its listing is part of what the remembered list depends on.
"""

from __future__ import annotations

import os
from typing import Any

from mkdocs.structure.files import File, Files


def remember_theme_files() -> None:
    """Make ``Files.add_files_from_theme`` list the theme once per state of its folders."""
    original = Files.add_files_from_theme
    if getattr(original, "remembers", False):
        return
    lists: dict[tuple, list[tuple[str, str]]] = {}

    def add_files_from_theme(self: Files, env: Any, config: Any) -> None:
        key = (tuple(config.theme.dirs), tuple(config.theme.static_templates),
               _listing(config.theme.custom_dir) if config.theme.custom_dir else None)
        if key not in lists:
            found = Files([])
            original(found, env, config)
            lists.clear()  # one state of the theme is kept, the latest
            lists[key] = [(file.src_uri, file.src_dir) for file in found]
        for uri, folder in lists[key]:
            if self.get_file_from_path(uri) is None:  # as MkDocs: the docs' own files come first
                self.append(File(uri, folder, config.site_dir, config.use_directory_urls))

    add_files_from_theme.remembers = True  # type: ignore[attr-defined]
    Files.add_files_from_theme = add_files_from_theme  # type: ignore[method-assign]


def _listing(folder: str) -> tuple:
    """The files under a folder (the project's theme overrides: a handful)."""
    return tuple(sorted(os.path.join(top, name) for top, _, names in os.walk(folder) for name in names))
