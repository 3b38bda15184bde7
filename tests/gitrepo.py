"""Real git repositories with backdated commits, for tests.

    from gitrepo import GitRepo
    repo = GitRepo.create(tmp_path / "repo")
    repo.write("okrs/people.yaml", PEOPLE)
    sha = repo.commit("Add people", date="2026-10-05T09:00:00+00:00", author="Alice Rossi")

Every commit gets the given author and date as both author and committer date (git
reads GIT_AUTHOR_DATE and GIT_COMMITTER_DATE), so the history is exactly reproducible:
the same script gives the same commit ids. The user's own git configuration is ignored.
"""

from __future__ import annotations

import os
import subprocess
import textwrap
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path

_ISOLATED = {
    "GIT_CONFIG_NOSYSTEM": "1",
    "GIT_CONFIG_GLOBAL": os.devnull,
    "GIT_TERMINAL_PROMPT": "0",
    "LC_ALL": "C",
}


def git(cwd: Path, *args: str, env: dict[str, str] | None = None) -> str:
    """Run git in ``cwd`` with an isolated configuration; its stdout, stripped. Raises on failure."""
    result = subprocess.run(
        ["git", "-c", "commit.gpgsign=false", "-c", "core.autocrlf=false", *args],
        cwd=cwd, env={**os.environ, **_ISOLATED, **(env or {})},
        capture_output=True, text=True,
    )
    if result.returncode:
        raise RuntimeError(f"git {' '.join(args)} failed ({result.returncode}): {result.stderr.strip()}")
    return result.stdout.strip()


def email_of(author: str) -> str:
    return author.split()[0].lower() + "@example.com"


@dataclass
class GitRepo:
    root: Path

    @classmethod
    def create(cls, root: Path, *, branch: str = "main") -> GitRepo:
        root.mkdir(parents=True, exist_ok=True)
        git(root, "init", "-q", "-b", branch)
        return cls(root)

    def git(self, *args: str, env: dict[str, str] | None = None) -> str:
        return git(self.root, *args, env=env)

    def write(self, relative: str, text: str | bytes, *, dedent: bool = True) -> Path:
        """Write a file (relative to the repository root); text is dedented, UTF-8, LF."""
        path = self.root / relative
        path.parent.mkdir(parents=True, exist_ok=True)
        if isinstance(text, str):
            text = (textwrap.dedent(text) if dedent else text).encode("utf-8")
        path.write_bytes(text)
        return path

    def read(self, relative: str) -> str:
        return (self.root / relative).read_text(encoding="utf-8")

    def edit(self, relative: str, old: str, new: str) -> Path:
        """Replace ``old`` (which must be there) by ``new`` in a file."""
        text = self.read(relative)
        assert old in text, f"{old!r} is not in {relative}"
        return self.write(relative, text.replace(old, new, 1), dedent=False)

    def remove(self, relative: str) -> None:
        self.git("rm", "-q", relative)

    def move(self, old: str, new: str) -> None:
        (self.root / new).parent.mkdir(parents=True, exist_ok=True)
        self.git("mv", old, new)

    def commit(self, message: str, *, date: str | datetime, author: str = "Alice Rossi",
               email: str | None = None) -> str:
        """Stage everything and commit it as ``author`` at ``date``; the new commit's id."""
        self.git("add", "-A")
        self.git("commit", "-q", "--allow-empty", "-m", message, env=self._identity(date, author, email))
        return self.head()

    def branch(self, name: str) -> None:
        """Create a branch at HEAD and switch to it."""
        self.git("checkout", "-q", "-b", name)

    def checkout(self, name: str) -> None:
        self.git("checkout", "-q", name)

    def merge(self, branch: str, message: str, *, date: str | datetime, author: str = "Alice Rossi",
              email: str | None = None) -> str:
        """Merge ``branch`` into the current branch with a merge commit (never fast-forward)."""
        self.git("merge", "-q", "--no-ff", "-m", message, branch, env=self._identity(date, author, email))
        return self.head()

    def head(self) -> str:
        return self.git("rev-parse", "HEAD")

    @staticmethod
    def _identity(date: str | datetime, author: str, email: str | None) -> dict[str, str]:
        when = date.isoformat() if isinstance(date, datetime) else date
        email = email or email_of(author)
        return {"GIT_AUTHOR_NAME": author, "GIT_AUTHOR_EMAIL": email, "GIT_AUTHOR_DATE": when,
                "GIT_COMMITTER_NAME": author, "GIT_COMMITTER_EMAIL": email, "GIT_COMMITTER_DATE": when}


# -- a ready-made OKR history --------------------------------------------------------

# The smallest registry: two people, one team (tests that need no more).
TWO_PEOPLE = """\
people:
  alice: {name: Alice Rossi}
  bob: {name: Bob Brown}
teams:
  payments: {name: Payments, lead: alice, members: [alice, bob]}
"""
PEOPLE = """\
people:
  alice: {name: Alice Rossi, email: alice@example.com}
  bob: {name: Bob Brown}
  carol: {name: Carol Chen}
  dan: {name: Dan Diaz}
teams:
  payments: {name: Payments, lead: alice, members: [alice, bob]}
  platform: {name: Platform, lead: carol, members: [carol, dan]}
"""

CHECKOUT = """\
---
objective: Make checkout boringly reliable
owner: alice
team: payments
period: 2026-Q4
key_results:
  - id: latency
    title: p99 checkout latency under 300 ms
    owner: bob
    start: 850
    target: 300
    unit: ms
  - id: drill
    title: Multi-region failover drill passes
    owner: carol
    type: milestone
    done: false
---
Why it matters.
"""

UPTIME = """\
---
objective: Keep the platform up
owner: carol
team: platform
period: 2026-Q4
key_results:
  - id: availability
    title: Availability from 99.0% to 99.9%
    owner: dan
    start: 99.0
    target: 99.9
    unit: "%"
  - id: incidents
    title: Sev-1 incidents per month from 10 to 2
    owner: carol
    start: 10
    target: 2
---
"""

CHECKOUT_PATH = "okrs/2026-Q4/payments/checkout.md"
RENAMED_PATH = "okrs/2026-Q4/payments/checkout-reliability.md"
UPTIME_PATH = "okrs/2026-Q4/platform/uptime.md"


def okr_history(root: Path) -> dict[str, str]:
    """A repository with seven weeks of OKR history (2026-W41 .. W47); its commit ids by name.

    W41 c1  Mon 10-05  both objectives added (no check-in values yet)
    W42 c2  Wed 10-14  checkout#latency 850 -> 700 ms, confidence 0.6 (Bob)
        c3  Thu 10-15  uptime#availability 99.3, note (Dan)
    W43 c4  Tue 10-20  checkout.md renamed to checkout-reliability.md, latency 650 (Alice)
        c5  Wed 10-21  uptime.md broken (YAML syntax error) (Dan)
        c6  Thu 10-22  uptime.md fixed, availability 99.5 (Dan)
    W44 c7  Mon 10-26  latency handed from bob to dan; drill removed; error-rate added (Carol)
        s1  Tue 10-27  (side branch) incidents 6 (Carol)
        s2  Wed 10-28  (side branch) incidents note (Carol)
        c8  Wed 10-28  latency target 300 -> 350: eased (Alice)
        m1  Thu 10-29  merge of the side branch (Alice)
    W45 c9  Sun 11-08 23:30 UTC = Mon 11-09 00:30 in Europe/Berlin (W46 there): latency 600 (Dan)
    W46 c10 Wed 11-11  uptime retitled; its note has <script> (Carol)
    W47 c11 Tue 11-17  uptime dropped (Carol)
    """
    repo = GitRepo.create(root)
    shas = {}
    repo.write("okrs/people.yaml", PEOPLE)
    repo.write(CHECKOUT_PATH, CHECKOUT)
    repo.write(UPTIME_PATH, UPTIME)
    shas["c1"] = repo.commit("Add Q4 objectives", date="2026-10-05T09:00:00+00:00", author="Alice Rossi")

    repo.edit(CHECKOUT_PATH, "    unit: ms\n", "    unit: ms\n    current: 700\n    confidence: 0.6\n")
    shas["c2"] = repo.commit("Check in checkout latency", date="2026-10-14T10:00:00+00:00", author="Bob Brown")
    repo.edit(UPTIME_PATH, '    unit: "%"\n', '    unit: "%"\n    current: 99.3\n    note: New probes\n')
    shas["c3"] = repo.commit("Check in availability", date="2026-10-15T11:00:00+00:00", author="Dan Diaz")

    repo.move(CHECKOUT_PATH, RENAMED_PATH)
    repo.edit(RENAMED_PATH, "    current: 700\n", "    current: 650\n")
    shas["c4"] = repo.commit("Rename checkout objective", date="2026-10-20T10:00:00+00:00", author="Alice Rossi")
    good = repo.read(UPTIME_PATH)
    repo.write(UPTIME_PATH, good.replace("    current: 99.3\n", "    current: [99.5\n"), dedent=False)
    shas["c5"] = repo.commit("Check in availability", date="2026-10-21T10:00:00+00:00", author="Dan Diaz")
    repo.write(UPTIME_PATH, good.replace("    current: 99.3\n", "    current: 99.5\n"), dedent=False)
    shas["c6"] = repo.commit("Fix availability check-in", date="2026-10-22T10:00:00+00:00", author="Dan Diaz")

    text = repo.read(RENAMED_PATH)
    text = text.replace("    owner: bob\n", "    owner: dan\n")
    drill = text.index("  - id: drill")
    text = text[:drill] + (
        "  - id: error-rate\n"
        "    title: Payment errors below 0.5%\n"
        "    owner: bob\n"
        "    start: 2\n"
        "    target: 0.5\n"
    ) + text[text.index("---", drill):]
    repo.write(RENAMED_PATH, text, dedent=False)
    shas["c7"] = repo.commit("Hand latency over to Dan; replace the drill", date="2026-10-26T09:00:00+00:00",
                             author="Carol Chen")
    repo.branch("incidents")
    repo.edit(UPTIME_PATH, "    target: 2\n", "    target: 2\n    current: 6\n")
    shas["s1"] = repo.commit("Check in incidents", date="2026-10-27T10:00:00+00:00", author="Carol Chen")
    repo.edit(UPTIME_PATH, "    current: 6\n", "    current: 6\n    note: Fewer pages since the runbook\n")
    shas["s2"] = repo.commit("Note on incidents", date="2026-10-28T10:00:00+00:00", author="Carol Chen")
    repo.checkout("main")
    repo.edit(RENAMED_PATH, "    target: 300\n", "    target: 350\n")
    shas["c8"] = repo.commit("Ease the latency target", date="2026-10-28T11:00:00+00:00", author="Alice Rossi")
    shas["m1"] = repo.merge("incidents", "Merge branch 'incidents'", date="2026-10-29T09:00:00+00:00",
                            author="Alice Rossi")

    repo.edit(RENAMED_PATH, "    current: 650\n", "    current: 600\n")
    shas["c9"] = repo.commit("Late Sunday check-in", date="2026-11-08T23:30:00+00:00", author="Dan Diaz")
    repo.edit(UPTIME_PATH, "objective: Keep the platform up\n", "objective: Keep the platform boringly up\n")
    repo.edit(UPTIME_PATH, "    note: Fewer pages since the runbook\n",
              "    note: \"<script>alert(1)</script> & fewer pages\"\n")
    shas["c10"] = repo.commit("Retitle uptime", date="2026-11-11T10:00:00+00:00", author="Carol Chen")
    repo.edit(UPTIME_PATH, "period: 2026-Q4\n", "period: 2026-Q4\nstatus: dropped\n")
    shas["c11"] = repo.commit("Drop uptime", date="2026-11-17T10:00:00+00:00", author="Carol Chen")
    return shas
