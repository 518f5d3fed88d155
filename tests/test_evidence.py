"""Catalogue schema 3: the evidence of each fact, as the checks accept it and the typed catalogue reads it."""

from __future__ import annotations

import pytest

from ohm.catalog import open_catalogue
from ohm.catalog.evidence import Citation, Evidence, pinned_revision, pinning_problem
from ohm.catalog.load import load_catalogue
from ohm.catalog.validate import validate

from .conftest import FIXTURES, SMALL_CATALOGUE

SHA = "0123456789abcdef0123456789abcdef01234567"
README = f"https://github.com/example/example-asr/blob/{SHA}/README.md"
TREE = f"https://github.com/example/example-asr/tree/{SHA}"


def problems_of(text: str, tmp_path) -> list[str]:
    path = tmp_path / "models.yaml"
    path.write_text(text, encoding="utf-8")
    return [problem.message for problem in validate(load_catalogue(path))]


def fixture_text(name: str) -> str:
    text = (FIXTURES / "invalid" / f"{name}.yaml").read_text(encoding="utf-8")
    return text.split("\n#\n# expect:", 1)[0] + "\n"


@pytest.mark.parametrize("cited", [True, False], ids=["cited", "checked"])
def test_no_licence_stated_is_shown_by_the_repository_tree(tmp_path, cited: bool):
    text = fixture_text("evidence-none-stated-without-tree")
    text = text.replace(
        f"sources: [https://github.com/example/example-asr, {README}]", f"sources: [{README}, {TREE}]"
    )
    backing = (
        f"[{{source: {TREE}, quote: LICENSE is not among the files.}}]" if cited else f"{{checked: [{TREE}]}}"
    )
    text = text.replace(f"licenses.code: [{{source: {README}, quote: The README names no licence.}}]",
                        f"licenses.code: {backing}")  # fmt: skip
    assert problems_of(text, tmp_path) == []


def test_each_fixed_problem_leaves_none(tmp_path):
    """The fixtures differ from a complete entry by their one problem: with it mended, nothing is left."""
    text = fixture_text("evidence-without-second-reader").replace(
        "    verified: 2026-01-01\n", "    verified: 2026-01-01\n    second_reader: 2026-01-02\n"
    )
    assert problems_of(text, tmp_path) == []


def test_evaluations_with_their_own_quotes_take_no_evidence_key(tmp_path):
    text = fixture_text("evidence-without-second-reader").replace(
        "    evidence:\n",
        f"    second_reader: 2026-01-02\n    evidence:\n      evaluations: {{checked: [{README}]}}\n",
    )
    assert problems_of(text, tmp_path) == [
        "each evaluation carries its own source and quote; remove this key"
    ]


def test_a_hub_tree_page_backs_the_formats_it_lists_and_what_was_read(tmp_path):
    """Its file list is the revision's: it may show the formats, and be listed as read."""
    hub_tree = f"https://huggingface.co/example/example-asr/tree/{SHA}"
    text = fixture_text("evidence-hub-tree-licence")
    text = text.replace(
        f"licenses.weights: [{{source: {hub_tree}, quote: 'License: mit'}}]",
        f"licenses.weights: [{{source: {README}, quote: Released under the MIT License.}}]",
    )
    text = text.replace(
        f"deployment.formats: {{checked: [{README}]}}", f"deployment.formats: {{checked: [{hub_tree}]}}"
    )
    assert problems_of(text, tmp_path) == []
    text = text.replace(
        "formats: unknown}", "formats: [safetensors]}"
    ).replace(f"deployment.formats: {{checked: [{hub_tree}]}}",
              f"deployment.formats: [{{source: {hub_tree}, quote: model.safetensors}}]")  # fmt: skip
    assert problems_of(text, tmp_path) == []


@pytest.mark.parametrize(
    ("url", "revision"),
    [
        (README, SHA),
        (TREE, SHA),
        (f"https://raw.githubusercontent.com/o/r/{SHA}/LICENSE", SHA),
        (f"https://huggingface.co/o/r/resolve/{SHA}/config.json", SHA),
        (f"https://huggingface.co/datasets/o/r/blob/{SHA}/README.md", SHA),
        ("https://github.com/o/r/blob/main/README.md", None),
        ("https://huggingface.co/o/r", None),
        ("https://arxiv.org/abs/2304.12306v3", None),
        (f"https://example.org/{SHA}/page", None),
    ],
)
def test_the_pinned_revision_of_a_source(url: str, revision: str | None):
    assert pinned_revision(url) == revision


def test_unpinned_forms_are_refused_and_other_hosts_taken_as_written():
    assert pinning_problem("https://github.com/o/r") is not None
    assert pinning_problem("https://github.com/o/r/issues/1") is not None
    assert pinning_problem("https://huggingface.co/o/r/discussions/2") is not None
    assert pinning_problem("https://arxiv.org/abs/2304.12306") is not None
    assert pinning_problem("https://doi.org/10.1148/ryai.230024") is None


def test_the_typed_catalogue_reads_evidence_status_and_kinds():
    catalogue = open_catalogue(SMALL_CATALOGUE).typed
    assert catalogue is not None
    models = {model.id: model for model in catalogue.models}
    alpha, zeta = models["alpha-bert"], models["zeta-lm"]
    assert (alpha.evidence_status, alpha.second_reader) == ("complete", "2026-01-21")
    readme = f"https://github.com/example/alpha-bert/blob/{'1' * 40}/README.md"
    assert alpha.evidence["access"] == Evidence(
        "access",
        citations=(
            Citation(readme, "Download the weights from the releases page; no registration is needed."),
        ),
    )
    assert alpha.evidence["phi_exposure"].silent and alpha.evidence["phi_exposure"].checked == (readme,)
    assert (zeta.evidence_status, zeta.evidence, zeta.second_reader) == ("pending", {}, None)
    assert [(e.kind, e.quote) for e in zeta.evaluations or ()] == [("benchmark", None)]
    assert (zeta.evidence_level, alpha.evidence_level) == ("benchmark", "none")
    assert zeta.commercial_use_decided_by == ("weights", "variant Zeta LM 1B", "variant Zeta LM 7B")
