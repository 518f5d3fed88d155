"""The GitHub Actions workflows: actionlint (with shellcheck for `run:` scripts) over every one,
and the promises the contributor and deploy workflows make."""

from __future__ import annotations

import json
import os
import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
import yaml

from .conftest import ROOT

WORKFLOWS = ROOT / ".github" / "workflows"
BIN = Path(sys.executable).parent  # actionlint and shellcheck come as wheels in the project's venv


def all_workflows() -> list[Path]:
    return sorted([*WORKFLOWS.glob("*.yml"), *WORKFLOWS.glob("*.yaml")])


def actionlint(*files: Path) -> subprocess.CompletedProcess[str]:
    command = [str(BIN / "actionlint"), "-no-color", "-shellcheck", str(BIN / "shellcheck"), *map(str, files)]
    return subprocess.run(command, cwd=ROOT, capture_output=True, text=True, timeout=120)


def load(name: str) -> dict:
    # PyYAML reads the key `on` as True (YAML 1.1); the rest is plain data.
    return yaml.safe_load((WORKFLOWS / name).read_text(encoding="utf-8"))


@pytest.mark.parametrize("workflow", all_workflows(), ids=lambda path: path.name)
def test_workflow_passes_actionlint(workflow):
    result = actionlint(workflow)
    assert result.returncode == 0, result.stdout + result.stderr


def test_actionlint_rejects_a_broken_workflow(tmp_path):
    broken = tmp_path / ".github" / "workflows" / "broken.yml"
    broken.parent.mkdir(parents=True)
    broken.write_text(
        "on: push\njobs:\n  a:\n    runs-on: ubuntu-latest\n    steps:\n"
        "      - run: echo ${{ github.event.pull_request.title }}\n      - run: cd $DIR\n"
    )
    result = actionlint(broken)
    assert result.returncode == 1
    assert "potentially untrusted" in result.stdout  # script injection
    assert "SC2086" in result.stdout  # shellcheck ran on the run: script


def test_both_workflows_exist():
    assert {path.name for path in all_workflows()} >= {"pull-request.yml", "deploy.yml"}


def run_scripts(workflow: dict) -> str:
    return "\n".join(step.get("run", "") for job in workflow["jobs"].values() for step in job["steps"])


def test_pull_request_workflow_validates_tests_builds_and_checks_changed_links():
    workflow = load("pull-request.yml")
    assert set(workflow[True]) == {"pull_request"}
    steps = workflow["jobs"]["check"]["steps"]
    scripts = run_scripts(workflow)
    assert "ohm validate --format github" in scripts
    assert "bash .ci/run" in scripts
    assert ".venv/bin/ohm build" in scripts
    assert 'changed --base "$BASE_SHA"' in scripts and "$GITHUB_STEP_SUMMARY" in scripts
    links = next(step for step in steps if "ohm links" in step.get("run", ""))
    assert links["if"] == "steps.changes.outputs.count != '0'"
    assert "--report-dir" in links["run"]
    upload = next(step for step in steps if step.get("uses", "").startswith("actions/upload-artifact@"))
    assert upload["with"]["path"] == "site/"


def test_deploy_workflow_publishes_to_pages_with_the_repository_urls():
    workflow = load("deploy.yml")
    assert workflow[True]["push"]["branches"] == ["main"]
    assert workflow["concurrency"]["group"] == "pages"
    build, deploy = workflow["jobs"]["build"], workflow["jobs"]["deploy"]
    uses = [step.get("uses", "").split("@")[0] for job in (build, deploy) for step in job["steps"]]
    assert {"actions/configure-pages", "actions/upload-pages-artifact", "actions/deploy-pages"} <= set(uses)
    assert deploy["permissions"] == {"pages": "write", "id-token": "write"}
    assert deploy["environment"]["name"] == "github-pages"
    build_step = next(step for step in build["steps"] if "ohm build" in step.get("run", ""))
    assert build_step["env"]["SITE_URL"] == "${{ steps.pages.outputs.base_url }}/"
    assert build_step["env"]["REPO_URL"] == "${{ github.server_url }}/${{ github.repository }}"


# --- The nightly job's logic, its run: scripts executed by bash -----------------------

EXPRESSION = re.compile(r"\$\{\{\s*(.*?)\s*\}\}")


def step_named(workflow: dict, job: str, name: str) -> dict:
    return next(step for step in workflow["jobs"][job]["steps"] if step.get("name") == name)


def run_step(step: dict, project: Path, known: dict[str, str], env: dict[str, str]) -> tuple[int, dict]:
    """Run a step's script as GitHub does (bash -e -o pipefail) in `project`; its exit status and outputs.

    `${{ ... }}` in the step's env is replaced from `known`: an expression the test does not
    know fails the test, so nothing is simulated silently.
    """
    outputs = project / "github-output"
    outputs.write_text("", encoding="utf-8")
    step_env = {
        name: EXPRESSION.sub(lambda m: known[m[1]], str(value)) for name, value in step.get("env", {}).items()
    }
    result = subprocess.run(
        ["bash", "--noprofile", "--norc", "-e", "-o", "pipefail", "-c", step["run"]],
        cwd=project,
        env={**env, **step_env, "GITHUB_OUTPUT": str(outputs)},
        capture_output=True,
        text=True,
        timeout=120,
    )
    values = dict(line.split("=", 1) for line in outputs.read_text(encoding="utf-8").splitlines() if line)
    return result.returncode, values | {"stderr": result.stderr}


FAKE_OHM = """#!/bin/bash
# The checks as the test wants them tonight; `issue` is the real verb.
case "$1" in
  freshness)
    if [ -n "$FRESHNESS_REPORT" ]; then
      mkdir -p reports/freshness && cp "$FRESHNESS_REPORT" reports/freshness/freshness.json
    fi
    exit "$FRESHNESS_EXIT" ;;
  links)
    mkdir -p reports/links && cp "$LINKS_REPORT" reports/links/report.json
    exit 0 ;;
  *) exec "$PYTHON" -m ohm "$@" ;;
esac
"""


def test_a_failed_freshness_run_keeps_the_tracking_issue_open_with_the_last_good_section(tmp_path: Path):
    from .test_tracking_issue import FakeGitHub, write_link_report

    workflow = load("nightly-links.yml")
    freshness_step = step_named(workflow, "check-links", "Compare every entry with upstream")
    links_step = step_named(workflow, "check-links", "Check every link")
    issue_step = step_named(workflow, "check-links", "Open, update or close the tracking issue")
    fail_step = step_named(workflow, "check-links", "Fail the run if a check failed")
    assert freshness_step["id"] == "freshness" and links_step["id"] == "check"
    assert freshness_step["continue-on-error"] is True and links_step["continue-on-error"] is True
    assert issue_step["if"] == "always()" and "steps.freshness.outcome != 'success'" in fail_step["if"]
    restore = step_named(workflow, "check-links", "Restore the last good reports")
    save = step_named(workflow, "check-links", "Save the last good reports")
    steps = workflow["jobs"]["check-links"]["steps"]
    assert restore["with"]["path"] == save["with"]["path"] == "reports/last-good"
    assert steps.index(restore) < steps.index(freshness_step) < steps.index(issue_step) < steps.index(save)

    project = tmp_path / "project"
    (project / ".venv" / "bin").mkdir(parents=True)
    ohm = project / ".venv" / "bin" / "ohm"
    ohm.write_text(FAKE_OHM, encoding="utf-8")
    ohm.chmod(0o755)
    github = FakeGitHub()
    env = {"PATH": os.environ["PATH"], "PYTHON": sys.executable, "PYTHONPATH": str(ROOT),
           "GITHUB_REPOSITORY": "owner/name", "GITHUB_API_URL": github.url}  # fmt: skip
    known = {"secrets.GITHUB_TOKEN": "secret", "github.server_url": "https://github.com",
             "github.repository": "owner/name", "github.run_id": "77"}  # fmt: skip
    finding = {"kind": "licence-changed", "field": "licenses.weights", "catalogue": "Apache-2.0",
               "upstream": "cc-by-nc-4.0", "since": "2026-11-02"}  # fmt: skip

    def night(date: str, freshness_exit: int, entries: dict | None) -> tuple[int, int]:
        for folder in ("links", "freshness"):  # a new runner: only the caches come back
            shutil.rmtree(project / "reports" / folder, ignore_errors=True)
        fixtures = tmp_path / date
        fixtures.mkdir()
        night_env = {**env, "FRESHNESS_EXIT": str(freshness_exit), "FRESHNESS_REPORT": "",
                     "LINKS_REPORT": str(write_link_report(fixtures / "report.json", date, broken=0))}  # fmt: skip
        if entries is not None:
            report = fixtures / "freshness.json"
            report.write_text(json.dumps({"schema_version": 1, "checked": date, "entries": entries}))
            night_env["FRESHNESS_REPORT"] = str(report)
        freshness_status, freshness_out = run_step(freshness_step, project, known, night_env)
        links_status, links_out = run_step(links_step, project, known, night_env)
        tonight = {**known, "steps.freshness.outputs.status": freshness_out["status"],
                   "steps.check.outputs.status": links_out["status"]}  # fmt: skip
        issue_status, issue_out = run_step(issue_step, project, tonight, night_env)
        assert issue_status == 0, issue_out["stderr"]
        return freshness_status, links_status

    try:
        assert night("2026-11-02", 1, {"medsam": [finding]}) == (0, 0), "new findings are no failure"
        [issue] = github.issues.values()
        assert issue["title"] == "1 entry to re-check against upstream" and issue["state"] == "open"

        freshness_status, links_status = night("2026-11-03", 3, None)
        assert freshness_status != 0 and links_status == 0, "the failed check's step is red"
        assert issue["state"] == "open" and github.comments == [], "the issue is not closed"
        assert issue["title"].startswith("The freshness check failed (exit status 3) on ")
        assert "last good report of 2026-11-02: 1 entry to re-check against upstream" in issue["title"]
        assert "Below is its last good report, of 2026-11-02: **stale**" in issue["body"]
        assert "### `medsam`" in issue["body"] and "`cc-by-nc-4.0`" in issue["body"]
        assert "https://github.com/owner/name/actions/runs/77" in issue["body"]
    finally:
        github.server.shutdown()
        github.server.server_close()


def test_the_deploy_builds_with_the_last_good_warnings_when_the_check_fails(tmp_path: Path):
    build = step_named(load("deploy.yml"), "build", "Build the site")
    script = build["run"].replace(".venv/bin/ohm build", 'echo "notices from: ${OHM_FRESHNESS:-none}"')
    step = {**build, "run": script}
    known = {"steps.pages.outputs.base_url": "https://x.example", "github.server_url": "https://github.com",
             "github.repository": "owner/name", "github.ref_name": "main"}  # fmt: skip
    env = {"PATH": os.environ["PATH"]}

    def built_with(outcome: str, files: list[str]) -> str:
        shutil.rmtree(tmp_path / "reports", ignore_errors=True)
        for name in files:
            (tmp_path / name).parent.mkdir(parents=True, exist_ok=True)
            (tmp_path / name).write_text("{}")
        result = subprocess.run(
            ["bash", "-e", "-c", step["run"]], cwd=tmp_path, capture_output=True, text=True, timeout=60,
            env={**env, **{k: EXPRESSION.sub(lambda m: {**known, "steps.freshness.outcome": outcome}[m[1]], v)
                           for k, v in build["env"].items()}},
        )  # fmt: skip
        assert result.returncode == 0, result.stderr
        return result.stdout.strip()

    tonight, last_good = "reports/freshness/freshness.json", "reports/last-good/freshness/freshness.json"
    assert built_with("success", [tonight, last_good]) == f"notices from: {tonight}"
    assert built_with("failure", [tonight, last_good]) == f"notices from: {last_good}"
    assert built_with("failure", []) == "notices from: none"
