"""The workflows run the freshness check: nightly beside the link check, and before each deploy;
the nightly one keeps the tracking issue with `ohm issue`."""

from __future__ import annotations

import shlex
import subprocess
from pathlib import Path

import pytest

from ohm.cli import parser
from ohm.nightly.issue import issue_command

from .test_workflows import load


def steps(workflow: dict, job: str) -> list[dict]:
    return workflow["jobs"][job]["steps"]


def index(steps: list[dict], text: str) -> int:
    return next(i for i, step in enumerate(steps) if text in step.get("run", ""))


def test_nightly_compares_with_upstream_and_reports_beside_the_broken_links():
    nightly = steps(load("nightly-links.yml"), "check-links")
    check = nightly[index(nightly, "ohm freshness")]
    assert check["continue-on-error"] is True, "a failed check must not stop the link check or the issue"
    assert check["env"]["GITHUB_TOKEN"] == "${{ secrets.GITHUB_TOKEN }}"
    assert index(nightly, "ohm freshness") < index(nightly, "ohm links")
    issue = nightly[index(nightly, ".venv/bin/ohm issue")]["run"]
    assert "--freshness reports/freshness/freshness.json" in issue
    assert "--links reports/links/report.json" in issue
    summary = [step for step in nightly if "reports/freshness/report.md" in step.get("run", "")]
    assert summary and "$GITHUB_STEP_SUMMARY" in summary[0]["run"]


def test_nightly_keeps_the_history_and_the_etags_between_runs():
    nightly = steps(load("nightly-links.yml"), "check-links")
    caches = [step for step in nightly if step.get("uses", "").startswith("actions/cache/")]
    kept = [step for step in caches if "reports/freshness/history.json" in step["with"]["path"]]
    assert {step["uses"].split("@")[0] for step in kept} == {"actions/cache/restore", "actions/cache/save"}
    for step in kept:
        assert "reports/freshness/cache.json" in step["with"]["path"]
        assert step["with"]["key"] == "freshness-history-${{ github.run_id }}"
    restore = next(step for step in kept if "restore" in step["uses"])
    assert nightly.index(restore) < index(nightly, "ohm freshness")


def test_deploy_checks_upstream_before_building_with_the_notices():
    build = steps(load("deploy.yml"), "build")
    check = index(build, "ohm freshness")
    site = index(build, "ohm build")
    assert check < site and build[check]["continue-on-error"] is True
    assert "OHM_FRESHNESS=reports/freshness/freshness.json" in build[site]["run"]


def test_nightly_calls_the_issue_verb_with_options_it_takes():
    nightly = steps(load("nightly-links.yml"), "check-links")
    run = nightly[index(nightly, ".venv/bin/ohm issue")]["run"]
    command = shlex.split(run[run.index(".venv/bin/ohm issue") :].replace("\\\n", " "))
    assert command[0] == ".venv/bin/ohm" and '"${freshness[@]}"' in run
    words = [word for word in command[1:] if word != "${freshness[@]}"]
    args = parser().parse_args([*words, "--freshness", "reports/freshness/freshness.json"])
    assert args.run is issue_command
    assert (args.links, args.freshness) == (
        Path("reports/links/report.json"),
        Path("reports/freshness/freshness.json"),
    )


@pytest.mark.parametrize("workflow", ["nightly-links.yml", "deploy.yml"])
@pytest.mark.parametrize(
    ("status", "writes_report", "passes"),
    [(0, True, True), (1, True, True), (2, False, False), (1, False, False), (137, False, False)],
    ids=["clean", "findings", "failed", "crashed-with-1", "killed"],
)
def test_the_freshness_step_fails_unless_the_check_ended_with_a_report(
    tmp_path, workflow, status, writes_report, passes
):
    """The step's own script, run by bash with a stand-in for `ohm` that exits as the check would."""
    job = "check-links" if workflow.startswith("nightly") else "build"
    script = steps(load(workflow), job)[index(steps(load(workflow), job), "ohm freshness")]["run"]
    ohm = tmp_path / ".venv" / "bin" / "ohm"
    ohm.parent.mkdir(parents=True)
    write = (
        "mkdir -p reports/freshness && echo '{}' > reports/freshness/freshness.json\n"
        if writes_report
        else ""
    )
    ohm.write_text(f"#!/bin/sh\n{write}exit {status}\n", encoding="utf-8")
    ohm.chmod(0o755)
    result = subprocess.run(["bash", "-e", "-c", script], cwd=tmp_path, timeout=30, check=False)
    assert (result.returncode == 0) is passes
