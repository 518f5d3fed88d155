"""The comparison table's compact index and the facts each row shows (ohm/site/table_index.py, table.py)."""

from __future__ import annotations

import json

import pytest
import yaml

from ohm.catalog import DEFAULT_CATALOGUE, open_catalogue
from ohm.catalog.catalogue import build_catalogue
from ohm.catalog.evidence import EVALUATION_KINDS, NO_EVIDENCE
from ohm.site import table
from ohm.site.pages import COMPLETE_LIST_ROWS, TABLE_INDEX, TABLE_TEXT, all_models_page
from ohm.site.render import render_pages
from ohm.site.table_index import ALPHABET, column, decode, table_files, table_index, table_text

from .conftest import catalogue_with_models


def real():
    return open_catalogue(DEFAULT_CATALOGUE).typed


def test_a_column_decodes_to_its_values_in_both_encodings():
    few = ["a", "b", "a", "c"]
    assert column(few)["i"] == "0102" and decode(column(few)) == few
    many = [str(n) for n in range(len(ALPHABET) + 1)] * 2
    assert isinstance(column(many)["i"], list) and decode(column(many)) == many


def test_the_index_holds_every_row_as_the_page_writes_it():
    catalogue = real()
    index = table_index(catalogue)
    assert index["id"] == [m.id for m in catalogue.models]
    cells = [decode(c) for c in index["c"]]
    for at, model in enumerate(catalogue.models):
        row = table.row_cells(catalogue, model)
        assert [cells[c][at] for c in range(len(cells))] == [row[col.key] for col in table.COLUMNS[1:]]
        assert {name: decode(index["f"][name])[at] for name in index["f"]} == table.row_values(model)
        assert decode(index["r"])[at] == table.verdict_reason(model)
    use = index["c"][0]
    assert use["s"] == sorted(use["s"])  # the verdicts in the order the column sorts them


@pytest.mark.slow
def test_the_index_grows_by_less_than_a_hundred_bytes_a_model():
    small = build_catalogue(yaml.safe_load(catalogue_with_models(100)))
    large = build_catalogue(yaml.safe_load(catalogue_with_models(1000)))
    small_size = len(table_files(small)[TABLE_INDEX].encode())
    large_size = len(table_files(large)[TABLE_INDEX].encode())
    assert (large_size - small_size) / 900 < 100
    assert json.loads(table_files(large)[TABLE_TEXT]) == table_text(large)


def test_the_evidence_filter_reads_its_order_from_the_evidence_module():
    assert (NO_EVIDENCE, *EVALUATION_KINDS) == table.EVIDENCE_ORDER
    evidence = next(f for f in table.FILTERS if f.name == "evidence")
    assert evidence.mode == "at-least"
    assert [value for value, _ in table.filter_choices(real(), evidence, real().models)] == list(
        table.EVIDENCE_ORDER
    )


def test_every_licence_cell_names_its_artefact_and_every_verdict_its_reason():
    for model in real().models:
        cell = table.licence_cell(model)
        assert cell.startswith(("weights: ", "code: ")), (model.id, cell)
        assert table.verdict_reason(model), model.id


def test_search_words_are_matched_from_their_start_and_non_joins_its_word():
    assert table.normalise("Non-commercial use, CC BY-NC") == "noncommercial use cc by nc"
    assert table.normalise("not allowed") == "notallowed"
    assert table.normalise("Ärzte: X-ray") == "arzte x ray"


@pytest.mark.slow
def test_the_complete_list_is_split_so_no_part_grows_with_the_catalogue(tmp_path):
    count = 2 * COMPLETE_LIST_ROWS + 7
    path = tmp_path / "models.yaml"
    path.write_text(catalogue_with_models(count), encoding="utf-8")
    catalogue = open_catalogue(path).typed
    pages = render_pages(catalogue)
    parts = [all_models_page(n) for n in (1, 2, 3)]
    assert all(part in pages for part in parts) and all_models_page(4) not in pages
    rows = [pages[part].count("<tr id=") for part in parts]
    assert rows == [COMPLETE_LIST_ROWS, COMPLETE_LIST_ROWS, 7]
    assert "[Part 3](_all-3.md)" in pages[parts[0]] and "[Part 1](index.md)" in pages[parts[2]]
