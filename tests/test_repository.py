"""Repository hygiene: issue forms that match the catalogue, git hooks that really run."""

from __future__ import annotations

import re
import shlex
import subprocess
from pathlib import Path

import pytest
import yaml

from ohm.catalog import DEFAULT_CATALOGUE, vocabulary
from ohm.catalog.load import load_catalogue

from .conftest import ROOT

FORMS = ROOT / ".github" / "ISSUE_TEMPLATE"
# The body element types GitHub's issue forms accept.
FORM_TYPES = {"markdown", "input", "textarea", "dropdown", "checkboxes"}


def form(name: str) -> dict:
    return yaml.safe_load((FORMS / name).read_text(encoding="utf-8"))


def options(form_data: dict, element_id: str) -> list[str]:
    element = next(item for item in form_data["body"] if item.get("id") == element_id)
    return element["attributes"]["options"]


@pytest.mark.parametrize("name", ["add-a-model.yml", "broken-link.yml"])
def test_issue_form_is_well_formed(name):
    data = form(name)
    assert data["name"] and data["description"]
    assert {item["type"] for item in data["body"]} <= FORM_TYPES
    ids = [item["id"] for item in data["body"] if item["type"] != "markdown"]
    assert len(ids) == len(set(ids)) and all(re.fullmatch(r"[a-z][a-z0-9_-]*", i) for i in ids)
    for item in data["body"]:
        if item["type"] in {"input", "textarea", "dropdown", "checkboxes"}:
            assert item["attributes"]["label"]
        if item["type"] == "dropdown":
            assert len(set(item["attributes"]["options"])) == len(item["attributes"]["options"]) > 0


def test_add_a_model_form_offers_what_the_catalogue_accepts():
    data = form("add-a-model.yml")
    assert options(data, "kind") == vocabulary.values("kind")
    assert options(data, "modalities") == vocabulary.values("modalities")
    assert options(data, "access") == vocabulary.values("access")
    categories = [category["title"] for category in load_catalogue(DEFAULT_CATALOGUE).data["categories"]]
    assert options(data, "category")[:-1] == categories  # the last option is "none of these"


def pre_commit_hooks() -> list[dict]:
    config = yaml.safe_load((ROOT / ".pre-commit-config.yaml").read_text(encoding="utf-8"))
    return [hook for repo in config["repos"] for hook in repo["hooks"]]


@pytest.mark.parametrize("hook", pre_commit_hooks(), ids=lambda hook: hook["id"])
def test_pre_commit_hook_uses_the_projects_own_tools(hook):
    command = shlex.split(hook["entry"])
    assert hook["language"] == "system"
    assert command[0].startswith(".venv/bin/") and (ROOT / command[0]).exists()


def files_for(hook: dict) -> list[str]:
    """The tracked files pre-commit would pass to `hook` on `pre-commit run --all-files`."""
    tracked = subprocess.run(["git", "ls-files"], cwd=ROOT, capture_output=True, text=True, check=True)
    files = [name for name in tracked.stdout.splitlines() if (ROOT / name).is_file()]
    if "files" in hook:
        files = [name for name in files if re.search(hook["files"], name)]
    if hook.get("types") == ["python"]:
        files = [name for name in files if name.endswith(".py")]
    return files


@pytest.mark.parametrize("hook_id", ["ruff-check", "validate-catalogue", "actionlint"])
def test_pre_commit_hook_passes_on_the_repository(hook_id):
    hook = next(hook for hook in pre_commit_hooks() if hook["id"] == hook_id)
    files = files_for(hook)
    assert files, f"{hook_id} would check no file"
    arguments = [] if hook.get("pass_filenames") is False else files
    result = subprocess.run(
        [*shlex.split(hook["entry"]), *arguments], cwd=ROOT, capture_output=True, text=True, timeout=120
    )
    assert result.returncode == 0, result.stdout + result.stderr


def test_validate_hook_runs_when_the_catalogue_changes():
    hook = next(hook for hook in pre_commit_hooks() if hook["id"] == "validate-catalogue")
    assert re.search(hook["files"], Path(DEFAULT_CATALOGUE).relative_to(ROOT).as_posix())
