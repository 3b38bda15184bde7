"""A cache of results under the repository, in `.okrs-cache/`: safe to delete at any time.

Each kind of result is one JSON file (or bytes as they are, ``save_bytes``), stamped with a fingerprint of this package's code
(and of the YAML library), so that upgrading or editing the tool invalidates it, and
with a key that says what else the result depends on (the schema, the options). A file
that is missing, unreadable, corrupt or stamped for something else reads as nothing:
the caller computes the result again. A failure to write is ignored: a read-only
checkout still builds, only without the cache.

The cache must never come from the repository: results taken from its own content could
claim a broken file is valid, or publish numbers no check ever saw. So each file is
signed with a key kept outside the repository, in the user's cache folder
(``$XDG_CACHE_HOME/okrs/cache-key``, made on first use): a cache committed, or shipped
in a download of the files (``git archive``, no ``.git``), was signed with a key its
reader does not hold and reads as nothing. No key (no writable home): no cache. On top
of that the cache is used only when git positively says it does not track the folder:
no git, or a git that refuses the repository ("dubious ownership"), means no cache.
The folder ignores itself for git, as `.pytest_cache` does, so that it is not committed
by accident. Plain JSON, never pickle: reading a file runs no code. (One file holds
code, the compiled templates of ``template_cache.py``: run only as signed here.)
"""

from __future__ import annotations

import atexit
import hashlib
import hmac
import json
import os
import subprocess
import tempfile
from functools import lru_cache
from pathlib import Path
from typing import Any, Callable

from generator.runtime.parallel import can_fork

CACHE_DIR = ".okrs-cache"
FORMAT = 1  # the layout of the files below; the code fingerprint covers the rest


class Store:
    """The cache folder of one repository."""

    def __init__(self, root: Path) -> None:
        self.folder = Path(root) / CACHE_DIR

    @classmethod
    def for_repository(cls, root: Path) -> Store | None:
        """The repository's cache; None unless git answers that it does not track the cache
        folder (tracked: it is not ours; no answer: nothing says it is) and a key can be had."""
        store = cls(root)
        return store if _untracked_by_git(store.folder) and signing_key() is not None else None

    def write_behind(self, names: tuple[str, ...], work: Callable[[], object]) -> bool:
        """Run ``work`` (saves ``names`` into this store) in a forked child, while this
        process goes on: what is saved only for a later run need not hold this one up (at
        10,000 objectives the history takes 5 s to write). Reads of those names, another
        ``write_behind`` of one of them and the end of the process wait for the child.
        Without fork, with other threads running (forking them is unsafe) or when the
        system refuses a new process, ``work`` runs here. True when the work was started
        (or done) well."""
        _settle(names)  # one writer of a name at a time: an older save never lands after a newer one
        if not can_fork():
            return bool(work())
        try:
            child = os.fork()
        except OSError:
            return bool(work())
        if child == 0:  # the child: the work, then out, without this process's exit handlers
            status = 1
            try:
                status = 0 if work() else 1
            finally:
                os._exit(status)
        _writers.append((child, frozenset(names)))
        return True

    def load(self, name: str, key: str) -> Any:
        """The data saved under ``name`` for ``key`` by this version of the code, else None."""
        body = self._read(name, key, ".json")
        try:
            return None if body is None else json.loads(body)
        except (ValueError, RecursionError):  # not JSON, not UTF-8
            return None

    def save(self, name: str, key: str, data: Any) -> bool:
        """Write atomically (readers see the old file or the new one); False if it could not."""
        try:
            body = json.dumps(data, separators=(",", ":"), allow_nan=False).encode("ascii")  # ASCII: the fastest
        except (ValueError, TypeError, RecursionError):  # a value JSON cannot hold
            return False
        return self._write(name, key, body, ".json")

    def load_bytes(self, name: str, key: str) -> bytes | None:
        """``save_bytes``' bytes for ``key``, signed here by this version of the code, else None."""
        return self._read(name, key, ".bin")

    def save_bytes(self, name: str, key: str, body: bytes) -> bool:
        """``save`` of bytes as they are (no JSON): for data JSON would only inflate."""
        return self._write(name, key, body, ".bin")

    def _read(self, name: str, key: str, suffix: str) -> bytes | None:
        _settle((name,))
        try:
            with open(self.folder / f"{name}{suffix}", "rb") as handle:
                header = json.loads(handle.readline())
                if not isinstance(header, dict) or header.get("format") != FORMAT or \
                        header.get("code") != code_fingerprint() or header.get("key") != key:
                    return None
                body = handle.read()
        except (OSError, ValueError, RecursionError):  # missing, unreadable, a header not JSON
            return None
        expected = _signature(name, key, body)
        # Torn, damaged or not made here: a signature, not just valid JSON.
        if expected is None or not hmac.compare_digest(expected, str(header.get("sum"))):
            return None
        return body

    def _write(self, name: str, key: str, body: bytes, suffix: str) -> bool:
        try:
            signature = _signature(name, key, body)
            if signature is None:
                return False
            header = {"format": FORMAT, "code": code_fingerprint(), "key": key, "sum": signature}
            self.folder.mkdir(exist_ok=True)
            ignore = self.folder / ".gitignore"
            if not ignore.exists():
                ignore.write_text("# Made by okrs: a cache, safe to delete; never commit it.\n*\n", encoding="utf-8")
            handle, temporary = tempfile.mkstemp(prefix=f".{name}.", suffix=".tmp", dir=self.folder)
            try:
                with os.fdopen(handle, "wb") as out:
                    out.write(json.dumps(header).encode("ascii") + b"\n")
                    out.write(body)
                os.replace(temporary, self.folder / f"{name}{suffix}")
            except BaseException:
                os.unlink(temporary)
                raise
        except OSError:  # read-only, disk full
            return False
        return True


_writers: list[tuple[int, frozenset[str]]] = []  # the children writing into a store, and what (write_behind)


def _settle(names: tuple[str, ...] | None = None) -> None:
    """Wait for the children writing any of ``names`` (None: all of them)."""
    for child, writing in list(_writers):
        if names is None or not writing.isdisjoint(names):
            _writers.remove((child, writing))
            try:
                os.waitpid(child, 0)
            except ChildProcessError:  # waited for already (by a SIGCHLD handler)
                pass


atexit.register(_settle)


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
    """This package's source, templates and assets, and the versions of the libraries that read and judge the files:
    what the cached results depend on."""
    from importlib import metadata

    import yaml

    package = Path(__file__).resolve().parents[1]  # the whole generator package
    parts: list[str | bytes] = [str(FORMAT), yaml.__version__, str(getattr(yaml, "__with_libyaml__", ""))]
    for library in ("jsonschema", "jsonschema-rs", "GitPython"):
        try:
            parts.append(f"{library}=={metadata.version(library)}")
        except metadata.PackageNotFoundError:
            parts.append(f"{library} missing")
    # The templates and assets too: a kept page was made with them.
    for path in sorted(p for p in package.rglob("*") if "__pycache__" not in p.parts and p.is_file()):
        parts += [path.relative_to(package).as_posix(), path.read_bytes()]
    return digest(*parts)


def _untracked_by_git(folder: Path) -> bool:
    """True only when git answers, for this folder's repository, that it tracks nothing in it."""
    try:
        result = subprocess.run(["git", "ls-files", "-z", "--", folder.name], cwd=folder.parent,
                                capture_output=True, timeout=30)
    except (OSError, subprocess.SubprocessError):
        return False  # no git: no one can say the folder is not the repository's
    return result.returncode == 0 and not result.stdout


KEY_BYTES = 32


def _signature(name: str, key: str, body: bytes) -> str | None:
    """The keyed hash of one cache file (its name and key bound in); None without a key."""
    secret = signing_key()
    if secret is None:
        return None
    hasher = hashlib.blake2b(digest_size=16, key=secret)
    for part in (name.encode("utf-8", "surrogatepass"), key.encode("utf-8", "surrogatepass"), body):
        hasher.update(len(part).to_bytes(8, "little"))
        hasher.update(part)
    return hasher.hexdigest()


def key_path() -> Path:
    """Where this user's cache key lives: outside every repository."""
    base = os.environ.get("XDG_CACHE_HOME") or os.path.join(os.path.expanduser("~"), ".cache")
    return Path(base) / "okrs" / "cache-key"


@lru_cache(maxsize=4)
def _key_at(path: Path) -> bytes | None:
    try:
        secret = path.read_bytes()
    except FileNotFoundError:
        secret = _new_key(path)
    except OSError:
        return None
    return secret if secret is not None and len(secret) == KEY_BYTES else None


def signing_key() -> bytes | None:
    """This user's secret for signing cache files, made on first use; None if it cannot be kept."""
    return _key_at(key_path())


def _new_key(path: Path) -> bytes | None:
    """Make the key: written aside, then linked into place, so that two first runs at once
    agree on one key (the loser reads the winner's)."""
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        handle, temporary = tempfile.mkstemp(prefix=".cache-key.", dir=path.parent)
        try:
            with os.fdopen(handle, "wb") as out:
                out.write(os.urandom(KEY_BYTES))
            os.chmod(temporary, 0o600)
            try:
                os.link(temporary, path)
            except FileExistsError:
                pass
        finally:
            os.unlink(temporary)
        return path.read_bytes()
    except OSError:
        return None
