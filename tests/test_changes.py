"""What a pull request does to the catalogue: the entry diff, git as the base, the summary text."""

from __future__ import annotations

import copy
import json
import subprocess
from pathlib import Path

import pytest

from ohm.catalog.changes import (
    CatalogueChanges,
    EntryChange,
    GitError,
    compare,
    read_from_git,
    summary_markdown,
)
from ohm.catalog.load import load_catalogue

from .conftest import SMALL_CATALOGUE, run_ohm


@pytest.fixture
def base() -> dict:
    return load_catalogue(SMALL_CATALOGUE).data


def test_added_changed_and_removed_entries_by_id(base):
    head = copy.deepcopy(base)
    head["models"][0]["links"]["paper"] = "https://arxiv.org/abs/9999.99999"
    head["models"][0]["verified"] = "2026-02-01"
    removed = head["models"].pop(1)
    head["models"].append({**copy.deepcopy(base["models"][2]), "id": "new-one", "name": "New One"})
    changes = compare(base, head)
    assert changes.added == (EntryChange("new-one", "New One"),)
    assert changes.changed == (EntryChange("zeta-lm", "Zeta LM", ("links.paper", "verified")),)
    assert changes.removed == (EntryChange(removed["id"], removed["name"]),)
    assert changes.ids_to_check == ["new-one", "zeta-lm"]
    assert changes.declarations == ()


def test_moving_an_entry_is_no_change(base):
    head = copy.deepcopy(base)
    head["models"].reverse()
    assert compare(base, head) == CatalogueChanges()


def test_a_new_catalogue_adds_everything(base):
    changes = compare(None, base)
    assert [entry.id for entry in changes.added] == ["zeta-lm", "alpha-bert", "seg-net"]
    assert changes.declarations == ("catalogue", "licenses", "categories")


def test_changed_declarations_are_named(base):
    head = copy.deepcopy(base)
    head["licenses"][0]["name"] = "Apache 2"
    assert compare(base, head).declarations == ("licenses",)


def test_summary_says_what_the_change_does():
    changes = CatalogueChanges(
        added=(EntryChange("alpha-bert", "Alpha BERT"), EntryChange("zeta-lm", "Zeta LM")),
        changed=(EntryChange("seg-net", "SegNet", ("links.docs", "verified")),),
        removed=(EntryChange("old", "Old *Model*"),),
        declarations=("licenses",),
    )
    assert summary_markdown(changes) == (
        "### Catalogue changes\n"
        "\n"
        "- **2 models added:** Alpha BERT (`alpha-bert`), Zeta LM (`zeta-lm`).\n"
        "- **1 model changed:** SegNet (`seg-net`: links.docs, verified).\n"
        "- **1 model removed:** Old \\*Model\\* (`old`).\n"
        "\n"
        "Also changed: `licenses`.\n"
    )


def test_summary_of_no_change():
    assert (
        summary_markdown(CatalogueChanges())
        == "### Catalogue changes\n\nNo models added, changed or removed.\n"
    )


# --- Against a real git history --------------------------------------------------------------


def git(repo: Path, *args: str) -> str:
    env_args = ["-c", "user.name=Test", "-c", "user.email=test@example.org", "-c", "commit.gpgsign=false"]
    result = subprocess.run(["git", *env_args, *args], cwd=repo, capture_output=True, text=True, check=True)
    return result.stdout


@pytest.fixture
def repo(tmp_path) -> Path:
    repo = tmp_path / "repo"
    (repo / "data").mkdir(parents=True)
    git(repo, "init", "-q", "-b", "main")
    (repo / "data" / "models.yaml").write_text(SMALL_CATALOGUE.read_text())
    git(repo, "add", ".")
    git(repo, "commit", "-q", "-m", "base")
    return repo


def changed(repo: Path, *args: str) -> subprocess.CompletedProcess[str]:
    return run_ohm("changed", "--catalogue", str(repo / "data" / "models.yaml"), *args)


def test_changed_ids_against_a_git_ref(repo):
    catalogue = repo / "data" / "models.yaml"
    text = catalogue.read_text().replace(
        "https://github.com/example/alpha-bert", "https://github.com/example/ab"
    )
    seg_net = text[text.index("  - id: seg-net") :]
    catalogue.write_text(
        text + seg_net.replace("id: seg-net", "id: seg-2").replace("SegNet Example", "Seg Two")
    )
    result = changed(repo, "--base", "main", "--format", "ids")
    assert result.returncode == 0, result.stderr
    assert result.stdout == "seg-2\nalpha-bert\n"  # added first, then changed


def test_changed_summary_and_json_from_git(repo):
    catalogue = repo / "data" / "models.yaml"
    catalogue.write_text(catalogue.read_text().replace("verified: 2026-01-20", "verified: 2026-01-25"))
    summary = changed(repo, "--base", "HEAD")
    assert summary.returncode == 0, summary.stderr
    assert summary.stdout == (
        "### Catalogue changes\n\n- **1 model changed:** Alpha BERT (`alpha-bert`: verified).\n"
    )
    as_json = json.loads(changed(repo, "--base", "HEAD", "--format", "json").stdout)
    assert as_json["ids_to_check"] == ["alpha-bert"]
    assert as_json["changed"] == [{"id": "alpha-bert", "name": "Alpha BERT", "fields": ["verified"]}]


def test_no_change_prints_no_ids(repo):
    result = changed(repo, "--base", "HEAD", "--format", "ids")
    assert (result.returncode, result.stdout) == (0, "")


def test_a_file_new_since_the_base_adds_every_entry(repo):
    git(repo, "mv", "data/models.yaml", "data/other.yaml")
    git(repo, "commit", "-q", "-m", "move")
    (repo / "data" / "models.yaml").write_text(SMALL_CATALOGUE.read_text())
    assert read_from_git("HEAD", repo / "data" / "models.yaml") is None
    result = changed(repo, "--base", "HEAD", "--format", "ids")
    assert result.stdout.split() == ["zeta-lm", "alpha-bert", "seg-net"]


def test_an_unknown_ref_is_a_clear_error(repo):
    with pytest.raises(GitError, match="unknown git revision 'nope'"):
        read_from_git("nope", repo / "data" / "models.yaml")
    result = changed(repo, "--base", "nope")
    assert result.returncode == 2
    assert result.stderr.startswith("changed: unknown git revision 'nope'; fetch it first")
    assert "Traceback" not in result.stderr


def test_broken_yaml_at_head_is_reported_not_compared(repo):
    catalogue = repo / "data" / "models.yaml"
    catalogue.write_text(
        catalogue.read_text().replace("  - id: alpha-bert", "  - id: alpha-bert\n   bad: indent")
    )
    result = changed(repo, "--base", "HEAD")
    assert result.returncode == 1
    assert "YAML syntax error" in result.stderr
