"""Shared paths and helpers for the tests."""

from __future__ import annotations

import copy
import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
import yaml

ROOT = Path(__file__).resolve().parents[1]
FIXTURES = ROOT / "tests" / "fixtures"
SMALL_CATALOGUE = FIXTURES / "catalogues" / "small.yaml"
MINIMAL_CATALOGUE = FIXTURES / "catalogues" / "minimal.yaml"

# The parts of the project a site build needs, copied into a scratch project.
PROJECT_PARTS = ["mkdocs.yml", "docs", "templates", "data/models.schema.json", "CONTRIBUTING.md"]


def make_project(destination: Path, catalogue_text: str) -> Path:
    """A copy of the project in `destination` whose data/models.yaml is `catalogue_text`."""
    for part in PROJECT_PARTS:
        source, target = ROOT / part, destination / part
        target.parent.mkdir(parents=True, exist_ok=True)
        if source.is_dir():
            shutil.copytree(source, target, ignore=shutil.ignore_patterns("__pycache__"))
        else:
            shutil.copy2(source, target)
    (destination / "data" / "models.yaml").write_text(catalogue_text, encoding="utf-8")
    return destination


def catalogue_with_models(count: int) -> str:
    """The small catalogue as YAML with `count` models: copies of its entries under new ids and names."""
    data = yaml.safe_load(SMALL_CATALOGUE.read_text(encoding="utf-8"))
    entries = data["models"]
    data["models"] = [
        {**copy.deepcopy(entries[n % len(entries)]), "id": f"model-{n:04d}", "name": f"Model {n:04d}"}
        for n in range(count)
    ]
    return yaml.safe_dump(data, sort_keys=False, allow_unicode=True)


# Variables mkdocs.yml reads; a build in a test sets them itself or leaves them unset.
SITE_ENV = ("SITE_URL", "REPO_URL", "EDIT_URI", "OHM_FRESHNESS")


def run_mkdocs(
    project: Path, *args: str, site_dir: Path | None = None, env: dict[str, str] | None = None
) -> subprocess.CompletedProcess[str]:
    """Run the real `mkdocs build --strict` in `project`."""
    command = [sys.executable, "-m", "mkdocs", "build", "--strict", *args]
    if site_dir is not None:
        command += ["--site-dir", str(site_dir)]
    inherited = {name: value for name, value in os.environ.items() if name not in SITE_ENV}
    # Material's end-of-life notice (see the README) is for people; here it would only
    # pad every failed build's message, so tests alone switch it off.
    env = {**inherited, "NO_MKDOCS_2_WARNING": "1", **(env or {})}
    return subprocess.run(command, cwd=project, env=env, capture_output=True, text=True, timeout=300)


@pytest.fixture
def small_project(tmp_path: Path) -> Path:
    return make_project(tmp_path / "project", SMALL_CATALOGUE.read_text(encoding="utf-8"))


# Whole modules that build real sites or drive a browser: left out by `-m "not slow"`.
SLOW_MODULES = {"test_browser.py", "test_site.py", "test_publishing.py"}


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    for item in items:
        if item.path.name in SLOW_MODULES:
            item.add_marker(pytest.mark.slow)
