"""'Cite this entry': the entry itself in BibTeX, CSL-JSON and plain text; the model's paper by its identifier."""

from __future__ import annotations

import dataclasses
import json
import re

import pytest

from ohm.catalog.catalogue import Link, build_catalogue
from ohm.catalog.load import load_catalogue
from ohm.site.citation import citation, entry_citation

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


# "Cite this entry": the entry itself, as a page of the catalogue.

BIBTEX_FIELD = re.compile(r"^  (\w+) = \{(.*)\},$")


def bibtex_fields(bibtex: str) -> dict[str, str]:
    """The fields of one @misc entry written one a line, each line checked to be one."""
    first, *lines, last = bibtex.splitlines()
    assert re.fullmatch(r"@misc\{[\w-]+,", first) and last == "}"
    matches = [BIBTEX_FIELD.match(line) for line in lines]
    assert all(matches), lines
    return {m.group(1): m.group(2) for m in matches if m}


def test_an_entry_is_cited_with_its_title_catalogue_address_verified_day_and_release(zeta):
    cite = entry_citation(zeta, "Open Health Models", "https://ohm.example.org/models/zeta-lm/", "v2026.12.0")
    fields = bibtex_fields(cite.bibtex)
    assert cite.bibtex.startswith("@misc{ohm-zeta-lm,")
    assert fields["title"] == "Zeta LM --- Open Health Models catalogue entry"
    assert fields["howpublished"] == "Open Health Models"
    assert fields["url"] == "https://ohm.example.org/models/zeta-lm/"
    assert fields["date"] == zeta.verified and fields["year"] == zeta.verified[:4]
    assert fields["version"] == "v2026.12.0"

    (item,) = json.loads(cite.csl_json)
    assert item["title"] == "Zeta LM — Open Health Models catalogue entry"
    assert item["container-title"] == "Open Health Models"
    assert item["URL"] == "https://ohm.example.org/models/zeta-lm/"
    assert item["issued"] == {"date-parts": [[int(part) for part in zeta.verified.split("-")]]}
    assert item["version"] == "v2026.12.0"
    assert "v2026.12.0" in cite.text and zeta.verified in cite.text


def test_a_build_that_is_no_release_names_no_version(zeta):
    cite = entry_citation(zeta, "Open Health Models", "models/zeta-lm/", None)
    assert "version" not in bibtex_fields(cite.bibtex)
    assert "version" not in json.loads(cite.csl_json)[0]
    assert "release" not in cite.text


def test_an_entry_without_a_paper_is_still_cited(zeta):
    model = dataclasses.replace(zeta, links=tuple(link for link in zeta.links if link.kind != "paper"))
    assert entry_citation(model, "Open Health Models", "models/zeta-lm/", None).bibtex


def test_entry_text_that_means_something_to_bibtex_is_escaped_and_json_stays_json(zeta):
    model = dataclasses.replace(zeta, name='R&D {x} "q" 100%')
    cite = entry_citation(model, "Cat_alogue", "models/zeta-lm/", "v1")
    assert bibtex_fields(cite.bibtex)["title"] == 'R\\&D \\{x\\} "q" 100\\% --- Cat\\_alogue catalogue entry'
    assert json.loads(cite.csl_json)[0]["title"] == 'R&D {x} "q" 100% — Cat_alogue catalogue entry'
