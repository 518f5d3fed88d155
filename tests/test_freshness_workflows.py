"""The workflows run the freshness check: nightly beside the link check, and before each deploy."""

from __future__ import annotations

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
    issue = nightly[index(nightly, "ohm.links.tracking_issue")]["run"]
    assert "--freshness reports/freshness/freshness.json" in issue
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
