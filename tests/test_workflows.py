"""The GitHub Actions workflows: actionlint (with shellcheck for `run:` scripts) over every one,
and the promises the contributor and deploy workflows make."""

from __future__ import annotations

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
