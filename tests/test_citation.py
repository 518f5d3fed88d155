"""'Cite this entry': the model's paper by its identifier, in BibTeX and plain text."""

from __future__ import annotations

import dataclasses

import pytest

from ohm.catalog.catalogue import Link, build_catalogue
from ohm.catalog.load import load_catalogue
from ohm.site.citation import citation

from .conftest import SMALL_CATALOGUE


@pytest.fixture(scope="module")
def zeta():
    loaded = load_catalogue(SMALL_CATALOGUE)
    return next(m for m in build_catalogue(loaded.data).models if m.id == "zeta-lm")


def with_paper(model, url: str):
    links = (*(link for link in model.links if link.kind != "paper"), Link("paper", "Paper", url))
    return dataclasses.replace(model, links=links)


def test_an_arxiv_paper_is_cited_by_its_eprint_id(zeta):
    cite = citation(with_paper(zeta, "https://arxiv.org/abs/2212.04356v2"))
    assert cite.bibtex.splitlines() == [
        "@misc{zeta-lm,",
        "  title = {Zeta LM},",
        "  author = {{Example Lab}},",
        "  eprint = {2212.04356},",
        "  archiveprefix = {arXiv},",
        "  url = {https://arxiv.org/abs/2212.04356v2},",
        "  note = {Paper describing Zeta LM},",
        "}",
    ]
    assert cite.text == "Example Lab. Zeta LM. Paper: arXiv:2212.04356 (https://arxiv.org/abs/2212.04356v2)."


def test_a_doi_is_cited_as_a_doi(zeta):
    cite = citation(with_paper(zeta, "https://doi.org/10.1093/bib/bbac409"))
    assert "  doi = {10.1093/bib/bbac409}," in cite.bibtex.splitlines()
    assert "eprint" not in cite.bibtex
    assert (
        cite.text
        == "Example Lab. Zeta LM. Paper: doi:10.1093/bib/bbac409 (https://doi.org/10.1093/bib/bbac409)."
    )


def test_another_page_is_cited_by_its_address(zeta):
    cite = citation(with_paper(zeta, "https://ai.example.org/research/zeta"))
    assert "doi" not in cite.bibtex and "eprint" not in cite.bibtex
    assert cite.text == "Example Lab. Zeta LM. Paper: https://ai.example.org/research/zeta."


def test_text_that_means_something_to_bibtex_is_escaped(zeta):
    model = dataclasses.replace(
        with_paper(zeta, "https://x.org/p"), name="R&D {x} 100% _y_ \\z", developer=None
    )
    lines = citation(model).bibtex.splitlines()
    assert lines[1] == "  title = {R\\&D \\{x\\} 100\\% \\_y\\_ \\textbackslash{}z},"
    assert not any(line.startswith("  author") for line in lines)


def test_no_paper_no_citation(zeta):
    model = dataclasses.replace(zeta, links=tuple(link for link in zeta.links if link.kind != "paper"))
    assert citation(model) is None
