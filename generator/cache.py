"""A cache of results under the repository, in `.okrs-cache/`: safe to delete at any time.

Each kind of result is one JSON file, stamped with a fingerprint of this package's code
(and of the YAML library), so that upgrading or editing the tool invalidates it, and
with a key that says what else the result depends on (the schema, the options). A file
that is missing, unreadable, corrupt or stamped for something else reads as nothing:
the caller computes the result again. A failure to write is ignored: a read-only
checkout still builds, only without the cache.

The cache is never trusted when git tracks it: results taken from the repository's own
content could claim a broken file is valid. The folder ignores itself for git, as
`.pytest_cache` does, so that it is not committed by accident. Plain JSON, never pickle:
reading it can never run code.
"""

from __future__ import annotations

import hashlib
import json
import os
import subprocess
import tempfile
from functools import lru_cache
from pathlib import Path
from typing import Any

CACHE_DIR = ".okrs-cache"
FORMAT = 1  # the layout of the files below; the code fingerprint covers the rest


class Store:
    """The cache folder of one repository."""

    def __init__(self, root: Path) -> None:
        self.folder = Path(root) / CACHE_DIR

    @classmethod
    def for_repository(cls, root: Path) -> Store | None:
        """The repository's cache; None when git tracks the cache folder (then it is not ours)."""
        store = cls(root)
        return None if store.folder.is_dir() and _tracked_by_git(store.folder) else store

    def load(self, name: str, key: str) -> Any:
        """The data saved under ``name`` for ``key`` by this version of the code, else None."""
        try:
            with open(self.folder / f"{name}.json", "rb") as handle:
                header = json.loads(handle.readline())
                if not isinstance(header, dict) or header.get("format") != FORMAT or \
                        header.get("code") != code_fingerprint() or header.get("key") != key:
                    return None
                body = handle.read()
            if digest(body) != header.get("sum"):  # torn or damaged: a checksum, not just valid JSON
                return None
            return json.loads(body)
        except (OSError, ValueError, RecursionError):  # missing, unreadable, not JSON, not UTF-8
            return None

    def save(self, name: str, key: str, data: Any) -> bool:
        """Write atomically (readers see the old file or the new one); False if it could not."""
        try:
            body = json.dumps(data, separators=(",", ":"), allow_nan=False).encode("ascii")  # ASCII: the fastest
            header = {"format": FORMAT, "code": code_fingerprint(), "key": key, "sum": digest(body)}
            self.folder.mkdir(exist_ok=True)
            ignore = self.folder / ".gitignore"
            if not ignore.exists():
                ignore.write_text("# Made by okrs: a cache, safe to delete; never commit it.\n*\n", encoding="utf-8")
            handle, temporary = tempfile.mkstemp(prefix=f".{name}.", suffix=".tmp", dir=self.folder)
            try:
                with os.fdopen(handle, "wb") as out:
                    out.write(json.dumps(header).encode("ascii") + b"\n" + body)
                os.replace(temporary, self.folder / f"{name}.json")
            except BaseException:
                os.unlink(temporary)
                raise
        except (OSError, ValueError, TypeError, RecursionError):  # read-only, disk full, a value JSON cannot hold
            return False
        return True


def digest(*parts: str | bytes) -> str:
    """A short hash of the parts, for cache keys."""
    hasher = hashlib.blake2b(digest_size=16)
    for part in parts:
        data = part.encode("utf-8", "surrogatepass") if isinstance(part, str) else part
        hasher.update(len(data).to_bytes(8, "little"))
        hasher.update(data)
    return hasher.hexdigest()


@lru_cache(maxsize=1)
def code_fingerprint() -> str:
    """This package's source and the versions of the libraries that read and judge the files:
    what the cached results depend on."""
    from importlib import metadata

    import yaml

    package = Path(__file__).resolve().parent
    parts: list[str | bytes] = [str(FORMAT), yaml.__version__, str(getattr(yaml, "__with_libyaml__", ""))]
    for library in ("jsonschema", "jsonschema-rs", "GitPython"):
        try:
            parts.append(f"{library}=={metadata.version(library)}")
        except metadata.PackageNotFoundError:
            parts.append(f"{library} missing")
    for path in sorted(package.glob("*.py")):
        parts += [path.name, path.read_bytes()]
    return digest(*parts)


def _tracked_by_git(folder: Path) -> bool:
    try:
        result = subprocess.run(["git", "ls-files", "-z", "--", folder.name], cwd=folder.parent,
                                capture_output=True, timeout=30)
    except (OSError, subprocess.SubprocessError):
        return False  # no git: nothing can be tracked
    return result.returncode == 0 and bool(result.stdout)
