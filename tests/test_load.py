"""Stage 1: safe YAML loading with line numbers."""

from __future__ import annotations

from pathlib import Path

from ohm.catalog.load import LoadedCatalogue, load_catalogue, parse_catalogue


def parse(text: str) -> LoadedCatalogue:
    return parse_catalogue(text, LoadedCatalogue(file="c.yaml"))


def messages(loaded: LoadedCatalogue) -> list[str]:
    return [str(problem) for problem in loaded.problems]


def test_records_the_line_of_every_key_and_list_item():
    loaded = parse("models:\n  - id: a\n    links:\n      repository: https://x.org\n  - id: b\n")
    assert loaded.lines[("models",)] == 1
    assert loaded.lines[("models", 0)] == 2
    assert loaded.lines[("models", 0, "links", "repository")] == 4
    assert loaded.lines[("models", 1, "id")] == 5


def test_line_of_a_missing_field_is_the_line_of_its_entry():
    loaded = parse("models:\n  - id: a\n  - id: b\n    name: B\n")
    assert loaded.line_of(("models", 1, "description")) == 3


def test_problems_name_the_entry_by_its_id_or_its_position():
    loaded = parse("models:\n  - id: whisper\n  - name: no id\n")
    assert (
        str(loaded.problem(("models", 0, "links", "paper"), "bad")) == "c.yaml:2: whisper: links.paper: bad"
    )
    assert str(loaded.problem(("models", 1, "id"), "missing")) == "c.yaml:3: models #2: id: missing"
    assert str(loaded.problem(("catalogue", "title"), "bad")) == "c.yaml:1: catalogue.title: bad"


def test_dates_stay_text_and_plain_values_keep_their_types():
    loaded = parse("verified: 2026-02-06\ncount: 3\nflag: no\n")
    assert loaded.data == {"verified": "2026-02-06", "count": 3, "flag": False}


def test_every_duplicate_key_is_reported_with_both_lines():
    loaded = parse("a: 1\nb:\n  c: 1\n  c: 2\na: 3\n")
    assert messages(loaded) == [
        "c.yaml:4: b.c: duplicate key 'c' (first defined on line 3); keep one",
        "c.yaml:5: a: duplicate key 'a' (first defined on line 1); keep one",
    ]


def test_merge_keys_may_be_overridden_without_a_duplicate_report():
    loaded = parse("base: &base {x: 1}\nitem:\n  <<: *base\n  x: 2\n")
    assert loaded.problems == []
    assert loaded.data["item"] == {"x": 2}


def test_syntax_error_names_the_line():
    assert messages(parse("a: [1, 2\nb: 3\n")) == [
        "c.yaml:2: YAML syntax error: expected ',' or ']', but got ':' (while parsing a flow sequence on line 1)"
    ]


def test_alias_bomb_is_rejected_before_expansion():
    levels = ["a0: &a0 [x, x, x, x, x, x, x, x, x, x]"]
    levels += [f"a{i}: &a{i} [{', '.join([f'*a{i - 1}'] * 10)}]" for i in range(1, 9)]
    loaded = parse("\n".join(levels) + "\n")  # would expand to over a billion nodes
    assert loaded.data is None
    assert len(loaded.problems) == 1
    assert "aliases expand to" in loaded.problems[0].message
    assert "limit 200,000" in loaded.problems[0].message


def test_a_few_aliases_are_fine():
    loaded = parse("a: &a [1, 2]\nb: *a\n")
    assert loaded.problems == []
    assert loaded.data == {"a": [1, 2], "b": [1, 2]}


def test_unsafe_and_unknown_tags_are_reported_not_constructed():
    loaded = parse("a: !!python/object/apply:os.system ['touch /tmp/pwned']\nb: !custom x\n")
    assert loaded.data is None
    assert messages(loaded) == [
        "c.yaml:1: YAML tag '!!python/object/apply:os.system' is not allowed",
        "c.yaml:2: YAML tag '!custom' is not allowed",
    ]


def test_empty_file_and_several_documents_are_reported():
    assert messages(parse("")) == ["c.yaml: file is empty"]
    assert messages(parse("# only a comment\n")) == ["c.yaml: file is empty"]
    assert messages(parse("a: 1\n---\nb: 2\n")) == [
        "c.yaml:2: YAML syntax error: but found another document (expected a single document in the stream on line 1)"
    ]


def test_missing_and_non_utf8_files(tmp_path: Path):
    assert [p.message for p in load_catalogue(tmp_path / "nope.yaml").problems] == ["file not found"]
    latin1 = tmp_path / "latin1.yaml"
    latin1.write_bytes("name: Gr\xfcn\n".encode("latin-1"))
    assert [p.message for p in load_catalogue(latin1).problems] == [
        "not valid UTF-8 (byte 8): save the file as UTF-8"
    ]
