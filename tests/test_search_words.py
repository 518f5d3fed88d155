"""The words and filters the site's search finds a model page under (ohm.site.render.search_keywords,
page_meta), read from the entry's facts."""

from __future__ import annotations

import dataclasses

import pytest

from ohm.catalog import DEFAULT_CATALOGUE, open_catalogue
from ohm.catalog.catalogue import Catalogue, Clearance, Model
from ohm.site.pages import model_page
from ohm.site.render import page_meta, search_keywords


@pytest.fixture(scope="module")
def catalogue() -> Catalogue:
    return open_catalogue(DEFAULT_CATALOGUE).typed


def model(catalogue: Catalogue, model_id: str) -> Model:
    return next(m for m in catalogue.models if m.id == model_id)


def test_languages_are_found_by_name_as_well_as_code(catalogue):
    whisper = model(catalogue, "whisper")
    assert "de" in (whisper.languages or ())
    words = search_keywords(catalogue, whisper)
    assert {"German", "English"} <= set(words)
    unknown = dataclasses.replace(whisper, languages=None)
    assert "German" not in search_keywords(catalogue, unknown)


def test_subcategory_keywords_add_no_imaging_modality_a_model_lacks(catalogue):
    xray_only = next(m for m in catalogue.models if m.imaging_modalities == ("X-ray",))
    assert "MRI" in catalogue.keywords(xray_only)  # its subcategory declares it
    words = search_keywords(catalogue, xray_only)
    assert "MRI" not in words and "CT" not in words
    assert {"X-ray", "chest X-ray", "radiology"} <= set(words)
    # Stated with MR, the same model is found under MRI; not stated at all, under every keyword.
    assert "MRI" in search_keywords(
        catalogue, dataclasses.replace(xray_only, imaging_modalities=("X-ray", "MR"))
    )
    assert "MRI" in search_keywords(catalogue, dataclasses.replace(xray_only, imaging_modalities=()))


def test_a_clearance_makes_the_model_found_under_regulatory_words(catalogue):
    nnunet = model(catalogue, "nnu-net")
    assert not {"cleared", "FDA"} & set(search_keywords(catalogue, nnunet))
    cleared = dataclasses.replace(
        nnunet, regulatory=(Clearance(jurisdiction="FDA", status="510(k) cleared"),)
    )
    assert {"cleared", "clearance", "FDA", "510(k) cleared"} <= set(search_keywords(catalogue, cleared))


def test_commercial_use_and_access_are_filters_and_allowed_is_a_strong_word(catalogue):
    meta = page_meta(catalogue)
    for entry in catalogue.models:
        page = meta[model_page(entry.id)]
        assert page["filters"] == [
            ["Commercial use", entry.commercial_use_label],
            ["Access", entry.access_label],
        ]
        assert bool(page["strong_tags"]) == (entry.commercial_use == "allowed")
        # The verdict is not a word of the page's search tags.
        assert entry.commercial_use_label not in page["tags"]
