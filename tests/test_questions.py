"""The interview for a new entry: asks only what is missing, re-asks until an answer is good."""

from __future__ import annotations

import datetime

from ohm.catalog.load import load_catalogue
from ohm.catalog.questions import Interview, slug_of
from ohm.catalog.urls import url_problem

from .conftest import SMALL_CATALOGUE


class Person:
    """Answers prompts in order and records what was shown."""

    def __init__(self, *answers: str) -> None:
        self.answers = list(answers)
        self.prompts: list[str] = []
        self.shown: list[str] = []

    def ask(self, prompt: str) -> str:
        self.prompts.append(prompt)
        return self.answers.pop(0)

    def say(self, text: str) -> None:
        self.shown.append(text)


def interview(person: Person) -> Interview:
    return Interview(load_catalogue(SMALL_CATALOGUE).data, person.ask, person.say)


def test_asks_every_missing_field_and_builds_the_entry():
    person = Person(
        "Beta Seg", "", "Example Lab", "vision", "", "pretrained model", "image, video", "Segmentation of CT.",
        "Organ segmentation", "", "", "", "https://github.com/example/beta-seg", "", "", "", "Apache-2.0", "Apache-2.0",
        "gated", "1B, 7B", "de-identified", "", "", "https://example.org/licence", "",
    )  # fmt: skip
    entry = interview(person).fill({})
    assert entry == {
        "name": "Beta Seg",
        "id": "beta-seg",
        "developer": "Example Lab",
        "category": "vision",
        "subcategory": "medical-imaging",
        "kind": "pretrained model",
        "modalities": ["image", "video"],
        "description": "Segmentation of CT.",
        "use_cases": ["Organ segmentation"],
        "tasks": [],
        "links": {"repository": "https://github.com/example/beta-seg"},
        "licenses": {"weights": {"id": "Apache-2.0"}, "code": {"id": "Apache-2.0"}},
        "access": "gated",
        "parameters": ["1B", "7B"],
        "phi_exposure": "de-identified",
        "caveats": [],
        "verified": datetime.date.today().isoformat(),
        "sources": ["https://example.org/licence"],
    }
    assert person.answers == []


def test_given_fields_are_not_asked():
    given = {
        "name": "Beta Seg", "id": "beta-seg", "developer": "Lab", "category": "llm", "subcategory": "clinical",
        "kind": "framework", "modalities": ["text"], "description": "D.", "use_cases": ["U"], "tasks": ["ner"],
        "links": {"paper": "https://arxiv.org/abs/1"}, "licenses": {"code": {"id": "Apache-2.0"}},
        "access": "open", "parameters": ["1B"], "caveats": ["C"],
        "verified": "2026-01-01",
    }  # fmt: skip
    person = Person("https://example.org/source", "")
    entry = interview(person).fill(dict(given))
    assert entry == {**given, "sources": ["https://example.org/source"]}
    assert person.prompts[0].startswith("  1")  # only the sources list: a framework has no PHI question


def test_bad_answers_are_explained_and_asked_again():
    person = Person("http://example.org", "https://example.org/x")
    answer = interview(person).ask("Link", url_problem)
    assert answer == "https://example.org/x"
    assert person.shown == ["  must start with https:// (plain http:// is not accepted)"]


def test_a_taken_id_and_an_unknown_category_are_asked_again():
    person = Person("alpha-bert", "beta", "vison", "vision")
    entry = interview(person).fill(
        {"name": "Beta", "developer": "x", "subcategory": "medical-imaging", "kind": "framework",
         "modalities": ["image"], "description": "D.", "use_cases": ["U"], "tasks": ["segmentation"],
         "links": {"docs": "https://e.org/d"},
         "licenses": {"code": {"id": "Apache-2.0"}}, "access": "open", "parameters": ["1B"],
         "caveats": ["C"], "verified": "2026-01-01", "sources": ["https://e.org/s"]}
    )  # fmt: skip
    assert (entry["id"], entry["category"]) == ("beta", "vision")
    assert "  'alpha-bert' is already in the catalogue; choose another id" in person.shown
    assert "  must be one of: llm, vision" in person.shown


def test_a_restricted_licence_asks_for_its_condition():
    person = Person("LicenseRef-example-community", "Apache-2.0", "Over 1M users need a licence.")
    entry: dict = {"kind": "pretrained model"}
    interview(person)._ask_licenses(entry)
    assert entry["licenses"] == {
        "weights": {"id": "LicenseRef-example-community"},
        "code": {"id": "Apache-2.0"},
    }
    assert entry["commercial_use_note"] == "Over 1M users need a licence."


def test_an_unknown_licence_makes_commercial_use_unclear_and_asks_what_is_known():
    person = Person("Apache-2.0", "unknown", "The repository has no licence file.")
    entry: dict = {"kind": "pretrained model"}
    interview(person)._ask_licenses(entry)
    assert entry["licenses"]["code"] == {"id": "unknown"}
    assert entry["commercial_use_note"] == "The repository has no licence file."
    assert any("commercial use is unclear: say what is known" in prompt for prompt in person.prompts)


def test_id_suggestion_from_a_name():
    assert slug_of("Llama 3.2 (Vision)") == "llama-3-2-vision"


def test_a_choice_can_be_answered_by_its_number_and_shows_the_list():
    person = Person("9", "2")
    assert (
        interview(person).choose("Category", [("llm", "Language models"), ("vision", "Vision")]) == "vision"
    )
    assert person.shown == [
        "Category:",
        "  1. llm (Language models)",
        "  2. vision (Vision)",
        "  must be one of: llm, vision",
    ]
