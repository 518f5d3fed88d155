"""Stage 1: safe YAML loading with line numbers."""

from __future__ import annotations

import json
import random
from collections.abc import Iterator
from pathlib import Path

import pytest

from ohm.catalog import load, vocabulary
from ohm.catalog.catalogue import build_catalogue
from ohm.catalog.load import LoadedCatalogue, display_name, load_catalogue, parse_catalogue
from ohm.catalog.validate import validate
from ohm.site.export import catalogue_json

from .conftest import MINIMAL_CATALOGUE, SMALL_CATALOGUE


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


def test_merge_of_several_mappings_lets_the_first_win():
    loaded = parse("a: &a {x: 1, y: 1}\nb: &b {x: 2, z: 2}\nitem:\n  <<: [*a, *b]\n  w: 0\n")
    assert loaded.data["item"] == {"x": 1, "y": 1, "z": 2, "w": 0}
    assert messages(parse("item:\n  <<: 3\n")) == [
        "c.yaml:2: item: << must be followed by an alias of a mapping"
    ]
    assert parse("a: <<\n").data == {"a": "<<"}  # as a value it is text


def test_keys_that_are_not_text_are_one_problem_each_and_left_out():
    loaded = parse("1: a\n~: b\nfalse: c\n? [x]\n: d\n'2': e\n")
    assert messages(loaded) == [
        "c.yaml:1: keys must be text: '1' is read as a number; put it in quotes if it is meant",
        "c.yaml:2: keys must be text: '~' is read as nothing (null); put it in quotes if it is meant",
        "c.yaml:3: keys must be text: 'false' is read as true or false; put it in quotes if it is meant",
        "c.yaml:4: keys must be text, not a list",
    ]
    assert loaded.data == {"2": "e"}


def test_nesting_is_limited_whichever_parser_stops_first():
    for depth in (51, 999, 5_000):
        loaded = parse("a: " + "[" * depth + "]" * depth + "\n")
        assert messages(loaded) == ["c.yaml:1: nested more than 50 levels deep; an entry needs a few"]
    assert parse("a: " + "[" * 49 + "]" * 49 + "\n").problems == []


def test_control_characters_and_surrogates():
    assert messages(parse("a: 1\nb: x\x00y\x85\n")) == [
        "c.yaml:2: control character U+0000 is not allowed in the file; remove it",
        "c.yaml:2: control character U+0085 is not allowed in the file; remove it",
    ]
    assert len(parse("\x00" * 1_000).problems) == 10  # the first ten, not a flood
    escaped = parse('a: "x\\x07y"\n')
    assert messages(escaped) == [
        "c.yaml:1: a: contains control character U+0007 (written as an escape); remove it"
    ]
    assert escaped.data == {"a": "xy"}  # reported once, not again by validation
    assert messages(parse('a: "\\udc00"\n')) == [
        "c.yaml:1: a \\u or \\U escape is not a character (a surrogate, or past U+10FFFF); write the character itself"
    ]
    assert parse("a: tab\there, line\r\n  breaks, \u00e9 and \U0001f600\n").problems == []


def test_syntax_error_names_the_line():
    assert messages(parse("a: [1, 2\nb: 3\n")) == [
        "c.yaml:2: YAML syntax error: did not find expected ',' or ']' (while parsing a flow sequence on line 1)"
    ]


def test_alias_bomb_is_rejected_before_expansion():
    levels = ["a0: &a0 [x, x, x, x, x, x, x, x, x, x]"]
    levels += [f"a{i}: &a{i} [{', '.join([f'*a{i - 1}'] * 10)}]" for i in range(1, 9)]
    loaded = parse("\n".join(levels) + "\n")  # would expand to over a billion nodes
    assert loaded.data is None
    assert len(loaded.problems) == 1
    assert "aliases expand to" in loaded.problems[0].message
    assert "limit 200,000" in loaded.problems[0].message


def test_alias_limit_counts_expansion_not_document_size():
    written_out = "items:\n" + "- {a: 1, b: 2}\n" * 70_000  # 350,000 nodes, no alias
    assert parse(written_out).problems == []
    repeated = "base: &b {a: 1, b: 2}\nitems:\n" + "- *b\n" * 40_001  # 5 nodes each: 200,005 added
    assert messages(parse(repeated)) == [
        "c.yaml:1: aliases expand to 200,005 nodes (limit 200,000); write entries out instead of repeating anchors"
    ]
    assert parse(repeated.replace("- *b\n", "", 1)).problems == []  # exactly at the limit


def test_an_alias_is_copied_with_the_lines_of_its_anchor():
    loaded = parse("base: &b\n  x: 1\nitem: *b\n")
    assert loaded.data == {"base": {"x": 1}, "item": {"x": 1}}
    assert loaded.lines[("item", "x")] == 2


def test_recursive_alias_is_one_problem():
    assert messages(parse("a: &a [1, *a]\n")) == [
        "c.yaml:1: an alias refers to the node that contains it (recursive alias)"
    ]


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


def test_a_file_that_cannot_be_read_is_the_environments_error_not_a_problem(tmp_path: Path):
    # The commands turn it into one line and exit 2 (tests/test_hostile.py runs them).
    with pytest.raises(IsADirectoryError):
        load_catalogue(tmp_path)
    loop = tmp_path / "loop.yaml"
    loop.symlink_to(loop)  # unreadable whoever reads it, root included
    with pytest.raises(OSError, match="Too many levels of symbolic links"):
        load_catalogue(loop)


def test_input_size_is_capped(tmp_path: Path, monkeypatch: pytest.MonkeyPatch):
    big = tmp_path / "big.yaml"
    big.write_text("a: 1\n" * 300)
    monkeypatch.setattr(load, "MAX_FILE_BYTES", 1024)
    assert [p.message for p in load_catalogue(big).problems] == [
        "is larger than 0 MB, the most a catalogue may be; not read further"
    ]


@pytest.mark.skipif(not Path("/dev/zero").exists(), reason="needs /dev/zero")
def test_an_endless_file_is_not_read_without_limit():
    assert [p.message for p in load_catalogue("/dev/zero").problems] == [
        "is larger than 64 MB, the most a catalogue may be; not read further"
    ]


def test_missing_and_non_utf8_files(tmp_path: Path):
    assert [p.message for p in load_catalogue(tmp_path / "nope.yaml").problems] == ["file not found"]
    latin1 = tmp_path / "latin1.yaml"
    latin1.write_bytes("name: Gr\xfcn\n".encode("latin-1"))
    assert [p.message for p in load_catalogue(latin1).problems] == [
        "not valid UTF-8 (byte 8): save the file as UTF-8"
    ]
    encoded_surrogate = tmp_path / "surrogate.yaml"
    encoded_surrogate.write_bytes(b"a: 1\nb: \xed\xa0\x80\n")
    assert [str(p) for p in load_catalogue(encoded_surrogate).problems] == [
        f"{display_name(encoded_surrogate)}:2: not valid UTF-8 (byte 8): save the file as UTF-8"
    ]


def test_numbers_that_are_not_finite_or_too_long_are_one_problem_each_and_left_empty():
    loaded = parse("a: .nan\nb: -.inf\nc: 1.0e+400\nd: " + "7" * 5000 + "\ne: 12\n")
    assert messages(loaded) == [
        "c.yaml:1: a: must be a finite number (not .nan, .inf or too large to hold)",
        "c.yaml:2: b: must be a finite number (not .nan, .inf or too large to hold)",
        "c.yaml:3: c: must be a finite number (not .nan, .inf or too large to hold)",
        "c.yaml:4: d: a number of 5,000 characters is not allowed (at most 40); put it in quotes if it is text",
    ]
    assert loaded.data == {"a": None, "b": None, "c": None, "d": None, "e": 12}
    assert loaded.refused == {("a",), ("b",), ("c",), ("d",)}


def test_a_value_that_cannot_be_read_as_its_tag_is_one_problem():
    loaded = parse("a: !!int twelve\nb: !!bool maybe\nc: !!float ''\nd: !!map x\ne: !!seq y\n")
    assert messages(loaded) == [
        "c.yaml:1: a: 'twelve' cannot be read as !!int",
        "c.yaml:2: b: 'maybe' cannot be read as !!bool",
        "c.yaml:3: c: '' cannot be read as !!float",
        "c.yaml:4: d: 'x' is a single value, not a list or mapping",
        "c.yaml:5: e: 'y' is a single value, not a list or mapping",
    ]
    assert loaded.data == dict.fromkeys("abcde")


# Bits of YAML a stranger's edit could hold: each is put in place of a value, a line or a key.
FRAGMENTS = [
    ".nan", "-.inf", "1e999", "9" * 4400, "0x" + "f" * 5000, "1:2:3:4:5", "!!int x", "!!float", "!!bool",
    "!!map a", "!!seq a", "!!binary aGk=", "!!python/name:os.system", "!!timestamp 2020-01-01",
    "&a [*a]", "*undefined", "<<: *a", "<<: 1", "<<: [1, 2]", "? [a]\n: b", "? {a: 1}\n: b", "{", "[", "]",
    "- - - -", "a: b: c", '"\\ud800"', '"\\U0010ffff"', '"\\x1b[2J"', "'''", "|\n  text", ">-\n  folded",
    "%YAML 1.1", "---", "...", "\t", "\ufeff", "\u2028", "\x85", "~", "null", "no", "on", "2026-13-45",
    "[" * 60 + "]" * 60, "{a: " * 60 + "}" * 60, "!", "!<tag:yaml.org,2002:str> x", "@", "`", "%",
    "<a" * 50, "https://127.0.0.1/", "javascript:alert(1)", "mixed", "none", "unknown", "about", "index",
    "1", "true", "[]", "{}", "[[a]]", "[{a: 1}]", "{a: [1]}", "[1, [2]]", "[{id: [1], license: {}}]",
]  # fmt: skip
# Fields an entry may have, so that a fragment also lands in fields the base catalogue leaves out.
MODEL_FIELDS = [field.name for field in vocabulary.model_fields()]


# Values of every shape, for each field of an entry in turn.
SHAPES = ["1", "true", "~", ".nan", "[]", "{}", "[1]", "[[a]]", "[{a: 1}]", "{a: [1]}", "mixed", "none"]


def every_field_of_every_shape(text: str) -> Iterator[str]:
    """`text` with its first entry given each field in each shape, one at a time."""
    lines = text.splitlines()
    entry = next(i for i, line in enumerate(lines) if line.startswith("  - id: "))
    for field in MODEL_FIELDS:
        without = [line for line in lines if not line.startswith(f"    {field}:")]
        for shape in SHAPES:
            yield "\n".join([*without[: entry + 1], f"    {field}: {shape}", *without[entry + 1 :]]) + "\n"


def hostile_variants(text: str, count: int, seed: int = 2026) -> Iterator[str]:
    """`count` variations of `text`, each with a fragment or random bytes put in at a random place."""
    rng = random.Random(seed)
    lines = text.splitlines()
    for _ in range(count):
        changed = list(lines)
        for _ in range(rng.randint(1, 3)):
            at = rng.randrange(len(changed))
            fragment = rng.choice(FRAGMENTS)
            how = rng.randrange(5)
            if how == 0 and ": " in changed[at]:  # a value
                changed[at] = changed[at].split(": ", 1)[0] + ": " + fragment
            elif how == 4:  # a field of an entry, which the base catalogue may leave out
                entry = rng.choice(
                    [i for i, line in enumerate(changed) if line.startswith("  - id: ")] or [at]
                )
                changed.insert(entry + 1, f"    {rng.choice(MODEL_FIELDS)}: {fragment}")
            elif how == 1:  # a line of its own
                changed.insert(at, " " * rng.randrange(8) + fragment)
            elif how == 2:  # random bytes, read as Latin-1 so that every byte is a character
                noise = bytes(rng.randrange(256) for _ in range(rng.randint(1, 12))).decode("latin-1")
                changed[at] = changed[at][: rng.randrange(len(changed[at]) + 1)] + noise
            else:  # a line lost
                del changed[at]
        yield "\n".join(changed) + "\n"


@pytest.mark.slow  # some 2,000 catalogues loaded and validated: seconds, not the quick loop's fraction of one
@pytest.mark.timeout(300)
def test_no_hostile_edit_makes_load_or_validate_raise(tmp_path: Path):
    minimal, small = (path.read_text(encoding="utf-8") for path in (MINIMAL_CATALOGUE, SMALL_CATALOGUE))
    variants = [
        *every_field_of_every_shape(small),
        *hostile_variants(minimal, 1000),
        *hostile_variants(small, 1000),
    ]
    for n, variant in enumerate(variants):
        path = tmp_path / "models.yaml"
        content = variant.encode("utf-8", "surrogatepass")
        if n % 10 == 0:  # now and then a byte that is not UTF-8
            content = content[: n % len(content)] + bytes([0x80 + n % 128]) + content[n % len(content) :]
        path.write_bytes(content)
        loaded = load_catalogue(path)
        problems = validate(loaded)
        assert all("\n" not in str(problem) for problem in problems), (n, variant)
        if not problems:  # a harmless change: the export is strict JSON
            document = catalogue_json(build_catalogue(loaded.data, loaded.lines))
            json.loads(document, parse_constant=_refuse)


def _refuse(constant: str) -> None:
    raise AssertionError(f"{constant} is not JSON")
